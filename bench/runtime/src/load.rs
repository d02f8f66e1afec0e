//! A small closed-loop HTTP/1.1 load generator: `concurrency` keep-alive
//! connections, each sending the next request as soon as the previous answer
//! is read in full, for `warmup + duration` seconds (only `duration` is
//! measured) or until `max_requests` answers, whichever comes first.

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// `http://HOST:PORT/PATH?QUERY` (loopback only in the scripts).
    #[arg(long)]
    url: String,
    /// Extra request header, `Name: value` (repeatable).
    #[arg(short = 'H', long = "header")]
    headers: Vec<String>,
    /// Open connections, each with one request in flight.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Measured seconds.
    #[arg(long, default_value_t = 5.0)]
    duration: f64,
    /// Unmeasured seconds before that.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Stop after this many answers in all, whatever the time.
    #[arg(long, default_value_t = 20_000_000)]
    max_requests: u64,
}

#[derive(Debug, Default, Serialize)]
struct Report {
    concurrency: usize,
    seconds: f64,
    requests: u64,
    errors: u64,
    rps: f64,
    p50_us: u64,
    p90_us: u64,
    p99_us: u64,
    max_us: u64,
}

struct Connection {
    latencies_us: Vec<u64>,
    errors: u64,
}

pub async fn run(args: Args) -> Result<(), String> {
    let uri: hyper::Uri = args.url.parse().map_err(|e| format!("bad --url: {e}"))?;
    if uri.scheme_str() != Some("http") {
        return Err("only http:// URLs are supported".into());
    }
    let authority = uri
        .authority()
        .ok_or("--url has no host")?
        .as_str()
        .to_string();
    let target = uri
        .path_and_query()
        .map_or("/".to_string(), |p| p.as_str().to_string());
    let mut headers = Vec::new();
    for h in &args.headers {
        let (name, value) = h
            .split_once(':')
            .ok_or_else(|| format!("header `{h}` is not `Name: value`"))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }

    let start = Instant::now();
    let measure_from = start + Duration::from_secs_f64(args.warmup.max(0.0));
    let end = measure_from + Duration::from_secs_f64(args.duration.max(0.0));
    let per_connection = args.max_requests / args.concurrency.max(1) as u64;
    let mut tasks = Vec::new();
    for _ in 0..args.concurrency.max(1) {
        let authority = authority.clone();
        let target = target.clone();
        let headers = headers.clone();
        tasks.push(tokio::spawn(async move {
            connection(
                &authority,
                &target,
                &headers,
                measure_from,
                end,
                per_connection.max(1),
            )
            .await
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let c = task.await.map_err(|e| e.to_string())??;
        latencies.extend(c.latencies_us);
        errors += c.errors;
    }
    let seconds = (Instant::now().min(end) - measure_from.min(Instant::now()))
        .as_secs_f64()
        .max(f64::EPSILON);
    latencies.sort_unstable();
    let requests = latencies.len() as u64;
    let report = Report {
        concurrency: args.concurrency,
        seconds,
        requests,
        errors,
        rps: requests as f64 / seconds,
        p50_us: crate::percentile(&latencies, 50.0),
        p90_us: crate::percentile(&latencies, 90.0),
        p99_us: crate::percentile(&latencies, 99.0),
        max_us: latencies.last().copied().unwrap_or(0),
    };
    println!(
        "{}",
        serde_json::to_string(&report).map_err(|e| e.to_string())?
    );
    if requests == 0 {
        return Err("no request was answered in the measured window".into());
    }
    Ok(())
}

async fn connection(
    authority: &str,
    target: &str,
    headers: &[(String, String)],
    measure_from: Instant,
    end: Instant,
    max_requests: u64,
) -> Result<Connection, String> {
    let stream = tokio::net::TcpStream::connect(authority)
        .await
        .map_err(|e| format!("cannot connect to {authority}: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    let driver = tokio::spawn(conn);
    let mut out = Connection {
        latencies_us: Vec::with_capacity(64 * 1024),
        errors: 0,
    };
    let mut sent = 0;
    while sent < max_requests {
        let now = Instant::now();
        if now >= end {
            break;
        }
        let mut request = Request::get(target).header(hyper::header::HOST, authority);
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let request = request
            .body(Empty::<Bytes>::new())
            .map_err(|e| e.to_string())?;
        sender.ready().await.map_err(|e| e.to_string())?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| e.to_string())?;
        let ok = response.status().is_success();
        response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?;
        sent += 1;
        if now >= measure_from {
            let finished = Instant::now();
            if finished <= end {
                out.latencies_us
                    .push((finished - now).as_micros().min(u128::from(u64::MAX)) as u64);
                if !ok {
                    out.errors += 1;
                }
            }
        }
    }
    drop(sender);
    driver.abort();
    Ok(out)
}
