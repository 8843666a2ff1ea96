//! Pending sign-ins: the password was right, the second step is still to come.

use super::{Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingRow {
    pub user_id: i64,
    pub created_at: i64,
    pub expires_at: i64,
}

pub async fn insert(conn: &mut Conn, token_hash: &str, user_id: i64, now: i64, expires_at: i64) -> Result<()> {
    sqlx::query("INSERT INTO pending_signins (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// The pending sign-in of a token, if it has not expired.
pub async fn find(conn: &mut Conn, token_hash: &str, now: i64) -> Result<Option<PendingRow>> {
    Ok(sqlx::query_as(
        "SELECT user_id, created_at, expires_at FROM pending_signins WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?)
}

/// The user of a pending sign-in, with whether codes by email are one of their factors.
#[derive(Debug, sqlx::FromRow)]
pub struct PendingUser {
    #[sqlx(flatten)]
    pub user: super::users::UserRow,
    pub has_email_code: i64,
}

/// The user of a pending sign-in that has not expired (and is not disabled), in one statement.
pub async fn user_of(conn: &mut Conn, token_hash: &str, now: i64) -> Result<Option<PendingUser>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.org_id, u.email, u.role, u.password_hash, u.email_verified_at, u.created_at, \
           u.last_sign_in_at, u.disabled_at, \
           CAST(CASE WHEN EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id AND f.kind = 'email') \
             THEN 1 ELSE 0 END AS BIGINT) AS has_email_code \
         FROM pending_signins p JOIN users u ON u.id = p.user_id \
         WHERE p.token_hash = $1 AND p.expires_at > $2 AND u.disabled_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?)
}

/// Ends a pending sign-in; true for exactly one caller.
pub async fn delete(conn: &mut Conn, token_hash: &str) -> Result<bool> {
    let r = sqlx::query("DELETE FROM pending_signins WHERE token_hash = $1").bind(token_hash).execute(conn).await?;
    Ok(r.rows_affected() == 1)
}

/// Ends every pending sign-in of a user (their password changed, or their factors went away):
/// a second step begun before must not finish after.
pub async fn delete_for_user(conn: &mut Conn, user_id: i64) -> Result<u64> {
    let r = sqlx::query("DELETE FROM pending_signins WHERE user_id = $1").bind(user_id).execute(conn).await?;
    Ok(r.rows_affected())
}

pub async fn delete_expired(conn: &mut Conn, now: i64) -> Result<u64> {
    let r = sqlx::query("DELETE FROM pending_signins WHERE expires_at <= $1").bind(now).execute(conn).await?;
    Ok(r.rows_affected())
}
