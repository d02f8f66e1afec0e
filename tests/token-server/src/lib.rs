//! A hand-written, in-memory implementation of the `tokens` server traits.
//!
//! This crate is **not** generated: `cargo run -p codegen` never writes it. It
//! is built only on the generated [`generated::tokens::server`] traits and
//! [`generated::tokens::types`], and it is what the `token-server` binary serves.
//!
//! [`TokenService`](crate::TokenService) keeps every token in memory behind mutexes and stores
//! only the SHA-256 digest of each secret it hands out: a secret is shown
//! once, in the answer that creates it, and never again. Nothing here logs,
//! and no `Debug` output holds a secret.
//!
//! Demo credentials (see the constants below):
//!
//! | API | scheme | credential |
//! | --- | --- | --- |
//! | Losant (`/me/tokens`) | `Authorization: Bearer` | [`LOSANT_DEMO_TOKEN`](crate::LOSANT_DEMO_TOKEN) (scope `all.User`), or any token created with `POST /me/tokens` |
//! | Foreman (`/api/users/{user_id}/personal_access_tokens`) | `Authorization: Basic` | [`FOREMAN_DEMO_USER`](crate::FOREMAN_DEMO_USER) / [`FOREMAN_DEMO_PASSWORD`](crate::FOREMAN_DEMO_PASSWORD); a live personal access token of that user may stand in for the password |
//! | Mindbody (`/public/v6/usertoken/...`) | `API-Key` header | [`MINDBODY_DEMO_API_KEY`](crate::MINDBODY_DEMO_API_KEY); staff user [`MINDBODY_DEMO_USERNAME`](crate::MINDBODY_DEMO_USERNAME) / [`MINDBODY_DEMO_PASSWORD`](crate::MINDBODY_DEMO_PASSWORD) |

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration as Delay;

use base64::Engine as _;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use sha2::{Digest, Sha256};

use generated::tokens::server::{
    Credentials, Outcome, PersonalAccessTokens, PersonalAccessTokensCreateInput,
    PersonalAccessTokensListInput, PersonalAccessTokensRevokeInput, PersonalAccessTokensShowInput,
    Problem, UserApiToken, UserApiTokenDeleteInput, UserApiTokenGetInput, UserApiTokenPatchInput,
    UserApiTokens, UserApiTokensGetInput, UserApiTokensPostInput, UserToken, UserTokenIssueInput,
    UserTokenRevokeInput,
};
use generated::tokens::types;

/// Losant: the bearer token that always works; it holds the scope `all.User`.
pub const LOSANT_DEMO_TOKEN: &str = "demo-losant-token";
/// Losant: the scopes of [`LOSANT_DEMO_TOKEN`].
pub const LOSANT_DEMO_SCOPE: &str = "all.User";
/// Losant: the id of the demo user who owns every API token.
pub const LOSANT_DEMO_USER_ID: &str = "5f0c0ffee0ddba11c0ffee00";
/// Losant: the ids of the seeded API tokens (`build-server`, `grafana-readonly`, `old-laptop`).
pub const LOSANT_SEEDED_TOKEN_IDS: [&str; 3] = [
    "5f0c0ffee0ddba11c0ffee01",
    "5f0c0ffee0ddba11c0ffee02",
    "5f0c0ffee0ddba11c0ffee03",
];
/// Foreman: the demo administrator's login (user id 1).
pub const FOREMAN_DEMO_USER: &str = "admin";
/// Foreman: the demo administrator's password.
pub const FOREMAN_DEMO_PASSWORD: &str = "changeme";
/// Mindbody: the only API key accepted.
pub const MINDBODY_DEMO_API_KEY: &str = "demo-api-key";
/// Mindbody: the demo staff user's name.
pub const MINDBODY_DEMO_USERNAME: &str = "owner";
/// Mindbody: the demo staff user's password.
pub const MINDBODY_DEMO_PASSWORD: &str = "demo-password";

/// Foreman's page size when `per_page` is not given (its `entries_per_page` setting).
const FOREMAN_DEFAULT_PER_PAGE: i64 = 20;
/// Losant's page size when `perPage` is not given.
const LOSANT_DEFAULT_PER_PAGE: u64 = 100;
/// The largest `perPage` Losant accepts.
const LOSANT_MAX_PER_PAGE: u64 = 1000;
/// How long a Mindbody staff user token lives.
const MINDBODY_TOKEN_LIFETIME_HOURS: i64 = 24;

/// An in-memory implementation of all four token resources
/// ([`UserApiToken`], [`UserApiTokens`], [`PersonalAccessTokens`], [`UserToken`]).
///
/// Thread-safe (one mutex per vendor); [`TokenService::new`] seeds demo data.
///
/// ```no_run
/// use std::sync::Arc;
/// let app = generated::tokens::server::router(Arc::new(token_server::TokenService::new()));
/// # let _ = app;
/// ```
pub struct TokenService {
    /// How long every answer waits (see [`TokenService::with_delay`]).
    delay: Delay,
    losant: Mutex<LosantState>,
    foreman: Mutex<ForemanState>,
    mindbody: Mutex<MindbodyState>,
}

impl Default for TokenService {
    fn default() -> Self {
        Self::new()
    }
}

/// Counts only: no secret, no digest.
impl fmt::Debug for TokenService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenService")
            .field("losant_api_tokens", &lock(&self.losant).tokens.len())
            .field(
                "foreman_personal_access_tokens",
                &lock(&self.foreman).tokens.len(),
            )
            .field("mindbody_staff_tokens", &lock(&self.mindbody).tokens.len())
            .finish()
    }
}

