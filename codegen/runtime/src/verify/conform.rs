//! The conformance driver (features `verify`, `server` and `client`):
//! `codegen --conformance` generates a program that calls every operation
//! of a spec through the generated client, with inputs made up from the
//! spec, and checks each answer lands in the documented variant.
//!
//! By default the generated router is served on loopback with a stub
//! behind every operation (the stub of `--verify-examples`): before each
//! call the stub is handed the answer to give (a [`Canned`] variant with
//! a made-up body), so every documented answer is decoded by the client
//! in turn. The program's arguments change where the calls go:
//!
//! - `--against URL`: send every call to `URL` (a third-party mock of the
//!   same spec, a staging deployment). Without `--listen`, nothing is
//!   served and any documented answer passes.
//! - `--listen ADDR`: serve the generated router on `ADDR`; with
//!   `--against`, a proxy at `URL` (an independent validator such as
//!   Prism's proxy) stands between the client and the server, and the
//!   stub still chooses every answer.
//!
//! A judge in front of the server is recognised by its problem answers
//! (RFC 9457, Prism's `type` URIs): a refused request, or an answer it
//! replaced because it breaks the spec.
//!
//! [`run`] prints one JSON line per call on stdout:
//! `{"call": 3, "outcome": "server-refused", "message": "..."}`. The
//! outcomes: `pass`, `input` (the made-up inputs do not fit the
//! generated types), `judge-refused-request`, `judge-rejected-answer`,
//! `server-refused` (the server refused the request the client sent),
//! `not-decoded` (the answer did not decode as documented),
//! `wrong-variant` (it decoded into another variant), `misrouted`
//! (another operation ran) and `unreached` (no answer at all).
//!
//! Then the negative cases, when the router is served: raw requests
//! ([`Negative`]) that each break one constraint the spec states on one
//! input. Each goes to the served router, which must refuse it (a 4xx
//! before any operation runs, with a problem naming the input), and,
//! when a judge stands in front (`--listen` with `--against`), through
//! the judge too, which must agree it is invalid. One line each:
//! `{"negative": 2, "outcome": "accepted-invalid", "message": "..."}`,
//! the outcome one of `refused` (as it must be), `both-accept` (the judge
//! finds the request valid too: the negative was not one), `unjudged`
//! (accepted, no judge, and the break is not certain), `refused-valid`
//! (the server refused what the judge accepts), `judge-blind` (refused,
//! and the judge accepts it but also accepted the operation's whole body
//! of the wrong JSON type: it does not read this body), `refused-unnamed`
//! (the problem does not name the input) and `accepted-invalid`.

use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use super::serve::{Canned, Slot};
use super::tap::Tap;
use crate::client::{Error, ErrorKind};
use crate::server::{Limits, Problem};

/// How long one request may take, a negative case's or (the generated
/// program sets it on its client) a call's: a server or judge that never
/// answers is reported, not waited for.
pub const CALL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// What a generated caller returns: the index of the variant the answer
/// decoded into, and its status.
pub type Pending<'a> = Pin<Box<dyn Future<Output = Result<(usize, u16), Failure>> + 'a>>;

/// A generated caller: one operation called through client `C` with the
/// inputs of a [`Call`].
pub type Caller<C> = for<'a> fn(&'a C, &'a Value) -> Pending<'a>;

/// Why a call did not give an answer.
#[derive(Debug)]
pub enum Failure {
    /// An input did not fit its generated type.
    Input(String),
    /// The client's error.
    Call(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Call(e)
    }
}

/// Required input `name` of `inputs`: its candidates (a list, the spec's
/// example first) are tried in order; the first that decodes is it.
pub fn input<T: DeserializeOwned>(inputs: &Value, name: &str) -> Result<T, Failure> {
    optional(inputs, name)?.ok_or_else(|| Failure::Input(format!("no value for `{name}`")))
}

