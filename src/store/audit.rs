//! The audit log of security events.

use super::conn::query;
use super::{Conn, Result};

use crate::domain::audit::AuditKind;

/// Who caused an event, from where.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub ip: String,
    pub user_agent: String,
    /// The hash of the browser's device token (its `latchkey_device` cookie), when it sent one.
    pub device: Option<String>,
    /// The browser is a known device of the account a sign-in is for (set by the sign-in once it
    /// knows the account): its guesses count against the account, not the client address.
    pub known_device: bool,
}

impl Actor {
    /// An action taken on this machine's command line.
    pub fn cli() -> Self {
        Self { ip: "cli".into(), user_agent: "latchkey command line".into(), device: None, known_device: false }
    }
}

pub struct Event<'a> {
    pub kind: AuditKind,
    pub user_id: Option<i64>,
    pub org_id: Option<i64>,
    pub actor: &'a Actor,
    pub detail: &'a str,
}

pub fn record(conn: &mut Conn, e: Event<'_>, now: i64) -> Result<()> {
    query(
        "INSERT INTO audit_events (at, kind, user_id, org_id, ip, user_agent, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now)
    .bind(e.kind.as_str())
    .bind(e.user_id)
    .bind(e.org_id)
    .bind(e.actor.ip.as_str())
    .bind(e.actor.user_agent.as_str())
    .bind(e.detail)
    .execute(conn)
    ?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub at: i64,
    pub kind: String,
    pub user_id: Option<i64>,
    pub org_id: Option<i64>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub detail: Option<String>,
}

impl crate::store::conn::FromRow for AuditRow {
    fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
        Ok(Self {
            at: r.get("at")?,
            kind: r.get("kind")?,
            user_id: r.get("user_id")?,
            org_id: r.get("org_id")?,
            ip: r.get("ip")?,
            user_agent: r.get("user_agent")?,
            detail: r.get("detail")?,
        })
    }
}

/// The user's most recent events, newest first.
pub fn recent(conn: &mut Conn, user_id: i64, limit: i64) -> Result<Vec<AuditRow>> {
    // Walks the (user_id, at) index from its newest entry: cost bounded by `limit`, whatever
    // the size of the trail.
    query(
        "SELECT at, kind, user_id, org_id, ip, user_agent, detail FROM audit_events \
         WHERE user_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(conn)
}

/// A page of an organization's events, newest first, optionally for one user and one kind.
pub fn for_org(
    conn: &mut Conn,
    org_id: i64,
    user_id: Option<i64>,
    kind: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<AuditRow>> {
    query(
        "SELECT at, kind, user_id, org_id, ip, user_agent, detail FROM audit_events \
         WHERE org_id = $1 AND ($2 IS NULL OR user_id = $2) AND ($3 IS NULL OR kind = $3) \
         ORDER BY at DESC, id DESC LIMIT $4 OFFSET $5",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(kind)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
}
