//! The sign-in state machine: after a correct password, what is the next step?

/// The second factors an account has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Factors {
    pub email_code: bool,
    pub recovery_key: bool,
}

impl Factors {
    pub fn two_factor_on(&self) -> bool {
        self.email_code
    }
}

/// Where a sign-in stands once the password was right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInStep {
    /// A second factor is needed before there is a session: a code is mailed, and the
    /// Recovery Key is offered instead when the account has one.
    SecondFactor { recovery_key: bool },
    /// The password was enough: start the session.
    Done,
}

pub fn after_password(f: Factors) -> SignInStep {
    if f.two_factor_on() {
        SignInStep::SecondFactor {
            recovery_key: f.recovery_key,
        }
    } else {
        SignInStep::Done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_two_factor_the_password_signs_in() {
        assert_eq!(after_password(Factors::default()), SignInStep::Done);
    }

    #[test]
    fn with_two_factor_a_second_step_follows_and_offers_the_recovery_key() {
        let f = Factors {
            email_code: true,
            recovery_key: true,
        };
        assert_eq!(after_password(f), SignInStep::SecondFactor { recovery_key: true });
    }
}
