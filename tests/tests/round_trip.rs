//! The generated client against the generated router serving the example
//! in-memory implementation (`token_server::TokenService`), over real
//! HTTP on a loopback port: every operation, every documented status.

use std::sync::Arc;

use generated::tokens::client::{Client, RequestEncoding};
use generated::tokens::types::*;
use token_server::TokenService;

async fn serve() -> String {
    let app = generated::tokens::server::router(Arc::new(TokenService::new()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    format!("http://{addr}")
}

async fn client() -> Client {
    Client::builder(serve().await)
        .losant_bearer("demo-losant-token")
        .foreman_basic("admin", "changeme")
        .mindbody_api_key("demo-api-key")
        .build()
}

fn post_body(name: &str) -> ApiTokenPost {
    serde_json::from_value(
        serde_json::json!({"name": name, "scope": ["all.User"], "status": "active"}),
    )
    .expect("body")
}

#[tokio::test]
async fn losant_tokens_every_operation_and_status() {
    let c = client().await;

    // userApiTokens.post: 201 with the secret once, 400 on an invalid body.
    let UserApiTokensPostResponse::Created(created) = c
        .user_api_tokens()
        .post(post_body("deploy"))
        .send()
        .await
        .unwrap()
    else {
        panic!("expected 201")
    };
    let id = created.id.clone().expect("id");
    assert!(
        created.token.as_deref().is_some_and(|t| !t.is_empty()),
        "secret returned on create"
    );
    let got = c
        .user_api_tokens()
        .post(post_body(""))
        .send()
        .await
        .unwrap();
    let UserApiTokensPostResponse::BadRequest(e) = got else {
        panic!("{got:?}")
    };
    assert!(e.message.unwrap().contains("body.name"));
    c.user_api_tokens()
        .post(post_body("other"))
        .send()
        .await
        .unwrap();

    // userApiToken.get: 200 (secret not shown again), 404, 400.
    let UserApiTokenGetResponse::Ok(token) = c.user_api_token().get(&id).send().await.unwrap()
    else {
        panic!()
    };
    assert_eq!(token.name.as_deref(), Some("deploy"));
    assert_eq!(token.token, None, "the secret is returned only once");
    assert!(matches!(
        c.user_api_token()
            .get("aaaaaaaaaaaaaaaaaaaaaaaa")
            .send()
            .await
            .unwrap(),
        UserApiTokenGetResponse::NotFound(_)
    ));
    assert!(matches!(
        c.user_api_token().get("not-an-id").send().await.unwrap(),
        UserApiTokenGetResponse::BadRequest(_)
    ));

    // userApiTokens.get: 200 with sort/filter/paging.
    let listed = c
        .user_api_tokens()
        .get()
        .sort_field(UserApiTokensGetSortField::Name)
        .sort_direction(UserApiTokensGetSortDirection::Desc)
        .filter_field(UserApiTokensGetFilterField::Name)
        .filter("dep*")
        .per_page("10")
        .send()
        .await
        .unwrap();
    let UserApiTokensGetResponse::Ok(page) = listed else {
        panic!()
    };
    let names: Vec<_> = page
        .items
        .unwrap()
        .into_iter()
        .filter_map(|t| t.name)
        .collect();
    assert_eq!(names, ["deploy"]);
    // `page` is any string in the spec: text that is not a number means the
    // default page, never a 400. (Every input the typed client can express is
    // valid here, so this operation's 400 is proven by server_validation.rs.)
    let UserApiTokensGetResponse::Ok(first) =
        c.user_api_tokens().get().page("abc").send().await.unwrap()
    else {
        panic!()
    };
    assert_eq!(first.page, Some(0));

    // userApiToken.patch: 200, 404, 400.
    let patch = ApiTokenPatch {
        name: Some("renamed".into()),
        status: Some(ApiTokenPatchStatus::Inactive),
        ..Default::default()
    };
    let UserApiTokenPatchResponse::Ok(t) = c
        .user_api_token()
        .patch(&id, patch.clone())
        .send()
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (t.name.as_deref(), t.status),
        (Some("renamed"), Some(ApiTokenStatus::Inactive))
    );
    assert!(matches!(
        c.user_api_token()
            .patch("aaaaaaaaaaaaaaaaaaaaaaaa", patch)
            .send()
            .await
            .unwrap(),
        UserApiTokenPatchResponse::NotFound(_)
    ));
    let bad = ApiTokenPatch {
        name: Some(String::new()),
        ..Default::default()
    };
    assert!(matches!(
        c.user_api_token().patch(&id, bad).send().await.unwrap(),
        UserApiTokenPatchResponse::BadRequest(_)
    ));

    // userApiToken.delete: 200, then 404, and 400 on a malformed id.
    assert!(matches!(
        c.user_api_token().delete(&id).send().await.unwrap(),
        UserApiTokenDeleteResponse::Ok(Success {
            success: Some(true)
        })
    ));
    assert!(matches!(
        c.user_api_token().delete(&id).send().await.unwrap(),
        UserApiTokenDeleteResponse::NotFound(_)
    ));
    assert!(matches!(
        c.user_api_token().delete("zz").send().await.unwrap(),
        UserApiTokenDeleteResponse::BadRequest(_)
    ));
}

#[tokio::test]
async fn a_created_token_authenticates_and_its_scopes_are_enforced() {
    let base = serve().await;
    let admin = Client::builder(&base)
        .losant_bearer("demo-losant-token")
        .build();
    // A token that may only read tokens.
    let body: ApiTokenPost = serde_json::from_value(
        serde_json::json!({"name": "reader", "scope": ["userApiTokens.get"]}),
    )
    .unwrap();
    let UserApiTokensPostResponse::Created(reader) =
        admin.user_api_tokens().post(body).send().await.unwrap()
    else {
        panic!()
    };
    let reader = Client::builder(&base)
        .losant_bearer(reader.token.unwrap())
        .build();
    assert!(matches!(
        reader.user_api_tokens().get().send().await.unwrap(),
        UserApiTokensGetResponse::Ok(_)
    ));
    let got = reader
        .user_api_tokens()
        .post(post_body("nope"))
        .send()
        .await
        .unwrap();
    assert!(
        matches!(got, UserApiTokensPostResponse::Forbidden(_)),
        "{got:?}"
    );
    let stranger = Client::builder(&base).losant_bearer("who-knows").build();
    let got = stranger.user_api_tokens().get().send().await.unwrap();
    assert!(
        matches!(got, UserApiTokensGetResponse::Unauthorized(_)),
        "{got:?}"
    );
    // No credentials at all: 401 before any implementation code runs.
    let anonymous = Client::new(&base);
    assert_eq!(
        anonymous
            .user_api_token()
            .delete("x")
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

#[tokio::test]
async fn foreman_tokens_every_operation_and_status() {
    let c = client().await;
    let create = |name: &str| PersonalAccessTokenCreate {
        personal_access_token: PersonalAccessTokenCreatePersonalAccessToken {
            name: name.into(),
            expires_at: Some(None),
        },
    };
    let PersonalAccessTokensCreateResponse::Created(t) = c
        .personal_access_tokens()
        .create("1", create("ci"))
        .send()
        .await
        .unwrap()
    else {
        panic!()
    };
    assert!(!t.token_value.is_empty());
    let got = c
        .personal_access_tokens()
        .create("1", create("ci"))
        .send()
        .await
        .unwrap();
    let PersonalAccessTokensCreateResponse::UnprocessableEntity(e) = got else {
        panic!("{got:?}")
    };
    assert_eq!(e.error.errors.unwrap()["name"], ["has already been taken"]);
    assert!(matches!(
        c.personal_access_tokens()
            .create("999", create("x"))
            .send()
            .await
            .unwrap(),
        PersonalAccessTokensCreateResponse::NotFound(_)
    ));

    let PersonalAccessTokensListResponse::Ok(list) = c
        .personal_access_tokens()
        .list("1")
        .search("ci")
        .send()
        .await
        .unwrap()
    else {
        panic!()
    };
    assert!(list.results.iter().any(|r| r.name == "ci"));
    assert!(matches!(
        c.personal_access_tokens().list("999").send().await.unwrap(),
        PersonalAccessTokensListResponse::NotFound(_)
    ));

    let id = t.id.to_string();
    let PersonalAccessTokensShowResponse::Ok(shown) = c
        .personal_access_tokens()
        .show("1", &id)
        .send()
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(shown.name, "ci");
    assert!(matches!(
        c.personal_access_tokens()
            .show("1", "424242")
            .send()
            .await
            .unwrap(),
        PersonalAccessTokensShowResponse::NotFound(_)
    ));

    let PersonalAccessTokensRevokeResponse::Ok(revoked) = c
        .personal_access_tokens()
        .revoke("1", &id)
        .send()
        .await
        .unwrap()
    else {
        panic!()
    };
    assert!(revoked.revoked && !revoked.active);
    assert!(matches!(
        c.personal_access_tokens()
            .revoke("1", "424242")
            .send()
            .await
            .unwrap(),
        PersonalAccessTokensRevokeResponse::NotFound(_)
    ));

    let wrong = Client::builder(c.base_url())
        .foreman_basic("admin", "wrong")
        .build();
    assert!(matches!(
        wrong
            .personal_access_tokens()
            .list("1")
            .send()
            .await
            .unwrap(),
        PersonalAccessTokensListResponse::Unauthorized(_)
    ));
}

#[tokio::test]
async fn mindbody_issue_and_revoke() {
    let c = client().await;
    let login = IssueRequest {
        username: Some("owner".into()),
        password: Some("demo-password".into()),
    };
    for encoding in [RequestEncoding::Json, RequestEncoding::Form] {
        let got = c
            .user_token()
            .issue("6", "-99", login.clone())
            .encoding(encoding)
            .send()
            .await
            .unwrap();
        let UserTokenIssueResponse::Ok(issued) = got else {
            panic!("{got:?}")
        };
        let token = issued.access_token.expect("token");
        assert_eq!(issued.user.unwrap().type_.as_deref(), Some("Owner"));
        let got = c
            .user_token()
            .revoke("6", "-99")
            .authorization(format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        assert!(matches!(got, UserTokenRevokeResponse::Ok(_)), "{got:?}");
        // Revoked: it no longer works.
        let got = c
            .user_token()
            .revoke("6", "-99")
            .authorization(token)
            .send()
            .await
            .unwrap();
        assert!(
            matches!(got, UserTokenRevokeResponse::Unauthorized(_)),
            "{got:?}"
        );
    }
    let wrong = IssueRequest {
        username: Some("owner".into()),
        password: Some("nope".into()),
    };
    assert!(matches!(
        c.user_token()
            .issue("6", "-99", wrong)
            .send()
            .await
            .unwrap(),
        UserTokenIssueResponse::Unauthorized(_)
    ));
}
