//! Encoding and decoding of generated structs, written once here instead
//! of by serde's derive in every struct: the derive's field enum, its
//! visitors and a sequence form JSON never uses made over half of a large
//! generated crate's check time.
//!
//! A generated struct invokes [`object!`](crate::object) with its
//! properties: that implements `Serialize` and [`Object`] (its name, its
//! properties and `from_object`, a loop over the keys), and a
//! `Deserialize` that calls [`object`]. What a property does when absent,
//! `null`, repeated or undeclared matches serde's derive with the
//! attributes generated types used: `missing_field` for a required one
//! (`None` for a required nullable one), `duplicate_field`,
//! `unknown_field` under `deny_unknown_fields`, undeclared properties
//! skipped or collected (`flatten`), absent optional ones left out when
//! encoding (`skip_serializing_if = "Option::is_none"`). One difference:
//! a sequence is not accepted in place of a map.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A generated struct decoded from a map of properties.
pub trait Object<'de>: Sized {
    /// The struct's name, for `deserialize_struct` and messages.
    const NAME: &'static str;
    /// Its properties as they appear on the wire.
    const FIELDS: &'static [&'static str];
    /// Reads every entry of `map`.
    fn from_object<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `T` decoded from `deserializer` as a map of properties.
///
/// ```
/// use codegen_runtime::model::{self, Key, Object};
/// use serde::de::MapAccess;
///
/// struct Pet { name: String, tag: Option<String> }
///
/// impl<'de> Object<'de> for Pet {
///     const NAME: &'static str = "Pet";
///     const FIELDS: &'static [&'static str] = &["name", "tag"];
///     fn from_object<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
///         let (mut name, mut tag) = (None, None);
///         while let Some(key) = map.next_key::<Key<'de>>()? {
///             match key.as_str() {
///                 "name" => model::field(&mut name, "name", &mut map)?,
///                 "tag" => model::field(&mut tag, "tag", &mut map)?,
///                 _ => model::skip(&mut map)?,
///             }
///         }
///         Ok(Pet { name: model::required::<_, A::Error>(name, "name")?, tag: model::optional(tag) })
///     }
/// }
///
/// impl<'de> serde::Deserialize<'de> for Pet {
///     fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
///         model::object(d)
///     }
/// }
///
/// let pet: Pet = serde_json::from_str(r#"{"name":"Rex","tag":null,"age":3}"#).unwrap();
/// assert_eq!((pet.name.as_str(), pet.tag), ("Rex", None));
/// let missing = serde_json::from_str::<Pet>(r#"{"tag":"x"}"#).err().unwrap();
/// assert_eq!(missing.to_string(), "missing field `name` at line 1 column 11");
/// ```
pub fn object<'de, T: Object<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_object(map)
    }
}

/// A property name, borrowed from the input where it can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name, owned (a collected unknown property's key).
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // As serde's derive reads field names: formats that tell identifiers
        // apart see one.
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Key<'de>, E> {
        match std::str::from_utf8(v) {
            Ok(s) => Ok(Key(Cow::Borrowed(s))),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
        }
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Key<'de>, E> {
        match std::str::from_utf8(v) {
            Ok(s) => Ok(Key(Cow::Owned(s.to_owned()))),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
        }
    }
}

/// Reads the value of property `name` into `slot`; a second occurrence is
/// serde's `duplicate field` error.
pub fn field<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    name: &'static str,
    map: &mut A,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a property the struct does not declare.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// Keeps an undeclared property in the struct's map of them (what
/// `#[serde(flatten)]` on a map did).
pub fn collect<'de, V: Deserialize<'de>, A: MapAccess<'de>>(
    extra: &mut std::collections::BTreeMap<String, V>,
    key: Key<'de>,
    map: &mut A,
) -> Result<(), A::Error> {
    let value = map.next_value()?;
    extra.insert(key.into_string(), value);
    Ok(())
}

/// The `unknown field` error of a struct that refuses undeclared properties.
pub fn unknown<E: de::Error>(key: &Key<'_>, fields: &'static [&'static str]) -> E {
    E::unknown_field(key.as_str(), fields)
}

/// A required property's value: `missing field` when it was absent, except
/// that a nullable one (an `Option`) is then `None`, as with serde's derive.
/// `E` is the map's error type (named, since `?` would convert any).
pub fn required<'de, T: Deserialize<'de>, E: de::Error>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing(name, PhantomData)),
    }
}

/// An optional property: absent and `null` are both `None`.
pub fn optional<T>(slot: Option<Option<T>>) -> Option<T> {
    slot.flatten()
}

