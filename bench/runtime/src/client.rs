//! Per-call cost of the generated client against plain reqwest, one call at
//! a time against the same server: build the request, send it, read the
//! answer, check the status, decode the JSON into the same type
//! (`generated::tokens::types::ApiTokens`). They take turns call by call
//! (`calls` x `rounds` calls each) after a warm-up, so that drift in the
//! machine's load hits all alike. A third side is the generated client
//! with a retry policy and tracing on (a subscriber that takes every span),
//! where nothing is retried: the price of those features on the happy path.

use std::hint::black_box;
use std::time::Instant;

use generated::tokens::client::Client;
use generated::tokens::types::{
    ApiTokens, UserApiTokensGetResponse, UserApiTokensGetSortDirection, UserApiTokensGetSortField,
};
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// `http://HOST:PORT` of a server that answers `GET /me/tokens`.
    #[arg(long)]
    base_url: String,
    /// Calls per client per round.
    #[arg(long, default_value_t = 2000)]
    calls: usize,
    /// Rounds.
    #[arg(long, default_value_t = 5)]
    rounds: usize,
}

#[derive(Debug, Serialize)]
struct Side {
    calls: usize,
    median_us: f64,
    mean_us: f64,
    p99_us: f64,
}

#[derive(Debug, Serialize)]
struct Report {
    generated: Side,
    reqwest: Side,
    /// (generated median - reqwest median) / reqwest median, in percent.
    overhead_pct: f64,
    /// The generated client with `Retry::new()` and tracing spans.
    retry_tracing: Side,
    /// (retry_tracing median - reqwest median) / reqwest median, in percent.
    retry_tracing_overhead_pct: f64,
}

/// A subscriber that is interested in every span and keeps none: spans
/// are created, entered and recorded, as under a real subscriber.
struct Discard(std::sync::atomic::AtomicU64);

impl tracing::Subscriber for Discard {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        black_box(span);
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        tracing::span::Id::from_u64(n + 1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        black_box(values);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

async fn generated_call(client: &Client) -> Result<usize, String> {
    let answer = client
        .user_api_tokens()
        .get()
        .sort_field(UserApiTokensGetSortField::Name)
        .sort_direction(UserApiTokensGetSortDirection::Asc)
        .page("0")
        .per_page("10")
        .send()
        .await
        .map_err(|e| format!("generated client: {e}"))?;
    match answer {
        UserApiTokensGetResponse::Ok(page) => Ok(page.items.map_or(0, |i| i.len())),
        other => Err(format!("generated client: status {}", other.status())),
    }
}

async fn reqwest_call(http: &reqwest::Client, url: &str) -> Result<usize, String> {
    let page: ApiTokens = http
        .get(url)
        .bearer_auth(crate::DEMO_TOKEN)
        .query(&crate::QUERY)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| format!("reqwest: {e}"))?
        .json()
        .await
        .map_err(|e| format!("reqwest: {e}"))?;
    Ok(page.items.map_or(0, |i| i.len()))
}

fn side(mut samples: Vec<u64>) -> Side {
    samples.sort_unstable();
    let calls = samples.len();
    let mean = samples.iter().sum::<u64>() as f64 / calls.max(1) as f64;
    let median = if calls == 0 {
        0.0
    } else if calls % 2 == 1 {
        samples[calls / 2] as f64
    } else {
        (samples[calls / 2 - 1] + samples[calls / 2]) as f64 / 2.0
    };
    Side {
        calls,
        median_us: median / 1000.0,
        mean_us: mean / 1000.0,
        p99_us: crate::percentile(&samples, 99.0) as f64 / 1000.0,
    }
}

pub async fn run(args: Args) -> Result<(), String> {
    let base = args.base_url.trim_end_matches('/').to_string();
    let url = format!("{base}{}", crate::ROUTE);
    let generated = Client::builder(&base)
        .losant_bearer(crate::DEMO_TOKEN)
        .build();
    let layered = Client::builder(&base)
        .losant_bearer(crate::DEMO_TOKEN)
        .retry(codegen_runtime::client::Retry::new())
        .build();
    let traced = tracing::Dispatch::new(Discard(Default::default()));
    let http = reqwest::Client::new();

    // Warm-up: connections, allocator, branch predictors.
    let warm = (args.calls / 4).clamp(10, 1000);
    for _ in 0..warm {
        black_box(generated_call(&generated).await?);
        black_box(reqwest_call(&http, &url).await?);
    }
    // Both must see the same answer.
    let (a, b) = (
        generated_call(&generated).await?,
        reqwest_call(&http, &url).await?,
    );
    if a != b || a == 0 {
        return Err(format!("the clients disagree: {a} vs {b} items"));
    }

    for _ in 0..warm {
        let _guard = tracing::dispatcher::set_default(&traced);
        black_box(generated_call(&layered).await?);
    }

    let mut ours = Vec::with_capacity(args.calls * args.rounds);
    let mut plain = Vec::with_capacity(args.calls * args.rounds);
    let mut featured = Vec::with_capacity(args.calls * args.rounds);
    // One call of each per step, the order rotating per step: drift in the
    // machine's load (large on a shared 2-core machine) hits all three alike.
    for step in 0..args.calls.max(1) * args.rounds.max(1) {
        for which in 0..3 {
            let t = Instant::now();
            match (which + step) % 3 {
                0 => {
                    black_box(generated_call(&generated).await?);
                    ours.push(t.elapsed().as_nanos() as u64);
                }
                1 => {
                    black_box(reqwest_call(&http, &url).await?);
                    plain.push(t.elapsed().as_nanos() as u64);
                }
                _ => {
                    // The runtime is current-thread: the scoped subscriber
                    // sees every span of the call.
                    let _guard = tracing::dispatcher::set_default(&traced);
                    black_box(generated_call(&layered).await?);
                    featured.push(t.elapsed().as_nanos() as u64);
                }
            }
        }
    }
    let generated = side(ours);
    let reqwest = side(plain);
    let overhead_pct = (generated.median_us - reqwest.median_us) / reqwest.median_us * 100.0;
    let retry_tracing = side(featured);
    let retry_tracing_overhead_pct =
        (retry_tracing.median_us - reqwest.median_us) / reqwest.median_us * 100.0;
    let report = Report {
        generated,
        reqwest,
        overhead_pct,
        retry_tracing,
        retry_tracing_overhead_pct,
    };
    println!(
        "{}",
        serde_json::to_string(&report).map_err(|e| e.to_string())?
    );
    Ok(())
}
