//! The server side of example verification (features `verify`, `server`
//! and `client`): the generated router, served on loopback with a stub
//! behind every operation, is sent one request per example over HTTP.
//!
//! - A request-body example goes out as the operation's body, with its
//!   other required inputs made up by the generator. The server must let
//!   it through to the stub: a `400` naming the body (or a `415`) is the
//!   generated server refusing what the spec documents.
//! - A response example is handed to the stub as its answer (a
//!   [`Canned`] in the shared [`Slot`]); what the server writes must be
//!   that example, with its status, under [`compare`]'s normalisation.
//!
//! The stub records which operation it ran as, so a request the router
//! sends elsewhere is caught as well. [`run`] prints one JSON line per
//! exchange: `{"exchange": 3, "outcome": "refused", "message": "..."}`,
//! the outcome one of `accepted` (a request reached its operation),
//! `answered` (a response came back unchanged), `differences` (with a
//! `differences` list and a `message`), `refused`, `misrouted` or
//! `unreached` (the made-up inputs were not accepted: nothing is known).

use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{compare, differences_json};
use crate::server::{Limits, Problem};

/// The problem's `error` when the stub cannot decode its example.
const DOES_NOT_DECODE: &str = "example_does_not_decode";

/// The answer the stub gives to the next request: a variant of the
/// operation's response enum, with this status and body.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Canned {
    /// The variant's index in the response enum.
    pub variant: usize,
    /// The status, for variants that carry one (ranges and `default`).
    pub status: u16,
    /// The example.
    pub body: Value,
    /// Values of the answer's documented headers, by name (absent: none).
    #[serde(default)]
    pub headers: Value,
    /// A body made up from the schema alone, for when `body` (which may
    /// hold the spec's own examples) does not decode: a spec's example
    /// that its schema refuses (absent: none).
    #[serde(default)]
    pub fallback: Value,
}

impl Canned {
    /// The example as the variant's body type.
    pub fn body<T: DeserializeOwned>(&self) -> Result<T, Problem> {
        let decoded = serde_json::from_value(self.body.clone());
        if decoded.is_err() && !self.fallback.is_null() {
            if let Ok(value) = serde_json::from_value(self.fallback.clone()) {
                return Ok(value);
            }
        }
        decoded.map_err(|e| {
            Problem::new(
                500,
                DOES_NOT_DECODE,
                format!("the stub cannot decode the example: {e}"),
            )
        })
    }

    /// The value given for header `name`, as its type (`None`: none given,
    /// or not of that type).
    pub fn header<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        serde_json::from_value(self.headers.get(name)?.clone()).ok()
    }

    /// The example (a JSON string) as the bytes of a streamed body.
    pub fn bytes(&self) -> Result<crate::ByteStream, Problem> {
        self.body::<String>().map(crate::ByteStream::from)
    }

    /// The example (a JSON array) as the items of a JSON sequence.
    pub fn json_stream<T>(&self) -> Result<crate::JsonStream<T>, Problem>
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.body::<Vec<T>>().map(crate::JsonStream::from_items)
    }

    /// The example (a JSON array) as the data of server-sent events.
    pub fn events<T>(&self) -> Result<crate::EventStream<T>, Problem>
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.body::<Vec<T>>()
            .map(|items| crate::EventStream::from_events(items.into_iter().map(crate::Event::new)))
    }

    /// The problem of a variant the stub cannot build.
    pub fn unknown(&self) -> Problem {
        Problem::new(
            500,
            "no_such_variant",
            format!("the stub has no variant #{}", self.variant),
        )
    }
}

/// What the driver and the stub share: the next answer, and which
/// operation the stub last ran as.
#[derive(Debug, Default)]
pub struct Slot {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    canned: Option<Canned>,
    reached: Option<&'static str>,
}

impl Slot {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Called by the stub of `operation`: records that it ran, and takes
    /// the answer to give (none: `501`, as an unimplemented method).
    pub fn reach(&self, operation: &'static str) -> Result<Canned, Problem> {
        let mut state = self.state();
        state.reached = Some(operation);
        state
            .canned
            .take()
            .ok_or_else(|| Problem::not_implemented(operation))
    }

    pub(super) fn prepare(&self, canned: Option<Canned>) {
        let mut state = self.state();
        state.canned = canned;
        state.reached = None;
    }

    pub(super) fn reached(&self) -> Option<&'static str> {
        self.state().reached
    }
}

