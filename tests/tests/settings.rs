//! The settings of `tests/fixtures/settings/codegen.toml` as users meet
//! them in the generated code (`generated::pets`), over loopback: mapped
//! formats (`uuid::Uuid`, `url::Url`, `Ipv4Addr`, `date` kept a `String`),
//! the user's own `money::Money` in place of the `Money` schema, extra
//! derives, renames whose collisions the name plan resolved, and an
//! overlay that renamed an operation and removed a path.

use std::collections::HashSet;
use std::net::Ipv4Addr;
use std::sync::Arc;

use codegen_runtime::server::Outcome;
use codegen_runtime::url::Url;
use codegen_runtime::uuid::Uuid;
use generated::pets::client::Client;
use generated::pets::server::{router, Animals, BrowseInput, CreatePetInput, GetPetInput};
use generated::pets::types::{
    Animal, Animal2, BrowseResponse, CreatePetResponse, GetPet200Headers, GetPetResponse, Kind,
};
use money::Money;

const ID: &str = "6f9619ff-8b86-d011-b42d-00c04fc964ff";

fn pet() -> Animal {
    Animal {
        id: ID.parse().unwrap(),
        name: "Rex".into(),
        // `homepage`, renamed `name`, which the `name` property holds.
        name_2: Some(Url::parse("https://rex.example/").unwrap()),
        // `address`, renamed `ip`.
        ip: Some(Ipv4Addr::new(10, 0, 0, 7)),
        born: Some("sometime in 2019".into()),
        price: Money {
            cents: 1250,
            currency: "EUR".into(),
        },
        kind: Some(Kind::Dog),
        weight: Some("12.340".parse().unwrap()),
        chip: None,
        seen_from: Some("2001:db8::1".parse().unwrap()),
    }
}

/// Answers with what it is given, and one known pet.
struct Shelter;

impl Animals for Shelter {
    async fn browse(&self, input: BrowseInput) -> Outcome<BrowseResponse> {
        let all = vec![pet()];
        Ok(BrowseResponse::Ok(match input.owner {
            Some(owner) if owner != Uuid::nil() => all,
            _ => Vec::new(),
        }))
    }

    async fn create_pet(&self, input: CreatePetInput) -> Outcome<CreatePetResponse> {
        Ok(CreatePetResponse::Created(input.body))
    }

    async fn get_pet(&self, input: GetPetInput) -> Outcome<GetPetResponse> {
        if input.pet_id == pet().id {
            Ok(GetPetResponse::Ok {
                body: pet(),
                headers: GetPet200Headers {
                    x_request_id: Some(Uuid::nil()),
                },
            })
        } else {
            Ok(GetPetResponse::NotFound)
        }
    }
}

async fn serve() -> String {
    tests::serve_loopback(router(Arc::new(Shelter))).await
}

#[tokio::test]
async fn the_users_money_type_round_trips_through_client_and_server() {
    let base = serve().await;
    let client = Client::new(&base);
    let mut sent = pet();
    sent.price = Money {
        cents: -205,
        currency: "JPY".into(),
    };
    let CreatePetResponse::Created(back) = client
        .animals()
        .create_pet(sent.clone())
        .send()
        .await
        .expect("create");
    assert_eq!(back, sent);

    // On the wire it is the schema's shape, written by `Money`'s own serde.
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}/pets"))
        .json(&serde_json::to_value(&sent).unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        answer["price"],
        serde_json::json!({"amount": "-2.05", "currency": "JPY"})
    );
    assert_eq!(answer["homepage"], "https://rex.example/");
    assert_eq!(answer["address"], "10.0.0.7");
    assert_eq!(answer["id"], ID);
    // A decimal keeps its digits (a float would not), written as a string.
    assert_eq!(answer["weight"], "12.340");
    assert_eq!(answer["seen_from"], "2001:db8::1");
}

#[tokio::test]
async fn mapped_formats_are_typed_in_paths_queries_and_headers() {
    let base = serve().await;
    let client = Client::new(&base);
    let GetPetResponse::Ok { body, headers } = client
        .animals()
        .get_pet(ID.parse().unwrap())
        .send()
        .await
        .expect("get")
    else {
        panic!("expected the pet")
    };
    assert_eq!(body, pet());
    assert_eq!(headers.x_request_id, Some(Uuid::nil()));
    let BrowseResponse::Ok(found) = client
        .animals()
        .browse()
        .owner(ID.parse().unwrap())
        .send()
        .await
        .expect("browse");
    assert_eq!(found, [pet()]);

    // The server parses them: text that is not a UUID is a 400 naming the
    // parameter, never a 500 (and never reaches the handler).
    for url in [
        format!("{base}/pets/not-a-uuid"),
        format!("{base}/pets?owner=12"),
    ] {
        let answer = reqwest::get(&url).await.unwrap();
        assert_eq!(answer.status(), 400, "{url}");
        let problem: serde_json::Value = answer.json().await.unwrap();
        assert!(
            problem.to_string().contains("petId") || problem.to_string().contains("owner"),
            "{problem}"
        );
    }
    // A body whose `homepage` is not a URL is refused the same way.
    let mut body = serde_json::to_value(pet()).unwrap();
    body["homepage"] = "not a url".into();
    let answer = reqwest::Client::new()
        .post(format!("{base}/pets"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
}

#[tokio::test]
async fn the_overlay_renamed_an_operation_and_removed_a_path() {
    let base = serve().await;
    // `listPets` is `findPets` after the overlay, `browse` after the
    // settings' rename: the method above is that one. The removed
    // `/internal/health` is not routed.
    let answer = reqwest::get(format!("{base}/internal/health"))
        .await
        .unwrap();
    assert_eq!(answer.status(), 404);
    assert_eq!(generated::pets::operations::BROWSE.id, "findPets");
}

#[test]
fn extra_derives_let_generated_types_live_in_hash_sets() {
    let mut seen: HashSet<Animal> = HashSet::new();
    assert!(seen.insert(pet()));
    assert!(!seen.insert(pet()), "Eq and Hash agree");
    let kinds: HashSet<Animal2> = [
        Animal2 {
            kind: Some(Kind::Cat),
        },
        Animal2 {
            kind: Some(Kind::Cat),
        },
    ]
    .into_iter()
    .collect();
    assert_eq!(kinds.len(), 1);
}
