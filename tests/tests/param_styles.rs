//! The OpenAPI specification's "Style Examples" table (3.2), over loopback:
//! the generated client puts each row on the wire exactly as the table
//! shows it, and the generated server reads the table's text back into
//! the values. The fixture (`tests/fixtures/edge/parameter-styles.yaml`)
//! has one operation per location, style and explode with a string `s`,
//! an array `a` and an object `o` where the table defines them; every
//! operation answers what it read.

use std::sync::{Arc, Mutex};

use axum::http::Request;
use codegen_runtime::server::Outcome;
use generated::parameter_styles::client::Client;
use generated::parameter_styles::server::*;
use generated::parameter_styles::types::{self, Color, Echo};

/// The table's rows: style, explode, then the string, array and object
/// columns for a parameter named `color` (`None`: n/a). The undefined
/// column is the empty string's (`""`), tested separately.
const TABLE: &[(&str, bool, Option<&str>, &str, &str)] = &[
    (
        "matrix",
        false,
        Some(";color=blue"),
        ";color=blue,black,brown",
        ";color=R,100,G,200,B,150",
    ),
    (
        "matrix",
        true,
        Some(";color=blue"),
        ";color=blue;color=black;color=brown",
        ";R=100;G=200;B=150",
    ),
    (
        "label",
        false,
        Some(".blue"),
        ".blue,black,brown",
        ".R,100,G,200,B,150",
    ),
    (
        "label",
        true,
        Some(".blue"),
        ".blue.black.brown",
        ".R=100.G=200.B=150",
    ),
    (
        "simple",
        false,
        Some("blue"),
        "blue,black,brown",
        "R,100,G,200,B,150",
    ),
    (
        "simple",
        true,
        Some("blue"),
        "blue,black,brown",
        "R=100,G=200,B=150",
    ),
    (
        "form",
        false,
        Some("color=blue"),
        "color=blue,black,brown",
        "color=R,100,G,200,B,150",
    ),
    (
        "form",
        true,
        Some("color=blue"),
        "color=blue&color=black&color=brown",
        "R=100&G=200&B=150",
    ),
    (
        "spaceDelimited",
        false,
        None,
        "color=blue%20black%20brown",
        "color=R%20100%20G%20200%20B%20150",
    ),
    (
        "pipeDelimited",
        false,
        None,
        "color=blue%7Cblack%7Cbrown",
        "color=R%7C100%7CG%7C200%7CB%7C150",
    ),
];
const DEEP_OBJECT: &str = "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150";

fn row(style: &str, explode: bool) -> (Option<&'static str>, &'static str, &'static str) {
    let r = TABLE
        .iter()
        .find(|r| r.0 == style && r.1 == explode)
        .expect("row");
    (r.2, r.3, r.4)
}

fn list() -> Vec<String> {
    ["blue", "black", "brown"].map(String::from).to_vec()
}

fn color() -> Color {
    Color {
        r: Some(100),
        g: Some(200),
        b: Some(150),
    }
}

fn echo(s: Option<String>, a: Option<Vec<String>>, o: Option<Color>) -> Echo {
    Echo { s, a, o }
}

/// The one documented answer of every operation.
trait Answered {
    fn echo(self) -> Echo;
}

impl Answered for types::PathMatrixFalseResponse {
    fn echo(self) -> Echo {
        let Self::Ok(echo) = self;
        echo
    }
}

/// Answers every operation with what it read.
struct Mirror;

macro_rules! mirror {
    ($($method:ident($input:ident) -> $response:ident [$($field:ident),*] $(path)?;)*) => {
        impl Styles for Mirror {
            $(async fn $method(&self, input: $input) -> Outcome<types::$response> {
                let mut echo = Echo::default();
                $(echo.$field = mirror!(@get input.$field);)*
                Ok(types::$response::Ok(echo))
            })*
        }
        // Operations with the same answers share one response enum; each
        // operation's name is an alias of it.
        $(const _: fn(types::$response) -> types::PathMatrixFalseResponse = |r| r;)*
    };
    (@get $e:expr) => { $e.into() };
}

