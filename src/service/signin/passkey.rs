//! "Sign in with a passkey": a discoverable credential with its user verified, without the
//! password. The browser's answer names the account (its user handle); the library checks it
//! against that account's keys; the sign-in machine takes it from `Start` as one more event.

use super::super::factor;
use super::super::factor::security_key::{self, Ceremony, Purpose, CHALLENGE_GONE, REFUSED};
use super::super::{guard, Checked, Result, ServiceError};
use super::effects::{self, Ran};
use super::{Finished, DISABLED};
use crate::domain::audit::AuditKind;
use crate::domain::policy::Policy;
use crate::domain::signin::{Event, Return, SignIn};
use crate::domain::text::Msg;
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event as AuditEvent};
use crate::store::{orgs, security_keys, users, Conn};

/// Passkey ceremonies belong to no one until the answer names its account.
const OWNER: &str = "passkey";

/// What a refused check says.
fn refusal(c: Checked<crate::domain::authn::Key>) -> ServiceError {
    match c {
        Checked::Refused(e) | Checked::Wrong(e) => e,
        Checked::Accepted(_) => ServiceError::Invalid(REFUSED),
    }
}

/// The account's organization does not allow security keys and passkeys.
pub const NOT_ALLOWED: Msg = Msg::new("service-passkey-not-allowed");

/// The challenge for the sign-in page's "Sign in with a passkey" (and the browser's passkey
/// autofill on the email field).
pub async fn begin(state: &AppState) -> Result<Ceremony> {
    let webauthn = security_key::webauthn(state)?;
    let (mut options, auth) =
        webauthn.start_discoverable_authentication().map_err(|e| ServiceError::Internal(format!("passkey: {e}")))?;
    // The page decides how to ask (autofill, or the button's prompt).
    options.mediation = None;
    let now = state.clock.now();
    let id = state.db.tx(|tx| security_key::store(tx, (Purpose::Passkey, OWNER), None, &auth, None, now))?;
    Ok(Ceremony { id, options: security_key::options_json(&options)? })
}

/// The browser's answer: signs in the account whose passkey it is, if its organization allows
/// security keys and passkeys.
pub async fn finish(state: &AppState, ceremony: &str, response: &str, then: Return, actor: &Actor) -> Result<Finished> {
    let webauthn = security_key::webauthn(state)?;
    let now = state.clock.now();
    let ran = state.db.tx(|tx| {
        let Some(taken) = security_key::take(tx, ceremony, (Purpose::Passkey, OWNER), now)? else {
            return Ok(Err(ServiceError::Invalid(CHALLENGE_GONE)));
        };
        // An answer that names no account of ours counts against the client address.
        let unknown = |tx: &mut Conn, why: &str| {
            let e = AuditEvent { kind: AuditKind::SignInFailed, user_id: None, org_id: None, actor, detail: why };
            audit::record(&mut *tx, e, now)?;
            let limits = factor::address_limits(state, actor);
            if let Some(locked) = guard::take(&mut *tx, &limits, now)?.refusal() {
                return Ok::<_, ServiceError>(Err(locked));
            }
            guard::wrong(tx, &limits, now)?;
            Ok(Err(ServiceError::Invalid(REFUSED)))
        };
        let Ok(credential) = serde_json::from_str::<webauthn_rs::prelude::PublicKeyCredential>(response) else {
            return unknown(tx, "passkey: unreadable answer");
        };
        let Ok((handle, cred_id)) = webauthn.identify_discoverable_authentication(&credential) else {
            return unknown(tx, "passkey: no user handle");
        };
        let Some(user) = security_keys::user_by_handle(tx, &handle.simple().to_string())? else {
            return unknown(tx, "passkey: unknown user handle");
        };
        // From here the answer is the account's: its attempts, as any second factor's.
        let limits = factor::limits(state, user.id, actor);
        if let Some(locked) = guard::take(&mut *tx, &limits, now)?.refusal() {
            return Ok(Err(locked));
        }
        // The credential must be one of this account's keys (a credential ID is one user's).
        let keys = security_key::discoverable(tx, user.id)?;
        let Some(index) = keys.iter().position(|(_, p, _)| p.cred_id().as_ref() as &[u8] == cred_id) else {
            let why = "passkey: not a key of this account";
            return Ok(Err(refusal(security_key::refused(tx, state, &user, actor, why, now)?)));
        };
        let discoverable: Vec<_> = keys.iter().map(|(_, _, d)| d.clone()).collect();
        let auth = serde_json::from_str(&taken.state).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let result = match webauthn.finish_discoverable_authentication(&credential, auth, &discoverable) {
            Ok(r) => r,
            Err(e) => {
                let why = format!("passkey: {e}");
                return Ok(Err(refusal(security_key::refused(tx, state, &user, actor, &why, now)?)));
            }
        };
        // A genuine answer from a key of the account: whether it may sign in is not a guess.
        if user.disabled_at.is_some() {
            guard::not_a_guess(&mut *tx, &limits, now)?;
            guard::audit(tx, AuditKind::SignInFailed, &user, actor, "account disabled", now)?;
            return Ok(Err(ServiceError::Invalid(DISABLED)));
        }
        if users::must_reset_password(&mut *tx, user.id)? {
            guard::not_a_guess(&mut *tx, &limits, now)?;
            guard::audit(tx, AuditKind::SignInFailed, &user, actor, "a new password is required", now)?;
            return Ok(Err(ServiceError::Invalid(super::MUST_RESET)));
        }
        let org = orgs::by_id(tx, user.org_id)?;
        if !org.as_ref().map(|o| o.policy()).unwrap_or(Policy::OFF).methods.security_key {
            guard::not_a_guess(&mut *tx, &limits, now)?;
            guard::audit(tx, AuditKind::SignInFailed, &user, actor, "passkey: not allowed by the organization", now)?;
            return Ok(Err(ServiceError::Invalid(NOT_ALLOWED)));
        }
        let (row, passkey, _) = keys.into_iter().nth(index).ok_or(ServiceError::NotFound)?;
        let key = match security_key::record_use(tx, state, &user, (row, passkey), &result, actor, now)? {
            Checked::Accepted(key) => key,
            Checked::Refused(e) | Checked::Wrong(e) => return Ok(Err(e)),
        };
        if let Some(locked) = guard::right(&mut *tx, &limits, now)?.refusal() {
            return Ok(Err(locked));
        }
        let event = Event::PasskeyAccepted { key, allowed: true, then: then.clone() };
        let (_, token_hash) = crate::secrets::new_token();
        let run = effects::Run {
            state,
            user: &user,
            org: org.as_ref(),
            token_hash: &token_hash,
            actor,
            now,
            remember: false,
        };
        Ok(Ok(run.apply(tx, SignIn::Start, event, None)?))
    })??;
    match ran {
        Ran::SignedIn { session, then, .. } => Ok(Finished { session, then }),
        _ => Err(ServiceError::Internal("a passkey sign-in started no session".into())),
    }
}
