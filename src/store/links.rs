//! Single-use link tokens, stored as hashes. Consuming one is a single conditional UPDATE, so a
//! link works once even when two requests (or two processes) race for it.

use super::conn::query;
use super::{Conn, Result};

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Setup,
    VerifyEmail,
    ResetPassword,
    Invite,
    /// "This wasn't me", in a new-device or unfinished sign-in alert.
    NotMe,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Setup => "setup",
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::Invite => "invite",
            Purpose::NotMe => "not_me",
        }
    }
}

pub fn insert(
    conn: &mut Conn,
    purpose: Purpose,
    token_hash: &str,
    user_id: Option<i64>,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    query("INSERT INTO link_tokens (token_hash, purpose, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(token_hash)
        .bind(purpose.as_str())
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(conn)?;
    Ok(())
}

/// The link's user (`Some(None)` for links without one) if the link is unused and unexpired.
pub fn peek(conn: &mut Conn, purpose: Purpose, token_hash: &str, now: i64) -> Result<Option<Option<i64>>> {
    query(
        "SELECT user_id FROM link_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .bind(now)
    .scalar_optional(conn)
}

/// Uses the link up: returns its user as `peek` does, or `None` if it was used, expired or unknown.
pub fn consume(conn: &mut Conn, purpose: Purpose, token_hash: &str, now: i64) -> Result<Option<Option<i64>>> {
    query(
        "UPDATE link_tokens SET used_at = $3 \
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING user_id",
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .bind(now)
    .scalar_optional(conn)
}

/// Retires the unused links of a purpose (of one user, or all links without a user).
pub fn revoke(conn: &mut Conn, purpose: Purpose, user_id: Option<i64>, now: i64) -> Result<()> {
    query(
        "UPDATE link_tokens SET used_at = $3 WHERE purpose = $1 AND used_at IS NULL \
         AND (user_id = $2 OR ($2 IS NULL AND user_id IS NULL))",
    )
    .bind(purpose.as_str())
    .bind(user_id)
    .bind(now)
    .execute(conn)?;
    Ok(())
}
