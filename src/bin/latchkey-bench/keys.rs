//! "Second step, security key": a pool of users with a registered passkey (made by a software
//! authenticator through the same library the service uses) and a pending sign-in that asks
//! for it. One iteration is what a browser does: open the second step (the service begins a
//! ceremony and stores its challenge), sign the challenge, post the answer.

use std::ops::Range;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use latchkey::domain::factor::{Factors, Method};
use latchkey::domain::signin::{Awaiting, Code, Return};
use latchkey::secrets::hash_token;
use latchkey::store::security_keys::{self, NewKey};
use latchkey::store::{pending, Db};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_rs::prelude::{RequestChallengeResponse, Url, Uuid, WebauthnBuilder};

use crate::http::{form_value, Conn};
use crate::load::{drive, Client, Outcome, Sample};
use crate::scenarios::Csrf;
use crate::seed::pending_token;

/// The software authenticator that holds every pool user's passkey (one lock: signing is a
/// P-256 signature, microseconds).
pub type Authenticator = Arc<Mutex<WebauthnAuthenticator<SoftPasskey>>>;

/// Registers a passkey for each of `ids` (relying party `localhost`, as the service runs with
/// the public URL `http://localhost:PORT`) and leaves each a pending sign-in at the key step.
pub async fn pool(db: &Db, ids: Range<i64>, now: i64) -> Result<Authenticator, String> {
    let origin = Url::parse("http://localhost").map_err(|e| e.to_string())?;
    let webauthn = WebauthnBuilder::new("localhost", &origin).and_then(|b| b.build()).map_err(|e| e.to_string())?;
    let mut soft = WebauthnAuthenticator::new(SoftPasskey::new(true));
    let mut rows = Vec::new();
    for id in ids.clone() {
        let handle = Uuid::from_u128(id as u128);
        let email = crate::seed::email(id);
        let (options, reg) =
            webauthn.start_passkey_registration(handle, &email, &email, None).map_err(|e| e.to_string())?;
        let answer = soft.do_registration(origin.clone(), options).map_err(|e| format!("{e:?}"))?;
        let passkey = webauthn.finish_passkey_registration(&answer, &reg).map_err(|e| e.to_string())?;
        let json = serde_json::to_string(&passkey).map_err(|e| e.to_string())?;
        rows.push((id, handle.simple().to_string(), answer.id.clone(), json));
    }
    // A Recovery Key each (its hash only: this scenario never types it).
    let recovery: Vec<(i64, String)> =
        ids.clone().map(|id| (id, hash_token(&format!("bench key recovery {id}")))).collect();
    db.tx(|tx| {
        for (id, handle, credential_id, json) in &rows {
            security_keys::handle(tx, *id, handle)?;
            let k = NewKey {
                user_id: *id,
                credential_id,
                name: "Bench key",
                passkey: json,
                counter: 0,
                backup_eligible: false,
            };
            security_keys::insert(tx, &k, now)?;
        }
        for (id, hash) in &recovery {
            latchkey::store::factors::set_recovery_key(tx, *id, hash, now)?;
        }
        let offered = Factors { security_key: true, recovery_key: true, ..Factors::default() };
        let states: Vec<(String, i64, Awaiting, Option<String>)> = ids
            .clone()
            .map(|id| {
                let state = Awaiting {
                    offered,
                    current: Method::SecurityKey,
                    code: Code::NotSent,
                    then: Return::Account,
                    expires_at: now + 3600,
                };
                (hash_token(&pending_token(id)), id, state, None)
            })
            .collect();
        pending::insert_many(tx, &states, now)
    })
    .map_err(|e| format!("seeding the security keys: {e}"))?;
    Ok(Arc::new(Mutex::new(soft)))
}

/// Completes seeded pending sign-ins with the security key, each once.
pub struct KeyStep {
    pub conn: Conn,
    pub csrf: Csrf,
    pub next: Arc<AtomicI64>,
    pub end: i64,
    pub authenticator: Authenticator,
    pub origin: Url,
}

/// An attribute or field value from the page, unescaped.
fn between<'a>(text: &'a str, start: &str) -> Option<&'a str> {
    let at = text.find(start)? + start.len();
    Some(&text[at..at + text[at..].find('"')?])
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

impl KeyStep {
    fn sign(&self, page: &[u8]) -> Result<(String, String), String> {
        let text = std::str::from_utf8(page).map_err(|e| e.to_string())?;
        let ceremony = between(text, "name=\"ceremony\" value=\"").ok_or("no ceremony on the key step")?;
        let options = unescape(between(text, "data-options=\"").ok_or("no options on the key step")?);
        let options: RequestChallengeResponse = serde_json::from_str(&options).map_err(|e| e.to_string())?;
        let mut soft = self.authenticator.lock().map_err(|_| "the authenticator's lock is poisoned")?;
        let answer = soft.do_authentication(self.origin.clone(), options).map_err(|e| format!("{e:?}"))?;
        Ok((ceremony.to_string(), serde_json::to_string(&answer).map_err(|e| e.to_string())?))
    }
}

impl Client for KeyStep {
    async fn step(&mut self) -> Outcome {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if id >= self.end {
            return Outcome::Exhausted;
        }
        let cookies = format!("{}; latchkey_pending={}", self.csrf.cookie, pending_token(id));
        let page = match self.conn.get("/login/verify", &cookies).await {
            Ok(r) if r.status == 200 => r,
            Ok(r) => return crate::scenarios::failed("key step page", &r),
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let (ceremony, answer) = match self.sign(&page.body) {
            Ok(signed) => signed,
            Err(e) => return Outcome::Failed(e),
        };
        let form =
            format!("csrf={}&ceremony={}&response={}", self.csrf.token, form_value(&ceremony), form_value(&answer));
        match self.conn.post("/login/verify/key", &cookies, form).await {
            Ok(r) if r.redirects_to("/account") && r.cookie("latchkey_session").is_some() => Outcome::Ok,
            Ok(r) => crate::scenarios::failed("key step", &r),
            Err(e) => Outcome::Failed(e.to_string()),
        }
    }
}

pub async fn run(
    addr: std::net::SocketAddr,
    csrf: &Csrf,
    pool: Range<i64>,
    authenticator: Authenticator,
    clients: usize,
    (warmup, measure): (Duration, Duration),
) -> Result<Sample, String> {
    let origin = Url::parse(&format!("http://localhost:{}", addr.port())).map_err(|e| e.to_string())?;
    let next = Arc::new(AtomicI64::new(pool.start));
    let clients = (0..clients)
        .map(|_| KeyStep {
            conn: Conn::new(addr),
            csrf: csrf.clone(),
            next: next.clone(),
            end: pool.end,
            authenticator: authenticator.clone(),
            origin: origin.clone(),
        })
        .collect();
    Ok(drive(clients, warmup, measure).await)
}
