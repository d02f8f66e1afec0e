//! Request encoding.

use reqwest::header::HeaderValue;

use super::Error;

/// Percent-encodes one path parameter (everything but RFC 3986 unreserved bytes).
///
/// ```
/// assert_eq!(codegen_runtime::client::encode::path("a/b c"), "a%2Fb%20c");
/// ```
pub fn path(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A path parameter as its percent-encoded segment text: [`path`] of [`param`].
pub fn segment<T: serde::Serialize + ?Sized>(value: &T) -> String {
    path(&param(value))
}

/// A parameter value as text: strings as they are, everything else as its JSON form.
pub fn param<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A request's query parameters, in the order the operation declares
/// them; added to the request only when there are any.
#[derive(Debug, Default)]
pub struct Query(Vec<(&'static str, String)>);

impl Query {
    /// No parameters yet.
    pub fn new() -> Self {
        Query(Vec::new())
    }

    /// `name=value` (see [`param`]).
    pub fn one<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.0.push((name, param(value)));
    }

    /// `name=value` when there is a value.
    pub fn opt<T: serde::Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.one(name, value);
        }
    }

    /// `name=a&name=b` (an exploded form array).
    pub fn each<T: serde::Serialize>(&mut self, name: &'static str, values: &[T]) {
        for value in values {
            self.one(name, value);
        }
    }

    /// `name=a,b` (a form array without `explode`), when there is a list.
    pub fn joined<T: serde::Serialize>(&mut self, name: &'static str, values: Option<&[T]>) {
        if let Some(values) = values {
            let text: Vec<String> = values.iter().map(param).collect();
            self.0.push((name, text.join(",")));
        }
    }

    /// `name=text` as it is (an API key).
    pub fn text(&mut self, name: &'static str, text: &str) {
        self.0.push((name, text.to_string()));
    }

    /// The request with these parameters (unchanged when there are none).
    pub fn apply(self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        if self.0.is_empty() {
            request
        } else {
            request.query(&self.0)
        }
    }
}

/// A header value, or an [`Error::InvalidRequest`] naming the header.
pub fn header(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| {
        Error::InvalidRequest(format!(
            "header `{name}` holds characters a header cannot carry"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn query_keeps_order_and_skips_absent_values() {
        let mut q = Query::new();
        q.one("a", &1);
        q.opt("b", &None::<u8>);
        q.opt("c", &Some("x y"));
        q.each("d", &[1, 2]);
        q.joined("e", Some(&["p", "q"][..]));
        q.joined::<u8>("f", None);
        q.text("key", "k");
        let pairs: Vec<(&str, &str)> = q.0.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("a", "1"),
                ("c", "x y"),
                ("d", "1"),
                ("d", "2"),
                ("e", "p,q"),
                ("key", "k")
            ]
        );
    }

    #[test]
    fn params_are_text_or_json() {
        assert_eq!(param("x y"), "x y");
        assert_eq!(param(&3), "3");
        assert_eq!(param(&true), "true");
        assert!(header("x", "a\nb").is_err());
    }

    proptest! {
        #[test]
        fn path_encoding_round_trips(value in ".*") {
            let encoded = path(&value);
            prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
            let decoded = crate_decode(&encoded);
            prop_assert_eq!(decoded, value);
        }
    }

    fn crate_decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }
}
