//! The generated token models decode what the vendors send, re-encode it
//! unchanged, and keep the spec's promises (open enums, three-state fields,
//! redacted secrets).

use std::str::FromStr;

use generated::tokens::types::*;
use serde_json::{json, Value};

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> T {
    let decoded: T = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        value,
        "re-encodes unchanged"
    );
    decoded
}

fn losant_token() -> Value {
    json!({
        "id": "575ec7417ae143cd83dc4a95",
        "apiTokenId": "575ec7417ae143cd83dc4a95",
        "ownerId": "575ec7417ae143cd83dc4a96",
        "ownerType": "user",
        "creatorId": "575ec7417ae143cd83dc4a96",
        "creatorType": "user",
        "creatorName": "Ada",
        "name": "deploy",
        "description": "CI deploys",
        "creationDate": "2016-06-13T04:00:00Z",
        "lastUpdated": "2016-06-13T04:00:00Z",
        "expirationDate": "2030-01-01T00:00:00Z",
        "defaultRole": "view",
        "orgRoles": [
            {"orgId": "sandbox", "role": "edit"},
            {"orgId": "575ec7417ae143cd83dc4a97", "role": "admin",
             "applicationRoles": [{"resourceId": "575ec7417ae143cd83dc4a98", "role": "view"}]}
        ],
        "scope": ["all.User", "userApiToken.*"],
        "status": "active",
        "token": "secret-token-value"
    })
}

#[test]
fn losant_api_token_round_trips_with_typed_fields() {
    let token: ApiToken = round_trip(losant_token());
    assert_eq!(token.status, Some(ApiTokenStatus::Active));
    assert_eq!(
        token.creation_date.unwrap().to_rfc3339(),
        "2016-06-13T04:00:00+00:00"
    );
    let roles = token.org_roles.unwrap();
    assert_eq!(
        roles[0].org_id,
        ApiTokenOrgRolesItemOrgId::Sandbox(ApiTokenOrgRolesItemOrgIdSandbox::Sandbox)
    );
    assert_eq!(
        roles[1].org_id,
        ApiTokenOrgRolesItemOrgId::String("575ec7417ae143cd83dc4a97".into())
    );
}

#[test]
fn response_enums_keep_unknown_values() {
    let mut value = losant_token();
    value["status"] = json!("suspended");
    value["creatorType"] = json!("robot");
    let token: ApiToken = round_trip(value);
    assert_eq!(
        token.status,
        Some(ApiTokenStatus::Unknown("suspended".into()))
    );
    assert_eq!(token.creator_type.unwrap().as_str(), "robot");
    assert_eq!(
        ApiTokenStatus::from_str("inactive").unwrap(),
        ApiTokenStatus::Inactive
    );
}

#[test]
fn request_enums_are_closed() {
    assert!(serde_json::from_value::<ApiTokenPatchStatus>(json!("suspended")).is_err());
    let err = UserApiTokensGetSortField::from_str("size").unwrap_err();
    assert_eq!(
        err.to_string(),
        "`size` is not a valid UserApiTokensGetSortField"
    );
    assert_eq!(
        UserApiTokensGetSortField::CreationDate.to_string(),
        "creationDate"
    );
}

#[test]
fn additional_properties_false_rejects_unknown_keys() {
    let ok: ApiTokenPatch = round_trip(json!({"name": "renamed", "status": "inactive"}));
    assert_eq!(ok.name.as_deref(), Some("renamed"));
    let err =
        serde_json::from_value::<ApiTokenPatch>(json!({"name": "x", "bogus": 1})).unwrap_err();
    assert!(err.to_string().contains("unknown field `bogus`"), "{err}");
    // The nested role objects are closed too.
    let err = serde_json::from_value::<ApiTokenPatch>(
        json!({"orgRoles": [{"orgId": "sandbox", "role": "view", "extra": true}]}),
    );
    assert!(err.is_err());
}

