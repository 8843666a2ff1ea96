//! Turning two-factor authentication on and off, and managing the Recovery Key, from
//! Manage Account -> Security and Credentials.

use super::app_code::check_app_code;
use super::second_factor::{check_code, check_recovery_key, new_recovery_key, notify, recovery_hash, send_code};

use super::sessions::Current;
use super::{Result, ServiceError};
use crate::app::AppState;
use crate::clock::format_utc;
use crate::domain::recovery_key::RecoveryKey;
use crate::domain::signin::Factors;
use crate::mail;
use crate::store::audit::{self, Actor, Event, Kind};
use crate::store::codes::CodePurpose;
use crate::store::{factors, pending, Conn};
use subtle::ConstantTimeEq;

/// The user's second factors and when their Recovery Key was made.
pub async fn status(state: &AppState, user_id: i64) -> Result<(Factors, Option<i64>)> {
    let mut conn = state.db.read().await?;
    let f = factors::of_user(&mut conn, user_id).await?;
    let created = factors::recovery_key_created(&mut conn, user_id).await?;
    Ok((f, created))
}

const VERIFY_FIRST: &str =
    "Verify your email address before you turn on two-factor authentication: the codes are sent to it.";

/// "Send verification code" (and "Resend code") when turning two-factor authentication on.
pub async fn send_enable_code(state: &AppState, c: &Current, actor: &Actor) -> Result<()> {
    if c.user.email_verified_at.is_none() {
        return Err(ServiceError::Invalid(VERIFY_FIRST.into()));
    }
    if status(state, c.user.id).await?.0.email_code {
        return Err(ServiceError::Invalid("Codes by email are already on.".into()));
    }
    send_code(state, &c.user, &c.org.name, CodePurpose::Enable, actor).await
}

