//! Emailed one-time codes: the latest one per user and purpose, as a keyed hash.

use super::{Conn, Result};

use crate::domain::factor::CodePurpose;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CodeRow {
    pub code_hash: String,
    pub sent_at: i64,
    pub expires_at: i64,
    pub attempts: i64,
    pub used_at: Option<i64>,
}

/// Stores a new code, replacing the previous one of the same purpose (which stops working).
pub async fn replace(
    conn: &mut Conn,
    user_id: i64,
    purpose: CodePurpose,
    code_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    sqlx::query(
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
    .execute(conn)
    .await?;
    Ok(())
}

/// The latest code, locked until the transaction ends on PostgreSQL (two "Send verification
/// code" at once then see each other; SQLite's one writer already orders them).
pub async fn latest_locked(conn: &mut Conn, user_id: i64, purpose: CodePurpose) -> Result<Option<CodeRow>> {
    let lock = if conn.backend_name() == "PostgreSQL" { " FOR UPDATE" } else { "" };
    let sql = format!(
        "SELECT code_hash, sent_at, expires_at, attempts, used_at FROM email_codes WHERE user_id = $1 AND purpose = $2{lock}"
    );
    Ok(sqlx::query_as(&sql).bind(user_id).bind(purpose.as_str()).fetch_optional(conn).await?)
}

pub async fn latest(conn: &mut Conn, user_id: i64, purpose: CodePurpose) -> Result<Option<CodeRow>> {
    Ok(sqlx::query_as(
        "SELECT code_hash, sent_at, expires_at, attempts, used_at FROM email_codes WHERE user_id = $1 AND purpose = $2",
    )
    .bind(user_id)
    .bind(purpose.as_str())
    .fetch_optional(conn)
    .await?)
}

/// Takes one try of the user's code of `purpose` before it is compared: counted as a wrong try
/// unless the code is then used. None when there is no usable code (none sent, used, expired,
/// or out of tries): the guess must then be refused without being compared. On PostgreSQL the
/// row stays locked until the transaction ends.
pub async fn take_try(
    conn: &mut Conn,
    user_id: i64,
    purpose: CodePurpose,
    now: i64,
    max_tries: i64,
) -> Result<Option<CodeRow>> {
    Ok(sqlx::query_as(
        "UPDATE email_codes SET attempts = attempts + 1 WHERE user_id = $1 AND purpose = $2 \
         AND used_at IS NULL AND expires_at > $3 AND attempts < $4 \
         RETURNING code_hash, sent_at, expires_at, attempts, used_at",
    )
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(now)
    .bind(max_tries)
    .fetch_optional(conn)
    .await?)
}

/// Marks the code used if it is still the same, unused and unexpired (its try was taken).
/// True for exactly one caller, however many race.
pub async fn use_up(conn: &mut Conn, user_id: i64, purpose: CodePurpose, code_hash: &str, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE email_codes SET used_at = $4 WHERE user_id = $1 AND purpose = $2 AND code_hash = $3 \
         AND used_at IS NULL AND expires_at > $4",
    )
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(code_hash)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}
