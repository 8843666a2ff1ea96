//! Users: members and admins of an organization, with their password hash and email status.

use super::bulk::Value;
use super::conn::query;
use super::{on_unique, Conn, Result};
use crate::domain::account::Role;

#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: i64,
    pub org_id: i64,
    pub email: String,
    pub role: Role,
    pub password_hash: Option<String>,
    pub email_verified_at: Option<i64>,
    pub created_at: i64,
    pub last_sign_in_at: Option<i64>,
    pub disabled_at: Option<i64>,
    /// The member's own language and time zone (None: the organization's).
    pub language: Option<String>,
    pub time_zone: Option<String>,
}

impl crate::store::conn::FromRow for UserRow {
    fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            org_id: r.get("org_id")?,
            email: r.get("email")?,
            role: r.get("role")?,
            password_hash: r.get("password_hash")?,
            email_verified_at: r.get("email_verified_at")?,
            created_at: r.get("created_at")?,
            last_sign_in_at: r.get("last_sign_in_at")?,
            disabled_at: r.get("disabled_at")?,
            language: r.get("language")?,
            time_zone: r.get("time_zone")?,
        })
    }
}

pub const COLUMNS: &str =
    "id, org_id, email, role, password_hash, email_verified_at, created_at, last_sign_in_at, disabled_at, \
     language, time_zone";

pub struct NewUser<'a> {
    pub org_id: i64,
    pub email: &'a str,
    pub role: Role,
    pub password_hash: Option<&'a str>,
    pub email_verified_at: Option<i64>,
}

/// Inserts many users with the ids given (a fresh database: nothing is read back).
pub fn insert_many(conn: &mut Conn, users: &[(i64, NewUser<'_>)], now: i64) -> Result<()> {
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
    super::bulk::insert(conn, "users", &cols, &rows)
}

/// A user's subject identifier for applications: 128 random bits, never the email or the id.
fn new_subject() -> String {
    crate::secrets::random_hex(16)
}

pub fn insert(conn: &mut Conn, u: NewUser<'_>, now: i64) -> Result<i64> {
    let r = query(
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
    .scalar(conn);
    on_unique(r, "email")
}

pub fn by_email(conn: &mut Conn, email: &str) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email = $1");
    query(&sql).bind(email).fetch_optional(conn)
}

pub fn by_id(conn: &mut Conn, id: i64) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    query(&sql).bind(id).fetch_optional(conn)
}

pub fn set_password(conn: &mut Conn, id: i64, hash: &str) -> Result<()> {
    query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(hash).bind(id).execute(conn)?;
    Ok(())
}

/// Marks the email verified; returns false when it already was.
pub fn mark_verified(conn: &mut Conn, id: i64, now: i64) -> Result<bool> {
    let r = query("UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(conn)?;
    Ok(r == 1)
}

/// Whether the user must choose a new password before signing in again ("This wasn't me").
///
/// On PostgreSQL the row stays locked until the caller's transaction ends, so a sign-in and a
/// report of "This wasn't me" happen one after the other (SQLite's one writer does that already).
pub fn must_reset_password(conn: &mut Conn, id: i64) -> Result<bool> {
    let lock = if conn.dialect() == super::Dialect::Postgres { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT must_reset_password FROM users WHERE id = $1{lock}");
    let v: Option<i64> = query(&sql).bind(id).scalar_optional(conn)?;
    Ok(v.unwrap_or(0) != 0)
}

pub fn set_must_reset_password(conn: &mut Conn, id: i64, must: bool) -> Result<()> {
    query("UPDATE users SET must_reset_password = $2 WHERE id = $1").bind(id).bind(i64::from(must)).execute(conn)?;
    Ok(())
}

pub fn record_sign_in(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2").bind(now).bind(id).execute(conn)?;
    Ok(())
}

pub fn set_role(conn: &mut Conn, id: i64, role: Role) -> Result<()> {
    query("UPDATE users SET role = $2 WHERE id = $1").bind(id).bind(role.as_str()).execute(conn)?;
    Ok(())
}

pub fn set_disabled(conn: &mut Conn, id: i64, disabled_at: Option<i64>) -> Result<()> {
    query("UPDATE users SET disabled_at = $2 WHERE id = $1").bind(id).bind(disabled_at).execute(conn)?;
    Ok(())
}

/// The organization's admins who are not disabled.
pub fn active_admins(conn: &mut Conn, org_id: i64) -> Result<Vec<UserRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM users WHERE org_id = $1 AND role = 'admin' AND disabled_at IS NULL ORDER BY id");
    query(&sql).bind(org_id).fetch_all(conn)
}

/// Admins of the organization who are not disabled.
pub fn count_active_admins(conn: &mut Conn, org_id: i64) -> Result<i64> {
    query("SELECT COUNT(*) FROM users WHERE org_id = $1 AND role = 'admin' AND disabled_at IS NULL")
        .bind(org_id)
        .scalar(conn)
}

/// A member as the members page lists them, with their second factors.
#[derive(Debug, Clone)]
pub struct MemberRow {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub email_verified_at: Option<i64>,
    pub last_sign_in_at: Option<i64>,
    pub disabled_at: Option<i64>,
    pub has_email_code: i64,
    pub has_authenticator: i64,
    pub has_security_key: i64,
}

impl crate::store::conn::FromRow for MemberRow {
    fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            email: r.get("email")?,
            role: r.get("role")?,
            email_verified_at: r.get("email_verified_at")?,
            last_sign_in_at: r.get("last_sign_in_at")?,
            disabled_at: r.get("disabled_at")?,
            has_email_code: r.get("has_email_code")?,
            has_authenticator: r.get("has_authenticator")?,
            has_security_key: r.get("has_security_key")?,
        })
    }
}

