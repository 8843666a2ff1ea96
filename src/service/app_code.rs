//! Codes from authenticator apps: checking one (each time step once), and what a wrong,
//! replayed or mistimed code is told.

use super::second_factor::{clear_failures, failure, locked};
use super::{Result, ServiceError};
use crate::app::AppState;
use crate::domain::codes::OneTimeCode;
use crate::domain::totp::{self, TotpCheck, TotpSecret};
use crate::store::audit::{self, Actor, Event, Kind};
use crate::store::users::UserRow;
use crate::store::{factors, Conn};

/// Reads a stored (encrypted) TOTP secret.
pub(crate) fn open_totp_secret(state: &AppState, stored: Option<&str>) -> Result<TotpSecret> {
    let sealed = stored.ok_or_else(|| ServiceError::Internal("authenticator secret missing".into()))?;
    let raw = state.key.decrypt(sealed).map_err(|e| ServiceError::Internal(e.to_string()))?;
    TotpSecret::from_slice(&raw)
        .ok_or_else(|| ServiceError::Internal("authenticator secret has the wrong length".into()))
}

/// The message for a code that belongs to another time, and its audit event.
async fn totp_refusal(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    actor: &Actor,
    now: i64,
    found: TotpCheck,
) -> Result<ServiceError> {
    let (kind, detail, wrong) = match found {
        TotpCheck::Replayed => (
            Kind::AuthenticatorReplayRefused,
            String::new(),
            "This code was already used. Wait for the next code in your app and enter that one.".to_string(),
        ),
        TotpCheck::Skewed { offset } => (
            Kind::AuthenticatorClockSkew,
            format!("{offset} steps"),
            format!(
                "This code is not valid now, but it was made for another time: your device's time looks {}. \
                 Set your phone to set its time automatically, then enter the new code.",
                totp::skew_in_words(offset)
            ),
        ),
        _ => (
            Kind::AuthenticatorCodeWrong,
            String::new(),
            "The code is not correct. Enter the current code from your authenticator app.".into(),
        ),
    };
    let e = Event { kind, user_id: Some(user.id), org_id: Some(user.org_id), actor, detail: &detail };
    audit::record(conn, e, now).await?;
    failure(conn, state, user, actor, now, &wrong).await
}

/// Counts a wrong first code during an authenticator set-up, with the same messages as at
/// sign-in (wrong, or the device clock is off).
pub(crate) async fn refuse_setup_code(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    actor: &Actor,
    now: i64,
    found: TotpCheck,
) -> Result<ServiceError> {
    totp_refusal(conn, state, user, actor, now, found).await
}

/// Checks a code from the user's authenticator app, in the caller's transaction (see
/// `check_code`). The time step is recorded atomically, so each code works once.
pub(crate) async fn check_app_code(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    typed: &str,
    actor: &Actor,
    now: i64,
) -> Result<Result<(), ServiceError>> {
    let code = match OneTimeCode::parse(typed) {
        Ok(c) => c,
        Err(e) => return Ok(Err(ServiceError::invalid(e))),
    };
    if let Some(retry_after) = locked(conn, user.id, actor, now).await? {
        return Ok(Err(ServiceError::Throttled { retry_after }));
    }
    let Some(row) = factors::totp(conn, user.id, factors::TOTP).await? else {
        return Ok(Err(ServiceError::Invalid("No authenticator app is set up for this account.".into())));
    };
    let secret = open_totp_secret(state, row.secret.as_deref())?;
    let found = totp::check(&secret, code.expose(), now, row.last_step);
    if let TotpCheck::Accepted { step } = found {
        if factors::advance_totp_step(conn, user.id, step).await? {
            let e = Event {
                kind: Kind::AuthenticatorCodeAccepted,
                user_id: Some(user.id),
                org_id: Some(user.org_id),
                actor,
                detail: "",
            };
            audit::record(conn, e, now).await?;
            clear_failures(conn, user.id).await?;
            return Ok(Ok(()));
        }
        // Another request used this step a moment ago.
        return Ok(Err(totp_refusal(conn, state, user, actor, now, TotpCheck::Replayed).await?));
    }
    Ok(Err(totp_refusal(conn, state, user, actor, now, found).await?))
}
