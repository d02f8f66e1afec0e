//! The generated client against a real Axum server on a loopback port that
//! records every request: for each of the 11 token operations, the exact
//! request on the wire, and every documented answer decoded into its type.

use generated::tokens::client::{Client, ErrorKind, RequestEncoding};
use generated::tokens::types::*;
use serde_json::json;
use tests::{Canned, RecordingServer};

const BEARER: &str = "Bearer losant-secret";
const BASIC: &str = "Basic YWRtaW46Y2hhbmdlbWU="; // admin:changeme
const API_KEY: &str = "mb-api-key";

fn client(server: &RecordingServer) -> Client {
    Client::builder(server.base_url())
        .losant_bearer("losant-secret")
        .foreman_basic("admin", "changeme")
        .mindbody_api_key(API_KEY)
        .build()
}

fn losant_error() -> serde_json::Value {
    json!({"type": "NotFound", "message": "API token was not found"})
}

fn token_json() -> serde_json::Value {
    json!({"id": "575ec7417ae143cd83dc4a95", "name": "deploy", "status": "active", "scope": ["all.User"]})
}

fn foreman_token() -> serde_json::Value {
    json!({"id": 7, "name": "deploy", "user_id": 3, "expires_at": null, "last_used_at": null, "active?": true, "revoked?": false})
}

fn not_found() -> serde_json::Value {
    json!({"error": {"message": "Resource personal_access_token not found by id '9'"}})
}

/// Exactly the headers that matter, with nothing unexpected beside them.
fn assert_auth(r: &tests::Recorded, want: Option<&str>, header: &str) {
    assert_eq!(r.header(header), want, "{header} header");
    for other in ["authorization", "api-key"] {
        if other != header {
            assert_eq!(r.header(other), None, "unexpected {other} header");
        }
    }
}

