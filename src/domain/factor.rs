//! The second factors: which kinds there are, and which ones an account has.

/// A kind of second factor an account can have, as stored (by name, `as_str`). The Recovery
/// Key is the way back in when the others are lost, and is kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FactorKind {
    EmailCode,
    AuthenticatorApp,
    /// An authenticator app being set up: its secret waits for a first code.
    AuthenticatorPending,
}

impl FactorKind {
    pub const ALL: [FactorKind; 3] =
        [FactorKind::EmailCode, FactorKind::AuthenticatorApp, FactorKind::AuthenticatorPending];

    pub fn as_str(self) -> &'static str {
        match self {
            FactorKind::EmailCode => "email",
            FactorKind::AuthenticatorApp => "totp",
            FactorKind::AuthenticatorPending => "totp_pending",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

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

    /// Whether the account has this way of giving a second factor at sign-in.
    pub fn offers(&self, method: Method) -> bool {
        match method {
            Method::AuthenticatorApp => self.authenticator,
            Method::EmailCode => self.email_code,
        }
    }

    /// The factors from their stored kinds (unknown kinds are ignored) and whether there is a
    /// Recovery Key.
    pub fn from_kinds<'a>(kinds: impl IntoIterator<Item = &'a str>, recovery_key: bool) -> Self {
        let mut f = Factors { recovery_key, ..Factors::default() };
        for k in kinds.into_iter().filter_map(FactorKind::parse) {
            match k {
                FactorKind::EmailCode => f.email_code = true,
                FactorKind::AuthenticatorApp => f.authenticator = true,
                FactorKind::AuthenticatorPending => {}
            }
        }
        f
    }
}

/// A way of giving the second factor at sign-in: one of them is asked for at a time, and the
/// person can switch between those their account has. (A security key is the next variant.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    AuthenticatorApp,
    EmailCode,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::AuthenticatorApp => "app",
            Method::EmailCode => "email",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Method::AuthenticatorApp, Method::EmailCode].into_iter().find(|m| m.as_str() == s)
    }
}

/// What an emailed code is for; a code of one purpose never works for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    Enable,
    SignIn,
    Disable,
}

impl CodePurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            CodePurpose::Enable => "enable",
            CodePurpose::SignIn => "signin",
            CodePurpose::Disable => "disable",
        }
    }

    /// What the code lets the person do, in the words its email uses.
    pub fn words(self) -> &'static str {
        match self {
            CodePurpose::Enable => "turn on two-factor authentication",
            CodePurpose::SignIn => "log in",
            CodePurpose::Disable => "confirm a change to your two-factor authentication",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_read_back_as_the_same_kind() {
        for k in FactorKind::ALL {
            assert_eq!(FactorKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(FactorKind::parse("sms"), None);
        for m in [Method::AuthenticatorApp, Method::EmailCode] {
            assert_eq!(Method::parse(m.as_str()), Some(m));
        }
        assert_eq!(Method::parse(""), None);
    }

    #[test]
    fn a_pending_app_is_not_a_factor() {
        let f = Factors::from_kinds(["totp_pending", "sms"], true);
        assert_eq!(f, Factors { email_code: false, authenticator: false, recovery_key: true });
        assert!(!f.two_factor_on());
        assert!(Factors::from_kinds(["totp"], false).offers(Method::AuthenticatorApp));
        assert!(!Factors::from_kinds(["totp"], false).offers(Method::EmailCode));
    }
}
