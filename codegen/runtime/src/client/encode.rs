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