/// One request to send, and what it checks.
#[derive(Debug, Clone, Deserialize)]
pub struct Exchange {
    /// Echoed in the result line.
    pub id: usize,
    /// The operation (its id) that must answer.
    pub operation: String,
    /// The HTTP method.
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Headers to send (credentials, header parameters, the body's type).
    pub headers: Vec<(String, String)>,
    /// The request body, as text.
    pub body: Option<String>,
    /// The response example the stub answers with; `None`: the exchange
    /// checks the request (`body`).
    pub answer: Option<Canned>,
}

/// Serves `router` on loopback and sends every exchange of `exchanges`
/// (a JSON array of [`Exchange`]) to it, one at a time, printing one
/// result line per exchange on stdout (see the module docs).
pub fn run(router: axum::Router, slot: Arc<Slot>, exchanges: &str) -> std::io::Result<()> {
    let exchanges: Vec<Exchange> =
        serde_json::from_str(exchanges).map_err(std::io::Error::other)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let limits = Limits::default();
            crate::server::serve(listener, router, &limits, async {
                let _ = stopped.await;
            })
            .await
        });
        let client = reqwest::Client::builder()
            .no_proxy()
            .build()
            .map_err(std::io::Error::other)?;
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        for e in &exchanges {
            let line = send(&client, addr, &slot, e).await;
            writeln!(out, "{line}")?;
        }
        out.flush()?;
        let _ = stop.send(());
        let _ = server.await;
        Ok(())
    })
}

async fn send(client: &reqwest::Client, addr: SocketAddr, slot: &Slot, e: &Exchange) -> Value {
    slot.prepare(e.answer.clone());
    let Ok(method) = reqwest::Method::from_bytes(e.method.as_bytes()) else {
        return unreached(e.id, format!("`{}` is not a method", e.method));
    };
    let mut request = client.request(method, format!("http://{addr}{}", e.target));
    for (name, value) in &e.headers {
        request = request.header(name, value);
    }
    if let Some(body) = &e.body {
        request = request.body(body.clone());
    }
    let response = match request.send().await {
        Ok(r) => r,
        Err(err) => return unreached(e.id, format!("the request failed: {err}")),
    };
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    judge(e, slot.reached(), status, &text)
}

fn unreached(id: usize, message: String) -> Value {
    json!({"exchange": id, "outcome": "unreached", "message": message})
}

/// The outcome of exchange `e`, given the operation the stub ran as and
/// the answer.
fn judge(e: &Exchange, reached: Option<&str>, status: u16, text: &str) -> Value {
    let id = e.id;
    match (reached, &e.answer) {
        (Some(op), None) if op == e.operation => json!({"exchange": id, "outcome": "accepted"}),
        (Some(op), Some(canned)) if op == e.operation => {
            if let Ok(p) = serde_json::from_str::<Problem>(text) {
                if p.error == DOES_NOT_DECODE {
                    // The type check reports it; nothing to serve.
                    return unreached(id, p.message);
                }
            }
            let body = match serde_json::from_str::<Value>(text) {
                Ok(body) => body,
                Err(err) => {
                    return json!({"exchange": id, "outcome": "differences", "differences": [],
                        "message": format!("the answer is not JSON ({err}): {}", short(text))})
                }
            };
            let differences = differences_json(&compare(&canned.body, &body));
            let wrong_status = status != canned.status;
            if differences.is_empty() && !wrong_status {
                return json!({"exchange": id, "outcome": "answered"});
            }
            let message = if wrong_status {
                format!("answered {status}, not {}", canned.status)
            } else {
                String::new()
            };
            json!({"exchange": id, "outcome": "differences", "differences": differences, "message": message})
        }
        (Some(op), _) => json!({"exchange": id, "outcome": "misrouted",
            "message": format!("operation `{op}` answered, not `{}`", e.operation)}),
        (None, answer) => {
            let problem = serde_json::from_str::<Problem>(text).ok();
            let message = match &problem {
                Some(p) => describe(p),
                None => format!("{status}: {}", short(text)),
            };
            let names_body = problem.as_ref().is_some_and(|p| {
                p.violations.is_empty()
                    || p.violations.iter().any(|v| {
                        v.field == "body"
                            || v.field.starts_with("body.")
                            || v.field.starts_with("body[")
                    })
            });
            let outcome = match status {
                // No route for a documented path and method.
                404 | 405 => "misrouted",
                // The body example itself is what the server refused.
                400 if answer.is_none() && names_body => "refused",
                406 | 415 if answer.is_none() => "refused",
                _ => "unreached",
            };
            let message = if outcome == "unreached" {
                format!("the server did not take the made-up inputs: {message}")
            } else {
                message
            };
            json!({"exchange": id, "outcome": outcome, "status": status, "message": message})
        }
    }
}

