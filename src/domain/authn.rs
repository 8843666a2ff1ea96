//! How a session was signed in: the password and a second factor, or a passkey alone. The
//! session keeps it (`as_str`); applications learn it as `amr` (RFC 8176) and `acr` (OpenID
//! Connect Core §2), and may ask for two factors, or for a phishing-resistant sign-in, through
//! `acr_values`.

/// A security key or passkey as one sign-in used it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// Bound to one device (not backup eligible): `hwk`. A passkey that can be synced to other
    /// devices (backup eligible) is a software-kept key: `swk`. Without attestation (Latchkey
    /// asks for none) this flag is what the authenticator says of itself.
    pub hardware: bool,
    /// The authenticator verified the person (PIN or biometrics): `user`.
    pub user_verified: bool,
}

/// The second factor a sign-in was completed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor {
    EmailCode,
    AuthenticatorApp,
    RecoveryKey,
    SecurityKey(Key),
    /// None typed at this sign-in: the browser is a device the account remembered after a
    /// second step ("Remember this device"), within the organization's days. It counts as two
    /// factors for the policy and for applications, but never as a fresh second factor: an
    /// application that asks for one (`max_age`, `acr_values`) gets a second step.
    RememberedDevice,
}

/// How a session was signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Authn {
    /// A passkey alone, without the password ("Sign in with a passkey"); `second` is the key.
    pub passwordless: bool,
    /// None: the password alone.
    pub second: Option<SecondFactor>,
}

/// The `acr` of a sign-in with the password alone.
pub const ACR_PASSWORD: &str = "urn:latchkey:acr:password";
/// The `acr` of a sign-in with the password and a second factor; an application asks for such a
/// sign-in with `acr_values=urn:latchkey:acr:2fa`.
pub const ACR_TWO_FACTOR: &str = "urn:latchkey:acr:2fa";
/// The `acr` of a sign-in with a security key or passkey, which a fake page cannot relay (the
/// browser binds the key's answer to Latchkey's origin); `acr_values=urn:latchkey:acr:phr` asks
/// for it. It also satisfies a request for two factors.
pub const ACR_PHISHING_RESISTANT: &str = "urn:latchkey:acr:phr";

impl Authn {
    pub const PASSWORD: Authn = Authn { passwordless: false, second: None };

    pub fn with(second: SecondFactor) -> Self {
        Authn { passwordless: false, second: Some(second) }
    }

    /// "Sign in with a passkey".
    pub fn passkey(key: Key) -> Self {
        Authn { passwordless: true, second: Some(SecondFactor::SecurityKey(key)) }
    }

    /// The stored form: `pwd` or `passkey`, then `+` and the second factor (`email`, `app`,
    /// `recovery`, `hwk`, `swk`), then `+user` when a key verified the person.
    pub fn as_str(self) -> String {
        let mut s = String::from(if self.passwordless { "passkey" } else { "pwd" });
        match self.second {
            None => {}
            Some(SecondFactor::EmailCode) => s.push_str("+email"),
            Some(SecondFactor::AuthenticatorApp) => s.push_str("+app"),
            Some(SecondFactor::RecoveryKey) => s.push_str("+recovery"),
            Some(SecondFactor::RememberedDevice) => s.push_str("+device"),
            Some(SecondFactor::SecurityKey(k)) => {
                s.push_str(if k.hardware { "+hwk" } else { "+swk" });
                if k.user_verified {
                    s.push_str("+user");
                }
            }
        }
        s
    }

    /// The stored form read back; an unknown one counts as the password alone (never as more
    /// than was proved).
    pub fn parse(s: &str) -> Self {
        let mut parts = s.split('+');
        let passwordless = match parts.next() {
            Some("pwd") => false,
            Some("passkey") => true,
            _ => return Authn::PASSWORD,
        };
        let key = |hardware| -> Option<SecondFactor> {
            Some(SecondFactor::SecurityKey(Key { hardware, user_verified: false }))
        };
        let second = match parts.next() {
            None if !passwordless => None,
            Some("email") if !passwordless => Some(SecondFactor::EmailCode),
            Some("app") if !passwordless => Some(SecondFactor::AuthenticatorApp),
            Some("recovery") if !passwordless => Some(SecondFactor::RecoveryKey),
            Some("device") if !passwordless => Some(SecondFactor::RememberedDevice),
            Some("hwk") => key(true),
            Some("swk") => key(false),
            _ => return Authn::PASSWORD,
        };
        let second = match (second, parts.next(), parts.next()) {
            (Some(SecondFactor::SecurityKey(k)), Some("user"), None) => {
                Some(SecondFactor::SecurityKey(Key { user_verified: true, ..k }))
            }
            (second, None, None) => second,
            _ => return Authn::PASSWORD,
        };
        Authn { passwordless, second }
    }

    /// Whether two factors were given (a passkey that verified its user counts as two).
    pub fn two_factor(self) -> bool {
        match self.second {
            Some(SecondFactor::SecurityKey(k)) if self.passwordless => k.user_verified,
            second => second.is_some(),
        }
    }

