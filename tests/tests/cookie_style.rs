//! OpenAPI 3.2 `style: cookie` over loopback
//! (`tests/fixtures/edge/cookie-style.yaml`): the client writes such
//! cookies as they are and the server reads them as they are, while a
//! `form` cookie beside them is percent-encoded and decoded.

use std::sync::{Arc, Mutex};

use codegen_runtime::server::Outcome;
use generated::cookie_style::client::Client;
use generated::cookie_style::server::{router, Default as Sessions, WhoAmIInput};
use generated::cookie_style::types::{Prefs, Seen, WhoAmIResponse};

struct Echo;

impl Sessions for Echo {
    async fn who_am_i(&self, input: WhoAmIInput) -> Outcome<WhoAmIResponse> {
        Ok(WhoAmIResponse::Ok(Seen {
            token: input.token,
            ids: input.ids,
            prefs: input.prefs,
            note: input.note,
        }))
    }
}

/// A loopback server that also records the `Cookie` header it got.
async fn serve() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let app = router(Arc::new(Echo)).layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            let record = record.clone();
            async move {
                if let Some(c) = request.headers().get("cookie") {
                    record.lock().unwrap().push(c.to_str().unwrap().to_string());
                }
                next.run(request).await
            }
        },
    ));
    (tests::serve_loopback(app).await, seen)
}

#[tokio::test]
async fn cookie_style_is_written_and_read_as_it_is() {
    let (base, seen) = serve().await;
    let prefs = Prefs {
        theme: Some("dark".into()),
        lang: Some("en%2Dgb".into()),
    };
    let WhoAmIResponse::Ok(got) = Client::new(&base)
        .default()
        .who_am_i("a%20b")
        .ids(vec![1, 2])
        .prefs(prefs.clone())
        .note("x y")
        .send()
        .await
        .unwrap();
    // On the wire: `cookie` style as given, `form` style percent-encoded.
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        ["token=a%20b; ids=1,2; theme=dark; lang=en%2Dgb; note=x%20y"]
    );
    // Read back: `cookie` style not decoded, `form` style decoded.
    assert_eq!(
        got,
        Seen {
            token: "a%20b".into(),
            ids: Some(vec![1, 2]),
            prefs: Some(prefs),
            note: Some("x y".into()),
        }
    );
}
