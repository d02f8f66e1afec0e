//! Credentials as a request presents them. `Debug` never prints a secret.

use axum::http::HeaderMap;

/// A bearer token from `Authorization: Bearer ...`. `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct BearerToken(pub String);

impl std::fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

/// User name and password from `Authorization: Basic ...`. `Debug` hides the password.
#[derive(Clone, PartialEq, Eq)]
pub struct BasicCredentials {
    /// The user name.
    pub username: String,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for BasicCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BasicCredentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// An API key from its header or query parameter. `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(pub String);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// `Authorization: Bearer <token>` (scheme case-insensitive, token not empty).
pub fn bearer(headers: &HeaderMap) -> Option<BearerToken> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty())
        .then(|| BearerToken(token.to_string()))
}

/// `Authorization: Basic <base64 of user:password>`.
pub fn basic(headers: &HeaderMap) -> Option<BasicCredentials> {
    use base64::Engine as _;
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (username, password) = text.split_once(':')?;
    Some(BasicCredentials {
        username: username.to_string(),
        password: password.to_string(),
    })
}

/// An API key in the header `name` (not empty once trimmed).
pub fn api_key(headers: &HeaderMap, name: &str) -> Option<ApiKey> {
    let value = headers.get(name)?.to_str().ok()?.trim();
    (!value.is_empty()).then(|| ApiKey(value.to_string()))
}

/// An API key in the cookie `name` (first of the `Cookie` headers' pairs
/// with that name, not empty).
pub fn api_key_in_cookie(headers: &HeaderMap, name: &str) -> Option<ApiKey> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().trim_matches('"'))
        .filter(|v| !v.is_empty())
        .map(|v| ApiKey(v.to_string()))
}

/// An API key in the query parameter `name` (first value, not empty).
pub fn api_key_in_query(
    pairs: &[(std::borrow::Cow<'_, str>, std::borrow::Cow<'_, str>)],
    name: &str,
) -> Option<ApiKey> {
    super::query::values(pairs, name)
        .next()
        .filter(|v| !v.is_empty())
        .map(|v| ApiKey(v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn auth(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::AUTHORIZATION,
            HeaderValue::from_static(value),
        );
        headers
    }

    #[test]
    fn extracts_each_kind() {
        assert_eq!(bearer(&auth("bearer abc")), Some(BearerToken("abc".into())));
        assert_eq!(bearer(&auth("Bearer  ")), None);
        // "user:pa:ss"
        let creds = basic(&auth("Basic dXNlcjpwYTpzcw==")).unwrap();
        assert_eq!(
            (creds.username.as_str(), creds.password.as_str()),
            ("user", "pa:ss")
        );
        assert_eq!(basic(&auth("Basic !!!")), None);
        assert!(!format!("{creds:?}").contains("pa:ss"));
        assert_eq!(format!("{:?}", ApiKey("k".into())), "ApiKey(<redacted>)");
    }

    #[test]
    fn a_cookie_key_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        let cookie = axum::http::header::COOKIE;
        headers.append(cookie.clone(), HeaderValue::from_static("theme=dark"));
        headers.append(cookie, HeaderValue::from_static("a=1; sid=\"abc\" ;empty="));
        assert_eq!(
            api_key_in_cookie(&headers, "sid"),
            Some(ApiKey("abc".into()))
        );
        assert_eq!(api_key_in_cookie(&headers, "empty"), None);
        assert_eq!(api_key_in_cookie(&headers, "id"), None);
    }
}
