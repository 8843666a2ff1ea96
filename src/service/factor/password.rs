//! The password as a way in: its limits (per account, per client address) and checking it
//! again before a sensitive change.

use super::super::guard::{self, Held, Limit, Lock};
use super::super::sessions::Current;
use super::super::{Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::domain::text::Msg;
use crate::state::AppState;
use crate::store::audit::Actor;

pub(crate) fn account_key(email: &str) -> String {
    format!("signin:acct:{email}")
}

fn address_key(ip: &str) -> String {
    format!("signin:ip:{}", crate::domain::throttle::address_group(ip))
}

/// The limits a password guess counts against: the account's (counted for unknown emails too,
/// so that a lock says nothing about whether the account exists) and, at sign-in, the client
/// address's.
pub(crate) fn limits(state: &AppState, email: &str, ip: Option<&str>) -> Vec<Limit> {
    let s = &state.settings;
    let mut limits = vec![Limit { key: account_key(email), policy: s.signin_account, owner: true }];
    if let Some(ip) = ip {
        limits.push(Limit { key: address_key(ip), policy: s.signin_address, owner: false });
    }
    limits
}

/// Checks the signed-in user's password again before a sensitive change. It counts against the
/// account's sign-in limit (so a stolen session cannot be used to guess the password), and a
/// wrong one is audited as a failed sign-in with `detail`; `wrong` is what the person reads.
pub(crate) async fn recheck(
    state: &AppState,
    c: &Current,
    password: &str,
    actor: &Actor,
    detail: &str,
    wrong: Msg,
) -> Result<()> {
    let held = Held::take(&state.db, limits(state, &c.user.email, None), state.clock.now()).await?;
    let ok = state.hasher.verify(password, c.user.password_hash.as_deref()).await?;
    let now = state.clock.now();
    if ok {
        let gate = state.db.tx(|tx| guard::right(tx, held.limits(), now))?;
        held.settled();
        return gate.refusal().map_or(Ok(()), Err);
    }
    let lock = state.db.tx(|tx| {
        guard::audit(tx, AuditKind::SignInFailed, &c.user, actor, detail, now)?;
        let lock = guard::wrong(tx, held.limits(), now)?;
        if let Lock::Set { .. } = lock {
            guard::audit(tx, AuditKind::SignInLocked, &c.user, actor, "account", now)?;
        }
        Ok::<_, ServiceError>(lock)
    })?;
    held.settled();
    match lock {
        Lock::Set { until, .. } => Err(ServiceError::Throttled { retry_after: until - now }),
        Lock::None => Err(ServiceError::Invalid(wrong)),
    }
}

/// The password of the signed-in user before a change to their ways in.
pub(crate) async fn confirm(state: &AppState, c: &Current, password: &str, actor: &Actor) -> Result<()> {
    recheck(state, c, password, actor, "wrong password", Msg::new("service-password-wrong")).await
}
