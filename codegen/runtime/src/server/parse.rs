//! Parameter values from their text: one parser per type, and the steps
//! that turn a parameter's raw values into a value or violations.

use super::{violation, Violation};

/// A value parsed by `parse`; a failure is a violation of `field`.
pub fn one<T>(
    raw: &str,
    field: &str,
    out: &mut Vec<Violation>,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Option<T> {
    match parse(raw) {
        Ok(value) => Some(value),
        Err(message) => {
            out.push(violation(field, message));
            None
        }
    }
}

/// The value of a parameter that may be given once, parsed (`None`: absent).
pub fn single<'r, T>(
    raws: impl IntoIterator<Item = &'r str>,
    field: &str,
    out: &mut Vec<Violation>,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Option<T> {
    let mut raws = raws.into_iter();
    let first = raws.next()?;
    if raws.next().is_some() {
        out.push(violation(field, "must be given once"));
    }
    one(first, field, out, parse)
}

/// Flags a required input that is absent (unless already flagged as invalid).
pub fn require(present: bool, field: &str, out: &mut Vec<Violation>) {
    if !present && !out.iter().any(|v| v.field == field) {
        out.push(violation(field, "is required"));
    }
}

/// Any text.
pub fn text(raw: &str) -> Result<String, String> {
    Ok(raw.to_string())
}

/// An integer of type `T`.
pub fn integer<T: std::str::FromStr>(raw: &str) -> Result<T, String> {
    raw.parse::<T>()
        .map_err(|_| "must be an integer".to_string())
}

/// A finite number of type `T`.
pub fn number<T: std::str::FromStr + Into<f64> + Copy>(raw: &str) -> Result<T, String> {
    raw.parse::<T>()
        .ok()
        .filter(|n| (*n).into().is_finite())
        .ok_or_else(|| "must be a number".to_string())
}

/// `true` or `false`.
pub fn boolean(raw: &str) -> Result<bool, String> {
    match raw {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("must be `true` or `false`".to_string()),
    }
}

/// An RFC 3339 date-time, in UTC.
pub fn date_time(raw: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(raw)
        .map(|d| d.with_timezone(&chrono::Utc))
        .map_err(|_| "must be an RFC 3339 date-time".to_string())
}

/// A full date (`YYYY-MM-DD`).
pub fn date(raw: &str) -> Result<chrono::NaiveDate, String> {
    raw.parse::<chrono::NaiveDate>()
        .map_err(|_| "must be a date (YYYY-MM-DD)".to_string())
}

/// The parser of a string enum (any type whose `FromStr` knows the spec's
/// values); a failure says `message` (`must be one of: asc, desc`).
pub fn enumerated<T: std::str::FromStr>(
    message: &'static str,
) -> impl Fn(&str) -> Result<T, String> {
    move |raw| raw.parse::<T>().map_err(|_| message.to_string())
}

/// A type that decodes from a JSON string (a string alias or a `oneOf` of strings).
pub fn from_string<T: serde::de::DeserializeOwned>(raw: &str) -> Result<T, String> {
    serde_json::from_value::<T>(serde_json::Value::String(raw.to_string()))
        .map_err(|e| e.to_string())
}

/// Any other type, written as JSON.
pub fn json<T: serde::de::DeserializeOwned>(raw: &str) -> Result<T, String> {
    serde_json::from_str::<T>(raw).map_err(|_| "must be JSON".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parsers_name_what_they_expect() {
        assert_eq!(integer::<i32>("x"), Err("must be an integer".to_string()));
        assert_eq!(number::<f64>("NaN"), Err("must be a number".to_string()));
        assert_eq!(number::<f64>("1.5"), Ok(1.5));
        assert_eq!(
            boolean("True"),
            Err("must be `true` or `false`".to_string())
        );
        assert!(date_time("2024-01-01T00:00:00+02:00").is_ok());
        assert!(date("2024-02-30").is_err());
        assert_eq!(json::<Vec<u8>>("[1,2]"), Ok(vec![1, 2]));
    }

    #[test]
    fn a_repeated_single_value_is_a_violation() {
        let mut out = Vec::new();
        assert_eq!(
            single(["1", "2"], "query.n", &mut out, integer::<i32>),
            Some(1)
        );
        assert_eq!(out, [violation("query.n", "must be given once")]);
        require(false, "query.n", &mut out);
        assert_eq!(out.len(), 1, "already flagged as invalid");
        require(false, "query.m", &mut out);
        assert_eq!(out[1], violation("query.m", "is required"));
    }

    proptest! {
        #[test]
        fn parsers_never_panic(raw in ".*") {
            let _ = integer::<i64>(&raw);
            let _ = number::<f32>(&raw);
            let _ = date_time(&raw);
            let _ = date(&raw);
            let _ = json::<serde_json::Value>(&raw);
        }

        #[test]
        fn integers_round_trip(n in any::<i64>()) {
            prop_assert_eq!(integer::<i64>(&n.to_string()), Ok(n));
        }
    }
}
