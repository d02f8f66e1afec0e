//! The spec's constraints on values (`minLength`, `pattern`, `minimum`,
//! `maxItems`...), checked once a value is decoded. Each check adds a
//! [`Violation`] naming the field; none stops at the first.

use std::sync::OnceLock;

use super::{violation, Violation};

/// A `pattern` of the spec, compiled on first use. A pattern neither
/// regex engine compiles is not checked: rejecting every request would be
/// worse.
pub struct Pattern {
    source: &'static str,
    regex: OnceLock<Option<Compiled>>,
}

impl Pattern {
    /// A pattern for a `static`.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            regex: OnceLock::new(),
        }
    }

    /// The spec's text of the pattern.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `value` matches (unanchored, as JSON Schema says); `None`
    /// when the pattern cannot be compiled.
    pub fn is_match(&self, value: &str) -> Option<bool> {
        self.regex
            .get_or_init(|| Compiled::new(self.source))
            .as_ref()
            .and_then(|r| r.is_match(value))
    }
}

/// A compiled pattern: by `regex` (linear time) when it can, else by
/// `fancy-regex` (ECMA-262's look-around and back-references, as
/// `^(?![_-]{2,})...$` in linode's user names, which `regex` refuses).
pub(crate) enum Compiled {
    Linear(regex::Regex),
    Backtracking(fancy_regex::Regex),
}

impl Compiled {
    /// `source` compiled; `None` when neither engine reads it.
    pub(crate) fn new(source: &str) -> Option<Self> {
        match regex::Regex::new(source) {
            Ok(r) => Some(Compiled::Linear(r)),
            Err(_) => fancy_regex::Regex::new(source)
                .ok()
                .map(Compiled::Backtracking),
        }
    }

    /// Whether `value` matches; `None` when backtracking gave up (its
    /// step limit: a hostile value cannot make it run on).
    pub(crate) fn is_match(&self, value: &str) -> Option<bool> {
        match self {
            Compiled::Linear(r) => Some(r.is_match(value)),
            Compiled::Backtracking(r) => r.is_match(value).ok(),
        }
    }
}

/// `minLength` / `maxLength`, in characters.
pub fn length(
    value: &str,
    field: &str,
    min: Option<usize>,
    max: Option<usize>,
    out: &mut Vec<Violation>,
) {
    let n = value.chars().count();
    let unit = |n: usize| if n == 1 { "character" } else { "characters" };
    if let Some(min) = min.filter(|min| n < *min) {
        out.push(violation(
            field,
            format!("must be at least {min} {} long", unit(min)),
        ));
    }
    if let Some(max) = max.filter(|max| n > *max) {
        out.push(violation(
            field,
            format!("must be at most {max} {} long", unit(max)),
        ));
    }
}

/// `enum` of an open enum type (one that keeps values the spec does not
/// list, for answers): a request must still hold one of `values`.
pub fn listed(value: &str, values: &[&str], field: &str, out: &mut Vec<Violation>) {
    if !values.contains(&value) {
        out.push(violation(
            field,
            format!("must be one of: {}", values.join(", ")),
        ));
    }
}

/// `pattern`.
pub fn pattern(value: &str, field: &str, pattern: &Pattern, out: &mut Vec<Violation>) {
    if pattern.is_match(value) == Some(false) {
        out.push(violation(
            field,
            format!("must match the pattern `{}`", pattern.source()),
        ));
    }
}

/// `minimum` / `maximum`, each with whether it is exclusive.
pub fn range(
    value: f64,
    field: &str,
    min: Option<(f64, bool)>,
    max: Option<(f64, bool)>,
    out: &mut Vec<Violation>,
) {
    if let Some((min, exclusive)) = min {
        if value < min || (exclusive && value == min) {
            let how = if exclusive {
                "greater than"
            } else {
                "at least"
            };
            out.push(violation(field, format!("must be {how} {min}")));
        }
    }
    if let Some((max, exclusive)) = max {
        if value > max || (exclusive && value == max) {
            let how = if exclusive { "less than" } else { "at most" };
            out.push(violation(field, format!("must be {how} {max}")));
        }
    }
}

