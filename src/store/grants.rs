//! What applications hold: authorization codes, grants (what one code led to) and their access
//! and refresh tokens, each stored as its hash. Single use is one conditional UPDATE, so a code
//! or a refresh token works once however many processes race for it.

use super::conn::query;
use super::{Conn, Result};
use crate::domain::factor::Factors;
use crate::domain::policy::{Methods, Policy};

/// A code as issued.
pub struct NewCode<'a> {
    pub code_hash: &'a str,
    pub application_id: i64,
    pub user_id: i64,
    pub session_id: i64,
    pub redirect_uri: &'a str,
    pub scope: &'a str,
    pub nonce: Option<&'a str>,
    pub code_challenge: Option<&'a str>,
    pub auth_time: i64,
    pub authn: &'a str,
    pub expires_at: i64,
}

/// A code taken for its one use.
#[derive(Debug, Clone)]
pub struct CodeRow {
    pub code_hash: String,
    pub application_id: i64,
    pub user_id: i64,
    pub session_id: i64,
    pub redirect_uri: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub auth_time: i64,
    pub authn: String,
}

impl crate::store::conn::FromRow for CodeRow {
    fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
        Ok(Self {
            code_hash: r.get("code_hash")?,
            application_id: r.get("application_id")?,
            user_id: r.get("user_id")?,
            session_id: r.get("session_id")?,
            redirect_uri: r.get("redirect_uri")?,
            scope: r.get("scope")?,
            nonce: r.get("nonce")?,
            code_challenge: r.get("code_challenge")?,
            auth_time: r.get("auth_time")?,
            authn: r.get("authn")?,
        })
    }
}

pub fn insert_code(conn: &mut Conn, c: &NewCode<'_>, now: i64) -> Result<()> {
    query(
        "INSERT INTO oauth_codes (code_hash, application_id, user_id, session_id, redirect_uri, scope, nonce, \
           code_challenge, auth_time, authn, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(c.code_hash)
    .bind(c.application_id)
    .bind(c.user_id)
    .bind(c.session_id)
    .bind(c.redirect_uri)
    .bind(c.scope)
    .bind(c.nonce)
    .bind(c.code_challenge)
    .bind(c.auth_time)
    .bind(c.authn)
    .bind(now)
    .bind(c.expires_at)
    .execute(conn)?;
    Ok(())
}

/// Stores many codes at once (the benchmark's seeding).
pub fn insert_codes_many(conn: &mut Conn, codes: &[NewCode<'_>], now: i64) -> Result<()> {
    let cols = [
        "code_hash",
        "application_id",
        "user_id",
        "session_id",
        "redirect_uri",
        "scope",
        "nonce",
        "code_challenge",
        "auth_time",
        "authn",
        "created_at",
        "expires_at",
    ];
    let rows: Vec<Vec<super::bulk::Value>> = codes
        .iter()
        .map(|c| {
            vec![
                c.code_hash.into(),
                c.application_id.into(),
                c.user_id.into(),
                c.session_id.into(),
                c.redirect_uri.into(),
                c.scope.into(),
                c.nonce.into(),
                c.code_challenge.into(),
                c.auth_time.into(),
                c.authn.into(),
                now.into(),
                c.expires_at.into(),
            ]
        })
        .collect();
    super::bulk::insert(conn, "oauth_codes", &cols, &rows)
}

/// Takes a code of the application for its one use: None when it is unknown (or another
/// application's: that one's code stays usable), used or expired.
pub fn take_code(conn: &mut Conn, code_hash: &str, application_id: i64, now: i64) -> Result<Option<CodeRow>> {
    query(
        "UPDATE oauth_codes SET used_at = $2 WHERE code_hash = $1 AND application_id = $3 AND used_at IS NULL \
         AND expires_at > $2 \
         RETURNING code_hash, application_id, user_id, session_id, redirect_uri, scope, nonce, code_challenge, \
           auth_time, authn",
    )
    .bind(code_hash)
    .bind(now)
    .bind(application_id)
    .fetch_optional(conn)
}

/// Whether a code of the application exists and was used already (a second use).
pub fn code_was_used(conn: &mut Conn, code_hash: &str, application_id: i64) -> Result<bool> {
    let used: Option<Option<i64>> =
        query("SELECT used_at FROM oauth_codes WHERE code_hash = $1 AND application_id = $2")
            .bind(code_hash)
            .bind(application_id)
            .scalar_optional(conn)?;
    Ok(matches!(used, Some(Some(_))))
}

/// A grant as created from a code.
pub struct NewGrant<'a> {
    pub application_id: i64,
    pub user_id: i64,
    pub session_id: i64,
    pub offline: bool,
    pub code_hash: &'a str,
    pub scope: &'a str,
    pub auth_time: i64,
    pub authn: &'a str,
}

pub fn insert_grant(conn: &mut Conn, g: &NewGrant<'_>, now: i64) -> Result<i64> {
    query(
        "INSERT INTO oauth_grants (application_id, user_id, session_id, offline, code_hash, scope, auth_time, \
           authn, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(g.application_id)
    .bind(g.user_id)
    .bind(g.session_id)
    .bind(i64::from(g.offline))
    .bind(g.code_hash)
    .bind(g.scope)
    .bind(g.auth_time)
    .bind(g.authn)
    .bind(now)
    .scalar(conn)
}

/// The kind of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Access,
    Refresh,
}

impl TokenKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Access => "access",
            TokenKind::Refresh => "refresh",
        }
    }
}