impl TokenService {
    /// A service seeded with demo data: three Losant API tokens, two Foreman
    /// users (`1` = `admin`, `2` = `viewer`) with four personal access tokens,
    /// and no Mindbody staff token. The seeded tokens' secrets are known to
    /// nobody (they were "shown once" before this process started).
    pub fn new() -> Self {
        TokenService {
            delay: Delay::ZERO,
            losant: Mutex::new(LosantState::seeded()),
            foreman: Mutex::new(ForemanState::seeded()),
            mindbody: Mutex::new(MindbodyState::default()),
        }
    }

    /// The same service, answering every request `delay` later: a slow
    /// backend, for exercising timeouts and graceful shutdown under load.
    pub fn with_delay(mut self, delay: Delay) -> Self {
        self.delay = delay;
        self
    }

    /// `outcome`, after the configured delay (none by default).
    fn answer<T: Send>(&self, outcome: T) -> impl Future<Output = T> + Send {
        let delay = self.delay;
        async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            outcome
        }
    }
}

// ---------------------------------------------------------------------------
// Trait implementations: each one runs synchronously under a lock and answers
// a future that is ready unless a delay is set (no lock is held across an
// `.await`).

impl UserApiToken for TokenService {
    fn get(
        &self,
        input: UserApiTokenGetInput,
    ) -> impl Future<Output = Outcome<types::UserApiTokenGetResponse>> + Send {
        self.answer(self.losant_get(input))
    }

    fn delete(
        &self,
        input: UserApiTokenDeleteInput,
    ) -> impl Future<Output = Outcome<types::UserApiTokenDeleteResponse>> + Send {
        self.answer(self.losant_delete(input))
    }

    fn patch(
        &self,
        input: UserApiTokenPatchInput,
    ) -> impl Future<Output = Outcome<types::UserApiTokenPatchResponse>> + Send {
        self.answer(self.losant_patch(input))
    }
}

impl UserApiTokens for TokenService {
    fn get(
        &self,
        input: UserApiTokensGetInput,
    ) -> impl Future<Output = Outcome<types::UserApiTokensGetResponse>> + Send {
        self.answer(self.losant_list(input))
    }

    fn post(
        &self,
        input: UserApiTokensPostInput,
    ) -> impl Future<Output = Outcome<types::UserApiTokensPostResponse>> + Send {
        self.answer(self.losant_create(input))
    }
}

impl PersonalAccessTokens for TokenService {
    fn list(
        &self,
        input: PersonalAccessTokensListInput,
    ) -> impl Future<Output = Outcome<types::PersonalAccessTokensListResponse>> + Send {
        self.answer(self.foreman_list(input))
    }

    fn create(
        &self,
        input: PersonalAccessTokensCreateInput,
    ) -> impl Future<Output = Outcome<types::PersonalAccessTokensCreateResponse>> + Send {
        self.answer(self.foreman_create(input))
    }

    fn show(
        &self,
        input: PersonalAccessTokensShowInput,
    ) -> impl Future<Output = Outcome<types::PersonalAccessTokensShowResponse>> + Send {
        self.answer(self.foreman_show(input))
    }

    fn revoke(
        &self,
        input: PersonalAccessTokensRevokeInput,
    ) -> impl Future<Output = Outcome<types::PersonalAccessTokensRevokeResponse>> + Send {
        self.answer(self.foreman_revoke(input))
    }
}

impl UserToken for TokenService {
    fn issue(
        &self,
        input: UserTokenIssueInput,
    ) -> impl Future<Output = Outcome<types::UserTokenIssueResponse>> + Send {
        self.answer(self.mindbody_issue(input))
    }

    fn revoke(
        &self,
        input: UserTokenRevokeInput,
    ) -> impl Future<Output = Outcome<types::UserTokenRevokeResponse>> + Send {
        self.answer(self.mindbody_revoke(input))
    }
}

// ---------------------------------------------------------------------------
// Secrets, digests, time.

type Sha256Digest = [u8; 32];

fn sha256(secret: &str) -> Sha256Digest {
    Sha256::digest(secret.as_bytes()).into()
}

/// Compares two digests without an early exit.
fn digest_eq(a: &Sha256Digest, b: &Sha256Digest) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn random_bytes<const N: usize>() -> Result<[u8; N], Problem> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| {
        Problem::new(
            500,
            "internal_error",
            "the system's random source is unavailable",
        )
    })?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh secret: 32 random bytes, URL-safe base64 without padding (43 characters).