/// What an absent property decodes from: nothing but `None`.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A generated struct's `Serialize` and `Deserialize` (through [`Object`]), from its
/// properties: `required`, `optional` (absent and `null` are `None`) or
/// `nullable` (optional, and `null` is `Some(None)`), each with its Rust
/// field and its name on the wire; and what an undeclared property does:
/// `skip`, `deny` (an `unknown field` error) or `collect(field)` into a
/// `BTreeMap<String, _>` field.
///
/// ```
/// use std::collections::BTreeMap;
///
/// #[derive(Debug, PartialEq)]
/// struct Pet { name: String, tag: Option<String>, note: Option<Option<String>>, rest: BTreeMap<String, i64> }
///
/// codegen_runtime::object! {
///     Pet, unknown = collect(rest),
///     required name = "name", optional tag = "tag", nullable note = "note"
/// }
///
/// let pet: Pet = serde_json::from_str(r#"{"name":"Rex","note":null,"age":3}"#).unwrap();
/// assert_eq!(pet.note, Some(None));
/// assert_eq!(pet.rest["age"], 3);
/// // Absent optional properties stay absent; a present null stays null.
/// assert_eq!(serde_json::to_string(&pet).unwrap(), r#"{"name":"Rex","note":null,"age":3}"#);
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! object {
    ($ty:ident, unknown = $policy:ident $(($extra:ident))?, $($kind:ident $field:ident = $spec:literal),* $(,)?) => {
        impl<'de> $crate::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::model::object(deserializer)
            }
        }

        impl $crate::serde::Serialize for $ty {
            #[allow(deprecated)]
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::__object_serialize!(self, serializer, $ty, [$($extra)?], $($kind $field = $spec),*)
            }
        }

        impl<'de> $crate::model::Object<'de> for $ty {
            const NAME: &'static str = ::core::stringify!($ty);
            const FIELDS: &'static [&'static str] = &[$($spec),*];
            // The properties' slots are locals named after their fields
            // (hygiene keeps them apart from the macro's own), so lints
            // about a binding's name would land on the caller's fields.
            #[allow(deprecated, clippy::disallowed_names, clippy::many_single_char_names)]
            fn from_object<D: $crate::serde::de::MapAccess<'de>>(mut map: D) -> ::core::result::Result<Self, D::Error> {
                $(let mut $field = ::core::option::Option::None;)*
                $(let mut $extra = ::std::collections::BTreeMap::new();)?
                while let ::core::option::Option::Some(key) = map.next_key::<$crate::model::Key<'de>>()? {
                    // One `?` for all arms: each arm's own would cost the
                    // compiler a conversion per property.
                    let () = match key.as_str() {
                        $($spec => $crate::model::field(&mut $field, $spec, &mut map),)*
                        _ => $crate::__object_unknown!($policy $(($extra))?, key, map),
                    }?;
                }
                ::core::result::Result::Ok(Self {
                    $($field: $crate::__object_value!($kind, $field, $spec, D),)*
                    $($extra,)?
                })
            }
        }
    };
}

