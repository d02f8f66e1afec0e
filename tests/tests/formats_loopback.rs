//! Constructs of other format versions over real HTTP: the generated client
//! against the generated router on a loopback port, for the 3.1 fixture
//! (tuples, type arrays, `const`, `oneOf` with `null`, a webhook) and the Swagger 2.0
//! fixture (a body parameter, a form body from `formData`, `collectionFormat`),
//! and 3.2's QUERY and custom methods.

use std::future::Future;
use std::sync::Arc;

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    format!("http://{addr}")
}

mod v31 {
    use super::*;
    use generated::openapi_3_1::server::{self, GetItemInput, ItemCreatedInput, Outcome};
    use generated::openapi_3_1::types::*;
    use std::sync::Mutex;

    #[derive(Default)]
    pub struct Items {
        pub received: Mutex<Vec<Item>>,
        /// The credentials each `getItem` presented.
        pub credentials: Mutex<Vec<server::Credentials>>,
    }

    /// The receiver of the spec's `itemCreated` webhook.
    impl server::WebhookReceivers for Items {
        fn item_created(
            &self,
            input: ItemCreatedInput,
        ) -> impl Future<Output = Outcome<ItemCreatedResponse>> + Send {
            self.received.lock().expect("lock").extend(input.body);
            std::future::ready(Ok(ItemCreatedResponse::NoContent))
        }
    }

    pub fn item(id: i64) -> Item {
        Item {
            id,
            kind: ItemKind::Item,
            label: None,
            score: Some(ItemScore::String("high".into())),
            parent: Some(Box::new(None)),
            thumbnail: None,
            position: Some((1.5, -2.0)),
            span: None,
            labels: None,
            note: Some(Note {
                text: Some("from $defs".into()),
            }),
        }
    }

    impl server::Default for Items {
        fn get_item(
            &self,
            input: GetItemInput,
        ) -> impl Future<Output = Outcome<GetItemResponse>> + Send {
            self.credentials
                .lock()
                .expect("lock")
                .push(input.credentials);
            std::future::ready(Ok(GetItemResponse::Ok(item(input.id))))
        }
    }
}

/// OpenID Connect (and OAuth 2) access tokens are bearer tokens, and an
/// API key may sit in a cookie: the client sends each, the server reads
/// each (before, an operation whose only way in they were answered 401 to
/// every request, and the client sent nothing for them).
#[tokio::test]
async fn openid_connect_tokens_and_cookie_api_keys_reach_the_server() {
    use generated::openapi_3_1::client::Client;
    use generated::openapi_3_1::server::{ApiKey, BearerToken, Credentials};

    let items = Arc::new(v31::Items::default());
    let base = serve(generated::openapi_3_1::server::router(Arc::clone(&items))).await;
    let oidc = Client::builder(&base).oidc("access-token").build();
    oidc.default().get_item(1).send().await.expect("bearer");
    let session = Client::builder(&base).session("s3cret").build();
    session.default().get_item(2).send().await.expect("cookie");
    // The cookie among others, as a browser sends it.
    let raw = reqwest::Client::new()
        .get(format!("{base}/items/3"))
        .header("Cookie", "theme=dark; sid=abc; lang=en")
        .send()
        .await
        .expect("raw");
    assert_eq!(raw.status(), 200);
    assert_eq!(
        *items.credentials.lock().expect("lock"),
        vec![
            Credentials::Oidc(BearerToken("access-token".into())),
            Credentials::Session(ApiKey("s3cret".into())),
            Credentials::Session(ApiKey("abc".into())),
        ]
    );
    // Nothing presented: 401, with every way in named.
    let none = reqwest::Client::new()
        .get(format!("{base}/items/4"))
        .send()
        .await
        .expect("send");
    assert_eq!(none.status(), 401);
    let challenge = none.headers()["www-authenticate"].to_str().expect("text");
    assert!(
        challenge.contains("Bearer") && challenge.contains("ApiKey cookie=\"sid\""),
        "{challenge}"
    );
}

