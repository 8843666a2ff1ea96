//! Sign-in: the password step here, the second step in `second_step`; both drive the one state
//! machine in `domain::signin` and carry out its effects (`effects`). Guessing is bounded per
//! account and per client address; an unknown email costs the same and gets the same answer as
//! a wrong password.

mod effects;
pub mod passkey;
pub mod second_step;

use super::devices;
use super::factor::password;
use super::guard::{self, Held, Lock};
use super::sessions::NewSessionToken;
use super::{Result, ServiceError};
use crate::domain::account::Role;
use crate::domain::audit::AuditKind;
use crate::domain::email::EmailAddress;
use crate::domain::policy::{resolve, Policy};
use crate::domain::signin::{Event, Return, SignIn};
use crate::domain::text::Msg;
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event as AuditEvent};
use crate::store::users::UserRow;
use crate::store::{factors, orgs, users, Conn};

pub use second_step::{Finished, PendingToken};

/// A wrong password or an unknown email (the same answer).
pub const WRONG_CREDENTIALS: Msg = Msg::new("service-signin-wrong-credentials");
/// A disabled account, whatever the way in.
pub const DISABLED: Msg = Msg::new("service-signin-disabled");
/// "This wasn't me" was followed: a new password first ("Forgot password?").
pub const MUST_RESET: Msg = Msg::new("service-signin-must-reset");

/// Where a correct password leads.
pub enum SignInOutcome {
    /// Signed in: the new session's token, and where the person goes now.
    SignedIn(Finished),
    /// A second step is needed (a code was mailed if it starts with one). The pending
    /// sign-in's token.
    SecondStep(PendingToken),
    /// The organization requires two-factor authentication and this member has no allowed
    /// method: a session restricted to the set-up.
    MustEnrol(NewSessionToken),
}

/// How a compared password settled, once its transaction commits.
enum Settled {
    Led(SignInOutcome),
    Refused(ServiceError),
}

/// What the sign-in is for: where the person goes once signed in (their account, or back to an
/// application; carried through the second step and any set-up that holds them), and whether
/// that application asked for a second factor at the sign-in itself (a remembered device then
/// does not skip the second step).
pub struct Purpose {
    pub then: Return,
    pub fresh_second_factor: bool,
}

/// The password step.
pub async fn sign_in(
    state: &AppState,
    email: &EmailAddress,
    password: &str,
    purpose: Purpose,
    actor: &Actor,
) -> Result<SignInOutcome> {
    if password.is_empty() {
        return Err(ServiceError::Invalid(Msg::new("service-signin-enter-password")));
    }
    // Refuse at once, before any database work, when the hashing threads are saturated.
    let admission = state.hasher.admit()?;
    let (user, known) = state.db.read(|conn| {
        let user = users::by_email(&mut *conn, email.as_str())?;
        let known = match &user {
            Some(u) => devices::of_browser(conn, u.id, actor)?.is_some(),
            None => false,
        };
        Ok::<_, ServiceError>((user, known))
    })?;
    // A known device's guesses count against the account only (see `factor::limits`).
    let actor = &Actor { known_device: known, ..actor.clone() };
    // The guess takes its attempts before it is hashed: a burst gets no more guesses than the
    // limits allow, and a locked account costs no hashing.
    let ip = (!actor.known_device).then_some(actor.ip.as_str());
    let limits = password::limits(state, email.as_str(), ip);
    let held = Held::take(&state.db, limits, state.clock.now()).await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.as_deref());
    let ok = admission.verify(password, stored).await?;
    let now = state.clock.now();
    let settled = state.db.tx(|tx| {
        let settled = settle(tx, state, user, ok, &held, (purpose, actor), now)?;
        Ok::<_, ServiceError>(settled)
    })?;
    held.settled();
    state.mailer.wake.notify_one();
    match settled {
        Settled::Led(outcome) => Ok(outcome),
        Settled::Refused(e) => Err(e),
    }
}

