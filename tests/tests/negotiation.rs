//! Content negotiation over loopback
//! (`tests/fixtures/edge/content-negotiation.yaml`): the client asks with
//! `Accept`, the server's implementation chooses by it, the generated
//! server answers `406` when nothing documented is acceptable, and the
//! client decodes whatever representation came by its `Content-Type`.

use codegen_runtime::server::Outcome;
use codegen_runtime::{ByteStream, Event, EventStream};
use futures_util::StreamExt;
use generated::content_negotiation::client::Client;
use generated::content_negotiation::server::{
    router, CompleteInput, Default as Api, GetAvatarInput, GetReportInput,
};
use generated::content_negotiation::types::*;

struct Reports;

impl Api for Reports {
    async fn get_report(&self, input: GetReportInput) -> Outcome<GetReportResponse> {
        let report = Report {
            id: input.id,
            rows: vec![vec!["a".into(), "1".into()]],
        };
        // The implementation chooses among the representations it offers.
        Ok(GetReportResponse::Ok(
            match input.accept.choose(GetReport200Body::MEDIA_TYPES) {
                Some("text/csv") => GetReport200Body::Text("a,1\n".into()),
                _ => GetReport200Body::Json(report),
            },
        ))
    }

    async fn complete(&self, input: CompleteInput) -> Outcome<CompleteResponse> {
        let words: Vec<String> = input.body.prompt.split(' ').map(str::to_string).collect();
        Ok(CompleteResponse::Ok(if input.body.stream == Some(true) {
            Complete200Body::Events(EventStream::from_events(
                words.into_iter().map(|delta| Event::new(Chunk { delta })),
            ))
        } else {
            Complete200Body::Json(Completion {
                text: words.join(" "),
            })
        }))
    }

    async fn get_avatar(&self, input: GetAvatarInput) -> Outcome<GetAvatarResponse> {
        Ok(GetAvatarResponse::Ok(
            match input.accept.choose(GetAvatar200Body::MEDIA_TYPES) {
                Some("image/png") => {
                    GetAvatar200Body::Binary(ByteStream::from(b"\x89PNG".to_vec()))
                }
                _ => GetAvatar200Body::Json(GetAvatarResponse200 { width: 64 }),
            },
        ))
    }
}

async fn serve() -> String {
    tests::serve_loopback(router(std::sync::Arc::new(Reports))).await
}

#[tokio::test]
async fn the_client_asks_and_decodes_by_content_type() {
    let base = serve().await;
    let client = Client::new(&base);
    // By default the client accepts every documented representation, the
    // spec's preferred first: JSON.
    let GetReportResponse::Ok(GetReport200Body::Json(report)) =
        client.default().get_report(7).send().await.unwrap()
    else {
        panic!("JSON by default")
    };
    assert_eq!(report.id, 7);
    let GetReportResponse::Ok(GetReport200Body::Text(csv)) = client
        .default()
        .get_report(7)
        .accept("text/csv")
        .send()
        .await
        .unwrap()
    else {
        panic!("CSV when asked")
    };
    assert_eq!(csv, "a,1\n");

    match client
        .default()
        .get_avatar("x")
        .accept("image/png")
        .send()
        .await
        .unwrap()
    {
        GetAvatarResponse::Ok(GetAvatar200Body::Binary(bytes)) => {
            assert_eq!(bytes.collect().await.unwrap(), b"\x89PNG")
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        client.default().get_avatar("x").send().await.unwrap(),
        GetAvatarResponse::Ok(GetAvatar200Body::Json(GetAvatarResponse200 { width: 64 }))
    ));
}

#[tokio::test]
async fn one_answer_is_json_or_a_stream_of_events_by_what_came() {
    let base = serve().await;
    let client = Client::new(&base);
    let whole = client
        .default()
        .complete(CompleteBody {
            prompt: "a b c".into(),
            stream: None,
        })
        .send()
        .await
        .unwrap();
    assert!(
        matches!(whole, CompleteResponse::Ok(Complete200Body::Json(Completion { ref text })) if text == "a b c")
    );

    let CompleteResponse::Ok(Complete200Body::Events(events)) = client
        .default()
        .complete(CompleteBody {
            prompt: "a b c".into(),
            stream: Some(true),
        })
        .send()
        .await
        .unwrap()
    else {
        panic!("events")
    };
    let deltas: Vec<String> = events.map(|e| e.unwrap().data.delta).collect().await;
    assert_eq!(deltas, ["a", "b", "c"]);
}

#[tokio::test]
async fn the_server_answers_406_and_the_media_type_it_chose() {
    let base = serve().await;
    let http = reqwest::Client::new();
    let get = |accept: Option<&'static str>| {
        let mut r = http.get(format!("{base}/reports/1"));
        if let Some(a) = accept {
            r = r.header("accept", a);
        }
        r.send()
    };
    let csv = get(Some("text/csv;q=0.9, application/json;q=0.1"))
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv");
    let json = get(None).await.unwrap();
    assert_eq!(json.headers()["content-type"], "application/json");
    let wildcard = get(Some("text/*")).await.unwrap();
    assert_eq!(wildcard.headers()["content-type"], "text/csv");

    let refused = get(Some("image/png")).await.unwrap();
    assert_eq!(refused.status(), 406);
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(problem["error"], "not_acceptable");
    assert!(
        problem["message"].as_str().unwrap().contains("text/csv"),
        "{problem}"
    );
}
