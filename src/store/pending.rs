//! Pending sign-ins: the password was right, the second step is still to come. Each row holds
//! the sign-in's state (`domain::signin::Awaiting`): the row is read into it and written from
//! it here, and nowhere else. The emailed code of the sign-in lives in the same row, as a
//! keyed hash with its tries.

use super::conn::query;
use super::users::UserRow;
use super::{Conn, Result};
use crate::domain::factor::{Factors, Method};
use crate::domain::signin::{Awaiting, Code, Continuation, Return};

/// A pending sign-in as stored: its user, its state, and the version a change must match.
#[derive(Debug, Clone)]
pub struct Pending {
    pub user: UserRow,
    pub state: Awaiting,
    pub version: i64,
    /// The organization's days for "Remember this device" (0: not offered).
    pub remember_days: i64,
    /// The browser that gave the password is a known device of the account.
    pub known_device: bool,
}

struct Row {
    user: UserRow,
    offered: String,
    method: String,
    return_to: String,
    code_sent_at: Option<i64>,
    code_expires_at: Option<i64>,
    code_tries: i64,
    code_capped_until: Option<i64>,
    expires_at: i64,
    version: i64,
    remember_days: i64,
    known_device: i64,
}

impl crate::store::conn::FromRow for Row {
    fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
        use crate::store::conn::FromRow;
        Ok(Self {
            user: FromRow::from_row(r)?,
            offered: r.get("offered")?,
            method: r.get("method")?,
            return_to: r.get("return_to")?,
            code_sent_at: r.get("code_sent_at")?,
            code_expires_at: r.get("code_expires_at")?,
            code_tries: r.get("code_tries")?,
            code_capped_until: r.get("code_capped_until")?,
            expires_at: r.get("expires_at")?,
            version: r.get("version")?,
            remember_days: r.get("remember_days")?,
            known_device: r.get("known_device")?,
        })
    }
}

fn offered_str(f: Factors) -> String {
    let mut parts = Vec::new();
    if f.security_key {
        parts.push("key");
    }
    if f.authenticator {
        parts.push("app");
    }
    if f.email_code {
        parts.push("email");
    }
    if f.recovery_key {
        parts.push("recovery_key");
    }
    parts.join(",")
}

fn offered_parse(s: &str) -> Factors {
    let has = |name: &str| s.split(',').any(|p| p == name);
    Factors {
        authenticator: has("app"),
        email_code: has("email"),
        security_key: has("key"),
        recovery_key: has("recovery_key"),
    }
}

/// `account`, or `continue:` and the sealed continuation.
fn return_str(r: &Return) -> String {
    match r {
        Return::Account => "account".into(),
        Return::Continue(Continuation(sealed)) => format!("continue:{sealed}"),
    }
}

fn return_parse(s: &str) -> Option<Return> {
    match s {
        "account" => Some(Return::Account),
        _ => s.strip_prefix("continue:").map(|c| Return::Continue(Continuation(c.to_string()))),
    }
}

impl Row {
    /// The stored state; None when the row cannot be read as one (its sign-in then ends).
    fn into_pending(self) -> Option<Pending> {
        let current = Method::parse(&self.method)?;
        let then = return_parse(&self.return_to)?;
        let code = match (self.code_sent_at, self.code_expires_at, self.code_capped_until) {
            (Some(at), Some(expires_at), _) => Code::Sent { at, expires_at, tries: self.code_tries },
            (_, _, Some(until)) => Code::Capped { until },
            _ => Code::NotSent,
        };
        let offered = offered_parse(&self.offered);
        let state = Awaiting { offered, current, code, then, expires_at: self.expires_at };
        Some(Pending {
            user: self.user,
            state,
            version: self.version,
            remember_days: self.remember_days,
            known_device: self.known_device != 0,
        })
    }
}

/// The code columns of a state: (sent at, expires at, capped until).
fn code_columns(code: Code) -> (Option<i64>, Option<i64>, Option<i64>) {
    match code {
        Code::NotSent => (None, None, None),
        Code::Sent { at, expires_at, .. } => (Some(at), Some(expires_at), None),
        Code::Capped { until } => (None, None, Some(until)),
    }
}

/// The browser a sign-in came from: its device token's hash (None: it sent none), address and
/// user agent.
pub struct From<'a> {
    pub device_hash: Option<&'a str>,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

