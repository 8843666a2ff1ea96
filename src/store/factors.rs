//! Second factors and the Recovery Key of each user.

use super::conn::query;
use super::{Conn, Result};
use crate::domain::factor::{FactorKind, Factors};

pub fn of_user(conn: &mut Conn, user_id: i64) -> Result<Factors> {
    let kinds: Vec<String> =
        query("SELECT kind FROM second_factors WHERE user_id = $1").bind(user_id).scalars(&mut *conn)?;
    let key: Option<i64> =
        query("SELECT created_at FROM recovery_keys WHERE user_id = $1").bind(user_id).scalar_optional(conn)?;
    let keys: i64 = query("SELECT COUNT(*) FROM security_keys WHERE user_id = $1").bind(user_id).scalar(&mut *conn)?;
    Ok(Factors::from_kinds(kinds.iter().map(String::as_str), keys > 0, key.is_some()))
}

/// When the user's Recovery Key was created, if they have one.
pub fn recovery_key_created(conn: &mut Conn, user_id: i64) -> Result<Option<i64>> {
    query("SELECT created_at FROM recovery_keys WHERE user_id = $1").bind(user_id).scalar_optional(conn)
}

/// Gives many users a factor (with its sealed secret, for an app) and a Recovery Key (its
/// keyed hash), in a fresh database.
pub fn add_many(conn: &mut Conn, rows: &[(i64, FactorKind, Option<String>, String)], now: i64) -> Result<()> {
    let factor_rows: Vec<Vec<super::bulk::Value>> = rows
        .iter()
        .map(|(id, kind, secret, _)| vec![(*id).into(), kind.as_str().into(), now.into(), secret.as_deref().into()])
        .collect();
    super::bulk::insert(conn, "second_factors", &["user_id", "kind", "created_at", "secret"], &factor_rows)?;
    let key_rows: Vec<Vec<super::bulk::Value>> =
        rows.iter().map(|(id, _, _, key_hash)| vec![(*id).into(), key_hash.as_str().into(), now.into()]).collect();
    super::bulk::insert(conn, "recovery_keys", &["user_id", "key_hash", "created_at"], &key_rows)
}

/// Adds a factor; returns false if the user already had it. An authenticator set-up in
/// progress ends: it was begun (and confirmed, or not) under the factors there were before.
pub fn add(conn: &mut Conn, user_id: i64, kind: FactorKind, now: i64) -> Result<bool> {
    query("DELETE FROM second_factors WHERE user_id = $1 AND kind = $2")
        .bind(user_id)
        .bind(FactorKind::AuthenticatorPending.as_str())
        .execute(&mut *conn)?;
    let r = query("INSERT INTO second_factors (user_id, kind, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(user_id)
        .bind(kind.as_str())
        .bind(now)
        .execute(conn)?;
    Ok(r == 1)
}

/// Removes every factor (security keys too) and the Recovery Key: two-factor authentication
/// is off.
pub fn remove_all(conn: &mut Conn, user_id: i64) -> Result<()> {
    query("DELETE FROM security_keys WHERE user_id = $1").bind(user_id).execute(&mut *conn)?;
    query("DELETE FROM second_factors WHERE user_id = $1").bind(user_id).execute(&mut *conn)?;
    query("DELETE FROM recovery_keys WHERE user_id = $1").bind(user_id).execute(conn)?;
    Ok(())
}

/// Sets (or replaces) the user's Recovery Key hash.
pub fn set_recovery_key(conn: &mut Conn, user_id: i64, key_hash: &str, now: i64) -> Result<()> {
    query(
        "INSERT INTO recovery_keys (user_id, key_hash, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET key_hash = excluded.key_hash, created_at = excluded.created_at",
    )
    .bind(user_id)
    .bind(key_hash)
    .bind(now)
    .execute(conn)?;
    Ok(())
}

pub fn recovery_key_hash(conn: &mut Conn, user_id: i64) -> Result<Option<String>> {
    query("SELECT key_hash FROM recovery_keys WHERE user_id = $1").bind(user_id).scalar_optional(conn)
}

/// Uses up the Recovery Key if it still has this hash (true for exactly one caller), and keeps
/// its hash as the user's last used key.
pub fn consume_recovery_key(conn: &mut Conn, user_id: i64, key_hash: &str, now: i64) -> Result<bool> {
    let r = query("DELETE FROM recovery_keys WHERE user_id = $1 AND key_hash = $2")
        .bind(user_id)
        .bind(key_hash)
        .execute(&mut *conn)?;
    if r != 1 {
        return Ok(false);
    }
    query(
        "INSERT INTO used_recovery_keys (user_id, key_hash, used_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET key_hash = excluded.key_hash, used_at = excluded.used_at",
    )
    .bind(user_id)
    .bind(key_hash)
    .bind(now)
    .execute(conn)?;
    Ok(true)
}

/// The hash of the Recovery Key the user used last, if it was used after `since`.
pub fn used_recovery_key(conn: &mut Conn, user_id: i64, since: i64) -> Result<Option<String>> {
    query("SELECT key_hash FROM used_recovery_keys WHERE user_id = $1 AND used_at > $2")
        .bind(user_id)
        .bind(since)
        .scalar_optional(conn)
}

/// An authenticator app's encrypted secret, the last time step accepted from it, and when it
/// was stored (a set-up's start).
#[derive(Debug, Clone)]
pub struct TotpRow {
    pub secret: Option<String>,
    pub last_step: Option<i64>,
    pub created_at: i64,
}

impl crate::store::conn::FromRow for TotpRow {
    fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
        Ok(Self { secret: r.get("secret")?, last_step: r.get("last_step")?, created_at: r.get("created_at")? })
    }
}

