//! Normal traffic: closed-loop keep-alive clients sending the normal
//! request, with their latencies and statuses.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::raw::{normal_request, Conn};

/// Latencies and statuses of closed-loop keep-alive traffic.
#[derive(Default)]
pub struct Traffic {
    pub latencies_us: Vec<u64>,
    pub statuses: BTreeMap<u16, u64>,
    pub errors: u64,
}

impl Traffic {
    pub fn merge(&mut self, other: Traffic) {
        self.latencies_us.extend(other.latencies_us);
        for (s, n) in other.statuses {
            *self.statuses.entry(s).or_default() += n;
        }
        self.errors += other.errors;
    }

    pub fn p99_ms(&mut self) -> f64 {
        self.latencies_us.sort_unstable();
        crate::percentile(&self.latencies_us, 99.0) as f64 / 1000.0
    }

    pub fn summary(&mut self, seconds: f64) -> String {
        self.latencies_us.sort_unstable();
        let n = self.latencies_us.len();
        let ms = |p: f64| crate::percentile(&self.latencies_us, p) as f64 / 1000.0;
        format!(
            "{n} answers ({:.0}/s), p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms, statuses {:?}, errors {}",
            n as f64 / seconds,
            ms(50.0),
            ms(99.0),
            self.latencies_us.last().copied().unwrap_or(0) as f64 / 1000.0,
            self.statuses,
            self.errors
        )
    }
}

/// `connections` keep-alive connections, each sending the normal request as
/// soon as the previous answer is in, until `until`.
pub async fn traffic(addr: &str, connections: usize, until: Instant) -> Traffic {
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let addr = addr.to_string();
        tasks.push(tokio::spawn(async move {
            let mut t = Traffic::default();
            let mut conn = None;
            while Instant::now() < until {
                if conn.is_none() {
                    match Conn::open(&addr).await {
                        Ok(c) => conn = Some(c),
                        Err(_) => {
                            t.errors += 1;
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            continue;
                        }
                    }
                }
                let Some(c) = conn.as_mut() else { continue };
                let sent = Instant::now();
                match c.exchange(&normal_request(), Duration::from_secs(30)).await {
                    Ok(a) => {
                        t.latencies_us.push(sent.elapsed().as_micros() as u64);
                        *t.statuses.entry(a.status).or_default() += 1;
                        if a.close {
                            conn = None;
                        }
                    }
                    Err(_) => {
                        t.errors += 1;
                        conn = None;
                    }
                }
            }
            t
        }));
    }
    let mut all = Traffic::default();
    for task in tasks {
        if let Ok(t) = task.await {
            all.merge(t);
        }
    }
    all
}
