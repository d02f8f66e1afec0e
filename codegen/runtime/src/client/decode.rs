//! Response decoding.

use reqwest::header::HeaderMap;

use super::{Error, ErrorKind};

/// A response read whole: status, headers, body.
pub type Read = (u16, Box<HeaderMap>, Vec<u8>);

/// Reads a response's status, headers and whole body.
pub async fn read(mut response: reqwest::Response) -> Result<Read, Error> {
    let status = response.status().as_u16();
    // Taken, not cloned: the response is consumed below anyway.
    let headers = Box::new(std::mem::take(response.headers_mut()));
    // `Vec::from(Bytes)` reuses a uniquely owned buffer instead of copying.
    let body = Vec::from(response.bytes().await.map_err(Error::transport)?);
    Ok((status, headers, body))
}

/// A JSON body as `T`; a mismatch is an [`ErrorKind::Decode`] that says where
/// (the JSON path and the position), without quoting the body (it may
/// hold secrets; serde's own messages quote values).
pub fn json<T: serde::de::DeserializeOwned>(
    status: u16,
    headers: Box<HeaderMap>,
    body: Vec<u8>,
) -> Result<T, Error> {
    match serde_json::from_slice(&body) {
        Ok(value) => Ok(value),
        Err(e) => {
            // Tracking the path costs a string per key: only for a body
            // that failed, read again.
            let path = failing_path::<T>(&body);
            let at = if path.is_empty() || path == "." {
                String::new()
            } else {
                format!("at `{path}`: ")
            };
            let reason = format!(
                "{at}{:?} error at line {} column {}",
                e.classify(),
                e.line(),
                e.column()
            );
            Err(ErrorKind::Decode {
                status,
                headers,
                body,
                reason,
            }
            .into())
        }
    }
}

/// Where reading `body` as `T` fails, as a JSON path (`items[1].id`;
/// empty at the root or past the value).
fn failing_path<T: serde::de::DeserializeOwned>(body: &[u8]) -> String {
    let mut reader = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut reader) {
        Ok(_) => String::new(),
        Err(e) => e.path().to_string(),
    }
}

/// The error of a status the operation does not document.
pub fn unexpected<T>(status: u16, headers: Box<HeaderMap>, body: Vec<u8>) -> Result<T, Error> {
    Err(ErrorKind::UnexpectedStatus {
        status,
        headers,
        body,
    }
    .into())
}

/// A text body; bytes that are not UTF-8 are an [`ErrorKind::Decode`].
pub fn text(status: u16, headers: Box<HeaderMap>, body: Vec<u8>) -> Result<String, Error> {
    match String::from_utf8(body) {
        Ok(text) => Ok(text),
        Err(e) => Err(ErrorKind::Decode {
            status,
            headers,
            body: e.into_bytes(),
            reason: "body is not UTF-8 text".to_string(),
        }
        .into()),
    }
}

/// A documented response header's text, if present and visible ASCII.
pub fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name)?.to_str().ok().map(str::to_string)
}

/// A documented response header's value; `None` if absent or unparsable.
pub fn header_parsed<T: std::str::FromStr>(headers: &HeaderMap, name: &str) -> Option<T> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// A response's body as it arrives, for an answer that streams.
pub fn stream(response: reqwest::Response) -> crate::ByteStream {
    crate::ByteStream::new(response.bytes_stream())
}

/// The essence of a response's `Content-Type` (no parameters, lowercase;
/// empty without one): which representation came.
pub fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// A copy of a response's headers, read before its body streams.
pub fn head(response: &reqwest::Response) -> Box<HeaderMap> {
    Box::new(response.headers().clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Items {
        items: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: u32,
    }

    #[test]
    fn decode_errors_keep_the_body_but_do_not_quote_it() {
        let e = json::<u32>(200, Box::default(), b"\"secret\"".to_vec()).unwrap_err();
        let ErrorKind::Decode { reason, body, .. } = e.into_kind() else {
            panic!("not a decode error")
        };
        assert!(!reason.contains("secret"));
        assert_eq!(body, b"\"secret\"");
        let nested = br#"{"items":[{"id":1},{"id":"secret"}]}"#.to_vec();
        let e = json::<Items>(200, Box::default(), nested).unwrap_err();
        let ErrorKind::Decode { reason, .. } = e.into_kind() else {
            panic!("not a decode error")
        };
        assert_eq!(reason, "at `items[1].id`: Data error at line 1 column 33");
        assert!(text(200, Box::default(), vec![0xff]).is_err());
    }

    #[test]
    fn headers_parse_or_are_absent() {
        let mut headers = HeaderMap::new();
        headers.insert("x-n", " 42 ".parse().unwrap());
        assert_eq!(header_parsed::<u32>(&headers, "x-n"), Some(42));
        assert_eq!(header_parsed::<u32>(&headers, "x-m"), None);
        assert_eq!(header_text(&headers, "x-n").as_deref(), Some(" 42 "));
    }

    proptest! {
        #[test]
        fn json_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = json::<serde_json::Value>(200, Box::default(), bytes);
        }
    }
}
