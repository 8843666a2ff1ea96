//! "Security keys and passkeys" on Security and Credentials: "Add a security key or passkey"
//! (the browser's own prompt, then a name), the list, "Rename" and "Remove".

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use webauthn_rs::prelude::{CredentialID, PasskeyRegistration, RegisterPublicKeyCredential, Uuid};

use super::factor::proof::{self, Confirmation, Proof};
use super::factor::security_key::{self as ceremony, Ceremony, Purpose, CHALLENGE_GONE};
use super::factor::{password, recovery_key};
use super::sessions::{self, Current};
use super::{guard, notify, org, Checked, Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::domain::authn::{Key, SecondFactor};
use crate::domain::factor::Factors;
use crate::domain::recovery_key::RecoveryKey;
use crate::domain::text::Msg;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::security_keys::{self, KeyRow, NewKey};
use crate::store::{factors, pending, StoreError};

/// A key's name as the member gives it: 1 to 64 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyName(String);

impl KeyName {
    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ServiceError::Invalid(Msg::new("service-key-name-empty")));
        }
        if s.chars().count() > 64 || s.chars().any(char::is_control) {
            return Err(ServiceError::Invalid(Msg::new("service-key-name-too-long")));
        }
        Ok(KeyName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The ceremonies of a session: an addition is finished only by the session that began it.
fn owner(c: &Current) -> String {
    format!("session:{}", c.session.id)
}

/// The account's keys, oldest first.
pub async fn list(state: &AppState, c: &Current) -> Result<Vec<KeyRow>> {
    state.db.read(|conn| Ok(security_keys::of_user(conn, c.user.id)?))
}

/// "Add a security key or passkey": the options for the browser's prompt. While two-factor
/// authentication is on, it needs the password and a current second factor (a session alone
/// cannot add a way in); when the Recovery Key was that factor, its replacement comes back, to
/// show.
pub async fn begin_add(
    state: &AppState,
    c: &Current,
    confirmation: Option<Confirmation<'_>>,
    actor: &Actor,
) -> Result<(Ceremony, Option<RecoveryKey>)> {
    if c.user.email_verified_at.is_none() {
        return Err(ServiceError::Invalid(Msg::new("service-key-verify-email-first")));
    }
    let webauthn = ceremony::webauthn(state)?;
    proof::confirm_password_to_add(state, c, confirmation.as_ref(), actor).await?;
    let now = state.clock.now();
    let begun = state.db.tx(|tx| {
        let proved = match proof::check_to_add(tx, state, c, confirmation.as_ref(), actor, now)? {
            Checked::Accepted(p) => p,
            Checked::Refused(e) | Checked::Wrong(e) => return Ok(Err(e)),
        };
        let handle = security_keys::handle(tx, c.user.id, &crate::secrets::random_hex(16))?;
        let handle = Uuid::parse_str(&handle).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let existing: Vec<CredentialID> = security_keys::of_user(tx, c.user.id)?
            .iter()
            .filter_map(|k| serde_json::from_str::<webauthn_rs::prelude::Passkey>(&k.passkey).ok())
            .map(|p| p.cred_id().clone())
            .collect();
        let display = c.name.clone().unwrap_or_else(|| c.user.email.clone());
        let (options, reg) = webauthn
            .start_passkey_registration(handle, &c.user.email, &display, Some(existing))
            .map_err(|e| ServiceError::Internal(format!("security key: {e}")))?;
        // Ask for a discoverable credential where the authenticator can keep one, so that the
        // same key signs in without a password ("Sign in with a passkey"); a security key
        // without room for one still works as a second factor.
        let mut options = serde_json::to_value(&options).map_err(|e| ServiceError::Internal(e.to_string()))?;
        if let Some(sel) = options.pointer_mut("/publicKey/authenticatorSelection").and_then(|v| v.as_object_mut()) {
            sel.insert("residentKey".into(), "preferred".into());
        }
        let mine = owner(c);
        let id = ceremony::store(tx, (Purpose::Register, &mine), Some(c.user.id), &reg, None, now)?;
        let key = proof::replace_used_key(tx, state, c, proved, actor, now)?;
        Ok::<_, ServiceError>(Ok((Ceremony { id, options: ceremony::options_json(&options)? }, key)))
    })??;
    Ok(begun)
}

/// What the authenticator said of a new credential, read from the library's record of it (its
/// public API does not give these without exposing the whole credential).
struct Made {
    counter: i64,
    backup_eligible: bool,
    user_verified: bool,
}

impl Made {
    fn of(json: &str) -> Made {
        let v: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
        let cred = &v["cred"];
        Made {
            counter: cred["counter"].as_i64().unwrap_or(0),
            backup_eligible: cred["backup_eligible"].as_bool().unwrap_or(false),
            user_verified: cred["user_verified"].as_bool().unwrap_or(false),
        }
    }
}

const ALREADY_ADDED: Msg = Msg::new("service-key-already-added");

/// The browser's answer to "Add a security key or passkey": the key is registered under the
/// name given. When two-factor authentication was off, it is now on, and the Recovery Key is
/// created in the same transaction (returned, to show).
pub async fn finish_add(
    state: &AppState,
    c: &Current,
    ceremony_id: &str,
    name: &KeyName,
    response: &str,
    actor: &Actor,
) -> Result<Option<RecoveryKey>> {
    let webauthn = ceremony::webauthn(state)?;
    let now = state.clock.now();
    let key = state.db.tx(|tx| {
        let Some(taken) = ceremony::take(tx, ceremony_id, (Purpose::Register, owner(c).as_str()), now)? else {
            return Ok(Err(ServiceError::Invalid(CHALLENGE_GONE)));
        };
        let Ok(credential) = serde_json::from_str::<RegisterPublicKeyCredential>(response) else {
            return Ok(Err(ServiceError::Invalid(Msg::new("service-key-answer-unreadable"))));
        };
        let reg: PasskeyRegistration =
            serde_json::from_str(&taken.state).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let passkey = match webauthn.finish_passkey_registration(&credential, &reg) {
            Ok(p) => p,
            Err(e) => {
                guard::audit(tx, AuditKind::SecurityKeyRefused, &c.user, actor, &format!("registration: {e}"), now)?;
                return Ok(Err(ServiceError::Invalid(Msg::new("service-key-not-accepted"))));
            }
        };
        let name = name.as_str();
        let json = serde_json::to_string(&passkey).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let credential_id = URL_SAFE_NO_PAD.encode(passkey.cred_id().as_ref() as &[u8]);
        let made = Made::of(&json);
        let new = NewKey {
            user_id: c.user.id,
            credential_id: &credential_id,
            name,
            passkey: &json,
            counter: made.counter,
            backup_eligible: made.backup_eligible,
        };
        let was_on = factors::of_user(tx, c.user.id)?.two_factor_on();
        match security_keys::insert(tx, &new, now) {
            Ok(_) => {}
            Err(StoreError::Conflict(_)) => return Ok(Err(ServiceError::Invalid(ALREADY_ADDED))),
            Err(e) => return Err(e.into()),
        }
        let key = if was_on { None } else { Some(recovery_key::issue(tx, state, c.user.id, now)?) };
        guard::audit(tx, AuditKind::SecurityKeyAdded, &c.user, actor, name, now)?;
        let used = Key { hardware: !made.backup_eligible, user_verified: made.user_verified };
        sessions::proved_in_session(tx, c, SecondFactor::SecurityKey(used))?;
        if !was_on {
            guard::audit(tx, AuditKind::TwoFactorEnabled, &c.user, actor, "security key", now)?;
        }
        notify(tx, state, &c.user, actor, now, mail::security_key_added)?;
        Ok::<_, ServiceError>(Ok(key))
    })??;
    state.mailer.wake.notify_one();
    Ok(key)
}

/// "Rename".
pub async fn rename(state: &AppState, c: &Current, id: i64, name: &KeyName, actor: &Actor) -> Result<()> {
    let now = state.clock.now();
    state.db.tx(|tx| {
        if !security_keys::rename(tx, c.user.id, id, name.as_str())? {
            return Err(ServiceError::NotFound);
        }
        guard::audit(tx, AuditKind::SecurityKeyRenamed, &c.user, actor, name.as_str(), now)
    })
}

/// "Remove": needs the password and a current second factor, as removing an app does. When it
/// was the last way in, two-factor authentication is off and the Recovery Key goes with it.
/// When the Recovery Key was the proof and two-factor authentication stays on, the new key is
/// returned, to show.
pub async fn remove(
    state: &AppState,
    c: &Current,
    id: i64,
    password: &str,
    proof: Proof,
    actor: &Actor,
) -> Result<Option<RecoveryKey>> {
    let keys = list(state, c).await?;
    let Some(gone) = keys.iter().find(|k| k.id == id) else {
        return Err(ServiceError::NotFound);
    };
    org::ensure_policy_allows(c, Factors { security_key: keys.len() > 1, ..c.factors })?;
    password::confirm(state, c, password, actor).await?;
    let now = state.clock.now();
    let key = state.db.tx(|tx| {
        let proved = match proof::check(tx, state, c, &proof, actor, now)? {
            Checked::Accepted(proved) => proved,
            Checked::Refused(e) | Checked::Wrong(e) => return Ok(Err(e)),
        };
        if !security_keys::remove(tx, c.user.id, id)? {
            return Err(ServiceError::NotFound);
        }
        super::devices::unremember(tx, c.user.id)?;
        guard::audit(tx, AuditKind::SecurityKeyRemoved, &c.user, actor, &gone.name, now)?;
        // Checked again on what is left now: another removal may have committed meanwhile.
        let left = factors::of_user(tx, c.user.id)?;
        org::ensure_policy_allows(c, left)?;
        if !left.two_factor_on() {
            factors::remove_all(tx, c.user.id)?;
            pending::delete_for_user(tx, c.user.id)?;
            guard::audit(tx, AuditKind::TwoFactorDisabled, &c.user, actor, "last factor removed", now)?;
        }
        let key = proof::replace_used_key(tx, state, c, proved, actor, now)?;
        notify(tx, state, &c.user, actor, now, mail::security_key_removed)?;
        Ok::<_, ServiceError>(Ok(key))
    })??;
    state.mailer.wake.notify_one();
    Ok(key)
}
