//! `bench-runtime reliability`: the example token server, started as its
//! own process with the runtime's limits, under load, slow clients and
//! hostile HTTP (see BENCHMARKS.md, "Reliability"). Every scenario starts
//! its own server, is bounded in time and stops what it started; the
//! report is Markdown on stdout, and any failed check makes the command
//! fail.
//!
//! `--quick` (CI) runs the hostile-HTTP, handler-timeout and shutdown
//! checks and 100 body drippers against 50 handler slots, with short
//! timeouts; the default runs 1,100 drippers against the default limits
//! and adds 1,000 keep-alive connections for 30 s and 500 slow-loris
//! connections beside normal traffic.

mod process;
mod raw;
mod report;
mod slow_bodies;
mod traffic;

use std::time::{Duration, Instant};

use process::Server;
use raw::{normal_request, Conn, Ended};
use report::{mib, Report};
use traffic::traffic;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The token-server binary (`target/release/token-server`).
    #[arg(long)]
    server: String,
    /// Hostile HTTP, handler timeout and shutdown only, with short timeouts.
    #[arg(long)]
    quick: bool,
    /// Keep-alive connections of the load scenario.
    #[arg(long, default_value_t = 1000)]
    connections: usize,
    /// Seconds of the load scenario.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Slow-loris connections.
    #[arg(long, default_value_t = 500)]
    slow: usize,
    /// Connections dripping request bodies (quick: 100).
    #[arg(long, default_value_t = 1100)]
    drippers: usize,
}

pub async fn run(args: Args) -> Result<(), String> {
    let mut report = Report::default();
    // Short timeouts in quick mode keep CI fast; the full run uses the
    // runtime's defaults, as the token server ships.
    let (header_timeout, body_timeout) = if args.quick {
        (Duration::from_secs(1), Duration::from_secs(1))
    } else {
        (Duration::from_secs(10), Duration::from_secs(15))
    };
    let timeouts = if args.quick {
        vec![
            "--header-timeout-ms".to_string(),
            header_timeout.as_millis().to_string(),
            "--body-timeout-ms".to_string(),
            body_timeout.as_millis().to_string(),
        ]
    } else {
        Vec::new()
    };
    hostile(&args.server, &timeouts, body_timeout, &mut report).await?;
    handler_timeout(&args.server, &mut report).await?;
    shutdown(&args.server, &mut report).await?;
    slow_bodies(&args, &mut report).await?;
    if !args.quick {
        load(&args.server, args.connections, args.seconds, &mut report).await?;
        slow_loris(&args.server, args.slow, header_timeout, &mut report).await?;
    }
    println!("| scenario | result | check |\n|---|---|---|");
    for c in &report.checks {
        let mark = if c.passed { "pass" } else { "**FAIL**" };
        println!("| {} | {} | {mark} |", c.scenario, c.what);
    }
    for note in &report.notes {
        println!("\n{note}");
    }
    let failed = report.checks.iter().filter(|c| !c.passed).count();
    if failed > 0 {
        return Err(format!("{failed} reliability check(s) failed"));
    }
    Ok(())
}

/// Bodies dripped into more connections than the server has handler
/// slots. Quick: 100 drippers against 50 slots and a 1 s body deadline,
/// so the check fails if a dripper can hold a slot.
async fn slow_bodies(args: &Args, report: &mut Report) -> Result<(), String> {
    let (drippers, window, deadline, flags) = if args.quick {
        let flags = ["--body-timeout-ms", "1000", "--concurrency", "50"].map(String::from);
        (
            100,
            Duration::from_secs(4),
            Duration::from_secs(1),
            flags.to_vec(),
        )
    } else {
        (
            args.drippers,
            Duration::from_secs(20),
            Duration::from_secs(15),
            Vec::new(),
        )
    };
    let attack = slow_bodies::Attack {
        drippers,
        normal: 50,
        window,
        body_deadline: deadline,
        flags: &flags,
    };
    slow_bodies::run(&args.server, attack, report).await
}

/// A normal request on a fresh connection answers 200.
async fn still_serving(addr: &str) -> bool {
    match Conn::open(addr).await {
        Ok(mut c) => c
            .exchange(&normal_request(), Duration::from_secs(5))
            .await
            .is_ok_and(|a| a.status == 200),
        Err(_) => false,
    }
}