/// Settles a compared password in the caller's transaction.
fn settle(
    tx: &mut Conn,
    state: &AppState,
    user: Option<UserRow>,
    ok: bool,
    held: &Held,
    (purpose, actor): (Purpose, &Actor),
    now: i64,
) -> Result<Settled> {
    let limits = held.limits();
    let known = user_known(&user);
    let Some(u) = user.filter(|_| ok) else {
        return wrong_password(tx, known, limits, actor, now);
    };
    if u.disabled_at.is_some() {
        guard::not_a_guess(&mut *tx, limits, now)?;
        guard::audit(&mut *tx, AuditKind::SignInFailed, &u, actor, "account disabled", now)?;
        return Ok(Settled::Refused(ServiceError::Invalid(DISABLED)));
    }
    if let Some(refused) = guard::right(&mut *tx, limits, now)?.refusal() {
        guard::audit(&mut *tx, AuditKind::SignInFailed, &u, actor, "locked meanwhile", now)?;
        return Ok(Settled::Refused(refused));
    }
    if users::must_reset_password(&mut *tx, u.id)? {
        guard::audit(&mut *tx, AuditKind::SignInFailed, &u, actor, "a new password is required", now)?;
        return Ok(Settled::Refused(ServiceError::Invalid(MUST_RESET)));
    }
    Ok(Settled::Led(after_correct_password(tx, state, &u, purpose, actor, now)?))
}

fn user_known(user: &Option<UserRow>) -> (Option<i64>, Option<i64>) {
    (user.as_ref().map(|u| u.id), user.as_ref().map(|u| u.org_id))
}

/// A wrong password, or an unknown email (the same answer and the same counting).
fn wrong_password(
    tx: &mut Conn,
    (user_id, org_id): (Option<i64>, Option<i64>),
    limits: &[guard::Limit],
    actor: &Actor,
    now: i64,
) -> Result<Settled> {
    let detail = if user_id.is_some() { "wrong password" } else { "unknown email" };
    let e = AuditEvent { kind: AuditKind::SignInFailed, user_id, org_id, actor, detail };
    audit::record(&mut *tx, e, now)?;
    Ok(match guard::wrong(&mut *tx, limits, now)? {
        Lock::Set { until, owner } => {
            let detail = if owner { "account" } else { "client address" };
            let e = AuditEvent { kind: AuditKind::SignInLocked, user_id, org_id, actor, detail };
            audit::record(&mut *tx, e, now)?;
            Settled::Refused(ServiceError::Throttled { retry_after: until - now })
        }
        Lock::None => Settled::Refused(ServiceError::Invalid(WRONG_CREDENTIALS)),
    })
}

/// What a correct password leads to: the machine's first transition, carried out in the
/// caller's transaction (a first code is mailed through the outbox when it commits).
fn after_correct_password(
    tx: &mut Conn,
    state: &AppState,
    u: &UserRow,
    Purpose { then, fresh_second_factor }: Purpose,
    actor: &Actor,
    now: i64,
) -> Result<SignInOutcome> {
    let factors = factors::of_user(&mut *tx, u.id)?;
    let org = orgs::by_id(&mut *tx, u.org_id)?;
    let policy = org.as_ref().map(|o| o.policy()).unwrap_or(Policy::OFF);
    let expires_at = now + state.settings.pending_signin_ttl.as_secs() as i64;
    let admin = u.role == Role::Admin;
    let requirement = resolve(&policy, factors, admin, now);
    // The ways in this member may use now (an admin under the rule for keys: the key).
    let factors = policy.usable(factors, admin);
    // Read again in this transaction: a "Forget" while the password was hashed holds.
    let device = devices::of_browser(&mut *tx, u.id, actor)?;
    let remembered = !fresh_second_factor && devices::remembered_now(device.as_ref(), org.as_ref(), now);
    let event = Event::PasswordAccepted { factors, requirement, expires_at, then, remembered };
    let (token, hash) = crate::secrets::new_token();
    let run = effects::Run { state, user: u, org: org.as_ref(), token_hash: &hash, actor, now, remember: false };
    Ok(match run.apply(tx, SignIn::Start, event, None)? {
        effects::Ran::SignedIn { session, then, .. } => SignInOutcome::SignedIn(Finished { session, then }),
        effects::Ran::MustEnrol(session) => SignInOutcome::MustEnrol(session),
        effects::Ran::Waiting(_) | effects::Ran::Check(..) => SignInOutcome::SecondStep(PendingToken(token)),
    })
}
