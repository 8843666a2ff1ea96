//! Security keys and passkeys as a way in: the relying party, the ceremonies (a challenge kept
//! in the database under the hash of its id, taken once), and the check of an assertion that
//! the second step, a confirmation and a passkey sign-in share. WebAuthn itself is the
//! `webauthn-rs` library's: this module stores what it asks to be stored and checks what it
//! says to check (the credential belongs to the account, the sign counter moves on).

use webauthn_rs::prelude::{
    DiscoverableKey, Passkey, PasskeyAuthentication, PublicKeyCredential, Url, Webauthn, WebauthnBuilder,
};

use super::super::{guard, Checked, Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::domain::authn::Key;
use crate::domain::text::Msg;
use crate::secrets::{hash_token, new_token};
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::security_keys::{self, KeyRow, NewCeremony, Taken};
use crate::store::users::UserRow;
use crate::store::Conn;

/// How long a ceremony waits for the browser's answer.
pub const CEREMONY_TTL: i64 = 5 * 60;

/// The relying party for the public URL; None when the URL's host is an IP address, which
/// browsers refuse as a relying-party ID (keys are then not offered).
pub fn relying_party(public_url: &Url) -> Option<Webauthn> {
    let rp_id = public_url.domain()?;
    let built = WebauthnBuilder::new(rp_id, public_url).and_then(|b| b.rp_name("Latchkey").build());
    match built {
        Ok(w) => Some(w),
        Err(e) => {
            tracing::warn!(error = %e, "security keys are off: the public URL cannot be a WebAuthn relying party");
            None
        }
    }
}

pub const NOT_AVAILABLE: Msg = Msg::new("service-key-not-available");

pub(crate) fn webauthn(state: &AppState) -> Result<&Webauthn> {
    state.webauthn.as_ref().ok_or_else(|| ServiceError::Invalid(NOT_AVAILABLE))
}

/// A ceremony begun: its id (the browser sends it back) and the options for
/// `navigator.credentials`, as JSON.
#[derive(Debug, Clone)]
pub struct Ceremony {
    pub id: String,
    pub options: String,
}

/// What a ceremony is for; one purpose's challenge never finishes another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Adding a key.
    Register,
    /// The second step of one sign-in.
    SignIn,
    /// Confirming a change with a current second factor.
    Proof,
    /// Signing in with a passkey alone.
    Passkey,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::SignIn => "signin",
            Purpose::Proof => "proof",
            Purpose::Passkey => "passkey",
        }
    }
}

fn internal(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(format!("security key: {e}"))
}

/// Stores a ceremony's state in the caller's transaction; its id for the browser.
pub(crate) fn store(
    conn: &mut Conn,
    (purpose, owner): (Purpose, &str),
    user_id: Option<i64>,
    state: &impl serde::Serialize,
    detail: Option<&str>,
    now: i64,
) -> Result<String> {
    let (id, id_hash) = new_token();
    let state = serde_json::to_string(state).map_err(internal)?;
    let c = NewCeremony {
        id_hash: &id_hash,
        purpose: purpose.as_str(),
        owner,
        user_id,
        state: &state,
        detail,
        expires_at: now + CEREMONY_TTL,
    };
    security_keys::begin(conn, &c, now)?;
    Ok(id)
}

/// A form came back without the browser's answer (its script did not run).
pub const NO_ANSWER: Msg = Msg::new("service-key-no-answer");
/// The ceremony is unknown, used or expired.
pub const CHALLENGE_GONE: Msg = Msg::new("service-key-challenge-gone");
const UNREADABLE: Msg = Msg::new("service-key-unreadable");
/// The answer is not from a key of the account.
pub const REFUSED: Msg = Msg::new("service-key-refused");

/// Takes a ceremony (used up whatever follows).
pub(crate) fn take(conn: &mut Conn, id: &str, (purpose, owner): (Purpose, &str), now: i64) -> Result<Option<Taken>> {
    Ok(security_keys::take(conn, &hash_token(id.trim()), purpose.as_str(), owner, now)?)
}

/// The passkeys of an account, as the library reads them, with their rows.
fn passkeys(conn: &mut Conn, user_id: i64) -> Result<Vec<(KeyRow, Passkey)>> {
    let rows = security_keys::of_user(conn, user_id)?;
    rows.into_iter()
        .map(|r| {
            let p: Passkey = serde_json::from_str(&r.passkey).map_err(internal)?;
            Ok((r, p))
        })
        .collect()
}