/// The secret of the app (`AuthenticatorApp`) or of its set-up (`AuthenticatorPending`).
pub fn totp(conn: &mut Conn, user_id: i64, kind: FactorKind) -> Result<Option<TotpRow>> {
    query("SELECT secret, last_step, created_at FROM second_factors WHERE user_id = $1 AND kind = $2")
        .bind(user_id)
        .bind(kind.as_str())
        .fetch_optional(conn)
}

/// Starts a set-up: a pending secret (replacing an earlier unfinished one). It lets nobody in.
pub fn set_totp_pending(conn: &mut Conn, user_id: i64, secret: &str, now: i64) -> Result<()> {
    query(
        "INSERT INTO second_factors (user_id, kind, created_at, secret) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, kind) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at",
    )
    .bind(user_id)
    .bind(FactorKind::AuthenticatorPending.as_str())
    .bind(now)
    .bind(secret)
    .execute(conn)?;
    Ok(())
}

/// Makes the pending secret the active one (replacing an older app), with its first step used.
/// False if the pending set-up was gone (finished or replaced meanwhile).
pub fn activate_totp(conn: &mut Conn, user_id: i64, secret: &str, step: i64, now: i64) -> Result<bool> {
    let r = query("DELETE FROM second_factors WHERE user_id = $1 AND kind = $2 AND secret = $3")
        .bind(user_id)
        .bind(FactorKind::AuthenticatorPending.as_str())
        .bind(secret)
        .execute(&mut *conn)?;
    if r != 1 {
        return Ok(false);
    }
    query(
        "INSERT INTO second_factors (user_id, kind, created_at, secret, last_step) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, kind) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, \
           last_step = excluded.last_step",
    )
    .bind(user_id)
    .bind(FactorKind::AuthenticatorApp.as_str())
    .bind(now)
    .bind(secret)
    .bind(step)
    .execute(conn)?;
    Ok(true)
}

/// Records `step` as used if it is later than the last one; true for exactly one caller per step.
pub fn advance_totp_step(conn: &mut Conn, user_id: i64, step: i64) -> Result<bool> {
    let r = query(
        "UPDATE second_factors SET last_step = $3 WHERE user_id = $1 AND kind = $2 AND (last_step IS NULL OR last_step < $3)",
    )
    .bind(user_id)
    .bind(FactorKind::AuthenticatorApp.as_str())
    .bind(step)
    .execute(conn)
    ?;
    Ok(r == 1)
}

/// Removes the authenticator app (and any unfinished set-up).
pub fn remove_totp(conn: &mut Conn, user_id: i64) -> Result<()> {
    query("DELETE FROM second_factors WHERE user_id = $1 AND kind IN ($2, $3)")
        .bind(user_id)
        .bind(FactorKind::AuthenticatorApp.as_str())
        .bind(FactorKind::AuthenticatorPending.as_str())
        .execute(conn)?;
    Ok(())
}
