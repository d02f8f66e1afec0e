//! The R.U.D.Y. attack beside normal traffic: connections that each send a
//! `POST` promising a 100,000-byte body and drip one byte a second into
//! it, coming back as soon as they are cut, while normal clients call.

use std::time::{Duration, Instant};

use super::process::Server;
use super::raw::Conn;
use super::report::{mib, Report};
use super::traffic::traffic;

/// The scenario's size and the server's flags.
pub struct Attack<'a> {
    pub drippers: usize,
    pub normal: usize,
    /// How long normal traffic is measured, quiet and under attack.
    pub window: Duration,
    /// The server's total body deadline: every dripper must be cut within
    /// it plus one second.
    pub body_deadline: Duration,
    pub flags: &'a [String],
}

/// What one dripper saw: how long each of its bodies lasted before the
/// server cut it, and whether one outlived the bound.
#[derive(Default)]
struct Drips {
    cut_after: Vec<f64>,
    outlived: u64,
    refused: u64,
}

fn dripped_request() -> Vec<u8> {
    format!(
        "POST {} HTTP/1.1\r\nHost: loopback\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{",
        crate::ROUTE,
        crate::DEMO_TOKEN
    )
    .into_bytes()
}

/// Drips into one body after another until `until`.
async fn dripper(addr: String, until: Instant, bound: Duration) -> Drips {
    let mut drips = Drips::default();
    while Instant::now() < until {
        let Ok(mut conn) = Conn::open(&addr).await else {
            drips.refused += 1;
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        let started = Instant::now();
        if conn.send(&dripped_request()).await.is_err() {
            drips.refused += 1;
            continue;
        }
        loop {
            // Reads whatever the server answers; `true` once it closes.
            if conn
                .closed_by(Instant::now() + Duration::from_secs(1))
                .await
            {
                drips.cut_after.push(started.elapsed().as_secs_f64());
                break;
            }
            if started.elapsed() > bound + Duration::from_secs(2) {
                drips.outlived += 1;
                break;
            }
            if conn.send(b" ").await.is_err() {
                drips.cut_after.push(started.elapsed().as_secs_f64());
                break;
            }
        }
    }
    drips
}

/// Normal p99 beside the drippers within 2x of quiet (floored at 1 ms)
/// with only `200`s, every dripper cut within the body deadline plus one
/// second, memory bounded.
pub async fn run(binary: &str, attack: Attack<'_>, report: &mut Report) -> Result<(), String> {
    let server = Server::start(binary, attack.flags)?;
    let mut quiet = traffic(&server.addr, attack.normal, Instant::now() + attack.window).await;
    let quiet_p99 = quiet.p99_ms();
    let bound = attack.body_deadline + Duration::from_secs(1);
    // Drippers keep coming back until normal traffic has been measured.
    let until = Instant::now() + attack.window + Duration::from_secs(2);
    let drippers: Vec<_> = (0..attack.drippers)
        .map(|_| tokio::spawn(dripper(server.addr.clone(), until, bound)))
        .collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut loaded = traffic(&server.addr, attack.normal, Instant::now() + attack.window).await;
    let loaded_p99 = loaded.p99_ms();
    let mut cuts = Vec::new();
    let (mut outlived, mut refused) = (0, 0);
    for d in drippers {
        let d = d.await.map_err(|e| e.to_string())?;
        cuts.extend(d.cut_after);
        outlived += d.outlived;
        refused += d.refused;
    }
    let (_, peak) = server.memory_kib();
    cuts.sort_by(f64::total_cmp);
    let latest = cuts.last().copied().unwrap_or(0.0);
    let scenario = "slow bodies";
    report.check(
        scenario,
        outlived == 0 && !cuts.is_empty() && latest <= bound.as_secs_f64(),
        format!(
            "{} connections dripping a body byte a second: {} bodies cut (earliest {:.1} s, median {:.1} s, latest {latest:.1} s; bound {:.0} s), {outlived} outlived the bound, {refused} connections refused",
            attack.drippers,
            cuts.len(),
            cuts.first().copied().unwrap_or(0.0),
            cuts.get(cuts.len() / 2).copied().unwrap_or(0.0),
            bound.as_secs_f64()
        ),
    );
    let allowed = 2.0 * quiet_p99.max(1.0);
    let only_200 = loaded.statuses.keys().all(|s| *s == 200);
    report.check(
        scenario,
        only_200 && loaded.errors == 0 && !loaded.latencies_us.is_empty() && loaded_p99 <= allowed,
        format!(
            "{} normal connections: quiet p99 {quiet_p99:.2} ms, beside the drippers p99 {loaded_p99:.2} ms (allowed {allowed:.2} ms), statuses {:?}, errors {}",
            attack.normal, loaded.statuses, loaded.errors
        ),
    );
    report.check(
        scenario,
        peak < 256 * 1024,
        format!("peak RSS {} (bound: 256 MiB)", mib(peak)),
    );
    let window = attack.window.as_secs_f64();
    report.notes.push(format!(
        "Normal traffic, quiet: {}.\n\nNormal traffic beside {} drippers: {}.",
        quiet.summary(window),
        attack.drippers,
        loaded.summary(window)
    ));
    Ok(())
}