impl MemberRow {
    pub fn factors(&self) -> crate::domain::factor::Factors {
        let (email_code, authenticator) = (self.has_email_code > 0, self.has_authenticator > 0);
        let security_key = self.has_security_key > 0;
        let recovery_key = email_code || authenticator || security_key;
        crate::domain::factor::Factors { email_code, authenticator, security_key, recovery_key }
    }
}

/// Every member of an organization, by email.
pub fn members(conn: &mut Conn, org_id: i64) -> Result<Vec<MemberRow>> {
    query(
        "SELECT u.id, u.email, u.role, u.email_verified_at, u.last_sign_in_at, u.disabled_at, \
           (SELECT COUNT(*) FROM second_factors f WHERE f.user_id = u.id AND f.kind = 'email') AS has_email_code, \
           (SELECT COUNT(*) FROM second_factors f WHERE f.user_id = u.id AND f.kind = 'totp') AS has_authenticator, \
           (SELECT COUNT(*) FROM security_keys k WHERE k.user_id = u.id) AS has_security_key \
         FROM users u WHERE u.org_id = $1 ORDER BY u.email",
    )
    .bind(org_id)
    .fetch_all(conn)
}

/// A user's display name, if they gave one.
pub fn name_of(conn: &mut Conn, id: i64) -> Result<Option<String>> {
    let name: Option<Option<String>> = query("SELECT name FROM users WHERE id = $1").bind(id).scalar_optional(conn)?;
    Ok(name.flatten())
}

/// Sets (or clears) a user's display name.
pub fn set_name(conn: &mut Conn, id: i64, name: Option<&str>) -> Result<()> {
    query("UPDATE users SET name = $1 WHERE id = $2").bind(name).bind(id).execute(conn)?;
    Ok(())
}

/// The member's own language and time zone (None: the organization's).
pub fn set_locale(conn: &mut Conn, id: i64, language: Option<&str>, time_zone: Option<&str>) -> Result<()> {
    query("UPDATE users SET language = $1, time_zone = $2 WHERE id = $3")
        .bind(language)
        .bind(time_zone)
        .bind(id)
        .execute(conn)?;
    Ok(())
}

/// What a person reads in, by their email: their own language and zone, then their
/// organization's (None for an unknown email).
pub type LocaleRow = (Option<String>, Option<String>, Option<String>, String);

pub fn locale_of(conn: &mut Conn, email: &str) -> Result<Option<LocaleRow>> {
    let row = query(
        "SELECT u.language, u.time_zone, o.language AS org_language, o.time_zone AS org_time_zone \
         FROM users u JOIN organizations o ON o.id = u.org_id WHERE u.email = $1",
    )
    .bind(email)
    .fetch_optional::<LocaleFields>(conn)?;
    Ok(row.map(|r| (r.0, r.1, r.2, r.3)))
}

struct LocaleFields(Option<String>, Option<String>, Option<String>, String);

impl crate::store::conn::FromRow for LocaleFields {
    fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
        Ok(Self(r.get("language")?, r.get("time_zone")?, r.get("org_language")?, r.get("org_time_zone")?))
    }
}
