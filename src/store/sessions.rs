//! Sessions of signed-in users, found by the hash of their cookie token.

use super::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub user_id: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub ip: String,
    pub user_agent: String,
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

pub async fn insert(conn: &mut Conn, s: NewSession<'_>, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip, user_agent) \
         VALUES ($1, $2, $3, $3, $4, $5) RETURNING id",
    )
    .bind(s.token_hash)
    .bind(s.user_id)
    .bind(now)
    .bind(s.ip)
    .bind(s.user_agent)
    .fetch_one(conn)
    .await?)
}

pub async fn by_token_hash(conn: &mut Conn, token_hash: &str) -> Result<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT id, user_id, created_at, last_seen_at, ip, user_agent FROM sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?)
}

pub async fn for_user(conn: &mut Conn, user_id: i64) -> Result<Vec<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT id, user_id, created_at, last_seen_at, ip, user_agent FROM sessions \
         WHERE user_id = $1 ORDER BY last_seen_at DESC",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

pub async fn touch(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2").bind(now).bind(id).execute(conn).await?;
    Ok(())
}

pub async fn delete(conn: &mut Conn, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// Ends every session of the user except `keep` (none when `keep` is `None`); returns how many.
pub async fn delete_for_user(conn: &mut Conn, user_id: i64, keep: Option<i64>) -> Result<u64> {
    let r = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(-1))
        .execute(conn)
        .await?;
    Ok(r.rows_affected())
}

/// Removes sessions that can no longer be valid.
pub async fn delete_expired(conn: &mut Conn, idle_before: i64, created_before: i64) -> Result<u64> {
    let r = sqlx::query("DELETE FROM sessions WHERE last_seen_at <= $1 OR created_at <= $2")
        .bind(idle_before)
        .bind(created_before)
        .execute(conn)
        .await?;
    Ok(r.rows_affected())
}
