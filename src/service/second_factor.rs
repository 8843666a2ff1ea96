//! What every second step shares: sending an emailed code, checking a code or a Recovery Key,
//! and the bounds on guessing (per code, per account, per client address), all in the database.

use rand::rngs::OsRng;
use subtle::ConstantTimeEq;

use super::{lifetime_words, Result, ServiceError};
use crate::app::AppState;
use crate::clock::format_utc;
use crate::domain::codes::{resend_wait, verdict, CodeState, CodeVerdict, OneTimeCode};
use crate::domain::recovery_key::RecoveryKey;

use super::guard::{self, Limit, Lock};
use crate::mail::{self, Mail, Origin};
use crate::secrets::SecretKey;
use crate::store::audit::{self, Actor, Event, Kind};
use crate::store::codes::{self, CodePurpose};
use crate::store::users::UserRow;
use crate::store::{factors, throttle as counters, Conn};

fn account_key(user_id: i64) -> String {
    format!("2fa:acct:{user_id}")
}

fn address_key(ip: &str) -> String {
    format!("2fa:ip:{}", crate::domain::throttle::address_group(ip))
}

/// The keyed hash an emailed code is stored as.
pub fn email_code_hash(key: &SecretKey, user_id: i64, code: &str) -> String {
    key.keyed_hash("email-code", format!("{user_id}:{code}").as_bytes())
}

fn code_hash(state: &AppState, user_id: i64, code: &str) -> String {
    email_code_hash(&state.key, user_id, code)
}

pub(crate) fn recovery_hash(state: &AppState, key: &RecoveryKey) -> String {
    state.key.keyed_hash("recovery-key", key.canonical().as_bytes())
}

/// A new Recovery Key from the OS random source, stored (replacing any other) in the caller's
/// transaction. The key itself is returned once, to be shown and downloaded.
pub(crate) async fn new_recovery_key(conn: &mut Conn, state: &AppState, user_id: i64, now: i64) -> Result<RecoveryKey> {
    let mut bytes = [0u8; crate::domain::recovery_key::SYMBOLS];
    rand::RngCore::fill_bytes(&mut OsRng, &mut bytes);
    let key = RecoveryKey::from_random(bytes);
    factors::set_recovery_key(conn, user_id, &recovery_hash(state, &key), now).await?;
    Ok(key)
}

/// The limits a second-step guess (an emailed code, an app code, a Recovery Key) counts against.
pub(crate) fn limits(state: &AppState, user_id: i64, actor: &Actor) -> Vec<Limit> {
    let s = &state.settings;
    vec![
        Limit { key: account_key(user_id), policy: s.second_factor_account, owner: true },
        Limit { key: address_key(&actor.ip), policy: s.second_factor_address, owner: false },
    ]
}

/// Settles a wrong second step (its own audit event already written); the error to give the
/// user: locked, or `wrong`.
pub(crate) async fn wrong_guess(
    conn: &mut Conn,
    user: &UserRow,
    actor: &Actor,
    limits: &[Limit],
    now: i64,
    wrong: &str,
) -> Result<ServiceError> {
    if let Lock::Set { until, owner } = guard::wrong(&mut *conn, limits, now).await? {
        let detail = if owner { "account" } else { "client address" };
        let e =
            Event { kind: Kind::SecondFactorLocked, user_id: Some(user.id), org_id: Some(user.org_id), actor, detail };
        audit::record(conn, e, now).await?;
        return Ok(ServiceError::Throttled { retry_after: until - now });
    }
    Ok(ServiceError::Invalid(wrong.into()))
}

fn purpose_words(p: CodePurpose) -> &'static str {
    match p {
        CodePurpose::Enable => "turn on two-factor authentication",
        CodePurpose::SignIn => "log in",
        CodePurpose::Disable => "confirm a change to your two-factor authentication",
    }
}

/// When a new code of `purpose` may be sent (seconds to wait), if not now.
pub async fn resend_wait_for(state: &AppState, user_id: i64, purpose: CodePurpose) -> Result<Option<i64>> {
    let mut conn = state.db.read().await?;
    let sent_at = codes::latest(&mut conn, user_id, purpose).await?.map(|c| c.sent_at);
    Ok(resend_wait(sent_at, state.clock.now(), state.settings.code_resend_cooldown.as_secs() as i64))
}

