//! The ways in, one module each: the password, the emailed code, the authenticator app and the
//! Recovery Key; and `proof`, a current second factor given to confirm a change. Each check
//! runs in the caller's transaction under `guard` and comes back as `Checked`.

pub mod authenticator;
pub mod email_code;
pub mod password;
pub mod proof;
pub mod recovery_key;
pub mod security_key;

use super::guard::{self, Limit, Lock};
use super::{Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::domain::text::Msg;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::users::UserRow;
use crate::store::Conn;

fn account_key(user_id: i64) -> String {
    format!("2fa:acct:{user_id}")
}

fn address_key(ip: &str) -> String {
    format!("2fa:ip:{}", crate::domain::throttle::address_group(ip))
}

/// The limits a second-factor guess (an emailed code, an app code, a Recovery Key) counts
/// against.
pub(crate) fn limits(state: &AppState, user_id: i64, actor: &Actor) -> Vec<Limit> {
    let s = &state.settings;
    let account = Limit { key: account_key(user_id), policy: s.second_factor_account, owner: true };
    // A known device's guesses count against the account only: a busy office behind one
    // address is not locked out by a few people's mistakes (or by someone else's guessing).
    if actor.known_device {
        return vec![account];
    }
    vec![account, Limit { key: address_key(&actor.ip), policy: s.second_factor_address, owner: false }]
}

/// The client address's limit alone, for an answer that names no account (a passkey whose
/// user handle is unknown).
pub(crate) fn address_limits(state: &AppState, actor: &Actor) -> Vec<Limit> {
    vec![Limit { key: address_key(&actor.ip), policy: state.settings.second_factor_address, owner: false }]
}

/// Settles a wrong second factor (its own audit event already written); what the person is
/// told: locked, or `wrong`.
pub(crate) fn wrong_guess(
    conn: &mut Conn,
    user: &UserRow,
    actor: &Actor,
    limits: &[Limit],
    now: i64,
    wrong: Msg,
) -> Result<ServiceError> {
    if let Lock::Set { until, owner } = guard::wrong(&mut *conn, limits, now)? {
        let detail = if owner { "account" } else { "client address" };
        guard::audit(conn, AuditKind::SecondFactorLocked, user, actor, detail, now)?;
        return Ok(ServiceError::Throttled { retry_after: until - now });
    }
    Ok(ServiceError::Invalid(wrong))
}
