//! Applications (OpenID Connect clients) and the URIs they may be sent back to.

use super::conn::query;
use super::{Conn, Result};

/// What an application is stored with.
pub struct NewApp<'a> {
    pub org_id: i64,
    pub client_id: &'a str,
    pub name: &'a str,
    /// None for a public client.
    pub secret_hash: Option<&'a str>,
    pub require_2fa: bool,
    pub third_party: bool,
    /// RS256 or ES256.
    pub id_token_alg: &'a str,
    pub redirect_uris: &'a [&'a str],
    pub post_logout_uris: &'a [&'a str],
}

#[derive(Debug, Clone)]
pub struct AppRow {
    pub id: i64,
    pub org_id: i64,
    pub client_id: String,
    pub name: String,
    pub secret_hash: Option<String>,
    pub require_2fa: i64,
    pub third_party: i64,
    pub created_at: i64,
    pub id_token_alg: String,
}

impl crate::store::conn::FromRow for AppRow {
    fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            org_id: r.get("org_id")?,
            client_id: r.get("client_id")?,
            name: r.get("name")?,
            secret_hash: r.get("secret_hash")?,
            require_2fa: r.get("require_2fa")?,
            third_party: r.get("third_party")?,
            created_at: r.get("created_at")?,
            id_token_alg: r.get("id_token_alg")?,
        })
    }
}

const COLUMNS: &str = "id, org_id, client_id, name, secret_hash, require_2fa, third_party, created_at, id_token_alg";

/// Stores an application with its URIs; its id.
pub fn insert(conn: &mut Conn, a: &NewApp<'_>, now: i64) -> Result<i64> {
    let id: i64 = query(
        "INSERT INTO applications (org_id, client_id, name, secret_hash, require_2fa, third_party, created_at, \
           id_token_alg) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(a.org_id)
    .bind(a.client_id)
    .bind(a.name)
    .bind(a.secret_hash)
    .bind(i64::from(a.require_2fa))
    .bind(i64::from(a.third_party))
    .bind(now)
    .bind(a.id_token_alg)
    .scalar(&mut *conn)?;
    for (kind, uris) in [("redirect", a.redirect_uris), ("post_logout", a.post_logout_uris)] {
        for uri in uris {
            query(
                "INSERT INTO application_uris (application_id, kind, uri) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(kind)
            .bind(*uri)
            .execute(&mut *conn)?;
        }
    }
    Ok(id)
}

pub fn by_client_id(conn: &mut Conn, client_id: &str) -> Result<Option<AppRow>> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE client_id = $1");
    query(&sql).bind(client_id).fetch_optional(conn)
}

/// An organization's applications, by name.
pub fn of_org(conn: &mut Conn, org_id: i64) -> Result<Vec<AppRow>> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE org_id = $1 ORDER BY name, id");
    query(&sql).bind(org_id).fetch_all(conn)
}

/// An application's URIs of `kind` ("redirect" or "post_logout"), sorted.
pub fn uris(conn: &mut Conn, app_id: i64, kind: &str) -> Result<Vec<String>> {
    query("SELECT uri FROM application_uris WHERE application_id = $1 AND kind = $2 ORDER BY uri")
        .bind(app_id)
        .bind(kind)
        .scalars(conn)
}

/// Whether `uri` is registered for the application as `kind` ("redirect" or "post_logout"),
/// exactly as written.
pub fn has_uri(conn: &mut Conn, app_id: i64, kind: &str, uri: &str) -> Result<bool> {
    let n: i64 = query("SELECT COUNT(*) FROM application_uris WHERE application_id = $1 AND kind = $2 AND uri = $3")
        .bind(app_id)
        .bind(kind)
        .bind(uri)
        .scalar(conn)?;
    Ok(n > 0)
}

/// Replaces a confidential client's secret hash; false for an unknown or public client.
pub fn set_secret(conn: &mut Conn, client_id: &str, secret_hash: &str) -> Result<bool> {
    let r = query("UPDATE applications SET secret_hash = $2 WHERE client_id = $1 AND secret_hash IS NOT NULL")
        .bind(client_id)
        .bind(secret_hash)
        .execute(conn)?;
    Ok(r == 1)
}

/// Deletes an application (its URIs go with it); false if there was none.
pub fn delete(conn: &mut Conn, client_id: &str) -> Result<bool> {
    let r = query("DELETE FROM applications WHERE client_id = $1").bind(client_id).execute(conn)?;
    Ok(r == 1)
}
