//! Per-call cost of the generated client against plain reqwest, one call at
//! a time against the same server: build the request, send it, read the
//! answer, check the status, decode the JSON into the same type
//! (`generated::tokens::types::ApiTokens`). The two alternate in blocks of
//! `calls`, `rounds` times each, after a warm-up, so that drift in the
//! machine's load hits both alike.

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
    /// Calls per block.
    #[arg(long, default_value_t = 2000)]
    calls: usize,
    /// Blocks per client.
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

    let mut ours = Vec::with_capacity(args.calls * args.rounds);
    let mut plain = Vec::with_capacity(args.calls * args.rounds);
    for round in 0..args.rounds.max(1) {
        // Alternate which one goes first.
        for first in [round % 2 == 0, round % 2 != 0] {
            for _ in 0..args.calls.max(1) {
                let t = Instant::now();
                if first {
                    black_box(generated_call(&generated).await?);
                    ours.push(t.elapsed().as_nanos() as u64);
                } else {
                    black_box(reqwest_call(&http, &url).await?);
                    plain.push(t.elapsed().as_nanos() as u64);
                }
            }
        }
    }
    let generated = side(ours);
    let reqwest = side(plain);
    let overhead_pct = (generated.median_us - reqwest.median_us) / reqwest.median_us * 100.0;
    let report = Report {
        generated,
        reqwest,
        overhead_pct,
    };
    println!(
        "{}",
        serde_json::to_string(&report).map_err(|e| e.to_string())?
    );
    Ok(())
}
