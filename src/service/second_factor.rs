//! What every second step shares: sending an emailed code, checking a code or a Recovery Key,
//! and the bounds on guessing (per code, per account, per client address), all in the database.

use rand::rngs::OsRng;
use subtle::ConstantTimeEq;

use super::{lifetime_words, Result, ServiceError};
use crate::app::AppState;
use crate::clock::format_utc;
use crate::domain::codes::{resend_wait, verdict, CodeState, CodeVerdict, OneTimeCode};
use crate::domain::recovery_key::RecoveryKey;
use crate::domain::throttle::{self, Verdict};

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
    format!("2fa:ip:{ip}")
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

/// Whether the user's second step is locked (per account or per address), and until when.
pub(crate) async fn locked(conn: &mut Conn, user_id: i64, actor: &Actor, now: i64) -> Result<Option<i64>> {
    let until = counters::locked_until_either(conn, &account_key(user_id), &address_key(&actor.ip)).await?;
    Ok(match throttle::verdict(until, now) {
        Verdict::Locked { retry_after } => Some(retry_after),
        Verdict::Allowed => None,
    })
}

/// Refuses the attempt if the second step is locked.
pub(crate) async fn ensure_unlocked(state: &AppState, user_id: i64, actor: &Actor) -> Result<()> {
    let mut conn = state.db.read().await?;
    match locked(&mut conn, user_id, actor, state.clock.now()).await? {
        Some(retry_after) => Err(ServiceError::Throttled { retry_after }),
        None => Ok(()),
    }
}

/// Counts a wrong second step; the error to give the user (locked, or `wrong`).
pub(crate) async fn failure(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    actor: &Actor,
    now: i64,
    wrong: &str,
) -> Result<ServiceError> {
    let s = &state.settings;
    let by_account = counters::record_failure(conn, &account_key(user.id), &s.second_factor_account, now).await?;
    let by_address = counters::record_failure(conn, &address_key(&actor.ip), &s.second_factor_address, now).await?;
    if let Some(until) = by_account.max(by_address) {
        let detail = if by_account.is_some() { "account" } else { "client address" };
        let e =
            Event { kind: Kind::SecondFactorLocked, user_id: Some(user.id), org_id: Some(user.org_id), actor, detail };
        audit::record(conn, e, now).await?;
        return Ok(ServiceError::Throttled { retry_after: until - now });
    }
    Ok(ServiceError::Invalid(wrong.into()))
}

/// Forgets the account's second-step failures after a success.
pub(crate) async fn clear_failures(conn: &mut Conn, user_id: i64) -> Result<()> {
    counters::clear(conn, &account_key(user_id)).await?;
    Ok(())
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

/// Checks a typed code against the latest code of `purpose`, in the caller's transaction.
/// `Ok(Ok(()))`: the code is accepted and used up; the caller goes on and commits.
/// `Ok(Err(e))`: refused; the caller commits (the failure was counted) and returns `e`.
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
    if let Some(retry_after) = locked(conn, user.id, actor, now).await? {
        return Ok(Err(ServiceError::Throttled { retry_after }));
    }
    let max = state.settings.email_code_max_tries;
    let Some(row) = codes::latest(conn, user.id, purpose).await? else {
        return Ok(Err(ServiceError::Invalid("No code was sent yet. Use \"Send verification code\".".into())));
    };
    let state_now = CodeState { expires_at: row.expires_at, attempts: row.attempts, used: row.used_at.is_some() };
    let refused = match verdict(state_now, now, max) {
        CodeVerdict::Used => "This code was already used. Ask for a new code.",
        CodeVerdict::Expired => "This code has expired. Ask for a new code.",
        CodeVerdict::TooManyTries => "This code had too many wrong tries. Ask for a new code.",
        CodeVerdict::Usable => "",
    };
    if !refused.is_empty() {
        return Ok(Err(ServiceError::Invalid(refused.into())));
    }
    let typed_hash = code_hash(state, user.id, code.expose());
    let matches: bool = typed_hash.as_bytes().ct_eq(row.code_hash.as_bytes()).into();
    if matches && codes::use_up(conn, user.id, purpose, &row.code_hash, now, max).await? {
        let e = Event {
            kind: Kind::EmailCodeAccepted,
            user_id: Some(user.id),
            org_id: Some(user.org_id),
            actor,
            detail: purpose.as_str(),
        };
        audit::record(conn, e, now).await?;
        clear_failures(conn, user.id).await?;
        return Ok(Ok(()));
    }
    if matches {
        // Another request used this very code a moment ago.
        return Ok(Err(ServiceError::Invalid("This code was already used. Ask for a new code.".into())));
    }
    codes::count_wrong(conn, user.id, purpose, max).await?;
    let e = Event {
        kind: Kind::EmailCodeWrong,
        user_id: Some(user.id),
        org_id: Some(user.org_id),
        actor,
        detail: purpose.as_str(),
    };
    audit::record(conn, e, now).await?;
    Ok(Err(failure(conn, state, user, actor, now, "The code is not correct. Check the latest email and try again.")
        .await?))
}

/// Checks and uses up the user's Recovery Key, in the caller's transaction (see `check_code`).
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
    if let Some(retry_after) = locked(conn, user.id, actor, now).await? {
        return Ok(Err(ServiceError::Throttled { retry_after }));
    }
    let typed_hash = recovery_hash(state, &key);
    let stored = factors::recovery_key_hash(conn, user.id).await?.unwrap_or_default();
    let matches: bool = typed_hash.as_bytes().ct_eq(stored.as_bytes()).into();
    if matches && factors::consume_recovery_key(conn, user.id, &stored).await? {
        let e =
            Event { kind: Kind::RecoveryKeyUsed, user_id: Some(user.id), org_id: Some(user.org_id), actor, detail: "" };
        audit::record(conn, e, now).await?;
        clear_failures(conn, user.id).await?;
        return Ok(Ok(()));
    }
    let e =
        Event { kind: Kind::RecoveryKeyWrong, user_id: Some(user.id), org_id: Some(user.org_id), actor, detail: "" };
    audit::record(conn, e, now).await?;
    let wrong = "This Recovery Key is not correct, or it was already used. Check your Recovery Key file.";
    Ok(Err(failure(conn, state, user, actor, now, wrong).await?))
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
