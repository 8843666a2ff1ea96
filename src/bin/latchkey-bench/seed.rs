//! Fills a fresh database fast, through the store's own multi-row inserts (`store::bulk`) in
//! large transactions, with one password hash computed once and shared by every user (hashing
//! a million passwords would take hours). The rows are what the service itself would store:
//! the same column lists, keyed hashes and sign-in states.
//!
//! Layout (user ids are explicit, so nothing is read back):
//! - organization 1, domain `bench.example`;
//! - users `u{id}@bench.example`, no second factor: sessions for the page, sign-ins;
//! - pools of users with an authenticator app or email codes, each with a pending sign-in
//!   (the password step already done) that one second step completes.

use std::ops::Range;

use latchkey::domain::account::Role;
use latchkey::domain::authn::Authn;
use latchkey::domain::factor::{FactorKind, Factors, Method};
use latchkey::domain::recovery_key::{RecoveryKey, SYMBOLS};
use latchkey::domain::signin::{Awaiting, Code, Return};
use latchkey::secrets::{hash_token, SecretKey};
use latchkey::service::factor::{email_code, recovery_key};
use latchkey::store::{factors, orgs, pending, sessions as session_rows, users as user_rows, Db};
use sha2::{Digest, Sha256};

pub const DOMAIN: &str = "bench.example";
pub const PASSWORD: &str = "bench correct horse battery staple";

pub fn email(id: i64) -> String {
    format!("u{id}@{DOMAIN}")
}

/// The cookie token of user `id`'s seeded session (only its hash is stored, as for real ones).
pub fn session_token(id: i64) -> String {
    format!("bench-session-{id:010}-0123456789abcdef")
}

pub fn pending_token(id: i64) -> String {
    format!("bench-pending-{id:010}-0123456789abcdef")
}

/// User `id`'s authenticator secret.
pub fn totp_secret(id: i64) -> [u8; 20] {
    let d = Sha256::digest(format!("bench totp {id}").as_bytes());
    let mut s = [0u8; 20];
    s.copy_from_slice(&d[..20]);
    s
}

/// The code "emailed" to user `id` for its pending sign-in.
pub fn email_code(id: i64) -> String {
    format!("{:06}", (id * 7919 + 13) % 1_000_000)
}

/// Rows a transaction.
const PER_TX: i64 = 20_000;

/// Runs `insert` over `ids` in transactions of `PER_TX` rows.
async fn in_batches<F>(db: &Db, ids: Range<i64>, what: &str, insert: F) -> Result<(), String>
where
    F: for<'c> AsyncFn(&'c mut latchkey::store::Conn, Range<i64>) -> latchkey::store::Result<()>,
{
    let mut start = ids.start;
    while start < ids.end {
        let end = (start + PER_TX).min(ids.end);
        let mut tx = db.begin().await.map_err(|e| e.to_string())?;
        insert(&mut tx, start..end).await.map_err(|e| format!("seeding {what}: {e}"))?;
        tx.commit().await.map_err(|e| e.to_string())?;
        start = end;
    }
    Ok(())
}

pub async fn organization(db: &Db, now: i64) -> Result<(), String> {
    let mut tx = db.begin().await.map_err(|e| e.to_string())?;
    let id = orgs::insert(&mut tx, "Bench", DOMAIN, now).await.map_err(|e| format!("seeding the organization: {e}"))?;
    tx.commit().await.map_err(|e| e.to_string())?;
    if id != 1 {
        return Err(format!("the organization got id {id}: the database is not fresh"));
    }
    Ok(())
}

pub async fn users(db: &Db, ids: Range<i64>, password_hash: &str, now: i64) -> Result<(), String> {
    in_batches(db, ids, "users", async |conn, ids| {
        let emails: Vec<String> = ids.clone().map(email).collect();
        let rows: Vec<(i64, user_rows::NewUser<'_>)> = ids
            .zip(&emails)
            .map(|(id, email)| {
                let u = user_rows::NewUser {
                    org_id: 1,
                    email,
                    role: Role::Member,
                    password_hash: Some(password_hash),
                    email_verified_at: Some(now),
                };
                (id, u)
            })
            .collect();
        user_rows::insert_many(conn, &rows, now).await
    })
    .await
}

pub async fn sessions(db: &Db, ids: Range<i64>, now: i64) -> Result<(), String> {
    in_batches(db, ids, "sessions", async |conn, ids| {
        let hashes: Vec<(i64, String)> = ids.map(|id| (id, hash_token(&session_token(id)))).collect();
        let rows: Vec<session_rows::NewSession<'_>> = hashes
            .iter()
            .map(|(id, hash)| session_rows::NewSession {
                token_hash: hash,
                user_id: *id,
                ip: "127.0.0.1",
                user_agent: "latchkey-bench",
                authn: Authn::PASSWORD,
                continue_to: None,
            })
            .collect();
        session_rows::insert_many(conn, &rows, now).await
    })
    .await
}

/// Which second factor a pool of users has.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Factor {
    Authenticator,
    EmailCode,
}

/// User `id`'s Recovery Key (seeded, so known).
fn recovery_key_of(id: i64) -> RecoveryKey {
    let d = Sha256::digest(format!("bench recovery key {id}").as_bytes());
    let mut bytes = [0u8; SYMBOLS];
    for (b, d) in bytes.iter_mut().zip(d.iter().cycle()) {
        *b = *d;
    }
    RecoveryKey::from_random(bytes)
}

/// Gives users `ids` a second factor, a Recovery Key and a pending sign-in in the state the
/// password step leaves it in: the app asked for, or a code "sent" for this sign-in.
pub async fn second_step_pool(
    db: &Db,
    key: &SecretKey,
    factor: Factor,
    ids: Range<i64>,
    now: i64,
) -> Result<(), String> {
    in_batches(db, ids.clone(), "second factors", async |conn, ids| {
        let rows: Vec<(i64, FactorKind, Option<String>, String)> = ids
            .map(|id| {
                let rk = recovery_key::hash_with(key, &recovery_key_of(id));
                match factor {
                    Factor::Authenticator => {
                        (id, FactorKind::AuthenticatorApp, Some(key.encrypt(&totp_secret(id))), rk)
                    }
                    Factor::EmailCode => (id, FactorKind::EmailCode, None, rk),
                }
            })
            .collect();
        factors::add_many(conn, &rows, now).await
    })
    .await?;
    in_batches(db, ids, "pending sign-ins", async |conn, ids| {
        let rows: Vec<(String, i64, Awaiting, Option<String>)> = ids
            .map(|id| {
                let (offered, current, code, code_hash) = match factor {
                    Factor::Authenticator => (
                        Factors { authenticator: true, email_code: false, recovery_key: true },
                        Method::AuthenticatorApp,
                        Code::NotSent,
                        None,
                    ),
                    Factor::EmailCode => (
                        Factors { authenticator: false, email_code: true, recovery_key: true },
                        Method::EmailCode,
                        Code::Sent { at: now, expires_at: now + 3600, tries: 0 },
                        Some(email_code::hash(key, id, &email_code(id))),
                    ),
                };
                let state = Awaiting { offered, current, code, then: Return::Account, expires_at: now + 3600 };
                (hash_token(&pending_token(id)), id, state, code_hash)
            })
            .collect();
        pending::insert_many(conn, &rows, now).await
    })
    .await
}
