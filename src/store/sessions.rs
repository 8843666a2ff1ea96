//! Sessions of signed-in users, found by the hash of their cookie token.

use super::conn::query;
use super::orgs::OrgRow;
use super::users::UserRow;
use super::{Conn, Result};
use crate::domain::authn::Authn;
use crate::domain::factor::Factors;

#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: i64,
    pub user_id: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub ip: String,
    pub user_agent: String,
    /// How it was signed in.
    pub authn: Authn,
    /// Where the person goes once a set-up that holds them is done (sealed), if anywhere.
    pub continue_to: Option<String>,
}

crate::from_row!(SessionRow { id, user_id, created_at, last_seen_at, ip, user_agent, authn, continue_to });

const COLUMNS: &str = "id, user_id, created_at, last_seen_at, ip, user_agent, authn, continue_to";

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub ip: &'a str,
    pub user_agent: &'a str,
    pub authn: Authn,
    pub continue_to: Option<&'a str>,
    /// The hash of the forward-auth cookie's token, when there is a cookie domain.
    pub forward_hash: Option<&'a str>,
}

/// Inserts many sessions, started and last seen at `now`.
pub fn insert_many(conn: &mut Conn, sessions: &[NewSession<'_>], now: i64) -> Result<()> {
    let cols = ["token_hash", "user_id", "created_at", "last_seen_at", "ip", "user_agent", "authn", "forward_hash"];
    let rows: Vec<Vec<super::bulk::Value>> = sessions
        .iter()
        .map(|s| {
            let (hash, user, ip, ua) = (s.token_hash, s.user_id, s.ip, s.user_agent);
            let (authn, forward) = (s.authn.as_str(), s.forward_hash);
            vec![hash.into(), user.into(), now.into(), now.into(), ip.into(), ua.into(), authn.into(), forward.into()]
        })
        .collect();
    super::bulk::insert(conn, "sessions", &cols, &rows)
}

pub fn insert(conn: &mut Conn, s: NewSession<'_>, now: i64) -> Result<i64> {
    query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip, user_agent, authn, continue_to, \
           forward_hash) VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(s.token_hash)
    .bind(s.user_id)
    .bind(now)
    .bind(s.ip)
    .bind(s.user_agent)
    .bind(s.authn.as_str())
    .bind(s.continue_to)
    .bind(s.forward_hash)
    .scalar(conn)
}

pub fn by_token_hash(conn: &mut Conn, token_hash: &str) -> Result<Option<SessionRow>> {
    let sql = format!("SELECT {COLUMNS} FROM sessions WHERE token_hash = $1");
    query(&sql).bind(token_hash).fetch_optional(conn)
}

/// Everything a signed-in request needs, read in one statement: the session, its user and
/// organization, the user's second factors and when the Recovery Key was made.
pub struct SignedInRows {
    pub session: SessionRow,
    pub user: UserRow,
    pub org: OrgRow,
    pub factors: Factors,
    pub recovery_key_created: Option<i64>,
    /// The user's subject identifier for applications, and display name.
    pub subject: String,
    pub name: Option<String>,
}

/// The session's own columns keep their names; the user's and organization's that would clash
/// are renamed in `SIGNED_IN`.
impl crate::store::conn::FromRow for SignedInRows {
    fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
        let session = SessionRow::from_row(r)?;
        let recovery_key_created: Option<i64> = r.get("recovery_key_created")?;
        Ok(SignedInRows {
            user: UserRow {
                id: session.user_id,
                org_id: r.get("org_id")?,
                email: r.get("email")?,
                role: r.get("role")?,
                password_hash: r.get("password_hash")?,
                email_verified_at: r.get("email_verified_at")?,
                created_at: r.get("user_created_at")?,
                last_sign_in_at: r.get("last_sign_in_at")?,
                disabled_at: r.get("disabled_at")?,
                language: r.get("language")?,
                time_zone: r.get("time_zone")?,
            },
            org: OrgRow {
                id: r.get("org_id")?,
                name: r.get("org_name")?,
                domain: r.get("org_domain")?,
                created_at: r.get("org_created_at")?,
                require_2fa_since: r.get("require_2fa_since")?,
                grace_days: r.get("grace_days")?,
                allowed_methods: r.get("allowed_methods")?,
                admin_keys_since: r.get("admin_keys_since")?,
                language: r.get("org_language")?,
                time_zone: r.get("org_time_zone")?,
                remember_days: r.get("remember_days")?,
            },
            factors: Factors {
                email_code: r.get::<i64>("has_email")? != 0,
                authenticator: r.get::<i64>("has_totp")? != 0,
                security_key: r.get::<i64>("has_key")? != 0,
                recovery_key: recovery_key_created.is_some(),
            },
            recovery_key_created,
            subject: r.get("subject")?,
            name: r.get("name")?,
            session,
        })
    }
}

