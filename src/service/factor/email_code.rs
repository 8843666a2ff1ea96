//! The emailed code as a way in: mailing one (under the cooldown and the hourly cap), and
//! checking the one typed. Codes to turn two-factor authentication on or to confirm a change
//! are kept per account and purpose (`store::codes`); a sign-in's code belongs to its pending
//! sign-in (`store::pending`), so that no other sign-in's code can hold it back.

use crate::store::orgs::OrgRow;
use rand::rngs::OsRng;
use subtle::ConstantTimeEq;

use super::super::guard::{self, Limit};
use super::super::{Checked, Result, ServiceError};
use super::{limits, wrong_guess};
use crate::domain::audit::AuditKind;
use crate::domain::codes::{resend_wait, verdict, CodeState, CodeVerdict, OneTimeCode};
use crate::domain::factor::CodePurpose;
use crate::domain::text::Msg;
use crate::mail;
use crate::secrets::SecretKey;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::users::UserRow;
use crate::store::{codes, pending, Conn};

/// The keyed hash an emailed code is stored as.
pub fn hash(key: &SecretKey, user_id: i64, code: &str) -> String {
    key.keyed_hash("email-code", format!("{user_id}:{code}").as_bytes())
}

/// What mailing a code came to.
pub(crate) enum Mailed {
    /// Queued; stored as `hash`, it works until `expires_at`.
    Sent { hash: String, expires_at: i64 },
    /// Not sent: the account's hourly cap holds until `until`.
    Capped { until: i64 },
}

/// Mails a new code of `purpose` in the caller's transaction, unless the hourly cap holds. The
/// caller stores the hash (the mail is in the outbox and leaves once the transaction commits).
pub(crate) fn mail_new(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    org: Option<&OrgRow>,
    purpose: CodePurpose,
    actor: &Actor,
    now: i64,
) -> Result<Mailed> {
    if let Some(until) = guard::take_code_quota(&mut *conn, state, user.id, now)? {
        return Ok(Mailed::Capped { until });
    }
    let code = OneTimeCode::generate(&mut OsRng);
    let ttl = state.settings.email_code_ttl;
    let to = crate::service::recipient_in(&mut *conn, user, org, true)?;
    let m = mail::verification_code(&to.locale, &to.org_name, &purpose.message(), code.expose(), ttl.as_secs() as i64);
    mail::queue(&mut *conn, &state.key, &user.email, &m, now)?;
    guard::audit(conn, AuditKind::EmailCodeSent, user, actor, purpose.as_str(), now)?;
    Ok(Mailed::Sent { hash: hash(&state.key, user.id, code.expose()), expires_at: now + ttl.as_secs() as i64 })
}

/// Whether the latest code of `purpose` can still be typed, and when "Resend code" can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeStatus {
    /// A code that still works was sent.
    pub usable: bool,
    /// Seconds until "Resend code" (0: now).
    pub resend_in: i64,
}

fn usable(row: &codes::CodeRow, now: i64, max_tries: i64) -> bool {
    let state = CodeState { expires_at: row.expires_at, attempts: row.attempts, used: row.used_at.is_some() };
    verdict(state, now, max_tries) == CodeVerdict::Usable
}

/// The code status of `purpose` for the user. The cooldown counts only from a code that still
/// works: a code used, expired or tried out never holds back the next one.
pub async fn status(state: &AppState, user_id: i64, purpose: CodePurpose) -> Result<CodeStatus> {
    let now = state.clock.now();
    let latest = state.db.read(|conn| codes::latest(conn, user_id, purpose))?;
    Ok(status_of(state, latest.as_ref(), now))
}

fn status_of(state: &AppState, latest: Option<&codes::CodeRow>, now: i64) -> CodeStatus {
    let s = &state.settings;
    match latest {
        Some(row) if usable(row, now, s.email_code_max_tries) => CodeStatus {
            usable: true,
            resend_in: resend_wait(Some(row.sent_at), now, s.code_resend_cooldown.as_secs() as i64).unwrap_or(0),
        },
        _ => CodeStatus { usable: false, resend_in: 0 },
    }
}

/// "Send verification code" / "Resend code" for `purpose` (turning two-factor authentication
/// on, confirming a change): refused within the cooldown of a code that still works, or
/// beyond the hourly cap; otherwise the new code replaces the previous one.
pub(crate) async fn send(
    state: &AppState,
    user: &UserRow,
    org: &OrgRow,
    purpose: CodePurpose,
    actor: &Actor,
) -> Result<()> {
    let now = state.clock.now();
    let mailed = state.db.tx(|tx| {
        let latest = codes::latest_locked(tx, user.id, purpose)?;
        let status = status_of(state, latest.as_ref(), now);
        if status.resend_in > 0 {
            return Err(ServiceError::Cooldown { retry_after: status.resend_in });
        }
        let mailed = mail_new(tx, state, user, Some(org), purpose, actor, now)?;
        if let Mailed::Sent { hash, expires_at } = &mailed {
            codes::replace(tx, user.id, purpose, hash, now, *expires_at)?;
        }
        Ok(mailed)
    })?;
    match mailed {
        Mailed::Capped { until } => Err(ServiceError::CodeCapped { retry_after: until - now }),
        Mailed::Sent { .. } => {
            state.mailer.wake.notify_one();
            Ok(())
        }
    }
}

const CODE_USED: Msg = Msg::new("service-code-used");
const WRONG: Msg = Msg::new("service-code-wrong");

