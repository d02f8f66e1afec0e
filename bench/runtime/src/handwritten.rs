//! A hand-written, minimal Axum handler for `GET /me/tokens`: the baseline
//! the generated server is measured against.
//!
//! It does the work `generated::demo::TokenService` does for this route
//! (bearer check against a SHA-256 digest, scope check, query parsing, sort,
//! filter, page, JSON answer with the same fields and values) with nothing
//! generated: serde structs and extractors written by hand, no validation
//! beyond what serde does. `bench/run.sh` checks that both servers answer the
//! benchmark request with the same JSON before it measures them.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const USER_ID: &str = "5f0c0ffee0ddba11c0ffee00";
const DEMO_SCOPE: &str = "all.User";
const ACCEPTED_SCOPES: [&str; 4] = [
    "all.User",
    "all.User.read",
    "userApiTokens.*",
    "userApiTokens.get",
];

struct Token {
    id: String,
    name: String,
    description: String,
    active: bool,
    scope: Vec<String>,
    created: DateTime<Utc>,
    updated: DateTime<Utc>,
    expires: Option<DateTime<Utc>>,
}

struct Store {
    /// Copy every string into the answer (as the generated traits' owned
    /// response types make `generated::demo` do) instead of borrowing.
    owned: bool,
    demo_digest: [u8; 32],
    tokens: Mutex<Vec<Token>>,
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn digest(s: &str) -> [u8; 32] {
    Sha256::digest(s.as_bytes()).into()
}

/// The same three tokens as `generated::demo`'s seed.
fn seed() -> Vec<Token> {
    let token = |id: &str,
                 name: &str,
                 description: &str,
                 active: bool,
                 scope: &str,
                 created: &str,
                 updated: &str,
                 expires: Option<&str>| Token {
        id: id.into(),
        name: name.into(),
        description: description.into(),
        active,
        scope: vec![scope.into()],
        created: at(created),
        updated: at(updated),
        expires: expires.map(at),
    };
    vec![
        token(
            "5f0c0ffee0ddba11c0ffee01",
            "build-server",
            "Used by the build server to publish firmware",
            true,
            "all.User",
            "2024-01-15T09:30:00Z",
            "2024-01-15T09:30:00Z",
            Some("2030-01-01T00:00:00Z"),
        ),
        token(
            "5f0c0ffee0ddba11c0ffee02",
            "grafana-readonly",
            "Dashboards read their data with this one",
            true,
            "all.User.read",
            "2024-03-02T14:05:00Z",
            "2024-05-20T08:00:00Z",
            None,
        ),
        token(
            "5f0c0ffee0ddba11c0ffee03",
            "old-laptop",
            "Retired with the old laptop",
            false,
            "all.User",
            "2023-06-10T17:45:00Z",
            "2024-02-01T10:00:00Z",
            Some("2024-06-10T00:00:00Z"),
        ),
    ]
}

/// `GET /me/tokens` only. With `owned`, the answer holds copies of the
/// stored strings instead of borrowing them.
pub fn router(owned: bool) -> Router {
    let store = Arc::new(Store {
        owned,
        demo_digest: digest(crate::DEMO_TOKEN),
        tokens: Mutex::new(seed()),
    });
    Router::new()
        .route(crate::ROUTE, get(list_tokens))
        .with_state(store)
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
enum SortField {
    Name,
    Status,
    Id,
    CreationDate,
    LastUpdated,
    ExpirationDate,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
enum Direction {
    Asc,
    Desc,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
enum FilterField {
    Name,
    Status,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListQuery {
    sort_field: Option<SortField>,
    sort_direction: Option<Direction>,
    page: Option<u64>,
    per_page: Option<u64>,
    filter_field: Option<FilterField>,
    filter: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenView<'a> {
    id: Cow<'a, str>,
    api_token_id: Cow<'a, str>,
    owner_id: &'static str,
    owner_type: &'static str,
    creator_id: &'static str,
    creator_type: &'static str,
    creator_name: &'static str,
    name: Cow<'a, str>,
    description: Cow<'a, str>,
    creation_date: DateTime<Utc>,
    last_updated: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration_date: Option<DateTime<Utc>>,
    scope: Cow<'a, [String]>,
    status: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Page<'a> {
    items: Vec<TokenView<'a>>,
    count: usize,
    total_count: usize,
    per_page: u64,
    page: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    filter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filter_field: Option<FilterField>,
    sort_field: SortField,
    sort_direction: Direction,
    owner_id: &'static str,
    owner_type: &'static str,
}

fn problem(status: StatusCode, error: &str, message: &str) -> Response {
    let body = serde_json::json!({ "status": status.as_u16(), "error": error, "message": message });
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
    }
    response
}

fn text(owned: bool, s: &str) -> Cow<'_, str> {
    if owned {
        Cow::Owned(s.to_owned())
    } else {
        Cow::Borrowed(s)
    }
}

fn status_of(t: &Token) -> &'static str {
    if t.active {
        "active"
    } else {
        "inactive"
    }
}

/// `*` matches any run of characters; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

async fn list_tokens(
    State(store): State<Arc<Store>>,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(bearer) = bearer else {
        return problem(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a bearer token is required",
        );
    };
    if digest(bearer) != store.demo_digest {
        return problem(StatusCode::UNAUTHORIZED, "unauthorized", "unknown token");
    }
    if !ACCEPTED_SCOPES.contains(&DEMO_SCOPE) {
        return problem(StatusCode::FORBIDDEN, "forbidden", "missing scope");
    }
    let sort_field = query.sort_field.unwrap_or(SortField::Name);
    let direction = query.sort_direction.unwrap_or(Direction::Asc);
    let page = query.page.unwrap_or(0);
    let per_page = query.per_page.unwrap_or(100).clamp(1, 1000);
    let filter = query.filter.filter(|f| !f.is_empty());

    let tokens = store.tokens.lock().unwrap_or_else(|e| e.into_inner());
    let mut matching: Vec<&Token> = tokens
        .iter()
        .filter(|t| match (query.filter_field, filter.as_deref()) {
            (Some(FilterField::Name), Some(p)) => glob(p, &t.name),
            (Some(FilterField::Status), Some(p)) => glob(p, status_of(t)),
            _ => true,
        })
        .collect();
    matching.sort_by(|a, b| {
        let order = match sort_field {
            SortField::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            SortField::Status => status_of(a).cmp(status_of(b)),
            SortField::Id => a.id.cmp(&b.id),
            SortField::CreationDate => a.created.cmp(&b.created),
            SortField::LastUpdated => a.updated.cmp(&b.updated),
            SortField::ExpirationDate => a.expires.cmp(&b.expires),
        }
        .then_with(|| a.id.cmp(&b.id));
        match direction {
            Direction::Asc => order,
            Direction::Desc => order.reverse(),
        }
    });
    let total = matching.len();
    let skip = usize::try_from(page.saturating_mul(per_page)).unwrap_or(usize::MAX);
    let items: Vec<TokenView<'_>> = matching
        .into_iter()
        .skip(skip)
        .take(per_page as usize)
        .map(|t| TokenView {
            id: text(store.owned, &t.id),
            api_token_id: text(store.owned, &t.id),
            owner_id: USER_ID,
            owner_type: "user",
            creator_id: USER_ID,
            creator_type: "user",
            creator_name: "Demo User",
            name: text(store.owned, &t.name),
            description: text(store.owned, &t.description),
            creation_date: t.created,
            last_updated: t.updated,
            expiration_date: t.expires,
            scope: if store.owned {
                Cow::Owned(t.scope.clone())
            } else {
                Cow::Borrowed(&t.scope)
            },
            status: status_of(t),
        })
        .collect();
    let body = Page {
        count: items.len(),
        items,
        total_count: total,
        per_page,
        page,
        filter,
        filter_field: query.filter_field,
        sort_field,
        sort_direction: direction,
        owner_id: USER_ID,
        owner_type: "user",
    };
    Json(body).into_response()
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn glob_matches_like_the_demo() {
        assert!(glob("my*token", "my-api-token"));
        assert!(glob("*", "anything"));
        assert!(glob("build-server", "build-server"));
        assert!(!glob("build", "build-server"));
        assert!(glob("*server", "build-server"));
        assert!(!glob("a*b*c", "a-b"));
    }
}
