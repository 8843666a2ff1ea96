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
use tokio::task::JoinSet;
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
    let mut full = FullLog::default();
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        if slots.available_permits() == 0 {
            full.reached(limits.connections);
        }
        let slot = tokio::select! {
            s = slots.clone().acquire_owned() => s,
            _ = stop.wait_for(|s| *s) => break,
        };
        let Ok(slot) = slot else { break };
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
        connections.spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(DRAIN) => {
            while connections.try_join_next().is_some() {}
            tracing::warn!(open = connections.len(), "requests still running {DRAIN:?} after the stop; closing their connections");
        }
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}

/// "The connection limit is reached", at most once a minute, with how often it was since.
#[derive(Default)]
struct FullLog {
    logged: Option<Instant>,
    since_log: u64,
}

impl FullLog {
    fn reached(&mut self, limit: usize) {
        self.since_log += 1;
        if self.logged.is_none_or(|t| t.elapsed() >= Duration::from_secs(60)) {
            tracing::warn!(
                limit,
                times = self.since_log,
                "the connection limit is reached; new connections wait to be accepted"
            );
            self.logged = Some(Instant::now());
            self.since_log = 0;
        }
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
