//! The constructor and setters of a generated struct, as one macro call
//! per struct: written out, they made a large API's `types` half again
//! as long for methods whose shape never varies.

/// Generated structs' `new(..)` (taking the required properties) and
/// `with_<field>(value)` setters (one per optional property). Generated
/// code calls it; by hand:
///
/// ```
/// #[derive(Debug, PartialEq)]
/// pub struct Pet {
///     pub name: String,
///     pub tag: Option<String>,
///     pub age: Option<i64>,
///     pub rest: std::collections::BTreeMap<String, i64>,
/// }
///
/// codegen_runtime::builders! {
///     Pet,
///     new(name: String),
///     map(rest),
///     set(tag with_tag "tag": String; age with_age "age": i64)
/// }
///
/// let pet = Pet::new("Rex").with_age(3);
/// assert_eq!(pet.name, "Rex");
/// assert_eq!((pet.tag, pet.age), (None, Some(3)));
/// ```
///
/// `set` lists the optional properties (each starts out `None`), `map`
/// the field of undeclared properties if any. `new()` with nothing in it:
/// no constructor (the struct derives `Default`). A setter may carry
/// attributes (`#[deprecated]`).
#[doc(hidden)]
#[macro_export]
macro_rules! builders {
    (
        $name:ident,
        new(),
        map($($map:ident)?),
        set($($(#[$attr:meta])* $field:ident $setter:ident $spec:literal : $ty:ty);* $(;)?)
    ) => {
        #[allow(deprecated)]
        impl $name {
            $crate::builders!(@setters $($(#[$attr])* $field $setter $spec : $ty);*);
        }
    };
    (
        $name:ident,
        new($($required:ident : $rty:ty),+ $(,)?),
        map($($map:ident)?),
        set($($(#[$attr:meta])* $field:ident $setter:ident $spec:literal : $ty:ty);* $(;)?)
    ) => {
        #[allow(deprecated)]
        impl $name {
            /// From the required properties, in the spec's order; the
            /// `with_` methods set the others.
            #[allow(clippy::too_many_arguments, clippy::disallowed_names)]
            pub fn new($($required: impl ::core::convert::Into<$rty>),+) -> Self {
                Self {
                    $($required: $required.into(),)+
                    $($field: ::core::option::Option::None,)*
                    $($map: ::std::collections::BTreeMap::new(),)?
                }
            }
            $crate::builders!(@setters $($(#[$attr])* $field $setter $spec : $ty);*);
        }
    };
    (@setters $($(#[$attr:meta])* $field:ident $setter:ident $spec:literal : $ty:ty);*) => {
        $(
            #[doc = ::core::concat!(" Sets `", $spec, "`.")]
            $(#[$attr])*
            pub fn $setter(mut self, value: impl ::core::convert::Into<$ty>) -> Self {
                self.$field = ::core::option::Option::Some(value.into());
                self
            }
        )*
    };
}

#[cfg(test)]
mod tests {
    #[derive(Debug, Default, PartialEq)]
    struct Empty {
        a: Option<u8>,
    }

    crate::builders! { Empty, new(), map(), set(a with_a "a": u8) }

    #[derive(Debug, PartialEq)]
    struct Many {
        a: u8,
        b: u8,
        c: u8,
        d: u8,
        e: u8,
        f: u8,
        g: u8,
        h: Option<Vec<String>>,
    }

    crate::builders! {
        Many,
        new(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8),
        map(),
        set(#[deprecated] h with_h "h`s": Vec<String>)
    }

    #[test]
    #[allow(deprecated)]
    fn constructors_and_setters() {
        assert_eq!(Empty::default().with_a(1), Empty { a: Some(1) });
        let many = Many::new(1, 2, 3, 4, 5, 6, 7).with_h(["x".to_string()]);
        assert_eq!(many.h.as_deref(), Some(&["x".to_string()][..]));
    }
}
