//! A current second factor given to confirm a change (turning two-factor authentication off,
//! removing or replacing a way in, an admin's reset): an app code, a code mailed for the
//! purpose, a security key's answer to a challenge of this session, or the Recovery Key.
//! Parsed by the page before it comes here.

use super::super::sessions::Current;
use super::super::{guard, Checked, Result, ServiceError};
use super::security_key::{self, Ceremony, Purpose};
use super::{authenticator, email_code, password, recovery_key};
use crate::domain::audit::AuditKind;
use crate::domain::codes::OneTimeCode;
use crate::domain::factor::CodePurpose;
use crate::domain::recovery_key::RecoveryKey;
use crate::domain::text::Msg;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::{factors, Conn};

/// The second factor given as proof.
#[derive(Debug, Clone)]
pub enum Proof {
    /// A code from the authenticator app.
    AppCode(OneTimeCode),
    /// A code mailed for this purpose ("Send verification code" on the page).
    EmailCode(OneTimeCode),
    RecoveryKey(RecoveryKey),
    /// A security key's answer (JSON) to the ceremony `ceremony` begun by this session.
    SecurityKey {
        ceremony: String,
        response: String,
    },
}

/// The ceremonies of one session (confirmations).
fn owner(c: &Current) -> String {
    format!("session:{}", c.session.id)
}

/// The challenge a confirmation page offers to the account's security keys, if it has any.
pub async fn begin_key(state: &AppState, c: &Current) -> Result<Option<Ceremony>> {
    if !c.factors.security_key || state.webauthn.is_none() {
        return Ok(None);
    }
    let now = state.clock.now();
    state.db.tx(|tx| security_key::begin_assertion(tx, state, c.user.id, (Purpose::Proof, &owner(c)), now))
}

/// What a proof used up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proved {
    /// A code: nothing to replace.
    Code,
    /// The Recovery Key: it no longer works, and while two-factor authentication stays on a new
    /// one must follow (`replace_used_key`).
    RecoveryKey,
}

const NO_EMAIL_CODES: Msg = Msg::new("service-proof-no-email-codes");

/// Checks the proof in the caller's transaction. An emailed code counts only when codes by
/// email are one of the user's factors: otherwise whoever reads the mailbox could stand in for
/// the authenticator app.
pub(crate) fn check(
    conn: &mut Conn,
    state: &AppState,
    c: &Current,
    proof: &Proof,
    actor: &Actor,
    now: i64,
) -> Result<Checked<Proved>> {
    Ok(match proof {
        Proof::AppCode(code) => authenticator::check(conn, state, &c.user, code, actor, now)?.map(|()| Proved::Code),
        Proof::EmailCode(_) if !c.factors.email_code => Checked::Refused(ServiceError::Invalid(NO_EMAIL_CODES)),
        Proof::EmailCode(code) => {
            email_code::check(conn, state, &c.user, CodePurpose::Disable, code, actor, now)?.map(|()| Proved::Code)
        }
        Proof::RecoveryKey(key) => {
            recovery_key::check(conn, state, &c.user, key, actor, now)?.map(|()| Proved::RecoveryKey)
        }
        Proof::SecurityKey { ceremony, response } => {
            let purpose = (Purpose::Proof, owner(c));
            let answer = (ceremony.as_str(), response.as_str());
            security_key::check(conn, state, &c.user, (purpose.0, &purpose.1), answer, actor, now)?
                .map(|_| Proved::Code)
        }
    })
}

/// After a change proved with the Recovery Key, in the same transaction: a new key when
/// two-factor authentication is still on (there is never 2FA without a way back in), to be
/// shown once, as a sign-in with the key does.
pub(crate) fn replace_used_key(
    conn: &mut Conn,
    state: &AppState,
    c: &Current,
    proved: Proved,
    actor: &Actor,
    now: i64,
) -> Result<Option<RecoveryKey>> {
    if proved != Proved::RecoveryKey || !factors::of_user(&mut *conn, c.user.id)?.two_factor_on() {
        return Ok(None);
    }
    let key = recovery_key::issue(&mut *conn, state, c.user.id, now)?;
    let detail = "the previous one was used as proof";
    guard::audit(conn, AuditKind::RecoveryKeyRegenerated, &c.user, actor, detail, now)?;
    Ok(Some(key))
}

/// The password and a current second factor, asked for when a way in is added while
/// two-factor authentication is already on: a session alone must not be enough to add one.
pub struct Confirmation<'a> {
    pub password: &'a str,
    pub proof: Proof,
}

const CONFIRM_TO_ADD: Msg = Msg::new("service-proof-confirm-to-add");

/// The password part of the confirmation a new way in needs (none while two-factor
/// authentication is off), checked before the transaction.
pub(crate) async fn confirm_password_to_add(
    state: &AppState,
    c: &Current,
    confirmation: Option<&Confirmation<'_>>,
    actor: &Actor,
) -> Result<()> {
    match confirmation {
        _ if !c.factors.two_factor_on() => Ok(()),
        None => Err(ServiceError::Invalid(CONFIRM_TO_ADD)),
        Some(conf) => password::confirm(state, c, conf.password, actor).await,
    }
}

/// The second-factor part of the confirmation a new way in needs, in the caller's transaction;
/// with what it used up.
pub(crate) fn check_to_add(
    conn: &mut Conn,
    state: &AppState,
    c: &Current,
    confirmation: Option<&Confirmation<'_>>,
    actor: &Actor,
    now: i64,
) -> Result<Checked<Proved>> {
    if !c.factors.two_factor_on() {
        return Ok(Checked::Accepted(Proved::Code));
    }
    match confirmation {
        None => Ok(Checked::Refused(ServiceError::Invalid(CONFIRM_TO_ADD))),
        Some(conf) => check(conn, state, c, &conf.proof, actor, now),
    }
}

/// "Send verification code" on the pages that need a current second factor.
pub async fn send_code(state: &AppState, c: &Current, actor: &Actor) -> Result<()> {
    if !c.factors.two_factor_on() {
        return Err(ServiceError::Invalid(Msg::new("service-proof-two-factor-off")));
    }
    if !c.factors.email_code {
        return Err(ServiceError::Invalid(NO_EMAIL_CODES));
    }
    email_code::send(state, &c.user, &c.org, CodePurpose::Disable, actor).await
}
