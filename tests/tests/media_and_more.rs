//! Constructs of real-world specs, client against router over loopback:
//! response headers, `default` responses, bodiless responses, binary and
//! text bodies, multipart with a caller-chosen boundary, a deprecated
//! operation, operations without operationId or tags, arrays of arrays,
//! free-form objects, maps, `anyOf`, enum values that are not identifiers.

#![allow(deprecated)] // `upload` is deprecated in the spec, and tested here.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use generated::media_and_more::client::Client;
use generated::media_and_more::server::{
    self, CreateNoteInput, GetGridInput, GetNotesIdTextInput, GetRawInput, Notes, Outcome,
    PutRawInput, UploadInput,
};
use generated::media_and_more::types::{
    CreateNote201Headers, CreateNoteResponse, Error, GetGridResponse, GetNotesIdTextResponse,
    GetRawResponse, Grid, Note, NoteMood, NoteTag, PutRawResponse, UploadResponse,
};

/// An upload as the store saw it: its caption and its file's bytes.
type Upload = (Option<String>, Option<Vec<u8>>);

#[derive(Default)]
struct Store {
    raw: Mutex<BTreeMap<i64, Vec<u8>>>,
    uploads: Mutex<Vec<Upload>>,
}

impl Notes for Store {
    async fn create_note(&self, input: CreateNoteInput) -> Outcome<CreateNoteResponse> {
        if input.body.text.is_empty() {
            return Ok(CreateNoteResponse::Default {
                status: 418,
                body: Error {
                    message: Some("empty note".into()),
                },
            });
        }
        Ok(CreateNoteResponse::Created {
            body: input.body,
            headers: CreateNote201Headers {
                location: Some("/notes/7".into()),
                x_rate_limit_remaining: Some(41),
            },
        })
    }

    async fn get_raw(&self, input: GetRawInput) -> Outcome<GetRawResponse> {
        Ok(match self.raw.lock().unwrap().get(&input.id) {
            Some(bytes) => GetRawResponse::Ok(bytes.clone().into()),
            None => GetRawResponse::NotModified,
        })
    }

    async fn put_raw(&self, input: PutRawInput) -> Outcome<PutRawResponse> {
        let bytes = match input.body {
            Some(body) => body.collect().await?,
            None => Vec::new(),
        };
        self.raw.lock().unwrap().insert(input.id, bytes);
        Ok(PutRawResponse::NoContent)
    }

    async fn get_notes_id_text(
        &self,
        input: GetNotesIdTextInput,
    ) -> Outcome<GetNotesIdTextResponse> {
        Ok(GetNotesIdTextResponse::Ok(format!(
            "note {} — ünïcode",
            input.id
        )))
    }
}

impl server::Default for Store {
    async fn upload(&self, input: UploadInput) -> Outcome<UploadResponse> {
        let (caption, file) = match input.body {
            Some(form) => {
                let file = match form.file {
                    Some(f) => Some(f.body.collect().await?),
                    None => None,
                };
                (form.caption, file)
            }
            None => (None, None),
        };
        self.uploads.lock().unwrap().push((caption, file));
        Ok(UploadResponse::NoContent)
    }

    async fn get_grid(&self, _: GetGridInput) -> Outcome<GetGridResponse> {
        Ok(GetGridResponse::Ok(
            serde_json::from_value(serde_json::json!({
                "cells": [[1.0, 2.5], [], [3.0]],
                "metadata": {"nested": {"any": [1, "two", null]}},
                "counts": {"a": 1, "b": 2},
                "anything": "a string this time"
            }))
            .unwrap(),
        ))
    }
}

async fn serve(store: Arc<Store>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = server::router(store);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test]
async fn response_headers_and_default_responses_are_typed() {
    let base = serve(Arc::default()).await;
    let client = Client::new(&base);
    let note = Note {
        text: "hello".into(),
        mood: Some(NoteMood::ThumbsUp),
        author: None,
        tag: Some(NoteTag::Integer(3)),
    };
    let got = client
        .notes()
        .create_note(note.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        got,
        CreateNoteResponse::Created {
            body: note,
            headers: CreateNote201Headers {
                location: Some("/notes/7".into()),
                x_rate_limit_remaining: Some(41),
            },
        }
    );
    assert_eq!(got.status(), 201);

    let empty = Note {
        text: String::new(),
        mood: None,
        author: None,
        tag: None,
    };
    let got = client.notes().create_note(empty).send().await.unwrap();
    assert_eq!(got.status(), 418);
    let CreateNoteResponse::Default { status: 418, body } = got else {
        panic!("{got:?}")
    };
    assert_eq!(body.message.as_deref(), Some("empty note"));
}

