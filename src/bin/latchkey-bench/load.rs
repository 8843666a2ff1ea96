//! Closed-loop load: a fixed number of clients, each sending its next request as soon as the
//! previous one is answered, for a warm-up and then a measured window.

use std::future::Future;
use std::time::{Duration, Instant};

/// How one request ended.
pub enum Outcome {
    Ok,
    /// 503 with Retry-After.
    Rejected,
    Failed(String),
    /// The scenario's prepared work (pending sign-ins) is used up: this client stops.
    Exhausted,
}

pub trait Client: Send + 'static {
    fn step(&mut self) -> impl Future<Output = Outcome> + Send;
}

/// What a run measured. Latencies in microseconds.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    pub ok: u64,
    pub rejected: u64,
    pub failed: u64,
    pub seconds: f64,
    pub ok_latencies: Vec<u32>,
    pub rejected_latencies: Vec<u32>,
    pub first_error: Option<String>,
    /// The prepared work ran out before the window ended.
    pub exhausted: bool,
}

impl Sample {
    pub fn rate(&self) -> f64 {
        if self.seconds > 0.0 {
            self.ok as f64 / self.seconds
        } else {
            0.0
        }
    }

    pub fn p(&self, q: f64) -> f64 {
        percentile(&self.ok_latencies, q)
    }

    pub fn rejected_p(&self, q: f64) -> f64 {
        percentile(&self.rejected_latencies, q)
    }

    fn merge(&mut self, o: Sample) {
        self.ok += o.ok;
        self.rejected += o.rejected;
        self.failed += o.failed;
        self.ok_latencies.extend(o.ok_latencies);
        self.rejected_latencies.extend(o.rejected_latencies);
        self.exhausted |= o.exhausted;
        if self.first_error.is_none() {
            self.first_error = o.first_error;
        }
    }

    /// Records one request that started at `started` if it ended inside the window.
    pub fn record(&mut self, window: &Window, started: Instant, outcome: &Outcome) {
        let now = Instant::now();
        if now < window.start || now > window.end {
            return;
        }
        let micros = now.duration_since(started).as_micros().min(u32::MAX as u128) as u32;
        match outcome {
            Outcome::Ok => {
                self.ok += 1;
                self.ok_latencies.push(micros);
            }
            Outcome::Rejected => {
                self.rejected += 1;
                self.rejected_latencies.push(micros);
            }
            Outcome::Failed(e) => {
                self.failed += 1;
                if self.first_error.is_none() {
                    self.first_error = Some(e.clone());
                }
            }
            Outcome::Exhausted => {}
        }
    }
}

/// Latency at quantile `q` (0..1) in milliseconds.
pub fn percentile(micros: &[u32], q: f64) -> f64 {
    if micros.is_empty() {
        return 0.0;
    }
    let mut v = micros.to_vec();
    v.sort_unstable();
    let i = ((v.len() as f64 - 1.0) * q).round() as usize;
    f64::from(v[i]) / 1000.0
}

/// The warm-up ends at `start`; the requests that end between `start` and `end` count.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub start: Instant,
    pub end: Instant,
}

impl Window {
    pub fn after(warmup: Duration, measure: Duration) -> Self {
        let start = Instant::now() + warmup;
        Self { start, end: start + measure }
    }
}

/// Runs every client until the window ends (or its work runs out) and merges what they saw.
pub async fn drive<C: Client>(clients: Vec<C>, warmup: Duration, measure: Duration) -> Sample {
    let window = Window::after(warmup, measure);
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|mut c| {
            tokio::spawn(async move {
                let mut s = Sample::default();
                let mut last = window.start;
                while Instant::now() < window.end {
                    let started = Instant::now();
                    let outcome = c.step().await;
                    if matches!(outcome, Outcome::Exhausted) {
                        s.exhausted = true;
                        break;
                    }
                    s.record(&window, started, &outcome);
                    last = Instant::now();
                }
                (s, last)
            })
        })
        .collect();
    let mut total = Sample::default();
    let mut last = window.start;
    for t in tasks {
        if let Ok((s, l)) = t.await {
            total.merge(s);
            last = last.max(l);
        }
    }
    // When the work ran out early, the window is as long as the work lasted.
    let end = if total.exhausted { last.min(window.end) } else { window.end };
    total.seconds = end.saturating_duration_since(window.start).as_secs_f64();
    total
}
