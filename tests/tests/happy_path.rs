//! The short path of a generated client (issue 36), client against router
//! over loopback: `into_result()` with one and several success answers and
//! a `default` answer standing for success; documented errors as error
//! values, through `?` into the client's `Error` and a `Box<dyn Error>`,
//! with the body's message (flat, in an error object, as text); bodies
//! built with constructors and setters.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use codegen_runtime::client::{Error, ErrorKind};
use generated::happy_path::client::Client;
use generated::happy_path::server::{
    self, CreateWidgetInput, DeleteWidgetInput, GetWidgetInput, HealthInput, Outcome, Widgets,
};
use generated::happy_path::types::{
    CreateWidgetResponse, DeleteWidgetResponse, Envelope, EnvelopeError, GetWidgetResponse, Health,
    HealthResponse, Owner, Problem, Widget,
};

#[derive(Default)]
struct Store {
    widgets: Mutex<BTreeMap<String, Widget>>,
    healthy: Mutex<bool>,
}

impl Widgets for Store {
    async fn create_widget(&self, input: CreateWidgetInput) -> Outcome<CreateWidgetResponse> {
        if input.body.name.is_empty() {
            return Ok(CreateWidgetResponse::BadRequest(
                Problem::new("a widget needs a name").with_field("name"),
            ));
        }
        let mut widgets = self.widgets.lock().unwrap();
        Ok(match widgets.get(&input.body.name) {
            Some(existing) => CreateWidgetResponse::Ok(existing.clone()),
            None => {
                widgets.insert(input.body.name.clone(), input.body.clone());
                CreateWidgetResponse::Created(input.body)
            }
        })
    }

    async fn get_widget(&self, input: GetWidgetInput) -> Outcome<GetWidgetResponse> {
        Ok(match self.widgets.lock().unwrap().get(&input.id) {
            Some(w) => GetWidgetResponse::Ok(w.clone()),
            None => GetWidgetResponse::NotFound(
                Envelope::default().with_error(
                    EnvelopeError::default()
                        .with_code("not_found")
                        .with_message(format!("no widget {}", input.id)),
                ),
            ),
        })
    }

    async fn delete_widget(&self, input: DeleteWidgetInput) -> Outcome<DeleteWidgetResponse> {
        if input.id == "busy" {
            return Ok(DeleteWidgetResponse::Conflict(
                "the widget is in use".into(),
            ));
        }
        self.widgets.lock().unwrap().remove(&input.id);
        Ok(DeleteWidgetResponse::NoContent)
    }

    async fn health(&self, _: HealthInput) -> Outcome<HealthResponse> {
        let healthy = *self.healthy.lock().unwrap();
        Ok(HealthResponse::Default {
            status: if healthy { 200 } else { 503 },
            body: Health::default().with_status(if healthy { "up" } else { "down" }),
        })
    }
}

async fn serve(store: Arc<Store>) -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = server::router(store);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Client::new(format!("http://{addr}"))
}

fn widget(name: &str) -> Widget {
    // Required properties in spec order (`new` is a property), then
    // optional, nullable and nested ones by setter.
    Widget::new(name, true)
        .with_size(3)
        .with_label(Some("blue one".to_string()))
        .with_with_color("blue")
        .with_owner(Owner::new(7).with_email("ops@example.com"))
        .with_tags(["a", "b"].map(String::from))
}

#[test]
fn constructors_and_setters_build_what_literals_did() {
    let built = widget("w");
    let literal = Widget {
        name: "w".into(),
        new: true,
        size: Some(3),
        label: Some(Some("blue one".into())),
        with_color: Some("blue".into()),
        owner: Some(Owner {
            id: 7,
            email: Some("ops@example.com".into()),
        }),
        tags: Some(vec!["a".into(), "b".into()]),
    };
    assert_eq!(built, literal);
    // A nullable property set to null is sent as `null`, an unset one not at all.
    let cleared = serde_json::to_value(Widget::new("w", false).with_label(None)).unwrap();
    assert_eq!(
        cleared,
        serde_json::json!({"name": "w", "new": false, "label": null})
    );
    // Nothing required: `Default`.
    assert_eq!(
        Health::default().with_status("up").status.as_deref(),
        Some("up")
    );
}

#[tokio::test]
async fn one_success_answer_is_its_body_and_an_error_is_a_value() {
    let client = serve(Arc::default()).await;
    let widgets = client.widgets();
    widgets.create_widget(widget("w1")).send().await.unwrap();

    // One success answer: the body itself.
    let got: Widget = widgets
        .get_widget("w1")
        .send()
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(got, widget("w1"));

    // The documented 404, as an error value holding the whole answer; its
    // message comes from the body's error object.
    let missing = widgets
        .get_widget("nope")
        .send()
        .await
        .unwrap()
        .into_result();
    let error = missing.unwrap_err();
    assert_eq!(error.status(), 404);
    assert_eq!(error.message(), Some("no widget nope"));
    assert_eq!(
        error.to_string(),
        "`getWidget` (GET /widgets/{id}): the server answered 404: no widget nope"
    );
    assert!(matches!(error.response(), GetWidgetResponse::NotFound(_)));

    // A text body is the message; a body-less success is `()`.
    let busy = widgets
        .delete_widget("busy")
        .send()
        .await
        .unwrap()
        .into_result();
    assert_eq!(busy.unwrap_err().message(), Some("the widget is in use"));
    let () = widgets
        .delete_widget("w1")
        .send()
        .await
        .unwrap()
        .into_result()
        .unwrap();
}