    /// Whether a second factor was given at this sign-in (not carried by a remembered device).
    pub fn fresh_second_factor(self) -> bool {
        self.two_factor() && self.second != Some(SecondFactor::RememberedDevice)
    }

    /// Whether the sign-in used a security key or passkey, which a fake page cannot relay.
    pub fn phishing_resistant(self) -> bool {
        matches!(self.second, Some(SecondFactor::SecurityKey(_))) && self.two_factor()
    }

    /// RFC 8176 method references: `pwd` for the password; `otp` for a code by email, an
    /// authenticator app's code or the single-use Recovery Key; `hwk` / `swk` for a key bound to
    /// a device / a passkey that can be synced, with `user` when the key verified the person;
    /// `mfa` when two factors were given (a remembered device: `pwd` and `mfa`, the second
    /// factor proved on this browser within the organization's days).
    pub fn amr(self) -> Vec<&'static str> {
        let mut amr = Vec::with_capacity(4);
        if !self.passwordless {
            amr.push("pwd");
        }
        match self.second {
            // Nothing was typed for it: `mfa` below says the device carries an earlier one.
            None | Some(SecondFactor::RememberedDevice) => {}
            Some(SecondFactor::EmailCode | SecondFactor::AuthenticatorApp | SecondFactor::RecoveryKey) => {
                amr.push("otp")
            }
            Some(SecondFactor::SecurityKey(k)) => {
                amr.push(if k.hardware { "hwk" } else { "swk" });
                if k.user_verified {
                    amr.push("user");
                }
            }
        }
        if self.two_factor() {
            amr.push("mfa");
        }
        amr
    }

    pub fn acr(self) -> &'static str {
        if self.phishing_resistant() {
            ACR_PHISHING_RESISTANT
        } else if self.two_factor() {
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

    const HWK: Key = Key { hardware: true, user_verified: true };
    const SWK: Key = Key { hardware: false, user_verified: true };

    #[test]
    fn the_stored_form_reads_back_and_unknown_forms_claim_nothing_more() {
        for a in [
            Authn::PASSWORD,
            Authn::with(SecondFactor::EmailCode),
            Authn::with(SecondFactor::AuthenticatorApp),
            Authn::with(SecondFactor::RecoveryKey),
            Authn::with(SecondFactor::RememberedDevice),
            Authn::with(SecondFactor::SecurityKey(HWK)),
            Authn::with(SecondFactor::SecurityKey(Key { hardware: false, user_verified: false })),
            Authn::passkey(HWK),
            Authn::passkey(SWK),
        ] {
            assert_eq!(Authn::parse(&a.as_str()), a, "{}", a.as_str());
        }
        for unknown in [
            "pwd+webauthn",
            "",
            "passkey",
            "passkey+email",
            "passkey+device",
            "pwd+device+user",
            "pwd+hwk+user+more",
            "pwd+email+user",
            "x+hwk",
        ] {
            assert_eq!(Authn::parse(unknown), Authn::PASSWORD, "{unknown}");
        }
    }

    #[test]
    fn amr_and_acr_say_whether_two_factors_were_used() {
        assert_eq!(Authn::PASSWORD.amr(), vec!["pwd"]);
        assert_eq!(Authn::PASSWORD.acr(), ACR_PASSWORD);
        let app = Authn::with(SecondFactor::AuthenticatorApp);
        assert_eq!(app.amr(), vec!["pwd", "otp", "mfa"]);
        assert_eq!(app.acr(), ACR_TWO_FACTOR);
        assert!(!app.phishing_resistant());
    }

    #[test]
    fn a_remembered_device_counts_as_two_factors_but_never_as_a_fresh_one() {
        let remembered = Authn::with(SecondFactor::RememberedDevice);
        assert!(remembered.two_factor());
        assert!(!remembered.fresh_second_factor() && !remembered.phishing_resistant());
        assert_eq!(remembered.amr(), vec!["pwd", "mfa"]);
        assert_eq!(remembered.acr(), ACR_TWO_FACTOR);
        assert!(Authn::with(SecondFactor::EmailCode).fresh_second_factor());
        assert!(!Authn::PASSWORD.fresh_second_factor());
    }

    #[test]
    fn a_key_is_named_by_how_it_is_kept_and_is_phishing_resistant() {
        let key = Authn::with(SecondFactor::SecurityKey(HWK));
        assert_eq!(key.amr(), vec!["pwd", "hwk", "user", "mfa"]);
        assert_eq!(key.acr(), ACR_PHISHING_RESISTANT);
        let passkey = Authn::passkey(SWK);
        assert_eq!(passkey.amr(), vec!["swk", "user", "mfa"]);
        assert!(passkey.two_factor() && passkey.phishing_resistant());
        // A passkey that did not verify its user is one factor only.
        let unverified = Authn::passkey(Key { hardware: true, user_verified: false });
        assert_eq!(unverified.amr(), vec!["hwk"]);
        assert!(!unverified.two_factor());
        assert_eq!(unverified.acr(), ACR_PASSWORD);
    }
}
