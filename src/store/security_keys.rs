//! Security keys and passkeys (WebAuthn): each user's registered credentials, their WebAuthn
//! user handle, and the ceremonies in progress. A ceremony's row is taken (deleted and read in
//! one statement) by the request that finishes it: a challenge is used at most once, whichever
//! process gets it first.

use super::conn::query;
use super::users::UserRow;
use super::{Conn, Result};

/// A registered key.
#[derive(Debug, Clone)]
pub struct KeyRow {
    pub id: i64,
    pub user_id: i64,
    pub credential_id: String,
    pub name: String,
    /// The library's credential, as JSON.
    pub passkey: String,
    pub counter: i64,
    pub backup_eligible: i64,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

crate::from_row!(KeyRow {
    id,
    user_id,
    credential_id,
    name,
    passkey,
    counter,
    backup_eligible,
    created_at,
    last_used_at
});

const COLUMNS: &str = "id, user_id, credential_id, name, passkey, counter, backup_eligible, created_at, last_used_at";

/// A user's keys, oldest first.
pub fn of_user(conn: &mut Conn, user_id: i64) -> Result<Vec<KeyRow>> {
    let sql = format!("SELECT {COLUMNS} FROM security_keys WHERE user_id = $1 ORDER BY created_at, id");
    query(&sql).bind(user_id).fetch_all(conn)
}

/// The key with this credential ID, whoever's it is.
pub fn by_credential(conn: &mut Conn, credential_id: &str) -> Result<Option<KeyRow>> {
    let sql = format!("SELECT {COLUMNS} FROM security_keys WHERE credential_id = $1");
    query(&sql).bind(credential_id).fetch_optional(conn)
}

/// What a new key is stored with.
pub struct NewKey<'a> {
    pub user_id: i64,
    pub credential_id: &'a str,
    pub name: &'a str,
    pub passkey: &'a str,
    pub counter: i64,
    pub backup_eligible: bool,
}

/// Registers a key; a credential ID registered before (to anyone) is a `Conflict`. The
/// conflict is an `ON CONFLICT DO NOTHING`, not a failed statement: on PostgreSQL a failed
/// statement would end the caller's transaction.
pub fn insert(conn: &mut Conn, k: &NewKey<'_>, now: i64) -> Result<i64> {
    let id: Option<i64> = query(
        "INSERT INTO security_keys (user_id, credential_id, name, passkey, counter, backup_eligible, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (credential_id) DO NOTHING RETURNING id",
    )
    .bind(k.user_id)
    .bind(k.credential_id)
    .bind(k.name)
    .bind(k.passkey)
    .bind(k.counter)
    .bind(k.backup_eligible)
    .bind(now)
    .scalar_optional(conn)?;
    id.ok_or(super::StoreError::Conflict("security key"))
}

/// Records a use: the credential as the library updated it and the new sign counter, only if
/// the counter is still the one the check read (two uses cannot both move it on from one
/// value). False: it moved meanwhile.
pub fn used(conn: &mut Conn, id: i64, passkey: &str, (was, now_counter): (i64, i64), at: i64) -> Result<bool> {
    let r =
        query("UPDATE security_keys SET passkey = $1, counter = $2, last_used_at = $3 WHERE id = $4 AND counter = $5")
            .bind(passkey)
            .bind(now_counter)
            .bind(at)
            .bind(id)
            .bind(was)
            .execute(conn)?;
    Ok(r == 1)
}

/// Renames one of the user's keys; false if it is not theirs (or gone).
pub fn rename(conn: &mut Conn, user_id: i64, id: i64, name: &str) -> Result<bool> {
    let r = query("UPDATE security_keys SET name = $1 WHERE id = $2 AND user_id = $3")
        .bind(name)
        .bind(id)
        .bind(user_id)
        .execute(conn)?;
    Ok(r == 1)
}

/// Removes one of the user's keys; false if it is not theirs (or gone).
pub fn remove(conn: &mut Conn, user_id: i64, id: i64) -> Result<bool> {
    let r = query("DELETE FROM security_keys WHERE id = $1 AND user_id = $2").bind(id).bind(user_id).execute(conn)?;
    Ok(r == 1)
}

/// The user's WebAuthn user handle (32 hex digits), made on first use. Two first uses at once
/// keep the first one written.
pub fn handle(conn: &mut Conn, user_id: i64, fresh: &str) -> Result<String> {
    query("UPDATE users SET webauthn_handle = $1 WHERE id = $2 AND webauthn_handle IS NULL")
        .bind(fresh)
        .bind(user_id)
        .execute(&mut *conn)?;
    query("SELECT webauthn_handle FROM users WHERE id = $1").bind(user_id).scalar(conn)
}

/// The user a discoverable credential's user handle names.
pub fn user_by_handle(conn: &mut Conn, handle: &str) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {} FROM users WHERE webauthn_handle = $1", super::users::COLUMNS);
    query(&sql).bind(handle).fetch_optional(conn)
}

/// A ceremony to store.
pub struct NewCeremony<'a> {
    pub id_hash: &'a str,
    pub purpose: &'a str,
    pub owner: &'a str,
    pub user_id: Option<i64>,
    pub state: &'a str,
    /// What the ceremony carries to its end (a new key's name).
    pub detail: Option<&'a str>,
    pub expires_at: i64,
}

/// Stores a ceremony; expired ones go first, so the table holds only live ceremonies.
pub fn begin(conn: &mut Conn, c: &NewCeremony<'_>, now: i64) -> Result<()> {
    query("DELETE FROM webauthn_challenges WHERE expires_at <= $1").bind(now).execute(&mut *conn)?;
    query(
        "INSERT INTO webauthn_challenges (id_hash, purpose, owner, user_id, state, detail, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(c.id_hash)
    .bind(c.purpose)
    .bind(c.owner)
    .bind(c.user_id)
    .bind(c.state)
    .bind(c.detail)
    .bind(now)
    .bind(c.expires_at)
    .execute(conn)?;
    Ok(())
}

/// A ceremony as taken.
#[derive(Debug, Clone)]
pub struct Taken {
    pub user_id: Option<i64>,
    pub state: String,
    pub detail: Option<String>,
}

crate::from_row!(Taken { user_id, state, detail });

/// Takes the ceremony for this purpose and owner, if it is there and has not expired: deleted
/// and returned by one statement, so that of many requests with one challenge one gets it.
pub fn take(conn: &mut Conn, id_hash: &str, purpose: &str, owner: &str, now: i64) -> Result<Option<Taken>> {
    query(
        "DELETE FROM webauthn_challenges WHERE id_hash = $1 AND purpose = $2 AND owner = $3 AND expires_at > $4 \
         RETURNING user_id, state, detail",
    )
    .bind(id_hash)
    .bind(purpose)
    .bind(owner)
    .bind(now)
    .fetch_optional(conn)
}

pub fn delete_expired(conn: &mut Conn, now: i64) -> Result<u64> {
    query("DELETE FROM webauthn_challenges WHERE expires_at <= $1").bind(now).execute(conn)
}