/// `multipleOf`: `value` divided by `of` is a whole number, up to the
/// rounding of binary floating point (`0.3` is a multiple of `0.1`).
///
/// ```
/// use codegen_runtime::server::checks::multiple;
/// let mut out = Vec::new();
/// multiple(0.3, "price", 0.1, &mut out);
/// multiple(15.0, "step", 5.0, &mut out);
/// assert!(out.is_empty());
/// multiple(7.0, "step", 5.0, &mut out);
/// assert_eq!(out[0].field, "step");
/// ```
pub fn multiple(value: f64, field: &str, of: f64, out: &mut Vec<Violation>) {
    if of.is_nan() || of <= 0.0 || !value.is_finite() {
        return;
    }
    let quotient = value / of;
    if (quotient - quotient.round()).abs() > 1e-9 * quotient.abs().max(1.0) {
        out.push(violation(field, format!("must be a multiple of {of}")));
    }
}

/// `minProperties` / `maxProperties`: how many properties the object has
/// as the wire carries it (absent optional ones do not count).
///
/// ```
/// use codegen_runtime::server::checks::properties;
/// let mut out = Vec::new();
/// let labels: std::collections::BTreeMap<&str, &str> = [("a", "1")].into();
/// properties(&labels, "labels", Some(1), Some(2), &mut out);
/// assert!(out.is_empty());
/// properties(&labels, "labels", Some(2), None, &mut out);
/// assert_eq!(out[0].message, "must have at least 2 properties");
/// ```
pub fn properties<T: serde::Serialize + ?Sized>(
    value: &T,
    field: &str,
    min: Option<usize>,
    max: Option<usize>,
    out: &mut Vec<Violation>,
) {
    let Ok(serde_json::Value::Object(object)) = serde_json::to_value(value) else {
        return;
    };
    let n = object.len();
    let unit = |n: usize| if n == 1 { "property" } else { "properties" };
    if let Some(min) = min.filter(|min| n < *min) {
        out.push(violation(
            field,
            format!("must have at least {min} {}", unit(min)),
        ));
    }
    if let Some(max) = max.filter(|max| n > *max) {
        out.push(violation(
            field,
            format!("must have at most {max} {}", unit(max)),
        ));
    }
}

/// What a list's length and items must be: `minItems`, `maxItems`,
/// `uniqueItems`, as [`items`] checks them.
///
/// ```
/// use codegen_runtime::server::checks::Count;
/// const TAGS: Count = Count::ANY.at_least(1).at_most(25).unique();
/// # let _ = TAGS;
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Count {
    min: Option<usize>,
    max: Option<usize>,
    unique: bool,
}

impl Count {
    /// Any number of items, repeated or not.
    pub const ANY: Count = Count {
        min: None,
        max: None,
        unique: false,
    };

    /// At least `min` items (`minItems`).
    pub const fn at_least(mut self, min: usize) -> Self {
        self.min = Some(min);
        self
    }

    /// At most `max` items (`maxItems`).
    pub const fn at_most(mut self, max: usize) -> Self {
        self.max = Some(max);
        self
    }

    /// No item twice (`uniqueItems`), compared as JSON.
    pub const fn unique(mut self) -> Self {
        self.unique = true;
        self
    }
}

/// `minItems` / `maxItems` / `uniqueItems` (items compared as JSON).
pub fn items<T: serde::Serialize>(
    items: &[T],
    field: &str,
    count: Count,
    out: &mut Vec<Violation>,
) {
    let Count { min, max, unique } = count;
    if let Some(min) = min.filter(|min| items.len() < *min) {
        let unit = if min == 1 { "item" } else { "items" };
        out.push(violation(field, format!("must have at least {min} {unit}")));
    }
    if let Some(max) = max.filter(|max| items.len() > *max) {
        out.push(violation(field, format!("must have at most {max} items")));
    }
    if unique {
        let values: Vec<serde_json::Value> = items
            .iter()
            .filter_map(|i| serde_json::to_value(i).ok())
            .collect();
        if values
            .iter()
            .enumerate()
            .any(|(i, v)| values[..i].contains(v))
        {
            out.push(violation(field, "must not repeat items"));
        }
    }
}

