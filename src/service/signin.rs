//! Sign-in with email and password. Guessing is bounded per account and per client address;
//! an unknown email costs the same and gets the same answer as a wrong password.

use super::second_step::{self, PendingToken};
use super::sessions::{start_session, NewSessionToken};
use super::{Result, ServiceError};
use crate::app::AppState;
use crate::domain::email::EmailAddress;
use crate::domain::policy::{resolve, Policy};
use crate::domain::signin::{after_password, SecondStepMethod, SignInStep};

use crate::domain::throttle::{verdict, Verdict};
use crate::store::audit::{self, Actor, Event, Kind};
use crate::store::{factors, orgs, throttle, users};

pub const WRONG_CREDENTIALS: &str = "The email or password is not correct.";
pub const DISABLED: &str = "This account is disabled. Ask your organization's administrator to enable it.";

pub fn account_key(email: &str) -> String {
    format!("signin:acct:{email}")
}

fn address_key(ip: &str) -> String {
    format!("signin:ip:{ip}")
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

pub async fn sign_in(state: &AppState, email: &str, password: &str, actor: &Actor) -> Result<SignInOutcome> {
    let email = EmailAddress::parse(email).map_err(ServiceError::invalid)?;
    if password.is_empty() {
        return Err(ServiceError::Invalid("Enter your password.".into()));
    }
    // Refuse at once, before any database work, when the hashing threads are saturated.
    let admission = state.hasher.admit()?;
    let (acct, addr) = (account_key(email.as_str()), address_key(&actor.ip));
    let mut conn = state.db.read().await?;
    let now = state.clock.now();
    let until = throttle::locked_until(&mut conn, &acct).await?.max(throttle::locked_until(&mut conn, &addr).await?);
    if let Verdict::Locked { retry_after } = verdict(until, now) {
        return Err(ServiceError::Throttled { retry_after });
    }
    let user = users::by_email(&mut conn, email.as_str()).await?;
    drop(conn);
    let stored = user.as_ref().and_then(|u| u.password_hash.as_deref());
    let ok = admission.verify(password, stored).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (user_id, org_id) = (user.as_ref().map(|u| u.id), user.as_ref().map(|u| u.org_id));
    match user {
        Some(u) if ok && u.disabled_at.is_some() => {
            let e = Event { kind: Kind::SignInFailed, user_id, org_id, actor, detail: "account disabled" };
            audit::record(&mut tx, e, now).await?;
            tx.commit().await?;
            Err(ServiceError::Invalid(DISABLED.into()))
        }
        Some(u) if ok => {
            throttle::clear(&mut tx, &acct).await?;
            let factors = factors::of_user(&mut tx, u.id).await?;
            let org = orgs::by_id(&mut tx, u.org_id).await?.map(|o| o.policy()).unwrap_or(Policy::OFF);
            match after_password(factors, resolve(&org, factors, now)) {
                SignInStep::Done => {
                    let token = start_session(&mut tx, u.id, u.org_id, actor, now).await?;
                    users::record_sign_in(&mut tx, u.id, now).await?;
                    tx.commit().await?;
                    Ok(SignInOutcome::SignedIn(token))
                }
                SignInStep::EnrolRequired => {
                    // A session that reaches nothing but the set-up (web::extract::SignedIn).
                    let token = start_session(&mut tx, u.id, u.org_id, actor, now).await?;
                    users::record_sign_in(&mut tx, u.id, now).await?;
                    tx.commit().await?;
                    Ok(SignInOutcome::MustEnrol(token))
                }
                SignInStep::SecondFactor { first, .. } => {
                    let pending = second_step::start(&mut tx, state, u.id, now).await?;
                    tx.commit().await?;
                    if first == SecondStepMethod::EmailCode {
                        second_step::send_first_code(state, &u, actor).await?;
                    }
                    Ok(SignInOutcome::SecondStep(pending))
                }
            }
        }
        _ => {
            let detail = if user_id.is_some() { "wrong password" } else { "unknown email" };
            audit::record(&mut tx, Event { kind: Kind::SignInFailed, user_id, org_id, actor, detail }, now).await?;
            let locked_acct = throttle::record_failure(&mut tx, &acct, &state.settings.signin_account, now).await?;
            let locked_addr = throttle::record_failure(&mut tx, &addr, &state.settings.signin_address, now).await?;
            let lock = locked_acct.max(locked_addr);
            if let Some(until) = lock {
                let detail = if locked_acct.is_some() { "account" } else { "client address" };
                audit::record(&mut tx, Event { kind: Kind::SignInLocked, user_id, org_id, actor, detail }, now).await?;
                tx.commit().await?;
                return Err(ServiceError::Throttled { retry_after: until - now });
            }
            tx.commit().await?;
            Err(ServiceError::Invalid(WRONG_CREDENTIALS.into()))
        }
    }
}
