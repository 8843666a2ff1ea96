//! The sign-in as one state machine: pure functions of (state, event, now) that return the next
//! state and the effects to carry out (`service::signin` carries them out and stores the state
//! in the pending sign-in's row; the pages render from it).
//!
//! ```text
//!  Start --PasswordAccepted--> Done                      (no second factor, none required)
//!        --PasswordAccepted--> Done                      (a remembered device: no second step)
//!        --PasswordAccepted--> MustEnrol                 (the policy requires a factor now)
//!        --PasskeyAccepted---> Done                      (a passkey alone, where allowed)
//!        --PasswordAccepted--> Awaiting { current, code } --Accepted / KeyAccepted--> Done
//!                              Awaiting --SwitchedTo / ResendAsked / CodeSent / CodeCapped--> Awaiting
//!                              Awaiting --Expired--> Ended
//! ```
//!
//! A new kind of factor is one more `Method` (and its check, `Check`); an application waiting
//! for the person is `Return::Continue`, carried through every state to the session.

use super::authn::{Authn, Key, SecondFactor};
use super::factor::{Factors, Method};
use super::policy::Requirement;

#[cfg(test)]
mod tests;

/// Where the person goes once the sign-in is done.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Return {
    /// Their own account pages (Manage Account).
    #[default]
    Account,
    /// Back to what sent them to sign in: an application (OpenID Connect) or a page behind a
    /// proxy (forward-auth). The service seals and opens it; the machine only carries it.
    Continue(Continuation),
}

/// A sealed "where to go next" (see `Return::Continue`): opaque here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Continuation(pub String);

/// The emailed code of one pending sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// No code was sent for this sign-in.
    NotSent,
    /// A code went out at `at`; it works until `expires_at` for `max_tries` tries in all.
    Sent { at: i64, expires_at: i64, tries: i64 },
    /// None was sent: the account's hourly cap on codes was reached; one can be sent at `until`.
    Capped { until: i64 },
}

/// Waiting for the second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Awaiting {
    /// The ways in the account had when the password was accepted.
    pub offered: Factors,
    /// The method the page asks for.
    pub current: Method,
    pub code: Code,
    pub then: Return,
    /// The sign-in ends (the person logs in again) at this time.
    pub expires_at: i64,
}

/// Where a sign-in stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// Nothing yet: the password is to come.
    Start,
    Awaiting(Awaiting),
    /// Signed in, restricted to the two-factor set-up until it is done.
    MustEnrol,
    /// Signed in.
    Done,
    /// Expired or given up: nothing more can happen; the person logs in again.
    Ended,
}

/// A check of something the person typed, for the service to run (with its bounds on guessing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Method(Method),
    RecoveryKey,
}

/// What happens to a sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The password was right; what the account has (the ways in its organization lets it
    /// use) and what its organization asks of it now.
    /// `remembered`: the browser is a device the account remembered, still within the
    /// organization's days, and nothing asked for a second factor at this sign-in.
    PasswordAccepted { factors: Factors, requirement: Requirement, expires_at: i64, then: Return, remembered: bool },
    /// "Sign in with a passkey": the library verified a passkey of the account, with its user
    /// verified; `allowed`: whether the organization accepts security keys and passkeys.
    PasskeyAccepted { key: Key, allowed: bool, then: Return },
    /// Something was typed for the current method ("Continue").
    CodeSubmitted,
    /// "Use your security key": the browser's answer to this sign-in's challenge came back.
    KeySubmitted,
    /// The security key check accepted the answer (and moved the key's sign counter on).
    KeyAccepted(Key),
    /// "Use your Recovery Key" and a key was typed.
    RecoveryKeySubmitted,
    /// The check the machine asked for accepted what was typed (and used it up).
    Accepted(Check),
    /// "Send a code to my email instead" or back to the app.
    SwitchedTo(Method),
    /// "Resend code".
    ResendAsked,
    /// The code the machine asked for went out; it works until `expires_at`.
    CodeSent { expires_at: i64 },
    /// The code the machine asked for was not sent: the hourly cap holds until `until`.
    CodeCapped { until: i64 },
    /// The pending sign-in's time is up.
    Expired,
}

/// What the service carries out for a transition, in its transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Store the state (a new pending sign-in, or the changed one).
    Save,
    /// Mail a new code (replacing this sign-in's earlier one), unless the hourly cap holds;
    /// the outcome comes back as `CodeSent` or `CodeCapped`.
    SendCode,
    /// Check what was typed, then come back with `Accepted` (a refusal changes nothing here:
    /// the check has counted it).
    Check(Check),
    /// Delete the pending sign-in: it is over.
    EndPending,
    /// Start a session, signed in as `Authn` says, and send the person on to `Return`.
    StartSession(Return, Authn),
    /// Start a session that reaches only the two-factor set-up; the person goes on to `Return`
    /// once it is done.
    StartEnrolSession(Return),
    /// The Recovery Key was used: make the next one (shown once) and tell the person by email.
    ReplaceRecoveryKey,
}