// Encoding as serde's derive did with `rename` and, on optional fields,
// `skip_serializing_if = "Option::is_none"`: a struct of the present
// properties (`skip_field` for the others), or with a map of undeclared
// properties (`flatten`), a map of them all.
#[doc(hidden)]
#[macro_export]
macro_rules! __object_serialize {
    ($self:ident, $serializer:ident, $ty:ident, [], $($kind:ident $field:ident = $spec:literal),*) => {{
        use $crate::serde::ser::SerializeStruct as _;
        let len = 0 $(+ $crate::__object_present!($kind, $self.$field))*;
        let mut state = $serializer.serialize_struct(::core::stringify!($ty), len)?;
        $($crate::__object_put!($kind, state, serialize_field, skip_field, $spec, $self.$field);)*
        state.end()
    }};
    ($self:ident, $serializer:ident, $ty:ident, [$extra:ident], $($kind:ident $field:ident = $spec:literal),*) => {{
        use $crate::serde::ser::SerializeMap as _;
        let mut state = $serializer.serialize_map(::core::option::Option::None)?;
        $($crate::__object_put!($kind, state, serialize_entry, none, $spec, $self.$field);)*
        for (key, value) in &$self.$extra {
            state.serialize_entry(key, value)?;
        }
        state.end()
    }};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __object_present {
    (required, $value:expr) => {
        1usize
    };
    ($kind:ident, $value:expr) => {
        usize::from($value.is_some())
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __object_put {
    (required, $state:ident, $put:ident, $skip:ident, $spec:literal, $value:expr) => {
        $state.$put($spec, &$value)?;
    };
    ($kind:ident, $state:ident, $put:ident, none, $spec:literal, $value:expr) => {
        if $value.is_some() {
            $state.$put($spec, &$value)?;
        }
    };
    ($kind:ident, $state:ident, $put:ident, $skip:ident, $spec:literal, $value:expr) => {
        if $value.is_some() {
            $state.$put($spec, &$value)?;
        } else {
            $state.$skip($spec)?;
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __object_unknown {
    (skip, $key:ident, $map:ident) => {
        $crate::model::skip(&mut $map)
    };
    (deny, $key:ident, $map:ident) => {
        ::core::result::Result::Err($crate::model::unknown(
            &$key,
            <Self as $crate::model::Object<'_>>::FIELDS,
        ))
    };
    (collect($extra:ident), $key:ident, $map:ident) => {
        $crate::model::collect(&mut $extra, $key, &mut $map)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __object_value {
    (required, $field:ident, $spec:literal, $d:ident) => {
        $crate::model::required::<_, $d::Error>($field, $spec)?
    };
    (optional, $field:ident, $spec:literal, $d:ident) => {
        $crate::model::optional($field)
    };
    (nullable, $field:ident, $spec:literal, $d:ident) => {
        $field
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// The same struct as serde's derive reads it (the oracle).
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Derived {
        id: i64,
        #[serde(rename = "nullableRequired")]
        nullable_required: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tag: Option<String>,
        #[serde(
            default,
            deserialize_with = "crate::model::deserialize_some",
            skip_serializing_if = "Option::is_none"
        )]
        note: Option<Option<String>>,
        #[serde(flatten)]
        extra: BTreeMap<String, i64>,
    }

    /// `Derived` as generated code writes it: through the macro.
    #[derive(Debug, PartialEq)]
    struct Every {
        id: i64,
        nullable_required: Option<String>,
        tag: Option<String>,
        note: Option<Option<String>>,
        extra: BTreeMap<String, i64>,
    }

    crate::object! {
        Every, unknown = collect(extra), required id = "id",
        required nullable_required = "nullableRequired", optional tag = "tag",
        nullable note = "note"
    }

    /// Without the map of undeclared properties, and refusing them.
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct DerivedStrict {
        id: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tag: Option<String>,
    }

    #[derive(Debug, PartialEq)]
    struct Strict {
        id: i64,
        tag: Option<String>,
    }

    crate::object! { Strict, unknown = deny, required id = "id", optional tag = "tag" }

    #[test]
    fn the_macro_round_trips_as_serdes_derive_does() {
        for json in [
            r#"{"id":1,"nullableRequired":"a","tag":"t","note":"n","x":5}"#,
            r#"{"id":1,"nullableRequired":null,"tag":null,"note":null}"#,
            r#"{"id":1}"#,
            r#"{"nullableRequired":"a"}"#,
            r#"{"id":"one"}"#,
            r#"{"id":1,"x":"not a number"}"#,
            r#"{"id":1,"id":2}"#,
            r#"[1]"#,
            r#"7"#,
        ] {
            let (ours, derived) = both(json);
            match (&ours, &derived) {
                (Ok(o), Ok(d)) => {
                    assert_eq!(
                        (o.id, &o.nullable_required, &o.tag, &o.note, &o.extra),
                        (d.id, &d.nullable_required, &d.tag, &d.note, &d.extra),
                        "{json}"
                    );
                    let encoded = serde_json::to_value(o).unwrap();
                    let by_derive = serde_json::to_value(d).unwrap();
                    assert_eq!(encoded, by_derive, "{json}");
                }
                (Err(_), Err(_)) => {}
                _ => panic!("{json}: ours {ours:?}, derive {derived:?}"),
            }
        }
        for json in [
            r#"{"id":1}"#,
            r#"{"id":1,"tag":"t"}"#,
            r#"{"id":1,"other":2}"#,
        ] {
            let ours = serde_json::from_str::<Strict>(json).map_err(|e| e.to_string());
            let derived = serde_json::from_str::<DerivedStrict>(json).map_err(|e| e.to_string());
            match (&ours, &derived) {
                (Ok(o), Ok(d)) => {
                    assert_eq!((o.id, &o.tag), (d.id, &d.tag));
                    assert_eq!(
                        serde_json::to_string(o).unwrap(),
                        serde_json::to_string(d).unwrap()
                    );
                }
                (Err(o), Err(d)) => assert_eq!(o, d, "{json}"),
                _ => panic!("{json}: ours {ours:?}, derive {derived:?}"),
            }
        }
    }

    fn both(json: &str) -> (Result<Every, String>, Result<Derived, String>) {
        (
            serde_json::from_str::<Every>(json).map_err(|e| e.to_string()),
            serde_json::from_str::<Derived>(json).map_err(|e| e.to_string()),
        )
    }

    #[test]
    fn errors_read_as_serdes() {
        let missing = serde_json::from_str::<Every>(r#"{"tag":"x"}"#).unwrap_err();
        assert!(
            missing.to_string().starts_with("missing field `id`"),
            "{missing}"
        );
        let twice = serde_json::from_str::<Every>(r#"{"id":1,"id":2}"#).unwrap_err();
        assert!(
            twice.to_string().starts_with("duplicate field `id`"),
            "{twice}"
        );
        let not_object = serde_json::from_str::<Every>("7").unwrap_err();
        assert!(
            not_object
                .to_string()
                .starts_with("invalid type: integer `7`, expected struct Every"),
            "{not_object}"
        );
        let e: serde_json::Error = unknown(&Key(Cow::Borrowed("x")), &["id"]);
        assert_eq!(e.to_string(), "unknown field `x`, expected `id`");
    }

    #[cfg(feature = "server")]
    #[test]
    fn a_path_to_error_names_the_property() {
        let mut de = serde_json::Deserializer::from_str(r#"{"id":1,"tag":5}"#);
        let err = serde_path_to_error::deserialize::<_, Every>(&mut de).unwrap_err();
        assert_eq!(err.path().to_string(), "tag");
    }
}
