//! Organizations: each owns one email domain.

use super::{on_unique, Conn, Result};
use crate::domain::policy::{Methods, Policy};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub domain: String,
    pub created_at: i64,
    pub require_2fa_since: Option<i64>,
    pub grace_days: i64,
    pub allowed_methods: String,
}

const COLUMNS: &str = "id, name, domain, created_at, require_2fa_since, grace_days, allowed_methods";

impl OrgRow {
    /// The stored policy; an unreadable method list counts as both methods allowed.
    pub fn policy(&self) -> Policy {
        Policy {
            required_since: self.require_2fa_since,
            grace_days: self.grace_days,
            methods: Methods::parse(&self.allowed_methods).unwrap_or(Methods::ALL),
        }
    }
}

pub async fn insert(conn: &mut Conn, name: &str, domain: &str, now: i64) -> Result<i64> {
    let r = sqlx::query_scalar("INSERT INTO organizations (name, domain, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(name)
        .bind(domain)
        .bind(now)
        .fetch_one(conn)
        .await;
    on_unique(r, "domain")
}

pub async fn by_domain(conn: &mut Conn, domain: &str) -> Result<Option<OrgRow>> {
    let sql = format!("SELECT {COLUMNS} FROM organizations WHERE domain = $1");
    Ok(sqlx::query_as(&sql).bind(domain).fetch_optional(conn).await?)
}

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<OrgRow>> {
    let sql = format!("SELECT {COLUMNS} FROM organizations WHERE id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?)
}

pub async fn count(conn: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM organizations").fetch_one(conn).await?)
}

pub async fn set_policy(conn: &mut Conn, id: i64, p: &Policy) -> Result<()> {
    sqlx::query("UPDATE organizations SET require_2fa_since = $2, grace_days = $3, allowed_methods = $4 WHERE id = $1")
        .bind(id)
        .bind(p.required_since)
        .bind(p.grace_days)
        .bind(p.methods.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Locks the organization's row until the transaction ends, so that changes that must keep an
/// invariant over its members (one active admin remains) run one at a time. SQLite needs no
/// statement: its write transactions (BEGIN IMMEDIATE) already hold the database's write lock.
pub async fn lock(conn: &mut Conn, id: i64) -> Result<()> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT id FROM organizations WHERE id = $1 FOR UPDATE").bind(id).execute(conn).await?;
    }
    Ok(())
}
