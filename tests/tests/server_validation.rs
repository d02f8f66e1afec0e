//! The generated Axum server (`generated::tokens::server`) against malformed
//! requests, over a real loopback socket. Every case is raw HTTP (reqwest, not
//! the generated client, so that invalid input can be sent) and must get the
//! exact status and a JSON `Problem` naming the offending input, without the
//! implementation ever running. Positive controls prove that the same
//! operations, asked properly, do reach the implementation.

use std::sync::{Arc, Mutex};

use generated::tokens::server::{
    self, Outcome, PersonalAccessTokens, PersonalAccessTokensCreateInput,
    PersonalAccessTokensListInput, PersonalAccessTokensRevokeInput, PersonalAccessTokensShowInput,
    Problem, UserApiToken, UserApiTokenDeleteInput, UserApiTokenGetInput, UserApiTokenPatchInput,
    UserApiTokens, UserApiTokensGetInput, UserApiTokensPostInput, UserToken, UserTokenIssueInput,
    UserTokenRevokeInput,
};
use generated::tokens::types;
use reqwest::Method;
use serde_json::{json, Value};

const BEARER: &str = "Bearer demo-losant-token";
const BASIC: &str = "Basic YWRtaW46Y2hhbmdlbWU="; // admin:changeme
const API_KEY: &str = "demo-api-key";
const TOKEN_ID: &str = "575ec7417ae143cd83dc4a95";
/// The body limit of the second, limited server.
const SMALL_LIMIT: usize = 1024;

// ---------------------------------------------------------------------------
// The implementation: every operation answers a fixed, valid success and
// records that it ran.

#[derive(Default)]
struct Recorder {
    calls: Mutex<Vec<&'static str>>,
}

impl Recorder {
    fn record(&self, operation: &'static str) {
        self.calls.lock().unwrap().push(operation);
    }

    fn take(&self) -> Vec<&'static str> {
        std::mem::take(&mut *self.calls.lock().unwrap())
    }
}

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the fixture matches its type")
}

fn api_token() -> types::ApiToken {
    decode(json!({
        "id": TOKEN_ID, "name": "deploy", "status": "active", "scope": ["all.User"]
    }))
}

fn foreman_token() -> Value {
    json!({
        "id": 7, "name": "deploy", "user_id": 1, "expires_at": null,
        "last_used_at": null, "active?": true, "revoked?": false
    })
}

fn with(mut base: Value, extra: Value) -> Value {
    let (Value::Object(base_map), Value::Object(extra)) = (&mut base, extra) else {
        unreachable!("both are objects")
    };
    base_map.extend(extra);
    base
}

impl UserApiToken for Recorder {
    async fn get(&self, _: UserApiTokenGetInput) -> Outcome<types::UserApiTokenGetResponse> {
        self.record("userApiToken.get");
        Ok(types::UserApiTokenGetResponse::Ok(api_token()))
    }

    async fn delete(
        &self,
        _: UserApiTokenDeleteInput,
    ) -> Outcome<types::UserApiTokenDeleteResponse> {
        self.record("userApiToken.delete");
        Ok(types::UserApiTokenDeleteResponse::Ok(types::Success {
            success: Some(true),
        }))
    }

    async fn patch(&self, _: UserApiTokenPatchInput) -> Outcome<types::UserApiTokenPatchResponse> {
        self.record("userApiToken.patch");
        Ok(types::UserApiTokenPatchResponse::Ok(api_token()))
    }
}

impl UserApiTokens for Recorder {
    async fn get(&self, _: UserApiTokensGetInput) -> Outcome<types::UserApiTokensGetResponse> {
        self.record("userApiTokens.get");
        Ok(types::UserApiTokensGetResponse::Ok(types::ApiTokens {
            items: Some(vec![api_token()]),
            count: Some(1),
            total_count: Some(1),
            ..Default::default()
        }))
    }

    async fn post(&self, _: UserApiTokensPostInput) -> Outcome<types::UserApiTokensPostResponse> {
        self.record("userApiTokens.post");
        Ok(types::UserApiTokensPostResponse::Created(api_token()))
    }
}

impl PersonalAccessTokens for Recorder {
    async fn list(
        &self,
        _: PersonalAccessTokensListInput,
    ) -> Outcome<types::PersonalAccessTokensListResponse> {
        self.record("personalAccessTokens.list");
        Ok(types::PersonalAccessTokensListResponse::Ok(decode(json!({
            "total": 1, "subtotal": 1, "page": 1, "per_page": 20, "search": null,
            "sort": {"by": null, "order": null}, "results": [foreman_token()]
        }))))
    }

    async fn create(
        &self,
        _: PersonalAccessTokensCreateInput,
    ) -> Outcome<types::PersonalAccessTokensCreateResponse> {
        self.record("personalAccessTokens.create");
        Ok(types::PersonalAccessTokensCreateResponse::Created(decode(
            with(foreman_token(), json!({"token_value": "secret"})),
        )))
    }