/// Why an event cannot happen now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The sign-in is over (expired, finished, or never started).
    Over,
    /// The account does not have that way in.
    NotOffered,
    /// A code was typed, but none that can still work was sent for this sign-in.
    NoUsableCode,
    /// "Resend code" within the cooldown after this sign-in's last code.
    Cooldown { retry_after: i64 },
    /// The hourly cap on codes holds.
    Capped { retry_after: i64 },
    /// An event that does not follow from the state (an answer to a check never asked for).
    OutOfOrder,
}

/// The numbers the machine needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Seconds between two codes of one sign-in.
    pub resend_cooldown: i64,
    /// Tries a code allows.
    pub max_tries: i64,
}

/// The next state and what to carry out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub state: SignIn,
    pub effects: Vec<Effect>,
}

fn to(state: SignIn, effects: &[Effect]) -> Result<Transition, Refusal> {
    Ok(Transition { state, effects: effects.to_vec() })
}

impl Check {
    /// The second factor this check proves; a security key's comes back with `KeyAccepted`,
    /// which says what kind of key it was.
    pub fn second_factor(self) -> Option<SecondFactor> {
        match self {
            Check::Method(Method::EmailCode) => Some(SecondFactor::EmailCode),
            Check::Method(Method::AuthenticatorApp) => Some(SecondFactor::AuthenticatorApp),
            Check::Method(Method::SecurityKey) => None,
            Check::RecoveryKey => Some(SecondFactor::RecoveryKey),
        }
    }
}

impl Code {
    /// Whether a code sent for this sign-in can still be typed.
    pub fn usable(&self, now: i64, rules: &Rules) -> bool {
        matches!(*self, Code::Sent { expires_at, tries, .. } if now < expires_at && tries < rules.max_tries)
    }
}

/// The one transition function.
pub fn next(state: &SignIn, event: Event, now: i64, rules: &Rules) -> Result<Transition, Refusal> {
    match state {
        SignIn::Start => match event {
            Event::PasswordAccepted { factors, requirement, expires_at, then, remembered } => {
                Ok(after_password(factors, requirement, expires_at, then, remembered))
            }
            Event::PasskeyAccepted { allowed: false, .. } => Err(Refusal::NotOffered),
            // A passkey that did not verify its user is one factor: not enough without the
            // password (the library asks for verification; this holds whatever it returns).
            Event::PasskeyAccepted { key, .. } if !key.user_verified => Err(Refusal::NotOffered),
            Event::PasskeyAccepted { key, then, .. } => {
                to(SignIn::Done, &[Effect::StartSession(then, Authn::passkey(key))])
            }
            _ => Err(Refusal::Over),
        },
        SignIn::Awaiting(a) if now >= a.expires_at => match event {
            Event::Expired => to(SignIn::Ended, &[Effect::EndPending]),
            _ => Err(Refusal::Over),
        },
        SignIn::Awaiting(a) => awaiting(a.clone(), event, now, rules),
        SignIn::MustEnrol | SignIn::Done | SignIn::Ended => Err(Refusal::Over),
    }
}

/// The state a correct password leads to. A security key is asked for first when there is one
/// (the way a fake page cannot relay), then the authenticator app; otherwise a code is mailed
/// at once. A remembered device skips the second step (the password was still asked).
fn after_password(f: Factors, requirement: Requirement, expires_at: i64, then: Return, remembered: bool) -> Transition {
    if !f.two_factor_on() {
        return match requirement {
            Requirement::EnrolNow => {
                Transition { state: SignIn::MustEnrol, effects: vec![Effect::StartEnrolSession(then)] }
            }
            _ => Transition { state: SignIn::Done, effects: vec![Effect::StartSession(then, Authn::PASSWORD)] },
        };
    }
    if remembered {
        let session = Effect::StartSession(then, Authn::with(SecondFactor::RememberedDevice));
        return Transition { state: SignIn::Done, effects: vec![session] };
    }
    let current = if f.security_key {
        Method::SecurityKey
    } else if f.authenticator {
        Method::AuthenticatorApp
    } else {
        Method::EmailCode
    };
    let state = SignIn::Awaiting(Awaiting { offered: f, current, code: Code::NotSent, then, expires_at });
    let effects = match current {
        Method::EmailCode => vec![Effect::Save, Effect::SendCode],
        Method::AuthenticatorApp | Method::SecurityKey => vec![Effect::Save],
    };
    Transition { state, effects }
}

