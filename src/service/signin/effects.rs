//! Carries out the effects of the sign-in machine's transitions, in the caller's transaction.
//! This is the only place that turns `domain::signin::Effect`s into writes.

use super::super::devices;
use super::super::factor::{email_code, password, recovery_key};
use super::super::sessions::{start_session, NewSessionToken, SessionStart};
use super::super::{notify, Result, ServiceError};
use crate::domain::authn::Authn;
use crate::domain::factor::CodePurpose;
use crate::domain::recovery_key::RecoveryKey;
use crate::domain::signin::{next, Awaiting, Check, Continuation, Effect, Event, Refusal, Return, Rules, SignIn};
use crate::domain::text::Msg;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::orgs::OrgRow;
use crate::store::users::UserRow;
use crate::store::{orgs, pending, throttle, users, Conn};

/// One sign-in's context while its transitions are carried out.
pub(super) struct Run<'a> {
    pub state: &'a AppState,
    pub user: &'a UserRow,
    /// The user's organization when the caller has read it (the code's email is said in its
    /// language; without it, it is read when a code is sent).
    pub org: Option<&'a OrgRow>,
    pub token_hash: &'a str,
    pub actor: &'a Actor,
    pub now: i64,
    /// "Remember this device" was ticked with what was typed.
    pub remember: bool,
}

/// Where the sign-in stands after the event and everything it led to.
pub(super) enum Ran {
    /// Still waiting for the second factor.
    Waiting(Awaiting),
    /// Waiting for the caller to run this check, then to come back with `Accepted`.
    Check(Check, Awaiting),
    /// Signed in; where to go next, and the new Recovery Key to show when the old one was used.
    SignedIn { session: NewSessionToken, then: Return, new_key: Option<RecoveryKey> },
    /// Signed in, restricted to the set-up.
    MustEnrol(NewSessionToken),
}

/// The numbers the machine runs with.
pub(super) fn rules(state: &AppState) -> Rules {
    let s = &state.settings;
    Rules { resend_cooldown: s.code_resend_cooldown.as_secs() as i64, max_tries: s.email_code_max_tries }
}

const OUT_OF_DATE: Msg = Msg::new("service-signin-out-of-date");

/// What the person is told when the machine refuses an event.
pub(super) fn refused(r: Refusal) -> ServiceError {
    match r {
        Refusal::Over => ServiceError::StepExpired,
        Refusal::NotOffered => ServiceError::Invalid(Msg::new("service-signin-not-offered")),
        Refusal::NoUsableCode => ServiceError::Invalid(email_code::NONE_SENT),
        Refusal::Cooldown { retry_after } => ServiceError::Cooldown { retry_after },
        Refusal::Capped { retry_after } => ServiceError::CodeCapped { retry_after },
        Refusal::OutOfOrder => ServiceError::Invalid(OUT_OF_DATE),
    }
}