pub fn insert_token(
    conn: &mut Conn,
    token_hash: &str,
    grant_id: i64,
    kind: TokenKind,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    query("INSERT INTO oauth_tokens (token_hash, grant_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(token_hash)
        .bind(grant_id)
        .bind(kind.as_str())
        .bind(now)
        .bind(expires_at)
        .execute(conn)?;
    Ok(())
}

/// Stores a new access token and refresh token of a grant, in one statement: (hash, expiry) each,
/// and the access token's scope when it is narrower than the grant's.
pub fn insert_token_pair(
    conn: &mut Conn,
    grant_id: i64,
    (access, scope): ((&str, i64), Option<&str>),
    refresh: (&str, i64),
    now: i64,
) -> Result<()> {
    query(
        "INSERT INTO oauth_tokens (token_hash, grant_id, kind, created_at, expires_at, scope) \
         VALUES ($1, $3, 'access', $5, $2, $7), ($4, $3, 'refresh', $5, $6, NULL)",
    )
    .bind(access.0)
    .bind(access.1)
    .bind(grant_id)
    .bind(refresh.0)
    .bind(now)
    .bind(refresh.1)
    .bind(scope)
    .execute(conn)?;
    Ok(())
}

/// Takes a refresh token of the application for its one use (rotation): its grant, or None
/// when it is unknown (or another application's), used, expired, or its grant was revoked.
pub fn take_refresh(conn: &mut Conn, token_hash: &str, application_id: i64, now: i64) -> Result<Option<i64>> {
    query(
        "UPDATE oauth_tokens SET used_at = $2 WHERE token_hash = $1 AND kind = 'refresh' AND used_at IS NULL \
         AND expires_at > $2 \
         AND grant_id IN (SELECT id FROM oauth_grants WHERE revoked_at IS NULL AND application_id = $3) \
         RETURNING grant_id",
    )
    .bind(token_hash)
    .bind(now)
    .bind(application_id)
    .scalar_optional(conn)
}

/// The grant of the application's refresh token that was used already (a second use), if it
/// is one.
pub fn reused_refresh(conn: &mut Conn, token_hash: &str, application_id: i64) -> Result<Option<i64>> {
    query(
        "SELECT t.grant_id FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id \
         WHERE t.token_hash = $1 AND t.kind = 'refresh' AND t.used_at IS NOT NULL AND g.application_id = $2",
    )
    .bind(token_hash)
    .bind(application_id)
    .scalar_optional(conn)
}

/// A grant with what a token response or a check of it needs: the application, the user and
/// organization, and the session it came from (None when that session has ended).
#[derive(Debug, Clone)]
pub struct GrantView {
    pub grant_id: i64,
    pub application_id: i64,
    pub client_id: String,
    pub id_token_alg: String,
    pub user_id: i64,
    pub session_id: i64,
    pub offline: i64,
    pub scope: String,
    pub auth_time: i64,
    pub authn: String,
    pub revoked_at: Option<i64>,
    pub subject: String,
    pub email: String,
    pub email_verified_at: Option<i64>,
    pub name: Option<String>,
    pub disabled_at: Option<i64>,
    pub org_id: i64,
    pub org_name: String,
    pub org_domain: String,
    pub session_created_at: Option<i64>,
    pub session_last_seen_at: Option<i64>,
    /// The application's "Require two-factor authentication", and whether it is third-party.
    pub app_require_2fa: i64,
    pub app_third_party: i64,
    /// The organization's policy, and the member's factors, to tell whether the policy now
    /// holds the member to the set-up.
    pub require_2fa_since: Option<i64>,
    pub grace_days: i64,
    pub allowed_methods: String,
    pub admin_keys_since: Option<i64>,
    pub role: crate::domain::account::Role,
    pub has_email: i64,
    pub has_totp: i64,
    pub has_key: i64,
}

impl crate::store::conn::FromRow for GrantView {
    fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
        Ok(Self {
            grant_id: r.get("grant_id")?,
            application_id: r.get("application_id")?,
            client_id: r.get("client_id")?,
            id_token_alg: r.get("id_token_alg")?,
            user_id: r.get("user_id")?,
            session_id: r.get("session_id")?,
            offline: r.get("offline")?,
            scope: r.get("scope")?,
            auth_time: r.get("auth_time")?,
            authn: r.get("authn")?,
            revoked_at: r.get("revoked_at")?,
            subject: r.get("subject")?,
            email: r.get("email")?,
            email_verified_at: r.get("email_verified_at")?,
            name: r.get("name")?,
            disabled_at: r.get("disabled_at")?,
            org_id: r.get("org_id")?,
            org_name: r.get("org_name")?,
            org_domain: r.get("org_domain")?,
            session_created_at: r.get("session_created_at")?,
            session_last_seen_at: r.get("session_last_seen_at")?,
            app_require_2fa: r.get("app_require_2fa")?,
            app_third_party: r.get("app_third_party")?,
            require_2fa_since: r.get("require_2fa_since")?,
            grace_days: r.get("grace_days")?,
            allowed_methods: r.get("allowed_methods")?,
            admin_keys_since: r.get("admin_keys_since")?,
            role: r.get("role")?,
            has_email: r.get("has_email")?,
            has_totp: r.get("has_totp")?,
            has_key: r.get("has_key")?,
        })
    }
}

