//! Codes from authenticator apps: checking one (each time step once), and what a wrong,
//! replayed or mistimed code is told. Every code takes its attempts before it is compared
//! (`guard`); a replay of a code already used (the loser of a double submit) is not a guess.

use super::super::guard::{self, Limit};
use super::super::{Checked, Result, ServiceError};
use super::{limits, wrong_guess};
use crate::domain::audit::AuditKind;
use crate::domain::codes::OneTimeCode;
use crate::domain::factor::FactorKind;
use crate::domain::text::Msg;
use crate::domain::totp::{self, TotpCheck, TotpSecret};
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::users::UserRow;
use crate::store::{factors, Conn};

const REPLAYED: Msg = Msg::new("service-app-replayed");

/// Reads a stored (encrypted) TOTP secret.
pub(crate) fn open_secret(state: &AppState, stored: Option<&str>) -> Result<TotpSecret> {
    let sealed = stored.ok_or_else(|| ServiceError::Internal("authenticator secret missing".into()))?;
    let raw = state.key.decrypt(sealed).map_err(|e| ServiceError::Internal(e.to_string()))?;
    TotpSecret::from_slice(&raw)
        .ok_or_else(|| ServiceError::Internal("authenticator secret has the wrong length".into()))
}

/// Settles a code that was not accepted: a replay gives its attempts back, a wrong or mistimed
/// code counts (a wrong guess). Writes the audit event; returns what the user is told.
fn refuse<T>(
    conn: &mut Conn,
    user: &UserRow,
    actor: &Actor,
    limits: &[Limit],
    now: i64,
    found: TotpCheck,
) -> Result<Checked<T>> {
    let (kind, detail) = match found {
        TotpCheck::Replayed => (AuditKind::AuthenticatorReplayRefused, String::new()),
        TotpCheck::Skewed { offset } => (AuditKind::AuthenticatorClockSkew, format!("{offset} steps")),
        _ => (AuditKind::AuthenticatorCodeWrong, String::new()),
    };
    guard::audit(&mut *conn, kind, user, actor, &detail, now)?;
    let wrong = match found {
        TotpCheck::Replayed => {
            guard::not_a_guess(conn, limits, now)?;
            return Ok(Checked::Refused(ServiceError::Invalid(REPLAYED)));
        }
        TotpCheck::Skewed { offset } => Msg::new("service-app-skewed").with("skew", totp::skew(offset)),
        _ => Msg::new("service-app-wrong"),
    };
    Ok(Checked::Wrong(wrong_guess(conn, user, actor, limits, now, wrong)?))
}

/// Checks the first code of an authenticator being set up (against its pending secret), in the
/// caller's transaction; accepted with the time step it was made for.
pub(crate) fn check_setup_code(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    secret: &TotpSecret,
    code: &OneTimeCode,
    actor: &Actor,
    now: i64,
) -> Result<Checked<i64>> {
    let limits = limits(state, user.id, actor);
    if let Some(refused) = guard::take(&mut *conn, &limits, now)?.refusal() {
        return Ok(Checked::Refused(refused));
    }
    match totp::check(secret, code.expose(), now, None) {
        TotpCheck::Accepted { step } => match guard::right(&mut *conn, &limits, now)?.refusal() {
            Some(refused) => Ok(Checked::Refused(refused)),
            None => Ok(Checked::Accepted(step)),
        },
        found => refuse(conn, user, actor, &limits, now, found),
    }
}

/// Checks a code from the user's authenticator app, in the caller's transaction. The time step
/// is recorded atomically, so each code works once.
pub(crate) fn check(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    code: &OneTimeCode,
    actor: &Actor,
    now: i64,
) -> Result<Checked> {
    let limits = limits(state, user.id, actor);
    if let Some(refused) = guard::take(&mut *conn, &limits, now)?.refusal() {
        return Ok(Checked::Refused(refused));
    }
    let Some(row) = factors::totp(&mut *conn, user.id, FactorKind::AuthenticatorApp)? else {
        guard::not_a_guess(&mut *conn, &limits, now)?;
        return Ok(ServiceError::Invalid(Msg::new("service-app-none")).into());
    };
    let secret = open_secret(state, row.secret.as_deref())?;
    let found = totp::check(&secret, code.expose(), now, row.last_step);
    let TotpCheck::Accepted { step } = found else {
        return refuse(conn, user, actor, &limits, now, found);
    };
    if let Some(refused) = guard::right(&mut *conn, &limits, now)?.refusal() {
        return Ok(Checked::Refused(refused));
    }
    if !factors::advance_totp_step(&mut *conn, user.id, step)? {
        // Another request used this step a moment ago: the loser of a double submit.
        return Ok(ServiceError::Invalid(REPLAYED).into());
    }
    guard::audit(conn, AuditKind::AuthenticatorCodeAccepted, user, actor, "", now)?;
    Ok(Checked::Accepted(()))
}
