//! Organizations: each owns one email domain.

use super::{on_unique, Conn, Result};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub domain: String,
    pub created_at: i64,
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
    Ok(
        sqlx::query_as("SELECT id, name, domain, created_at FROM organizations WHERE domain = $1")
            .bind(domain)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<OrgRow>> {
    Ok(
        sqlx::query_as("SELECT id, name, domain, created_at FROM organizations WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn count(conn: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM organizations")
        .fetch_one(conn)
        .await?)
}
