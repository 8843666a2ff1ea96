//! The scenarios of applications signing in through Latchkey: a reverse proxy's forward-auth
//! check, an application exchanging a code for tokens, and an application reading userinfo.

use std::net::SocketAddr;
use std::ops::Range;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use bytes::Bytes;
use hyper::Method;
use rand::Rng;

use crate::http::{form_value, Conn};
use crate::load::{drive, Client, Outcome, Sample};
use crate::seed;

fn failed(what: &str, r: &crate::http::Reply) -> Outcome {
    let body: String = String::from_utf8_lossy(&r.body).chars().take(160).collect();
    Outcome::Failed(format!("{what}: {} {body}", r.status))
}

/// A proxy asking whether a request to the protected application is signed in.
struct ForwardAuth {
    conn: Conn,
    sessions: Range<i64>,
}

impl Client for ForwardAuth {
    async fn step(&mut self) -> Outcome {
        let id = rand::thread_rng().gen_range(self.sessions.clone());
        let cookie = format!("latchkey_session={}", seed::session_token(id));
        let headers = [
            ("cookie", cookie.as_str()),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "reports.bench.example"),
            ("x-forwarded-uri", "/weekly"),
            ("x-forwarded-method", "GET"),
        ];
        match self.conn.request(Method::GET, "/auth/forward", &headers, Bytes::new()).await {
            Ok(r) if r.status == 200 && r.headers.contains_key("remote-user") => Outcome::Ok,
            Ok(r) => failed("forward-auth", &r),
            Err(e) => Outcome::Failed(e.to_string()),
        }
    }
}

pub async fn run_forward_auth(
    addr: SocketAddr,
    sessions: Range<i64>,
    clients: usize,
    warmup: Duration,
    measure: Duration,
) -> Sample {
    let cs = (0..clients).map(|_| ForwardAuth { conn: Conn::new(addr), sessions: sessions.clone() }).collect();
    drive(cs, warmup, measure).await
}

/// An application redeeming seeded codes, each once (client_secret_basic, PKCE).
struct Exchange {
    conn: Conn,
    basic: String,
    next: Arc<AtomicI64>,
    end: i64,
}

impl Client for Exchange {
    async fn step(&mut self) -> Outcome {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        if i >= self.end {
            return Outcome::Exhausted;
        }
        let form = format!(
            "grant_type=authorization_code&code={}&redirect_uri={}&code_verifier={}",
            seed::code(i),
            form_value(seed::REDIRECT),
            seed::VERIFIER
        );
        let headers = [("authorization", self.basic.as_str()), ("content-type", "application/x-www-form-urlencoded")];
        match self.conn.request(Method::POST, "/oauth/token", &headers, Bytes::from(form)).await {
            Ok(r) if r.status == 200 && r.body.windows(8).any(|w| w == b"id_token") => Outcome::Ok,
            Ok(r) => failed("token", &r),
            Err(e) => Outcome::Failed(e.to_string()),
        }
    }
}

pub async fn run_exchange(
    addr: SocketAddr,
    codes: Range<i64>,
    clients: usize,
    warmup: Duration,
    measure: Duration,
) -> Sample {
    let raw = format!("{}:{}", seed::CLIENT_ID, seed::CLIENT_SECRET);
    let basic = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(raw));
    let next = Arc::new(AtomicI64::new(codes.start));
    let cs = (0..clients)
        .map(|_| Exchange { conn: Conn::new(addr), basic: basic.clone(), next: next.clone(), end: codes.end })
        .collect();
    drive(cs, warmup, measure).await
}

/// An application reading userinfo with its access tokens.
struct Userinfo {
    conn: Conn,
    users: Range<i64>,
}

impl Client for Userinfo {
    async fn step(&mut self) -> Outcome {
        let id = rand::thread_rng().gen_range(self.users.clone());
        let bearer = format!("Bearer {}", seed::access_token(id));
        match self.conn.request(Method::GET, "/oauth/userinfo", &[("authorization", &bearer)], Bytes::new()).await {
            Ok(r) if r.status == 200 && r.body.windows(3).any(|w| w == b"sub") => Outcome::Ok,
            Ok(r) => failed("userinfo", &r),
            Err(e) => Outcome::Failed(e.to_string()),
        }
    }
}

pub async fn run_userinfo(
    addr: SocketAddr,
    users: Range<i64>,
    clients: usize,
    warmup: Duration,
    measure: Duration,
) -> Sample {
    let cs = (0..clients).map(|_| Userinfo { conn: Conn::new(addr), users: users.clone() }).collect();
    drive(cs, warmup, measure).await
}