fn awaiting(a: Awaiting, event: Event, now: i64, rules: &Rules) -> Result<Transition, Refusal> {
    let stay = |a: Awaiting, effects: &[Effect]| to(SignIn::Awaiting(a), effects);
    let current = a.current;
    match event {
        Event::PasswordAccepted { .. } | Event::PasskeyAccepted { .. } => Err(Refusal::OutOfOrder),
        Event::CodeSubmitted => match a.current {
            Method::EmailCode if !a.code.usable(now, rules) => Err(Refusal::NoUsableCode),
            Method::SecurityKey => Err(Refusal::OutOfOrder),
            m => stay(a, &[Effect::Check(Check::Method(m))]),
        },
        Event::KeySubmitted if a.current != Method::SecurityKey => Err(Refusal::OutOfOrder),
        Event::KeySubmitted => stay(a, &[Effect::Check(Check::Method(Method::SecurityKey))]),
        Event::KeyAccepted(_) if a.current != Method::SecurityKey => Err(Refusal::OutOfOrder),
        Event::KeyAccepted(key) => {
            let session = Effect::StartSession(a.then, Authn::with(SecondFactor::SecurityKey(key)));
            to(SignIn::Done, &[Effect::EndPending, session])
        }
        Event::RecoveryKeySubmitted if !a.offered.recovery_key => Err(Refusal::NotOffered),
        Event::RecoveryKeySubmitted => stay(a, &[Effect::Check(Check::RecoveryKey)]),
        Event::Accepted(Check::Method(m)) if m != a.current => Err(Refusal::OutOfOrder),
        Event::Accepted(Check::RecoveryKey) if !a.offered.recovery_key => Err(Refusal::OutOfOrder),
        Event::Accepted(c) => match (c, c.second_factor()) {
            (_, None) => Err(Refusal::OutOfOrder),
            (Check::Method(_), Some(second)) => {
                let session = Effect::StartSession(a.then, Authn::with(second));
                to(SignIn::Done, &[Effect::EndPending, session])
            }
            (Check::RecoveryKey, Some(second)) => {
                let session = Effect::StartSession(a.then, Authn::with(second));
                to(SignIn::Done, &[Effect::EndPending, Effect::ReplaceRecoveryKey, session])
            }
        },
        Event::SwitchedTo(m) if !a.offered.offers(m) => Err(Refusal::NotOffered),
        // Already there (a double click): nothing to do, and no way around the cooldown.
        Event::SwitchedTo(m) if m == current => stay(a, &[]),
        Event::SwitchedTo(m) => {
            let code = a.code;
            let switched = Awaiting { current: m, ..a };
            // A code sent for this sign-in that still works is not sent again; otherwise one
            // goes out at once (the hourly cap permitting: no cooldown on a switch).
            match (m, code) {
                (Method::EmailCode, code) if !code.usable(now, rules) => {
                    capped(code, now)?;
                    stay(switched, &[Effect::Save, Effect::SendCode])
                }
                _ => stay(switched, &[Effect::Save]),
            }
        }
        Event::ResendAsked if a.current != Method::EmailCode => Err(Refusal::OutOfOrder),
        Event::ResendAsked => {
            capped(a.code, now)?;
            if let Code::Sent { at, .. } = a.code {
                let wait = at + rules.resend_cooldown - now;
                if wait > 0 {
                    return Err(Refusal::Cooldown { retry_after: wait });
                }
            }
            stay(a, &[Effect::SendCode])
        }
        Event::CodeSent { expires_at } => {
            stay(Awaiting { code: Code::Sent { at: now, expires_at, tries: 0 }, ..a }, &[Effect::Save])
        }
        // A code of this sign-in that still works is kept: the cap only refuses a new one.
        Event::CodeCapped { until } if a.code.usable(now, rules) => {
            Err(Refusal::Capped { retry_after: (until - now).max(1) })
        }
        Event::CodeCapped { until } => stay(Awaiting { code: Code::Capped { until }, ..a }, &[Effect::Save]),
        Event::Expired => Err(Refusal::OutOfOrder),
    }
}

/// Refused while the hourly cap that stopped this sign-in's last code still holds.
fn capped(code: Code, now: i64) -> Result<(), Refusal> {
    match code {
        Code::Capped { until } if until > now => Err(Refusal::Capped { retry_after: until - now }),
        _ => Ok(()),
    }
}

/// What the second-step page says about the emailed code: only what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeNote {
    /// A code sent for this sign-in works; "Resend code" is possible in `resend_in` seconds
    /// (0: now).
    Sent { resend_in: i64 },
    /// The code sent for this sign-in expired; a new one can be asked for now.
    Expired,
    /// The code sent for this sign-in had too many wrong tries; a new one can be asked for now.
    TriedOut,
    /// No code was sent: the hourly cap holds for `wait` seconds more.
    Capped { wait: i64 },
    /// No code was sent for this sign-in.
    NotSent,
}

impl Awaiting {
    pub fn code_note(&self, now: i64, rules: &Rules) -> CodeNote {
        match self.code {
            Code::Capped { until } if until > now => CodeNote::Capped { wait: until - now },
            c @ Code::Sent { at, .. } if c.usable(now, rules) => {
                CodeNote::Sent { resend_in: (at + rules.resend_cooldown - now).max(0) }
            }
            Code::Sent { tries, .. } if tries >= rules.max_tries => CodeNote::TriedOut,
            Code::Sent { .. } => CodeNote::Expired,
            Code::Capped { .. } | Code::NotSent => CodeNote::NotSent,
        }
    }
}