/// Optional input `name` of `inputs` (see [`input`]); `None` when the
/// call does not set it.
pub fn optional<T: DeserializeOwned>(inputs: &Value, name: &str) -> Result<Option<T>, Failure> {
    let Some(candidates) = inputs.get(name).and_then(Value::as_array) else {
        return Ok(None);
    };
    let mut last = String::from("no candidate value");
    for candidate in candidates {
        match serde_json::from_value::<T>(candidate.clone()) {
            Ok(value) => return Ok(Some(value)),
            Err(e) => last = e.to_string(),
        }
    }
    Err(Failure::Input(format!(
        "`{name}`: no made-up value fits its type: {last}"
    )))
}

/// One call to make.
#[derive(Debug, Clone, Deserialize)]
pub struct Call {
    /// Echoed in the result line.
    pub id: usize,
    /// The caller's index.
    pub caller: usize,
    /// The operation (its id) that must answer.
    pub operation: String,
    /// The inputs, by the caller's names: each a list of candidates.
    pub inputs: Value,
    /// The answer the stub gives (ignored when nothing is served).
    pub answer: Canned,
}

/// Where the calls go (the program's arguments: see the module docs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// Send every call here instead of to the served router.
    pub against: Option<String>,
    /// Serve the router on this address.
    pub listen: Option<String>,
}

impl Options {
    /// Reads `--against URL` and `--listen ADDR` from `args`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> std::io::Result<Self> {
        let mut options = Options::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let slot = match arg.as_str() {
                "--against" => &mut options.against,
                "--listen" => &mut options.listen,
                other => {
                    return Err(std::io::Error::other(format!("unknown argument `{other}`")));
                }
            };
            *slot = Some(
                args.next()
                    .ok_or_else(|| std::io::Error::other(format!("`{arg}` needs a value")))?,
            );
        }
        Ok(options)
    }

    /// Whether the router is served (else only `--against` answers).
    fn serves(&self) -> bool {
        self.against.is_none() || self.listen.is_some()
    }
}

/// Makes every call of `calls` (a JSON array of [`Call`]) with its caller,
/// through the client `client` builds for a base URL with a [`Tap`]
/// layered on its transport, then sends every
/// request of `negatives` (a JSON array of [`Negative`]) when the router
/// is served, printing one result line for each (see the module docs).
pub fn run<C>(
    (calls, negatives): (&str, &str),
    callers: &[Caller<C>],
    client: impl Fn(&str, Tap) -> C,
    router: axum::Router,
    slot: Arc<Slot>,
    options: &Options,
) -> std::io::Result<()> {
    let calls: Vec<Call> = serde_json::from_str(calls).map_err(std::io::Error::other)?;
    let negatives: Vec<Negative> =
        serde_json::from_str(negatives).map_err(std::io::Error::other)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let mut base = options.against.clone().unwrap_or_default();
        let mut served_at = None;
        let server = if options.serves() {
            let addr = options.listen.as_deref().unwrap_or("127.0.0.1:0");
            let listener = tokio::net::TcpListener::bind(addr).await?;
            let local = format!("http://{}", listener.local_addr()?);
            if options.against.is_none() {
                base = local.clone();
            }
            served_at = Some(local);
            Some(tokio::spawn(async move {
                crate::server::serve(listener, router, &Limits::default(), async {
                    let _ = stopped.await;
                })
                .await
            }))
        } else {
            None
        };
        let tap = Tap::default();
        let client = client(&base, tap.clone());
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        for call in &calls {
            let line = match callers.get(call.caller) {
                Some(caller) => {
                    let served = server.is_some().then_some(options.against.is_some());
                    make((&client, &tap), *caller, call, &slot, served).await
                }
                None => json!({"call": call.id, "outcome": "input",
                    "message": format!("no caller #{}", call.caller)}),
            };
            writeln!(out, "{line}")?;
        }
        if let Some(server) = &served_at {
            // A judge stands in front when calls go elsewhere.
            let judge = options.against.as_deref();
            let http = reqwest::Client::builder()
                .no_proxy()
                .timeout(CALL_TIMEOUT)
                .build()
                .map_err(std::io::Error::other)?;
            let mut blind = std::collections::BTreeSet::new();
            for n in &negatives {
                let line = negative(&http, (server, judge), &slot, n, &mut blind).await;
                writeln!(out, "{line}")?;
            }
        }
        out.flush()?;
        let _ = stop.send(());
        if let Some(server) = server {
            let _ = server.await;
        }
        Ok(())
    })
}

