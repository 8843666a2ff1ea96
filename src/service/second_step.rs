//! The second step of a sign-in: a pending sign-in (its own short-lived token, stored as a
//! hash) that can only be completed with the emailed code or the Recovery Key.

use super::app_code::check_app_code;
use super::second_factor::{check_code, check_recovery_key, new_recovery_key, notify, send_code};
use super::sessions::{start_session, NewSessionToken};
use super::signin::account_key;
use super::{Result, ServiceError};
use crate::app::AppState;
use crate::domain::email::EmailAddress;
use crate::domain::recovery_key::RecoveryKey;
use crate::domain::signin::SecondStepMethod;

use crate::mail;
use crate::secrets::{hash_token, new_token};
use crate::store::audit::Actor;
use crate::store::codes::CodePurpose;
use crate::store::users::UserRow;
use crate::store::{factors, orgs, pending, throttle, users, Conn};

/// The token of a new pending sign-in, for its cookie.
pub struct PendingToken(pub String);

/// Starts the second step in the caller's transaction.
pub(crate) async fn start(conn: &mut Conn, state: &AppState, user_id: i64, now: i64) -> Result<PendingToken> {
    let (token, hash) = new_token();
    pending::insert(conn, &hash, user_id, now, now + state.settings.pending_signin_ttl.as_secs() as i64).await?;
    Ok(PendingToken(token))
}

/// Mails the sign-in code that the second step starts with. Within the cooldown the code sent
/// a moment ago still works, so nothing more is sent.
pub(crate) async fn send_first_code(state: &AppState, user: &UserRow, actor: &Actor) -> Result<()> {
    let org = org_name(state, user.org_id).await?;
    match send_code(state, user, &org, CodePurpose::SignIn, actor).await {
        Ok(()) | Err(ServiceError::Cooldown { .. }) | Err(ServiceError::Throttled { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

async fn org_name(state: &AppState, org_id: i64) -> Result<String> {
    let mut conn = state.db.read().await?;
    Ok(orgs::by_id(&mut conn, org_id).await?.map(|o| o.name).unwrap_or_default())
}

/// What the second-step page shows.
pub struct Pending {
    pub user: UserRow,
    pub masked_email: String,
    pub has_authenticator: bool,
    pub has_email_code: bool,
    pub has_recovery_key: bool,
}

/// The pending sign-in behind a token, if it is still running.
pub async fn find(state: &AppState, token: &str) -> Result<Pending> {
    let mut conn = state.db.read().await?;
    let p = pending::find(&mut conn, &hash_token(token), state.clock.now()).await?.ok_or(ServiceError::StepExpired)?;
    let user = users::by_id(&mut conn, p.user_id).await?.ok_or(ServiceError::StepExpired)?;
    let f = factors::of_user(&mut conn, user.id).await?;
    let masked_email = EmailAddress::parse(&user.email).map(|e| e.masked()).unwrap_or_default();
    Ok(Pending {
        user,
        masked_email,
        has_authenticator: f.authenticator,
        has_email_code: f.email_code,
        has_recovery_key: f.recovery_key,
    })
}

/// "Resend code" (or "Send a code to my email instead") on the second step.
pub async fn resend(state: &AppState, token: &str, actor: &Actor) -> Result<()> {
    let p = find(state, token).await?;
    if !p.has_email_code {
        return Err(ServiceError::Invalid("Codes by email are not on for this account.".into()));
    }
    let org = org_name(state, p.user.org_id).await?;
    send_code(state, &p.user, &org, CodePurpose::SignIn, actor).await
}

/// Ends the pending sign-in and starts the real session (a new token), in the transaction.
async fn finish(conn: &mut Conn, token: &str, user: &UserRow, actor: &Actor, now: i64) -> Result<NewSessionToken> {
    if !pending::delete(conn, &hash_token(token)).await? {
        return Err(ServiceError::StepExpired);
    }
    // The sign-in is complete: the account's password failures are forgotten (unless another
    // request locked it meanwhile, which stands).
    throttle::succeed(conn, &account_key(&user.email), true, now).await?;
    users::record_sign_in(conn, user.id, now).await?;
    start_session(conn, user.id, user.org_id, actor, now).await
}

/// "Continue" with a code from the authenticator app or from the email.
pub async fn with_code(
    state: &AppState,
    token: &str,
    method: SecondStepMethod,
    code: &str,
    actor: &Actor,
) -> Result<NewSessionToken> {
    // One read finds the user; the checks (locks included) run in the write transaction.
    let now = state.clock.now();
    let found = pending::user_of(&mut *state.db.read().await?, &hash_token(token), now)
        .await?
        .ok_or(ServiceError::StepExpired)?;
    if method == SecondStepMethod::EmailCode && found.has_email_code == 0 {
        return Err(ServiceError::Invalid("Codes by email are not on for this account.".into()));
    }
    let user = found.user;
    let mut tx = state.db.begin().await?;
    let checked = match method {
        SecondStepMethod::AuthenticatorApp => check_app_code(&mut tx, state, &user, code, actor, now).await?,
        SecondStepMethod::EmailCode => check_code(&mut tx, state, &user, CodePurpose::SignIn, code, actor, now).await?,
    };
    if let Err(e) = checked {
        tx.commit().await?;
        return Err(e);
    }
    let session = finish(&mut tx, token, &user, actor, now).await?;
    tx.commit().await?;
    Ok(session)
}

/// "Use your Recovery Key": uses the key up, signs in, and creates the next key at once
/// (two-factor authentication stays on). Returns the session and the new key to show.
pub async fn with_recovery_key(
    state: &AppState,
    token: &str,
    key: &str,
    actor: &Actor,
) -> Result<(NewSessionToken, RecoveryKey)> {
    let p = find(state, token).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if let Err(e) = check_recovery_key(&mut tx, state, &p.user, key, actor, now).await? {
        tx.commit().await?;
        return Err(e);
    }
    let new_key = new_recovery_key(&mut tx, state, p.user.id, now).await?;
    notify(&mut tx, state, &p.user, actor, now, mail::recovery_key_used).await?;
    let session = finish(&mut tx, token, &p.user, actor, now).await?;
    tx.commit().await?;
    state.mailer.wake.notify_one();
    Ok((session, new_key))
}
