//! The scenarios: what one iteration does, as a browser would do it.

use std::net::SocketAddr;
use std::ops::Range;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::Rng;
use totp_rs::{Algorithm, TOTP};

use crate::http::{csrf_field, form_value, Conn};
use crate::load::{drive, Client, Outcome, Sample, Window};
use crate::seed::{self, Factor};

/// A browser's CSRF cookie and the form token that goes with it, from the "Log in" page.
#[derive(Clone)]
pub struct Csrf {
    pub cookie: String,
    pub token: String,
}

pub async fn csrf(addr: SocketAddr) -> Result<Csrf, String> {
    let r = Conn::new(addr).get("/login", "").await.map_err(|e| format!("GET /login: {e}"))?;
    let cookie = r.cookie("latchkey_csrf").ok_or("GET /login set no CSRF cookie")?;
    let token = csrf_field(&r.body).ok_or("the Log in page has no csrf field")?;
    Ok(Csrf { cookie: format!("latchkey_csrf={cookie}"), token })
}

pub fn failed(what: &str, r: &crate::http::Reply) -> Outcome {
    let body = String::from_utf8_lossy(&r.body);
    let excerpt: String = body.chars().take(160).collect();
    Outcome::Failed(format!("{what}: {} {:?} {excerpt}", r.status, r.location))
}

/// POST "Log in" with the right password for a user without two-factor authentication.
pub struct SignIn {
    pub conn: Conn,
    pub csrf: Csrf,
    pub users: Range<i64>,
}

/// `clients` sign-in clients, each on its own connection, over `users`.
pub async fn run_sign_ins(
    addr: SocketAddr,
    csrf: &Csrf,
    users: Range<i64>,
    clients: usize,
    warmup: Duration,
    measure: Duration,
) -> Sample {
    let cs = (0..clients).map(|_| SignIn { conn: Conn::new(addr), csrf: csrf.clone(), users: users.clone() }).collect();
    drive(cs, warmup, measure).await
}

/// `clients` page readers, each on its own connection, with the sessions of `sessions`.
pub async fn run_pages(
    addr: SocketAddr,
    csrf: &Csrf,
    sessions: Range<i64>,
    clients: usize,
    warmup: Duration,
    measure: Duration,
) -> Sample {
    let cs =
        (0..clients).map(|_| Page { conn: Conn::new(addr), csrf: csrf.clone(), sessions: sessions.clone() }).collect();
    drive(cs, warmup, measure).await
}