#[tokio::test]
async fn several_success_answers_are_the_enum_holding_one() {
    let client = serve(Arc::default()).await;
    let widgets = client.widgets();
    let first = widgets
        .create_widget(widget("w"))
        .send()
        .await
        .unwrap()
        .into_result();
    assert!(matches!(first, Ok(CreateWidgetResponse::Created(_))));
    let again = widgets
        .create_widget(widget("w"))
        .send()
        .await
        .unwrap()
        .into_result();
    assert!(matches!(again, Ok(CreateWidgetResponse::Ok(_))));
    let invalid = widgets
        .create_widget(widget(""))
        .send()
        .await
        .unwrap()
        .into_result();
    assert_eq!(
        invalid.unwrap_err().message(),
        Some("a widget needs a name")
    );
}

#[tokio::test]
async fn a_default_answer_is_a_success_only_with_a_2xx_status() {
    let store = Arc::new(Store::default());
    let client = serve(Arc::clone(&store)).await;
    *store.healthy.lock().unwrap() = true;
    let up = client
        .widgets()
        .health()
        .send()
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(up.status.as_deref(), Some("up"));
    *store.healthy.lock().unwrap() = false;
    let down = client
        .widgets()
        .health()
        .send()
        .await
        .unwrap()
        .into_result();
    assert_eq!(down.unwrap_err().status(), 503);
}

/// What a program written against the client looks like: one line per
/// call, errors of every kind carried by `?`.
async fn rename(client: &Client, from: &str, to: &str) -> Result<Widget, Error> {
    let widgets = client.widgets();
    let old = widgets.get_widget(from).send().await?.into_result()?;
    let renamed = Widget {
        name: to.into(),
        ..old
    };
    widgets.create_widget(renamed).send().await?.into_result()?;
    widgets.delete_widget(from).send().await?.into_result()?;
    Ok(widgets.get_widget(to).send().await?.into_result()?)
}

#[tokio::test]
async fn question_marks_carry_documented_errors_into_the_clients_error() {
    let client = serve(Arc::default()).await;
    client
        .widgets()
        .create_widget(widget("a"))
        .send()
        .await
        .unwrap();
    let renamed = rename(&client, "a", "b").await.unwrap();
    assert_eq!(renamed.name, "b");

    let error = rename(&client, "a", "c").await.unwrap_err();
    assert_eq!(error.status(), Some(404));
    // Which call failed, and how.
    assert_eq!(error.operation().map(|op| op.id), Some("getWidget"));
    assert_eq!(
        error.to_string(),
        "`getWidget` (GET /widgets/{id}): the server answered 404: no widget a"
    );
    let answer = error
        .response::<GetWidgetResponse>()
        .expect("the typed answer");
    assert!(matches!(answer, GetWidgetResponse::NotFound(_)));
    assert!(error.response::<DeleteWidgetResponse>().is_none());

    // And into a `Box<dyn Error>`.
    async fn boxed(client: &Client) -> Result<Widget, Box<dyn std::error::Error>> {
        Ok(client
            .widgets()
            .get_widget("zzz")
            .send()
            .await?
            .into_result()?)
    }
    let error = boxed(&client).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "`getWidget` (GET /widgets/{id}): the server answered 404: no widget zzz"
    );
}

/// A server that answers what the spec does not allow: an undocumented
/// status with a body naming a secret, and a widget of the wrong shape.
async fn misbehaving() -> Client {
    use axum::routing::get;
    let app = axum::Router::new().route(
        "/widgets/{id}",
        get(
            |axum::extract::Path(id): axum::extract::Path<String>| async move {
                if id == "teapot" {
                    let body = r#"{"error":"quota exceeded","access_token":"tok-123"}"#;
                    (axum::http::StatusCode::IM_A_TEAPOT, body).into_response()
                } else {
                    axum::Json(
                        serde_json::json!({"name": "w", "new": true, "owner": {"id": "seven"}}),
                    )
                    .into_response()
                }
            },
        ),
    );
    use axum::response::IntoResponse;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Client::new(format!("http://{addr}"))
}

#[tokio::test]
async fn errors_say_how_a_call_failed_without_secrets() {
    let client = misbehaving().await;

    // An undocumented status: its body's excerpt, the secret redacted.
    let error = client
        .widgets()
        .get_widget("teapot")
        .send()
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.starts_with("`getWidget` (GET /widgets/{id}): undocumented status 418"),
        "{text}"
    );
    assert!(text.contains("quota exceeded"), "{text}");
    assert!(!text.contains("tok-123"), "{text}");
    assert!(
        !format!("{error:?}").contains("quota"),
        "Debug prints no body"
    );

    // A body that does not match: where, not what.
    let error = client.widgets().get_widget("w").send().await.unwrap_err();
    let text = error.to_string();
    assert!(text.contains("at `owner.id`"), "{text}");
    assert!(!text.contains("seven"), "{text}");

    // A transport error: no credentials from the URL (an API key in the query).
    let closed = Client::builder("http://127.0.0.1:1")
        .query_key("hunter2")
        .build();
    let error = closed.widgets().get_widget("w").send().await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Transport(_)), "{error:?}");
    let text = format!("{error} {error:?}");
    assert!(!text.contains("hunter2"), "{text}");
}
