//! Organizations: each owns one email domain.

use super::conn::query;
use super::{on_unique, Conn, Result};
use crate::domain::policy::{Methods, Policy};

#[derive(Debug, Clone)]
pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub domain: String,
    pub created_at: i64,
    pub require_2fa_since: Option<i64>,
    pub grace_days: i64,
    pub allowed_methods: String,
    /// "Require a security key or passkey for admins": since when (None: off).
    pub admin_keys_since: Option<i64>,
    /// The members' default language (None: each browser's) and time zone.
    pub language: Option<String>,
    pub time_zone: String,
    /// How many days "Remember this device" lasts (0: not offered).
    pub remember_days: i64,
}

impl crate::store::conn::FromRow for OrgRow {
    fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            name: r.get("name")?,
            domain: r.get("domain")?,
            created_at: r.get("created_at")?,
            require_2fa_since: r.get("require_2fa_since")?,
            grace_days: r.get("grace_days")?,
            allowed_methods: r.get("allowed_methods")?,
            admin_keys_since: r.get("admin_keys_since")?,
            language: r.get("language")?,
            time_zone: r.get("time_zone")?,
            remember_days: r.get("remember_days")?,
        })
    }
}

const COLUMNS: &str =
    "id, name, domain, created_at, require_2fa_since, grace_days, allowed_methods, admin_keys_since, language, time_zone, \
     remember_days";

impl OrgRow {
    /// The stored policy; an unreadable method list counts as both methods allowed.
    pub fn policy(&self) -> Policy {
        Policy {
            required_since: self.require_2fa_since,
            grace_days: self.grace_days,
            methods: Methods::parse(&self.allowed_methods).unwrap_or(Methods::ALL),
            admin_keys_since: self.admin_keys_since,
        }
    }
}

pub fn insert(conn: &mut Conn, name: &str, domain: &str, now: i64) -> Result<i64> {
    let r = query(
        "INSERT INTO organizations (name, domain, created_at, allowed_methods) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(domain)
    .bind(now)
    .bind(Methods::ALL.as_str())
    .scalar(conn);
    on_unique(r, "domain")
}

pub fn by_domain(conn: &mut Conn, domain: &str) -> Result<Option<OrgRow>> {
    let sql = format!("SELECT {COLUMNS} FROM organizations WHERE domain = $1");
    query(&sql).bind(domain).fetch_optional(conn)
}

pub fn by_id(conn: &mut Conn, id: i64) -> Result<Option<OrgRow>> {
    let sql = format!("SELECT {COLUMNS} FROM organizations WHERE id = $1");
    query(&sql).bind(id).fetch_optional(conn)
}

pub fn count(conn: &mut Conn) -> Result<i64> {
    query("SELECT COUNT(*) FROM organizations").scalar(conn)
}

pub fn set_policy(conn: &mut Conn, id: i64, p: &Policy) -> Result<()> {
    query(
        "UPDATE organizations SET require_2fa_since = $2, grace_days = $3, allowed_methods = $4, \
         admin_keys_since = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(p.required_since)
    .bind(p.grace_days)
    .bind(p.methods.as_str())
    .bind(p.admin_keys_since)
    .execute(conn)?;
    Ok(())
}

/// Locks the organization's row until the transaction ends, so that changes that must keep an
/// invariant over its members (one active admin remains) run one at a time. SQLite needs no
/// statement: its write transactions (BEGIN IMMEDIATE) already hold the database's write lock.
pub fn lock(conn: &mut Conn, id: i64) -> Result<()> {
    if conn.dialect() == super::Dialect::Postgres {
        query("SELECT id FROM organizations WHERE id = $1 FOR UPDATE").bind(id).execute(conn)?;
    }
    Ok(())
}

/// The organization's default language (None: each browser's) and time zone.
pub fn set_locale(conn: &mut Conn, id: i64, language: Option<&str>, time_zone: &str) -> Result<()> {
    query("UPDATE organizations SET language = $1, time_zone = $2 WHERE id = $3")
        .bind(language)
        .bind(time_zone)
        .bind(id)
        .execute(conn)?;
    Ok(())
}

/// How many days "Remember this device" lasts in the organization (0: not offered).
pub fn set_remember_days(conn: &mut Conn, id: i64, days: i64) -> Result<()> {
    query("UPDATE organizations SET remember_days = $2 WHERE id = $1").bind(id).bind(days).execute(conn)?;
    Ok(())
}
