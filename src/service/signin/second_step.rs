//! The second step of a sign-in: a pending sign-in (its own short-lived token, stored as a
//! hash, with the machine's state) that only a second factor or the Recovery Key completes.
//! Every call loads the state, feeds the machine one event and carries out what it says.

use super::super::factor::security_key::{self, Ceremony, Purpose};
use super::super::factor::{self, authenticator, email_code};
use super::super::sessions::NewSessionToken;
use super::super::{devices, guard};
use super::super::{Checked, Result, ServiceError};
use super::effects::{self, Ran, Run};
use crate::domain::codes::OneTimeCode;
use crate::domain::email::EmailAddress;
use crate::domain::factor::{Factors, Method};
use crate::domain::recovery_key::RecoveryKey;
use crate::domain::signin::{Check, CodeNote, Event, Return, SignIn};
use crate::secrets::hash_token;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::pending::{self, Pending};
use crate::store::Conn;

/// The token of a new pending sign-in, for its cookie.
pub struct PendingToken(pub String);

/// What the second-step page shows, all from the stored state.
pub struct StepView {
    pub masked_email: String,
    pub offered: Factors,
    /// The method the page asks for.
    pub current: Method,
    /// What to say about the emailed code.
    pub code: CodeNote,
    /// "Remember this device for N days" (None: the organization does not offer it).
    pub remember_days: Option<i64>,
}

fn view(p: &Pending, state: &AppState) -> StepView {
    let now = state.clock.now();
    StepView {
        masked_email: EmailAddress::parse(&p.user.email).map(|e| e.masked()).unwrap_or_default(),
        offered: p.state.offered,
        current: p.state.current,
        code: p.state.code_note(now, &effects::rules(state)),
        remember_days: (p.remember_days > 0).then_some(p.remember_days),
    }
}

/// The pending sign-in behind a token, as the page shows it.
pub async fn show(state: &AppState, token: &str) -> Result<StepView> {
    state.db.read(|conn| {
        let p = pending::load(conn, &hash_token(token), state.clock.now())?.ok_or(ServiceError::StepExpired)?;
        Ok(view(&p, state))
    })
}

/// Loads the pending sign-in in the write transaction.
fn load(conn: &mut Conn, token_hash: &str, now: i64) -> Result<Pending> {
    pending::load(conn, token_hash, now)?.ok_or(ServiceError::StepExpired)
}

/// Feeds one event that needs no check (a switch, a resend) and commits what it led to.
async fn feed(
    state: &AppState,
    token: &str,
    actor: &Actor,
    event: impl Fn(&Pending) -> Event + Sync,
) -> Result<StepView> {
    let (now, token_hash) = (state.clock.now(), hash_token(token));
    let (p, next) = state.db.tx(|tx| {
        let p = load(tx, &token_hash, now)?;
        let run = Run { state, user: &p.user, org: None, token_hash: &token_hash, actor, now, remember: false };
        let ran = run.apply(tx, SignIn::Awaiting(p.state.clone()), event(&p), Some(p.version));
        let Ok(Ran::Waiting(next)) = ran else {
            return Err(ran.err().unwrap_or(ServiceError::StepExpired));
        };
        Ok::<_, ServiceError>((p, next))
    })?;
    state.mailer.wake.notify_one();
    Ok(view(&Pending { state: next, ..p }, state))
}

/// "Resend code"; from the app step ("Send a code to my email instead"), a switch to email.
pub async fn resend(state: &AppState, token: &str, actor: &Actor) -> Result<StepView> {
    feed(state, token, actor, |p| match p.state.current {
        Method::EmailCode => Event::ResendAsked,
        _ => Event::SwitchedTo(Method::EmailCode),
    })
    .await
}

/// "Use my authenticator app instead" / "Send a code to my email instead".
pub async fn switch(state: &AppState, token: &str, to: Method, actor: &Actor) -> Result<StepView> {
    feed(state, token, actor, |_| Event::SwitchedTo(to)).await
}