/// The field of a list's `index`th item or a map's `key`: `body.tags[2]`, `body.labels.x`.
pub fn item_field(field: &str, index: usize) -> String {
    format!("{field}[{index}]")
}

/// The field of a struct's property or a map's entry: `body.name`.
pub fn member_field(field: &str, name: &str) -> String {
    format!("{field}.{name}")
}

/// A property required by a condition (3.1 `dependentRequired`, the
/// common form of `if`/`then`/`else`): a violation of `name` unless it is
/// `present`.
///
/// ```
/// use codegen_runtime::server::checks::required_when;
/// let mut out = Vec::new();
/// required_when(false, "body", "score", "`parent` is present", &mut out);
/// required_when(true, "body", "label", "`parent` is present", &mut out);
/// assert_eq!(out.len(), 1);
/// assert_eq!(out[0].field, "body.score");
/// assert_eq!(out[0].message, "required when `parent` is present");
/// ```
pub fn required_when(
    present: bool,
    at: &str,
    name: &str,
    condition: &str,
    out: &mut Vec<Violation>,
) {
    if !present {
        out.push(violation(
            &member_field(at, name),
            format!("required when {condition}"),
        ));
    }
}

/// Whether `value` is the JSON value written as `expected` (a `const` of
/// the spec, compared as JSON).
///
/// ```
/// use codegen_runtime::server::checks::is_json;
/// assert!(is_json(&"card", r#""card""#));
/// assert!(is_json(&3_i64, "3"));
/// assert!(!is_json(&Some("iban"), r#""card""#));
/// ```
pub fn is_json<T: serde::Serialize + ?Sized>(value: &T, expected: &str) -> bool {
    match (
        serde_json::to_value(value),
        serde_json::from_str::<serde_json::Value>(expected),
    ) {
        (Ok(value), Ok(expected)) => value == expected,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_characters() {
        let mut out = Vec::new();
        length("é", "f", Some(1), Some(1), &mut out);
        assert!(out.is_empty());
        length("", "f", Some(1), None, &mut out);
        assert_eq!(out[0].message, "must be at least 1 character long");
    }

    #[test]
    fn patterns_are_unanchored_and_bad_ones_are_skipped() {
        static DIGITS: Pattern = Pattern::new("[0-9]+");
        static BAD: Pattern = Pattern::new("(unclosed");
        let mut out = Vec::new();
        pattern("ab12", "f", &DIGITS, &mut out);
        pattern("anything", "f", &BAD, &mut out);
        assert!(out.is_empty());
        pattern("ab", "f", &DIGITS, &mut out);
        assert_eq!(out[0].message, "must match the pattern `[0-9]+`");
    }

    #[test]
    fn look_around_and_back_references_are_checked() {
        // linode's user names: no two `_`/`-` in a row.
        static NAME: Pattern = Pattern::new("^[a-zA-Z0-9]((?![_-]{2,})[a-zA-Z0-9-_])+[a-zA-Z0-9]$");
        static TWICE: Pattern = Pattern::new(r"^(a+)-\1$");
        assert_eq!(NAME.is_match("ab-cd"), Some(true));
        assert_eq!(NAME.is_match("ab--cd"), Some(false));
        assert_eq!(TWICE.is_match("aa-aa"), Some(true));
        assert_eq!(TWICE.is_match("aa-a"), Some(false));
    }

    #[test]
    fn exclusive_bounds_reject_the_bound() {
        let mut out = Vec::new();
        range(1.0, "f", Some((1.0, false)), Some((1.0, false)), &mut out);
        assert!(out.is_empty());
        range(1.0, "f", Some((1.0, true)), Some((1.0, true)), &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].message, "must be greater than 1");
    }

    #[test]
    fn items_limits_and_uniqueness() {
        let mut out = Vec::new();
        items(
            &[1, 2, 1],
            "f",
            Count::ANY.at_least(4).at_most(2).unique(),
            &mut out,
        );
        let messages: Vec<_> = out.iter().map(|v| v.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "must have at least 4 items",
                "must have at most 2 items",
                "must not repeat items"
            ]
        );
    }
}