mirror! {
    path_matrix_false(PathMatrixFalseInput) -> PathMatrixFalseResponse [s, a, o];
    path_matrix_true(PathMatrixTrueInput) -> PathMatrixTrueResponse [s, a, o];
    path_label_false(PathLabelFalseInput) -> PathLabelFalseResponse [s, a, o];
    path_label_true(PathLabelTrueInput) -> PathLabelTrueResponse [s, a, o];
    path_simple_false(PathSimpleFalseInput) -> PathSimpleFalseResponse [s, a, o];
    path_simple_true(PathSimpleTrueInput) -> PathSimpleTrueResponse [s, a, o];
    query_form_false(QueryFormFalseInput) -> QueryFormFalseResponse [s, a, o];
    query_form_true(QueryFormTrueInput) -> QueryFormTrueResponse [s, a, o];
    query_space_delimited_false(QuerySpaceDelimitedFalseInput) -> QuerySpaceDelimitedFalseResponse [a, o];
    query_pipe_delimited_false(QueryPipeDelimitedFalseInput) -> QueryPipeDelimitedFalseResponse [a, o];
    query_deep_object_true(QueryDeepObjectTrueInput) -> QueryDeepObjectTrueResponse [o];
    header_simple_false(HeaderSimpleFalseInput) -> HeaderSimpleFalseResponse [s, a, o];
    header_simple_true(HeaderSimpleTrueInput) -> HeaderSimpleTrueResponse [s, a, o];
    cookie_form_false(CookieFormFalseInput) -> CookieFormFalseResponse [s, a, o];
    cookie_form_true(CookieFormTrueInput) -> CookieFormTrueResponse [s, a, o];
}

/// What reached the server: the request target, and the `s`, `a`, `o`
/// and `cookie` headers.
type Seen = Arc<Mutex<Vec<(String, Vec<String>)>>>;

