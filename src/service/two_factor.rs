//! Turning two-factor authentication on and off from Manage Account -> Security and
//! Credentials.

use super::factor::proof::{self, Confirmation, Proof};
use super::factor::{email_code, password, recovery_key};
use super::sessions::{self, Current};
use super::{guard, notify, org, Checked, Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::domain::authn::SecondFactor;
use crate::domain::codes::OneTimeCode;
use crate::domain::factor::{CodePurpose, FactorKind, Factors};
use crate::domain::recovery_key::RecoveryKey;
use crate::domain::text::Msg;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::{factors, pending};

const VERIFY_FIRST: Msg = Msg::new("service-tfa-verify-email-first");
const ALREADY_ON: Msg = Msg::new("service-tfa-email-codes-on");

/// "Send verification code" (and "Resend code") when turning two-factor authentication on.
pub async fn send_enable_code(state: &AppState, c: &Current, actor: &Actor) -> Result<()> {
    if c.user.email_verified_at.is_none() {
        return Err(ServiceError::Invalid(VERIFY_FIRST));
    }
    if c.factors.email_code {
        return Err(ServiceError::Invalid(ALREADY_ON));
    }
    email_code::send(state, &c.user, &c.org, CodePurpose::Enable, actor).await
}

/// "Continue" with the emailed code: turns two-factor authentication on and creates the
/// Recovery Key in the same transaction. Returns the key, to be shown once. When an
/// authenticator app already turned two-factor authentication on, the email code is added as a
/// second method (with the password and the app's code or the Recovery Key), and the key stays
/// as it is, unless it was the proof: then a new one is returned.
pub async fn enable(
    state: &AppState,
    c: &Current,
    code: &OneTimeCode,
    confirmation: Option<Confirmation<'_>>,
    actor: &Actor,
) -> Result<Option<RecoveryKey>> {
    if c.user.email_verified_at.is_none() {
        return Err(ServiceError::Invalid(VERIFY_FIRST));
    }
    let was_on = c.factors.two_factor_on();
    proof::confirm_password_to_add(state, c, confirmation.as_ref(), actor).await?;
    let now = state.clock.now();
    let key = state.db.tx(|tx| {
        // The emailed code first: a proof (perhaps the Recovery Key) is used up only once the code
        // is right.
        if let Checked::Refused(e) | Checked::Wrong(e) =
            email_code::check(tx, state, &c.user, CodePurpose::Enable, code, actor, now)?
        {
            return Ok(Err(e));
        }
        let proved = match proof::check_to_add(tx, state, c, confirmation.as_ref(), actor, now)? {
            Checked::Accepted(p) => p,
            Checked::Refused(e) | Checked::Wrong(e) => {
                return Ok(Err(e));
            }
        };
        if !factors::add(tx, c.user.id, FactorKind::EmailCode, now)? {
            return Err(ServiceError::Invalid(ALREADY_ON));
        }
        let key = match was_on {
            false => Some(recovery_key::issue(tx, state, c.user.id, now)?),
            true => proof::replace_used_key(tx, state, c, proved, actor, now)?,
        };
        guard::audit(tx, AuditKind::TwoFactorEnabled, &c.user, actor, "email", now)?;
        sessions::proved_in_session(tx, c, SecondFactor::EmailCode)?;
        notify(tx, state, &c.user, actor, now, mail::two_factor_on)?;
        Ok::<_, ServiceError>(Ok(key))
    })??;
    state.mailer.wake.notify_one();
    Ok(key)
}

/// "Disable Two-Factor Authentication": needs the password and a current second factor;
/// removes every factor and the Recovery Key, and tells the user.
pub async fn disable(state: &AppState, c: &Current, password: &str, proof: Proof, actor: &Actor) -> Result<()> {
    if !c.factors.two_factor_on() {
        return Err(ServiceError::Invalid(Msg::new("service-tfa-already-off")));
    }
    org::ensure_policy_allows(c, Factors::default())?;
    password::confirm(state, c, password, actor).await?;
    let now = state.clock.now();
    state.db.tx(|tx| {
        if let Checked::Refused(e) | Checked::Wrong(e) = proof::check(tx, state, c, &proof, actor, now)? {
            return Ok(Err(e));
        }
        factors::remove_all(tx, c.user.id)?;
        pending::delete_for_user(tx, c.user.id)?;
        super::devices::unremember(tx, c.user.id)?;
        guard::audit(tx, AuditKind::TwoFactorDisabled, &c.user, actor, "", now)?;
        notify(tx, state, &c.user, actor, now, mail::two_factor_off)?;
        Ok::<_, ServiceError>(Ok(()))
    })??;
    state.mailer.wake.notify_one();
    Ok(())
}
