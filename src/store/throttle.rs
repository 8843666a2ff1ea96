//! Guessing counters and locks, kept in the database so that every process sees the same ones.
//!
//! A guess takes its attempt before it is compared (`take`): one conditional `UPDATE` that
//! counts it as a failure and refuses it when the key is locked or its window is used up, so
//! however many guesses arrive together, in however many processes, at most `max_failures`
//! per window are ever compared. The attempt is then settled: a wrong guess stays counted and
//! may lock the key (`fail`), a right one is given back or forgets the key's failures, unless
//! the key was locked meanwhile (`succeed`), and an attempt that turned out not to be a guess
//! is given back (`give_back`). On PostgreSQL the `UPDATE` holds the row until the transaction
//! ends, so checks that take and settle in one transaction run one at a time per key.

use super::conn::query;
use super::{Conn, Result};
use crate::domain::throttle::ThrottlePolicy;

/// The answer to "may this guess be compared?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    Granted,
    /// Locked, or every attempt of the window is taken; retry after this many seconds.
    Refused {
        retry_after: i64,
    },
}

/// Takes one attempt of `key` (see the module's comment): one upsert in the common case.
pub fn take(conn: &mut Conn, key: &str, p: &ThrottlePolicy, now: i64) -> Result<Taken> {
    // Twice at most: a success elsewhere may delete the row between the two statements below.
    for _ in 0..2 {
        let granted: Option<i64> = query(
            "INSERT INTO throttles (key, window_start, failures, level, locked_until) VALUES ($1, $2, 1, 0, 0) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = CASE WHEN throttles.window_start <= $2 - $3 THEN 1 ELSE throttles.failures + 1 END, \
               window_start = CASE WHEN throttles.window_start <= $2 - $3 THEN $2 ELSE throttles.window_start END \
             WHERE throttles.locked_until <= $2 \
               AND (throttles.window_start <= $2 - $3 OR throttles.failures < $4) \
             RETURNING failures",
        )
        .bind(key)
        .bind(now)
        .bind(p.window)
        .bind(p.max_failures)
        .scalar_optional(&mut *conn)?;
        if granted.is_some() {
            return Ok(Taken::Granted);
        }
        let row: Option<(i64, i64)> =
            query("SELECT locked_until, level FROM throttles WHERE key = $1").bind(key).fetch_optional(&mut *conn)?;
        if let Some((locked_until, level)) = row {
            // Not locked yet, but the window's last attempts are being compared right now: if
            // they fail, this lock follows.
            let retry_after = if locked_until > now { locked_until - now } else { p.lock_seconds(level) };
            return Ok(Taken::Refused { retry_after });
        }
    }
    Ok(Taken::Refused { retry_after: 1 })
}

/// Settles a wrong guess: it stays counted, and when the window's failures reach the limit the
/// key is locked (`base * 2^level`, capped). Returns the end of the lock this failure caused.
pub fn fail(conn: &mut Conn, key: &str, p: &ThrottlePolicy, now: i64) -> Result<Option<i64>> {
    let row: Option<(i64, i64)> =
        query("SELECT failures, level FROM throttles WHERE key = $1").bind(key).fetch_optional(&mut *conn)?;
    let Some((failures, level)) = row else { return Ok(None) };
    if failures < p.max_failures {
        return Ok(None);
    }
    let until = now + p.lock_seconds(level);
    // Re-checked by the database: of two failures that both saw the limit, one locks.
    let locked: Option<i64> = query(
        "UPDATE throttles SET locked_until = $2, level = level + 1, failures = 0, window_start = $3 \
         WHERE key = $1 AND failures >= $4 AND locked_until <= $3 RETURNING locked_until",
    )
    .bind(key)
    .bind(until)
    .bind(now)
    .bind(p.max_failures)
    .scalar_optional(conn)?;
    Ok(locked)
}

/// Settles a right guess. `forget`: the guess proved the key's owner (an account), so its
/// failures are forgotten; otherwise (a client address many people share) only this attempt is
/// given back. False when the key is locked: a lock set while this guess was being compared
/// stands, and the success must be refused. One statement unless the key is locked.
pub fn succeed(conn: &mut Conn, key: &str, forget: bool, now: i64) -> Result<bool> {
    let sql = if forget {
        "DELETE FROM throttles WHERE key = $1 AND locked_until <= $2 RETURNING locked_until"
    } else {
        "UPDATE throttles SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END \
         WHERE key = $1 AND locked_until <= $2 RETURNING locked_until"
    };
    let settled: Option<i64> = query(sql).bind(key).bind(now).scalar_optional(&mut *conn)?;
    // Nothing settled: the key is locked, or has no row (nothing to forget, nothing locked).
    Ok(settled.is_some() || locked_until(conn, key)? <= now)
}

/// Gives an attempt back: it turned out not to be a guess (a code already used, a loser of a
/// double submit), or it was never compared.
pub fn give_back(conn: &mut Conn, key: &str, now: i64) -> Result<()> {
    query("UPDATE throttles SET failures = failures - 1 WHERE key = $1 AND failures > 0 AND locked_until <= $2")
        .bind(key)
        .bind(now)
        .execute(conn)?;
    Ok(())
}

/// When the key's lock ends (0 if it was never locked).
pub fn locked_until(conn: &mut Conn, key: &str) -> Result<i64> {
    let v: Option<i64> = query("SELECT locked_until FROM throttles WHERE key = $1").bind(key).scalar_optional(conn)?;
    Ok(v.unwrap_or(0))
}

/// Counts one event for `key` in a window of `window` seconds; returns the count in the window.
pub fn count(conn: &mut Conn, key: &str, window: i64, now: i64) -> Result<i64> {
    Ok(count_with_start(conn, key, window, now)?.0)
}

/// As `count`, with the start of the current window (to say when the limit resets).
pub fn count_with_start(conn: &mut Conn, key: &str, window: i64, now: i64) -> Result<(i64, i64)> {
    query(
        "INSERT INTO throttles (key, window_start, failures, level, locked_until) VALUES ($1, $2, 0, 0, 0) \
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(now)
    .execute(&mut *conn)?;
    query(
        "UPDATE throttles SET \
           failures = CASE WHEN window_start <= $2 - $3 THEN 1 ELSE failures + 1 END, \
           window_start = CASE WHEN window_start <= $2 - $3 THEN $2 ELSE window_start END \
         WHERE key = $1 RETURNING failures, window_start",
    )
    .bind(key)
    .bind(now)
    .bind(window)
    .fetch_one(conn)
}

/// Forgets a key's failures and lock: the owner proved themselves another way (a password
/// reset through their mailbox lifts the sign-in lock).
pub fn clear(conn: &mut Conn, key: &str) -> Result<()> {
    query("DELETE FROM throttles WHERE key = $1").bind(key).execute(conn)?;
    Ok(())
}

/// Drops counters that have been idle for `idle` seconds and are not locked.
pub fn prune(conn: &mut Conn, now: i64, idle: i64) -> Result<u64> {
    let r = query("DELETE FROM throttles WHERE window_start < $1 AND locked_until < $2")
        .bind(now - idle)
        .bind(now)
        .execute(conn)?;
    Ok(r)
}