impl GrantView {
    /// The organization's policy, as stored.
    pub fn policy(&self) -> Policy {
        Policy {
            required_since: self.require_2fa_since,
            grace_days: self.grace_days,
            methods: Methods::parse(&self.allowed_methods).unwrap_or(Methods::ALL),
            admin_keys_since: self.admin_keys_since,
        }
    }

    /// The member's second factors (the Recovery Key is not one).
    pub fn factors(&self) -> Factors {
        Factors {
            email_code: self.has_email != 0,
            authenticator: self.has_totp != 0,
            security_key: self.has_key != 0,
            recovery_key: false,
        }
    }
}

const VIEW: &str = "SELECT g.id AS grant_id, g.application_id, a.client_id, a.id_token_alg, g.user_id, g.session_id, \
      g.offline, g.scope, g.auth_time, g.authn, g.revoked_at, u.subject, u.email, u.email_verified_at, u.name, \
      u.disabled_at, o.id AS org_id, o.name AS org_name, o.domain AS org_domain, \
      s.created_at AS session_created_at, s.last_seen_at AS session_last_seen_at, \
      a.require_2fa AS app_require_2fa, a.third_party AS app_third_party, \
      o.require_2fa_since, o.grace_days, o.allowed_methods, o.admin_keys_since, u.role, \
      CAST(CASE WHEN EXISTS (SELECT 1 FROM security_keys k WHERE k.user_id = u.id) \
        THEN 1 ELSE 0 END AS BIGINT) AS has_key, \
      CAST(CASE WHEN EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id AND f.kind = 'email') \
        THEN 1 ELSE 0 END AS BIGINT) AS has_email, \
      CAST(CASE WHEN EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = u.id AND f.kind = 'totp') \
        THEN 1 ELSE 0 END AS BIGINT) AS has_totp \
    FROM oauth_grants g JOIN applications a ON a.id = g.application_id JOIN users u ON u.id = g.user_id \
      JOIN organizations o ON o.id = u.org_id LEFT JOIN sessions s ON s.id = g.session_id";

pub fn grant(conn: &mut Conn, grant_id: i64) -> Result<Option<GrantView>> {
    let sql = format!("{VIEW} WHERE g.id = $1");
    query(&sql).bind(grant_id).fetch_optional(conn)
}

/// An access token as checked: its grant, when it was made and expires, and its scope (a refresh
/// may have narrowed it below the grant's).
pub struct AccessView {
    pub grant: GrantView,
    pub created_at: i64,
    pub expires_at: i64,
    pub scope: String,
}

/// The grant behind an access token that has not expired, in one statement.
pub fn by_access_token(conn: &mut Conn, token_hash: &str, now: i64) -> Result<Option<AccessView>> {
    struct Row {
        view: GrantView,
        token_created_at: i64,
        token_expires_at: i64,
        token_scope: String,
    }

    impl crate::store::conn::FromRow for Row {
        fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
            use crate::store::conn::FromRow;
            Ok(Self {
                view: FromRow::from_row(r)?,
                token_created_at: r.get("token_created_at")?,
                token_expires_at: r.get("token_expires_at")?,
                token_scope: r.get("token_scope")?,
            })
        }
    }
    let sql = VIEW.replacen(
        "SELECT ",
        "SELECT t.created_at AS token_created_at, t.expires_at AS token_expires_at, \
           COALESCE(t.scope, g.scope) AS token_scope, ",
        1,
    ) + " JOIN oauth_tokens t ON t.grant_id = g.id WHERE t.token_hash = $1 AND t.kind = 'access' AND t.expires_at > $2";
    let row: Option<Row> = query(&sql).bind(token_hash).bind(now).fetch_optional(conn)?;
    Ok(row.map(|r| AccessView {
        grant: r.view,
        created_at: r.token_created_at,
        expires_at: r.token_expires_at,
        scope: r.token_scope,
    }))
}

