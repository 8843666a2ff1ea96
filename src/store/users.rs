//! Users: members and admins of an organization, with their password hash and email status.

use super::bulk::Value;
use super::{on_unique, Conn, Result};
use crate::domain::account::Role;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub org_id: i64,
    pub email: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub password_hash: Option<String>,
    pub email_verified_at: Option<i64>,
    pub created_at: i64,
    pub last_sign_in_at: Option<i64>,
    pub disabled_at: Option<i64>,
}

const COLUMNS: &str =
    "id, org_id, email, role, password_hash, email_verified_at, created_at, last_sign_in_at, disabled_at";

pub struct NewUser<'a> {
    pub org_id: i64,
    pub email: &'a str,
    pub role: Role,
    pub password_hash: Option<&'a str>,
    pub email_verified_at: Option<i64>,
}

/// Inserts many users with the ids given (a fresh database: nothing is read back).
pub async fn insert_many(conn: &mut Conn, users: &[(i64, NewUser<'_>)], now: i64) -> Result<()> {
    let cols = ["id", "org_id", "email", "role", "password_hash", "email_verified_at", "created_at", "subject"];
    let rows: Vec<Vec<Value>> = users
        .iter()
        .map(|(id, u)| {
            vec![
                (*id).into(),
                u.org_id.into(),
                u.email.into(),
                u.role.as_str().into(),
                u.password_hash.into(),
                u.email_verified_at.into(),
                now.into(),
                new_subject().into(),
            ]
        })
        .collect();
    super::bulk::insert(conn, "users", &cols, &rows).await
}

/// A user's subject identifier for applications: 128 random bits, never the email or the id.
fn new_subject() -> String {
    crate::secrets::random_hex(16)
}

pub async fn insert(conn: &mut Conn, u: NewUser<'_>, now: i64) -> Result<i64> {
    let r = sqlx::query_scalar(
        "INSERT INTO users (org_id, email, role, password_hash, email_verified_at, created_at, subject) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(u.org_id)
    .bind(u.email)
    .bind(u.role.as_str())
    .bind(u.password_hash)
    .bind(u.email_verified_at)
    .bind(now)
    .bind(new_subject())
    .fetch_one(conn)
    .await;
    on_unique(r, "email")
}

pub async fn by_email(conn: &mut Conn, email: &str) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email = $1");
    Ok(sqlx::query_as(&sql).bind(email).fetch_optional(conn).await?)
}

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?)
}

pub async fn set_password(conn: &mut Conn, id: i64, hash: &str) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(hash).bind(id).execute(conn).await?;
    Ok(())
}

/// Marks the email verified; returns false when it already was.
pub async fn mark_verified(conn: &mut Conn, id: i64, now: i64) -> Result<bool> {
    let r = sqlx::query("UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn record_sign_in(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2").bind(now).bind(id).execute(conn).await?;
    Ok(())
}

pub async fn set_role(conn: &mut Conn, id: i64, role: Role) -> Result<()> {
    sqlx::query("UPDATE users SET role = $2 WHERE id = $1").bind(id).bind(role.as_str()).execute(conn).await?;
    Ok(())
}

pub async fn set_disabled(conn: &mut Conn, id: i64, disabled_at: Option<i64>) -> Result<()> {
    sqlx::query("UPDATE users SET disabled_at = $2 WHERE id = $1").bind(id).bind(disabled_at).execute(conn).await?;
    Ok(())
}

/// Admins of the organization who are not disabled.
pub async fn count_active_admins(conn: &mut Conn, org_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE org_id = $1 AND role = 'admin' AND disabled_at IS NULL")
        .bind(org_id)
        .fetch_one(conn)
        .await?)
}

/// A member as the members page lists them, with their second factors.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub email: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub email_verified_at: Option<i64>,
    pub last_sign_in_at: Option<i64>,
    pub disabled_at: Option<i64>,
    pub has_email_code: i64,
    pub has_authenticator: i64,
}

impl MemberRow {
    pub fn factors(&self) -> crate::domain::factor::Factors {
        let (email_code, authenticator) = (self.has_email_code > 0, self.has_authenticator > 0);
        crate::domain::factor::Factors { email_code, authenticator, recovery_key: email_code || authenticator }
    }
}

/// Every member of an organization, by email.
pub async fn members(conn: &mut Conn, org_id: i64) -> Result<Vec<MemberRow>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.email, u.role, u.email_verified_at, u.last_sign_in_at, u.disabled_at, \
           (SELECT COUNT(*) FROM second_factors f WHERE f.user_id = u.id AND f.kind = 'email') AS has_email_code, \
           (SELECT COUNT(*) FROM second_factors f WHERE f.user_id = u.id AND f.kind = 'totp') AS has_authenticator \
         FROM users u WHERE u.org_id = $1 ORDER BY u.email",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await?)
}

/// A user's display name, if they gave one.
pub async fn name_of(conn: &mut Conn, id: i64) -> Result<Option<String>> {
    let name: Option<Option<String>> =
        sqlx::query_scalar("SELECT name FROM users WHERE id = $1").bind(id).fetch_optional(conn).await?;
    Ok(name.flatten())
}

/// Sets (or clears) a user's display name.
pub async fn set_name(conn: &mut Conn, id: i64, name: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE users SET name = $1 WHERE id = $2").bind(name).bind(id).execute(conn).await?;
    Ok(())
}