/// Whether an unused, unexpired code of `purpose` is waiting to be typed.
pub async fn code_pending(state: &AppState, user_id: i64, purpose: CodePurpose) -> Result<bool> {
    let mut conn = state.db.read().await?;
    let now = state.clock.now();
    Ok(codes::latest(&mut conn, user_id, purpose).await?.is_some_and(|c| c.used_at.is_none() && c.expires_at > now))
}

/// Mails a new code of `purpose` to the user, replacing the previous one; refuses within the
/// cooldown or beyond the hourly cap.
pub async fn send_code(
    state: &AppState,
    user: &UserRow,
    org_name: &str,
    purpose: CodePurpose,
    actor: &Actor,
) -> Result<()> {
    let s = &state.settings;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let last = codes::latest(&mut tx, user.id, purpose).await?.map(|c| c.sent_at);
    if let Some(wait) = resend_wait(last, now, s.code_resend_cooldown.as_secs() as i64) {
        return Err(ServiceError::Cooldown { retry_after: wait });
    }
    let (sent, window_start) =
        counters::count_with_start(&mut tx, &format!("codes:acct:{}", user.id), 3600, now).await?;
    if sent > s.codes_per_hour {
        tx.commit().await?;
        return Err(ServiceError::Throttled { retry_after: (window_start + 3600 - now).max(1) });
    }
    let code = OneTimeCode::generate(&mut OsRng);
    let ttl = s.email_code_ttl;
    codes::replace(
        &mut tx,
        user.id,
        purpose,
        &code_hash(state, user.id, code.expose()),
        now,
        now + ttl.as_secs() as i64,
    )
    .await?;
    let m = mail::verification_code(org_name, purpose_words(purpose), code.expose(), &lifetime_words(ttl));
    mail::queue(&mut tx, &state.key, &user.email, &m, now).await?;
    let e = Event {
        kind: Kind::EmailCodeSent,
        user_id: Some(user.id),
        org_id: Some(user.org_id),
        actor,
        detail: purpose.as_str(),
    };
    audit::record(&mut tx, e, now).await?;
    tx.commit().await?;
    state.mailer.wake.notify_one();
    Ok(())
}

const CODE_USED: &str = "This code was already used. Ask for a new code.";

/// Checks a typed code against the latest code of `purpose`, in the caller's transaction.
/// `Ok(Ok(()))`: the code is accepted and used up; the caller goes on and commits.
/// `Ok(Err(e))`: refused; the caller commits (the failure was counted) and returns `e`.
/// The guess takes its attempts (the limits' and the code's own tries) before it is compared;
/// a code that cannot be used any more is refused without comparing, so the answer to a
/// refused guess is the same whether it was right or not.
pub(crate) async fn check_code(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    purpose: CodePurpose,
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
    let max = state.settings.email_code_max_tries;
    let Some(row) = codes::take_try(&mut *conn, user.id, purpose, now, max).await? else {
        guard::not_a_guess(&mut *conn, &limits, now).await?;
        return Ok(Err(ServiceError::Invalid(unusable_code(conn, user.id, purpose, now, max).await?.into())));
    };
    let typed_hash = code_hash(state, user.id, code.expose());
    let event =
        |kind| Event { kind, user_id: Some(user.id), org_id: Some(user.org_id), actor, detail: purpose.as_str() };
    if !bool::from(typed_hash.as_bytes().ct_eq(row.code_hash.as_bytes())) {
        audit::record(&mut *conn, event(Kind::EmailCodeWrong), now).await?;
        let wrong = "The code is not correct. Check the latest email and try again.";
        return Ok(Err(wrong_guess(conn, user, actor, &limits, now, wrong).await?));
    }
    if let Some(refused) = guard::right(&mut *conn, &limits, now).await?.refusal() {
        return Ok(Err(refused));
    }
    if !codes::use_up(&mut *conn, user.id, purpose, &row.code_hash, now).await? {
        return Ok(Err(ServiceError::Invalid(CODE_USED.into())));
    }
    audit::record(conn, event(Kind::EmailCodeAccepted), now).await?;
    Ok(Ok(()))
}