#[tokio::test]
async fn openapi_3_1_tuples_and_nullable_types_round_trip() {
    use generated::openapi_3_1::client::Client;
    use generated::openapi_3_1::types::*;

    let items = Arc::new(v31::Items::default());
    let base = serve(generated::openapi_3_1::server::router(Arc::clone(&items))).await;
    let client = Client::builder(&base).key("secret").build();

    let got = client.default().get_item(7).send().await.expect("send");
    assert_eq!(got, GetItemResponse::Ok(v31::item(7)));

    // On the wire: the tuple is a two-item array, `label` (required,
    // `[string, null]`) an explicit null, `parent` (`oneOf` with null) null.
    let raw: serde_json::Value = reqwest::Client::new()
        .get(format!("{base}/items/7"))
        .header("X-Key", "secret")
        .send()
        .await
        .expect("raw send")
        .json()
        .await
        .expect("json");
    assert_eq!(raw["position"], serde_json::json!([1.5, -2.0]));
    assert_eq!(raw["label"], serde_json::Value::Null);
    assert!(raw.as_object().expect("object").contains_key("label"));
    assert_eq!(raw["parent"], serde_json::Value::Null);
    assert_eq!(raw["kind"], "item");

    // A tuple of the wrong length does not decode.
    let three: Result<Item, _> = serde_json::from_value(serde_json::json!({
        "id": 1, "kind": "item", "label": null, "position": [1.0, 2.0, 3.0]
    }));
    assert!(three.is_err());

    // `exclusiveMinimum: 0` (3.1's numeric form) is checked by the server.
    let zero = reqwest::Client::new()
        .get(format!("{base}/items/0"))
        .header("X-Key", "secret")
        .send()
        .await
        .expect("send");
    assert_eq!(zero.status(), 400);

    // The webhook: the server part is its receiver (routed at
    // `/itemCreated`), the client part a sender.
    let sent = client
        .webhook_receivers()
        .item_created()
        .body(v31::item(3))
        .send()
        .await
        .expect("deliver");
    assert_eq!(sent, ItemCreatedResponse::NoContent);
    assert_eq!(*items.received.lock().expect("lock"), vec![v31::item(3)]);
    // A payload that is not an `Item` is refused before the receiver runs.
    let bad = reqwest::Client::new()
        .post(format!("{base}/itemCreated"))
        .json(&serde_json::json!({"id": "not a number"}))
        .send()
        .await
        .expect("send");
    assert_eq!(bad.status(), 400);
    assert_eq!(items.received.lock().expect("lock").len(), 1);
    // `dependentRequired: {parent: [score]}`: a `parent` (even `null`)
    // without a `score` is refused, naming the missing property.
    let orphan = reqwest::Client::new()
        .post(format!("{base}/itemCreated"))
        .json(&serde_json::json!({"id": 4, "kind": "item", "label": null, "parent": null}))
        .send()
        .await
        .expect("send");
    assert_eq!(orphan.status(), 400);
    let problem: serde_json::Value = orphan.json().await.expect("problem");
    assert_eq!(problem["violations"][0]["field"], "body.score");
    assert_eq!(
        problem["violations"][0]["message"],
        "required when `parent` is present"
    );
    // `if: {properties: {label: {const: pinned}}, required: [label]}, then:
    // {required: [position]}`: a pinned item needs a position.
    let pinned = reqwest::Client::new()
        .post(format!("{base}/itemCreated"))
        .json(&serde_json::json!({"id": 6, "kind": "item", "label": "pinned"}))
        .send()
        .await
        .expect("send");
    assert_eq!(pinned.status(), 400);
    let problem: serde_json::Value = pinned.json().await.expect("problem");
    assert_eq!(problem["violations"][0]["field"], "body.position");
    assert_eq!(
        problem["violations"][0]["message"],
        "required when `label` is `\"pinned\"`"
    );
    let without_parent = reqwest::Client::new()
        .post(format!("{base}/itemCreated"))
        .json(&serde_json::json!({"id": 5, "kind": "item", "label": null}))
        .send()
        .await
        .expect("send");
    assert_eq!(without_parent.status(), 204);
    assert_eq!(items.received.lock().expect("lock").len(), 2);
}

mod v2 {
    use super::*;
    use generated::swagger_2::server::{
        self, CreateThingInput, ListThingsInput, Outcome, RenameThingInput,
    };
    use generated::swagger_2::types::*;
    use std::sync::Mutex;

    #[derive(Default)]
    pub struct Things {
        pub renamed: Mutex<Vec<(i64, RenameThingBody)>>,
    }

