//! [`Boxed`]: a box whose drop glue and auto traits do not mention what it
//! holds, for the references within a large cycle of generated types.

use std::borrow::{Borrow, BorrowMut};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, DerefMut};
use std::panic::{RefUnwindSafe, UnwindSafe};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A `T` on the heap, like `Box<T>`, but behind a trait object that
/// hides `T` from the compiler's drop check and auto traits.
///
/// Generated types hold it where a type refers to another of a large
/// cycle of types that refer to each other (many schemas reaching each
/// other, as with Stripe's expandable fields: `anyOf: [string, Customer]`).
/// To check such types, rustc follows the references depth first: drop
/// check descends through `Box<T>`, `Vec<T>` and maps to `T`, and `Send`
/// and `Sync` descend through every field, so a walk around a cycle of a
/// few hundred types passes the default `recursion_limit` (128) and the
/// crate does not compile without `#![recursion_limit]`. Both walks stop
/// at a `Boxed<T>`: it is dropped through its trait object, and it is
/// `Send`, `Sync`, `Unpin`, `UnwindSafe` and `RefUnwindSafe` because the
/// object says so, whatever `T` is (the constructors require those of
/// `T`, so nothing is claimed that `T` lacks).
///
/// It reads as a `T` otherwise: `Deref` and `DerefMut` to `T` (and `&Boxed<T>`
/// coerces to `&T`), [`Boxed::new`] and `From<T>` to make one,
/// [`Boxed::into_inner`] to take the value back; `Clone`, `Debug`,
/// `PartialEq`, `Eq`, `PartialOrd`, `Ord`, `Hash`, `Default` when `T` has
/// them, and serde's `Serialize` and `Deserialize` as `T` itself
/// (transparent: no wrapper on the wire).
///
/// ```
/// use codegen_runtime::Boxed;
///
/// #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Node { name: String, next: Option<Boxed<Node>> }
///
/// let list: Node = serde_json::from_str(r#"{"name":"a","next":{"name":"b","next":null}}"#).unwrap();
/// let next: &Node = list.next.as_deref().unwrap();
/// assert_eq!(next.name, "b");
/// assert_eq!(
///     serde_json::to_string(&list).unwrap(),
///     r#"{"name":"a","next":{"name":"b","next":null}}"#
/// );
/// let built = Node { name: "c".into(), next: Some(Boxed::new(next.clone())) };
/// assert_eq!(built.next.map(Boxed::into_inner), Some(next.clone()));
/// ```
pub struct Boxed<T>(Box<dyn Holder<T> + Send + Sync + UnwindSafe + RefUnwindSafe>);

/// The value behind the trait object: `T` itself, seen through a trait
/// that names `T` only in its methods (no downcast that could fail).
trait Holder<T> {
    fn get(&self) -> &T;
    fn get_mut(&mut self) -> &mut T;
    fn take(self: Box<Self>) -> T;
}

impl<T> Holder<T> for T {
    fn get(&self) -> &T {
        self
    }

    fn get_mut(&mut self) -> &mut T {
        self
    }

    fn take(self: Box<Self>) -> T {
        *self
    }
}

impl<T: Send + Sync + UnwindSafe + RefUnwindSafe + 'static> Boxed<T> {
    /// `value` on the heap.
    pub fn new(value: T) -> Self {
        Boxed(Box::new(value))
    }
}

impl<T> Boxed<T> {
    /// The value, out of its box.
    pub fn into_inner(self) -> T {
        Holder::take(self.0)
    }
}

impl<T> Deref for Boxed<T> {
    type Target = T;

    fn deref(&self) -> &T {
        Holder::get(&*self.0)
    }
}

impl<T> DerefMut for Boxed<T> {
    fn deref_mut(&mut self) -> &mut T {
        Holder::get_mut(&mut *self.0)
    }
}

impl<T> AsRef<T> for Boxed<T> {
    fn as_ref(&self) -> &T {
        self
    }
}

impl<T> AsMut<T> for Boxed<T> {
    fn as_mut(&mut self) -> &mut T {
        self
    }
}

impl<T> Borrow<T> for Boxed<T> {
    fn borrow(&self) -> &T {
        self
    }
}

impl<T> BorrowMut<T> for Boxed<T> {
    fn borrow_mut(&mut self) -> &mut T {
        self
    }
}

impl<T: Send + Sync + UnwindSafe + RefUnwindSafe + 'static> From<T> for Boxed<T> {
    fn from(value: T) -> Self {
        Boxed::new(value)
    }
}