#[tokio::test]
async fn binary_text_and_bodiless_answers() {
    let base = serve(Arc::default()).await;
    let notes = Client::new(&base);
    let notes = notes.notes();
    assert!(matches!(
        notes.get_raw(1).send().await.unwrap(),
        GetRawResponse::NotModified
    ));
    let bytes = vec![0u8, 159, 146, 150, 255];
    assert_eq!(
        notes
            .put_raw(1)
            .body(bytes.clone().into())
            .send()
            .await
            .unwrap(),
        PutRawResponse::NoContent
    );
    match notes.get_raw(1).send().await.unwrap() {
        GetRawResponse::Ok(body) => assert_eq!(body.collect().await.unwrap(), bytes),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        notes.get_notes_id_text(5).send().await.unwrap(),
        GetNotesIdTextResponse::Ok("note 5 — ünïcode".into())
    );
}

#[tokio::test]
async fn multipart_bodies_are_typed_forms_and_may_be_absent() {
    let store = Arc::new(Store::default());
    let base = serve(store.clone()).await;
    let form = generated::media_and_more::types::UploadForm {
        file: Some(codegen_runtime::FilePart::new(vec![0u8, 255, 1])),
        caption: Some("hi".into()),
    };
    let got = Client::new(&base)
        .default()
        .upload()
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(got, UploadResponse::NoContent);
    // The optional body left out.
    Client::new(&base).default().upload().send().await.unwrap();
    // A form with the caption only, as a browser would send it.
    let raw = reqwest::Client::new()
        .post(format!("{base}/attachments"))
        .header("content-type", "multipart/form-data; boundary=XyZ")
        .body("--XyZ\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nyo\r\n--XyZ--\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 204);
    assert_eq!(
        *store.uploads.lock().unwrap(),
        [
            (Some("hi".to_string()), Some(vec![0u8, 255, 1])),
            (None, None),
            (Some("yo".to_string()), None),
        ]
    );
}

#[tokio::test]
async fn nested_arrays_free_form_objects_and_maps_round_trip() {
    let base = serve(Arc::default()).await;
    let GetGridResponse::Ok(grid) = Client::new(&base)
        .default()
        .get_grid()
        .send()
        .await
        .unwrap();
    let want: Grid = serde_json::from_value(serde_json::json!({
        "cells": [[1.0, 2.5], [], [3.0]],
        "metadata": {"nested": {"any": [1, "two", null]}},
        "counts": {"a": 1, "b": 2},
        "anything": "a string this time"
    }))
    .unwrap();
    assert_eq!(grid, want);
    assert_eq!(grid.cells.as_ref().unwrap()[0], [1.0, 2.5]);
    assert_eq!(grid.counts.as_ref().unwrap()["b"], 2);
}

#[test]
fn enum_values_that_are_not_identifiers_round_trip() {
    for (value, variant) in [
        ("+1", NoteMood::Plus1),
        ("-1", NoteMood::Minus1),
        ("thumbs up", NoteMood::ThumbsUp),
        ("", NoteMood::Empty),
        ("a.b", NoteMood::AB),
        ("1st", NoteMood::V1st),
    ] {
        let json = serde_json::Value::String(value.into());
        assert_eq!(
            serde_json::from_value::<NoteMood>(json.clone()).unwrap(),
            variant
        );
        assert_eq!(serde_json::to_value(&variant).unwrap(), json);
    }
    // Response-side enums are open: an unlisted value is kept.
    let other: NoteMood = serde_json::from_value(serde_json::json!("rocket")).unwrap();
    assert_eq!(other, NoteMood::Unknown("rocket".into()));
    // anyOf: the alternatives in order.
    let tag: NoteTag = serde_json::from_value(serde_json::json!("x")).unwrap();
    assert_eq!(tag, NoteTag::String("x".into()));
}

#[tokio::test]
async fn a_body_the_spec_bounds_is_limited_to_that_bound() {
    let base = serve(Arc::default()).await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let put = |body: String| {
        http.put(format!("{base}/labels"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    // Within the spec: the (default) implementation runs.
    let fine = put(r#"["a", "b"]"#.to_string()).await.unwrap();
    assert_eq!(fine.status(), 501);
    // Too many items, but within the bound: a validation problem.
    let four = put(r#"["a", "b", "c", "d"]"#.to_string()).await.unwrap();
    assert_eq!(four.status(), 400);
    // Far above anything the spec allows, far below the 1 MiB default:
    // refused before it is read.
    let huge = format!(r#"["{}"]"#, "x".repeat(4096));
    let refused = put(huge).await.unwrap();
    assert_eq!(refused.status(), 413);
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(problem["status"], 413);
    // Other operations keep the default limit.
    let long_note = serde_json::json!({ "text": "x".repeat(4096) });
    let created = http
        .post(format!("{base}/notes"))
        .json(&long_note)
        .send()
        .await
        .unwrap();
    assert_ne!(created.status(), 413);
}