/// The requests a hostile client sends, each on its own connection.
fn hostile_cases() -> Vec<(&'static str, Vec<u8>)> {
    let auth = format!("Authorization: Bearer {}\r\n", crate::DEMO_TOKEN);
    let route = crate::ROUTE;
    let mut cases: Vec<(&'static str, Vec<u8>)> = Vec::new();
    cases.push((
        "1 MB header",
        format!(
            "GET {route} HTTP/1.1\r\nHost: x\r\n{auth}X-Big: {}\r\n\r\n",
            "a".repeat(1 << 20)
        )
        .into_bytes(),
    ));
    let mut many = format!("GET {route} HTTP/1.1\r\nHost: x\r\n{auth}");
    for i in 0..10_000 {
        many.push_str(&format!("X-{i}: v\r\n"));
    }
    many.push_str("\r\n");
    cases.push(("10,000 headers", many.into_bytes()));
    cases.push((
        "64 KB path",
        format!(
            "GET /{} HTTP/1.1\r\nHost: x\r\n{auth}\r\n",
            "a".repeat(64 * 1024)
        )
        .into_bytes(),
    ));
    cases.push((
        "body that never ends",
        format!(
            "POST {route} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{\"name\": \"never"
        )
        .into_bytes(),
    ));
    let mut chunked = format!(
        "POST {route} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    let chunk = vec![b' '; 64 * 1024];
    for _ in 0..40 {
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(&chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    cases.push(("2.5 MB chunked body", chunked));
    cases.push((
        "Content-Length with Transfer-Encoding",
        format!(
            "POST {route} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET {route} HTTP/1.1\r\nHost: x\r\n{auth}\r\n"
        )
        .into_bytes(),
    ));
    let mut bad_path = format!("GET {route}/").into_bytes();
    bad_path.extend_from_slice(b"\xff\xfe HTTP/1.1\r\nHost: x\r\n");
    bad_path.extend_from_slice(auth.as_bytes());
    bad_path.extend_from_slice(b"\r\n");
    cases.push(("invalid UTF-8 in the path", bad_path));
    let mut bad_query = format!("GET {route}?sortField=").into_bytes();
    bad_query.extend_from_slice(b"\xff\xfe HTTP/1.1\r\nHost: x\r\n");
    bad_query.extend_from_slice(auth.as_bytes());
    bad_query.extend_from_slice(b"\r\n");
    cases.push(("invalid UTF-8 in the query", bad_query));
    let mut bad_header = format!("GET {route} HTTP/1.1\r\nHost: x\r\n{auth}").into_bytes();
    bad_header.extend_from_slice(b"losantdomain: \xff\xfe\r\n\r\n");
    cases.push(("invalid UTF-8 in a header", bad_header));
    let body: &[u8] = b"{\"name\": \"\xff\xfe\"}";
    let mut bad_body = format!(
        "POST {route} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bad_body.extend_from_slice(body);
    cases.push(("invalid UTF-8 in the body", bad_body));
    cases
}

/// Each hostile request gets a 4xx (and nothing more) or a closed
/// connection; the server keeps serving and its memory stays bounded.
async fn hostile(
    binary: &str,
    flags: &[String],
    body_timeout: Duration,
    report: &mut Report,
) -> Result<(), String> {
    let server = Server::start(binary, flags)?;
    let before = server.memory_kib().0;
    for (name, request) in hostile_cases() {
        let started = Instant::now();
        let mut conn = Conn::open(&server.addr)
            .await
            .map_err(|e| format!("cannot connect: {e}"))?;
        let answer = conn
            .exchange(&request, body_timeout + Duration::from_secs(5))
            .await;
        let outcome = match &answer {
            Ok(a) if (400..500).contains(&a.status) => {
                // A second answer would be a smuggled request.
                let second = conn
                    .read_answer(Instant::now() + Duration::from_millis(300))
                    .await;
                match second {
                    Ok(b) => Err(format!("{} then a second answer {}", a.status, b.status)),
                    Err(_) => Ok(format!("{}", a.status)),
                }
            }
            Ok(a) => Err(format!("answered {}", a.status)),
            Err(Ended::Closed) => Ok("connection closed".to_string()),
            Err(Ended::TimedOut) => Err("no answer and still open".to_string()),
        };
        let serving = still_serving(&server.addr).await;
        let elapsed = started.elapsed().as_secs_f64();
        let (passed, what) = match outcome {
            Ok(what) => (serving, format!("{name}: {what} in {elapsed:.2} s")),
            Err(what) => (false, format!("{name}: {what}")),
        };
        let what = if serving {
            what
        } else {
            format!("{what}; then stopped serving")
        };
        report.check("hostile HTTP", passed, what);
    }
    let (now, peak) = server.memory_kib();
    report.check(
        "hostile HTTP",
        peak < 256 * 1024,
        format!(
            "memory: {} before, {} after, {} peak (bound: 256 MiB)",
            mib(before),
            mib(now),
            mib(peak)
        ),
    );
    Ok(())
}

/// A handler slower than the handler timeout answers 503 `timeout`.
async fn handler_timeout(binary: &str, report: &mut Report) -> Result<(), String> {
    let flags = ["--delay-ms", "2000", "--handler-timeout-ms", "300"].map(String::from);
    let server = Server::start(binary, &flags)?;
    let started = Instant::now();
    let mut conn = Conn::open(&server.addr)
        .await
        .map_err(|e| format!("cannot connect: {e}"))?;
    let answer = conn
        .exchange(&normal_request(), Duration::from_secs(5))
        .await;
    let elapsed = started.elapsed().as_secs_f64();
    let (passed, what) = match answer {
        Ok(a) => (
            a.status == 503 && String::from_utf8_lossy(&a.body).contains("\"timeout\""),
            format!(
                "handler of 2 s, timeout 0.3 s: {} `{}` after {elapsed:.2} s",
                a.status,
                String::from_utf8_lossy(&a.body)
            ),
        ),
        Err(e) => (false, format!("no answer: {e:?}")),
    };
    report.check("handler timeout", passed, what);
    Ok(())
}

/// SIGTERM while every connection has a request in flight: each in-flight
/// request completes, new connections are refused, the process exits 0.
async fn shutdown(binary: &str, report: &mut Report) -> Result<(), String> {
    let flags = ["--delay-ms", "500"].map(String::from);
    let mut server = Server::start(binary, &flags)?;
    let addr = server.addr.clone();
    let term_at = Instant::now() + Duration::from_millis(1200);
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let addr = addr.clone();
        tasks.push(tokio::spawn(async move {
            // (answered 200 after SIGTERM, cut mid-answer, other statuses)
            let mut tally = (0u64, 0u64, 0u64);
            let Ok(mut conn) = Conn::open(&addr).await else {
                return tally;
            };
            loop {
                match conn
                    .exchange(&normal_request(), Duration::from_secs(10))
                    .await
                {
                    Ok(a) if a.status == 200 => {
                        if Instant::now() > term_at {
                            tally.0 += 1;
                        }
                        if a.close {
                            return tally;
                        }
                    }
                    Ok(_) => {
                        tally.2 += 1;
                        return tally;
                    }
                    // Closed between answers: the keep-alive race every
                    // HTTP/1.1 client retries; not a lost answer.
                    Err(Ended::Closed) if Instant::now() > term_at => return tally,
                    Err(_) => {
                        tally.1 += 1;
                        return tally;
                    }
                }
            }
        }));
    }
    tokio::time::sleep_until(term_at.into()).await;
    server.terminate()?;
    let mut completed = 0;
    let mut cut = 0;
    let mut other = 0;
    for t in tasks {
        let (a, b, c) = t.await.map_err(|e| e.to_string())?;
        completed += a;
        cut += b;
        other += c;
    }
    let refused = Conn::open(&addr).await.is_err();
    let status = tokio::task::block_in_place(|| server.wait(Duration::from_secs(35)));
    let exited = status.is_some_and(|s| s.success());
    report.check(
        "graceful shutdown",
        completed > 0 && cut == 0 && other == 0 && refused && exited,
        format!(
            "50 connections, answers 0.5 s slow, SIGTERM: {completed} in-flight requests completed with 200, {cut} cut, {other} other statuses; new connection {}; exit {}",
            if refused { "refused" } else { "accepted" },
            status.map_or("none within 35 s".to_string(), |s| s.to_string())
        ),
    );
    Ok(())
}

/// Many keep-alive connections at once: no error beyond 503 shedding.
async fn load(
    binary: &str,
    connections: usize,
    seconds: u64,
    report: &mut Report,
) -> Result<(), String> {
    let server = Server::start(binary, &[])?;
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut t = traffic(&server.addr, connections, until).await;
    let (_, peak) = server.memory_kib();
    let only_200_503 = t.statuses.keys().all(|s| *s == 200 || *s == 503);
    let summary = t.summary(seconds as f64);
    report.check(
        "keep-alive load",
        t.errors == 0 && only_200_503 && !t.latencies_us.is_empty(),
        format!(
            "{connections} connections for {seconds} s: {summary}; peak RSS {}",
            mib(peak)
        ),
    );
    Ok(())
}

/// Slow-loris connections beside normal traffic: normal p99 within 2x of
/// the quiet run, every slow connection closed by the header read timeout.
async fn slow_loris(
    binary: &str,
    slow: usize,
    header_timeout: Duration,
    report: &mut Report,
) -> Result<(), String> {
    let server = Server::start(binary, &[])?;
    let normal = 50;
    let window = header_timeout + Duration::from_secs(5);
    let mut quiet = traffic(&server.addr, normal, Instant::now() + window).await;
    let quiet_p99 = quiet.p99_ms();
    let interval = Duration::from_secs(2);
    let mut lorises = Vec::new();
    for _ in 0..slow {
        let addr = server.addr.clone();
        lorises.push(tokio::spawn(async move {
            let opened = Instant::now();
            let Ok(mut conn) = Conn::open(&addr).await else {
                return None;
            };
            let give_up = opened + header_timeout * 3;
            if conn
                .send(b"GET /me/tokens HTTP/1.1\r\nX-Slow: ")
                .await
                .is_err()
            {
                return Some(opened.elapsed());
            }
            while Instant::now() < give_up {
                if conn.closed_by(Instant::now() + interval).await {
                    return Some(opened.elapsed());
                }
                if conn.send(b"a").await.is_err() {
                    return Some(opened.elapsed());
                }
            }
            None
        }));
    }
    // Let every slow connection open before measuring beside them.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut loaded = traffic(&server.addr, normal, Instant::now() + window).await;
    let loaded_p99 = loaded.p99_ms();
    let mut closed = Vec::new();
    let mut open = 0;
    for l in lorises {
        match l.await.map_err(|e| e.to_string())? {
            Some(after) => closed.push(after.as_secs_f64()),
            None => open += 1,
        }
    }
    let (_, peak) = server.memory_kib();
    closed.sort_by(f64::total_cmp);
    let latest = closed.last().copied().unwrap_or(0.0);
    let bound = (header_timeout + interval + Duration::from_secs(2)).as_secs_f64();
    report.check(
        "slow loris",
        open == 0 && latest <= bound,
        format!(
            "{slow} connections sending a header byte every {} s: {} closed by the server (earliest {:.1} s, latest {latest:.1} s; bound {bound:.0} s), {open} still open; peak RSS {}",
            interval.as_secs(),
            closed.len(),
            closed.first().copied().unwrap_or(0.0),
            mib(peak)
        ),
    );
    // The baseline's p99 is floored at 1 ms: below that, 2x is scheduler noise.
    let allowed = 2.0 * quiet_p99.max(1.0);
    let quiet_summary = quiet.summary(window.as_secs_f64());
    let loaded_summary = loaded.summary(window.as_secs_f64());
    report.check(
        "slow loris",
        loaded_p99 <= allowed && loaded.errors == 0,
        format!(
            "{normal} normal connections: quiet p99 {quiet_p99:.2} ms, beside the slow ones p99 {loaded_p99:.2} ms (allowed {allowed:.2} ms)"
        ),
    );
    report.notes.push(format!(
        "Normal traffic, quiet: {quiet_summary}.\n\nNormal traffic beside {slow} slow-loris connections: {loaded_summary}."
    ));
    Ok(())
}
