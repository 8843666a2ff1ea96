//! Slow clients cannot deny service: 300 connections that send a request line and one header,
//! then nothing, against the real `serve` process. With room for them, /healthz answers while
//! they hang; with a file-descriptor limit below them, the connection limit keeps the process
//! from running out of descriptors, and the header timeout frees the slots.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::process::{env, ServeProcess};

const SLOW: usize = 300;

/// Opens `n` connections that each send a request line and one header, and stop there.
async fn half_open(url: &str, n: usize) -> Vec<TcpStream> {
    let addr = url.trim_start_matches("http://").to_string();
    let mut all = Vec::new();
    for _ in 0..n {
        let mut s = TcpStream::connect(&addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: latchkey.test\r\n").await.unwrap();
        all.push(s);
    }
    all
}

/// /healthz from a new client; how long it took to answer 200.
async fn healthz(url: &str, limit: Duration) -> Duration {
    let client = reqwest::Client::builder().timeout(limit).build().unwrap();
    let start = Instant::now();
    let r = client.get(format!("{url}/healthz")).send().await;
    let status = r.map(|r| r.status().as_u16()).unwrap_or_else(|e| panic!("/healthz did not answer: {e}"));
    assert_eq!(status, 200);
    start.elapsed()
}

fn serve_env(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut e = env(dir, None, None);
    e.push(("LATCHKEY_HEADER_TIMEOUT".into(), "2s".into()));
    e
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_while_three_hundred_clients_hang_mid_request() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServeProcess::start(&serve_env(dir.path()), dir.path()).await;
    let mut slow = half_open(&server.url, SLOW).await;
    let took = healthz(&server.url, Duration::from_secs(10)).await;
    println!("/healthz answered in {took:?} with {SLOW} clients hanging");
    // The header timeout closes the hanging connections.
    let mut buf = [0u8; 512];
    let ended = tokio::time::timeout(Duration::from_secs(10), slow[0].read(&mut buf)).await;
    assert!(matches!(ended, Ok(Ok(_)) | Ok(Err(_))), "a client that sends no full request is disconnected");
    assert!(!server.log_text().contains("Too many open files"), "{}", server.log_text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_fewer_file_descriptors_than_clients_the_service_still_answers_after_them() {
    let dir = tempfile::tempdir().unwrap();
    // 256 descriptors: the default connection limit is 128, well below.
    let server = ServeProcess::start_limited(&serve_env(dir.path()), dir.path(), Some(256)).await;
    let slow = half_open(&server.url, SLOW).await;
    let took = healthz(&server.url, Duration::from_secs(30)).await;
    println!("/healthz answered after {took:?} behind {SLOW} hanging clients and 256 descriptors");
    let log = server.log_text();
    assert!(!log.contains("Too many open files"), "no descriptor ran out:\n{log}");
    assert!(log.contains("the connection limit is reached"), "the limit was what held them:\n{log}");
    drop(slow);
    healthz(&server.url, Duration::from_secs(10)).await;
}
