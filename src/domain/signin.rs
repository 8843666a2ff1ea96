//! The sign-in state machine: after a correct password, what is the next step?

use super::policy::Requirement;

/// The second factors an account has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Factors {
    pub email_code: bool,
    pub authenticator: bool,
    pub recovery_key: bool,
}

impl Factors {
    pub fn two_factor_on(&self) -> bool {
        self.email_code || self.authenticator
    }
}

/// The second factor a pending sign-in asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondStepMethod {
    AuthenticatorApp,
    EmailCode,
}

/// Where a sign-in stands once the password was right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInStep {
    /// A second factor is needed before there is a session. The authenticator app is asked
    /// for first when there is one; otherwise a code is mailed. The Recovery Key is offered.
    SecondFactor { first: SecondStepMethod, email_code: bool, recovery_key: bool },
    /// The organization requires two-factor authentication and the member has no allowed
    /// method: the set-up comes first, and nothing else is reachable until it is done.
    EnrolRequired,
    /// The password was enough: start the session.
    Done,
}

/// The next step after a correct password, given the member's factors and what their
/// organization's policy asks of them now.
pub fn after_password(f: Factors, requirement: Requirement) -> SignInStep {
    if !f.two_factor_on() {
        return match requirement {
            Requirement::EnrolNow => SignInStep::EnrolRequired,
            _ => SignInStep::Done,
        };
    }
    let first = if f.authenticator { SecondStepMethod::AuthenticatorApp } else { SecondStepMethod::EmailCode };
    SignInStep::SecondFactor { first, email_code: f.email_code, recovery_key: f.recovery_key }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_two_factor_the_password_signs_in() {
        assert_eq!(after_password(Factors::default(), Requirement::None), SignInStep::Done);
    }

    #[test]
    fn a_member_who_must_enrol_is_sent_to_the_set_up_and_one_in_grace_is_not() {
        assert_eq!(after_password(Factors::default(), Requirement::EnrolNow), SignInStep::EnrolRequired);
        assert_eq!(after_password(Factors::default(), Requirement::Grace { deadline: 9 }), SignInStep::Done);
    }

    #[test]
    fn with_email_codes_a_code_is_the_second_step_and_the_recovery_key_is_offered() {
        let f = Factors { email_code: true, authenticator: false, recovery_key: true };
        let step =
            SignInStep::SecondFactor { first: SecondStepMethod::EmailCode, email_code: true, recovery_key: true };
        assert_eq!(after_password(f, Requirement::None), step);
    }

    #[test]
    fn an_authenticator_app_is_asked_for_first_with_email_as_the_alternative() {
        let f = Factors { email_code: true, authenticator: true, recovery_key: true };
        let step = SignInStep::SecondFactor {
            first: SecondStepMethod::AuthenticatorApp,
            email_code: true,
            recovery_key: true,
        };
        assert_eq!(after_password(f, Requirement::None), step);
        let app_only = Factors { email_code: false, authenticator: true, recovery_key: true };
        assert!(matches!(
            after_password(app_only, Requirement::Satisfied),
            SignInStep::SecondFactor { email_code: false, .. }
        ));
    }
}