async fn serve() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let app = router(Arc::new(Mirror)).layer(tower::util::MapRequestLayer::new(
        move |req: Request<axum::body::Body>| {
            let headers = ["s", "a", "o", "cookie"]
                .iter()
                .filter_map(|h| req.headers().get(*h))
                .map(|v| v.to_str().unwrap_or("?").to_string())
                .collect();
            record
                .lock()
                .unwrap()
                .push((req.uri().to_string(), headers));
            req
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    (format!("http://{addr}"), seen)
}

fn last(seen: &Seen) -> (String, Vec<String>) {
    seen.lock()
        .unwrap()
        .pop()
        .expect("a request reached the server")
}

/// `color` in a table cell renamed to the fixture's parameter.
fn named(cell: &str, name: &str) -> String {
    cell.replace("color", name)
}

macro_rules! body {
    ($answer:expr) => {{
        $answer.await.expect("call").echo()
    }};
}

#[tokio::test]
async fn path_styles_go_out_as_the_table_shows_and_read_back() {
    let (base, seen) = serve().await;
    let c = Client::new(&base);
    let s = c.styles();
    for (style, explode) in [
        ("matrix", false),
        ("matrix", true),
        ("label", false),
        ("label", true),
        ("simple", false),
        ("simple", true),
    ] {
        let call = match (style, explode) {
            ("matrix", false) => body!(s.path_matrix_false("blue", list(), color()).send()),
            ("matrix", true) => body!(s.path_matrix_true("blue", list(), color()).send()),
            ("label", false) => body!(s.path_label_false("blue", list(), color()).send()),
            ("label", true) => body!(s.path_label_true("blue", list(), color()).send()),
            ("simple", false) => body!(s.path_simple_false("blue", list(), color()).send()),
            _ => body!(s.path_simple_true("blue", list(), color()).send()),
        };
        let (string, array, object) = row(style, explode);
        let expected = format!(
            "/path/{style}/{explode}/{}/{}/{}",
            named(string.unwrap_or_default(), "s"),
            named(array, "a"),
            named(object, "o")
        );
        assert_eq!(last(&seen).0, expected, "{style} explode={explode}");
        assert_eq!(
            call,
            echo(Some("blue".into()), Some(list()), Some(color())),
            "{style} {explode}"
        );

        // The table's own text, sent raw, reads back the same.
        let raw: Echo = reqwest::get(format!("{base}{expected}"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(raw, call, "{style} explode={explode}, raw");
    }
}

#[tokio::test]
async fn the_undefined_column_is_the_empty_string() {
    let (base, seen) = serve().await;
    let c = Client::new(&base);
    let answer = body!(c.styles().path_matrix_false("", list(), color()).send());
    assert!(last(&seen).0.starts_with("/path/matrix/false/;s/"));
    assert_eq!(answer.s.as_deref(), Some(""));
    // Not `label`: its empty value, `.`, is a whole path segment, which
    // URL normalization removes as a dot segment before it leaves the client.
    let answer = body!(c.styles().query_form_true().s("").send());
    assert_eq!(last(&seen).0, "/query/form/true?s=");
    assert_eq!(answer.s.as_deref(), Some(""));
}

#[tokio::test]
async fn query_styles_go_out_as_the_table_shows_and_read_back() {
    let (base, seen) = serve().await;
    let c = Client::new(&base);
    let s = c.styles();
    let all = echo(Some("blue".into()), Some(list()), Some(color()));
    let lists = echo(None, Some(list()), Some(color()));
    for (style, explode, want) in [
        ("form", false, &all),
        ("form", true, &all),
        ("spaceDelimited", false, &lists),
        ("pipeDelimited", false, &lists),
    ] {
        let call = match (style, explode) {
            ("form", false) => body!(s.query_form_false().s("blue").a(list()).o(color()).send()),
            ("form", true) => body!(s.query_form_true().s("blue").a(list()).o(color()).send()),
            ("spaceDelimited", _) => {
                body!(s.query_space_delimited_false().a(list()).o(color()).send())
            }
            _ => body!(s.query_pipe_delimited_false().a(list()).o(color()).send()),
        };
        let (string, array, object) = row(style, explode);
        let mut pieces: Vec<String> = string.map(|s| named(s, "s")).into_iter().collect();
        pieces.push(named(array, "a"));
        pieces.push(named(object, "o"));
        let expected = format!("/query/{style}/{explode}?{}", pieces.join("&"));
        assert_eq!(last(&seen).0, expected, "{style} explode={explode}");
        assert_eq!(&call, want, "{style} explode={explode}");
        let raw: Echo = reqwest::get(format!("{base}{expected}"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(&raw, want, "{style} explode={explode}, raw");
    }

    let call = body!(s.query_deep_object_true().o(color()).send());
    let expected = format!("/query/deepObject/true?{}", named(DEEP_OBJECT, "o"));
    assert_eq!(last(&seen).0, expected);
    assert_eq!(call, echo(None, None, Some(color())));
    let raw: Echo = reqwest::get(format!("{base}{expected}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw, call);
}

#[tokio::test]
async fn headers_and_cookies_go_out_in_their_styles_and_read_back() {
    let (base, seen) = serve().await;
    let c = Client::new(&base);
    let s = c.styles();
    let all = echo(Some("blue".into()), Some(list()), Some(color()));
    for explode in [false, true] {
        let call = if explode {
            body!(s.header_simple_true().s("blue").a(list()).o(color()).send())
        } else {
            body!(s
                .header_simple_false()
                .s("blue")
                .a(list())
                .o(color())
                .send())
        };
        let (string, array, object) = row("simple", explode);
        let expected = vec![
            string.unwrap().to_string(),
            array.to_string(),
            object.to_string(),
        ];
        assert_eq!(last(&seen).1, expected, "header explode={explode}");
        assert_eq!(call, all);
    }
    let call = body!(s.cookie_form_false().s("blue").a(list()).o(color()).send());
    assert_eq!(
        last(&seen).1,
        ["s=blue; a=blue,black,brown; o=R,100,G,200,B,150"]
    );
    assert_eq!(call, all);
    let call = body!(s.cookie_form_true().s("blue").a(list()).o(color()).send());
    assert_eq!(
        last(&seen).1,
        ["s=blue; a=blue; a=black; a=brown; R=100; G=200; B=150"]
    );
    assert_eq!(call, all);
}

#[tokio::test]
async fn text_in_no_style_is_a_400_naming_the_parameter() {
    let (base, _) = serve().await;
    for (target, field) in [
        ("/path/label/false/blue/.a/.R,100", "path.s"),
        ("/path/simple/false/blue/a/R,100,G", "path.o"),
        ("/query/form/true?R=x", "query.o"),
    ] {
        let answer = reqwest::get(format!("{base}{target}")).await.unwrap();
        assert_eq!(answer.status(), 400, "{target}");
        let problem: serde_json::Value = answer.json().await.unwrap();
        let fields: Vec<&str> = problem["violations"]
            .as_array()
            .expect("violations")
            .iter()
            .filter_map(|v| v["field"].as_str())
            .collect();
        assert!(fields.contains(&field), "{target}: {problem}");
    }
}
