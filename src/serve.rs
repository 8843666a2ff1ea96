//! The HTTP/1.1 server's accept loop, with the limits that keep slow or idle clients from taking
//! the service down: at most `connection_limit` connections at once (more wait in the kernel's
//! queue instead of exhausting file descriptors), a client must send a request's headers within
//! `header_timeout` (which also ends idle keep-alive connections), and a failing `accept`
//! backs off instead of spinning. On shutdown it stops accepting and lets requests in flight
//! finish.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

/// How long a shutdown waits for requests in flight before it closes their connections.
const DRAIN: Duration = Duration::from_secs(30);

/// The limits on client connections.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub connections: usize,
    pub header_timeout: Duration,
}

/// Serves `app` on `listener` until `stop` turns true.
pub async fn serve(listener: TcpListener, app: Router, limits: Limits, mut stop: watch::Receiver<bool>) {
    let slots = Arc::new(Semaphore::new(limits.connections));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).keep_alive(true);
    let mut errors = AcceptErrors::default();
    let mut full_since: Option<Instant> = None;
    loop {
        if slots.available_permits() == 0 && full_since.is_none() {
            full_since = Some(Instant::now());
            tracing::warn!(limit = limits.connections, "the connection limit is reached; new connections wait");
        }
        let slot = tokio::select! {
            s = slots.clone().acquire_owned() => s,
            _ = stop.wait_for(|s| *s) => break,
        };
        let Ok(slot) = slot else { break };
        if let Some(since) = full_since.take() {
            tracing::info!(after_s = since.elapsed().as_secs_f64(), "connections are accepted again");
        }
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.wait_for(|s| *s) => break,
        };
        let (stream, peer) = match accepted {
            Ok(a) => {
                errors.clear();
                a
            }
            Err(e) => {
                tokio::time::sleep(errors.failed(&e)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let app = app.clone();
            async move { Ok::<_, Infallible>(app.oneshot(req).await.unwrap_or_else(|never| match never {})) }
        });
        let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(DRAIN) => tracing::warn!("some connections were still busy after {DRAIN:?}; closing them"),
    }
}

/// Failed `accept`s: a growing pause (up to a second) and a log line at most every 10 s.
#[derive(Default)]
struct AcceptErrors {
    pause: Duration,
    logged: Option<Instant>,
    since_log: u64,
}

impl AcceptErrors {
    fn failed(&mut self, e: &std::io::Error) -> Duration {
        self.pause = (self.pause * 2).clamp(Duration::from_millis(10), Duration::from_secs(1));
        self.since_log += 1;
        if self.logged.is_none_or(|t| t.elapsed() >= Duration::from_secs(10)) {
            tracing::error!(error = %e, failures = self.since_log, pause_ms = self.pause.as_millis() as u64,
                "cannot accept connections; pausing before the next try");
            self.logged = Some(Instant::now());
            self.since_log = 0;
        }
        self.pause
    }

    fn clear(&mut self) {
        self.pause = Duration::ZERO;
    }
}