#[test]
fn api_token_post_scopes_decode_into_their_families() {
    let post: ApiTokenPost = round_trip(json!({
        "name": "ci",
        "scope": ["all.User", "userApiToken.*", "all.Application", "all.Organization.read", "all.Instance"],
        "expirationDate": "2030-01-01T00:00:00Z"
    }));
    let scope = post.scope.unwrap();
    assert_eq!(
        scope[0],
        ApiTokenPostScopeItem::AllUser(ApiTokenPostScopeItemAllUser::AllUser)
    );
    assert_eq!(
        scope[1],
        ApiTokenPostScopeItem::AllUser(ApiTokenPostScopeItemAllUser::UserApiTokenStar)
    );
    assert!(matches!(scope[2], ApiTokenPostScopeItem::OneOf(_)));
    assert!(matches!(scope[4], ApiTokenPostScopeItem::AllInstance(_)));
    // Not a scope at all.
    assert!(
        serde_json::from_value::<ApiTokenPost>(json!({"name": "x", "scope": ["root"]})).is_err()
    );
    // `name` is required.
    assert!(serde_json::from_value::<ApiTokenPost>(json!({"scope": []})).is_err());
}

#[test]
fn foreman_tokens_keep_question_mark_keys() {
    let listed: PersonalAccessTokenList = round_trip(json!({
        "total": 1, "subtotal": 1, "page": 1, "per_page": 20, "search": null,
        "sort": {"by": null, "order": null},
        "results": [{"id": 7, "name": "deploy", "user_id": 3, "expires_at": null, "last_used_at": "2024-01-02T03:04:05Z",
                     "active?": true, "revoked?": false}]
    }));
    let first = &listed.results[0];
    assert!(first.active && !first.revoked);
    assert_eq!(first.expires_at, None);
    let created: PersonalAccessTokenCreated = round_trip(json!({
        "id": 8, "name": "ci", "user_id": 3, "expires_at": "2030-01-01T00:00:00Z", "last_used_at": null,
        "active?": true, "revoked?": false, "token_value": "s3cr3t-value"
    }));
    assert_eq!(created.token_value, "s3cr3t-value");
}

#[test]
fn optional_nullable_fields_keep_three_states() {
    for (body, want) in [
        (json!({"name": "a"}), None),
        (json!({"name": "a", "expires_at": null}), Some(None)),
        (
            json!({"name": "a", "expires_at": "2030-01-01T00:00:00Z"}),
            Some(Some("2030-01-01T00:00:00+00:00".to_string())),
        ),
    ] {
        let t: PersonalAccessTokenCreatePersonalAccessToken = round_trip(body);
        assert_eq!(t.expires_at.map(|o| o.map(|d| d.to_rfc3339())), want);
    }
}

#[test]
fn mindbody_issue_response_decodes_with_user() {
    let r: IssueResponse = round_trip(json!({
        "TokenType": "Bearer", "AccessToken": "mb-secret", "Expires": "2026-11-23T00:00:00Z",
        "User": {"Id": 0, "FirstName": "Owner", "LastName": "Demo", "Type": "Owner"}
    }));
    assert_eq!(r.user.unwrap().id, Some(0));
}