/// "Continue" with the emailed code: turns two-factor authentication on and creates the
/// Recovery Key in the same transaction. Returns the key, to be shown once.
/// When an authenticator app already turned two-factor authentication on, the email code is
/// added as a second method and the Recovery Key stays as it is (`None`).
pub async fn enable(state: &AppState, c: &Current, code: &str, actor: &Actor) -> Result<Option<RecoveryKey>> {
    if c.user.email_verified_at.is_none() {
        return Err(ServiceError::Invalid(VERIFY_FIRST.into()));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if let Err(e) = check_code(&mut tx, state, &c.user, CodePurpose::Enable, code, actor, now).await? {
        tx.commit().await?;
        return Err(e);
    }
    let was_on = factors::of_user(&mut tx, c.user.id).await?.two_factor_on();
    if !factors::add(&mut tx, c.user.id, factors::EMAIL, now).await? {
        return Err(ServiceError::Invalid("Codes by email are already on.".into()));
    }
    let key = if was_on { None } else { Some(new_recovery_key(&mut tx, state, c.user.id, now).await?) };

    let e = Event {
        kind: Kind::TwoFactorEnabled,
        user_id: Some(c.user.id),
        org_id: Some(c.org.id),
        actor,
        detail: "email",
    };
    audit::record(&mut tx, e, now).await?;
    notify(&mut tx, state, &c.user, actor, now, mail::two_factor_on).await?;
    tx.commit().await?;
    state.mailer.wake.notify_one();
    Ok(key)
}

/// Checks the password of the signed-in user; a wrong one counts as a failed sign-in.
pub(crate) async fn check_password(state: &AppState, c: &Current, password: &str, actor: &Actor) -> Result<()> {
    super::signin::recheck_password(state, c, password, actor, "wrong password", "Your password is not correct.").await
}

const NO_EMAIL_CODES: &str =
    "Codes by email are not one of your second factors. Use your authenticator app or your Recovery Key.";

/// "Send verification code" on the pages that need a current second factor (turning
/// two-factor authentication off, removing an app, an admin's confirmation).
pub async fn send_disable_code(state: &AppState, c: &Current, actor: &Actor) -> Result<()> {
    let factors = status(state, c.user.id).await?.0;
    if !factors.two_factor_on() {
        return Err(ServiceError::Invalid("Two-factor authentication is already off.".into()));
    }
    if !factors.email_code {
        return Err(ServiceError::Invalid(NO_EMAIL_CODES.into()));
    }
    send_code(state, &c.user, &c.org.name, CodePurpose::Disable, actor).await
}

/// The second factor given to turn two-factor authentication off.
pub enum Proof<'a> {
    /// A code from the authenticator app.
    AppCode(&'a str),
    /// A code mailed for this purpose.
    Code(&'a str),
    RecoveryKey(&'a str),
}

/// What a proof used up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Proved {
    /// A code: nothing to replace.
    Code,
    /// The Recovery Key: it no longer works, and while two-factor authentication stays on a new
    /// one must follow (`replace_used_key`).
    RecoveryKey,
}

/// Checks the second factor given as proof for a sensitive change, in the caller's transaction
/// (see `check_code`). An emailed code counts only when codes by email are one of the user's
/// factors: otherwise whoever reads the mailbox could stand in for the authenticator app.
pub(crate) async fn check_proof(
    conn: &mut Conn,
    state: &AppState,
    c: &Current,
    proof: Proof<'_>,
    actor: &Actor,
    now: i64,
) -> Result<Result<Proved, ServiceError>> {
    Ok(match proof {
        Proof::AppCode(code) => check_app_code(conn, state, &c.user, code, actor, now).await?.map(|()| Proved::Code),
        Proof::Code(_) if !c.factors.email_code => Err(ServiceError::Invalid(NO_EMAIL_CODES.into())),
        Proof::Code(code) => {
            check_code(conn, state, &c.user, CodePurpose::Disable, code, actor, now).await?.map(|()| Proved::Code)
        }
        Proof::RecoveryKey(key) => {
            check_recovery_key(conn, state, &c.user, key, actor, now).await?.map(|()| Proved::RecoveryKey)
        }
    })
}

/// After a change proved with the Recovery Key, in the same transaction: a new key when
/// two-factor authentication is still on (there is never 2FA without a way back in), to be
/// shown once, as a sign-in with the key does.
pub(crate) async fn replace_used_key(
    conn: &mut Conn,
    state: &AppState,
    c: &Current,
    proved: Proved,
    actor: &Actor,
    now: i64,
) -> Result<Option<RecoveryKey>> {
    if proved != Proved::RecoveryKey || !factors::of_user(&mut *conn, c.user.id).await?.two_factor_on() {
        return Ok(None);
    }
    let key = new_recovery_key(&mut *conn, state, c.user.id, now).await?;
    let e = Event {
        kind: Kind::RecoveryKeyRegenerated,
        user_id: Some(c.user.id),
        org_id: Some(c.org.id),
        actor,
        detail: "the previous one was used as proof",
    };
    audit::record(conn, e, now).await?;
    Ok(Some(key))
}

/// "Disable Two-Factor Authentication": needs the password and a current second factor;
/// removes every factor and the Recovery Key, and tells the user.
pub async fn disable(state: &AppState, c: &Current, password: &str, proof: Proof<'_>, actor: &Actor) -> Result<()> {
    if !status(state, c.user.id).await?.0.two_factor_on() {
        return Err(ServiceError::Invalid("Two-factor authentication is already off.".into()));
    }
    super::admin::ensure_policy_allows(c, Factors::default())?;
    check_password(state, c, password, actor).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let checked = check_proof(&mut tx, state, c, proof, actor, now).await?;
    if let Err(e) = checked {
        tx.commit().await?;
        return Err(e);
    }
    factors::remove_all(&mut tx, c.user.id).await?;
    pending::delete_for_user(&mut tx, c.user.id).await?;
    let e =
        Event { kind: Kind::TwoFactorDisabled, user_id: Some(c.user.id), org_id: Some(c.org.id), actor, detail: "" };
    audit::record(&mut tx, e, now).await?;
    notify(&mut tx, state, &c.user, actor, now, mail::two_factor_off).await?;
    tx.commit().await?;
    state.mailer.wake.notify_one();
    Ok(())
}

/// "Regenerate Recovery Key": needs the password; the old key stops working.
pub async fn regenerate_recovery_key(
    state: &AppState,
    c: &Current,
    password: &str,
    actor: &Actor,
) -> Result<RecoveryKey> {
    if !status(state, c.user.id).await?.0.two_factor_on() {
        return Err(ServiceError::Invalid("Turn on two-factor authentication first.".into()));
    }
    check_password(state, c, password, actor).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let key = new_recovery_key(&mut tx, state, c.user.id, now).await?;
    let e = Event {
        kind: Kind::RecoveryKeyRegenerated,
        user_id: Some(c.user.id),
        org_id: Some(c.org.id),
        actor,
        detail: "",
    };
    audit::record(&mut tx, e, now).await?;
    notify(&mut tx, state, &c.user, actor, now, mail::recovery_key_regenerated).await?;
    tx.commit().await?;
    state.mailer.wake.notify_one();
    Ok(key)
}

/// The Recovery Key file for "Download": only for the user's current key (the page posts it
/// back, and nothing else is served).
pub async fn recovery_key_file(state: &AppState, c: &Current, typed: &str, actor: &Actor) -> Result<String> {
    let key = RecoveryKey::parse(typed).map_err(ServiceError::invalid)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let stored = factors::recovery_key_hash(&mut tx, c.user.id).await?.unwrap_or_default();
    let current: bool = recovery_hash(state, &key).as_bytes().ct_eq(stored.as_bytes()).into();
    if !current {
        return Err(ServiceError::Invalid(
            "This Recovery Key is no longer yours to download: a newer one replaced it.".into(),
        ));
    }
    let e = Event {
        kind: Kind::RecoveryKeyDownloaded,
        user_id: Some(c.user.id),
        org_id: Some(c.org.id),
        actor,
        detail: "",
    };
    audit::record(&mut tx, e, now).await?;
    tx.commit().await?;
    Ok(recovery_key_text(&key, &c.user.email, &c.org.name, &state.settings.link("/login"), now))
}

/// The text of the downloaded file.
pub fn recovery_key_text(key: &RecoveryKey, email: &str, org: &str, login_url: &str, now: i64) -> String {
    format!(
        "Latchkey Recovery Key\r\n\r\nAccount: {email}\r\nOrganization: {org}\r\nCreated: {}\r\n\r\nRecovery Key: {}\r\n\r\n\
         How to use it: if you cannot get a verification code by email, log in at {login_url} with your password, \
         choose \"Use your Recovery Key\" and type this key. It works once; you then get a new one.\r\n\r\n\
         Keep this file as safe as your password. Anyone with it and your password can sign in as you.\r\n",
        format_utc(now),
        key.display()
    )
}
