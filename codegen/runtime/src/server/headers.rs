//! Request header values and the media type.

use axum::http::HeaderMap;

use super::{violation, Violation};

/// A header's text; a value that is not visible ASCII is a violation of
/// `header.<name>`.
pub fn text<'h>(headers: &'h HeaderMap, name: &str, out: &mut Vec<Violation>) -> Option<&'h str> {
    let value = headers.get(name)?;
    match value.to_str() {
        Ok(text) => Some(text),
        Err(_) => {
            out.push(violation(
                &format!("header.{name}"),
                "must be visible ASCII",
            ));
            None
        }
    }
}

/// A list header's comma-separated items (trimmed).
pub fn items<'h>(headers: &'h HeaderMap, name: &str, out: &mut Vec<Violation>) -> Vec<&'h str> {
    text(headers, name, out)
        .map(|v| v.split(',').map(str::trim).collect())
        .unwrap_or_default()
}

/// The request's media type, lower case, without parameters.
pub fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers
        .get(axum::http::header::CONTENT_TYPE)?
        .to_str()
        .ok()?;
    Some(
        value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

/// The `Content-Length` a request declares, if it is a number.
pub fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(axum::http::header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// The request's `Accept`, when it allows one of `offered` (or says
/// nothing); else the `406` answer naming what is offered.
pub fn accept(
    headers: &HeaderMap,
    offered: &[&str],
) -> Result<crate::Accept, axum::response::Response> {
    let value = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    let accept = crate::Accept::parse(value);
    if offered.iter().any(|m| accept.allows(m)) {
        Ok(accept)
    } else {
        Err(axum::response::IntoResponse::into_response(
            super::Problem::new(
                406,
                "not_acceptable",
                format!("this operation answers {}", offered.join(" or ")),
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn list_items_are_trimmed_and_bad_bytes_are_violations() {
        let mut headers = HeaderMap::new();
        headers.insert("x-list", HeaderValue::from_static("a, b ,c"));
        headers.insert("x-bad", HeaderValue::from_bytes(b"\xff").unwrap());
        let mut out = Vec::new();
        assert_eq!(items(&headers, "x-list", &mut out), ["a", "b", "c"]);
        assert_eq!(text(&headers, "x-bad", &mut out), None);
        assert_eq!(out, [violation("header.x-bad", "must be visible ASCII")]);
        assert_eq!(text(&headers, "x-none", &mut out), None);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn media_type_drops_parameters() {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static("Application/JSON; charset=utf-8"),
        );
        assert_eq!(media_type(&headers).as_deref(), Some("application/json"));
    }
}