/// The ceremonies of one pending sign-in.
fn owner(token_hash: &str) -> String {
    format!("pending:{token_hash}")
}

/// The challenge for "Use your security key" on this sign-in's page (a new one each time the
/// page is shown); None when the page asks for something else.
pub async fn key_ceremony(state: &AppState, token: &str) -> Result<Option<Ceremony>> {
    let (now, token_hash) = (state.clock.now(), hash_token(token));
    state.db.tx(|tx| {
        let p = load(tx, &token_hash, now)?;
        if p.state.current != Method::SecurityKey {
            return Ok(None);
        }
        security_key::begin_assertion(tx, state, p.user.id, (Purpose::SignIn, &owner(&token_hash)), now)
    })
}

/// A check the machine asked for, run in the transaction; the event an accepted one leads to.
fn run_check(conn: &mut Conn, run: &Run<'_>, check: Check, typed: Typed<'_>) -> Result<Checked<Event>> {
    let Run { state, user, token_hash, actor, now, .. } = *run;
    let accepted = |c: Checked| c.map(|()| Event::Accepted(check));
    Ok(match (check, typed) {
        (Check::Method(Method::AuthenticatorApp), Typed::Code(code)) => {
            accepted(authenticator::check(conn, state, user, code, actor, now)?)
        }
        (Check::Method(Method::EmailCode), Typed::Code(code)) => {
            accepted(email_code::check_for_signin(conn, state, user, token_hash, code, actor, now)?)
        }
        (Check::RecoveryKey, Typed::Key(key)) => {
            accepted(super::super::factor::recovery_key::check(conn, state, user, key, actor, now)?)
        }
        (Check::Method(Method::SecurityKey), Typed::Answer { ceremony, response }) => {
            let purpose = (Purpose::SignIn, owner(token_hash));
            security_key::check(conn, state, user, (purpose.0, &purpose.1), (ceremony, response), actor, now)?
                .map(Event::KeyAccepted)
        }
        _ => Checked::Refused(effects::refused(crate::domain::signin::Refusal::OutOfOrder)),
    })
}