#[tokio::test]
async fn user_api_token_get() {
    let server = RecordingServer::start().await;
    let c = client(&server);
    server.answer(Canned::json(200, token_json()));
    let got = c
        .user_api_token()
        .get("575ec7417ae143cd83dc4a95")
        .losantdomain("example.com")
        .send()
        .await
        .unwrap();
    let UserApiTokenGetResponse::Ok(token) = got else {
        panic!("{got:?}")
    };
    assert_eq!(token.name.as_deref(), Some("deploy"));
    let r = server.single();
    assert_eq!(
        (r.method.as_str(), r.path.as_str(), r.query.as_deref()),
        ("GET", "/me/tokens/575ec7417ae143cd83dc4a95", None)
    );
    assert_eq!(r.header("losantdomain"), Some("example.com"));
    assert_auth(&r, Some(BEARER), "authorization");
    assert!(r.body.is_empty());

    for (status, check) in [(400u16, "BadRequest"), (404, "NotFound")] {
        server.answer(Canned::json(status, losant_error()));
        let got = c.user_api_token().get("x").send().await.unwrap();
        assert_eq!(got.status(), status);
        match (&got, check) {
            (UserApiTokenGetResponse::BadRequest(e), "BadRequest")
            | (UserApiTokenGetResponse::NotFound(e), "NotFound") => {
                assert_eq!(e.message.as_deref(), Some("API token was not found"))
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(server.take().len(), 2);
}

#[tokio::test]
async fn user_api_token_patch() {
    let server = RecordingServer::start().await;
    let c = client(&server);
    server.answer(Canned::json(200, token_json()));
    let body = ApiTokenPatch {
        name: Some("renamed".into()),
        status: Some(ApiTokenPatchStatus::Inactive),
        ..Default::default()
    };
    let got = c
        .user_api_token()
        .patch("575ec7417ae143cd83dc4a95", body)
        .send()
        .await
        .unwrap();
    assert!(matches!(got, UserApiTokenPatchResponse::Ok(_)));
    let r = server.single();
    assert_eq!(
        (r.method.as_str(), r.path.as_str(), r.query.as_deref()),
        ("PATCH", "/me/tokens/575ec7417ae143cd83dc4a95", None)
    );
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.json(), json!({"name": "renamed", "status": "inactive"}));
    assert_eq!(
        r.header("losantdomain"),
        None,
        "optional header not set, not sent"
    );
    assert_auth(&r, Some(BEARER), "authorization");
    for status in [400, 404] {
        server.answer(Canned::json(status, losant_error()));
        let got = c
            .user_api_token()
            .patch("x", ApiTokenPatch::default())
            .send()
            .await
            .unwrap();
        assert_eq!(got.status(), status);
    }
}

#[tokio::test]
async fn user_api_token_delete() {
    let server = RecordingServer::start().await;
    let c = client(&server);
    server.answer(Canned::json(200, json!({"success": true})));
    let got = c
        .user_api_token()
        .delete("575ec7417ae143cd83dc4a95")
        .send()
        .await
        .unwrap();
    assert_eq!(
        got,
        UserApiTokenDeleteResponse::Ok(Success {
            success: Some(true)
        })
    );
    let r = server.single();
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("DELETE", "/me/tokens/575ec7417ae143cd83dc4a95")
    );
    assert_auth(&r, Some(BEARER), "authorization");
    server.answer(Canned::json(404, losant_error()));
    assert!(matches!(
        c.user_api_token().delete("x").send().await.unwrap(),
        UserApiTokenDeleteResponse::NotFound(_)
    ));
    server.answer(Canned::json(400, losant_error()));
    assert!(matches!(
        c.user_api_token().delete("x").send().await.unwrap(),
        UserApiTokenDeleteResponse::BadRequest(_)
    ));
}

#[tokio::test]
async fn user_api_tokens_get_serializes_every_query_parameter() {
    let server = RecordingServer::start().await;
    let c = client(&server);
    server.answer(Canned::json(
        200,
        json!({"items": [token_json()], "count": 1, "totalCount": 1, "perPage": 10, "page": 0,
                                           "sortField": "name", "sortDirection": "asc"}),
    ));
    let got = c
        .user_api_tokens()
        .get()
        .sort_field(UserApiTokensGetSortField::CreationDate)
        .sort_direction(UserApiTokensGetSortDirection::Desc)
        .page("2")
        .per_page("10")
        .filter_field(UserApiTokensGetFilterField::Name)
        .filter("my*token")
        .losantdomain("example.com")
        .send()
        .await
        .unwrap();
    let UserApiTokensGetResponse::Ok(list) = got else {
        panic!()
    };
    assert_eq!(list.items.unwrap().len(), 1);
    assert_eq!(list.sort_direction, Some(ApiTokensSortDirection::Asc));
    let r = server.single();
    assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/me/tokens"));
    // RFC 3986 percent-encoding, as the spec's style table writes query
    // strings: everything but unreserved characters (`*` is reserved).
    assert_eq!(
        r.query.as_deref(),
        Some("sortField=creationDate&sortDirection=desc&page=2&perPage=10&filterField=name&filter=my%2Atoken")
    );
    assert_eq!(r.header("losantdomain"), Some("example.com"));
    assert_auth(&r, Some(BEARER), "authorization");

    // Defaults are documented, not sent.
    server.answer(Canned::json(200, json!({})));
    c.user_api_tokens().get().send().await.unwrap();
    assert_eq!(server.single().query, None);
    server.answer(Canned::json(400, losant_error()));
    assert!(matches!(
        c.user_api_tokens().get().send().await.unwrap(),
        UserApiTokensGetResponse::BadRequest(_)
    ));
}

#[tokio::test]
async fn user_api_tokens_post() {
    let server = RecordingServer::start().await;
    let c = client(&server);
    server.answer(Canned::json(201, token_json()));
    let body = ApiTokenPost {
        name: "ci".into(),
        description: None,
        expiration_date: Some("2030-01-01T00:00:00Z".parse().unwrap()),
        default_role: None,
        org_roles: None,
        scope: Some(vec![ApiTokenPostScopeItem::AllUser(
            ApiTokenPostScopeItemAllUser::UserApiTokenStar,
        )]),
        status: None,
    };
    let got = c.user_api_tokens().post(body).send().await.unwrap();
    assert!(matches!(got, UserApiTokensPostResponse::Created(_)));
    let r = server.single();
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/me/tokens"));
    assert_eq!(
        r.json(),
        json!({"name": "ci", "expirationDate": "2030-01-01T00:00:00Z", "scope": ["userApiToken.*"]})
    );
    assert_auth(&r, Some(BEARER), "authorization");
    server.answer(Canned::json(400, losant_error()));
    let got = c.user_api_tokens().post(ApiTokenPost {
        name: "x".into(),
        ..serde_json::from_value(json!({"name": "x"})).unwrap()
    });
    assert!(matches!(
        got.send().await.unwrap(),
        UserApiTokensPostResponse::BadRequest(_)
    ));
}

#[tokio::test]
async fn personal_access_tokens_list() {
    let server = RecordingServer::start().await;
    let c = client(&server);
    server.answer(Canned::json(200, json!({"total": 1, "subtotal": 1, "page": 1, "per_page": 20, "search": "name ~ deploy",
                                           "sort": {"by": "id", "order": "DESC"}, "results": [foreman_token()]})));
    let got = c
        .personal_access_tokens()
        .list("ada lovelace/1")
        .location_id(2)
        .organization_id(1)
        .search("name ~ deploy")
        .order("id DESC")
        .page(1)
        .per_page("20")
        .send()
        .await
        .unwrap();
    let PersonalAccessTokensListResponse::Ok(list) = got else {
        panic!()
    };
    assert_eq!(list.results[0].name, "deploy");
    let r = server.single();
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        (
            "GET",
            "/api/users/ada%20lovelace%2F1/personal_access_tokens"
        )
    );
    assert_eq!(
        r.query.as_deref(),
        // A space is `%20` (not a form's `+`); `~` is unreserved.
        Some("location_id=2&organization_id=1&search=name%20~%20deploy&order=id%20DESC&page=1&per_page=20")
    );
    assert_auth(&r, Some(BASIC), "authorization");
    server.answer(Canned::json(404, not_found()));
    let got = c.personal_access_tokens().list("9").send().await.unwrap();
    let PersonalAccessTokensListResponse::NotFound(e) = got else {
        panic!()
    };
    assert!(e.error.message.contains("not found"));
}