    async fn show(
        &self,
        _: PersonalAccessTokensShowInput,
    ) -> Outcome<types::PersonalAccessTokensShowResponse> {
        self.record("personalAccessTokens.show");
        Ok(types::PersonalAccessTokensShowResponse::Ok(decode(with(
            foreman_token(),
            json!({"created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}),
        ))))
    }

    async fn revoke(
        &self,
        _: PersonalAccessTokensRevokeInput,
    ) -> Outcome<types::PersonalAccessTokensRevokeResponse> {
        self.record("personalAccessTokens.revoke");
        Ok(types::PersonalAccessTokensRevokeResponse::Ok(decode(
            foreman_token(),
        )))
    }
}

impl UserToken for Recorder {
    async fn issue(&self, _: UserTokenIssueInput) -> Outcome<types::UserTokenIssueResponse> {
        self.record("userToken.issue");
        Ok(types::UserTokenIssueResponse::Ok(decode(json!({
            "TokenType": "Bearer", "AccessToken": "staff-token",
            "Expires": "2030-01-01T00:00:00Z",
            "User": {"Id": 0, "FirstName": "Demo", "LastName": "Owner", "Type": "Owner"}
        }))))
    }

    async fn revoke(&self, _: UserTokenRevokeInput) -> Outcome<types::UserTokenRevokeResponse> {
        self.record("userToken.revoke");
        Ok(types::UserTokenRevokeResponse::Ok(serde_json::Map::new()))
    }
}

// ---------------------------------------------------------------------------
// The table.

/// One request and what the server must answer.
struct Case {
    name: &'static str,
    method: Method,
    /// Path and query, sent as written (already percent-encoded).
    path: String,
    /// Header values are bytes so that non-ASCII values can be sent.
    headers: Vec<(&'static str, Vec<u8>)>,
    /// `(content type, bytes)`; an empty content type sends none.
    body: Option<(&'static str, Vec<u8>)>,
    status: u16,
    /// For a 400: the `field` of every violation (exactly one input is wrong).
    field: &'static str,
    /// A fragment of that violation's message, or of the problem's message
    /// for other statuses. Unused for positive controls.
    message: &'static str,
    /// Positive controls: the operation that must run. `None`: the
    /// implementation must not be called at all.
    op: Option<&'static str>,
    /// Served by `router_with(service, &Limits::default().body(SMALL_LIMIT))`
    /// instead of `router`.
    limited: bool,
}

impl Case {
    /// A request without credentials.
    fn new(name: &'static str, method: Method, path: impl Into<String>) -> Self {
        Case {
            name,
            method,
            path: path.into(),
            headers: Vec::new(),
            body: None,
            status: 0,
            field: "",
            message: "",
            op: None,
            limited: false,
        }
    }

    /// A Losant request with a valid bearer token.
    fn losant(name: &'static str, method: Method, path: impl Into<String>) -> Self {
        Case::new(name, method, path).header("authorization", BEARER)
    }

    /// A Foreman request with valid basic credentials.
    fn foreman(name: &'static str, method: Method, path: impl Into<String>) -> Self {
        Case::new(name, method, path).header("authorization", BASIC)
    }

    /// A Mindbody request with an API key and the required `siteId` header.
    fn mindbody(name: &'static str, method: Method, path: impl Into<String>) -> Self {
        Case::new(name, method, path)
            .header("API-Key", API_KEY)
            .header("siteId", "-99")
    }

    /// Sets a header, replacing one of the same name.
    fn header(mut self, name: &'static str, value: impl AsRef<[u8]>) -> Self {
        self = self.without(name);
        self.headers.push((name, value.as_ref().to_vec()));
        self
    }

    fn without(mut self, name: &'static str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }

    fn json(self, value: Value) -> Self {
        self.raw("application/json", value.to_string())
    }

    fn form(self, body: &'static str) -> Self {
        self.raw("application/x-www-form-urlencoded", body)
    }

    fn raw(mut self, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some((content_type, body.into()));
        self
    }

    fn limited(mut self) -> Self {
        self.limited = true;
        self
    }

    /// Expects `400` with one violated input.
    fn invalid(self, field: &'static str, message: &'static str) -> Self {
        Case {
            status: 400,
            field,
            message,
            ..self
        }
    }

    /// Expects a non-400 rejection whose problem message contains `message`.
    fn rejects(self, status: u16, message: &'static str) -> Self {
        Case {
            status,
            message,
            ..self
        }
    }

    /// A positive control: expects `status` and exactly one call of `op`.
    fn accepts(self, status: u16, op: &'static str) -> Self {
        Case {
            status,
            op: Some(op),
            ..self
        }
    }
}

fn long(c: char, n: usize) -> String {
    std::iter::repeat_n(c, n).collect()
}

fn org_role() -> Value {
    json!({"orgId": "sandbox", "role": "view"})
}

/// Every case the generated server must get right, and does.
fn cases() -> Vec<Case> {
    use Method as M;
    let token = format!("/me/tokens/{TOKEN_ID}");
    let pats = "/api/users/1/personal_access_tokens";
    let pat = |id: &str| format!("{pats}/{id}");
    let issue = "/public/v6/usertoken/issue";
    let revoke = "/public/v6/usertoken/revoke";
    vec![
        // --- userApiTokens.get: GET /me/tokens ------------------------------
        Case::losant("sortField outside its enum", M::GET, "/me/tokens?sortField=size")
            .invalid("query.sortField", "must be one of: name, status"),
        Case::losant("sortDirection outside its enum", M::GET, "/me/tokens?sortDirection=up")
            .invalid("query.sortDirection", "must be one of: asc, desc"),
        Case::losant("filterField outside its enum", M::GET, "/me/tokens?filterField=x")
            .invalid("query.filterField", "must be one of: name, status"),
        Case::losant("sortField given twice", M::GET, "/me/tokens?sortField=name&sortField=id")
            .invalid("query.sortField", "must be given once"),
        Case::losant("losantdomain header is not visible ASCII", M::GET, "/me/tokens")
            .header("losantdomain", b"caf\xe9.example")
            .invalid("header.losantdomain", "visible ASCII"),
        Case::new("no credentials (Losant)", M::GET, "/me/tokens")
            .rejects(401, "needs credentials (losantBearer)"),
        Case::losant("bearer scheme without a token", M::GET, "/me/tokens")
            .header("authorization", "Bearer ")
            .rejects(401, "losantBearer"),
        Case::losant("basic credentials where a bearer is needed", M::GET, "/me/tokens")
            .header("authorization", "Basic !!!")
            .rejects(401, "losantBearer"),
        Case::losant("PUT on the collection", M::PUT, "/me/tokens")
            .json(json!({"name": "x"}))
            .rejects(405, "GET, POST"),
        Case::losant(
            "valid listing",
            M::GET,
            "/me/tokens?sortField=expirationDate&sortDirection=desc&filterField=status&filter=act*&page=2&perPage=5",
        )
        .accepts(200, "userApiTokens.get"),
        Case::losant("valid listing, lowercase bearer scheme", M::GET, "/me/tokens")
            .header("authorization", "bearer demo-losant-token")
            .accepts(200, "userApiTokens.get"),
        // --- userApiTokens.post: POST /me/tokens ----------------------------
        Case::losant("no body", M::POST, "/me/tokens")
            .raw("application/json", "")
            .invalid("body", "is required"),
        Case::losant("required name missing", M::POST, "/me/tokens")
            .json(json!({"description": "no name"}))
            .invalid("body.name", "missing field `name`"),
        Case::losant("name is the empty string", M::POST, "/me/tokens")
            .json(json!({"name": ""}))
            .invalid("body.name", "at least 1 character"),
        Case::losant("name of 256 characters", M::POST, "/me/tokens")
            .json(json!({"name": long('n', 256)}))
            .invalid("body.name", "at most 255 characters"),
        Case::losant("name is null (required, not nullable)", M::POST, "/me/tokens")
            .json(json!({"name": null}))
            .invalid("body.name", "invalid type: null"),
        Case::losant("name is a boolean", M::POST, "/me/tokens")
            .json(json!({"name": true}))
            .invalid("body.name", "invalid type: boolean"),
        Case::losant("description is a number", M::POST, "/me/tokens")
            .json(json!({"name": "a", "description": 42}))
            .invalid("body.description", "invalid type: integer"),
        Case::losant("expirationDate is not a date-time", M::POST, "/me/tokens")
            .json(json!({"name": "a", "expirationDate": "tomorrow"}))
            .invalid("body.expirationDate", "input contains invalid characters"),
        Case::losant("defaultRole outside its enum", M::POST, "/me/tokens")
            .json(json!({"name": "a", "defaultRole": "owner"}))
            .invalid("body.defaultRole", "unknown variant `owner`"),
        Case::losant("status outside its enum", M::POST, "/me/tokens")
            .json(json!({"name": "a", "status": "paused"}))
            .invalid("body.status", "unknown variant `paused`"),
        Case::losant("scope repeats an item (uniqueItems)", M::POST, "/me/tokens")
            .json(json!({"name": "a", "scope": ["all.User", "all.User"]}))
            .invalid("body.scope", "must not repeat items"),
        Case::losant("scope item in no oneOf alternative", M::POST, "/me/tokens")
            .json(json!({"name": "a", "scope": ["all.User", "everything.*"]}))
            .invalid("body.scope[1]", "did not match any variant"),
        Case::losant("scope is not an array", M::POST, "/me/tokens")
            .json(json!({"name": "a", "scope": "all.User"}))
            .invalid("body.scope", "invalid type: string"),
        Case::losant("orgRoles with 26 items (maxItems 25)", M::POST, "/me/tokens")
            .json(json!({"name": "a", "orgRoles": vec![org_role(); 26]}))
            .invalid("body.orgRoles", "at most 25 items"),
        Case::losant("orgRoles orgId neither 24-hex nor sandbox", M::POST, "/me/tokens")
            .json(json!({"name": "a", "orgRoles": [org_role(), {"orgId": "575ec7417ae143cd83dc4a9", "role": "edit"}]}))
            .invalid("body.orgRoles[1].orgId", "must match the pattern"),
        Case::losant("orgRoles orgId a number (no oneOf alternative)", M::POST, "/me/tokens")
            .json(json!({"name": "a", "orgRoles": [{"orgId": 5, "role": "view"}]}))
            .invalid("body.orgRoles[0].orgId", "did not match any variant"),
        Case::losant("orgRoles resourceId not 24-hex", M::POST, "/me/tokens")
            .json(json!({"name": "a", "orgRoles": [{"orgId": TOKEN_ID, "role": "admin",
                "applicationRoles": [{"resourceId": "575ec7417ae143cd83dc4a9z", "role": "view"}]}]}))
            .invalid("body.orgRoles[0].applicationRoles[0].resourceId", "must match the pattern"),
        Case::losant("orgRoles role outside its enum", M::POST, "/me/tokens")
            .json(json!({"name": "a", "orgRoles": [{"orgId": "sandbox", "role": "owner"}]}))
            .invalid("body.orgRoles[0].role", "unknown variant `owner`"),
        Case::losant("orgRoles item without its required role", M::POST, "/me/tokens")
            .json(json!({"name": "a", "orgRoles": [{"orgId": "sandbox"}]}))
            .invalid("body.orgRoles[0].role", "missing field `role`"),
        Case::losant("trailing bytes after the JSON", M::POST, "/me/tokens")
            .raw("application/json", r#"{"name": "a"} {}"#)
            .invalid("body", "trailing characters"),
        Case::losant("JSON string instead of an object", M::POST, "/me/tokens")
            .json(json!("name"))
            .invalid("body", "invalid type: string"),
        Case::losant("form body for a JSON-only operation", M::POST, "/me/tokens")
            .form("name=a")
            .rejects(415, "application/json"),
        Case::losant("body without a Content-Type", M::POST, "/me/tokens")
            .raw("", r#"{"name": "a"}"#)
            .rejects(415, "application/json"),
        Case::new("no credentials (Losant POST)", M::POST, "/me/tokens")
            .json(json!({"name": "a"}))
            .rejects(401, "losantBearer"),
        Case::losant("body over the 1 KiB limit", M::POST, "/me/tokens")
            .json(json!({"name": "a", "description": long('d', 2 * SMALL_LIMIT)}))
            .limited()
            .rejects(413, ""),
        Case::losant("body under the 1 KiB limit", M::POST, "/me/tokens")
            .json(json!({"name": "a", "description": long('d', SMALL_LIMIT / 2)}))
            .limited()
            .accepts(201, "userApiTokens.post"),
        Case::losant("valid creation", M::POST, "/me/tokens")
            .raw(
                "application/json; charset=utf-8",
                json!({
                    "name": long('n', 255), "description": "ci", "expirationDate": "2030-01-01T00:00:00Z",
                    "defaultRole": "view", "status": "inactive",
                    "scope": ["all.User", "all.Application", "all.Instance", "device.*"],
                    "orgRoles": [org_role(), {"orgId": TOKEN_ID, "role": "collaborate",
                        "applicationRoles": [{"resourceId": TOKEN_ID, "role": "view"}],
                        "dashboardRoles": [{"resourceId": TOKEN_ID, "role": "none"}]}]
                })
                .to_string(),
            )
            .accepts(201, "userApiTokens.post"),
        // --- userApiToken.*: /me/tokens/{apiTokenId} ------------------------
        Case::losant("PATCH status outside its enum", M::PATCH, &token)
            .json(json!({"status": "paused"}))
            .invalid("body.status", "unknown variant `paused`"),
        Case::losant("PATCH defaultRole outside its enum", M::PATCH, &token)
            .json(json!({"defaultRole": "owner"}))
            .invalid("body.defaultRole", "unknown variant `owner`"),
        Case::losant("PATCH name is the empty string", M::PATCH, &token)
            .json(json!({"name": ""}))
            .invalid("body.name", "at least 1 character"),
        Case::losant("PATCH orgRoles orgId not 24-hex", M::PATCH, &token)
            .json(json!({"orgRoles": [{"orgId": "xyz", "role": "view"}]}))
            .invalid("body.orgRoles[0].orgId", "must match the pattern"),
        Case::losant("PATCH orgRoles dashboard resourceId not 24-hex", M::PATCH, &token)
            .json(json!({"orgRoles": [{"orgId": "sandbox", "role": "view",
                "dashboardRoles": [{"resourceId": "42", "role": "view"}]}]}))
            .invalid("body.orgRoles[0].dashboardRoles[0].resourceId", "must match the pattern"),
        Case::losant("PATCH orgRoles with 26 items", M::PATCH, &token)
            .json(json!({"orgRoles": vec![org_role(); 26]}))
            .invalid("body.orgRoles", "at most 25 items"),
        Case::losant("PATCH without a body", M::PATCH, &token)
            .invalid("body", "is required"),
        Case::losant("PATCH as text/plain", M::PATCH, &token)
            .raw("text/plain", r#"{"name": "a"}"#)
            .rejects(415, "application/json"),
        Case::new("PATCH without credentials", M::PATCH, &token)
            .json(json!({"name": "a"}))
            .rejects(401, "losantBearer"),
        Case::new("GET one token without credentials", M::GET, &token)
            .rejects(401, "losantBearer"),
        Case::losant("POST on a single token", M::POST, &token)
            .json(json!({"name": "a"}))
            .rejects(405, "GET, DELETE, PATCH"),
        Case::losant("a path below a token", M::GET, format!("{token}/extra"))
            .rejects(404, "no such route"),
        Case::losant("valid get", M::GET, &token)
            .header("losantdomain", "example.com")
            .accepts(200, "userApiToken.get"),
        Case::losant("valid empty patch", M::PATCH, &token)
            .json(json!({}))
            .accepts(200, "userApiToken.patch"),
        Case::losant("valid delete", M::DELETE, &token).accepts(200, "userApiToken.delete"),
        // --- personalAccessTokens.list: GET /api/users/{user_id}/personal_access_tokens
        Case::foreman("location_id is not an integer", M::GET, format!("{pats}?location_id=abc"))
            .invalid("query.location_id", "must be an integer"),
        Case::foreman("organization_id is a decimal", M::GET, format!("{pats}?organization_id=1.5"))
            .invalid("query.organization_id", "must be an integer"),
        Case::foreman("page is not an integer", M::GET, format!("{pats}?page=x"))
            .invalid("query.page", "must be an integer"),
        Case::foreman("page below its minimum", M::GET, format!("{pats}?page=0"))
            .invalid("query.page", "must be at least 1"),
        Case::foreman("per_page breaks its pattern", M::GET, format!("{pats}?per_page=0"))
            .invalid("query.per_page", "must match the pattern"),
        Case::foreman("bearer where basic is needed", M::GET, pats)
            .header("authorization", BEARER)
            .rejects(401, "needs credentials (foremanBasic)"),
        Case::foreman("basic credentials that are not base64", M::GET, pats)
            .header("authorization", "Basic !!!")
            .rejects(401, "foremanBasic"),
        Case::foreman("basic credentials without a colon", M::GET, pats)
            .header("authorization", "Basic YWRtaW4=")
            .rejects(401, "foremanBasic"),
        Case::new("no credentials (Foreman)", M::GET, pats).rejects(401, "foremanBasic"),
        Case::foreman("PUT on the collection", M::PUT, pats).rejects(405, "GET, POST"),
        Case::foreman(
            "valid listing",
            M::GET,
            format!("{pats}?location_id=2&organization_id=1&search=name%20%3D%20deploy&order=id%20DESC&page=2&per_page=all"),
        )
        .accepts(200, "personalAccessTokens.list"),
        // --- personalAccessTokens.show / revoke: .../personal_access_tokens/{id}
        Case::foreman("show id with a leading space", M::GET, pat("%20deploy"))
            .invalid("path.id", "must match the pattern"),
        Case::foreman("show id with a trailing space", M::GET, pat("deploy%20"))
            .invalid("path.id", "must match the pattern"),
        Case::foreman("show id with a `!`", M::GET, pat("!deploy"))
            .invalid("path.id", "must match the pattern"),
        Case::foreman("show id with an encoded slash", M::GET, pat("a%2Fb"))
            .invalid("path.id", "must match the pattern"),
        Case::foreman("show id of 129 characters", M::GET, pat(&long('a', 129)))
            .invalid("path.id", "at most 128 characters"),
        Case::foreman("show with location_id not an integer", M::GET, format!("{}?location_id=two", pat("42")))
            .invalid("query.location_id", "must be an integer"),
        Case::foreman("PATCH on a token", M::PATCH, pat("42"))
            .json(json!({}))
            .rejects(405, "GET, DELETE"),
        Case::foreman("a path below a token", M::GET, pat("42/extra")).rejects(404, "no such route"),
        Case::foreman(
            "valid show, id of 128 characters with an inner space",
            M::GET,
            pat(&format!("a-b_c%20d{}", long('e', 121))),
        )
        .accepts(200, "personalAccessTokens.show"),
        Case::foreman("valid revoke: its id has no pattern", M::DELETE, pat("!anything%20goes"))
            .accepts(200, "personalAccessTokens.revoke"),
        // --- personalAccessTokens.create: POST .../personal_access_tokens
        Case::foreman("create without a body", M::POST, pats).invalid("body", "is required"),
        Case::foreman("create without personal_access_token", M::POST, pats)
            .json(json!({"name": "a"}))
            .invalid("body.personal_access_token", "missing field `personal_access_token`"),
        Case::foreman("create without the required name", M::POST, pats)
            .json(json!({"personal_access_token": {"expires_at": null}}))
            .invalid("body.personal_access_token.name", "missing field `name`"),
        Case::foreman("create with name a number", M::POST, pats)
            .json(json!({"personal_access_token": {"name": 5}}))
            .invalid("body.personal_access_token.name", "invalid type: integer"),
        Case::foreman("create with name null (not nullable)", M::POST, pats)
            .json(json!({"personal_access_token": {"name": null}}))
            .invalid("body.personal_access_token.name", "invalid type: null"),
        Case::foreman("create with expires_at not a date-time", M::POST, pats)
            .json(json!({"personal_access_token": {"name": "a", "expires_at": "soon"}}))
            .invalid("body.personal_access_token.expires_at", "input contains invalid characters"),
        Case::foreman("create with personal_access_token a string", M::POST, pats)
            .json(json!({"personal_access_token": "a"}))
            .invalid("body.personal_access_token", "invalid type: string"),
        Case::foreman("create as a form", M::POST, pats)
            .form("personal_access_token[name]=a")
            .rejects(415, "application/json"),
        Case::foreman("create with location_id not an integer", M::POST, format!("{pats}?location_id=abc"))
            .json(json!({"personal_access_token": {"name": "a"}}))
            .invalid("query.location_id", "must be an integer"),
        Case::new("create without credentials", M::POST, pats)
            .json(json!({"personal_access_token": {"name": "a"}}))
            .rejects(401, "foremanBasic"),
        Case::foreman("valid create, expires_at null (nullable)", M::POST, pats)
            .json(json!({"personal_access_token": {"name": "a", "expires_at": null}}))
            .accepts(201, "personalAccessTokens.create"),
        Case::foreman("valid create, unknown keys allowed (open objects)", M::POST, pats)
            .json(json!({"personal_access_token": {"name": "a", "expires_at": "2030-01-01T00:00:00Z", "x": 1}, "user": {}}))
            .accepts(201, "personalAccessTokens.create"),
        // --- userToken.issue: POST /public/v{version}/usertoken/issue -------
        Case::mindbody("issue without siteId", M::POST, issue)
            .without("siteId")
            .json(json!({"Username": "owner", "Password": "pw"}))
            .invalid("header.siteId", "is required"),
        Case::mindbody("issue without API-Key", M::POST, issue)
            .without("API-Key")
            .json(json!({"Username": "owner", "Password": "pw"}))
            .rejects(401, "needs credentials (mindbodyApiKey)"),
        Case::mindbody("issue with an empty API-Key", M::POST, issue)
            .header("API-Key", "")
            .json(json!({"Username": "owner", "Password": "pw"}))
            .rejects(401, "mindbodyApiKey"),
        Case::mindbody("issue without a body", M::POST, issue).invalid("body", "is required"),
        Case::mindbody("issue with Username a number", M::POST, issue)
            .json(json!({"Username": 5}))
            .invalid("body.Username", "invalid type: integer"),
        Case::mindbody("issue with JSON null", M::POST, issue)
            .json(json!(null))
            .invalid("body", "invalid type: null"),
        Case::mindbody("issue as text/plain", M::POST, issue)
            .raw("text/plain", "Username=owner")
            .rejects(415, "application/x-www-form-urlencoded"),
        Case::mindbody("issue path without the `v` prefix", M::POST, "/public/x6/usertoken/issue")
            .json(json!({}))
            .rejects(404, "no such route"),
        Case::mindbody("GET on issue", M::GET, issue).rejects(405, "POST"),
        Case::mindbody("valid issue as JSON", M::POST, issue)
            .json(json!({"Username": "owner", "Password": "pw"}))
            .accepts(200, "userToken.issue"),
        Case::mindbody("valid issue as a form", M::POST, issue)
            .form("Username=owner&Password=p%26w")
            .accepts(200, "userToken.issue"),
        Case::mindbody("valid issue, empty object (nothing is required)", M::POST, issue)
            .json(json!({}))
            .accepts(200, "userToken.issue"),
        // --- userToken.revoke: DELETE /public/v{version}/usertoken/revoke ----
        Case::mindbody("revoke without siteId", M::DELETE, revoke)
            .without("siteId")
            .invalid("header.siteId", "is required"),
        Case::mindbody("revoke without API-Key", M::DELETE, revoke)
            .without("API-Key")
            .rejects(401, "mindbodyApiKey"),
        Case::mindbody("revoke path without the `v` prefix", M::DELETE, "/public/6/usertoken/revoke")
            .rejects(404, "no such route"),
        Case::mindbody("valid revoke", M::DELETE, revoke)
            .header("authorization", "Bearer staff-token")
            .accepts(200, "userToken.revoke"),
        // --- anywhere --------------------------------------------------------
        Case::losant("unknown path", M::GET, "/nope").rejects(404, "no such route"),
        Case::losant("unknown path below a known prefix", M::GET, "/api/users")
            .rejects(404, "no such route"),
    ]
}

#[tokio::test]
async fn malformed_requests_are_rejected_before_the_implementation_runs() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    run(cases).await;
}

// ---------------------------------------------------------------------------
// What serde's derived decoding alone would let through (each once was a
// generator bug): the server checks the JSON's shape before decoding it.

/// `nullable` is false (the default) for these optional properties, so a
/// present `null` breaks the schema, although the generated types would
/// decode `null` as "absent" (`Option<T>` with `#[serde(default)]`).
#[tokio::test]
async fn null_for_an_optional_non_nullable_property_is_rejected() {
    use Method as M;
    let token = format!("/me/tokens/{TOKEN_ID}");
    run(vec![
        Case::losant("PATCH name is null (not nullable)", M::PATCH, &token)
            .json(json!({"name": null}))
            .invalid("body.name", "null"),
        Case::losant("PATCH status is null (not nullable)", M::PATCH, &token)
            .json(json!({"status": null}))
            .invalid("body.status", "null"),
        Case::losant(
            "POST description is null (not nullable)",
            M::POST,
            "/me/tokens",
        )
        .json(json!({"name": "a", "description": null}))
        .invalid("body.description", "null"),
        Case::mindbody(
            "issue with Username null (not nullable)",
            M::POST,
            "/public/v6/usertoken/issue",
        )
        .json(json!({"Username": null}))
        .invalid("body.Username", "null"),
    ])
    .await;
}

/// Every request body in the spec is `type: object`, but serde's derived
/// `Deserialize` also decodes a struct from a JSON array, field by field in
/// order: `["owner"]` would be an `IssueRequest` with `Username: "owner"`.
#[tokio::test]
async fn an_array_body_is_not_an_object() {
    use Method as M;
    run(vec![
        Case::mindbody(
            "issue with a JSON array",
            M::POST,
            "/public/v6/usertoken/issue",
        )
        .json(json!(["owner", "pw"]))
        .invalid("body", ""),
        Case::foreman(
            "create with a one-element JSON array",
            M::POST,
            "/api/users/1/personal_access_tokens",
        )
        .json(json!([{"name": "a"}]))
        .invalid("body", ""),
        Case::losant("POST with a JSON array", M::POST, "/me/tokens")
            .json(json!([{"name": "a"}]))
            .invalid("body", ""),
        Case::losant(
            "PATCH with a JSON array",
            M::PATCH,
            format!("/me/tokens/{TOKEN_ID}"),
        )
        .json(json!([]))
        .invalid("body", ""),
    ])
    .await;
}

/// The `field` of a violation must name the input: `body` for a body that is
/// not JSON at all, `body.<key>` for a key that `additionalProperties: false`
/// forbids, `path.<name>` for a path value that cannot be decoded.
#[tokio::test]
async fn violations_name_the_offending_input() {
    use Method as M;
    run(vec![
        // Not `body.?` (serde_path_to_error's unknown segment).
        Case::losant("malformed JSON", M::POST, "/me/tokens")
            .raw("application/json", r#"{"name": "a""#)
            .invalid("body", "EOF"),
        Case::mindbody(
            "issue with malformed JSON",
            M::POST,
            "/public/v6/usertoken/issue",
        )
        .raw("application/json", "{")
        .invalid("body", "EOF"),
        // Not doubled (`body.owner.owner`).
        Case::losant(
            "unknown key (additionalProperties: false)",
            M::POST,
            "/me/tokens",
        )
        .json(json!({"name": "a", "owner": "me"}))
        .invalid("body.owner", "unknown field `owner`"),
        Case::losant(
            "PATCH unknown key (additionalProperties: false)",
            M::PATCH,
            format!("/me/tokens/{TOKEN_ID}"),
        )
        .json(json!({"name": "a", "foo": 1}))
        .invalid("body.foo", "unknown field `foo`"),
        Case::losant("orgRoles item with an unknown key", M::POST, "/me/tokens")
            .json(json!({"name": "a", "orgRoles": [{"orgId": "sandbox", "role": "view", "x": 1}]}))
            .invalid("body.orgRoles[0].x", "unknown field `x`"),
        // Not axum's plain-text path rejection.
        Case::foreman(
            "show id that is not UTF-8",
            M::GET,
            "/api/users/1/personal_access_tokens/%FF",
        )
        .invalid("path.id", ""),
    ])
    .await;
}

// ---------------------------------------------------------------------------
// The runner.

struct Harness {
    service: Arc<Recorder>,
    base: String,
    limited_base: String,
    client: reqwest::Client,
}

/// Served by the runtime's connection loop, as the token server is.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        server::serve(
            listener,
            router,
            &server::Limits::default(),
            std::future::pending(),
        )
        .await
        .unwrap()
    });
    format!("http://{addr}")
}

impl Harness {
    async fn start() -> Self {
        let service = Arc::new(Recorder::default());
        let base = serve(server::router(service.clone())).await;
        let limited = server::Limits::default().body(SMALL_LIMIT);
        let limited_base = serve(server::router_with(service.clone(), &limited)).await;
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        Harness {
            service,
            base,
            limited_base,
            client,
        }
    }

    /// Sends the case; `Err` says what went wrong.
    async fn check(&self, case: &Case) -> Result<(), String> {
        let base = if case.limited {
            &self.limited_base
        } else {
            &self.base
        };
        let mut request = self
            .client
            .request(case.method.clone(), format!("{base}{}", case.path));
        for (name, value) in &case.headers {
            let value =
                reqwest::header::HeaderValue::from_bytes(value).map_err(|e| e.to_string())?;
            request = request.header(*name, value);
        }
        if let Some((content_type, bytes)) = &case.body {
            if !content_type.is_empty() {
                request = request.header("content-type", *content_type);
            }
            request = request.body(bytes.clone());
        }
        self.service.take();
        let response = request
            .send()
            .await
            .map_err(|e| format!("transport: {e}"))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.map_err(|e| format!("body: {e}"))?;
        let calls = self.service.take();

        if status != case.status {
            return Err(format!(
                "status {status}, want {}; body: {text}",
                case.status
            ));
        }
        if let Some(op) = case.op {
            return if calls == [op] {
                Ok(())
            } else {
                Err(format!("implementation calls {calls:?}, want [{op:?}]"))
            };
        }
        if !calls.is_empty() {
            return Err(format!("rejected, yet the implementation ran: {calls:?}"));
        }
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if content_type != "application/json" {
            return Err(format!("content-type {content_type:?}; body: {text}"));
        }
        let problem: Problem =
            serde_json::from_str(&text).map_err(|e| format!("not a Problem ({e}): {text}"))?;
        // The same body also satisfies the spec's own `problem` schema.
        serde_json::from_str::<types::Problem>(&text)
            .map_err(|e| format!("not the spec's problem ({e}): {text}"))?;
        let kind = match status {
            400 => "invalid_request",
            401 => "unauthorized",
            404 => "not_found",
            405 => "method_not_allowed",
            413 => "payload_too_large",
            415 => "unsupported_media_type",
            other => return Err(format!("no case should expect {other}")),
        };
        if problem.status != status || problem.error != kind {
            return Err(format!(
                "problem says {} {:?}, want {status} {kind:?}",
                problem.status, problem.error
            ));
        }
        match status {
            400 => {
                let fields: Vec<&str> = problem
                    .violations
                    .iter()
                    .map(|v| v.field.as_str())
                    .collect();
                if fields.is_empty() || fields.iter().any(|f| *f != case.field) {
                    return Err(format!(
                        "violations {:?}, want only field {:?}",
                        problem.violations, case.field
                    ));
                }
                if !problem
                    .violations
                    .iter()
                    .any(|v| v.message.contains(case.message))
                {
                    return Err(format!(
                        "no violation message contains {:?}: {:?}",
                        case.message, problem.violations
                    ));
                }
            }
            _ => {
                if !problem.violations.is_empty() {
                    return Err(format!("unexpected violations {:?}", problem.violations));
                }
                if !problem.message.contains(case.message) {
                    return Err(format!(
                        "message {:?} lacks {:?}",
                        problem.message, case.message
                    ));
                }
            }
        }
        match status {
            401 if headers.get("www-authenticate").is_none() => {
                Err("401 without WWW-Authenticate".into())
            }
            405 if headers.get("allow").and_then(|v| v.to_str().ok()) != Some(case.message) => {
                Err(format!(
                    "Allow header {:?}, want {:?}",
                    headers.get("allow"),
                    case.message
                ))
            }
            _ => Ok(()),
        }
    }
}

async fn run(cases: Vec<Case>) {
    let harness = Harness::start().await;
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(why) = harness.check(case).await {
            failures.push(format!(
                "- case `{}` ({} {}): {why}",
                case.name, case.method, case.path
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// `application/x-www-form-urlencoded` encodes the empty object as the empty
/// string, and `IssueRequest` requires no property: an empty form is a
/// present, valid body, not a missing one.
#[tokio::test]
async fn an_empty_form_is_an_empty_object() {
    run(vec![Case::mindbody(
        "issue with an empty form",
        Method::POST,
        "/public/v6/usertoken/issue",
    )
    .form("")
    .accepts(200, "userToken.issue")])
    .await;
}

/// An implementation that refuses every caller with the typed `401` variant.
struct RefusesEveryone;

impl UserApiToken for RefusesEveryone {
    async fn get(&self, _: UserApiTokenGetInput) -> Outcome<types::UserApiTokenGetResponse> {
        Ok(types::UserApiTokenGetResponse::Unauthorized(
            types::Problem {
                status: 401,
                error: "unauthorized".into(),
                message: "token revoked".into(),
                violations: None,
            },
        ))
    }
}
impl UserApiTokens for RefusesEveryone {}
impl PersonalAccessTokens for RefusesEveryone {}
impl UserToken for RefusesEveryone {}

/// Every `401` carries `WWW-Authenticate` naming the spec's schemes, whether
/// the router refused the request or the implementation answered the typed
/// `Unauthorized` variant.
#[tokio::test]
async fn every_401_carries_a_challenge() {
    let base = serve(server::router(Arc::new(RefusesEveryone))).await;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = format!("{base}/me/tokens/{TOKEN_ID}");
    let by_router = client.get(&url).send().await.unwrap();
    let by_implementation = client
        .get(&url)
        .header("authorization", BEARER)
        .send()
        .await
        .unwrap();
    for (who, response) in [("router", by_router), ("implementation", by_implementation)] {
        assert_eq!(response.status(), 401, "{who}");
        assert_eq!(
            response.headers()["www-authenticate"],
            server::AUTHENTICATE_CHALLENGE,
            "{who}"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], 401, "{who}: {body}");
    }
    assert_eq!(
        server::AUTHENTICATE_CHALLENGE,
        r#"Bearer, Basic, ApiKey header="API-Key""#
    );
}