fn new_secret() -> Result<String, Problem> {
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

/// A seed timestamp (RFC 3339).
fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("seed timestamps are valid RFC 3339")
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Re-types a value between two generated types of the same JSON shape
/// (the generator emits one Rust type per inline schema, e.g.
/// `ApiTokenPostOrgRolesItem` and `ApiTokenOrgRolesItem`).
fn reshape<A: serde::Serialize, B: serde::de::DeserializeOwned>(value: &A) -> Result<B, Problem> {
    serde_json::to_value(value)
        .and_then(serde_json::from_value)
        .map_err(|e| {
            Problem::new(
                500,
                "internal_error",
                format!("cannot convert a value: {e}"),
            )
        })
}

// ---------------------------------------------------------------------------
// Losant: user API tokens.

struct LosantToken {
    id: String,
    name: String,
    description: Option<String>,
    status: types::ApiTokenStatus,
    scope: Vec<String>,
    default_role: Option<types::ApiTokenDefaultRole>,
    org_roles: Option<Vec<types::ApiTokenOrgRolesItem>>,
    creation_date: DateTime<Utc>,
    last_updated: DateTime<Utc>,
    expiration_date: Option<DateTime<Utc>>,
    /// `None` for seeded tokens, whose secret nobody knows.
    token_hash: Option<Sha256Digest>,
}

impl LosantToken {
    fn usable(&self, at: DateTime<Utc>) -> bool {
        self.status == types::ApiTokenStatus::Active && self.expiration_date.is_none_or(|e| e > at)
    }

    /// The token as the API renders it; `token` is only set by the caller, on creation.
    fn view(&self) -> types::ApiToken {
        types::ApiToken {
            id: Some(self.id.clone()),
            api_token_id: Some(self.id.clone()),
            owner_id: Some(LOSANT_DEMO_USER_ID.to_string()),
            owner_type: Some(types::ApiTokenOwnerType::User),
            creator_id: Some(LOSANT_DEMO_USER_ID.to_string()),
            creator_type: Some(types::ApiTokenCreatorType::User),
            creator_name: Some("Demo User".to_string()),
            name: Some(self.name.clone()),
            description: self.description.clone(),
            creation_date: Some(self.creation_date),
            last_updated: Some(self.last_updated),
            expiration_date: self.expiration_date,
            default_role: self.default_role.clone(),
            org_roles: self.org_roles.clone(),
            scope: Some(self.scope.clone()),
            status: Some(self.status.clone()),
            token: None,
        }
    }
}

struct LosantState {
    /// By id.
    tokens: BTreeMap<String, LosantToken>,
    demo_token_hash: Sha256Digest,
}

impl LosantState {
    fn seeded() -> Self {
        let seed = |id: &str,
                    name: &str,
                    description: &str,
                    status: types::ApiTokenStatus,
                    scope: &str,
                    created: &str,
                    updated: &str,
                    expires: Option<&str>| LosantToken {
            id: id.to_string(),
            name: name.to_string(),
            description: Some(description.to_string()),
            status,
            scope: vec![scope.to_string()],
            default_role: None,
            org_roles: None,
            creation_date: at(created),
            last_updated: at(updated),
            expiration_date: expires.map(at),
            token_hash: None,
        };
        let tokens = [
            seed(
                LOSANT_SEEDED_TOKEN_IDS[0],
                "build-server",
                "Used by the build server to publish firmware",
                types::ApiTokenStatus::Active,
                "all.User",
                "2024-01-15T09:30:00.000Z",
                "2024-01-15T09:30:00.000Z",
                Some("2030-01-01T00:00:00.000Z"),
            ),
            seed(
                LOSANT_SEEDED_TOKEN_IDS[1],
                "grafana-readonly",
                "Dashboards read their data with this one",
                types::ApiTokenStatus::Active,
                "all.User.read",
                "2024-03-02T14:05:00.000Z",
                "2024-05-20T08:00:00.000Z",
                None,
            ),
            seed(
                LOSANT_SEEDED_TOKEN_IDS[2],
                "old-laptop",
                "Retired with the old laptop",
                types::ApiTokenStatus::Inactive,
                "all.User",
                "2023-06-10T17:45:00.000Z",
                "2024-02-01T10:00:00.000Z",
                Some("2024-06-10T00:00:00.000Z"),
            ),
        ];
        LosantState {
            tokens: tokens.into_iter().map(|t| (t.id.clone(), t)).collect(),
            demo_token_hash: sha256(LOSANT_DEMO_TOKEN),
        }
    }

    /// The scopes the caller's bearer token holds; `401` if it is not a live token.
    fn scopes_of(&self, credentials: &Credentials) -> Result<Vec<String>, Problem> {
        let Credentials::LosantBearer(bearer) = credentials else {
            return Err(Problem::unauthorized("a Losant bearer token is required"));
        };
        let presented = sha256(&bearer.0);
        if digest_eq(&presented, &self.demo_token_hash) {
            return Ok(vec![LOSANT_DEMO_SCOPE.to_string()]);
        }
        let at = now();
        self.tokens
            .values()
            .find(|t| t.token_hash.is_some_and(|h| digest_eq(&h, &presented)))
            .filter(|t| t.usable(at))
            .map(|t| t.scope.clone())
            .ok_or_else(|| Problem::unauthorized("the API token is unknown, inactive or expired"))
    }

    /// `401` for an unknown token, `403` for one that holds none of `accepted`.
    fn authorize(
        &self,
        credentials: &Credentials,
        allow: fn(&[String]) -> bool,
        accepted: &[&str],
    ) -> Result<Vec<String>, Problem> {
        let held = self.scopes_of(credentials)?;
        if allow(&held) {
            Ok(held)
        } else {
            Err(Problem::forbidden(format!(
                "the API token holds none of the scopes this operation accepts: {}",
                accepted.join(", ")
            )))
        }
    }
}

fn losant_error(kind: &str, message: impl Into<String>) -> types::Error {
    types::Error {
        type_: Some(kind.to_string()),
        message: Some(message.into()),
    }
}

fn losant_not_found() -> types::Error {
    losant_error("NotFound", "API token was not found")
}

/// Losant ids are 24 hexadecimal characters; anything else is a malformed
/// request (400), not an unknown token (404).
fn losant_malformed_id(id: &str) -> Option<types::Error> {
    let well_formed = id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit());
    (!well_formed).then(|| {
        losant_error(
            "Validation",
            "apiTokenId must be a string of 24 hexadecimal characters",
        )
    })
}

/// A non-negative integer given as a string (`page`, `perPage`). The spec
/// types both as plain strings, so any text is valid input and must not be
/// refused: text that is not a number means the default, and a number too
/// large for `u64` saturates.
fn losant_number(value: Option<&str>, default: u64) -> u64 {
    match value {
        Some(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            text.parse().unwrap_or(u64::MAX)
        }
        _ => default,
    }
}