#[tokio::test]
async fn personal_access_tokens_create() {
    let server = RecordingServer::start().await;
    let c = client(&server);
    let mut created = foreman_token();
    created["token_value"] = json!("s3cr3t");
    server.answer(Canned::json(201, created));
    let body = PersonalAccessTokenCreate {
        personal_access_token: PersonalAccessTokenCreatePersonalAccessToken {
            name: "ci".into(),
            expires_at: Some(None),
        },
    };
    let got = c
        .personal_access_tokens()
        .create("3", body)
        .location_id(2)
        .send()
        .await
        .unwrap();
    let PersonalAccessTokensCreateResponse::Created(t) = got else {
        panic!()
    };
    assert_eq!(t.token_value, "s3cr3t");
    let r = server.single();
    assert_eq!(
        (r.method.as_str(), r.path.as_str(), r.query.as_deref()),
        (
            "POST",
            "/api/users/3/personal_access_tokens",
            Some("location_id=2")
        )
    );
    assert_eq!(
        r.json(),
        json!({"personal_access_token": {"name": "ci", "expires_at": null}}),
        "explicit null is sent"
    );
    assert_auth(&r, Some(BASIC), "authorization");

    server.answer(Canned::json(422, json!({"error": {"id": null, "errors": {"name": ["has already been taken"]},
                                                    "full_messages": ["Name has already been taken"]}})));
    let body = PersonalAccessTokenCreate {
        personal_access_token: PersonalAccessTokenCreatePersonalAccessToken {
            name: "ci".into(),
            expires_at: None,
        },
    };
    let got = c
        .personal_access_tokens()
        .create("3", body.clone())
        .send()
        .await
        .unwrap();
    let PersonalAccessTokensCreateResponse::UnprocessableEntity(e) = got else {
        panic!()
    };
    assert_eq!(e.error.errors.unwrap()["name"], ["has already been taken"]);
    assert_eq!(
        server.single().json(),
        json!({"personal_access_token": {"name": "ci"}}),
        "absent is not sent"
    );
    server.answer(Canned::json(404, not_found()));
    assert!(matches!(
        c.personal_access_tokens()
            .create("9", body)
            .send()
            .await
            .unwrap(),
        PersonalAccessTokensCreateResponse::NotFound(_)
    ));
}