impl<T: Clone + Send + Sync + UnwindSafe + RefUnwindSafe + 'static> Clone for Boxed<T> {
    fn clone(&self) -> Self {
        Boxed::new(T::clone(self))
    }
}

impl<T: Default + Send + Sync + UnwindSafe + RefUnwindSafe + 'static> Default for Boxed<T> {
    fn default() -> Self {
        Boxed::new(T::default())
    }
}

/// As `T`'s own: no wrapper shows.
impl<T: fmt::Debug> fmt::Debug for Boxed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

impl<T: fmt::Display> fmt::Display for Boxed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

impl<T: PartialEq> PartialEq for Boxed<T> {
    fn eq(&self, other: &Self) -> bool {
        T::eq(self, other)
    }
}

impl<T: Eq> Eq for Boxed<T> {}

impl<T: PartialOrd> PartialOrd for Boxed<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        T::partial_cmp(self, other)
    }
}

impl<T: Ord> Ord for Boxed<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        T::cmp(self, other)
    }
}

impl<T: Hash> Hash for Boxed<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        T::hash(self, state);
    }
}

/// As `T` itself.
impl<T: Serialize> Serialize for Boxed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        T::serialize(self, serializer)
    }
}

/// As `T` itself.
impl<'de, T> Deserialize<'de> for Boxed<T>
where
    T: Deserialize<'de> + Send + Sync + UnwindSafe + RefUnwindSafe + 'static,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Boxed::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A type that holds itself through `Boxed`, in every position a
    /// generated type may.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Tree {
        name: String,
        parent: Option<Boxed<Tree>>,
        children: Vec<Boxed<Tree>>,
        named: BTreeMap<String, Boxed<Tree>>,
    }

    /// Two types that hold each other, one by value (no `Box` needed:
    /// `Boxed` has a fixed size).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct Even {
        odd: Boxed<Odd>,
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct Odd {
        even: Option<Boxed<Even>>,
    }

    fn send_sync<T: Send + Sync + Unpin + UnwindSafe + RefUnwindSafe + 'static>() {}

    #[test]
    fn recursive_types_holding_boxed_are_send_and_sync() {
        send_sync::<Tree>();
        send_sync::<Even>();
        send_sync::<Boxed<Odd>>();
    }

    #[test]
    fn it_round_trips_through_json_as_the_value_itself() {
        let json = r#"{"name":"root","parent":{"name":"up","parent":null,"children":[],"named":{}},"children":[{"name":"kid","parent":null,"children":[],"named":{}}],"named":{"x":{"name":"x","parent":null,"children":[],"named":{}}}}"#;
        let tree: Tree = serde_json::from_str(json).unwrap();
        assert_eq!(tree.parent.as_ref().unwrap().name, "up");
        assert_eq!(tree.children[0].name, "kid");
        assert_eq!(tree.named["x"].name, "x");
        assert_eq!(serde_json::to_string(&tree).unwrap(), json);

        let boxed: Boxed<i64> = serde_json::from_str("7").unwrap();
        assert_eq!(*boxed, 7);
        assert_eq!(serde_json::to_string(&boxed).unwrap(), "7");
        let odd: Odd = serde_json::from_str(r#"{"even":{"odd":{"even":null}}}"#).unwrap();
        assert_eq!(odd.even.unwrap().odd.even, None);
        // Errors are `T`'s.
        let wrong = serde_json::from_str::<Boxed<i64>>(r#""x""#).unwrap_err();
        let plain = serde_json::from_str::<i64>(r#""x""#).unwrap_err();
        assert_eq!(wrong.to_string(), plain.to_string());
    }

    #[test]
    fn it_reads_clones_and_compares_as_the_value() {
        let mut a = Boxed::new(Tree {
            name: "a".into(),
            ..Tree::default()
        });
        let b = a.clone();
        assert_eq!(a, b);
        a.name.push('!');
        assert_ne!(a, b);
        assert_eq!(b.name, "a");
        assert_eq!(format!("{:?}", Boxed::new(1)), "1");
        assert_eq!(format!("{}", Boxed::new("x")), "x");
        assert_eq!(Boxed::<String>::default().as_str(), "");
        assert!(Boxed::new(1) < Boxed::from(2));
        let value: &Tree = &b;
        assert_eq!(b.clone().into_inner(), *value);
        let mut set = std::collections::HashSet::new();
        set.insert(Boxed::new("k".to_string()));
        assert!(set.contains(&Boxed::new("k".to_string())));
    }
}