/// The grant of any token (access or refresh), for revocation: (grant, kind, client).
pub fn token_owner(conn: &mut Conn, token_hash: &str) -> Result<Option<(i64, String, String)>> {
    query(
        "SELECT t.grant_id, t.kind, a.client_id FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id \
         JOIN applications a ON a.id = g.application_id WHERE t.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
}

/// Deletes one token.
pub fn delete_token(conn: &mut Conn, token_hash: &str) -> Result<()> {
    query("DELETE FROM oauth_tokens WHERE token_hash = $1").bind(token_hash).execute(conn)?;
    Ok(())
}

/// Revokes a grant: every token of it stops working. True if it was not revoked before.
pub fn revoke(conn: &mut Conn, grant_id: i64, now: i64) -> Result<bool> {
    let r = query("UPDATE oauth_grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(grant_id)
        .bind(now)
        .execute(&mut *conn)?;
    query("DELETE FROM oauth_tokens WHERE grant_id = $1 AND used_at IS NULL").bind(grant_id).execute(conn)?;
    Ok(r == 1)
}

/// Revokes what a code issued (it was used a second time); how many grants.
pub fn revoke_by_code(conn: &mut Conn, code_hash: &str, now: i64) -> Result<u64> {
    let ids: Vec<i64> = query("SELECT id FROM oauth_grants WHERE code_hash = $1 AND revoked_at IS NULL")
        .bind(code_hash)
        .scalars(&mut *conn)?;
    for id in &ids {
        revoke(conn, *id, now)?;
    }
    Ok(ids.len() as u64)
}

/// Moves what applications hold from one session of a member to their new one (a new sign-in
/// in the same browser): its grants and the codes not used yet.
pub fn move_to_session(conn: &mut Conn, from: i64, to: i64) -> Result<()> {
    for sql in [
        "UPDATE oauth_grants SET session_id = $2 WHERE session_id = $1 AND revoked_at IS NULL",
        "UPDATE oauth_codes SET session_id = $2 WHERE session_id = $1 AND used_at IS NULL",
    ] {
        query(sql).bind(from).bind(to).execute(&mut *conn)?;
    }
    Ok(())
}

/// Which of a user's grants to revoke.
#[derive(Debug, Clone, Copy)]
pub enum Which {
    /// All of them.
    All,
    /// All but those of one session (the one that asked, e.g. "Sign out other sessions").
    AllBut { session_id: i64 },
    /// Those of one application (consent withdrawn).
    Application { application_id: i64 },
}

/// Revokes a user's grants, and the codes not used yet that would make new ones; how many
/// grants.
pub fn revoke_for_user(conn: &mut Conn, user_id: i64, which: Which, now: i64) -> Result<u64> {
    let (filter, arg) = match which {
        Which::All => ("", None),
        Which::AllBut { session_id } => (" AND session_id <> $2", Some(session_id)),
        Which::Application { application_id } => (" AND application_id = $2", Some(application_id)),
    };
    let codes = format!("DELETE FROM oauth_codes WHERE user_id = $1 AND used_at IS NULL{filter}");
    let mut q = query(&codes).bind(user_id);
    if let Some(a) = arg {
        q = q.bind(a);
    }
    q.execute(&mut *conn)?;
    let select = format!("SELECT id FROM oauth_grants WHERE user_id = $1 AND revoked_at IS NULL{filter}");
    let mut q = query(&select).bind(user_id);
    if let Some(a) = arg {
        q = q.bind(a);
    }
    let ids: Vec<i64> = q.scalars(&mut *conn)?;
    for id in &ids {
        revoke(conn, *id, now)?;
    }
    Ok(ids.len() as u64)
}

/// Removes what can no longer be used: codes and tokens expired `keep` seconds ago (used codes
/// and refresh tokens are kept that long, to recognise a second use), and grants revoked as
/// long ago.
pub fn delete_expired(conn: &mut Conn, now: i64, keep: i64) -> Result<u64> {
    let mut n = 0;
    for sql in [
        "DELETE FROM oauth_codes WHERE expires_at <= $1",
        "DELETE FROM oauth_tokens WHERE expires_at <= $1",
        "DELETE FROM oauth_grants WHERE revoked_at IS NOT NULL AND revoked_at <= $1",
    ] {
        n += query(sql).bind(now - keep).execute(&mut *conn)?;
    }
    Ok(n)
}
