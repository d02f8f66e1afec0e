//! Calls every token operation through the generated client against a
//! server given on the command line (Prism's mock in
//! `tests/conformance/prism.sh`). Exits non-zero unless every call gets its
//! documented success answer and decodes it.

use generated::tokens::client::{Client, RequestEncoding};
use generated::tokens::types::*;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let Some(base_url) = std::env::args().nth(1) else {
        eprintln!("usage: conformance <base-url>");
        return std::process::ExitCode::from(2);
    };
    let c = Client::builder(base_url)
        .losant_bearer("losant-token")
        .foreman_basic("admin", "changeme")
        .mindbody_api_key("mindbody-key")
        .build();
    let id = "575ec7417ae143cd83dc4a95";
    let issue = IssueRequest {
        username: Some("owner".into()),
        password: Some("secret".into()),
    };
    let create = PersonalAccessTokenCreate {
        personal_access_token: PersonalAccessTokenCreatePersonalAccessToken {
            name: "ci".into(),
            expires_at: Some(Some("2030-01-01T00:00:00Z".parse().expect("date"))),
        },
    };
    let post = ApiTokenPost {
        name: "ci".into(),
        description: Some("conformance".into()),
        expiration_date: None,
        default_role: Some(ApiTokenPostDefaultRole::View),
        org_roles: None,
        scope: Some(vec![ApiTokenPostScopeItem::AllUser(
            ApiTokenPostScopeItemAllUser::AllUser,
        )]),
        status: Some(ApiTokenPostStatus::Active),
    };

    let mut failures = 0;
    let mut check = |name: &str, outcome: Result<bool, String>| match outcome {
        Ok(true) => println!("ok    {name}"),
        Ok(false) => {
            failures += 1;
            println!("FAIL  {name}: not the documented success answer");
        }
        Err(e) => {
            failures += 1;
            println!("FAIL  {name}: {e}");
        }
    };
    let e = |e: generated::tokens::client::Error| e.to_string();

    check(
        "userApiToken.get",
        c.user_api_token()
            .get(id)
            .losantdomain("example.com")
            .send()
            .await
            .map(|r| matches!(r, UserApiTokenGetResponse::Ok(_)))
            .map_err(e),
    );
    let patch = ApiTokenPatch {
        name: Some("renamed".into()),
        ..Default::default()
    };
    check(
        "userApiToken.patch",
        c.user_api_token()
            .patch(id, patch)
            .send()
            .await
            .map(|r| matches!(r, UserApiTokenPatchResponse::Ok(_)))
            .map_err(e),
    );
    check(
        "userApiToken.delete",
        c.user_api_token()
            .delete(id)
            .send()
            .await
            .map(|r| matches!(r, UserApiTokenDeleteResponse::Ok(_)))
            .map_err(e),
    );
    check(
        "userApiTokens.get",
        c.user_api_tokens()
            .get()
            .sort_field(UserApiTokensGetSortField::LastUpdated)
            .sort_direction(UserApiTokensGetSortDirection::Desc)
            .page("0")
            .per_page("10")
            .filter_field(UserApiTokensGetFilterField::Status)
            .filter("act*")
            .send()
            .await
            .map(|r| matches!(r, UserApiTokensGetResponse::Ok(_)))
            .map_err(e),
    );
    check(
        "userApiTokens.post",
        c.user_api_tokens()
            .post(post)
            .send()
            .await
            .map(|r| matches!(r, UserApiTokensPostResponse::Created(_)))
            .map_err(e),
    );
    check(
        "personalAccessTokens.list",
        c.personal_access_tokens()
            .list("3")
            .location_id(1)
            .organization_id(2)
            .search("name = ci")
            .order("id DESC")
            .page(1)
            .per_page("all")
            .send()
            .await
            .map(|r| matches!(r, PersonalAccessTokensListResponse::Ok(_)))
            .map_err(e),
    );
    check(
        "personalAccessTokens.create",
        c.personal_access_tokens()
            .create("3", create)
            .send()
            .await
            .map(|r| matches!(r, PersonalAccessTokensCreateResponse::Created(_)))
            .map_err(e),
    );
    check(
        "personalAccessTokens.show",
        c.personal_access_tokens()
            .show("3", "my token")
            .send()
            .await
            .map(|r| matches!(r, PersonalAccessTokensShowResponse::Ok(_)))
            .map_err(e),
    );
    check(
        "personalAccessTokens.revoke",
        c.personal_access_tokens()
            .revoke("3", "7")
            .send()
            .await
            .map(|r| matches!(r, PersonalAccessTokensRevokeResponse::Ok(_)))
            .map_err(e),
    );
    check(
        "userToken.issue (json)",
        c.user_token()
            .issue("6", "-99", issue.clone())
            .send()
            .await
            .map(|r| matches!(r, UserTokenIssueResponse::Ok(_)))
            .map_err(e),
    );
    check(
        "userToken.issue (form)",
        c.user_token()
            .issue("6", "-99", issue)
            .encoding(RequestEncoding::Form)
            .send()
            .await
            .map(|r| matches!(r, UserTokenIssueResponse::Ok(_)))
            .map_err(e),
    );
    check(
        "userToken.revoke",
        c.user_token()
            .revoke("6", "-99")
            .authorization("staff-token")
            .send()
            .await
            .map(|r| matches!(r, UserTokenRevokeResponse::Ok(_)))
            .map_err(e),
    );
    if failures == 0 {
        println!("all operations conform");
        std::process::ExitCode::SUCCESS
    } else {
        println!("{failures} operation(s) failed");
        std::process::ExitCode::FAILURE
    }
}
