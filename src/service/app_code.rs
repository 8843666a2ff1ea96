//! Codes from authenticator apps: checking one (each time step once), and what a wrong,
//! replayed or mistimed code is told. Every code takes its attempts before it is compared
//! (`guard`); a replay of a code already used (the loser of a double submit) is not a guess.

use super::guard::{self, Limit};
use super::second_factor::{limits, wrong_guess};
use super::{Result, ServiceError};
use crate::app::AppState;
use crate::domain::codes::OneTimeCode;
use crate::domain::totp::{self, TotpCheck, TotpSecret};
use crate::store::audit::{self, Actor, Event, Kind};
use crate::store::users::UserRow;
use crate::store::{factors, Conn};

const REPLAYED: &str = "This code was already used. Wait for the next code in your app and enter that one.";

/// Reads a stored (encrypted) TOTP secret.
pub(crate) fn open_totp_secret(state: &AppState, stored: Option<&str>) -> Result<TotpSecret> {
    let sealed = stored.ok_or_else(|| ServiceError::Internal("authenticator secret missing".into()))?;
    let raw = state.key.decrypt(sealed).map_err(|e| ServiceError::Internal(e.to_string()))?;
    TotpSecret::from_slice(&raw)
        .ok_or_else(|| ServiceError::Internal("authenticator secret has the wrong length".into()))
}

/// Settles a code that was not accepted: a replay gives its attempts back, a wrong or mistimed
/// code counts. Writes the audit event; returns what the user is told.
async fn refuse(
    conn: &mut Conn,
    user: &UserRow,
    actor: &Actor,
    limits: &[Limit],
    now: i64,
    found: TotpCheck,
) -> Result<ServiceError> {
    let (kind, detail) = match found {
        TotpCheck::Replayed => (Kind::AuthenticatorReplayRefused, String::new()),
        TotpCheck::Skewed { offset } => (Kind::AuthenticatorClockSkew, format!("{offset} steps")),
        _ => (Kind::AuthenticatorCodeWrong, String::new()),
    };
    let e = Event { kind, user_id: Some(user.id), org_id: Some(user.org_id), actor, detail: &detail };
    audit::record(&mut *conn, e, now).await?;
    let wrong = match found {
        TotpCheck::Replayed => {
            guard::not_a_guess(conn, limits, now).await?;
            return Ok(ServiceError::Invalid(REPLAYED.into()));
        }
        TotpCheck::Skewed { offset } => format!(
            "This code is not valid now, but it was made for another time: your device's time looks {}. \
             Set your phone to set its time automatically, then enter the new code.",
            totp::skew_in_words(offset)
        ),
        _ => "The code is not correct. Enter the current code from your authenticator app.".into(),
    };
    wrong_guess(conn, user, actor, limits, now, &wrong).await
}

/// Checks the first code of an authenticator being set up (against its pending secret), in the
/// caller's transaction; the time step it was accepted for, or the refusal to give.
pub(crate) async fn check_setup_code(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    secret: &TotpSecret,
    code: &OneTimeCode,
    actor: &Actor,
    now: i64,
) -> Result<Result<i64, ServiceError>> {
    let limits = limits(state, user.id, actor);
    if let Some(refused) = guard::take(&mut *conn, &limits, now).await?.refusal() {
        return Ok(Err(refused));
    }
    match totp::check(secret, code.expose(), now, None) {
        TotpCheck::Accepted { step } => match guard::right(&mut *conn, &limits, now).await?.refusal() {
            Some(refused) => Ok(Err(refused)),
            None => Ok(Ok(step)),
        },
        found => Ok(Err(refuse(conn, user, actor, &limits, now, found).await?)),
    }
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
    let limits = limits(state, user.id, actor);
    if let Some(refused) = guard::take(&mut *conn, &limits, now).await?.refusal() {
        return Ok(Err(refused));
    }
    let Some(row) = factors::totp(&mut *conn, user.id, factors::TOTP).await? else {
        guard::not_a_guess(&mut *conn, &limits, now).await?;
        return Ok(Err(ServiceError::Invalid("No authenticator app is set up for this account.".into())));
    };
    let secret = open_totp_secret(state, row.secret.as_deref())?;
    let found = totp::check(&secret, code.expose(), now, row.last_step);
    let TotpCheck::Accepted { step } = found else {
        return Ok(Err(refuse(conn, user, actor, &limits, now, found).await?));
    };
    if let Some(refused) = guard::right(&mut *conn, &limits, now).await?.refusal() {
        return Ok(Err(refused));
    }
    if !factors::advance_totp_step(&mut *conn, user.id, step).await? {
        // Another request used this step a moment ago: the loser of a double submit.
        return Ok(Err(ServiceError::Invalid(REPLAYED.into())));
    }
    let e = Event {
        kind: Kind::AuthenticatorCodeAccepted,
        user_id: Some(user.id),
        org_id: Some(user.org_id),
        actor,
        detail: "",
    };
    audit::record(conn, e, now).await?;
    Ok(Ok(()))
}