fn describe(p: &Problem) -> String {
    let mut s = format!("{} {}: {}", p.status, p.error, p.message);
    if p.violations.len() > 1 {
        let each: Vec<String> = p
            .violations
            .iter()
            .map(|v| format!("{}: {}", v.field, v.message))
            .collect();
        s.push_str(&format!(" ({})", each.join("; ")));
    }
    s
}

fn short(text: &str) -> String {
    if text.chars().count() > 200 {
        format!("{}...", text.chars().take(197).collect::<String>())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(answer: Option<Canned>) -> Exchange {
        Exchange {
            id: 7,
            operation: "getPet".into(),
            method: "GET".into(),
            target: "/pets/1".into(),
            headers: Vec::new(),
            body: None,
            answer,
        }
    }

    fn canned(body: Value) -> Canned {
        Canned {
            variant: 0,
            status: 200,
            body,
            headers: Value::Null,
            fallback: Value::Null,
        }
    }

    #[test]
    fn a_body_that_does_not_decode_gives_way_to_the_fallback() {
        let mut answer = canned(json!({"id": "not a number"}));
        answer.fallback = json!({"id": 7});
        #[derive(serde::Deserialize)]
        struct Pet {
            id: u32,
        }
        assert_eq!(answer.body::<Pet>().map(|p| p.id).ok(), Some(7));
        answer.fallback = Value::Null;
        assert!(answer.body::<Pet>().is_err());
    }

    #[test]
    fn a_request_that_reaches_its_operation_is_accepted() {
        let e = exchange(None);
        assert_eq!(judge(&e, Some("getPet"), 501, "")["outcome"], "accepted");
        assert_eq!(judge(&e, Some("listPets"), 501, "")["outcome"], "misrouted");
    }

    #[test]
    fn a_refusal_is_ours_only_when_it_names_the_body() {
        let e = exchange(None);
        let body = r#"{"status":400,"error":"invalid_request","message":"m","violations":[{"field":"body.name","message":"required"}]}"#;
        let v = judge(&e, None, 400, body);
        assert_eq!(v["outcome"], "refused");
        assert!(v["message"]
            .as_str()
            .unwrap()
            .contains("400 invalid_request"));
        let path = r#"{"status":400,"error":"invalid_request","message":"m","violations":[{"field":"path.id","message":"too short"}]}"#;
        assert_eq!(judge(&e, None, 400, path)["outcome"], "unreached");
        assert_eq!(judge(&e, None, 401, "{}")["outcome"], "unreached");
        assert_eq!(judge(&e, None, 415, "{}")["outcome"], "refused");
        assert_eq!(judge(&e, None, 404, "{}")["outcome"], "misrouted");
    }

    #[test]
    fn an_answer_must_come_back_as_the_example_with_its_status() {
        let e = exchange(Some(canned(json!({"id": 1, "name": "Rex"}))));
        let same = judge(&e, Some("getPet"), 200, r#"{"name":"Rex","id":1.0}"#);
        assert_eq!(same["outcome"], "answered");
        let dropped = judge(&e, Some("getPet"), 200, r#"{"id":1}"#);
        assert_eq!(dropped["outcome"], "differences");
        assert_eq!(dropped["differences"][0]["pointer"], "/name");
        let status = judge(&e, Some("getPet"), 201, r#"{"id":1,"name":"Rex"}"#);
        assert_eq!(status["message"], "answered 201, not 200");
        let stub = serde_json::to_string(&canned(json!("x")).body::<u8>().unwrap_err()).unwrap();
        assert_eq!(
            judge(&e, Some("getPet"), 500, &stub)["outcome"],
            "unreached"
        );
        assert_eq!(
            judge(
                &e,
                None,
                400,
                r#"{"status":400,"error":"invalid_request","message":"m"}"#
            )["outcome"],
            "unreached"
        );
    }

    #[test]
    fn the_slot_hands_its_answer_over_once_and_remembers_who_took_it() {
        let slot = Slot::default();
        slot.prepare(Some(canned(json!(1))));
        assert_eq!(slot.reach("getPet").map(|c| c.body), Ok(json!(1)));
        assert_eq!(slot.reached(), Some("getPet"));
        assert_eq!(slot.reach("getPet").map_err(|p| p.status), Err(501));
        slot.prepare(None);
        assert_eq!(slot.reached(), None);
    }
}