#[tokio::test]
async fn personal_access_tokens_show() {
    let server = RecordingServer::start().await;
    let c = client(&server);
    let mut shown = foreman_token();
    shown["created_at"] = json!("2024-01-01T00:00:00Z");
    shown["updated_at"] = json!("2024-01-02T00:00:00Z");
    server.answer(Canned::json(200, shown));
    let got = c
        .personal_access_tokens()
        .show("3", "my token-1")
        .organization_id(1)
        .send()
        .await
        .unwrap();
    let PersonalAccessTokensShowResponse::Ok(t) = got else {
        panic!()
    };
    assert_eq!(t.updated_at.to_rfc3339(), "2024-01-02T00:00:00+00:00");
    let r = server.single();
    assert_eq!(
        (r.method.as_str(), r.path.as_str(), r.query.as_deref()),
        (
            "GET",
            "/api/users/3/personal_access_tokens/my%20token-1",
            Some("organization_id=1")
        )
    );
    assert_auth(&r, Some(BASIC), "authorization");
    server.answer(Canned::json(404, not_found()));
    assert!(matches!(
        c.personal_access_tokens()
            .show("3", "9")
            .send()
            .await
            .unwrap(),
        PersonalAccessTokensShowResponse::NotFound(_)
    ));
}

#[tokio::test]
async fn personal_access_tokens_revoke() {
    let server = RecordingServer::start().await;
    let c = client(&server);
    let mut revoked = foreman_token();
    revoked["revoked?"] = json!(true);
    revoked["active?"] = json!(false);
    server.answer(Canned::json(200, revoked));
    let got = c
        .personal_access_tokens()
        .revoke("3", "7")
        .send()
        .await
        .unwrap();
    let PersonalAccessTokensRevokeResponse::Ok(t) = got else {
        panic!()
    };
    assert!(t.revoked && !t.active);
    let r = server.single();
    assert_eq!(
        (r.method.as_str(), r.path.as_str(), r.query.as_deref()),
        ("DELETE", "/api/users/3/personal_access_tokens/7", None)
    );
    assert_auth(&r, Some(BASIC), "authorization");
    server.answer(Canned::json(404, not_found()));
    assert!(matches!(
        c.personal_access_tokens()
            .revoke("3", "9")
            .send()
            .await
            .unwrap(),
        PersonalAccessTokensRevokeResponse::NotFound(_)
    ));
}

#[tokio::test]
async fn user_token_issue_as_json_and_as_form() {
    let server = RecordingServer::start().await;
    let c = client(&server);
    let answer = json!({"TokenType": "Bearer", "AccessToken": "issued-secret", "Expires": "2026-11-24T00:00:00Z",
                        "User": {"Id": 0, "FirstName": "Owner", "LastName": "Demo", "Type": "Owner"}});
    let body = IssueRequest {
        username: Some("owner".into()),
        password: Some("p@ss word".into()),
    };

    server.answer(Canned::json(200, answer.clone()));
    let got = c
        .user_token()
        .issue("6", "-99", body.clone())
        .send()
        .await
        .unwrap();
    let UserTokenIssueResponse::Ok(issued) = got else {
        panic!("{got:?}")
    };
    assert_eq!(issued.access_token.as_deref(), Some("issued-secret"));
    let r = server.single();
    assert_eq!(
        (r.method.as_str(), r.path.as_str(), r.query.as_deref()),
        ("POST", "/public/v6/usertoken/issue", None)
    );
    assert_eq!(r.header("siteid"), Some("-99"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.json(),
        json!({"Username": "owner", "Password": "p@ss word"})
    );
    assert_auth(&r, Some(API_KEY), "api-key");

    server.answer(Canned::json(200, answer));
    c.user_token()
        .issue("6", "-99", body)
        .encoding(RequestEncoding::Form)
        .send()
        .await
        .unwrap();
    let r = server.single();
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        "Username=owner&Password=p%40ss+word"
    );
}

#[tokio::test]
async fn user_token_revoke() {
    let server = RecordingServer::start().await;
    let c = client(&server);
    server.answer(Canned::json(200, json!({})));
    let got = c
        .user_token()
        .revoke("6", "-99")
        .authorization("staff-token")
        .send()
        .await
        .unwrap();
    assert_eq!(got, UserTokenRevokeResponse::Ok(serde_json::Map::new()));
    let r = server.single();
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("DELETE", "/public/v6/usertoken/revoke")
    );
    assert_eq!(r.header("siteid"), Some("-99"));
    assert_eq!(r.header("authorization"), Some("staff-token"));
    assert_eq!(r.header("api-key"), Some(API_KEY));
}