/// Stores a new pending sign-in in its first state.
pub fn insert(
    conn: &mut Conn,
    token_hash: &str,
    user_id: i64,
    from: From<'_>,
    now: i64,
    state: &Awaiting,
) -> Result<()> {
    let (sent, expires, capped) = code_columns(state.code);
    query(
        "INSERT INTO pending_signins (token_hash, user_id, created_at, expires_at, offered, method, return_to, \
           code_sent_at, code_expires_at, code_capped_until, version, device_hash, ip, user_agent) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, $13)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(state.expires_at)
    .bind(offered_str(state.offered))
    .bind(state.current.as_str())
    .bind(return_str(&state.then))
    .bind(sent)
    .bind(expires)
    .bind(capped)
    .bind(from.device_hash)
    .bind(from.ip)
    .bind(from.user_agent)
    .execute(conn)?;
    Ok(())
}

/// A sign-in whose password was right and whose second step failed or was given up: what its
/// alert needs.
#[derive(Debug, Clone)]
pub struct Unfinished {
    pub user_id: i64,
    pub device_hash: Option<String>,
    pub ip: String,
    pub user_agent: String,
    pub created_at: i64,
    /// Wrong second factors so far.
    pub failures: i64,
    /// Whether its alert went out already.
    pub alerted: i64,
}

crate::from_row!(Unfinished { user_id, device_hash, ip, user_agent, created_at, failures, alerted });

/// Counts one wrong second factor of the sign-in; what it now stands at.
pub fn record_failure(conn: &mut Conn, token_hash: &str) -> Result<Option<Unfinished>> {
    query(
        "UPDATE pending_signins SET failures = failures + 1 WHERE token_hash = $1 \
         RETURNING user_id, device_hash, ip, user_agent, created_at, failures, alerted",
    )
    .bind(token_hash)
    .fetch_optional(conn)
}

/// Marks the sign-in's alert as sent; true for exactly one caller.
pub fn mark_alerted(conn: &mut Conn, token_hash: &str) -> Result<bool> {
    let r = query("UPDATE pending_signins SET alerted = 1 WHERE token_hash = $1 AND alerted = 0")
        .bind(token_hash)
        .execute(conn)?;
    Ok(r == 1)
}

/// Deletes the expired pending sign-ins and returns them (each to one caller, however many
/// processes clean up at once): those never finished, for their alerts.
pub fn take_expired(conn: &mut Conn, now: i64) -> Result<Vec<Unfinished>> {
    query(
        "DELETE FROM pending_signins WHERE expires_at <= $1 \
         RETURNING user_id, device_hash, ip, user_agent, created_at, failures, alerted",
    )
    .bind(now)
    .fetch_all(conn)
}

/// Stores many pending sign-ins, each in its state, with the hash of the code sent for it
/// (when its state says one was sent).
pub fn insert_many(conn: &mut Conn, rows: &[(String, i64, Awaiting, Option<String>)], now: i64) -> Result<()> {
    let cols = [
        "token_hash",
        "user_id",
        "created_at",
        "expires_at",
        "offered",
        "method",
        "return_to",
        "code_hash",
        "code_sent_at",
        "code_expires_at",
        "code_capped_until",
    ];
    let values: Vec<Vec<super::bulk::Value>> = rows
        .iter()
        .map(|(token_hash, user_id, a, code_hash)| {
            let (sent, expires, capped) = code_columns(a.code);
            vec![
                token_hash.as_str().into(),
                (*user_id).into(),
                now.into(),
                a.expires_at.into(),
                offered_str(a.offered).into(),
                a.current.as_str().into(),
                return_str(&a.then).into(),
                code_hash.as_deref().into(),
                sent.into(),
                expires.into(),
                capped.into(),
            ]
        })
        .collect();
    super::bulk::insert(conn, "pending_signins", &cols, &values)
}

/// The pending sign-in of a token with its user, in one statement; None when it is unknown,
/// expired, its user is disabled, or it cannot be read.
pub fn load(conn: &mut Conn, token_hash: &str, now: i64) -> Result<Option<Pending>> {
    let row: Option<Row> = query(
        "SELECT u.id, u.org_id, u.email, u.role, u.password_hash, u.email_verified_at, u.created_at, \
           u.last_sign_in_at, u.disabled_at, u.language, u.time_zone, p.offered, p.method, p.return_to, p.code_sent_at, \
           p.code_expires_at, p.code_tries, p.code_capped_until, p.expires_at, p.version, o.remember_days, \
           CAST(CASE WHEN EXISTS (SELECT 1 FROM devices d WHERE d.user_id = u.id AND d.token_hash = p.device_hash) \
             THEN 1 ELSE 0 END AS BIGINT) AS known_device \
         FROM pending_signins p JOIN users u ON u.id = p.user_id JOIN organizations o ON o.id = u.org_id \
         WHERE p.token_hash = $1 AND p.expires_at > $2 AND u.disabled_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)?;
    Ok(row.and_then(Row::into_pending))
}

/// Writes the next state if the row is still at `version` (no other request changed it
/// meanwhile); true when it was written. `new_code_hash`: the hash of a code just sent for
/// this sign-in (its tries start again); None keeps the code as it is.
pub fn save(
    conn: &mut Conn,
    token_hash: &str,
    version: i64,
    state: &Awaiting,
    new_code_hash: Option<&str>,
) -> Result<bool> {
    let (sent, expires, capped) = code_columns(state.code);
    let sql = match new_code_hash {
        Some(_) => {
            "UPDATE pending_signins SET method = $3, code_sent_at = $4, code_expires_at = $5, \
               code_capped_until = $6, code_hash = $7, code_tries = 0, version = version + 1 \
             WHERE token_hash = $1 AND version = $2"
        }
        None => {
            "UPDATE pending_signins SET method = $3, code_sent_at = $4, code_expires_at = $5, \
               code_capped_until = $6, version = version + 1 \
             WHERE token_hash = $1 AND version = $2"
        }
    };
    let mut q =
        query(sql).bind(token_hash).bind(version).bind(state.current.as_str()).bind(sent).bind(expires).bind(capped);
    if let Some(hash) = new_code_hash {
        q = q.bind(hash);
    }
    Ok(q.execute(conn)? == 1)
}

/// Takes one try of the sign-in's emailed code before it is compared, and returns its hash;
/// None when it has no code that can still be tried (none sent, expired, out of tries). On
/// PostgreSQL the row stays locked until the transaction ends.
pub fn take_code_try(conn: &mut Conn, token_hash: &str, now: i64, max_tries: i64) -> Result<Option<String>> {
    query(
        "UPDATE pending_signins SET code_tries = code_tries + 1 WHERE token_hash = $1 AND code_hash IS NOT NULL \
         AND code_sent_at IS NOT NULL AND code_expires_at > $2 AND code_tries < $3 RETURNING code_hash",
    )
    .bind(token_hash)
    .bind(now)
    .bind(max_tries)
    .scalar_optional(conn)
}

/// Ends a pending sign-in if it is still at `version` (nothing changed it since it was read);
/// true for exactly one caller.
pub fn end(conn: &mut Conn, token_hash: &str, version: i64) -> Result<bool> {
    let r = query("DELETE FROM pending_signins WHERE token_hash = $1 AND version = $2")
        .bind(token_hash)
        .bind(version)
        .execute(conn)?;
    Ok(r == 1)
}

/// Ends every pending sign-in of a user (their password changed, or their factors went away):
/// a second step begun before must not finish after.
pub fn delete_for_user(conn: &mut Conn, user_id: i64) -> Result<u64> {
    let r = query("DELETE FROM pending_signins WHERE user_id = $1").bind(user_id).execute(conn)?;
    Ok(r)
}

pub fn delete_expired(conn: &mut Conn, now: i64) -> Result<u64> {
    let r = query("DELETE FROM pending_signins WHERE expires_at <= $1").bind(now).execute(conn)?;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offered_ways_in_read_back_as_they_were_written() {
        for bits in 0..16u8 {
            let f = Factors {
                authenticator: bits & 1 != 0,
                email_code: bits & 2 != 0,
                recovery_key: bits & 4 != 0,
                security_key: bits & 8 != 0,
            };
            assert_eq!(offered_parse(&offered_str(f)), f);
        }
    }

    #[test]
    fn where_a_sign_in_returns_reads_back_as_it_was_written() {
        for r in [Return::Account, Return::Continue(Continuation("c2VhbGVk".into()))] {
            assert_eq!(return_parse(&return_str(&r)), Some(r));
        }
        assert_eq!(return_parse("elsewhere"), None);
    }
}