#[test]
fn secrets_never_print_in_debug() {
    let token: ApiToken = serde_json::from_value(losant_token()).unwrap();
    let created = PersonalAccessTokenCreated {
        id: 1,
        name: "n".into(),
        user_id: 2,
        expires_at: None,
        last_used_at: None,
        active: true,
        revoked: false,
        token_value: "s3cr3t-value".into(),
    };
    let issue = IssueRequest {
        username: Some("owner".into()),
        password: Some("hunter2".into()),
    };
    let response = IssueResponse {
        access_token: Some("mb-secret".into()),
        ..Default::default()
    };
    for (debug, secret) in [
        (format!("{token:?}"), "secret-token-value"),
        (format!("{created:?}"), "s3cr3t-value"),
        (format!("{issue:?}"), "hunter2"),
        (format!("{response:?}"), "mb-secret"),
    ] {
        assert!(!debug.contains(secret), "{debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
    }
    assert!(
        format!("{issue:?}").contains("owner"),
        "non-secret fields still print"
    );
}

mod edge_cases {
    use generated::keywords_and_punctuation::types as kw;
    use generated::nested_inline::types as nested;
    use generated::oneof_shapes::types as shapes;
    use serde_json::json;

    use super::round_trip;

    #[test]
    fn discriminator_picks_the_alternative_even_when_shapes_overlap() {
        let pets: Vec<shapes::Pet> =
            round_trip(json!([{"kind": "dog", "good": true}, {"kind": "cat", "lives": 9}]));
        assert!(matches!(&pets[0], shapes::Pet::Dog(d) if d.good == Some(true)));
        assert!(matches!(&pets[1], shapes::Pet::Cat(c) if c.lives == Some(9)));
        let err = serde_json::from_value::<shapes::Pet>(json!({"kind": "cow"})).unwrap_err();
        assert!(
            err.to_string()
                .contains("`kind` is Some(\"cow\"); expected one of: cat, dog"),
            "{err}"
        );
    }

    #[test]
    fn a_choice_among_all_of_parts_is_one_struct_per_alternative() {
        let forms: Vec<shapes::RoundForm> = round_trip(json!([
            {"name": "r1", "syncUrl": "https://example.com/g.pgn", "delay": 5},
            {"name": "r2"}
        ]));
        assert!(matches!(&forms[0], shapes::RoundForm::FromUrl(f)
            if f.sync_url == "https://example.com/g.pgn" && f.delay == Some(5)));
        assert!(matches!(&forms[1], shapes::RoundForm::Push(p) if p.name == "r2"));
    }

    #[test]
    fn recursive_schemas_are_boxed_and_round_trip() {
        let tree: shapes::Tree =
            round_trip(json!({"parent": {"children": [{}]}, "children": [{"parent": {}}]}));
        assert!(tree.parent.unwrap().children.unwrap()[0].parent.is_none());
    }

    #[test]
    fn keyword_and_punctuation_names_keep_their_wire_names() {
        let value = json!({"self": "s", "Self": "S", "active?": true, "+1": 1, "-1": -1, "": "empty",
                           "all.User": "u", "userApiToken.*": "t", "1st": 1, "scope": "userApiToken.*"});
        let t: kw::Type = round_trip(value);
        assert_eq!(
            (t.self_.as_str(), t.self_2.as_deref(), t.empty.as_deref()),
            ("s", Some("S"), Some("empty"))
        );
        assert_eq!(t.scope, Some(kw::Scope::UserApiTokenStar));
        assert_eq!(kw::Scope::Empty.as_str(), "");
    }

    #[test]
    fn maps_arrays_of_arrays_and_closed_bodies() {
        let body: nested::CreateOrderBody = round_trip(json!({
            "customer": {"address": {"lines": [{"text": "1 Main St", "kind": "home"}]}},
            "grid": [[1.5, 2.0], []],
            "choice": 7,
            "note": null,
            "labels": {"a": "b"},
            "counts": {"x": {"n": 3}},
            "extra": {"free": ["form"]}
        }));
        assert_eq!(body.note, Some(None));
        assert_eq!(body.counts.unwrap()["x"].n, Some(3));
        assert!(serde_json::from_value::<nested::CreateOrderBody>(
            json!({"customer": {}, "nope": 1})
        )
        .is_err());
    }
}

/// A property named like the field of undeclared properties keeps its
/// name; the map gets another (the name plan), and both travel as written.
#[test]
fn a_property_named_like_the_map_of_undeclared_ones_keeps_its_place() {
    use generated::collisions::types::Extras;
    let extras: Extras = round_trip(json!({
        "additional_properties": "a",
        "additional_properties_": 2,
        "x": true
    }));
    assert_eq!(extras.additional_properties.as_deref(), Some("a"));
    assert_eq!(extras.additional_properties_2, Some(2));
    assert_eq!(extras.additional_properties_.get("x"), Some(&true));
    assert_eq!(extras.additional_properties_.len(), 1);
}
