//! Authenticator apps: "Set Up" (a QR code, verified with a first code), "Remove", and the
//! QR image itself.

use rand::rngs::OsRng;
use rand::RngCore;

use super::factor::authenticator::{check_setup_code, open_secret};
use super::factor::proof::{self, Confirmation, Proof};
use super::factor::{password, recovery_key};
use super::sessions::{self, Current};
use super::{guard, notify, org, Checked, Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::domain::authn::SecondFactor;
use crate::domain::codes::OneTimeCode;
use crate::domain::factor::{FactorKind, Factors};
use crate::domain::recovery_key::RecoveryKey;
use crate::domain::text::Msg;
use crate::domain::totp::{self, TotpSecret};
use crate::mail;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::{factors, pending};

/// What the set-up page shows: the secret for manual entry and the URI the QR code carries.
pub struct SetupView {
    pub grouped_secret: String,
    pub uri: String,
}

fn issuer(state: &AppState, c: &Current) -> String {
    state.settings.totp_issuer.clone().unwrap_or_else(|| {
        if c.org.name.is_empty() {
            "Latchkey".into()
        } else {
            c.org.name.clone()
        }
    })
}

/// "Set Up": a new secret from the OS random source, pending until a code from it is verified.
/// An app already set up keeps working until then. While two-factor authentication is on, it
/// needs the password and a current second factor (a session alone cannot add a way in); when
/// the Recovery Key was that factor, its replacement is returned, to show.
pub async fn start(
    state: &AppState,
    c: &Current,
    confirmation: Option<Confirmation<'_>>,
    actor: &Actor,
) -> Result<Option<RecoveryKey>> {
    if c.user.email_verified_at.is_none() {
        return Err(ServiceError::Invalid(Msg::new("service-app-verify-email-first")));
    }
    proof::confirm_password_to_add(state, c, confirmation.as_ref(), actor).await?;
    let mut raw = [0u8; 20];
    OsRng.fill_bytes(&mut raw);
    let now = state.clock.now();
    let key = state.db.tx(|tx| {
        let proved = match proof::check_to_add(tx, state, c, confirmation.as_ref(), actor, now)? {
            Checked::Accepted(p) => p,
            Checked::Refused(e) | Checked::Wrong(e) => {
                return Ok(Err(e));
            }
        };
        factors::set_totp_pending(tx, c.user.id, &state.key.encrypt(&raw), now)?;
        guard::audit(tx, AuditKind::AuthenticatorSetupStarted, &c.user, actor, "", now)?;
        let key = proof::replace_used_key(tx, state, c, proved, actor, now)?;
        Ok::<_, ServiceError>(Ok(key))
    })??;
    Ok(key)
}

/// How long a set-up may wait for its first code. Its secret is shown to the session that
/// began it; a set-up left open (confirmed with the password and a second factor) must not
/// stay there for whoever holds that session later.
const SETUP_TTL: i64 = 15 * 60;

async fn pending_secret(state: &AppState, user_id: i64) -> Result<Option<(TotpSecret, String)>> {
    state.db.read(|conn| {
        let Some(row) = factors::totp(conn, user_id, FactorKind::AuthenticatorPending)? else {
            return Ok(None);
        };
        if row.created_at + SETUP_TTL <= state.clock.now() {
            return Ok(None);
        }
        let sealed = row.secret.clone().unwrap_or_default();
        Ok(Some((open_secret(state, row.secret.as_deref())?, sealed)))
    })
}

/// The set-up in progress, if any.
pub async fn pending(state: &AppState, c: &Current) -> Result<Option<SetupView>> {
    Ok(pending_secret(state, c.user.id).await?.map(|(secret, _)| SetupView {
        grouped_secret: secret.grouped(),
        uri: totp::key_uri(&issuer(state, c), &c.user.email, &secret),
    }))
}

/// The QR code of the set-up in progress, as a PNG image.
pub async fn qr_png(state: &AppState, c: &Current) -> Result<Vec<u8>> {
    let view = pending(state, c).await?.ok_or_else(|| ServiceError::Invalid(Msg::new("service-app-no-setup")))?;
    crate::qr::png(&view.uri).map_err(ServiceError::Internal)
}

const SETUP_ENDED: Msg = Msg::new("service-app-setup-ended");

/// "Verify": the first code from the app activates it. When two-factor authentication was off,
/// it is now on, and the Recovery Key is created in the same transaction (returned, to show).
pub async fn verify(state: &AppState, c: &Current, code: &OneTimeCode, actor: &Actor) -> Result<Option<RecoveryKey>> {
    let (secret, sealed) = pending_secret(state, c.user.id).await?.ok_or_else(|| ServiceError::Invalid(SETUP_ENDED))?;
    let now = state.clock.now();
    let key = state.db.tx(|tx| {
        let step = match check_setup_code(tx, state, &c.user, &secret, code, actor, now)? {
            Checked::Accepted(step) => step,
            Checked::Refused(refused) | Checked::Wrong(refused) => {
                return Ok(Err(refused));
            }
        };
        let was_on = factors::of_user(tx, c.user.id)?.two_factor_on();
        if !factors::activate_totp(tx, c.user.id, &sealed, step, now)? {
            return Err(ServiceError::Invalid(SETUP_ENDED));
        }
        let key = if was_on { None } else { Some(recovery_key::issue(tx, state, c.user.id, now)?) };
        guard::audit(tx, AuditKind::AuthenticatorAdded, &c.user, actor, "", now)?;
        sessions::proved_in_session(tx, c, SecondFactor::AuthenticatorApp)?;
        if !was_on {
            guard::audit(tx, AuditKind::TwoFactorEnabled, &c.user, actor, "authenticator", now)?;
        }
        notify(tx, state, &c.user, actor, now, mail::authenticator_added)?;
        Ok::<_, ServiceError>(Ok(key))
    })??;
    state.mailer.wake.notify_one();
    Ok(key)
}

/// "Remove": needs the password and a current second factor. When it was the last factor,
/// two-factor authentication is off and the Recovery Key goes with it. When the Recovery Key
/// was the proof and two-factor authentication stays on, the new key is returned, to show.
pub async fn remove(
    state: &AppState,
    c: &Current,
    password: &str,
    proof: Proof,
    actor: &Actor,
) -> Result<Option<RecoveryKey>> {
    if !c.factors.authenticator {
        return Err(ServiceError::Invalid(Msg::new("service-app-not-set-up")));
    }
    org::ensure_policy_allows(c, Factors { authenticator: false, ..c.factors })?;
    password::confirm(state, c, password, actor).await?;
    let now = state.clock.now();
    let key = state.db.tx(|tx| {
        let proved = match proof::check(tx, state, c, &proof, actor, now)? {
            Checked::Accepted(proved) => proved,
            Checked::Refused(e) | Checked::Wrong(e) => {
                return Ok(Err(e));
            }
        };
        factors::remove_totp(tx, c.user.id)?;
        super::devices::unremember(tx, c.user.id)?;
        guard::audit(tx, AuditKind::AuthenticatorRemoved, &c.user, actor, "", now)?;
        if !factors::of_user(tx, c.user.id)?.two_factor_on() {
            factors::remove_all(tx, c.user.id)?;
            pending::delete_for_user(tx, c.user.id)?;
            guard::audit(tx, AuditKind::TwoFactorDisabled, &c.user, actor, "last factor removed", now)?;
        }
        let key = proof::replace_used_key(tx, state, c, proved, actor, now)?;
        notify(tx, state, &c.user, actor, now, mail::authenticator_removed)?;
        Ok::<_, ServiceError>(Ok(key))
    })??;
    state.mailer.wake.notify_one();
    Ok(key)
}