/// Makes one call; `served`: `None` when nothing is served, else whether
/// a judge stands between the client and the served router.
async fn make<C>(
    (client, tap): (&C, &Tap),
    caller: Caller<C>,
    call: &Call,
    slot: &Slot,
    served: Option<bool>,
) -> Value {
    slot.prepare(served.map(|_| call.answer.clone()));
    tap.clear();
    let result = caller(client, &call.inputs).await;
    let reached = served.map(|_| slot.reached());
    let (outcome, message) = match tap.take().and_then(|body| spoke(&body, served, reached)) {
        Some(verdict) => verdict,
        None => judge(call, reached, served == Some(true), result),
    };
    json!({"call": call.id, "outcome": outcome, "message": message})
}

/// The judge's verdict when the answer that reached the client is the
/// judge's own problem (`served`: a judge stands in front), whatever the
/// client decoded it as: a documented error type may hold it and drop
/// the reason. A problem from a mock (`against` alone) is its verdict on
/// its own answer, or on the request.
fn spoke(
    body: &[u8],
    served: Option<bool>,
    reached: Option<Option<&str>>,
) -> Option<(&'static str, String)> {
    if served == Some(false) {
        return None;
    }
    let text = String::from_utf8_lossy(body);
    let status = serde_json::from_str::<Value>(&text)
        .ok()?
        .get("status")?
        .as_u64()?;
    let (kind, message) = judge_problem(u16::try_from(status).ok()?, &text)?;
    let message = match (kind, reached) {
        ("judge-refused-request", Some(None)) => {
            format!(
                "the judge answered {status} before the server saw the request: {}",
                short(&message)
            )
        }
        _ => format!("{status}: {}", short(&message)),
    };
    Some((kind, message))
}

/// The outcome of `call` and a message: `reached` is `None` when nothing
/// was served, else the operation the stub ran as (if any); `judged`: a
/// judge stands in front of the server. An answer whose status is not the
/// one asked for was replaced on its way: by the judge when there is one
/// (its own answer decoded as a documented variant, a `default` one).
fn judge(
    call: &Call,
    reached: Option<Option<&str>>,
    judged: bool,
    result: Result<(usize, u16), Failure>,
) -> (&'static str, String) {
    let ran = |op: &str| op == call.operation;
    let asked = call.answer.status;
    match (result, reached) {
        (Ok(_), Some(Some(op))) if !ran(op) => (
            "misrouted",
            format!("operation `{op}` answered, not `{}`", call.operation),
        ),
        (Ok((_, status)), Some(None)) if judged => (
            "judge-refused-request",
            format!("the judge answered {status} before the server saw the request"),
        ),
        (Ok((variant, status)), Some(None)) => (
            "server-refused",
            format!(
                "the server answered {status} before `{}` ran (decoded as documented variant #{variant})",
                call.operation
            ),
        ),
        (Ok((_, status)), Some(Some(_))) if judged && status != asked => (
            "judge-rejected-answer",
            format!("the server answered {asked}; the judge replaced it with {status}"),
        ),
        (Ok((variant, status)), Some(_)) if variant != call.answer.variant || status != asked => (
            "wrong-variant",
            format!(
                "answered as documented variant #{} ({asked}), decoded as #{variant} ({status})",
                call.answer.variant
            ),
        ),
        (Ok(_), _) => ("pass", String::new()),
        (Err(Failure::Input(m)), _) => ("input", m),
        (Err(Failure::Call(e)), reached) => failed(&e, reached),
    }
}