/// Begins an assertion with the account's keys, in the caller's transaction. None: it has none.
pub(crate) fn begin_assertion(
    conn: &mut Conn,
    state: &AppState,
    user_id: i64,
    (purpose, owner): (Purpose, &str),
    now: i64,
) -> Result<Option<Ceremony>> {
    let webauthn = webauthn(state)?;
    let keys: Vec<Passkey> = passkeys(conn, user_id)?.into_iter().map(|(_, p)| p).collect();
    if keys.is_empty() {
        return Ok(None);
    }
    let (options, auth) = webauthn.start_passkey_authentication(&keys).map_err(internal)?;
    let id = store(conn, (purpose, owner), Some(user_id), &auth, None, now)?;
    Ok(Some(Ceremony { id, options: options_json(&options)? }))
}

pub(crate) fn options_json(options: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(options).map_err(internal)
}

/// Checks the browser's answer to an assertion begun for `user`, in the caller's transaction:
/// the challenge is taken, the library verifies the answer, and the key's sign counter moves on.
pub(crate) fn check(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    (purpose, owner): (Purpose, &str),
    (ceremony, response): (&str, &str),
    actor: &Actor,
    now: i64,
) -> Result<Checked<Key>> {
    let Some(taken) = take(conn, ceremony, (purpose, owner), now)? else {
        return Ok(Checked::Refused(ServiceError::Invalid(CHALLENGE_GONE)));
    };
    if taken.user_id != Some(user.id) {
        return Ok(Checked::Refused(ServiceError::Invalid(CHALLENGE_GONE)));
    }
    // The answer takes its attempts (the loser of a double submit, above, took none).
    let limits = super::limits(state, user.id, actor);
    if let Some(refused) = guard::take(&mut *conn, &limits, now)?.refusal() {
        return Ok(Checked::Refused(refused));
    }
    let Ok(credential) = serde_json::from_str::<PublicKeyCredential>(response) else {
        guard::not_a_guess(&mut *conn, &limits, now)?;
        return Ok(Checked::Refused(ServiceError::Invalid(UNREADABLE)));
    };
    let auth: PasskeyAuthentication = serde_json::from_str(&taken.state).map_err(internal)?;
    let verified = webauthn(state)?.finish_passkey_authentication(&credential, &auth);
    let result = match verified {
        Ok(r) => r,
        Err(e) => return refused(conn, state, user, actor, &e.to_string(), now),
    };
    let keys = passkeys(conn, user.id)?;
    let Some((row, passkey)) = keys.into_iter().find(|(_, p)| p.cred_id() == result.cred_id()) else {
        return refused(conn, state, user, actor, "not a key of this account", now);
    };
    let used = record_use(conn, state, user, (row, passkey), &result, actor, now)?;
    if let Checked::Accepted(_) = used {
        if let Some(refused) = guard::right(&mut *conn, &limits, now)?.refusal() {
            return Ok(Checked::Refused(refused));
        }
    }
    Ok(used)
}

/// Moves the key's sign counter on (refusing when another use moved it first) and records the
/// use; the key as this sign-in used it.
pub(crate) fn record_use(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    (row, mut passkey): (KeyRow, Passkey),
    result: &webauthn_rs::prelude::AuthenticationResult,
    actor: &Actor,
    now: i64,
) -> Result<Checked<Key>> {
    // The library compared the counter with the key as the ceremony began; the stored one may
    // have moved since. A counter that does not move past it may be a cloned key.
    let counter = i64::from(result.counter());
    if (counter > 0 || row.counter > 0) && counter <= row.counter {
        return refused(conn, state, user, actor, "sign counter did not move on (a cloned key?)", now);
    }
    passkey.update_credential(result);
    let json = serde_json::to_string(&passkey).map_err(internal)?;
    if !security_keys::used(conn, row.id, &json, (row.counter, counter), now)? {
        return refused(conn, state, user, actor, "sign counter moved by another use", now);
    }
    guard::audit(conn, AuditKind::SecurityKeyAccepted, user, actor, &row.name, now)?;
    let key = Key { hardware: !result.backup_eligible(), user_verified: result.user_verified() };
    Ok(Checked::Accepted(key))
}

/// A refused answer: audited, and counted against the second-factor limits like a wrong code
/// (an answer cannot be guessed, but a client that keeps sending bad ones is stopped). The
/// caller took the attempts first.
pub(crate) fn refused(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    actor: &Actor,
    why: &str,
    now: i64,
) -> Result<Checked<Key>> {
    guard::audit(conn, AuditKind::SecurityKeyRefused, user, actor, why, now)?;
    let limits = super::limits(state, user.id, actor);
    Ok(Checked::Wrong(super::wrong_guess(conn, user, actor, &limits, now, REFUSED)?))
}

/// The account's keys as a passkey sign-in checks them.
pub(crate) fn discoverable(conn: &mut Conn, user_id: i64) -> Result<Vec<(KeyRow, Passkey, DiscoverableKey)>> {
    Ok(passkeys(conn, user_id)?
        .into_iter()
        .map(|(r, p)| {
            let d = DiscoverableKey::from(&p);
            (r, p, d)
        })
        .collect())
}