/// Who is guessing, from where, under which limits.
struct Guess<'a> {
    user: &'a UserRow,
    actor: &'a Actor,
    limits: &'a [Limit],
    now: i64,
}

/// Compares a typed code with the stored hash whose try was taken, and settles the guess.
fn compare(
    conn: &mut Conn,
    state: &AppState,
    g: Guess<'_>,
    purpose: CodePurpose,
    stored: &str,
    code: &OneTimeCode,
) -> Result<Checked> {
    let Guess { user, actor, limits, now } = g;
    let typed = hash(&state.key, user.id, code.expose());
    if !bool::from(typed.as_bytes().ct_eq(stored.as_bytes())) {
        guard::audit(&mut *conn, AuditKind::EmailCodeWrong, user, actor, purpose.as_str(), now)?;
        return Ok(Checked::Wrong(wrong_guess(conn, user, actor, limits, now, WRONG)?));
    }
    if let Some(refused) = guard::right(&mut *conn, limits, now)?.refusal() {
        return Ok(Checked::Refused(refused));
    }
    Ok(Checked::Accepted(()))
}

/// Checks a typed code against the latest code of `purpose` (not a sign-in's), in the caller's
/// transaction, and uses it up. The guess takes its attempts (the limits' and the code's own
/// tries) before it is compared; a code that cannot be used any more is refused without
/// comparing, so the answer to a refused guess is the same whether it was right or not.
pub(crate) fn check(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    purpose: CodePurpose,
    code: &OneTimeCode,
    actor: &Actor,
    now: i64,
) -> Result<Checked> {
    let limits = limits(state, user.id, actor);
    if let Some(refused) = guard::take(&mut *conn, &limits, now)?.refusal() {
        return Ok(Checked::Refused(refused));
    }
    let max = state.settings.email_code_max_tries;
    let Some(row) = codes::take_try(&mut *conn, user.id, purpose, now, max)? else {
        guard::not_a_guess(&mut *conn, &limits, now)?;
        return Ok(ServiceError::Invalid(unusable(conn, user.id, purpose, now, max)?).into());
    };
    let guess = Guess { user, actor, limits: &limits, now };
    let compared = compare(conn, state, guess, purpose, &row.code_hash, code)?;
    if !matches!(compared, Checked::Accepted(())) {
        return Ok(compared);
    }
    if !codes::use_up(&mut *conn, user.id, purpose, &row.code_hash, now)? {
        return Ok(ServiceError::Invalid(CODE_USED).into());
    }
    guard::audit(conn, AuditKind::EmailCodeAccepted, user, actor, purpose.as_str(), now)?;
    Ok(Checked::Accepted(()))
}

/// Checks a typed code against the code of one pending sign-in, in the caller's transaction
/// (as `check`). The code is used up when the caller ends the pending sign-in.
pub(crate) fn check_for_signin(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    token_hash: &str,
    code: &OneTimeCode,
    actor: &Actor,
    now: i64,
) -> Result<Checked> {
    let limits = limits(state, user.id, actor);
    if let Some(refused) = guard::take(&mut *conn, &limits, now)?.refusal() {
        return Ok(Checked::Refused(refused));
    }
    let max = state.settings.email_code_max_tries;
    let Some(stored) = pending::take_code_try(&mut *conn, token_hash, now, max)? else {
        guard::not_a_guess(&mut *conn, &limits, now)?;
        // Read again for the reason: finished meanwhile (the loser of a double submit),
        // expired while waiting, or out of tries.
        let why = match pending::load(&mut *conn, token_hash, now)? {
            None => ServiceError::StepExpired,
            Some(p) => match p.state.code {
                crate::domain::signin::Code::Sent { expires_at, .. } if expires_at <= now => {
                    ServiceError::Invalid(EXPIRED)
                }
                _ => ServiceError::Invalid(TRIED_OUT),
            },
        };
        return Ok(why.into());
    };
    let purpose = CodePurpose::SignIn;
    let guess = Guess { user, actor, limits: &limits, now };
    let compared = compare(conn, state, guess, purpose, &stored, code)?;
    if !matches!(compared, Checked::Accepted(())) {
        return Ok(compared);
    }
    guard::audit(conn, AuditKind::EmailCodeAccepted, user, actor, purpose.as_str(), now)?;
    Ok(Checked::Accepted(()))
}

/// A code whose tries ran out (or, racing, were taken by other guesses).
pub const TRIED_OUT: Msg = Msg::new("service-code-tried-out");
/// An expired code.
pub const EXPIRED: Msg = Msg::new("service-code-expired");
/// A sign-in for which no code was sent.
pub const NONE_SENT: Msg = Msg::new("service-code-none-sent");

/// Why no code of `purpose` can be tried now, in the user's words.
fn unusable(conn: &mut Conn, user_id: i64, purpose: CodePurpose, now: i64, max: i64) -> Result<Msg> {
    let Some(row) = codes::latest(conn, user_id, purpose)? else {
        return Ok(Msg::new("service-code-none-yet"));
    };
    let state = CodeState { expires_at: row.expires_at, attempts: row.attempts, used: row.used_at.is_some() };
    Ok(match verdict(state, now, max) {
        CodeVerdict::Used => CODE_USED,
        CodeVerdict::Expired => EXPIRED,
        CodeVerdict::TooManyTries | CodeVerdict::Usable => TRIED_OUT,
    })
}