#[tokio::test]
async fn path_values_are_percent_encoded_in_segment() {
    let server = RecordingServer::start().await;
    server.answer(Canned::json(200, json!({})));
    client(&server)
        .user_token()
        .revoke("6/../x?", "-99")
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.single().path,
        "/public/v6%2F..%2Fx%3F/usertoken/revoke"
    );
}

#[tokio::test]
async fn no_credentials_means_no_auth_headers_and_defaults_apply() {
    let server = RecordingServer::start().await;
    let c = Client::builder(format!("{}/", server.base_url()))
        .default_header("x-trace".parse().unwrap(), "abc".parse().unwrap())
        .timeout(std::time::Duration::from_secs(5))
        .http_client(reqwest::Client::new())
        .build();
    server.answer(Canned::json(200, json!({"success": true})));
    c.user_api_token().delete("1").send().await.unwrap();
    let r = server.single();
    assert_eq!(
        r.path, "/me/tokens/1",
        "trailing slash of the base URL is not doubled"
    );
    assert_eq!(r.header("authorization"), None);
    assert_eq!(r.header("x-trace"), Some("abc"));
}

/// Every operation decodes the answers every server may give on its own
/// behalf: 400 and 401 (and 403 where scopes apply), as typed variants.
#[tokio::test]
async fn every_operation_decodes_its_problem_statuses() {
    let server = RecordingServer::start().await;
    let c = client(&server);
    let problem = |status: u16| {
        Canned::json(
            status,
            json!({"status": status, "error": "x", "message": "m"}),
        )
    };
    let create = || PersonalAccessTokenCreate {
        personal_access_token: PersonalAccessTokenCreatePersonalAccessToken {
            name: "n".into(),
            expires_at: None,
        },
    };
    let issue = || IssueRequest {
        username: None,
        password: None,
    };
    for status in [400u16, 401, 403] {
        let mut got: Vec<(&str, u16)> = Vec::new();
        macro_rules! call {
            ($name:expr, $request:expr) => {{
                server.answer(problem(status));
                match $request.send().await {
                    Ok(r) => got.push(($name, r.status())),
                    Err(e) => got.push(($name, e.status().map(|s| s + 1000).unwrap_or(0))),
                }
            }};
        }
        call!("userApiToken.get", c.user_api_token().get("1"));
        call!(
            "userApiToken.patch",
            c.user_api_token().patch("1", ApiTokenPatch::default())
        );
        call!("userApiToken.delete", c.user_api_token().delete("1"));
        call!("userApiTokens.get", c.user_api_tokens().get());
        call!(
            "userApiTokens.post",
            c.user_api_tokens()
                .post(serde_json::from_value(json!({"name": "n"})).unwrap())
        );
        call!(
            "personalAccessTokens.list",
            c.personal_access_tokens().list("1")
        );
        call!(
            "personalAccessTokens.create",
            c.personal_access_tokens().create("1", create())
        );
        call!(
            "personalAccessTokens.show",
            c.personal_access_tokens().show("1", "2")
        );
        call!(
            "personalAccessTokens.revoke",
            c.personal_access_tokens().revoke("1", "2")
        );
        call!("userToken.issue", c.user_token().issue("6", "-99", issue()));
        call!("userToken.revoke", c.user_token().revoke("6", "-99"));
        for (name, decoded) in got {
            // 403 is documented for the Losant operations only; elsewhere it is undocumented.
            let documented = status != 403 || name.starts_with("userApiToken");
            let want = if documented { status } else { status + 1000 };
            assert_eq!(decoded, want, "{name} answering {status}");
        }
    }
}

mod failures {
    use super::*;

    #[tokio::test]
    async fn wrong_base_url_is_a_transport_error() {
        let err = Client::new("not a url")
            .user_api_token()
            .get("1")
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
        assert_eq!(err.operation().map(|op| op.id), Some("userApiToken.get"));
    }

