//! Second factors and the Recovery Key of each user.

use super::{Conn, Result};
use crate::domain::signin::Factors;

pub const EMAIL: &str = "email";

pub async fn of_user(conn: &mut Conn, user_id: i64) -> Result<Factors> {
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM second_factors WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?;
    let key: Option<i64> = sqlx::query_scalar("SELECT created_at FROM recovery_keys WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    Ok(Factors {
        email_code: kinds.iter().any(|k| k == EMAIL),
        recovery_key: key.is_some(),
    })
}

/// When the user's Recovery Key was created, if they have one.
pub async fn recovery_key_created(conn: &mut Conn, user_id: i64) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT created_at FROM recovery_keys WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Adds a factor; returns false if the user already had it.
pub async fn add(conn: &mut Conn, user_id: i64, kind: &str, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO second_factors (user_id, kind, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(kind)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Removes every factor and the Recovery Key: two-factor authentication is off.
pub async fn remove_all(conn: &mut Conn, user_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM second_factors WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM recovery_keys WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets (or replaces) the user's Recovery Key hash.
pub async fn set_recovery_key(conn: &mut Conn, user_id: i64, key_hash: &str, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO recovery_keys (user_id, key_hash, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET key_hash = excluded.key_hash, created_at = excluded.created_at",
    )
    .bind(user_id)
    .bind(key_hash)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn recovery_key_hash(conn: &mut Conn, user_id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT key_hash FROM recovery_keys WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Uses up the Recovery Key if it still has this hash; true for exactly one caller.
pub async fn consume_recovery_key(conn: &mut Conn, user_id: i64, key_hash: &str) -> Result<bool> {
    let r = sqlx::query("DELETE FROM recovery_keys WHERE user_id = $1 AND key_hash = $2")
        .bind(user_id)
        .bind(key_hash)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}
