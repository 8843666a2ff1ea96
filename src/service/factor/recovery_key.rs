//! The Recovery Key as a way in: making one, and checking (and using up) the one typed.

use rand::rngs::OsRng;
use subtle::ConstantTimeEq;

use super::super::guard;
use super::super::{Checked, Result, ServiceError};
use super::{limits, wrong_guess};
use crate::domain::audit::AuditKind;
use crate::domain::recovery_key::RecoveryKey;
use crate::domain::text::Msg;
use crate::secrets::SecretKey;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::users::UserRow;
use crate::store::{factors, Conn};

/// The keyed hash a Recovery Key is stored as.
pub fn hash_with(secret: &SecretKey, key: &RecoveryKey) -> String {
    secret.keyed_hash("recovery-key", key.canonical().as_bytes())
}

fn hash(state: &AppState, key: &RecoveryKey) -> String {
    hash_with(&state.key, key)
}

/// Whether `key` is the user's current Recovery Key.
pub(crate) fn is_current(conn: &mut Conn, state: &AppState, user_id: i64, key: &RecoveryKey) -> Result<bool> {
    let stored = factors::recovery_key_hash(conn, user_id)?.unwrap_or_default();
    Ok(hash(state, key).as_bytes().ct_eq(stored.as_bytes()).into())
}

/// A new Recovery Key from the OS random source, stored (replacing any other) in the caller's
/// transaction. The key itself is returned once, to be shown and downloaded.
pub(crate) fn issue(conn: &mut Conn, state: &AppState, user_id: i64, now: i64) -> Result<RecoveryKey> {
    let mut bytes = [0u8; crate::domain::recovery_key::SYMBOLS];
    rand::RngCore::fill_bytes(&mut OsRng, &mut bytes);
    let key = RecoveryKey::from_random(bytes);
    factors::set_recovery_key(conn, user_id, &hash(state, &key), now)?;
    Ok(key)
}

/// How long the loser of a double-submitted Recovery Key is told it was just used (and is not
/// counted as a wrong guess).
const JUST_USED: i64 = 60;

/// Checks and uses up the user's Recovery Key, in the caller's transaction. The key used a
/// moment ago (the loser of a double submit) is not counted as a wrong guess.
pub(crate) fn check(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    key: &RecoveryKey,
    actor: &Actor,
    now: i64,
) -> Result<Checked> {
    let limits = limits(state, user.id, actor);
    if let Some(refused) = guard::take(&mut *conn, &limits, now)?.refusal() {
        return Ok(Checked::Refused(refused));
    }
    let typed_hash = hash(state, key);
    let same = |stored: &str| bool::from(typed_hash.as_bytes().ct_eq(stored.as_bytes()));
    let stored = factors::recovery_key_hash(&mut *conn, user.id)?.unwrap_or_default();
    if !same(&stored) {
        if factors::used_recovery_key(&mut *conn, user.id, now - JUST_USED)?.is_some_and(|h| same(&h)) {
            guard::not_a_guess(&mut *conn, &limits, now)?;
            return Ok(ServiceError::Invalid(Msg::new("service-rk-wrong-just-used")).into());
        }
        guard::audit(&mut *conn, AuditKind::RecoveryKeyWrong, user, actor, "", now)?;
        let wrong = Msg::new("service-rk-wrong");
        return Ok(Checked::Wrong(wrong_guess(conn, user, actor, &limits, now, wrong)?));
    }
    if let Some(refused) = guard::right(&mut *conn, &limits, now)?.refusal() {
        return Ok(Checked::Refused(refused));
    }
    if !factors::consume_recovery_key(&mut *conn, user.id, &stored, now)? {
        guard::not_a_guess(&mut *conn, &limits, now)?;
        return Ok(ServiceError::Invalid(Msg::new("service-rk-used-moment-ago")).into());
    }
    guard::audit(conn, AuditKind::RecoveryKeyUsed, user, actor, "", now)?;
    Ok(Checked::Accepted(()))
}
