//! Emailed one-time codes: the latest one per user and purpose, as a keyed hash.

use super::conn::query;
use super::{Conn, Result};

use crate::domain::factor::CodePurpose;

#[derive(Debug, Clone)]
pub struct CodeRow {
    pub code_hash: String,
    pub sent_at: i64,
    pub expires_at: i64,
    pub attempts: i64,
    pub used_at: Option<i64>,
}

impl crate::store::conn::FromRow for CodeRow {
    fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
        Ok(Self {
            code_hash: r.get("code_hash")?,
            sent_at: r.get("sent_at")?,
            expires_at: r.get("expires_at")?,
            attempts: r.get("attempts")?,
            used_at: r.get("used_at")?,
        })
    }
}

/// Stores a new code, replacing the previous one of the same purpose (which stops working).
pub fn replace(
    conn: &mut Conn,
    user_id: i64,
    purpose: CodePurpose,
    code_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    query(
        "INSERT INTO email_codes (user_id, purpose, code_hash, sent_at, expires_at, attempts, used_at) \
         VALUES ($1, $2, $3, $4, $5, 0, NULL) \
         ON CONFLICT (user_id, purpose) DO UPDATE SET code_hash = excluded.code_hash, sent_at = excluded.sent_at, \
           expires_at = excluded.expires_at, attempts = 0, used_at = NULL",
    )
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(code_hash)
    .bind(now)
    .bind(expires_at)
    .execute(conn)?;
    Ok(())
}

/// The latest code, locked until the transaction ends on PostgreSQL (two "Send verification
/// code" at once then see each other; SQLite's one writer already orders them).
pub fn latest_locked(conn: &mut Conn, user_id: i64, purpose: CodePurpose) -> Result<Option<CodeRow>> {
    let lock = if conn.dialect() == super::Dialect::Postgres { " FOR UPDATE" } else { "" };
    let sql = format!(
        "SELECT code_hash, sent_at, expires_at, attempts, used_at FROM email_codes WHERE user_id = $1 AND purpose = $2{lock}"
    );
    query(&sql).bind(user_id).bind(purpose.as_str()).fetch_optional(conn)
}

pub fn latest(conn: &mut Conn, user_id: i64, purpose: CodePurpose) -> Result<Option<CodeRow>> {
    query(
        "SELECT code_hash, sent_at, expires_at, attempts, used_at FROM email_codes WHERE user_id = $1 AND purpose = $2",
    )
    .bind(user_id)
    .bind(purpose.as_str())
    .fetch_optional(conn)
}

/// Takes one try of the user's code of `purpose` before it is compared: counted as a wrong try
/// unless the code is then used. None when there is no usable code (none sent, used, expired,
/// or out of tries): the guess must then be refused without being compared. On PostgreSQL the
/// row stays locked until the transaction ends.
pub fn take_try(
    conn: &mut Conn,
    user_id: i64,
    purpose: CodePurpose,
    now: i64,
    max_tries: i64,
) -> Result<Option<CodeRow>> {
    query(
        "UPDATE email_codes SET attempts = attempts + 1 WHERE user_id = $1 AND purpose = $2 \
         AND used_at IS NULL AND expires_at > $3 AND attempts < $4 \
         RETURNING code_hash, sent_at, expires_at, attempts, used_at",
    )
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(now)
    .bind(max_tries)
    .fetch_optional(conn)
}

/// Marks the code used if it is still the same, unused and unexpired (its try was taken).
/// True for exactly one caller, however many race.
pub fn use_up(conn: &mut Conn, user_id: i64, purpose: CodePurpose, code_hash: &str, now: i64) -> Result<bool> {
    let r = query(
        "UPDATE email_codes SET used_at = $4 WHERE user_id = $1 AND purpose = $2 AND code_hash = $3 \
         AND used_at IS NULL AND expires_at > $4",
    )
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(code_hash)
    .bind(now)
    .execute(conn)?;
    Ok(r == 1)
}