impl Run<'_> {
    /// Feeds `event` to the machine from `from` and carries out every effect, following the
    /// outcome of a code sent with the next event. `version`: the stored row's, or None for a
    /// sign-in not stored yet (its first `Save` inserts it).
    pub(super) fn apply(&self, conn: &mut Conn, from: SignIn, event: Event, mut version: Option<i64>) -> Result<Ran> {
        let rules = rules(self.state);
        let (mut current, mut event) = (from, event);
        let (mut session, mut new_key, mut check, mut code_hash) = (None, None, None, None);
        let mut then = Return::Account;
        loop {
            let t = next(&current, event.clone(), self.now, &rules).map_err(refused)?;
            let mut follow = None;
            for effect in &t.effects {
                match effect {
                    Effect::Save => {
                        let SignIn::Awaiting(a) = &t.state else { continue };
                        version = Some(self.save(conn, a, version, code_hash.take())?);
                    }
                    Effect::SendCode => {
                        let (s, u) = (self.state, self.user);
                        let purpose = CodePurpose::SignIn;
                        let mailed = email_code::mail_new(conn, s, u, self.org, purpose, self.actor, self.now)?;
                        follow = Some(match mailed {
                            email_code::Mailed::Sent { hash, expires_at } => {
                                code_hash = Some(hash);
                                Event::CodeSent { expires_at }
                            }
                            email_code::Mailed::Capped { until } => Event::CodeCapped { until },
                        });
                    }
                    Effect::Check(c) => check = Some(*c),
                    Effect::EndPending => {
                        let ended = match version {
                            Some(v) => pending::end(conn, self.token_hash, v)?,
                            None => false,
                        };
                        if !ended {
                            // Gone: finished or expired meanwhile. Still there: changed by a
                            // switch or a resend since it was read (all of this rolls back).
                            let there = pending::load(conn, self.token_hash, self.now)?.is_some();
                            return Err(if there {
                                ServiceError::Invalid(OUT_OF_DATE)
                            } else {
                                ServiceError::StepExpired
                            });
                        }
                    }
                    Effect::StartSession(to, authn) => {
                        // The sign-in is complete: the account's password failures are
                        // forgotten (unless another request locked it meanwhile, which stands).
                        throttle::succeed(conn, &password::account_key(&self.user.email), true, self.now)?;
                        let how = SessionStart { authn: *authn, continue_to: None };
                        session = Some(self.start_session(conn, how, self.remember)?);
                        then = to.clone();
                    }
                    Effect::StartEnrolSession(to) => {
                        // The person goes on where they were going once the set-up is done.
                        let continue_to = match to {
                            Return::Continue(Continuation(sealed)) => Some(sealed.as_str()),
                            Return::Account => None,
                        };
                        let how = SessionStart { authn: Authn::PASSWORD, continue_to };
                        session = Some(self.start_session(conn, how, false)?);
                    }
                    Effect::ReplaceRecoveryKey => {
                        new_key = Some(recovery_key::issue(conn, self.state, self.user.id, self.now)?);
                        notify(conn, self.state, self.user, self.actor, self.now, mail::recovery_key_used)?;
                    }
                }
            }
            current = t.state;
            match follow {
                Some(e) => event = e,
                None => break,
            }
        }
        let no_session = || ServiceError::Internal("a finished sign-in started no session".into());
        match current {
            SignIn::Awaiting(a) => Ok(match check {
                Some(c) => Ran::Check(c, a),
                None => Ran::Waiting(a),
            }),
            SignIn::Done => Ok(Ran::SignedIn { session: session.ok_or_else(no_session)?, then, new_key }),
            SignIn::MustEnrol => Ok(Ran::MustEnrol(session.ok_or_else(no_session)?)),
            SignIn::Start | SignIn::Ended => Err(ServiceError::StepExpired),
        }
    }

    /// Stores the state: inserts a new pending sign-in, or changes the stored one if no other
    /// request changed it meanwhile. The new version.
    fn save(&self, conn: &mut Conn, a: &Awaiting, version: Option<i64>, code_hash: Option<String>) -> Result<i64> {
        let Some(v) = version else {
            let from = pending::From {
                device_hash: self.actor.device.as_deref(),
                ip: &self.actor.ip,
                user_agent: &self.actor.user_agent,
            };
            pending::insert(conn, self.token_hash, self.user.id, from, self.now, a)?;
            return Ok(0);
        };
        if !pending::save(conn, self.token_hash, v, a, code_hash.as_deref())? {
            return Err(ServiceError::Invalid(OUT_OF_DATE));
        }
        Ok(v + 1)
    }

    /// Starts the session; the browser becomes a known device of the account (and a remembered
    /// one with `remember`), with the new-device alert when it was not.
    fn start_session(&self, conn: &mut Conn, how: SessionStart<'_>, remember: bool) -> Result<NewSessionToken> {
        let read;
        let org = match self.org {
            Some(o) => Some(o),
            // Remembering needs the organization's days; an alert reads it for its recipient.
            None if remember => {
                read = orgs::by_id(&mut *conn, self.user.org_id)?;
                read.as_ref()
            }
            None => None,
        };
        devices::signed_in(&mut *conn, self.state, (self.user, org), self.actor, remember, self.now)?;
        users::record_sign_in(conn, self.user.id, self.now)?;
        let ids = (self.user.id, self.user.org_id);
        start_session(conn, &self.state.key, ids, how, self.actor, self.now)
    }
}