    impl server::Default for Things {
        fn list_things(
            &self,
            input: ListThingsInput,
        ) -> impl Future<Output = Outcome<ListThingsResponse>> + Send {
            let ids = input.ids.unwrap_or_default();
            let things = ids
                .iter()
                .map(|&id| Thing {
                    id: Some(id),
                    kind: "plain".into(),
                    nickname: None,
                    tags: input.tags.clone(),
                })
                .collect();
            std::future::ready(Ok(ListThingsResponse::Ok {
                body: things,
                headers: ListThings200Headers {
                    x_total: Some(ids.len() as i64),
                },
            }))
        }

        fn create_thing(
            &self,
            input: CreateThingInput,
        ) -> impl Future<Output = Outcome<CreateThingResponse>> + Send {
            std::future::ready(Ok(CreateThingResponse::Created(input.body)))
        }

        fn rename_thing(
            &self,
            input: RenameThingInput,
        ) -> impl Future<Output = Outcome<RenameThingResponse>> + Send {
            self.renamed
                .lock()
                .expect("lock")
                .push((input.id, input.body));
            std::future::ready(Ok(RenameThingResponse::NoContent))
        }
    }
}

#[tokio::test]
async fn swagger_2_bodies_forms_and_collection_formats_round_trip() {
    use generated::swagger_2::client::Client;
    use generated::swagger_2::types::*;

    let things = Arc::new(v2::Things::default());
    let base = serve(generated::swagger_2::server::router(Arc::clone(&things))).await;
    let client = Client::builder(&base)
        .key("k")
        .basic("user", "pass")
        .build();

    // csv (`ids=1,2,3`) and multi (`tags=a&tags=b`) arrays reach the server whole.
    let listed = client
        .default()
        .list_things()
        .ids(vec![1, 2, 3])
        .tags(vec!["a".into(), "b".into()])
        .send()
        .await
        .expect("list");
    let ListThingsResponse::Ok { body, headers } = listed else {
        panic!("{listed:?}")
    };
    assert_eq!(headers.x_total, Some(3));
    // `id` is readOnly: optional in the one type both directions share.
    assert_eq!(
        body.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![Some(1), Some(2), Some(3)]
    );
    assert_eq!(body[0].tags, Some(vec!["a".to_string(), "b".to_string()]));

    // A body parameter is the request body.
    let thing = Thing {
        id: Some(9),
        kind: "plain".into(),
        nickname: Some(None),
        tags: None,
    };
    let created = client
        .default()
        .create_thing(thing.clone())
        .send()
        .await
        .expect("create");
    assert_eq!(created, CreateThingResponse::Created(thing));

    // formData parameters are an urlencoded form.
    let renamed = client
        .default()
        .rename_thing(
            4,
            RenameThingBody {
                nickname: "four".into(),
                note: Some(String::new()),
            },
        )
        .send()
        .await
        .expect("rename");
    assert_eq!(renamed, RenameThingResponse::NoContent);
    let seen = things.renamed.lock().expect("lock").clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, 4);
    assert_eq!(seen[0].1.nickname, "four");

    // The form's required field is checked: without it, a 400 Problem.
    let missing = reqwest::Client::new()
        .put(format!("{base}/things/4"))
        .header("X-Key", "k")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("note=x")
        .send()
        .await
        .expect("send");
    assert_eq!(missing.status(), 400);
}

/// A required security scheme the spec never defines is kept fail closed:
/// the operation answers 401 whatever the request carries.
#[tokio::test]
async fn an_undefined_security_scheme_fails_closed() {
    struct Nothing;
    impl generated::lenient_repairs::server::Default for Nothing {}

    let base = serve(generated::lenient_repairs::server::router(Arc::new(
        Nothing,
    )))
    .await;
    let http = reqwest::Client::new();
    let deleted = http
        .delete(format!("{base}/things/a"))
        .header("Authorization", "Bearer anything")
        .header("Cookie", "sessionToken=anything")
        .send()
        .await
        .expect("send");
    assert_eq!(deleted.status(), 401);
    // The operation without security is served (here: not implemented).
    let got = http
        .get(format!("{base}/things/a"))
        .send()
        .await
        .expect("send");
    assert_eq!(got.status(), 501);
}

