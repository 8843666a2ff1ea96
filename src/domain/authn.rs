//! How a session was signed in: the password, and the second factor when one was given. The
//! session keeps it (`as_str`); applications learn it as `amr` (RFC 8176) and `acr` (OpenID
//! Connect Core §2), and may ask for two factors through `acr_values`.

/// The second factor a sign-in was completed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor {
    EmailCode,
    AuthenticatorApp,
    RecoveryKey,
}

/// How a session was signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Authn {
    /// None: the password alone.
    pub second: Option<SecondFactor>,
}

/// The `acr` of a sign-in with the password alone.
pub const ACR_PASSWORD: &str = "urn:latchkey:acr:password";
/// The `acr` of a sign-in with the password and a second factor; an application asks for such a
/// sign-in with `acr_values=urn:latchkey:acr:2fa`.
pub const ACR_TWO_FACTOR: &str = "urn:latchkey:acr:2fa";

impl Authn {
    pub const PASSWORD: Authn = Authn { second: None };

    pub fn with(second: SecondFactor) -> Self {
        Authn { second: Some(second) }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self.second {
            None => "pwd",
            Some(SecondFactor::EmailCode) => "pwd+email",
            Some(SecondFactor::AuthenticatorApp) => "pwd+app",
            Some(SecondFactor::RecoveryKey) => "pwd+recovery",
        }
    }

    /// The stored form read back; an unknown one counts as the password alone (never as more
    /// than was proved).
    pub fn parse(s: &str) -> Self {
        let second = match s {
            "pwd+email" => Some(SecondFactor::EmailCode),
            "pwd+app" => Some(SecondFactor::AuthenticatorApp),
            "pwd+recovery" => Some(SecondFactor::RecoveryKey),
            _ => None,
        };
        Authn { second }
    }

    /// Whether a second factor was given.
    pub fn two_factor(self) -> bool {
        self.second.is_some()
    }

    /// RFC 8176 method references: `pwd`, and `otp` with `mfa` for a second factor (a code by
    /// email, an authenticator app's code and the single-use Recovery Key are all one-time
    /// secrets).
    pub fn amr(self) -> Vec<&'static str> {
        match self.second {
            None => vec!["pwd"],
            Some(_) => vec!["pwd", "otp", "mfa"],
        }
    }

    pub fn acr(self) -> &'static str {
        if self.two_factor() {
            ACR_TWO_FACTOR
        } else {
            ACR_PASSWORD
        }
    }
}

impl From<String> for Authn {
    fn from(s: String) -> Self {
        Authn::parse(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_form_reads_back_and_unknown_forms_claim_nothing_more() {
        for a in [
            Authn::PASSWORD,
            Authn::with(SecondFactor::EmailCode),
            Authn::with(SecondFactor::AuthenticatorApp),
            Authn::with(SecondFactor::RecoveryKey),
        ] {
            assert_eq!(Authn::parse(a.as_str()), a);
        }
        assert_eq!(Authn::parse("pwd+webauthn"), Authn::PASSWORD);
        assert_eq!(Authn::parse(""), Authn::PASSWORD);
    }

    #[test]
    fn amr_and_acr_say_whether_two_factors_were_used() {
        assert_eq!(Authn::PASSWORD.amr(), vec!["pwd"]);
        assert_eq!(Authn::PASSWORD.acr(), ACR_PASSWORD);
        let app = Authn::with(SecondFactor::AuthenticatorApp);
        assert_eq!(app.amr(), vec!["pwd", "otp", "mfa"]);
        assert_eq!(app.acr(), ACR_TWO_FACTOR);
    }
}
