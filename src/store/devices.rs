//! Known devices: one row per (user, browser token hash) for each browser that completed a sign-in
//! of the account, with when it was remembered ("Remember this device"). The token itself is
//! only in the browser's cookie.

use super::conn::query;
use super::{Conn, Result};

#[derive(Debug, Clone)]
pub struct DeviceRow {
    pub id: i64,
    pub user_id: i64,
    pub user_agent: String,
    pub first_ip: String,
    pub first_seen_at: i64,
    pub last_ip: String,
    pub last_used_at: i64,
    pub remembered_at: Option<i64>,
}

crate::from_row!(DeviceRow { id, user_id, user_agent, first_ip, first_seen_at, last_ip, last_used_at, remembered_at });

const COLUMNS: &str = "id, user_id, user_agent, first_ip, first_seen_at, last_ip, last_used_at, remembered_at";

/// The row of this browser for this user, if the browser is known to the account.
pub fn find(conn: &mut Conn, user_id: i64, token_hash: &str) -> Result<Option<DeviceRow>> {
    let sql = format!("SELECT {COLUMNS} FROM devices WHERE user_id = $1 AND token_hash = $2");
    query(&sql).bind(user_id).bind(token_hash).fetch_optional(conn)
}

/// A completed sign-in from this browser: records it (first seen, or last used) and, with
/// `remember`, remembers it from `now`. True when the browser was new to the account: of two
/// concurrent first sign-ins, in any number of processes, one inserts the row. A known browser
/// (the usual case) costs one statement.
pub fn seen(
    conn: &mut Conn,
    user_id: i64,
    token_hash: &str,
    (ip, user_agent): (&str, &str),
    remember: bool,
    now: i64,
) -> Result<bool> {
    let remembered_at = remember.then_some(now);
    let touch = |conn: &mut Conn| {
        query(
            "UPDATE devices SET last_ip = $3, last_used_at = $4, user_agent = $5, \
               remembered_at = COALESCE($6, remembered_at) \
             WHERE user_id = $1 AND token_hash = $2",
        )
        .bind(user_id)
        .bind(token_hash)
        .bind(ip)
        .bind(now)
        .bind(user_agent)
        .bind(remembered_at)
        .execute(conn)
    };
    if touch(&mut *conn)? == 1 {
        return Ok(false);
    }
    let inserted: Option<i64> = query(
        "INSERT INTO devices (user_id, token_hash, user_agent, first_ip, first_seen_at, last_ip, last_used_at, \
           remembered_at) VALUES ($1, $2, $3, $4, $5, $4, $5, $6) \
         ON CONFLICT (user_id, token_hash) DO NOTHING RETURNING id",
    )
    .bind(user_id)
    .bind(token_hash)
    .bind(user_agent)
    .bind(ip)
    .bind(now)
    .bind(remembered_at)
    .scalar_optional(&mut *conn)?;
    if inserted.is_some() {
        return Ok(true);
    }
    // Another request inserted it between the two statements: known after all.
    touch(conn)?;
    Ok(false)
}

/// The user's devices, most recently used first (at most `limit`).
pub fn of_user(conn: &mut Conn, user_id: i64, limit: i64) -> Result<Vec<DeviceRow>> {
    let sql = format!("SELECT {COLUMNS} FROM devices WHERE user_id = $1 ORDER BY last_used_at DESC, id DESC LIMIT $2");
    query(&sql).bind(user_id).bind(limit).fetch_all(conn)
}

/// No device of the user is remembered any more (they stay known): their ways in or their role
/// changed. How many were.
pub fn unremember_user(conn: &mut Conn, user_id: i64) -> Result<u64> {
    query("UPDATE devices SET remembered_at = NULL WHERE user_id = $1 AND remembered_at IS NOT NULL")
        .bind(user_id)
        .execute(conn)
}

/// No device of the organization's members is remembered any more: its policy changed, or it
/// stopped offering "Remember this device".
pub fn unremember_org(conn: &mut Conn, org_id: i64) -> Result<u64> {
    query(
        "UPDATE devices SET remembered_at = NULL \
         WHERE remembered_at IS NOT NULL AND user_id IN (SELECT id FROM users WHERE org_id = $1)",
    )
    .bind(org_id)
    .execute(conn)
}

/// Deletes devices not used since `before` (their cookie has expired in the browser).
pub fn prune(conn: &mut Conn, before: i64) -> Result<u64> {
    query("DELETE FROM devices WHERE last_used_at < $1").bind(before).execute(conn)
}

/// Marks the account as having a recorded device; true the first time (of any number of
/// concurrent callers, one).
pub fn first_for_account(conn: &mut Conn, user_id: i64) -> Result<bool> {
    let r =
        query("UPDATE users SET devices_seen = 1 WHERE id = $1 AND devices_seen = 0").bind(user_id).execute(conn)?;
    Ok(r == 1)
}

/// Forgets one device of the user: it is neither remembered nor known any more (its next sign-in
/// asks for the second step and sends a new-device alert). False when there was none.
pub fn forget(conn: &mut Conn, user_id: i64, id: i64) -> Result<bool> {
    Ok(query("DELETE FROM devices WHERE user_id = $1 AND id = $2").bind(user_id).bind(id).execute(conn)? == 1)
}

/// Forgets every device of the user; `keep`: the browser making the change (a password change)
/// stays known but is no longer remembered. How many were remembered or known before.
pub fn forget_all(conn: &mut Conn, user_id: i64, keep: Option<&str>) -> Result<u64> {
    let deleted = match keep {
        Some(hash) => query("DELETE FROM devices WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(hash)
            .execute(&mut *conn)?,
        None => query("DELETE FROM devices WHERE user_id = $1").bind(user_id).execute(&mut *conn)?,
    };
    let unremembered = match keep {
        Some(hash) => query(
            "UPDATE devices SET remembered_at = NULL \
             WHERE user_id = $1 AND token_hash = $2 AND remembered_at IS NOT NULL",
        )
        .bind(user_id)
        .bind(hash)
        .execute(conn)?,
        None => 0,
    };
    Ok(deleted + unremembered)
}
