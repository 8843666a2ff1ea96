//! Failure counters and locks, kept in the database so that every process sees the same ones.
//! Each change is one statement whose conditions are re-checked by the database, so concurrent
//! failures are all counted and a key is locked once per crossing of the limit.

use super::{Conn, Result};
use crate::domain::throttle::ThrottlePolicy;

/// When the key's lock ends (0 if it was never locked).
pub async fn locked_until(conn: &mut Conn, key: &str) -> Result<i64> {
    let v: Option<i64> =
        sqlx::query_scalar("SELECT locked_until FROM throttles WHERE key = $1").bind(key).fetch_optional(conn).await?;
    Ok(v.unwrap_or(0))
}

/// The latest lock among two keys (an account's and a client address's), in one statement.
pub async fn locked_until_either(conn: &mut Conn, a: &str, b: &str) -> Result<i64> {
    let v: Option<i64> = sqlx::query_scalar("SELECT MAX(locked_until) FROM throttles WHERE key IN ($1, $2)")
        .bind(a)
        .bind(b)
        .fetch_one(conn)
        .await?;
    Ok(v.unwrap_or(0))
}

/// Counts one event for `key` in a window of `window` seconds; returns the count in the window.
pub async fn count(conn: &mut Conn, key: &str, window: i64, now: i64) -> Result<i64> {
    Ok(count_with_start(conn, key, window, now).await?.0)
}

/// As `count`, with the start of the current window (to say when the limit resets).
pub async fn count_with_start(conn: &mut Conn, key: &str, window: i64, now: i64) -> Result<(i64, i64)> {
    sqlx::query(
        "INSERT INTO throttles (key, window_start, failures, level, locked_until) VALUES ($1, $2, 0, 0, 0) \
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_as(
        "UPDATE throttles SET \
           failures = CASE WHEN window_start <= $2 - $3 THEN 1 ELSE failures + 1 END, \
           window_start = CASE WHEN window_start <= $2 - $3 THEN $2 ELSE window_start END \
         WHERE key = $1 RETURNING failures, window_start",
    )
    .bind(key)
    .bind(now)
    .bind(window)
    .fetch_one(conn)
    .await?)
}

/// Records a failure; when it reaches the policy's limit the key is locked. Returns the end of
/// the lock this failure caused, if it caused one.
pub async fn record_failure(conn: &mut Conn, key: &str, p: &ThrottlePolicy, now: i64) -> Result<Option<i64>> {
    let failures = count(&mut *conn, key, p.window, now).await?;
    if failures < p.max_failures {
        return Ok(None);
    }
    let level: Option<i64> =
        sqlx::query_scalar("SELECT level FROM throttles WHERE key = $1").bind(key).fetch_optional(&mut *conn).await?;
    let until = now + p.lock_seconds(level.unwrap_or(0));
    let locked: Option<i64> = sqlx::query_scalar(
        "UPDATE throttles SET locked_until = $2, level = level + 1, failures = 0, window_start = $3 \
         WHERE key = $1 AND failures >= $4 RETURNING locked_until",
    )
    .bind(key)
    .bind(until)
    .bind(now)
    .bind(p.max_failures)
    .fetch_optional(conn)
    .await?;
    Ok(locked)
}

/// Forgets a key's failures and lock (after a success that proves the key's owner).
pub async fn clear(conn: &mut Conn, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM throttles WHERE key = $1").bind(key).execute(conn).await?;
    Ok(())
}

/// Drops counters that have been idle for `idle` seconds and are not locked.
pub async fn prune(conn: &mut Conn, now: i64, idle: i64) -> Result<u64> {
    let r = sqlx::query("DELETE FROM throttles WHERE window_start < $1 AND locked_until < $2")
        .bind(now - idle)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(r.rows_affected())
}
