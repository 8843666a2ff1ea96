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
use latchkey::store::{apps, factors, grants, orgs, pending, sessions as session_rows, users as user_rows, Db};
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
    F: Fn(&mut latchkey::store::Conn, Range<i64>) -> latchkey::store::Result<()> + Sync,
{
    let mut start = ids.start;
    while start < ids.end {
        let end = (start + PER_TX).min(ids.end);
        db.tx(|tx| insert(tx, start..end)).map_err(|e| format!("seeding {what}: {e}"))?;
        start = end;
    }
    Ok(())
}

pub async fn organization(db: &Db, now: i64) -> Result<(), String> {
    let id =
        db.tx(|tx| orgs::insert(tx, "Bench", DOMAIN, now)).map_err(|e| format!("seeding the organization: {e}"))?;
    if id != 1 {
        return Err(format!("the organization got id {id}: the database is not fresh"));
    }
    Ok(())
}

pub async fn users(db: &Db, ids: Range<i64>, password_hash: &str, now: i64) -> Result<(), String> {
    in_batches(db, ids, "users", |conn, ids| {
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
        user_rows::insert_many(conn, &rows, now)
    })
    .await
}

pub async fn sessions(db: &Db, ids: Range<i64>, now: i64) -> Result<(), String> {
    in_batches(db, ids, "sessions", |conn, ids| {
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
                forward_hash: None,
            })
            .collect();
        session_rows::insert_many(conn, &rows, now)
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
    in_batches(db, ids.clone(), "second factors", |conn, ids| {
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
        factors::add_many(conn, &rows, now)
    })
    .await?;
    in_batches(db, ids, "pending sign-ins", |conn, ids| {
        let rows: Vec<(String, i64, Awaiting, Option<String>)> = ids
            .map(|id| {
                let (offered, current, code, code_hash) = match factor {
                    Factor::Authenticator => (
                        Factors { authenticator: true, email_code: false, recovery_key: true, security_key: false },
                        Method::AuthenticatorApp,
                        Code::NotSent,
                        None,
                    ),
                    Factor::EmailCode => (
                        Factors { authenticator: false, email_code: true, recovery_key: true, security_key: false },
                        Method::EmailCode,
                        Code::Sent { at: now, expires_at: now + 3600, tries: 0 },
                        Some(email_code::hash(key, id, &email_code(id))),
                    ),
                };
                let state = Awaiting { offered, current, code, then: Return::Account, expires_at: now + 3600 };
                (hash_token(&pending_token(id)), id, state, code_hash)
            })
            .collect();
        pending::insert_many(conn, &rows, now)
    })
    .await
}

/// The seeded application (a confidential client of the organization).
pub const CLIENT_ID: &str = "bench-console";
pub const CLIENT_SECRET: &str = "bench-console-secret-0123456789abcdef";
pub const REDIRECT: &str = "https://console.bench.example/cb";
/// Every seeded code was requested with this PKCE verifier.
pub const VERIFIER: &str = "bench-pkce-verifier-0123456789abcdef-0123456789";

/// The code of seeded authorization `i`, and user `id`'s seeded access token.
pub fn code(i: i64) -> String {
    format!("bench-code-{i:010}-0123456789abcdef")
}

pub fn access_token(id: i64) -> String {
    format!("bench-access-{id:010}-0123456789abcdef")
}

/// Registers the application; its row id.
pub async fn application(db: &Db, now: i64) -> Result<i64, String> {
    let secret_hash = hash_token(CLIENT_SECRET);
    let app = apps::NewApp {
        org_id: 1,
        client_id: CLIENT_ID,
        name: "Bench Console",
        secret_hash: Some(&secret_hash),
        require_2fa: false,
        third_party: false,
        id_token_alg: "RS256",
        redirect_uris: &[REDIRECT],
        post_logout_uris: &[],
    };
    let id = db.tx(|tx| apps::insert(tx, &app, now)).map_err(|e| format!("seeding the application: {e}"))?;
    Ok(id)
}

/// The session ids of users `ids` (each has one).
async fn session_ids(db: &Db, ids: Range<i64>) -> Result<Vec<(i64, i64)>, String> {
    let found = db
        .read(|conn| {
            ids.map(|id| Ok((id, session_rows::for_user(conn, id)?.first().map(|s| s.id))))
                .collect::<latchkey::store::Result<Vec<_>>>()
        })
        .map_err(|e| e.to_string())?;
    found.into_iter().map(|(id, s)| s.map(|s| (id, s)).ok_or(format!("user {id} has no session"))).collect()
}

/// Codes `codes` as the authorization endpoint issues them, for the sessions of `users` in
/// turn. They live an hour, not 60 s: they are made before the run that redeems them.
pub async fn codes(db: &Db, app_id: i64, codes: Range<i64>, users: Range<i64>, now: i64) -> Result<(), String> {
    let sessions = session_ids(db, users).await?;
    let challenge = latchkey::domain::oidc::challenge_of(VERIFIER);
    in_batches(db, codes, "codes", |conn, ids| {
        let hashes: Vec<(String, (i64, i64))> =
            ids.map(|i| (hash_token(&code(i)), sessions[(i as usize) % sessions.len()])).collect();
        let rows: Vec<grants::NewCode<'_>> = hashes
            .iter()
            .map(|(hash, (user, session))| grants::NewCode {
                code_hash: hash,
                application_id: app_id,
                user_id: *user,
                session_id: *session,
                redirect_uri: REDIRECT,
                scope: "openid email",
                nonce: Some("bench-nonce"),
                code_challenge: Some(&challenge),
                auth_time: now,
                authn: "pwd",
                expires_at: now + 3600,
            })
            .collect();
        grants::insert_codes_many(conn, &rows, now)
    })
    .await
}

/// A grant and an access token for each of `users`, from their sessions.
pub async fn access_tokens(db: &Db, app_id: i64, users: Range<i64>, now: i64) -> Result<(), String> {
    let sessions = session_ids(db, users).await?;
    db.tx(|tx| {
        for (user, session) in sessions {
            let code_hash = hash_token(&format!("bench-granted-{user}"));
            let g = grants::NewGrant {
                application_id: app_id,
                user_id: user,
                session_id: session,
                offline: false,
                code_hash: &code_hash,
                scope: "openid email",
                auth_time: now,
                authn: "pwd",
            };
            let grant = grants::insert_grant(tx, &g, now)?;
            let token = hash_token(&access_token(user));
            grants::insert_token(tx, &token, grant, grants::TokenKind::Access, now, now + 86_400)?;
        }
        Ok::<_, latchkey::store::StoreError>(())
    })
    .map_err(|e| e.to_string())
}
