//! Helpers of the generated `types` module.

mod boxed;
mod builders;
mod object;

pub use boxed::Boxed;
#[doc(hidden)]
pub use object::{collect, field, object, optional, required, skip, unknown, Key, Object};

#[doc(hidden)]
/// Tells a present `null` (`Some(None)`) from an absent field (`None`):
/// generated types put it on optional nullable fields
/// (`#[serde(default, deserialize_with = "...")]`), so a PATCH can tell
/// "leave as is" from "clear".
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Patch {
///     #[serde(default, deserialize_with = "codegen_runtime::model::deserialize_some")]
///     note: Option<Option<String>>,
/// }
/// let absent: Patch = serde_json::from_str("{}").unwrap();
/// let cleared: Patch = serde_json::from_str(r#"{"note":null}"#).unwrap();
/// assert_eq!((absent.note, cleared.note), (None, Some(None)));
/// ```
pub fn deserialize_some<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// A string that is none of a closed enum's values (the `FromStr` error of
/// generated enums).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseEnumError {
    /// The enum's Rust name.
    pub type_name: &'static str,
    /// The rejected value.
    pub value: String,
}

impl std::fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` is not a valid {}", self.value, self.type_name)
    }
}

impl std::error::Error for ParseEnumError {}
