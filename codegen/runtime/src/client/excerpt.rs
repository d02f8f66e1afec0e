//! The excerpt of an undocumented answer's body that the client's `Error`
//! shows: short, on one line, secrets out.

use serde_json::Value;

/// Characters an excerpt keeps.
const MAX_CHARS: usize = 200;

/// Parts of JSON keys whose values are secrets (compared lowercase,
/// without `-` and `_`: `Api-Key` and `api_key` are `apikey`).
const SECRET_KEYS: [&str; 9] = [
    "token",
    "secret",
    "password",
    "passwd",
    "authorization",
    "apikey",
    "credential",
    "cookie",
    "session",
];

/// A one-line excerpt of `body`: JSON with the values of secret-looking
/// keys redacted, else UTF-8 text; `None` for an empty or binary body.
pub(crate) fn body_excerpt(body: &[u8]) -> Option<String> {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(mut value) => {
            redact(&mut value);
            value.to_string()
        }
        Err(_) => std::str::from_utf8(body).ok()?.to_string(),
    };
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let trimmed = one_line.trim();
    if trimmed.is_empty() {
        return None;
    }
    Some(match trimmed.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}...", &trimmed[..cut]),
        None => trimmed.to_string(),
    })
}

/// Replaces the values of secret-looking keys, at any depth (iteratively:
/// a body's depth is the server's to choose).
fn redact(value: &mut Value) {
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    let key: String = key
                        .chars()
                        .filter(|c| !matches!(c, '-' | '_'))
                        .map(|c| c.to_ascii_lowercase())
                        .collect();
                    if SECRET_KEYS.iter().any(|s| key.contains(s)) {
                        *v = Value::String("<redacted>".into());
                    } else {
                        stack.push(v);
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_secrets_are_redacted_at_any_depth() {
        let body = br#"{"error":"denied","detail":{"access_token":"abc123","Api-Key":"k"},"items":[{"password":"p"}]}"#;
        let excerpt = body_excerpt(body).unwrap();
        assert!(excerpt.contains("denied"), "{excerpt}");
        for secret in ["abc123", "\"k\"", "\"p\""] {
            assert!(!excerpt.contains(secret), "{excerpt}");
        }
    }

    #[test]
    fn text_is_one_bounded_line_and_binary_is_nothing() {
        let excerpt =
            body_excerpt(format!("<html>\n{}</html>", "x".repeat(500)).as_bytes()).unwrap();
        assert!(
            !excerpt.contains('\n')
                && excerpt.ends_with("...")
                && excerpt.chars().count() == MAX_CHARS + 3
        );
        assert_eq!(body_excerpt(&[0xff, 0xfe]), None);
        assert_eq!(body_excerpt(b"  "), None);
    }
}
