//! Query strings, decoded as HTML forms decode them.

use std::borrow::Cow;

/// A query string's `name=value` pairs, form-decoded (`+` is a space, bad
/// UTF-8 is replaced); borrowed from the URI unless a component needs
/// decoding. Empty pairs (`a=1&&b=2`) are skipped.
///
/// ```
/// use codegen_runtime::server::query::{pairs, values};
/// let q = pairs(Some("tag=a+b&tag=%C3%A9&page=2"));
/// assert_eq!(values(&q, "tag").collect::<Vec<_>>(), ["a b", "é"]);
/// ```
pub fn pairs(query: Option<&str>) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (form_decode(key), form_decode(value))
        })
        .collect()
}

/// One form-encoded component: `+` is a space, `%XX` a byte; a `%` not
/// followed by two hex digits stays as it is.
pub fn form_decode(text: &str) -> Cow<'_, str> {
    if !text.contains(['%', '+']) {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) {
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// A 3.2 `in: querystring` parameter: the whole query string decoded as
/// one form into `T` (a flat object). An absent or empty query string is
/// `None` unless the parameter is `required` (then the empty form is
/// decoded, so an object without required properties is still given); a
/// query string `T` cannot hold is a violation of `query`.
///
/// ```
/// use codegen_runtime::server::{query::form, Presence};
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct Filter { tag: String, page: Option<u32> }
/// let mut violations = Vec::new();
/// let f: Option<Filter> = form(Some("tag=a+b&page=2"), Presence::Optional, &mut violations);
/// assert_eq!(f, Some(Filter { tag: "a b".into(), page: Some(2) }));
/// let bad: Option<Filter> = form(Some("page=two"), Presence::Optional, &mut violations);
/// assert_eq!(bad, None);
/// assert_eq!(violations[0].field, "query");
/// ```
pub fn form<T: serde::de::DeserializeOwned>(
    query: Option<&str>,
    presence: super::Presence,
    violations: &mut Vec<super::Violation>,
) -> Option<T> {
    let text = query.unwrap_or("");
    if text.is_empty() && !presence.is_required() {
        return None;
    }
    match serde_urlencoded::from_str(text) {
        Ok(value) => Some(value),
        Err(e) => {
            violations.push(super::violation(
                "query",
                format!("the query string is not a valid form: {e}"),
            ));
            None
        }
    }
}

/// The values given for one query parameter, in order.
pub fn values<'q>(
    pairs: &'q [(Cow<'q, str>, Cow<'q, str>)],
    name: &'q str,
) -> impl Iterator<Item = &'q str> + 'q {
    pairs
        .iter()
        .filter(move |(k, _)| k == name)
        .map(|(_, v)| v.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decodes_escapes_and_keeps_bad_ones() {
        assert_eq!(form_decode("a%20b+c"), "a b c");
        assert_eq!(form_decode("100%"), "100%");
        assert_eq!(form_decode("%zz"), "%zz");
        assert_eq!(form_decode("%FF"), "\u{FFFD}");
        assert!(matches!(form_decode("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn a_key_without_value_is_empty() {
        let q = pairs(Some("flag&x=1&&"));
        assert_eq!(q.len(), 2);
        assert_eq!(values(&q, "flag").collect::<Vec<_>>(), [""]);
    }

    /// The encoding a client applies: everything but unreserved bytes escaped.
    fn encode(text: &str) -> String {
        text.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }

    proptest! {
        #[test]
        fn never_panics(text in ".*") {
            let _ = pairs(Some(&text));
        }

        #[test]
        fn round_trips_what_a_client_encodes(key in "[a-z]{1,8}", value in ".*") {
            let query = format!("{}={}", encode(&key), encode(&value));
            let q = pairs(Some(&query));
            prop_assert_eq!(values(&q, &key).collect::<Vec<_>>(), vec![value.as_str()]);
        }
    }
}
