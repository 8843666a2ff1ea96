//! What members allowed third-party applications to know, per member and application.

use super::conn::query;
use super::{Conn, Result};

/// A consent as listed under Manage Account.
#[derive(Debug, Clone)]
pub struct ConsentRow {
    pub application_id: i64,
    pub client_id: String,
    pub name: String,
    pub scope: String,
    pub granted_at: i64,
}

impl crate::store::conn::FromRow for ConsentRow {
    fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
        Ok(Self {
            application_id: r.get("application_id")?,
            client_id: r.get("client_id")?,
            name: r.get("name")?,
            scope: r.get("scope")?,
            granted_at: r.get("granted_at")?,
        })
    }
}

/// The scopes a member consented to for an application, and when.
pub fn of(conn: &mut Conn, user_id: i64, application_id: i64) -> Result<Option<(String, i64)>> {
    query("SELECT scope, granted_at FROM oauth_consents WHERE user_id = $1 AND application_id = $2")
        .bind(user_id)
        .bind(application_id)
        .fetch_optional(conn)
}

/// Records a consent (replacing an earlier one for the same application).
pub fn grant(conn: &mut Conn, user_id: i64, application_id: i64, scope: &str, now: i64) -> Result<()> {
    query(
        "INSERT INTO oauth_consents (user_id, application_id, scope, granted_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, application_id) DO UPDATE SET scope = excluded.scope, granted_at = excluded.granted_at",
    )
    .bind(user_id)
    .bind(application_id)
    .bind(scope)
    .bind(now)
    .execute(conn)?;
    Ok(())
}

/// Withdraws a consent; false if there was none.
pub fn withdraw(conn: &mut Conn, user_id: i64, application_id: i64) -> Result<bool> {
    let r = query("DELETE FROM oauth_consents WHERE user_id = $1 AND application_id = $2")
        .bind(user_id)
        .bind(application_id)
        .execute(conn)?;
    Ok(r == 1)
}

/// A member's consents, by application name.
pub fn for_user(conn: &mut Conn, user_id: i64) -> Result<Vec<ConsentRow>> {
    query(
        "SELECT c.application_id, a.client_id, a.name, c.scope, c.granted_at FROM oauth_consents c \
         JOIN applications a ON a.id = c.application_id WHERE c.user_id = $1 ORDER BY a.name, a.id",
    )
    .bind(user_id)
    .fetch_all(conn)
}
