//! Every state against every event, as one table the compiler checks for gaps: `expected` is a
//! match over (state, event) without a wildcard, so a new state or event does not build until
//! each of its cells says what must happen.

use super::*;
use crate::domain::authn::{Authn, Key, SecondFactor};

const NOW: i64 = 1_000_000;
const END: i64 = NOW + 600;
const RULES: Rules = Rules { resend_cooldown: 30, max_tries: 5 };

const ALL: Factors = Factors { email_code: true, authenticator: true, security_key: false, recovery_key: true };
const APP: Factors = Factors { email_code: false, ..ALL };
const EMAIL: Factors = Factors { authenticator: false, ..ALL };
const EMAIL_NO_KEY: Factors = Factors { recovery_key: false, ..EMAIL };
const EVERY: Factors = Factors { security_key: true, ..ALL };
const KEY_ONLY: Factors = Factors { security_key: true, email_code: false, authenticator: false, recovery_key: true };
const K: Key = Key { hardware: true, user_verified: true };

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum S {
    Start,
    /// App and email; the app asked for; no code sent.
    AppFirst,
    /// Only the app.
    AppOnly,
    /// The app asked for, a code sent a moment ago (switched, then back).
    AppWithCode,
    /// Email; a code sent 5 s ago (within the cooldown).
    CodeFresh,
    /// A code sent 60 s ago (after the cooldown), still good.
    CodeCooled,
    /// A code that expired.
    CodeExpired,
    /// A code with no tries left.
    CodeTriedOut,
    /// The hourly cap held the code; it still holds.
    Capped,
    /// The hourly cap held the code; it has ended.
    CapOver,
    /// Email codes, no Recovery Key.
    NoKey,
    /// Waiting, but the sign-in's time is up.
    Late,
    /// Every way in; the security key asked for.
    KeyFirst,
    /// A security key and the Recovery Key only.
    KeyOnly,
    MustEnrol,
    Done,
    Ended,
}