/// The session a cookie token belongs to, with everything a signed-in request needs.
pub fn signed_in(conn: &mut Conn, token_hash: &str) -> Result<Option<SignedInRows>> {
    signed_in_where(conn, "s.token_hash", token_hash)
}

/// The same, found by the hash of its forward-auth cookie's token.
pub fn signed_in_forward(conn: &mut Conn, forward_hash: &str) -> Result<Option<SignedInRows>> {
    signed_in_where(conn, "s.forward_hash", forward_hash)
}

const SIGNED_IN: &str = "SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.ip, s.user_agent, s.authn, \
       s.continue_to, u.org_id, u.email, u.role, u.password_hash, u.email_verified_at, \
       u.created_at AS user_created_at, u.last_sign_in_at, u.disabled_at, u.subject, u.name, \
       u.language, u.time_zone, o.language AS org_language, o.time_zone AS org_time_zone, \
       o.name AS org_name, o.domain AS org_domain, o.created_at AS org_created_at, o.require_2fa_since, \
       o.grace_days, o.allowed_methods, o.admin_keys_since, o.remember_days, \
       CAST(CASE WHEN EXISTS (SELECT 1 FROM security_keys k WHERE k.user_id = u.id) \
         THEN 1 ELSE 0 END AS BIGINT) AS has_key, \
       CAST(CASE WHEN EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id AND f.kind = 'email') \
         THEN 1 ELSE 0 END AS BIGINT) AS has_email, \
       CAST(CASE WHEN EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id AND f.kind = 'totp') \
         THEN 1 ELSE 0 END AS BIGINT) AS has_totp, \
       (SELECT r.created_at FROM recovery_keys r WHERE r.user_id = u.id) AS recovery_key_created \
     FROM sessions s JOIN users u ON u.id = s.user_id JOIN organizations o ON o.id = u.org_id";

fn signed_in_where(conn: &mut Conn, column: &'static str, hash: &str) -> Result<Option<SignedInRows>> {
    let sql = format!("{SIGNED_IN} WHERE {column} = $1");
    query(&sql).bind(hash).fetch_optional(conn)
}

/// Records activity of many sessions in the caller's transaction; never moves a time back.
pub fn touch_many(conn: &mut Conn, seen: &[(i64, i64)]) -> Result<()> {
    for (id, at) in seen {
        query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $1")
            .bind(at)
            .bind(id)
            .execute(&mut *conn)?;
    }
    Ok(())
}

pub fn for_user(conn: &mut Conn, user_id: i64) -> Result<Vec<SessionRow>> {
    let sql = format!("SELECT {COLUMNS} FROM sessions WHERE user_id = $1 ORDER BY last_seen_at DESC");
    query(&sql).bind(user_id).fetch_all(conn)
}

/// Records that the session's person proved a second factor (set one up in it): applications
/// that ask for two factors accept it from now on.
pub fn set_authn(conn: &mut Conn, id: i64, authn: Authn) -> Result<()> {
    query("UPDATE sessions SET authn = $1 WHERE id = $2").bind(authn.as_str()).bind(id).execute(conn)?;
    Ok(())
}

/// Sets (or clears) where the session's person goes once the set-up that holds them is done.
pub fn set_continue(conn: &mut Conn, id: i64, continue_to: Option<&str>) -> Result<()> {
    query("UPDATE sessions SET continue_to = $1 WHERE id = $2").bind(continue_to).bind(id).execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut Conn, id: i64) -> Result<()> {
    query("DELETE FROM sessions WHERE id = $1").bind(id).execute(conn)?;
    Ok(())
}

/// Ends every session of the user except `keep` (none when `keep` is `None`); returns how many.
pub fn delete_for_user(conn: &mut Conn, user_id: i64, keep: Option<i64>) -> Result<u64> {
    let r = query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(-1))
        .execute(conn)?;
    Ok(r)
}

/// Removes sessions that can no longer be valid.
pub fn delete_expired(conn: &mut Conn, idle_before: i64, created_before: i64) -> Result<u64> {
    let r = query("DELETE FROM sessions WHERE last_seen_at <= $1 OR created_at <= $2")
        .bind(idle_before)
        .bind(created_before)
        .execute(conn)?;
    Ok(r)
}
