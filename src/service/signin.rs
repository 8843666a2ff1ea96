//! Sign-in with email and password. Guessing is bounded per account and per client address;
//! an unknown email costs the same and gets the same answer as a wrong password.

use super::second_step::{self, PendingToken};
use super::sessions::{start_session, Current, NewSessionToken};
use super::{Result, ServiceError};
use crate::app::AppState;
use crate::domain::email::EmailAddress;
use crate::domain::policy::{resolve, Policy};
use crate::domain::signin::{after_password, SecondStepMethod, SignInStep};

use super::guard::{self, Held, Limit, Lock};
use crate::store::audit::{self, Actor, Event, Kind};
use crate::store::users::UserRow;
use crate::store::{factors, orgs, users, Conn};

pub const WRONG_CREDENTIALS: &str = "The email or password is not correct.";
pub const DISABLED: &str = "This account is disabled. Ask your organization's administrator to enable it.";

pub(crate) fn account_key(email: &str) -> String {
    format!("signin:acct:{email}")
}

fn address_key(ip: &str) -> String {
    format!("signin:ip:{}", crate::domain::throttle::address_group(ip))
}

/// Where a correct password leads.
pub enum SignInOutcome {
    /// Signed in: the new session's token.
    SignedIn(NewSessionToken),
    /// A second step is needed; a code was mailed. The pending sign-in's token.
    SecondStep(PendingToken),
    /// The organization requires two-factor authentication and this member has no allowed
    /// method: a session restricted to the set-up.
    MustEnrol(NewSessionToken),
}

/// The limits a password guess counts against: the account's (counted for unknown emails too,
/// so that a lock says nothing about whether the account exists) and, at sign-in, the client
/// address's.
pub(crate) fn password_limits(state: &AppState, email: &str, ip: Option<&str>) -> Vec<Limit> {
    let s = &state.settings;
    let mut limits = vec![Limit { key: account_key(email), policy: s.signin_account, owner: true }];
    if let Some(ip) = ip {
        limits.push(Limit { key: address_key(ip), policy: s.signin_address, owner: false });
    }
    limits
}

pub async fn sign_in(state: &AppState, email: &str, password: &str, actor: &Actor) -> Result<SignInOutcome> {
    let email = EmailAddress::parse(email).map_err(ServiceError::invalid)?;
    if password.is_empty() {
        return Err(ServiceError::Invalid("Enter your password.".into()));
    }
    // Refuse at once, before any database work, when the hashing threads are saturated.
    let admission = state.hasher.admit()?;
    // The guess takes its attempts before it is hashed: a burst gets no more guesses than the
    // limits allow, and a locked account costs no hashing.
    let limits = password_limits(state, email.as_str(), Some(&actor.ip));
    let held = Held::take(&state.db, limits, state.clock.now()).await?;
    let user = users::by_email(&mut *state.db.read().await?, email.as_str()).await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.as_deref());
    let ok = admission.verify(password, stored).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let settled = settle(&mut tx, state, user, ok, held.limits(), actor, now).await?;
    tx.commit().await?;
    held.settled();
    let (outcome, first_code_to) = settled?;
    if let Some(u) = first_code_to {
        second_step::send_first_code(state, &u, actor).await?;
    }
    Ok(outcome)
}

