//! "Sign in with a passkey": a discoverable credential with its user verified, without the
//! password. The browser's answer names the account (its user handle); the library checks it
//! against that account's keys; the sign-in machine takes it from `Start` as one more event.

use super::super::factor::security_key::{self, Ceremony, Purpose, CHALLENGE_GONE, REFUSED};
use super::super::{guard, Checked, Result, ServiceError};
use super::effects::{self, Ran};
use super::{Finished, DISABLED};
use crate::domain::audit::AuditKind;
use crate::domain::policy::Policy;
use crate::domain::signin::{Event, Return, SignIn};
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event as AuditEvent};
use crate::store::{orgs, security_keys, Conn};

/// Passkey ceremonies belong to no one until the answer names its account.
const OWNER: &str = "passkey";

pub const NOT_ALLOWED: &str =
    "Your organization does not allow signing in with a passkey. Log in with your email and password.";

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
            return Ok(Err(ServiceError::Invalid(CHALLENGE_GONE.into())));
        };
        let refused = |tx: &mut Conn, user: Option<&crate::store::users::UserRow>, why: &str| {
            let (user_id, org_id) = (user.map(|u| u.id), user.map(|u| u.org_id));
            let e = AuditEvent { kind: AuditKind::SignInFailed, user_id, org_id, actor, detail: why };
            audit::record(tx, e, now)?;
            Ok::<_, ServiceError>(Err(ServiceError::Invalid(REFUSED.into())))
        };
        let Ok(credential) = serde_json::from_str::<webauthn_rs::prelude::PublicKeyCredential>(response) else {
            return refused(tx, None, "passkey: unreadable answer");
        };
        let Ok((handle, cred_id)) = webauthn.identify_discoverable_authentication(&credential) else {
            return refused(tx, None, "passkey: no user handle");
        };
        let handle = handle.simple().to_string();
        let Some(user) = security_keys::user_by_handle(tx, &handle)? else {
            return refused(tx, None, "passkey: unknown user handle");
        };
        // The credential must be one of this account's keys (a credential ID is one user's).
        let keys = security_key::discoverable(tx, user.id)?;
        let Some(index) = keys.iter().position(|(_, p, _)| p.cred_id().as_ref() as &[u8] == cred_id) else {
            return refused(tx, Some(&user), "passkey: not a key of this account");
        };
        let discoverable: Vec<_> = keys.iter().map(|(_, _, d)| d.clone()).collect();
        let auth = serde_json::from_str(&taken.state).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let result = match webauthn.finish_discoverable_authentication(&credential, auth, &discoverable) {
            Ok(r) => r,
            Err(e) => return refused(tx, Some(&user), &format!("passkey: {e}")),
        };
        let (row, passkey, _) = keys.into_iter().nth(index).ok_or(ServiceError::NotFound)?;
        let key = match security_key::record_use(tx, state, &user, (row, passkey), &result, actor, now)? {
            Checked::Accepted(key) => key,
            Checked::Refused(e) => return Ok(Err(e)),
        };
        if user.disabled_at.is_some() {
            guard::audit(tx, AuditKind::SignInFailed, &user, actor, "account disabled", now)?;
            return Ok(Err(ServiceError::Invalid(DISABLED.into())));
        }
        let org = orgs::by_id(tx, user.org_id)?;
        let allowed = org.as_ref().map(|o| o.policy()).unwrap_or(Policy::OFF).methods.security_key;
        let event = Event::PasskeyAccepted { key, allowed, then: then.clone() };
        let (_, token_hash) = crate::secrets::new_token();
        let org_name = org.map(|o| o.name).unwrap_or_default();
        let run = effects::Run { state, user: &user, org_name: Some(&org_name), token_hash: &token_hash, actor, now };
        match run.apply(tx, SignIn::Start, event, None) {
            Ok(ran) => Ok(Ok(ran)),
            Err(ServiceError::Invalid(_)) => {
                guard::audit(
                    tx,
                    AuditKind::SignInFailed,
                    &user,
                    actor,
                    "passkey: not allowed by the organization",
                    now,
                )?;
                Ok(Err(ServiceError::Invalid(NOT_ALLOWED.into())))
            }
            Err(e) => Err(e),
        }
    })??;
    match ran {
        Ran::SignedIn { session, then, .. } => Ok(Finished { session, then }),
        _ => Err(ServiceError::Internal("a passkey sign-in started no session".into())),
    }
}