/// OpenAPI 3.2's QUERY method and a custom method (`additionalOperations`):
/// the generated client sends them, the generated router serves them, and
/// a method the route does not know is a 405 naming the ones it does. And
/// `in: querystring`: one form-encoded object, encoded, decoded and checked.
#[tokio::test]
async fn query_and_custom_methods_round_trip() {
    use generated::openapi_3_2::server::{
        self, CopyThingsInput, ListThingsInput, Outcome, QueryThingsInput,
    };
    use generated::openapi_3_2::types::{
        CopyThingsResponse, ListThingsFilter, ListThingsFilterOrder, ListThingsResponse,
        QueryThingsBody, QueryThingsResponse,
    };

    struct Things;
    impl server::Things for Things {
        fn list_things(
            &self,
            input: ListThingsInput,
        ) -> impl Future<Output = Outcome<ListThingsResponse>> + Send {
            // Echo the decoded querystring object.
            let seen = match input.filter {
                None => "none".to_string(),
                Some(f) => format!(
                    "{}:{}:{}",
                    f.prefix,
                    f.limit.map_or("-".into(), |l| l.to_string()),
                    f.order.map_or("-".into(), |o| o.to_string())
                ),
            };
            std::future::ready(Ok(ListThingsResponse::Ok(vec![seen])))
        }
    }
    impl server::SmallThings for Things {}
    impl server::Default for Things {
        fn query_things(
            &self,
            input: QueryThingsInput,
        ) -> impl Future<Output = Outcome<QueryThingsResponse>> + Send {
            let prefix = input.body.and_then(|b| b.prefix).unwrap_or_default();
            std::future::ready(Ok(QueryThingsResponse::Ok(vec![
                format!("{prefix}1"),
                format!("{prefix}2"),
            ])))
        }

        fn copy_things(
            &self,
            _input: CopyThingsInput,
        ) -> impl Future<Output = Outcome<CopyThingsResponse>> + Send {
            std::future::ready(Ok(CopyThingsResponse::NoContent))
        }
    }

    let base = serve(server::router(Arc::new(Things))).await;
    let client = generated::openapi_3_2::client::Client::new(&base);
    let found = client
        .default()
        .query_things()
        .body(QueryThingsBody {
            prefix: Some("thing-".into()),
        })
        .send()
        .await
        .expect("QUERY");
    assert_eq!(
        found,
        QueryThingsResponse::Ok(vec!["thing-1".into(), "thing-2".into()])
    );
    let copied = client.default().copy_things().send().await.expect("COPY");
    assert_eq!(copied, CopyThingsResponse::NoContent);

    // The wire: the method as spelled in the spec; others are 405.
    let http = reqwest::Client::new();
    let method = |m: &str| reqwest::Method::from_bytes(m.as_bytes()).expect("token");
    let raw = http
        .request(method("QUERY"), format!("{base}/things"))
        .json(&serde_json::json!({"prefix": "x"}))
        .send()
        .await
        .expect("send");
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.text().await.expect("body"), r#"["x1","x2"]"#);
    let other = http
        .request(method("MOVE"), format!("{base}/things"))
        .send()
        .await
        .expect("send");
    assert_eq!(other.status(), 405);
    let text = other.text().await.expect("body");
    assert!(text.contains("GET, COPY, QUERY"), "{text}");

    // `in: querystring`: the whole query string is one form-encoded object.
    let listed = client
        .things()
        .list_things()
        .filter(ListThingsFilter {
            prefix: "a b&c".into(),
            limit: Some(3),
            order: Some(ListThingsFilterOrder::Desc),
        })
        .send()
        .await
        .expect("list with a filter");
    assert_eq!(listed, ListThingsResponse::Ok(vec!["a b&c:3:desc".into()]));
    let unfiltered = client.things().list_things().send().await.expect("list");
    assert_eq!(unfiltered, ListThingsResponse::Ok(vec!["none".into()]));
    let raw = http
        .get(format!("{base}/things?prefix=x&limit=2"))
        .send()
        .await
        .expect("send");
    assert_eq!(raw.text().await.expect("body"), r#"["x:2:-"]"#);
    // Each property is checked against its schema; a form that is not the
    // object is a violation of `query`.
    let problem = |url: String| {
        let http = http.clone();
        async move {
            let answer = http.get(url).send().await.expect("send");
            assert_eq!(answer.status(), 400);
            let body: serde_json::Value = answer.json().await.expect("problem");
            let mut fields: Vec<String> = body["violations"]
                .as_array()
                .expect("violations")
                .iter()
                .map(|v| v["field"].as_str().unwrap_or_default().to_string())
                .collect();
            fields.sort();
            fields
        }
    };
    assert_eq!(
        problem(format!("{base}/things?prefix=&limit=11")).await,
        ["query.limit", "query.prefix"]
    );
    assert_eq!(problem(format!("{base}/things?limit=2")).await, ["query"]);
    assert_eq!(
        problem(format!("{base}/things?prefix=x&order=up")).await,
        ["query"]
    );
}

/// A discriminator whose mapping names its schemas by file
/// (`feline: parts/schemas/cat.yaml`) dispatches on the mapping's keys:
/// the bundler points the mapping at the components the files became.
#[test]
fn a_file_mapping_discriminator_dispatches_on_its_keys() {
    use generated::multi_file::types::{Animal, Cat, Dog};
    let cat: Animal =
        serde_json::from_value(serde_json::json!({"kind": "feline", "lives": 9})).unwrap();
    assert!(
        matches!(cat, Animal::Cat(Cat { lives: Some(9), .. })),
        "{cat:?}"
    );
    let dog: Animal =
        serde_json::from_value(serde_json::json!({"kind": "canine", "good": true})).unwrap();
    assert!(
        matches!(
            dog,
            Animal::Dog(Dog {
                good: Some(true),
                ..
            })
        ),
        "{dog:?}"
    );
    assert!(serde_json::from_value::<Animal>(serde_json::json!({"kind": "cat"})).is_err());
}

mod shadowed {
    use generated::shadowed_routes::server::{
        self, GetFileByIdInput, GetFileInput, GetUserByLoginInput, GetUserInput, Outcome,
    };
    use generated::shadowed_routes::types::*;

    fn seen(by: &str) -> Seen {
        Seen { by: by.into() }
    }

    /// Answers with the operation that ran.
    pub struct Which;

    impl server::Default for Which {
        async fn get_user(&self, _: GetUserInput) -> Outcome<GetUserResponse> {
            Ok(GetUserResponse::Ok(seen("getUser")))
        }
        async fn get_user_by_login(
            &self,
            _: GetUserByLoginInput,
        ) -> Outcome<GetUserByLoginResponse> {
            Ok(GetUserByLoginResponse::Ok(seen("getUserByLogin")))
        }
        async fn get_file(&self, _: GetFileInput) -> Outcome<GetFileResponse> {
            Ok(GetFileResponse::Ok(seen("getFile")))
        }
        async fn get_file_by_id(&self, _: GetFileByIdInput) -> Outcome<GetFileByIdResponse> {
            Ok(GetFileByIdResponse::Ok(seen("getFileById")))
        }
    }
}

/// Operations with an earlier operation's method and route: the router
/// starts (it panicked: axum refuses a second handler for a route); of
/// two paths that differ only in parameter names the earlier operation
/// answers, and paths that differ in the literals around a parameter
/// within a segment are told apart by them.
#[tokio::test]
async fn an_operation_with_an_earlier_ones_route_is_left_to_it() {
    let base = serve(generated::shadowed_routes::server::router(Arc::new(
        shadowed::Which,
    )))
    .await;
    let http = reqwest::Client::new();
    let get = |path: &str| http.get(format!("{base}{path}")).send();
    let user: serde_json::Value = get("/users/7").await.unwrap().json().await.unwrap();
    assert_eq!(user["by"], "getUser");
    // A login is no `userId`: `getUser` refuses it, `getUserByLogin` never runs.
    assert_eq!(get("/users/octocat").await.unwrap().status(), 400);
    let file: serde_json::Value = get("/files/a.json").await.unwrap().json().await.unwrap();
    assert_eq!(file["by"], "getFile");
    // No `.`: not `getFile`'s path, but `getFileById`'s.
    let by_id: serde_json::Value = get("/files/7").await.unwrap().json().await.unwrap();
    assert_eq!(by_id["by"], "getFileById");
}
