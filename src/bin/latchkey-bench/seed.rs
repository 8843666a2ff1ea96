//! Fills a fresh database fast: multi-row INSERTs in large transactions, one password hash
//! computed once and shared by every user (hashing a million passwords would take hours).
//!
//! Layout (user ids are explicit, so nothing is read back):
//! - organization 1, domain `bench.example`;
//! - users `u{id}@bench.example`, no second factor: sessions for the page, sign-ins;
//! - pools of users with an authenticator app or email codes, each with a pending sign-in
//!   (the password step already done) that one second step completes.

use std::ops::Range;

use latchkey::secrets::{hash_token, SecretKey};
use latchkey::service::factor::email_code;
use latchkey::store::Db;
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

enum V {
    I(i64),
    T(String),
    Null,
}

/// Inserts `rows` into `table` in transactions of `per_tx` rows, `per_stmt` rows a statement.
async fn insert_rows(db: &Db, table: &str, cols: &[&str], rows: impl Iterator<Item = Vec<V>>) -> Result<(), String> {
    const PER_STMT: usize = 200;
    const PER_TX: usize = 20_000;
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        let mut tx = db.begin().await.map_err(|e| e.to_string())?;
        let mut in_tx = 0;
        while in_tx < PER_TX && rows.peek().is_some() {
            let chunk: Vec<Vec<V>> = rows.by_ref().take(PER_STMT).collect();
            let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
            let mut n = 0;
            for (r, row) in chunk.iter().enumerate() {
                sql.push_str(if r == 0 { "(" } else { ", (" });
                for c in 0..row.len() {
                    n += 1;
                    sql.push_str(&format!("{}${n}", if c == 0 { "" } else { ", " }));
                }
                sql.push(')');
            }
            let mut q = sqlx::query(&sql);
            for row in chunk.iter() {
                for v in row {
                    q = match v {
                        V::I(i) => q.bind(*i),
                        V::T(t) => q.bind(t.clone()),
                        V::Null => q.bind(None::<String>),
                    };
                }
            }
            q.execute(&mut *tx).await.map_err(|e| format!("seeding {table}: {e}"))?;
            in_tx += chunk.len();
        }
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

pub async fn organization(db: &Db, now: i64) -> Result<(), String> {
    sqlx::query("INSERT INTO organizations (id, name, domain, created_at) VALUES (1, 'Bench', $1, $2)")
        .bind(DOMAIN)
        .bind(now)
        .execute(&mut *db.write().await.map_err(|e| e.to_string())?)
        .await
        .map_err(|e| format!("seeding the organization: {e}"))?;
    Ok(())
}

pub async fn users(db: &Db, ids: Range<i64>, password_hash: &str, now: i64) -> Result<(), String> {
    let cols = ["id", "org_id", "email", "role", "password_hash", "email_verified_at", "created_at"];
    let rows = ids.map(|id| {
        vec![
            V::I(id),
            V::I(1),
            V::T(email(id)),
            V::T("member".into()),
            V::T(password_hash.to_string()),
            V::I(now),
            V::I(now),
        ]
    });
    insert_rows(db, "users", &cols, rows).await
}

pub async fn sessions(db: &Db, ids: Range<i64>, now: i64) -> Result<(), String> {
    let cols = ["token_hash", "user_id", "created_at", "last_seen_at", "ip", "user_agent"];
    let rows = ids.map(|id| {
        vec![
            V::T(hash_token(&session_token(id))),
            V::I(id),
            V::I(now),
            V::I(now),
            V::T("127.0.0.1".into()),
            V::T("latchkey-bench".into()),
        ]
    });
    insert_rows(db, "sessions", &cols, rows).await
}

/// Which second factor a pool of users has.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Factor {
    Authenticator,
    EmailCode,
}

/// Gives users `ids` a second factor, a Recovery Key and a pending sign-in (and, for email
/// codes, the code that was "sent").
pub async fn second_step_pool(
    db: &Db,
    key: &SecretKey,
    factor: Factor,
    ids: Range<i64>,
    now: i64,
) -> Result<(), String> {
    let f_cols = ["user_id", "kind", "created_at", "secret"];
    let f_rows = ids.clone().map(|id| match factor {
        Factor::Authenticator => vec![V::I(id), V::T("totp".into()), V::I(now), V::T(key.encrypt(&totp_secret(id)))],
        Factor::EmailCode => vec![V::I(id), V::T("email".into()), V::I(now), V::Null],
    });
    insert_rows(db, "second_factors", &f_cols, f_rows).await?;
    let rk_rows = ids
        .clone()
        .map(|id| vec![V::I(id), V::T(key.keyed_hash("recovery-key", format!("bench {id}").as_bytes())), V::I(now)]);
    insert_rows(db, "recovery_keys", &["user_id", "key_hash", "created_at"], rk_rows).await?;
    // Each pending sign-in in the state the password step leaves it in (domain::signin): the
    // app asked for, or a code sent for this sign-in.
    let cols = [
        "token_hash",
        "user_id",
        "created_at",
        "expires_at",
        "offered",
        "method",
        "code_hash",
        "code_sent_at",
        "code_expires_at",
    ];
    let p_rows = ids.map(|id| {
        let head = vec![V::T(hash_token(&pending_token(id))), V::I(id), V::I(now), V::I(now + 3600)];
        let tail = match factor {
            Factor::Authenticator => vec![V::T("app,recovery_key".into()), V::T("app".into()), V::Null, V::Null, V::Null],
            Factor::EmailCode => vec![
                V::T("email,recovery_key".into()),
                V::T("email".into()),
                V::T(email_code::hash(key, id, &email_code(id))),
                V::I(now),
                V::I(now + 3600),
            ],
        };
        head.into_iter().chain(tail).collect()
    });
    insert_rows(db, "pending_signins", &cols, p_rows).await
}