/// The outcome of a call the client failed.
fn failed(e: &Error, reached: Option<Option<&str>>) -> (&'static str, String) {
    // A judge's problem is the judge speaking, whatever status it took and
    // whether or not a documented error type happened to decode it.
    if let ErrorKind::Decode { status, body, .. } = e.kind() {
        if let Some((kind, message)) = judge_problem(*status, &String::from_utf8_lossy(body)) {
            return (kind, format!("{status}: {}", short(&message)));
        }
    }
    match e.kind() {
        ErrorKind::UnexpectedStatus { status, body, .. } => {
            let text = String::from_utf8_lossy(body);
            if let Some((kind, message)) = judge_problem(*status, &text) {
                return (kind, format!("{status}: {}", short(&message)));
            }
            match reached {
                // The server refused before any operation ran.
                Some(None) | None if (400..500).contains(status) => {
                    ("server-refused", refusal(*status, &text))
                }
                Some(None) => ("unreached", format!("{status}: {}", short(&text))),
                _ => (
                    "not-decoded",
                    format!(
                        "status {status} is not decoded as documented: {}",
                        short(&text)
                    ),
                ),
            }
        }
        // The server's own refusal, which the spec's error type does not fit.
        ErrorKind::Decode { status, body, .. }
            if reached == Some(None) && (400..500).contains(status) =>
        {
            (
                "server-refused",
                refusal(*status, &String::from_utf8_lossy(body)),
            )
        }
        ErrorKind::Decode { status, reason, .. } => {
            ("not-decoded", format!("status {status}: {reason}"))
        }
        ErrorKind::InvalidRequest(m) => ("input", format!("the client cannot send it: {m}")),
        _ => ("unreached", e.to_string()),
    }
}

