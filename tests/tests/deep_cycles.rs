//! A cycle of 30 schemas (`tests/fixtures/edge/deep-cycles.yaml`): the
//! references within it are held in `codegen_runtime::Boxed`, which keeps
//! the generated crate under rustc's default recursion limit. The values
//! read, write, compare and travel as the plain types would: the generated
//! client against the generated server on loopback, with the server's
//! checks reaching through the cycle.

use std::sync::Arc;

use codegen_runtime::server::Outcome;
use codegen_runtime::Boxed;
use generated::deep_cycles::client::Client;
use generated::deep_cycles::server::{router, CreateStepInput, Default as Steps, PlantTreeInput};
use generated::deep_cycles::types::*;
use serde_json::{json, Value};

/// The request body example of the spec.
fn example() -> Value {
    json!({
        "id": "a",
        "next": {"id": "b", "next": {"id": "c", "next": "d", "after": {"id": "f", "earlier": [{"id": "e"}]}},
                 "byName": {"k": {"id": "z", "extra": {"id": "x"}}}},
        "earlier": [{"id": "y"}]
    })
}

#[test]
fn values_read_and_write_as_the_plain_types() {
    let step: Step00 = serde_json::from_value(example()).unwrap();
    assert_eq!(serde_json::to_value(&step).unwrap(), example());
    // Through the cycle by `Deref`, as through `Box`.
    let Some(Step00Next::Step01(one)) = step.next.as_deref() else {
        panic!("{step:?}")
    };
    let Some(Step01Next::Step02(two)) = one.next.as_deref() else {
        panic!("{one:?}")
    };
    assert_eq!(two.after.id.as_deref(), Some("f"));
    assert_eq!(
        two.after.earlier.as_ref().unwrap()[0].id.as_deref(),
        Some("e")
    );
    let by_name = one.by_name.as_ref().unwrap();
    assert_eq!(
        by_name["k"].additional_properties["extra"].id.as_deref(),
        Some("x")
    );
    // Debug shows no wrapper.
    assert!(
        format!("{step:?}").starts_with(r#"Step00 { id: Some("a"), next: Some(Step01(Step01 {"#)
    );

    // Built by hand, changed in place, compared, cloned, taken apart.
    let mut built = Step02 {
        id: None,
        next: Some(Boxed::new(Step02Next::String("s3".into()))),
        after: Boxed::new(Step05::default()),
    };
    built.after.id = Some("s5".into());
    let copy = built.clone();
    assert_eq!(copy, built);
    assert_eq!(built.after.into_inner().id.as_deref(), Some("s5"));

    // A small recursive type is as written: `Box` and `Vec`.
    let tree = Tree {
        name: "root".into(),
        children: Some(vec![]),
        next: Some(Box::new(Tree {
            name: "leaf".into(),
            children: None,
            next: None,
        })),
    };
    assert_eq!(
        serde_json::to_value(&tree).unwrap(),
        json!({"name": "root", "children": [], "next": {"name": "leaf"}})
    );

    fn send_sync<T: Send + Sync + Unpin + std::panic::UnwindSafe + 'static>() {}
    send_sync::<Step00>();
    send_sync::<StepOrList>();
}

/// Answers `createStep` with the step the body expands to (or an empty
/// one), through `Boxed::into_inner`.
struct Echo;

impl Steps for Echo {
    async fn create_step(&self, input: CreateStepInput) -> Outcome<CreateStepResponse> {
        let next = input.body.next.map(Boxed::into_inner);
        Ok(CreateStepResponse::Ok(match next {
            Some(Step00Next::Step01(one)) => one.into_inner(),
            _ => Step01::default(),
        }))
    }

    async fn plant_tree(&self, _: PlantTreeInput) -> Outcome<PlantTreeResponse> {
        Ok(PlantTreeResponse::NoContent)
    }
}

#[tokio::test]
async fn the_client_and_server_carry_values_through_the_cycle() {
    let base = tests::serve_loopback(router(Arc::new(Echo))).await;
    let client = Client::new(&base);
    let step: Step00 = serde_json::from_value(example()).unwrap();
    let CreateStepResponse::Ok(answer) = client.default().create_step(step).send().await.unwrap();
    assert_eq!(
        serde_json::to_value(&answer).unwrap(),
        example()["next"],
        "the server answered the step the body expanded to"
    );

    // The server's checks reach through the cycle: `maxLength` of an id
    // four steps down.
    let mut long = example();
    long["next"]["next"]["after"]["earlier"][0]["id"] = json!("x".repeat(65));
    let refused = reqwest::Client::new()
        .post(format!("{base}/steps"))
        .json(&long)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 400);
    let problem: Value = refused.json().await.unwrap();
    assert!(
        problem
            .to_string()
            .contains("body.next.next.after.earlier[0].id"),
        "{problem}"
    );
}