pub async fn sign_in_once(conn: &mut Conn, csrf: &Csrf, id: i64) -> Outcome {
    let form =
        format!("csrf={}&email={}&password={}", csrf.token, form_value(&seed::email(id)), form_value(seed::PASSWORD));
    match conn.post("/login", &csrf.cookie, form).await {
        Ok(r) if r.redirects_to("/account") && r.cookie("latchkey_session").is_some() => Outcome::Ok,
        Ok(r) if r.status == 503 && r.retry_after => Outcome::Rejected,
        Ok(r) => failed("sign-in", &r),
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

impl Client for SignIn {
    async fn step(&mut self) -> Outcome {
        let id = rand::thread_rng().gen_range(self.users.clone());
        sign_in_once(&mut self.conn, &self.csrf, id).await
    }
}

/// GET Manage Account -> Security and Credentials with a valid session.
pub struct Page {
    pub conn: Conn,
    pub csrf: Csrf,
    pub sessions: Range<i64>,
}

impl Client for Page {
    async fn step(&mut self) -> Outcome {
        let id = rand::thread_rng().gen_range(self.sessions.clone());
        let cookies = format!("{}; latchkey_session={}", self.csrf.cookie, seed::session_token(id));
        match self.conn.get("/account/security", &cookies).await {
            Ok(r) if r.status == 200 && memchr(&r.body, b"Security and Credentials") => Outcome::Ok,
            Ok(r) => failed("security page", &r),
            Err(e) => Outcome::Failed(e.to_string()),
        }
    }
}

fn memchr(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Completes seeded pending sign-ins, each once, with an authenticator code or the emailed code.
pub struct SecondStep {
    pub conn: Conn,
    pub csrf: Csrf,
    pub factor: Factor,
    /// The next pool user to take; shared by all clients.
    pub next: Arc<AtomicI64>,
    pub end: i64,
}

impl Client for SecondStep {
    async fn step(&mut self) -> Outcome {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if id >= self.end {
            return Outcome::Exhausted;
        }
        // The pending sign-in's stored state says which method the code is for.
        let code = match self.factor {
            Factor::Authenticator => totp_now(id),
            Factor::EmailCode => seed::email_code(id),
        };
        let cookies = format!("{}; latchkey_pending={}", self.csrf.cookie, seed::pending_token(id));
        let form = format!("csrf={}&code={code}", self.csrf.token);
        match self.conn.post("/login/verify", &cookies, form).await {
            Ok(r) if r.redirects_to("/account") && r.cookie("latchkey_session").is_some() => Outcome::Ok,
            Ok(r) => failed("second step", &r),
            Err(e) => Outcome::Failed(e.to_string()),
        }
    }
}

/// The authenticator app's code for user `id` now, computed by totp-rs as an app would.
fn totp_now(id: i64) -> String {
    let secret = seed::totp_secret(id).to_vec();
    match TOTP::new(Algorithm::SHA1, 6, 1, 30, secret) {
        Ok(t) => t.generate_current().unwrap_or_default(),
        Err(_) => String::new(),
    }
}

pub async fn run_second_step(
    addr: SocketAddr,
    csrf: &Csrf,
    factor: Factor,
    pool: Range<i64>,
    clients: usize,
    warmup: Duration,
    measure: Duration,
) -> Sample {
    let next = Arc::new(AtomicI64::new(pool.start));
    let clients = (0..clients)
        .map(|_| SecondStep { conn: Conn::new(addr), csrf: csrf.clone(), factor, next: next.clone(), end: pool.end })
        .collect();
    drive(clients, warmup, measure).await
}

/// Overload: sign-ins arrive at `rate` per second whatever happens to them (open loop), while
/// one client reads the Security and Credentials page. Returns (sign-ins, page).
pub async fn overload(
    addr: SocketAddr,
    csrf: &Csrf,
    users: Range<i64>,
    page_sessions: Range<i64>,
    rate: f64,
    warmup: Duration,
    measure: Duration,
) -> (Sample, Sample) {
    let page = Page { conn: Conn::new(addr), csrf: csrf.clone(), sessions: page_sessions };
    let page_run = tokio::spawn(drive(vec![page], warmup, measure));
    let window = Window::after(warmup, measure);
    let signins = Arc::new(Mutex::new(Sample::default()));
    let idle: Arc<Mutex<Vec<Conn>>> = Arc::new(Mutex::new(Vec::new()));
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / rate.max(1.0)));
    let mut inflight = Vec::new();
    while Instant::now() < window.end {
        ticks.tick().await;
        let (csrf, signins, idle) = (csrf.clone(), signins.clone(), idle.clone());
        let id = rand::thread_rng().gen_range(users.clone());
        inflight.push(tokio::spawn(async move {
            let taken = idle.lock().ok().and_then(|mut v| v.pop());
            let mut conn = taken.unwrap_or_else(|| Conn::new(addr));
            let started = Instant::now();
            let outcome = sign_in_once(&mut conn, &csrf, id).await;
            if let Ok(mut s) = signins.lock() {
                s.record(&window, started, &outcome);
            }
            if let Ok(mut v) = idle.lock() {
                v.push(conn);
            }
        }));
        inflight.retain(|t| !t.is_finished());
    }
    for t in inflight {
        let _ = t.await;
    }
    let mut s = signins.lock().map(|s| s.clone()).unwrap_or_default();
    s.seconds = measure.as_secs_f64();
    (s, page_run.await.unwrap_or_default())
}

/// "Forgot password?" for known and unknown emails, one request at a time and alternating, so
/// that both see the same machine: `tries` of each. A known email is a different seeded user
/// each time (under the hourly mail quota, each is mailed); an unknown one a fresh address.
/// Returns the known and the unknown samples (every answer must be the same page).
pub async fn forgot_timing(addr: SocketAddr, csrf: &Csrf, known: Range<i64>, tries: usize) -> (Sample, Sample) {
    let mut conn = Conn::new(addr);
    let (mut k, mut u) = (Sample::default(), Sample::default());
    let started = Instant::now();
    let mut ids = known;
    for i in 0..tries * 2 {
        let email = if i % 2 == 0 {
            seed::email(ids.next().unwrap_or(1))
        } else {
            format!("nobody{}-{i}@{}", rand::thread_rng().gen::<u32>(), seed::DOMAIN)
        };
        let form = format!("csrf={}&email={}", csrf.token, form_value(&email));
        let t = Instant::now();
        let r = conn.post("/forgot-password", &csrf.cookie, form).await;
        let micros = t.elapsed().as_micros().min(u32::MAX as u128) as u32;
        let s = if i % 2 == 0 { &mut k } else { &mut u };
        match r {
            Ok(r) if r.status == 200 => {
                s.ok += 1;
                s.ok_latencies.push(micros);
            }
            Ok(r) => {
                s.failed += 1;
                s.first_error.get_or_insert_with(|| format!("forgot password: {}", r.status));
            }
            Err(e) => {
                s.failed += 1;
                s.first_error.get_or_insert_with(|| e.to_string());
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    k.seconds = seconds;
    u.seconds = seconds;
    (k, u)
}
