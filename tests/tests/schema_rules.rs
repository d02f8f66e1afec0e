//! Keywords a Rust type cannot express, checked by the generated server on
//! the value as JSON (`tests/fixtures/edge/schema-rules.yaml`): a general
//! `if`/`then`/`else`, `dependentSchemas`, `contains` with `minContains`,
//! `propertyNames`. Each broken rule is a 400 naming where; values that
//! keep the rules pass.

use std::sync::Arc;

use codegen_runtime::server::Outcome;
use generated::schema_rules::server::{router, CheckoutInput, Default as Shop};
use generated::schema_rules::types::CheckoutResponse;
use serde_json::{json, Value};

struct Accept;

impl Shop for Accept {
    async fn checkout(&self, _: CheckoutInput) -> Outcome<CheckoutResponse> {
        Ok(CheckoutResponse::NoContent)
    }
}

async fn post(base: &str, body: Value) -> (u16, String) {
    let answer = reqwest::Client::new()
        .post(format!("{base}/checkout"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (answer.status().as_u16(), answer.text().await.unwrap())
}

#[tokio::test]
async fn broken_rules_are_400s_naming_where_and_kept_rules_pass() {
    let base = tests::serve_loopback(router(Arc::new(Accept))).await;

    let good = json!({
        "address": {"country": "US", "zip": "12345"},
        "payment": {"card": "4111", "cvv": "123"},
        "scores": [10, 3, 12],
        "labels": {"team-a": "x"},
        "discount": {"percent": 10},
        "contact": {"email": "me@example.com"}
    });
    assert_eq!(post(&base, good).await.0, 204);
    // `else` holds for another country; no card, no cvv needed.
    let other = json!({"address": {"country": "CA", "zip": "K1A"}, "payment": {}});
    assert_eq!(post(&base, other).await.0, 204);

    for (body, field, says) in [
        (
            json!({"address": {"country": "US", "zip": "K1A"}}),
            "body.address",
            "`then`",
        ),
        (
            json!({"address": {"country": "CA", "zip": "K"}}),
            "body.address",
            "`else`",
        ),
        (
            json!({"address": {"country": "CA", "zip": "K1A"}, "payment": {"card": "4111"}}),
            "body.payment",
            "dependentSchemas",
        ),
        (
            json!({"address": {"country": "CA", "zip": "K1A"}, "scores": [10, 1]}),
            "body.scores",
            "at least 2",
        ),
        (
            json!({"address": {"country": "CA", "zip": "K1A"}, "labels": {"Team": "x"}}),
            "body.labels",
            "`Team`",
        ),
        (
            json!({"address": {"country": "CA", "zip": "K1A"}, "discount": {"percent": 10, "amount": 5}}),
            "body.discount",
            "`not`",
        ),
        (
            json!({"address": {"country": "CA", "zip": "K1A"}, "contact": {"email": "abuse@example.com"}}),
            "body.contact",
            "`not`",
        ),
    ] {
        let (status, text) = post(&base, body.clone()).await;
        assert_eq!(status, 400, "{body}: {text}");
        let problem: Value = serde_json::from_str(&text).unwrap();
        let violation = &problem["violations"][0];
        assert_eq!(violation["field"], field, "{text}");
        assert!(
            violation["message"].as_str().unwrap().contains(says),
            "{text}"
        );
    }
}