/// A judge's problem answer, and its message: `judge-refused-request`
/// (the request breaks the spec) or `judge-rejected-answer` (the
/// server's answer does). Prism says which by each violation's location
/// (`["request", "query", "page"]`, `["response", "body", "id"]`), and
/// answers a refused request with 422 when nothing was forwarded.
fn judge_problem(status: u16, text: &str) -> Option<(&'static str, String)> {
    let problem: Value = serde_json::from_str(text).ok()?;
    let kind = problem.get("type")?.as_str()?;
    if !kind.contains("stoplight.io/prism/errors") {
        return None;
    }
    let violations: Vec<(String, String)> = problem
        .get("validation")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|v| {
                    let at = v
                        .get("location")
                        .and_then(Value::as_array)
                        .map(|l| {
                            l.iter()
                                .filter_map(Value::as_str)
                                .collect::<Vec<_>>()
                                .join(".")
                        })
                        .unwrap_or_default();
                    let message = v.get("message").and_then(Value::as_str).unwrap_or_default();
                    (at, message.to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    let on_request = violations.iter().any(|(at, _)| at.starts_with("request"));
    let outcome = if on_request || status == 422 || kind.ends_with("UNPROCESSABLE_ENTITY") {
        "judge-refused-request"
    } else {
        "judge-rejected-answer"
    };
    let mut message = problem
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or(kind)
        .to_string();
    for (at, m) in &violations {
        message.push_str(&format!("; {at}: {m}"));
    }
    Some((outcome, message))
}

/// The server's refusal, as its problem says it.
fn refusal(status: u16, text: &str) -> String {
    match serde_json::from_str::<Problem>(text) {
        Ok(p) => {
            let mut s = format!("{} {}: {}", p.status, p.error, p.message);
            for v in &p.violations {
                s.push_str(&format!("; {}: {}", v.field, v.message));
            }
            s
        }
        Err(_) => format!("{status}: {}", short(text)),
    }
}

/// A raw request that breaks one constraint the spec states on one input.
#[derive(Debug, Clone, Deserialize)]
pub struct Negative {
    /// Echoed in the result line.
    pub id: usize,
    /// The operation (its id) the request is for.
    pub operation: String,
    /// The HTTP method.
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Headers to send.
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: Option<String>,
    /// The input broken, as the server's problems name it (`query.page`).
    pub field: String,
    /// The constraint broken (`minimum 1`), for the message.
    pub breaks: String,
    /// The request surely breaks the spec (a pattern broken by a guess is
    /// not sure): accepted without a judge, it fails.
    pub sure: bool,
    /// Whether the judge is asked (`false` where a known judge is known to
    /// be wrong: tests/conformance/judge-defects.txt names each case).
    #[serde(default = "asked")]
    pub judged: bool,
    /// The whole body of the wrong JSON type, sent before the operation's
    /// other body breaks: a judge that accepts it validates none of the
    /// body, so its word on them is not asked for (`judge-blind`).
    #[serde(default)]
    pub probe: bool,
}

fn asked() -> bool {
    true
}

/// What one raw request got: its status, body, and whether an operation ran.
struct Sent {
    status: u16,
    text: String,
    reached: bool,
}

async fn send_raw(http: &reqwest::Client, base: &str, slot: &Slot, n: &Negative) -> Option<Sent> {
    slot.prepare(None);
    let method = reqwest::Method::from_bytes(n.method.as_bytes()).ok()?;
    let mut request = http.request(method, format!("{base}{}", n.target));
    for (name, value) in &n.headers {
        request = request.header(name, value);
    }
    if let Some(body) = &n.body {
        request = request.body(body.clone());
    }
    let response = request.send().await.ok()?;
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    Some(Sent {
        status,
        text,
        reached: slot.reached().is_some(),
    })
}

/// Negative `n` sent to the server (and through the judge, if any),
/// judged; `blind`: the operations whose body the judge does not read
/// (it accepted their probe).
async fn negative(
    http: &reqwest::Client,
    (server, judge): (&str, Option<&str>),
    slot: &Slot,
    n: &Negative,
    blind: &mut std::collections::BTreeSet<String>,
) -> Value {
    let line = |outcome: &str, message: String| json!({"negative": n.id, "outcome": outcome, "message": message});
    let Some(direct) = send_raw(http, server, slot, n).await else {
        return line("unreached", "the request did not complete".into());
    };
    // The judge's verdict: `Some(true)` when it calls the request invalid.
    let invalid = match judge.filter(|_| n.judged) {
        Some(judge) => match send_raw(http, judge, slot, n).await {
            Some(sent) => Some(judge_refused(&sent, &n.method)),
            None => return line("unreached", "the judge did not answer".into()),
        },
        None => None,
    };
    let refused = !direct.reached && (400..500).contains(&direct.status);
    // An answer to `HEAD` has no body to carry a problem in.
    let named = n.method.eq_ignore_ascii_case("HEAD") || names(&direct, &n.field);
    let what = format!("{} ({})", n.field, n.breaks);
    if n.probe && invalid == Some(false) {
        blind.insert(n.operation.clone());
    }
    let unread = n.field.starts_with("body") && blind.contains(&n.operation);
    match (refused, invalid) {
        (true, Some(false)) if unread && named => line(
            "judge-blind",
            format!(
                "{what}: refused; the judge validates none of this body (it accepts the whole body of the wrong JSON type), so its word is not taken"
            ),
        ),
        (true, Some(false)) => line(
            "refused-valid",
            format!(
                "{what}: the server refused what the judge accepts: {}",
                refusal(direct.status, &direct.text)
            ),
        ),
        (true, _) if !named => line(
            "refused-unnamed",
            format!(
                "{what}: the problem does not name the input: {}",
                refusal(direct.status, &direct.text)
            ),
        ),
        (true, _) => line("refused", String::new()),
        (false, Some(false)) => line("both-accept", format!("{what}: the judge accepts it too")),
        (false, None) if !n.sure => line("unjudged", format!("{what}: accepted; no judge to ask")),
        (false, _) => line(
            "accepted-invalid",
            format!(
                "{what}: the server answered {} ({})",
                direct.status,
                short(&direct.text)
            ),
        ),
    }
}

/// Whether the judge refused a raw request: its problem says so; or, to
/// `HEAD` (an answer without a body), its 422, which the generated server
/// never sends, from a request that reached no operation.
fn judge_refused(sent: &Sent, method: &str) -> bool {
    matches!(
        judge_problem(sent.status, &sent.text),
        Some(("judge-refused-request", _))
    ) || (method.eq_ignore_ascii_case("HEAD") && sent.status == 422 && !sent.reached)
}

/// The refusal names input `field`: a violation of it (or of a part of
/// it), or a refusal of the whole request for its body or media type.
fn names(sent: &Sent, field: &str) -> bool {
    if matches!(sent.status, 406 | 413 | 415) {
        return true;
    }
    let Ok(problem) = serde_json::from_str::<Problem>(&sent.text) else {
        return false;
    };
    let (location, name) = field.split_once('.').unwrap_or(("", field));
    problem.violations.iter().any(|v| {
        v.field == field
            || v.field.starts_with(&format!("{field}."))
            || v.field.starts_with(&format!("{field}["))
            || (location == "body" && v.field.starts_with("body"))
            || v.field.ends_with(&format!(".{name}"))
    }) || problem.message.contains(name)
}

fn short(text: &str) -> String {
    if text.chars().count() > 300 {
        format!("{}...", text.chars().take(297).collect::<String>())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call() -> Call {
        Call {
            id: 1,
            caller: 0,
            operation: "getPet".into(),
            inputs: json!({"id": ["x", 1]}),
            answer: Canned {
                variant: 1,
                status: 404,
                body: json!({}),
                headers: Value::Null,
                fallback: Value::Null,
            },
        }
    }

    #[test]
    fn inputs_take_the_first_candidate_that_fits() {
        let inputs = json!({"id": ["x", 7], "q": []});
        assert_eq!(input::<u32>(&inputs, "id").unwrap(), 7);
        assert_eq!(input::<String>(&inputs, "id").unwrap(), "x");
        assert!(optional::<u32>(&inputs, "other").unwrap().is_none());
        assert!(matches!(
            optional::<u32>(&inputs, "q"),
            Err(Failure::Input(_))
        ));
        assert!(matches!(
            input::<u32>(&inputs, "other"),
            Err(Failure::Input(_))
        ));
    }

    #[test]
    fn a_call_passes_when_its_operation_answers_the_documented_variant() {
        let c = call();
        assert_eq!(
            judge(&c, Some(Some("getPet")), false, Ok((1, 404))).0,
            "pass"
        );
        assert_eq!(
            judge(&c, Some(Some("getPet")), false, Ok((0, 200))).0,
            "wrong-variant"
        );
        assert_eq!(
            judge(&c, Some(Some("listPets")), false, Ok((1, 404))).0,
            "misrouted"
        );
        // The server's own refusal, decoded as the documented 404: the
        // stub never ran.
        assert_eq!(
            judge(&c, Some(None), false, Ok((1, 404))).0,
            "server-refused"
        );
        // A judge's answers, decoded as a documented `default`.
        assert_eq!(
            judge(&c, Some(None), true, Ok((2, 422))).0,
            "judge-refused-request"
        );
        assert_eq!(
            judge(&c, Some(Some("getPet")), true, Ok((2, 500))).0,
            "judge-rejected-answer"
        );
        // Nothing served (`--against`): any documented answer passes.
        assert_eq!(judge(&c, None, false, Ok((0, 200))).0, "pass");
    }

    #[test]
    fn prism_problems_are_the_judge_speaking() {
        let request = r#"{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request","status":422}"#;
        assert_eq!(
            judge_problem(422, request).unwrap().0,
            "judge-refused-request"
        );
        let answer = r#"{"type":"https://stoplight.io/prism/errors#VIOLATIONS","title":"Request/Response not valid","status":500,
            "validation":[{"location":["response","body","id"],"severity":"Error","message":"must be string"}]}"#;
        assert_eq!(
            judge_problem(500, answer).unwrap(),
            (
                "judge-rejected-answer",
                "Request/Response not valid; response.body.id: must be string".into()
            )
        );
        let forwarded = answer.replace(
            r#"["response","body","id"]"#,
            r#"["request","query","page"]"#,
        );
        assert_eq!(
            judge_problem(500, &forwarded).unwrap().0,
            "judge-refused-request"
        );
        assert!(judge_problem(
            400,
            r#"{"status":400,"error":"invalid_request","message":"m"}"#
        )
        .is_none());
    }

    #[test]
    fn a_judge_problem_a_documented_error_type_fails_to_decode_is_the_judge() {
        let problem = r#"{"type":"https://stoplight.io/prism/errors#VIOLATIONS","title":"Request/Response not valid","status":500,
            "validation":[{"location":["response"],"severity":"Error","message":"Unable to match the returned status code"}]}"#;
        let decode = |body: &str| -> Error {
            ErrorKind::Decode {
                status: 500,
                headers: Box::default(),
                body: body.as_bytes().to_vec(),
                reason: "Data error at line 1 column 3".into(),
            }
            .into()
        };
        let (kind, message) = failed(&decode(problem), Some(Some("getPet")));
        assert_eq!(kind, "judge-rejected-answer");
        assert!(message.contains("Unable to match"), "{message}");
        assert_eq!(
            failed(&decode(r#"{"x":1}"#), Some(Some("getPet"))).0,
            "not-decoded"
        );
    }

    #[test]
    fn a_judge_problem_on_the_wire_is_the_verdict_whatever_it_decoded_as() {
        let problem = br#"{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request","status":422,
            "validation":[{"location":["body"],"severity":"Error","message":"Request body must match exactly one schema in oneOf"}]}"#;
        let (kind, message) = spoke(problem, Some(true), Some(None)).unwrap();
        assert_eq!(kind, "judge-refused-request");
        assert!(message.contains("exactly one schema in oneOf"), "{message}");
        // No judge in front of the served router: not a judge's problem.
        assert!(spoke(problem, Some(false), Some(None)).is_none());
        // The server's own problem is no judge's.
        let own = br#"{"status":422,"error":"invalid_request","message":"m"}"#;
        assert!(spoke(own, Some(true), Some(None)).is_none());
        // A mock's verdict, nothing served.
        assert_eq!(
            spoke(problem, None, None).unwrap().0,
            "judge-refused-request"
        );
    }

    #[test]
    fn a_judges_422_to_head_is_its_refusal() {
        let sent = |status, reached| Sent {
            status,
            text: String::new(),
            reached,
        };
        assert!(judge_refused(&sent(422, false), "HEAD"));
        assert!(!judge_refused(&sent(422, true), "HEAD"));
        assert!(!judge_refused(&sent(422, false), "GET"));
        assert!(!judge_refused(&sent(400, false), "HEAD"));
    }

    #[test]
    fn arguments_say_where_calls_go() {
        let args = |a: &[&str]| Options::parse(a.iter().map(|s| s.to_string()));
        assert!(args(&[]).unwrap().serves());
        let against = args(&["--against", "http://x"]).unwrap();
        assert!(!against.serves());
        assert!(args(&["--against", "http://x", "--listen", "127.0.0.1:9"])
            .unwrap()
            .serves());
        assert!(args(&["--against"]).is_err());
        assert!(args(&["--bogus", "1"]).is_err());
    }
}
