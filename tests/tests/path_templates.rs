//! Path segments that hold several parameters (`{base}...{head}`,
//! `{name}.{ext}`, `v{major}.{minor}`): the generated client fills them in,
//! the generated router takes them apart, over a real loopback socket.

use std::sync::Arc;

use generated::path_templates::client::Client;
use generated::path_templates::server::{self, CompareInput, FileInput, Outcome, Paths, PingInput};
use generated::path_templates::types::{
    CompareResponse, Echo, FileExt, FileResponse, PingResponse,
};

/// Echoes every path parameter as the router parsed it.
struct EchoParts;

impl Paths for EchoParts {
    async fn compare(&self, input: CompareInput) -> Outcome<CompareResponse> {
        Ok(CompareResponse::Ok(Echo {
            parts: vec![input.base, input.head],
        }))
    }

    async fn file(&self, input: FileInput) -> Outcome<FileResponse> {
        Ok(FileResponse::Ok(Echo {
            parts: vec![input.name, input.ext.as_str().to_string()],
        }))
    }

    async fn ping(&self, input: PingInput) -> Outcome<PingResponse> {
        Ok(PingResponse::Ok(Echo {
            parts: vec![input.major.to_string(), input.minor.to_string()],
        }))
    }
}

async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = server::router(Arc::new(EchoParts));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn parts(echo: Echo) -> Vec<String> {
    echo.parts
}

#[tokio::test]
async fn the_client_and_router_agree_on_every_template() {
    let base = serve().await;
    let client = Client::new(&base);
    let paths = client.paths();

    let CompareResponse::Ok(echo) = paths.compare("main", "feature/x y").send().await.unwrap();
    assert_eq!(parts(echo), ["main", "feature/x y"]);

    let FileResponse::Ok(echo) = paths.file("report", FileExt::Yaml).send().await.unwrap();
    assert_eq!(parts(echo), ["report", "yaml"]);

    let PingResponse::Ok(echo) = paths.ping(2, 15).send().await.unwrap();
    assert_eq!(parts(echo), ["2", "15"]);
}

#[tokio::test]
async fn the_router_splits_segments_at_their_literals() {
    let base = serve().await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let get = |path: &str| http.get(format!("{base}{path}")).send();

    for (path, status, want) in [
        ("/compare/v1.0...v2.0", 200, Some(vec!["v1.0", "v2.0"])),
        // Each parameter ends at the first occurrence of the literal after it.
        ("/compare/a...b...c", 200, Some(vec!["a", "b...c"])),
        // ...so `archive.tar.json` is name `archive`, ext `tar.json`: not an ext.
        ("/files/archive.tar.json", 400, None),
        (
            "/files/archive_tar.json",
            200,
            Some(vec!["archive_tar", "json"]),
        ),
        ("/v3.1/ping", 200, Some(vec!["3", "1"])),
        // No `...` in the segment: no such route.
        ("/compare/main..feature", 404, None),
        // `ext` is an enum, `major` has a minimum: the values are checked.
        ("/files/report.txt", 400, None),
        ("/v0.1/ping", 400, None),
        ("/vx.1/ping", 400, None),
        ("/1.1/ping", 404, None),
    ] {
        let response = get(path).await.unwrap();
        assert_eq!(response.status(), status, "{path}");
        if let Some(want) = want {
            let echo: Echo = response.json().await.unwrap();
            assert_eq!(echo.parts, want, "{path}");
        }
    }
}