/// Why no code of `purpose` can be tried now, in the user's words.
async fn unusable_code(
    conn: &mut Conn,
    user_id: i64,
    purpose: CodePurpose,
    now: i64,
    max: i64,
) -> Result<&'static str> {
    let Some(row) = codes::latest(conn, user_id, purpose).await? else {
        return Ok("No code was sent yet. Use \"Send verification code\".");
    };
    let state = CodeState { expires_at: row.expires_at, attempts: row.attempts, used: row.used_at.is_some() };
    Ok(match verdict(state, now, max) {
        CodeVerdict::Used => CODE_USED,
        CodeVerdict::Expired => "This code has expired. Ask for a new code.",
        CodeVerdict::TooManyTries | CodeVerdict::Usable => "This code had too many wrong tries. Ask for a new code.",
    })
}

/// How long the loser of a double-submitted Recovery Key is told it was just used (and is not
/// counted as a wrong guess).
const JUST_USED: i64 = 60;

/// Checks and uses up the user's Recovery Key, in the caller's transaction (see `check_code`).
/// The key used a moment ago (the loser of a double submit) is not counted as a wrong guess.
pub(crate) async fn check_recovery_key(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    typed: &str,
    actor: &Actor,
    now: i64,
) -> Result<Result<(), ServiceError>> {
    let key = match RecoveryKey::parse(typed) {
        Ok(k) => k,
        Err(e) => return Ok(Err(ServiceError::invalid(e))),
    };
    let limits = limits(state, user.id, actor);
    if let Some(refused) = guard::take(&mut *conn, &limits, now).await?.refusal() {
        return Ok(Err(refused));
    }
    let typed_hash = recovery_hash(state, &key);
    let same = |stored: &str| bool::from(typed_hash.as_bytes().ct_eq(stored.as_bytes()));
    let event = |kind| Event { kind, user_id: Some(user.id), org_id: Some(user.org_id), actor, detail: "" };
    let stored = factors::recovery_key_hash(&mut *conn, user.id).await?.unwrap_or_default();
    if !same(&stored) {
        if factors::used_recovery_key(&mut *conn, user.id, now - JUST_USED).await?.is_some_and(|h| same(&h)) {
            guard::not_a_guess(&mut *conn, &limits, now).await?;
            return Ok(Err(ServiceError::Invalid(
                "This Recovery Key is not correct, or it was already used. It was used a moment ago, and a new one replaced it."
                    .into(),
            )));
        }
        audit::record(&mut *conn, event(Kind::RecoveryKeyWrong), now).await?;
        let wrong = "This Recovery Key is not correct, or it was already used. Check your Recovery Key file.";
        return Ok(Err(wrong_guess(conn, user, actor, &limits, now, wrong).await?));
    }
    if let Some(refused) = guard::right(&mut *conn, &limits, now).await?.refusal() {
        return Ok(Err(refused));
    }
    if !factors::consume_recovery_key(&mut *conn, user.id, &stored, now).await? {
        guard::not_a_guess(&mut *conn, &limits, now).await?;
        return Ok(Err(ServiceError::Invalid("This Recovery Key was used a moment ago.".into())));
    }
    audit::record(conn, event(Kind::RecoveryKeyUsed), now).await?;
    Ok(Ok(()))
}

/// Queues a security notice to the user, in the caller's transaction.
pub(crate) async fn notify(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    actor: &Actor,
    now: i64,
    make: fn(&str, &Origin<'_>) -> Mail,
) -> Result<()> {
    let org = crate::store::orgs::by_id(&mut *conn, user.org_id).await?.map(|o| o.name).unwrap_or_default();
    let when = format_utc(now);
    let origin = Origin { when: &when, ip: &actor.ip, user_agent: &actor.user_agent };
    mail::queue(conn, &state.key, &user.email, &make(&org, &origin), now).await?;
    Ok(())
}