enum Typed<'a> {
    Code(&'a OneTimeCode),
    Key(&'a RecoveryKey),
    /// A security key's answer to a ceremony of this sign-in.
    Answer {
        ceremony: &'a str,
        response: &'a str,
    },
}

/// Submits something typed: the machine says what to check; a refusal is committed (it was
/// counted) and given; an accepted one finishes the sign-in.
///
/// The state is read before the write transaction (which then holds the one SQLite writer for
/// less time); the pending row is ended only at the version it was read at, so a switch or a
/// resend that came in between makes this submission out of date instead of finishing it.
async fn submit(state: &AppState, token: &str, typed: Typed<'_>, remember: bool, actor: &Actor) -> Result<Ran> {
    let (now, token_hash) = (state.clock.now(), hash_token(token));
    let submitted = match typed {
        Typed::Code(_) => Event::CodeSubmitted,
        Typed::Key(_) => Event::RecoveryKeySubmitted,
        Typed::Answer { .. } => Event::KeySubmitted,
    };
    let (p, check, waiting, actor) = state.db.read(|conn| {
        let p = load(conn, &token_hash, now)?;
        // A known device's guesses count against the account only (see `factor::limits`): the
        // browser that gave the password, read with the pending sign-in.
        let actor = Actor { known_device: p.known_device, ..actor.clone() };
        let run = Run { state, user: &p.user, org: None, token_hash: &token_hash, actor: &actor, now, remember };
        // Asking what to check changes nothing stored.
        let from = SignIn::Awaiting(p.state.clone());
        let (check, waiting) = match run.apply(conn, from, submitted, Some(p.version)) {
            Ok(Ran::Check(check, waiting)) => (check, waiting),
            Ok(_) => return Err(ServiceError::StepExpired),
            Err(e) => return Err(refused_before_check(conn, state, &p, &actor, now, e)?),
        };
        Ok((p, check, waiting, actor))
    })?;
    let actor = &actor;
    let run = Run { state, user: &p.user, org: None, token_hash: &token_hash, actor, now, remember };
    let ran = state.db.tx(|tx| {
        // The time once the writer is ours: a code or a sign-in that expired while this request
        // waited for it is refused.
        let now = state.clock.now();
        let run = Run { now, ..run };
        let accepted = match run_check(tx, &run, check, typed)? {
            Checked::Accepted(event) => event,
            Checked::Refused(e) => return Ok(Err(e)),
            Checked::Wrong(e) => {
                // A wrong guess: after a few from a browser the account does not know, its person
                // is told someone has their password.
                devices::second_step_failed(tx, state, &p.user, &token_hash, now)?;
                return Ok(Err(e));
            }
        };
        let ran = run.apply(tx, SignIn::Awaiting(waiting), accepted, Some(p.version))?;
        Ok::<_, ServiceError>(Ok(ran))
    })?;
    // A refusal may have queued an alert too.
    state.mailer.wake.notify_one();
    ran
}

/// What a submission refused before any check is told: a lock first (as a checked guess would
/// be), else why no code can be typed.
fn refused_before_check(
    conn: &mut Conn,
    state: &AppState,
    p: &Pending,
    actor: &Actor,
    now: i64,
    e: ServiceError,
) -> Result<ServiceError> {
    if let Some(locked) = guard::shut(conn, &factor::limits(state, p.user.id, actor), now)?.refusal() {
        return Ok(locked);
    }
    Ok(match p.state.code_note(now, &effects::rules(state)) {
        CodeNote::TriedOut => ServiceError::Invalid(email_code::TRIED_OUT),
        CodeNote::Expired => ServiceError::Invalid(email_code::EXPIRED),
        CodeNote::Capped { wait } => ServiceError::CodeCapped { retry_after: wait },
        _ => e,
    })
}

/// A finished sign-in: the session, and where the person goes now.
pub struct Finished {
    pub session: NewSessionToken,
    pub then: Return,
}

/// "Continue" with a code for the current method: the authenticator app's or the email's.
/// `remember`: "Remember this device" was ticked (on every form of the step).
pub async fn with_code(
    state: &AppState,
    token: &str,
    code: &OneTimeCode,
    remember: bool,
    actor: &Actor,
) -> Result<Finished> {
    match submit(state, token, Typed::Code(code), remember, actor).await? {
        Ran::SignedIn { session, then, .. } => Ok(Finished { session, then }),
        _ => Err(ServiceError::StepExpired),
    }
}

/// "Use your security key": the browser's answer to this sign-in's challenge.
pub async fn with_security_key(
    state: &AppState,
    token: &str,
    (ceremony, response): (&str, &str),
    remember: bool,
    actor: &Actor,
) -> Result<Finished> {
    match submit(state, token, Typed::Answer { ceremony, response }, remember, actor).await? {
        Ran::SignedIn { session, then, .. } => Ok(Finished { session, then }),
        _ => Err(ServiceError::StepExpired),
    }
}

/// "Use your Recovery Key": uses the key up, signs in, and creates the next key at once
/// (two-factor authentication stays on). Returns the session and the new key to show.
pub async fn with_recovery_key(
    state: &AppState,
    token: &str,
    key: &RecoveryKey,
    remember: bool,
    actor: &Actor,
) -> Result<(Finished, RecoveryKey)> {
    match submit(state, token, Typed::Key(key), remember, actor).await? {
        Ran::SignedIn { session, then, new_key: Some(key) } => Ok((Finished { session, then }, key)),
        _ => Err(ServiceError::Internal("a Recovery Key sign-in made no new key".into())),
    }
}
