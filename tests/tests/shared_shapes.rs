//! Repeated inline schemas and answers (`tests/fixtures/edge/shared-shapes.yaml`):
//! every name the spec's places give stays usable, the copies are one type,
//! and what differs stays apart. Over loopback, an operation whose response
//! enum is another's alias answers and decodes as its own.

use std::any::TypeId;
use std::sync::Arc;

use codegen_runtime::server::Outcome;
use generated::shared_shapes::client::Client;
use generated::shared_shapes::server::{
    router, Default as Pages, DeleteCInput, ListAInput, ListBInput, ListCInput, TouchCInput,
};
use generated::shared_shapes::types::{self, Item};

// The same type under every name (a coercion that only compiles if so).
const _: fn(types::ListBDirection) -> types::ListADirection = |x| x;
const _: fn(types::ListAResponse200Item) -> Item = |x| x;
const _: fn(types::ListBResponse200Item) -> Item = |x| x;
const _: fn(types::TouchCBody) -> Item = |x| x;
const _: fn(types::ListBResponse) -> types::ListAResponse = |x| x;
const _: fn(types::ListB200Headers) -> types::ListA200Headers = |x| x;
const _: fn(types::DeleteCResponse) -> types::TouchCResponse = |x| x;

#[test]
fn what_differs_stays_apart() {
    // Another enum value: its own type.
    assert_ne!(
        TypeId::of::<types::ListCDirection>(),
        TypeId::of::<types::ListADirection>()
    );
    // Another answer (description, body): its own response enum.
    assert_ne!(
        TypeId::of::<types::ListCResponse>(),
        TypeId::of::<types::ListAResponse>()
    );
}

struct Serve;

fn page(direction: Option<types::ListADirection>) -> Vec<Item> {
    vec![Item {
        id: Some(1),
        name: direction.map(|d| d.to_string()),
    }]
}

impl Pages for Serve {
    async fn list_a(&self, input: ListAInput) -> Outcome<types::ListAResponse> {
        Ok(types::ListAResponse::Ok {
            body: page(input.direction),
            headers: types::ListA200Headers {
                link: Some("</a?page=2>".into()),
            },
        })
    }

    async fn list_b(&self, input: ListBInput) -> Outcome<types::ListBResponse> {
        Ok(types::ListBResponse::Ok {
            body: page(input.direction),
            headers: types::ListB200Headers {
                link: Some("</b?page=2>".into()),
            },
        })
    }

    async fn list_c(&self, _: ListCInput) -> Outcome<types::ListCResponse> {
        Ok(types::ListCResponse::Ok(Item::default()))
    }

    async fn touch_c(&self, input: TouchCInput) -> Outcome<types::TouchCResponse> {
        assert_eq!(input.body.and_then(|b| b.id), Some(7));
        Ok(types::TouchCResponse::NoContent)
    }

    async fn delete_c(&self, _: DeleteCInput) -> Outcome<types::DeleteCResponse> {
        Ok(types::DeleteCResponse::NoContent)
    }
}

#[tokio::test]
async fn shared_answers_travel_as_each_operations_own() {
    let base = tests::serve_loopback(router(Arc::new(Serve))).await;
    let client = Client::new(&base);

    let types::ListBResponse::Ok { body, headers } = client
        .default()
        .list_b()
        .direction(types::ListBDirection::Desc)
        .send()
        .await
        .unwrap();
    assert_eq!(body[0].name.as_deref(), Some("desc"));
    assert_eq!(headers.link.as_deref(), Some("</b?page=2>"));

    let types::ListAResponse::Ok { headers, .. } = client.default().list_a().send().await.unwrap();
    assert_eq!(headers.link.as_deref(), Some("</a?page=2>"));

    let touched = client
        .default()
        .touch_c()
        .body(types::TouchCBody {
            id: Some(7),
            name: None,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(touched, types::TouchCResponse::NoContent);
    let deleted = client.default().delete_c().send().await.unwrap();
    assert_eq!(deleted, types::DeleteCResponse::NoContent);
}