const STATES: [S; 17] = [
    S::Start,
    S::KeyFirst,
    S::KeyOnly,
    S::AppFirst,
    S::AppOnly,
    S::AppWithCode,
    S::CodeFresh,
    S::CodeCooled,
    S::CodeExpired,
    S::CodeTriedOut,
    S::Capped,
    S::CapOver,
    S::NoKey,
    S::Late,
    S::MustEnrol,
    S::Done,
    S::Ended,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum E {
    /// A password for an account with email codes only.
    Password,
    /// The same, from a device the account remembers.
    PasswordRemembered,
    CodeSubmitted,
    RecoverySubmitted,
    AcceptedApp,
    AcceptedEmail,
    AcceptedRecovery,
    /// "Use your security key" came back.
    SecurityKeySubmitted,
    AcceptedSecurityKey,
    ToKey,
    /// "Sign in with a passkey", in an organization that allows keys / that does not.
    Passkey,
    PasskeyNotAllowed,
    ToApp,
    ToEmail,
    Resend,
    Sent,
    CappedNow,
    Expired,
}

const EVENTS: [E; 18] = [
    E::Password,
    E::PasswordRemembered,
    E::SecurityKeySubmitted,
    E::AcceptedSecurityKey,
    E::ToKey,
    E::Passkey,
    E::PasskeyNotAllowed,
    E::CodeSubmitted,
    E::RecoverySubmitted,
    E::AcceptedApp,
    E::AcceptedEmail,
    E::AcceptedRecovery,
    E::ToApp,
    E::ToEmail,
    E::Resend,
    E::Sent,
    E::CappedNow,
    E::Expired,
];

fn waiting(offered: Factors, current: Method, code: Code) -> Awaiting {
    Awaiting { offered, current, code, then: Return::Account, expires_at: END }
}

fn sent(ago: i64) -> Code {
    Code::Sent { at: NOW - ago, expires_at: NOW - ago + 300, tries: 0 }
}

fn awaiting(s: S) -> Option<Awaiting> {
    Some(match s {
        S::AppFirst => waiting(ALL, Method::AuthenticatorApp, Code::NotSent),
        S::AppOnly => waiting(APP, Method::AuthenticatorApp, Code::NotSent),
        S::AppWithCode => waiting(ALL, Method::AuthenticatorApp, sent(5)),
        S::CodeFresh => waiting(EMAIL, Method::EmailCode, sent(5)),
        S::CodeCooled => waiting(EMAIL, Method::EmailCode, sent(60)),
        S::CodeExpired => waiting(EMAIL, Method::EmailCode, sent(400)),
        S::CodeTriedOut => {
            waiting(EMAIL, Method::EmailCode, Code::Sent { at: NOW - 60, expires_at: NOW + 240, tries: 5 })
        }
        S::Capped => waiting(EMAIL, Method::EmailCode, Code::Capped { until: NOW + 120 }),
        S::CapOver => waiting(EMAIL, Method::EmailCode, Code::Capped { until: NOW - 1 }),
        S::NoKey => waiting(EMAIL_NO_KEY, Method::EmailCode, sent(5)),
        S::KeyFirst => waiting(EVERY, Method::SecurityKey, Code::NotSent),
        S::KeyOnly => waiting(KEY_ONLY, Method::SecurityKey, Code::NotSent),
        S::Late => Awaiting { expires_at: NOW, ..waiting(EMAIL, Method::EmailCode, sent(5)) },
        S::Start | S::MustEnrol | S::Done | S::Ended => return None,
    })
}

fn state(s: S) -> SignIn {
    match s {
        S::Start => SignIn::Start,
        S::MustEnrol => SignIn::MustEnrol,
        S::Done => SignIn::Done,
        S::Ended => SignIn::Ended,
        other => SignIn::Awaiting(awaiting(other).unwrap()),
    }
}

fn event(e: E) -> Event {
    match e {
        E::Password | E::PasswordRemembered => Event::PasswordAccepted {
            factors: EMAIL,
            requirement: Requirement::Satisfied,
            expires_at: END,
            then: Return::Account,
            remembered: e == E::PasswordRemembered,
        },
        E::CodeSubmitted => Event::CodeSubmitted,
        E::RecoverySubmitted => Event::RecoveryKeySubmitted,
        E::SecurityKeySubmitted => Event::KeySubmitted,
        E::AcceptedSecurityKey => Event::KeyAccepted(K),
        E::ToKey => Event::SwitchedTo(Method::SecurityKey),
        E::Passkey => Event::PasskeyAccepted { key: K, allowed: true, then: Return::Account },
        E::PasskeyNotAllowed => Event::PasskeyAccepted { key: K, allowed: false, then: Return::Account },
        E::AcceptedApp => Event::Accepted(Check::Method(Method::AuthenticatorApp)),
        E::AcceptedEmail => Event::Accepted(Check::Method(Method::EmailCode)),
        E::AcceptedRecovery => Event::Accepted(Check::RecoveryKey),
        E::ToApp => Event::SwitchedTo(Method::AuthenticatorApp),
        E::ToEmail => Event::SwitchedTo(Method::EmailCode),
        E::Resend => Event::ResendAsked,
        E::Sent => Event::CodeSent { expires_at: NOW + 300 },
        E::CappedNow => Event::CodeCapped { until: NOW + 900 },
        E::Expired => Event::Expired,
    }
}

type Outcome = Result<Transition, Refusal>;

fn stays(s: S, effects: &[Effect]) -> Outcome {
    Ok(Transition { state: state(s), effects: effects.to_vec() })
}

fn becomes(a: Awaiting, effects: &[Effect]) -> Outcome {
    Ok(Transition { state: SignIn::Awaiting(a), effects: effects.to_vec() })
}

fn done(effects: &[Effect]) -> Outcome {
    Ok(Transition { state: SignIn::Done, effects: effects.to_vec() })
}

/// Signed in with the password and `second`.
fn signed_in(second: SecondFactor) -> Vec<Effect> {
    let session = Effect::StartSession(Return::Account, Authn::with(second));
    match second {
        SecondFactor::RecoveryKey => vec![Effect::EndPending, Effect::ReplaceRecoveryKey, session],
        _ => vec![Effect::EndPending, session],
    }
}

/// What must happen, cell by cell.
fn expected(s: S, e: E) -> Outcome {
    use Refusal::*;
    let a = awaiting(s);
    let with = |f: fn(Awaiting) -> Awaiting, effects: &[Effect]| becomes(f(a.clone().unwrap()), effects);
    match (s, e) {
        (S::Start, E::Password) => {
            becomes(waiting(EMAIL, Method::EmailCode, Code::NotSent), &[Effect::Save, Effect::SendCode])
        }
        (S::Start, E::PasswordRemembered) => {
            done(&[Effect::StartSession(Return::Account, Authn::with(SecondFactor::RememberedDevice))])
        }
        (S::Start, E::Passkey) => done(&[Effect::StartSession(Return::Account, Authn::passkey(K))]),
        (S::Start, E::PasskeyNotAllowed) => Err(NotOffered),
        (S::Start, _) => Err(Over),
        (S::MustEnrol | S::Done | S::Ended, _) => Err(Over),
        (S::Late, E::Expired) => Ok(Transition { state: SignIn::Ended, effects: vec![Effect::EndPending] }),
        (S::Late, _) => Err(Over),

        (_, E::Password | E::PasswordRemembered | E::Passkey | E::PasskeyNotAllowed) => Err(OutOfOrder),

        // The security key: its answer is checked while it is the method asked for.
        (S::KeyFirst | S::KeyOnly, E::CodeSubmitted) => Err(OutOfOrder),
        (S::KeyFirst | S::KeyOnly, E::SecurityKeySubmitted) => {
            stays(s, &[Effect::Check(Check::Method(Method::SecurityKey))])
        }
        (S::KeyFirst | S::KeyOnly, E::AcceptedSecurityKey) => done(&signed_in(SecondFactor::SecurityKey(K))),
        (_, E::SecurityKeySubmitted | E::AcceptedSecurityKey) => Err(OutOfOrder),
        (S::KeyFirst | S::KeyOnly, E::ToKey) => stays(s, &[]),
        (_, E::ToKey) => Err(NotOffered),
        (S::KeyFirst, E::ToApp) => with(|a| Awaiting { current: Method::AuthenticatorApp, ..a }, &[Effect::Save]),
        (S::KeyFirst, E::ToEmail) => {
            with(|a| Awaiting { current: Method::EmailCode, ..a }, &[Effect::Save, Effect::SendCode])
        }
        (S::KeyOnly, E::ToApp | E::ToEmail) => Err(NotOffered),
        (S::KeyFirst | S::KeyOnly, E::AcceptedApp | E::AcceptedEmail | E::Resend) => Err(OutOfOrder),
        (_, E::Expired) => Err(OutOfOrder),

        // "Continue": the current method is checked; an emailed code only if one can still work.
        (S::AppFirst | S::AppOnly | S::AppWithCode, E::CodeSubmitted) => {
            stays(s, &[Effect::Check(Check::Method(Method::AuthenticatorApp))])
        }
        (S::CodeFresh | S::CodeCooled | S::NoKey, E::CodeSubmitted) => {
            stays(s, &[Effect::Check(Check::Method(Method::EmailCode))])
        }
        (S::CodeExpired | S::CodeTriedOut | S::Capped | S::CapOver, E::CodeSubmitted) => Err(NoUsableCode),

        (S::NoKey, E::RecoverySubmitted | E::AcceptedRecovery) => {
            Err(if e == E::RecoverySubmitted { NotOffered } else { OutOfOrder })
        }
        (_, E::RecoverySubmitted) => stays(s, &[Effect::Check(Check::RecoveryKey)]),
        (_, E::AcceptedRecovery) => done(&signed_in(SecondFactor::RecoveryKey)),

        // An accepted check must be of the current method.
        (S::AppFirst | S::AppOnly | S::AppWithCode, E::AcceptedApp) => done(&signed_in(SecondFactor::AuthenticatorApp)),
        (S::AppFirst | S::AppOnly | S::AppWithCode, E::AcceptedEmail) => Err(OutOfOrder),
        (_, E::AcceptedEmail) => done(&signed_in(SecondFactor::EmailCode)),
        (_, E::AcceptedApp) => Err(OutOfOrder),

        // Switching: only to a method the account has; to email, a code goes out at once
        // unless this sign-in's code still works or the cap holds.
        (S::AppOnly, E::ToEmail) => Err(NotOffered),
        (S::AppFirst, E::ToEmail) => {
            with(|a| Awaiting { current: Method::EmailCode, ..a }, &[Effect::Save, Effect::SendCode])
        }
        (S::AppWithCode, E::ToEmail) => with(|a| Awaiting { current: Method::EmailCode, ..a }, &[Effect::Save]),
        // Already on email (a double click): nothing happens, so no way around the cooldown.
        (S::CodeFresh | S::CodeCooled | S::NoKey | S::CodeExpired | S::CodeTriedOut | S::CapOver, E::ToEmail) => {
            stays(s, &[])
        }
        (S::Capped, E::ToEmail) => stays(s, &[]),
        (S::AppFirst | S::AppOnly | S::AppWithCode, E::ToApp) => stays(s, &[]),
        (_, E::ToApp) => Err(NotOffered),

        // "Resend code": only on the email step, after the cooldown of this sign-in's code.
        (S::AppFirst | S::AppOnly | S::AppWithCode, E::Resend) => Err(OutOfOrder),
        (S::CodeFresh | S::NoKey, E::Resend) => Err(Cooldown { retry_after: 25 }),
        (S::Capped, E::Resend) => Err(Capped { retry_after: 120 }),
        (S::CodeCooled | S::CodeExpired | S::CodeTriedOut | S::CapOver, E::Resend) => stays(s, &[Effect::SendCode]),

        // The outcome of a send is stored.
        (_, E::Sent) => {
            with(|a| Awaiting { code: Code::Sent { at: NOW, expires_at: NOW + 300, tries: 0 }, ..a }, &[Effect::Save])
        }
        // The cap keeps a code of this sign-in that still works, and refuses the new one.
        (S::AppWithCode | S::CodeFresh | S::CodeCooled | S::NoKey, E::CappedNow) => Err(Capped { retry_after: 900 }),
        (_, E::CappedNow) => with(|a| Awaiting { code: Code::Capped { until: NOW + 900 }, ..a }, &[Effect::Save]),
    }
}

#[test]
fn every_state_meets_every_event_as_the_table_says() {
    let mut cells = 0;
    for s in STATES {
        for e in EVENTS {
            assert_eq!(next(&state(s), event(e), NOW, &RULES), expected(s, e), "{s:?} + {e:?}");
            cells += 1;
        }
    }
    assert_eq!(cells, 17 * 18);
}

#[test]
fn a_correct_password_leads_where_the_factors_and_the_policy_say() {
    let remembered = true;
    let at = |factors: Factors, requirement: Requirement, remembered: bool| {
        let e = Event::PasswordAccepted { factors, requirement, expires_at: END, then: Return::Account, remembered };
        next(&SignIn::Start, e, NOW, &RULES).unwrap()
    };
    // A remembered device skips the second step; without a second factor it changes nothing.
    let skipped = at(ALL, Requirement::Satisfied, remembered);
    assert_eq!(
        skipped.effects,
        vec![Effect::StartSession(Return::Account, Authn::with(SecondFactor::RememberedDevice))]
    );
    assert_eq!(at(Factors::default(), Requirement::EnrolNow, remembered).state, SignIn::MustEnrol);
    assert_eq!(
        at(Factors::default(), Requirement::None, remembered).effects[0],
        Effect::StartSession(Return::Account, Authn::PASSWORD)
    );
    let start = |factors: Factors, requirement: Requirement| at(factors, requirement, false);
    let none = Factors::default();
    assert_eq!(start(none, Requirement::None).state, SignIn::Done);
    assert_eq!(start(none, Requirement::None).effects, vec![Effect::StartSession(Return::Account, Authn::PASSWORD)]);
    assert_eq!(start(none, Requirement::Grace { deadline: NOW + 9 }).state, SignIn::Done);
    assert_eq!(start(none, Requirement::EnrolNow).state, SignIn::MustEnrol);
    assert_eq!(start(none, Requirement::EnrolNow).effects, vec![Effect::StartEnrolSession(Return::Account)]);
    // The app is asked for first, and nothing is mailed until the person asks for email.
    let app = start(ALL, Requirement::Satisfied);
    assert_eq!(app.state, SignIn::Awaiting(waiting(ALL, Method::AuthenticatorApp, Code::NotSent)));
    assert_eq!(app.effects, vec![Effect::Save]);
    // A security key comes before the app.
    let key = start(EVERY, Requirement::Satisfied);
    assert_eq!(key.state, SignIn::Awaiting(waiting(EVERY, Method::SecurityKey, Code::NotSent)));
    assert_eq!(key.effects, vec![Effect::Save]);
    // With email codes only, a code goes out for this new sign-in, whatever earlier ones did.
    let email = start(EMAIL, Requirement::Satisfied);
    assert_eq!(email.effects, vec![Effect::Save, Effect::SendCode]);
}

#[test]
fn an_application_waiting_for_the_person_is_carried_to_the_session_or_the_set_up() {
    let back = Return::Continue(Continuation("sealed".into()));
    let password = |factors: Factors, requirement: Requirement| Event::PasswordAccepted {
        factors,
        requirement,
        expires_at: END,
        then: back.clone(),
        remembered: false,
    };
    let t = next(&SignIn::Start, password(Factors::default(), Requirement::None), NOW, &RULES).unwrap();
    assert_eq!(t.effects, vec![Effect::StartSession(back.clone(), Authn::PASSWORD)]);
    let t = next(&SignIn::Start, password(Factors::default(), Requirement::EnrolNow), NOW, &RULES).unwrap();
    assert_eq!(t.effects, vec![Effect::StartEnrolSession(back.clone())]);
    // Through the second step, switches and a Recovery Key included.
    let t = next(&SignIn::Start, password(ALL, Requirement::Satisfied), NOW, &RULES).unwrap();
    let t = next(&t.state, Event::SwitchedTo(Method::EmailCode), NOW, &RULES).unwrap();
    let t = next(&t.state, Event::CodeSent { expires_at: NOW + 300 }, NOW, &RULES).unwrap();
    let key = next(&t.state, Event::Accepted(Check::RecoveryKey), NOW, &RULES).unwrap();
    assert_eq!(key.effects[2], Effect::StartSession(back.clone(), Authn::with(SecondFactor::RecoveryKey)));
    let code = next(&t.state, Event::Accepted(Check::Method(Method::EmailCode)), NOW, &RULES).unwrap();
    assert_eq!(code.effects[1], Effect::StartSession(back, Authn::with(SecondFactor::EmailCode)));
}

#[test]
fn the_page_says_a_code_was_sent_only_while_it_can_work() {
    let note = |s: S| awaiting(s).unwrap().code_note(NOW, &RULES);
    assert_eq!(note(S::CodeFresh), CodeNote::Sent { resend_in: 25 });
    assert_eq!(note(S::CodeCooled), CodeNote::Sent { resend_in: 0 });
    assert_eq!(note(S::CodeExpired), CodeNote::Expired);
    assert_eq!(note(S::CodeTriedOut), CodeNote::TriedOut);
    assert_eq!(note(S::Capped), CodeNote::Capped { wait: 120 });
    assert_eq!(note(S::CapOver), CodeNote::NotSent);
    assert_eq!(note(S::AppFirst), CodeNote::NotSent);
}

#[test]
fn a_code_sent_then_resent_after_the_cooldown_restarts_the_countdown() {
    let rules = RULES;
    let s = state(S::CodeCooled);
    let t = next(&s, Event::ResendAsked, NOW, &rules).unwrap();
    assert_eq!(t.effects, vec![Effect::SendCode]);
    let t = next(&t.state, Event::CodeSent { expires_at: NOW + 300 }, NOW, &rules).unwrap();
    let SignIn::Awaiting(a) = t.state.clone() else { panic!("still waiting") };
    assert_eq!(a.code_note(NOW, &rules), CodeNote::Sent { resend_in: 30 });
    assert_eq!(next(&t.state, Event::ResendAsked, NOW + 29, &rules), Err(Refusal::Cooldown { retry_after: 1 }));
    assert!(next(&t.state, Event::ResendAsked, NOW + 30, &rules).is_ok());
}

#[test]
fn a_passkey_that_did_not_verify_its_user_does_not_sign_in_alone() {
    let unverified = Key { hardware: true, user_verified: false };
    let e = Event::PasskeyAccepted { key: unverified, allowed: true, then: Return::Account };
    assert_eq!(next(&SignIn::Start, e, NOW, &RULES), Err(Refusal::NotOffered));
    // An application waiting for the person is carried to the session.
    let back = Return::Continue(Continuation("sealed".into()));
    let e = Event::PasskeyAccepted { key: K, allowed: true, then: back.clone() };
    let t = next(&SignIn::Start, e, NOW, &RULES).unwrap();
    assert_eq!(t.effects, vec![Effect::StartSession(back, Authn::passkey(K))]);
}