    #[tokio::test]
    async fn refused_connection_is_a_transport_error() {
        // Bind then drop: the port is closed when the client calls.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let err = Client::new(format!("http://{addr}"))
            .user_api_token()
            .get("1")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Transport(e) if e.is_connect()),
            "{err:?}"
        );
        assert_eq!(err.status(), None);
    }

    #[tokio::test]
    async fn undocumented_500_with_html_keeps_status_headers_and_body() {
        let server = RecordingServer::start().await;
        server.answer(Canned::raw(500, "text/html", b"<html>oops</html>"));
        let err = client(&server)
            .user_api_token()
            .get("1")
            .send()
            .await
            .unwrap_err();
        let ErrorKind::UnexpectedStatus {
            status,
            headers,
            body,
        } = err.kind()
        else {
            panic!("{err:?}")
        };
        assert_eq!(*status, 500);
        assert_eq!(headers.get("content-type").unwrap(), "text/html");
        assert_eq!(body, b"<html>oops</html>");
        // The excerpt of an undocumented answer: the server's account of it.
        assert_eq!(
            err.to_string(),
            "`userApiToken.get` (GET /me/tokens/{apiTokenId}): undocumented status 500 (17 body bytes): <html>oops</html>"
        );
    }

    #[tokio::test]
    async fn truncated_json_is_a_decode_error_with_the_raw_body() {
        let server = RecordingServer::start().await;
        server.answer(Canned::raw(
            200,
            "application/json",
            br#"{"name": "deploy", "token": "leaked-sec"#,
        ));
        let err = client(&server)
            .user_api_token()
            .get("1")
            .send()
            .await
            .unwrap_err();
        let ErrorKind::Decode {
            status,
            body,
            reason,
            ..
        } = err.kind()
        else {
            panic!("{err:?}")
        };
        assert_eq!(*status, 200);
        assert!(body.starts_with(br#"{"name""#));
        // Where it ended (the JSON path), how, never what.
        assert!(reason.contains("Eof error"), "{reason}");
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains("leaked-sec"), "{shown}");
        }
    }

    #[tokio::test]
    async fn wrong_shape_is_a_decode_error_without_the_values() {
        let server = RecordingServer::start().await;
        server.answer(Canned::json(201, json!({"id": 1, "name": "x", "user_id": "not-a-number-secret", "expires_at": null,
                                                "last_used_at": null, "active?": true, "revoked?": false, "token_value": "t"})));
        let body = PersonalAccessTokenCreate {
            personal_access_token: PersonalAccessTokenCreatePersonalAccessToken {
                name: "x".into(),
                expires_at: None,
            },
        };
        let err = client(&server)
            .personal_access_tokens()
            .create("1", body)
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Decode { status: 201, .. }));
        assert!(!err.to_string().contains("not-a-number-secret"), "{err}");
    }

    #[tokio::test]
    async fn unknown_enum_value_in_a_response_is_kept() {
        let server = RecordingServer::start().await;
        let mut token = token_json();
        token["status"] = json!("suspended");
        server.answer(Canned::json(200, token));
        let got = client(&server)
            .user_api_token()
            .get("1")
            .send()
            .await
            .unwrap();
        let UserApiTokenGetResponse::Ok(t) = got else {
            panic!()
        };
        assert_eq!(t.status, Some(ApiTokenStatus::Unknown("suspended".into())));
    }

    #[tokio::test]
    async fn secrets_never_print() {
        let server = RecordingServer::start().await;
        let c = client(&server);
        let debug = format!("{c:?}");
        for secret in ["losant-secret", "changeme", API_KEY] {
            assert!(!debug.contains(secret), "{debug}");
        }
        let request = c
            .user_token()
            .revoke("6", "-99")
            .authorization("staff-token");
        assert!(!format!("{request:?}").contains("staff-token"));
        let builder = Client::builder("http://x").losant_bearer("losant-secret");
        assert!(!format!("{builder:?}").contains("losant-secret"));
    }

    #[tokio::test]
    async fn a_header_value_that_cannot_be_sent_is_an_invalid_request() {
        let server = RecordingServer::start().await;
        let err = client(&server)
            .user_token()
            .revoke("6", "bad\nvalue")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::InvalidRequest(m) if m.contains("siteId")),
            "{err:?}"
        );
        assert!(server.take().is_empty(), "nothing was sent");
    }
}