/// Settles a compared password in the caller's transaction: what it leads to (with the user to
/// mail the first code to once it has committed), or the refusal to give once it has.
async fn settle(
    tx: &mut Conn,
    state: &AppState,
    user: Option<UserRow>,
    ok: bool,
    limits: &[Limit],
    actor: &Actor,
    now: i64,
) -> Result<Result<(SignInOutcome, Option<UserRow>), ServiceError>> {
    let (user_id, org_id) = (user.as_ref().map(|u| u.id), user.as_ref().map(|u| u.org_id));
    Ok(match user {
        Some(u) if ok && u.disabled_at.is_some() => {
            guard::not_a_guess(&mut *tx, limits, now).await?;
            let e = Event { kind: Kind::SignInFailed, user_id, org_id, actor, detail: "account disabled" };
            audit::record(&mut *tx, e, now).await?;
            Err(ServiceError::Invalid(DISABLED.into()))
        }
        Some(u) if ok => match guard::right(&mut *tx, limits, now).await?.refusal() {
            Some(refused) => {
                let e = Event { kind: Kind::SignInFailed, user_id, org_id, actor, detail: "locked meanwhile" };
                audit::record(&mut *tx, e, now).await?;
                Err(refused)
            }
            None => Ok(after_correct_password(tx, state, &u, actor, now).await?),
        },
        _ => {
            let detail = if user_id.is_some() { "wrong password" } else { "unknown email" };
            audit::record(&mut *tx, Event { kind: Kind::SignInFailed, user_id, org_id, actor, detail }, now).await?;
            match guard::wrong(&mut *tx, limits, now).await? {
                Lock::Set { until, owner } => {
                    let detail = if owner { "account" } else { "client address" };
                    let e = Event { kind: Kind::SignInLocked, user_id, org_id, actor, detail };
                    audit::record(&mut *tx, e, now).await?;
                    Err(ServiceError::Throttled { retry_after: until - now })
                }
                Lock::None => Err(ServiceError::Invalid(WRONG_CREDENTIALS.into())),
            }
        }
    })
}

/// What a correct password leads to, in the caller's transaction; with the user to mail the
/// first code to once it has committed.
async fn after_correct_password(
    tx: &mut Conn,
    state: &AppState,
    u: &UserRow,
    actor: &Actor,
    now: i64,
) -> Result<(SignInOutcome, Option<UserRow>)> {
    let factors = factors::of_user(&mut *tx, u.id).await?;
    let org = orgs::by_id(&mut *tx, u.org_id).await?.map(|o| o.policy()).unwrap_or(Policy::OFF);
    Ok(match after_password(factors, resolve(&org, factors, now)) {
        SignInStep::Done => {
            let token = start_session(&mut *tx, u.id, u.org_id, actor, now).await?;
            users::record_sign_in(&mut *tx, u.id, now).await?;
            (SignInOutcome::SignedIn(token), None)
        }
        SignInStep::EnrolRequired => {
            // A session that reaches nothing but the set-up (web::extract::SignedIn).
            let token = start_session(&mut *tx, u.id, u.org_id, actor, now).await?;
            users::record_sign_in(&mut *tx, u.id, now).await?;
            (SignInOutcome::MustEnrol(token), None)
        }
        SignInStep::SecondFactor { first, .. } => {
            let pending = second_step::start(&mut *tx, state, u.id, now).await?;
            let mail_to = (first == SecondStepMethod::EmailCode).then(|| u.clone());
            (SignInOutcome::SecondStep(pending), mail_to)
        }
    })
}

/// Checks the signed-in user's password again before a sensitive change. It counts against the
/// account's sign-in limit (so a stolen session cannot be used to guess the password), and a
/// wrong one is audited as a failed sign-in with `detail`; `wrong` is what the person reads.
pub(crate) async fn recheck_password(
    state: &AppState,
    c: &Current,
    password: &str,
    actor: &Actor,
    detail: &str,
    wrong: &str,
) -> Result<()> {
    let limits = password_limits(state, &c.user.email, None);
    let held = Held::take(&state.db, limits, state.clock.now()).await?;
    let ok = state.hasher.verify(password, c.user.password_hash.as_deref()).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if ok {
        let gate = guard::right(&mut tx, held.limits(), now).await?;
        tx.commit().await?;
        held.settled();
        return gate.refusal().map_or(Ok(()), Err);
    }
    let (user_id, org_id) = (Some(c.user.id), Some(c.org.id));
    audit::record(&mut tx, Event { kind: Kind::SignInFailed, user_id, org_id, actor, detail }, now).await?;
    let lock = guard::wrong(&mut tx, held.limits(), now).await?;
    if let Lock::Set { .. } = lock {
        let e = Event { kind: Kind::SignInLocked, user_id, org_id, actor, detail: "account" };
        audit::record(&mut tx, e, now).await?;
    }
    tx.commit().await?;
    held.settled();
    match lock {
        Lock::Set { until, .. } => Err(ServiceError::Throttled { retry_after: until - now }),
        Lock::None => Err(ServiceError::Invalid(wrong.into())),
    }
}