/// Glob matching for Losant's `filter`: `*` is any run, `?` any one character;
/// case-insensitive.
fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            backtrack = Some((pi, ti));
            pi += 1;
        } else if let Some((star, matched)) = backtrack {
            pi = star + 1;
            ti = matched + 1;
            backtrack = Some((star, matched + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The wire form of a requested scope (the generated type nests three enums).
fn scope_text(item: &types::ApiTokenPostScopeItem) -> Result<String, Problem> {
    match serde_json::to_value(item) {
        Ok(serde_json::Value::String(text)) => Ok(text),
        _ => Err(Problem::new(
            500,
            "internal_error",
            "a scope did not serialize as a string",
        )),
    }
}

impl TokenService {
    fn losant_get(&self, input: UserApiTokenGetInput) -> Outcome<types::UserApiTokenGetResponse> {
        use types::UserApiTokenGetResponse as R;
        let state = lock(&self.losant);
        state.authorize(
            &input.credentials,
            UserApiTokenGetInput::scopes_allow::<String>,
            UserApiTokenGetInput::ACCEPTED_SCOPES,
        )?;
        if let Some(error) = losant_malformed_id(&input.api_token_id) {
            return Ok(R::BadRequest(error));
        }
        Ok(match state.tokens.get(&input.api_token_id) {
            Some(token) => R::Ok(token.view()),
            None => R::NotFound(losant_not_found()),
        })
    }

    fn losant_delete(
        &self,
        input: UserApiTokenDeleteInput,
    ) -> Outcome<types::UserApiTokenDeleteResponse> {
        use types::UserApiTokenDeleteResponse as R;
        let mut state = lock(&self.losant);
        state.authorize(
            &input.credentials,
            UserApiTokenDeleteInput::scopes_allow::<String>,
            UserApiTokenDeleteInput::ACCEPTED_SCOPES,
        )?;
        if let Some(error) = losant_malformed_id(&input.api_token_id) {
            return Ok(R::BadRequest(error));
        }
        Ok(match state.tokens.remove(&input.api_token_id) {
            Some(_) => R::Ok(types::Success {
                success: Some(true),
            }),
            None => R::NotFound(losant_not_found()),
        })
    }

    fn losant_patch(
        &self,
        input: UserApiTokenPatchInput,
    ) -> Outcome<types::UserApiTokenPatchResponse> {
        use types::UserApiTokenPatchResponse as R;
        let mut state = lock(&self.losant);
        state.authorize(
            &input.credentials,
            UserApiTokenPatchInput::scopes_allow::<String>,
            UserApiTokenPatchInput::ACCEPTED_SCOPES,
        )?;
        if let Some(error) = losant_malformed_id(&input.api_token_id) {
            return Ok(R::BadRequest(error));
        }
        let Some(token) = state.tokens.get_mut(&input.api_token_id) else {
            return Ok(R::NotFound(losant_not_found()));
        };
        let patch = input.body;
        // Convert everything first, so that a failure changes nothing.
        let default_role = patch.default_role.as_ref().map(reshape).transpose()?;
        let org_roles = patch.org_roles.as_ref().map(reshape).transpose()?;
        if let Some(name) = patch.name {
            token.name = name;
        }
        if let Some(description) = patch.description {
            token.description = Some(description);
        }
        if let Some(status) = patch.status {
            token.status = match status {
                types::ApiTokenPatchStatus::Active => types::ApiTokenStatus::Active,
                types::ApiTokenPatchStatus::Inactive => types::ApiTokenStatus::Inactive,
            };
        }
        if default_role.is_some() {
            token.default_role = default_role;
        }
        if org_roles.is_some() {
            token.org_roles = org_roles;
        }
        token.last_updated = now();
        Ok(R::Ok(token.view()))
    }

    fn losant_list(
        &self,
        input: UserApiTokensGetInput,
    ) -> Outcome<types::UserApiTokensGetResponse> {
        use types::UserApiTokensGetFilterField as FilterField;
        use types::UserApiTokensGetResponse as R;
        use types::UserApiTokensGetSortDirection as Direction;
        use types::UserApiTokensGetSortField as SortField;
        let state = lock(&self.losant);
        state.authorize(
            &input.credentials,
            UserApiTokensGetInput::scopes_allow::<String>,
            UserApiTokensGetInput::ACCEPTED_SCOPES,
        )?;
        let page = losant_number(input.page.as_deref(), 0);
        let per_page = losant_number(input.per_page.as_deref(), LOSANT_DEFAULT_PER_PAGE)
            .clamp(1, LOSANT_MAX_PER_PAGE);
        let sort_field = input.sort_field.unwrap_or(SortField::Name);
        let direction = input.sort_direction.unwrap_or(Direction::Asc);
        // Blank or absent filterField/filter: no filtering.
        let filter = input.filter.clone().filter(|f| !f.is_empty());
        let mut matching: Vec<&LosantToken> = state
            .tokens
            .values()
            .filter(|t| match (input.filter_field, filter.as_deref()) {
                (Some(FilterField::Name), Some(pattern)) => glob_match(pattern, &t.name),
                (Some(FilterField::Status), Some(pattern)) => {
                    glob_match(pattern, t.status.as_str())
                }
                _ => true,
            })
            .collect();
        matching.sort_by(|a, b| {
            let order = match sort_field {
                SortField::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
                SortField::Status => a.status.as_str().cmp(b.status.as_str()),
                SortField::Id => a.id.cmp(&b.id),
                SortField::CreationDate => a.creation_date.cmp(&b.creation_date),
                SortField::LastUpdated => a.last_updated.cmp(&b.last_updated),
                SortField::ExpirationDate => a.expiration_date.cmp(&b.expiration_date),
            }
            .then_with(|| a.id.cmp(&b.id));
            match direction {
                Direction::Asc => order,
                Direction::Desc => order.reverse(),
            }
        });
        let total = matching.len();
        let skip = usize::try_from(page.saturating_mul(per_page)).unwrap_or(usize::MAX);
        let take = usize::try_from(per_page).unwrap_or(usize::MAX);
        let items: Vec<types::ApiToken> = matching
            .into_iter()
            .skip(skip)
            .take(take)
            .map(LosantToken::view)
            .collect();
        Ok(R::Ok(types::ApiTokens {
            count: Some(items.len() as i64),
            items: Some(items),
            total_count: Some(total as i64),
            per_page: Some(per_page as i64),
            page: Some(i64::try_from(page).unwrap_or(i64::MAX)),
            filter,
            filter_field: input.filter_field.map(|f| f.as_str().to_string()),
            sort_field: Some(sort_field.as_str().to_string()),
            sort_direction: Some(match direction {
                Direction::Asc => types::ApiTokensSortDirection::Asc,
                Direction::Desc => types::ApiTokensSortDirection::Desc,
            }),
            owner_id: Some(LOSANT_DEMO_USER_ID.to_string()),
            owner_type: Some(types::ApiTokensOwnerType::User),
        }))
    }

    fn losant_create(
        &self,
        input: UserApiTokensPostInput,
    ) -> Outcome<types::UserApiTokensPostResponse> {
        use types::UserApiTokensPostResponse as R;
        let mut state = lock(&self.losant);
        let held = state.authorize(
            &input.credentials,
            UserApiTokensPostInput::scopes_allow::<String>,
            UserApiTokensPostInput::ACCEPTED_SCOPES,
        )?;
        let post = input.body;
        let created = now();
        let scope = match &post.scope {
            Some(items) => items
                .iter()
                .map(scope_text)
                .collect::<Result<Vec<_>, _>>()?,
            None => vec![LOSANT_DEMO_SCOPE.to_string()],
        };
        // A token may not mint a token with scopes it does not hold itself,
        // unless it holds `all.User`.
        if !held.iter().any(|s| s == LOSANT_DEMO_SCOPE) {
            if let Some(extra) = scope.iter().find(|s| !held.contains(s)) {
                return Err(Problem::forbidden(format!(
                    "the API token cannot grant the scope `{extra}`, which it does not hold"
                )));
            }
        }
        let id = loop {
            let id = hex(&random_bytes::<12>()?);
            if !state.tokens.contains_key(&id) {
                break id;
            }
        };
        let secret = new_secret()?;
        let token = LosantToken {
            id: id.clone(),
            name: post.name,
            description: post.description,
            status: match post.status {
                Some(types::ApiTokenPostStatus::Inactive) => types::ApiTokenStatus::Inactive,
                _ => types::ApiTokenStatus::Active,
            },
            scope,
            default_role: post.default_role.as_ref().map(reshape).transpose()?,
            org_roles: post.org_roles.as_ref().map(reshape).transpose()?,
            creation_date: created,
            last_updated: created,
            expiration_date: post.expiration_date,
            token_hash: Some(sha256(&secret)),
        };
        let mut view = token.view();
        view.token = Some(secret);
        state.tokens.insert(id, token);
        Ok(R::Created(view))
    }
}

// ---------------------------------------------------------------------------
// Foreman: personal access tokens.

struct ForemanUser {
    id: i64,
    login: &'static str,
    admin: bool,
    /// `None`: the user can only sign in with a personal access token.
    password_hash: Option<Sha256Digest>,
}

struct ForemanToken {
    id: i64,
    user_id: i64,
    name: String,
    /// `None` for seeded tokens, whose secret nobody knows.
    token_hash: Option<Sha256Digest>,
    expires_at: Option<DateTime<Utc>>,
    last_used_at: Option<DateTime<Utc>>,
    revoked: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl ForemanToken {
    fn active(&self, at: DateTime<Utc>) -> bool {
        !self.revoked && self.expires_at.is_none_or(|e| e > at)
    }

    fn view(&self) -> types::PersonalAccessToken {
        types::PersonalAccessToken {
            id: self.id,
            name: self.name.clone(),
            user_id: self.user_id,
            expires_at: self.expires_at,
            last_used_at: self.last_used_at,
            active: self.active(now()),
            revoked: self.revoked,
        }
    }

    fn details(&self) -> types::PersonalAccessTokenDetails {
        types::PersonalAccessTokenDetails {
            id: self.id,
            name: self.name.clone(),
            user_id: self.user_id,
            expires_at: self.expires_at,
            last_used_at: self.last_used_at,
            active: self.active(now()),
            revoked: self.revoked,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

struct ForemanState {
    users: Vec<ForemanUser>,
    /// By id.
    tokens: BTreeMap<i64, ForemanToken>,
    next_id: i64,
}

impl ForemanState {
    fn seeded() -> Self {
        let users = vec![
            ForemanUser {
                id: 1,
                login: FOREMAN_DEMO_USER,
                admin: true,
                password_hash: Some(sha256(FOREMAN_DEMO_PASSWORD)),
            },
            ForemanUser {
                id: 2,
                login: "viewer",
                admin: false,
                password_hash: None,
            },
        ];
        let seed = |id: i64,
                    user_id: i64,
                    name: &str,
                    created: &str,
                    expires: Option<&str>,
                    last_used: Option<&str>,
                    revoked: bool| ForemanToken {
            id,
            user_id,
            name: name.to_string(),
            token_hash: None,
            expires_at: expires.map(at),
            last_used_at: last_used.map(at),
            revoked,
            created_at: at(created),
            updated_at: at(last_used.unwrap_or(created)),
        };
        let tokens = [
            seed(
                1,
                1,
                "deploy",
                "2024-02-01T08:00:00.000Z",
                Some("2030-01-01T00:00:00.000Z"),
                Some("2025-05-04T12:00:00.000Z"),
                false,
            ),
            seed(
                2,
                1,
                "backup-script",
                "2024-04-11T16:20:00.000Z",
                None,
                None,
                false,
            ),
            seed(
                3,
                1,
                "old-ci",
                "2023-09-30T07:15:00.000Z",
                None,
                Some("2024-01-02T03:04:05.000Z"),
                true,
            ),
            seed(
                4,
                2,
                "viewer-laptop",
                "2024-07-07T07:07:07.000Z",
                Some("2031-07-07T00:00:00.000Z"),
                None,
                false,
            ),
        ];
        ForemanState {
            users,
            tokens: tokens.into_iter().map(|t| (t.id, t)).collect(),
            next_id: 5,
        }
    }

    /// The signed-in user's id: by password, or by one of the user's live
    /// personal access tokens (whose `last_used_at` this updates).
    fn authenticate(&mut self, credentials: &Credentials) -> Result<i64, Problem> {
        let refused = || Problem::unauthorized("invalid user name or password");
        let Credentials::ForemanBasic(basic) = credentials else {
            return Err(Problem::unauthorized(
                "Foreman basic credentials are required",
            ));
        };
        let user = self
            .users
            .iter()
            .find(|u| u.login == basic.username)
            .ok_or_else(refused)?;
        let presented = sha256(&basic.password);
        if user
            .password_hash
            .is_some_and(|h| digest_eq(&h, &presented))
        {
            return Ok(user.id);
        }
        let user_id = user.id;
        let at = now();
        let token = self
            .tokens
            .values_mut()
            .find(|t| {
                t.user_id == user_id
                    && t.active(at)
                    && t.token_hash.is_some_and(|h| digest_eq(&h, &presented))
            })
            .ok_or_else(refused)?;
        token.last_used_at = Some(at);
        Ok(user_id)
    }

    /// The user named by the path, if the caller may see it (an administrator
    /// sees everyone, other users only themselves, as Foreman scopes users).
    fn visible_user(&self, caller: i64, user_id: &str) -> Result<i64, types::ForemanNotFound> {
        let caller_is_admin = self.users.iter().any(|u| u.id == caller && u.admin);
        user_id
            .parse::<i64>()
            .ok()
            .filter(|id| self.users.iter().any(|u| u.id == *id))
            .filter(|id| caller_is_admin || *id == caller)
            .ok_or_else(|| foreman_not_found("user", user_id))
    }

    fn token_of(&self, user_id: i64, id: &str) -> Option<&ForemanToken> {
        let id = id.parse::<i64>().ok()?;
        self.tokens.get(&id).filter(|t| t.user_id == user_id)
    }
}

fn foreman_not_found(resource: &str, id: &str) -> types::ForemanNotFound {
    types::ForemanNotFound {
        error: types::ForemanNotFoundError {
            message: format!("Resource {resource} not found by id '{id}'"),
        },
    }
}

fn foreman_unprocessable(field: &str, message: &str) -> types::ForemanUnprocessableEntity {
    let label = {
        let mut words = field.replace('_', " ");
        if let Some(first) = words.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        words
    };
    types::ForemanUnprocessableEntity {
        error: types::ForemanUnprocessableEntityError {
            id: Some(None),
            errors: Some(BTreeMap::from([(
                field.to_string(),
                vec![message.to_string()],
            )])),
            full_messages: Some(vec![format!("{label} {message}")]),
        },
    }
}

fn bad_request(message: impl Into<String>) -> types::Problem {
    types::Problem {
        status: 400,
        error: "invalid_request".to_string(),
        message: message.into(),
        violations: None,
    }
}

/// One condition of Foreman's `search`.
enum SearchTerm {
    NameIs(String),
    NameIsNot(String),
    NameHas(String),
    NameLacks(String),
    NumberIs(fn(&ForemanToken) -> i64, i64),
    NumberIsNot(fn(&ForemanToken) -> i64, i64),
    Word(String),
}

impl SearchTerm {
    /// `name = x`, `name != x`, `name ~ x`, `name !~ x`, `user_id = 1`,
    /// `id != 2`, or a bare word (a case-insensitive substring of the name).
    /// Values may be quoted.
    fn parse(search: &str) -> Result<Option<SearchTerm>, String> {
        let search = search.trim();
        if search.is_empty() {
            return Ok(None);
        }
        let unquote = |v: &str| {
            let v = v.trim();
            v.strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(v)
                .to_string()
        };
        let field_end = search
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(search.len());
        let (field, rest) = search.split_at(field_end);
        let rest = rest.trim_start();
        let operator = ["!=", "!~", "=", "~"]
            .into_iter()
            .find(|op| rest.starts_with(op));
        let (Some(operator), false) = (operator, field.is_empty()) else {
            return Ok(Some(SearchTerm::Word(unquote(search).to_lowercase())));
        };
        let value = unquote(&rest[operator.len()..]);
        let number = |getter: fn(&ForemanToken) -> i64| {
            let n = value
                .parse::<i64>()
                .map_err(|_| format!("Value '{value}' is not valid for field '{field}'"))?;
            match operator {
                "=" => Ok(Some(SearchTerm::NumberIs(getter, n))),
                "!=" => Ok(Some(SearchTerm::NumberIsNot(getter, n))),
                _ => Err(format!(
                    "Operator '{operator}' is not supported for field '{field}'"
                )),
            }
        };
        match field {
            "name" => Ok(Some(match operator {
                "=" => SearchTerm::NameIs(value),
                "!=" => SearchTerm::NameIsNot(value),
                "~" => SearchTerm::NameHas(value.to_lowercase()),
                _ => SearchTerm::NameLacks(value.to_lowercase()),
            })),
            "user_id" => number(|t| t.user_id),
            "id" => number(|t| t.id),
            other => Err(format!("Field '{other}' not recognized for searching!")),
        }
    }

    fn matches(&self, token: &ForemanToken) -> bool {
        match self {
            SearchTerm::NameIs(v) => token.name == *v,
            SearchTerm::NameIsNot(v) => token.name != *v,
            SearchTerm::NameHas(v) | SearchTerm::Word(v) => token.name.to_lowercase().contains(v),
            SearchTerm::NameLacks(v) => !token.name.to_lowercase().contains(v),
            SearchTerm::NumberIs(get, n) => get(token) == *n,
            SearchTerm::NumberIsNot(get, n) => get(token) != *n,
        }
    }
}

/// Foreman's `order`: `field [ASC|DESC]`.
fn foreman_order(order: &str) -> Result<(String, bool), String> {
    let mut words = order.split_whitespace();
    let field = words.next().unwrap_or("").to_string();
    let descending = match words.next().map(|w| w.to_ascii_uppercase()).as_deref() {
        None | Some("ASC") => false,
        Some("DESC") => true,
        Some(other) => return Err(format!("Invalid sort direction '{other}': use ASC or DESC")),
    };
    if words.next().is_some() {
        return Err(format!(
            "Invalid order '{order}': use 'field ASC' or 'field DESC'"
        ));
    }
    const FIELDS: [&str; 6] = [
        "id",
        "name",
        "user_id",
        "expires_at",
        "last_used_at",
        "created_at",
    ];
    if !FIELDS.contains(&field.as_str()) {
        return Err(format!(
            "Cannot sort by '{field}': use one of {}",
            FIELDS.join(", ")
        ));
    }
    Ok((field, descending))
}

impl TokenService {
    fn foreman_list(
        &self,
        input: PersonalAccessTokensListInput,
    ) -> Outcome<types::PersonalAccessTokensListResponse> {
        use types::PersonalAccessTokensListResponse as R;
        let mut state = lock(&self.foreman);
        let caller = state.authenticate(&input.credentials)?;
        let user_id = match state.visible_user(caller, &input.user_id) {
            Ok(id) => id,
            Err(not_found) => return Ok(R::NotFound(not_found)),
        };
        let term = match input.search.as_deref().map(SearchTerm::parse).transpose() {
            Ok(term) => term.flatten(),
            Err(message) => return Ok(R::BadRequest(bad_request(message))),
        };
        let order = match input.order.as_deref().map(foreman_order).transpose() {
            Ok(order) => order,
            Err(message) => return Ok(R::BadRequest(bad_request(message))),
        };
        let of_user: Vec<&ForemanToken> = state
            .tokens
            .values()
            .filter(|t| t.user_id == user_id)
            .collect();
        let total = of_user.len() as i64;
        let mut matching: Vec<&ForemanToken> = of_user
            .into_iter()
            .filter(|t| term.as_ref().is_none_or(|term| term.matches(t)))
            .collect();
        if let Some((field, descending)) = &order {
            matching.sort_by(|a, b| {
                let ordering = match field.as_str() {
                    "name" => a.name.cmp(&b.name),
                    "user_id" => a.user_id.cmp(&b.user_id),
                    "expires_at" => a.expires_at.cmp(&b.expires_at),
                    "last_used_at" => a.last_used_at.cmp(&b.last_used_at),
                    "created_at" => a.created_at.cmp(&b.created_at),
                    _ => a.id.cmp(&b.id),
                }
                .then_with(|| a.id.cmp(&b.id));
                if *descending {
                    ordering.reverse()
                } else {
                    ordering
                }
            });
        }
        let subtotal = matching.len() as i64;
        let per_page = match input.per_page.as_deref() {
            None => FOREMAN_DEFAULT_PER_PAGE,
            Some("all") => subtotal,
            // The generated layer checked the pattern `^([1-9][0-9]*|all)$`.
            Some(n) => n.parse::<i64>().unwrap_or(i64::MAX),
        };
        let page = input.page.unwrap_or(1).max(1);
        let skip = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
        let take = usize::try_from(per_page).unwrap_or(usize::MAX);
        let results = matching
            .into_iter()
            .skip(skip)
            .take(take)
            .map(ForemanToken::view)
            .collect();
        Ok(R::Ok(types::PersonalAccessTokenList {
            total,
            subtotal,
            page,
            per_page,
            search: input.search.filter(|s| !s.trim().is_empty()),
            sort: types::PersonalAccessTokenListSort {
                by: order.as_ref().map(|(field, _)| field.clone()),
                order: order
                    .as_ref()
                    .map(|(_, descending)| if *descending { "DESC" } else { "ASC" }.to_string()),
            },
            results,
        }))
    }

    fn foreman_create(
        &self,
        input: PersonalAccessTokensCreateInput,
    ) -> Outcome<types::PersonalAccessTokensCreateResponse> {
        use types::PersonalAccessTokensCreateResponse as R;
        let mut state = lock(&self.foreman);
        let caller = state.authenticate(&input.credentials)?;
        let user_id = match state.visible_user(caller, &input.user_id) {
            Ok(id) => id,
            Err(not_found) => return Ok(R::NotFound(not_found)),
        };
        let wanted = input.body.personal_access_token;
        let name = wanted.name.trim().to_string();
        let expires_at = wanted.expires_at.flatten();
        let created = now();
        if name.is_empty() {
            return Ok(R::UnprocessableEntity(foreman_unprocessable(
                "name",
                "can't be blank",
            )));
        }
        if state
            .tokens
            .values()
            .any(|t| t.user_id == user_id && t.name == name)
        {
            return Ok(R::UnprocessableEntity(foreman_unprocessable(
                "name",
                "has already been taken",
            )));
        }
        if expires_at.is_some_and(|e| e <= created) {
            return Ok(R::UnprocessableEntity(foreman_unprocessable(
                "expires_at",
                "must be in the future",
            )));
        }
        let secret = new_secret()?;
        let id = state.next_id;
        state.next_id += 1;
        let token = ForemanToken {
            id,
            user_id,
            name,
            token_hash: Some(sha256(&secret)),
            expires_at,
            last_used_at: None,
            revoked: false,
            created_at: created,
            updated_at: created,
        };
        let view = token.view();
        state.tokens.insert(id, token);
        Ok(R::Created(types::PersonalAccessTokenCreated {
            id: view.id,
            name: view.name,
            user_id: view.user_id,
            expires_at: view.expires_at,
            last_used_at: view.last_used_at,
            active: view.active,
            revoked: view.revoked,
            token_value: secret,
        }))
    }

    fn foreman_show(
        &self,
        input: PersonalAccessTokensShowInput,
    ) -> Outcome<types::PersonalAccessTokensShowResponse> {
        use types::PersonalAccessTokensShowResponse as R;
        let mut state = lock(&self.foreman);
        let caller = state.authenticate(&input.credentials)?;
        let user_id = match state.visible_user(caller, &input.user_id) {
            Ok(id) => id,
            Err(not_found) => return Ok(R::NotFound(not_found)),
        };
        Ok(match state.token_of(user_id, &input.id) {
            Some(token) => R::Ok(token.details()),
            None => R::NotFound(foreman_not_found("personal_access_token", &input.id)),
        })
    }

    fn foreman_revoke(
        &self,
        input: PersonalAccessTokensRevokeInput,
    ) -> Outcome<types::PersonalAccessTokensRevokeResponse> {
        use types::PersonalAccessTokensRevokeResponse as R;
        let mut state = lock(&self.foreman);
        let caller = state.authenticate(&input.credentials)?;
        let user_id = match state.visible_user(caller, &input.user_id) {
            Ok(id) => id,
            Err(not_found) => return Ok(R::NotFound(not_found)),
        };
        let Some(id) = state.token_of(user_id, &input.id).map(|t| t.id) else {
            return Ok(R::NotFound(foreman_not_found(
                "personal_access_token",
                &input.id,
            )));
        };
        let token = state
            .tokens
            .get_mut(&id)
            .expect("token_of found this token under the same lock");
        if !token.revoked {
            token.revoked = true;
            token.updated_at = now();
        }
        Ok(R::Ok(token.view()))
    }
}

// ---------------------------------------------------------------------------
// Mindbody: staff user tokens.

struct StaffToken {
    hash: Sha256Digest,
    expires: DateTime<Utc>,
}

#[derive(Default)]
struct MindbodyState {
    tokens: Vec<StaffToken>,
}

/// Any API version is served: the spec types `version` as any string and
/// documents no answer for one that does not exist.
fn mindbody_check(credentials: &Credentials) -> Result<(), Problem> {
    let Credentials::MindbodyApiKey(key) = credentials else {
        return Err(Problem::unauthorized("an API-Key header is required"));
    };
    if !digest_eq(&sha256(&key.0), &sha256(MINDBODY_DEMO_API_KEY)) {
        return Err(Problem::unauthorized("the API key is not valid"));
    }
    Ok(())
}

impl TokenService {
    fn mindbody_issue(&self, input: UserTokenIssueInput) -> Outcome<types::UserTokenIssueResponse> {
        use types::UserTokenIssueResponse as R;
        mindbody_check(&input.credentials)?;
        // IssueRequest requires neither property: absent ones are wrong credentials.
        let username = input.body.username.as_deref().unwrap_or_default();
        let password = input.body.password.as_deref().unwrap_or_default();
        let name_ok = username == MINDBODY_DEMO_USERNAME;
        let password_ok = digest_eq(&sha256(password), &sha256(MINDBODY_DEMO_PASSWORD));
        if !(name_ok && password_ok) {
            return Err(Problem::unauthorized("invalid user name or password"));
        }
        let secret = hex(&random_bytes::<32>()?);
        let issued = now();
        let expires = issued + Duration::hours(MINDBODY_TOKEN_LIFETIME_HOURS);
        let mut state = lock(&self.mindbody);
        state.tokens.retain(|t| t.expires > issued);
        state.tokens.push(StaffToken {
            hash: sha256(&secret),
            expires,
        });
        Ok(R::Ok(types::IssueResponse {
            token_type: Some("Bearer".to_string()),
            access_token: Some(secret),
            expires: Some(expires),
            user: Some(types::User {
                id: Some(0),
                first_name: Some("Demo".to_string()),
                last_name: Some("Owner".to_string()),
                type_: Some("Owner".to_string()),
            }),
        }))
    }

    fn mindbody_revoke(
        &self,
        input: UserTokenRevokeInput,
    ) -> Outcome<types::UserTokenRevokeResponse> {
        use types::UserTokenRevokeResponse as R;
        mindbody_check(&input.credentials)?;
        let Some(header) = input.authorization.as_deref() else {
            return Err(Problem::unauthorized(
                "the staff user token goes in the Authorization header",
            ));
        };
        let header = header.trim();
        let token = match header.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ => header,
        };
        let presented = sha256(token);
        let at = now();
        let mut state = lock(&self.mindbody);
        state.tokens.retain(|t| t.expires > at);
        let before = state.tokens.len();
        state.tokens.retain(|t| !digest_eq(&t.hash, &presented));
        if state.tokens.len() == before {
            return Err(Problem::unauthorized(
                "the staff user token is unknown, expired or already revoked",
            ));
        }
        Ok(R::Ok(serde_json::Map::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_like_losant_filters() {
        assert!(glob_match("my*token", "my-ci-token"));
        assert!(glob_match("MY*", "my-token"));
        assert!(glob_match("dep?oy", "deploy"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("dep?oy", "deploy2"));
        assert!(!glob_match("*x", "deploy"));
    }

    #[test]
    fn foreman_search_terms_parse() {
        let t = |s| SearchTerm::parse(s).map(|t| t.is_some());
        assert_eq!(t("name = deploy"), Ok(true));
        assert_eq!(t("name ~ \"dep\""), Ok(true));
        assert_eq!(t("deploy"), Ok(true));
        assert_eq!(t("  "), Ok(false));
        assert!(t("colour = red").is_err());
        assert!(t("user_id ~ 1").is_err());
    }

    #[test]
    fn debug_shows_no_secret() {
        let service = TokenService::new();
        let text = format!("{service:?}");
        assert!(text.contains("losant_api_tokens: 3"), "{text}");
    }
}
