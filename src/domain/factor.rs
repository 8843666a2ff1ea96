//! The second factors: which kinds there are, and which ones an account has. Security keys and
//! passkeys live in their own table (one row per key, `store::security_keys`); the others are
//! kinds of `second_factors` rows.

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
    /// At least one security key or passkey.
    pub security_key: bool,
    pub recovery_key: bool,
}

impl Factors {
    pub fn two_factor_on(&self) -> bool {
        self.email_code || self.authenticator || self.security_key
    }

    /// Whether the account has this way of giving a second factor at sign-in.
    pub fn offers(&self, method: Method) -> bool {
        match method {
            Method::AuthenticatorApp => self.authenticator,
            Method::EmailCode => self.email_code,
            Method::SecurityKey => self.security_key,
        }
    }

    /// The factors from their stored kinds (unknown kinds are ignored), whether there is a
    /// security key and whether there is a Recovery Key.
    pub fn from_kinds<'a>(kinds: impl IntoIterator<Item = &'a str>, security_key: bool, recovery_key: bool) -> Self {
        let mut f = Factors { security_key, recovery_key, ..Factors::default() };
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
/// person can switch between those their account has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    AuthenticatorApp,
    EmailCode,
    /// A security key or passkey (WebAuthn): the browser signs this sign-in's challenge.
    SecurityKey,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::SecurityKey, Method::AuthenticatorApp, Method::EmailCode];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::AuthenticatorApp => "app",
            Method::EmailCode => "email",
            Method::SecurityKey => "key",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
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

    /// What the code lets the person do, as its email says it ("Use this code to log in:").
    pub fn message(self) -> super::text::Msg {
        super::text::Msg::new(match self {
            CodePurpose::Enable => "mail-code-purpose-enable",
            CodePurpose::SignIn => "mail-code-purpose-sign-in",
            CodePurpose::Disable => "mail-code-purpose-disable",
        })
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
        for m in Method::ALL {
            assert_eq!(Method::parse(m.as_str()), Some(m));
        }
        assert_eq!(Method::parse(""), None);
    }

    #[test]
    fn a_pending_app_is_not_a_factor() {
        let f = Factors::from_kinds(["totp_pending", "sms"], false, true);
        assert_eq!(f, Factors { recovery_key: true, ..Factors::default() });
        assert!(!f.two_factor_on());
        assert!(Factors::from_kinds(["totp"], false, false).offers(Method::AuthenticatorApp));
        assert!(!Factors::from_kinds(["totp"], false, false).offers(Method::EmailCode));
    }

    #[test]
    fn a_security_key_alone_turns_two_factor_on() {
        let f = Factors::from_kinds([], true, true);
        assert!(f.two_factor_on());
        assert!(f.offers(Method::SecurityKey));
        assert!(!f.offers(Method::AuthenticatorApp));
    }
}
