//! The kinds of security event in the audit log: one list, with the name each is stored by
//! and the words the pages show it with.

macro_rules! audit_kinds {
    ($($variant:ident = $name:literal, $label:literal;)*) => {
        /// A kind of security event. Stored by name (`as_str`), never by number.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditKind {
            $($variant,)*
        }

        impl AuditKind {
            /// Every kind, in the order the audit filter lists them.
            pub const ALL: &'static [AuditKind] = &[$(AuditKind::$variant,)*];

            /// The stored name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(AuditKind::$variant => $name,)*
                }
            }

            /// What the pages call it.
            pub fn label(self) -> &'static str {
                match self {
                    $(AuditKind::$variant => $label,)*
                }
            }
        }
    };
}

audit_kinds! {
    SetupCompleted = "setup_completed", "Set up the organization";
    OrgCreated = "org_created", "Organization created";
    UserCreated = "user_created", "Account created";
    SignIn = "sign_in", "Logged in";
    SignInFailed = "sign_in_failed", "Failed log-in attempt";
    SignInLocked = "sign_in_locked", "Log-in locked after too many attempts";
    SignOut = "sign_out", "Logged out";
    SessionsRevoked = "sessions_revoked", "Signed out other sessions";
    PasswordChanged = "password_changed", "Password changed";
    PasswordResetRequested = "password_reset_requested", "Password reset requested";
    PasswordReset = "password_reset", "Password reset";
    InvitationAccepted = "invitation_accepted", "Invitation accepted";
    EmailVerificationSent = "email_verification_sent", "Verification email sent";
    EmailVerified = "email_verified", "Email address verified";
    EmailCodeSent = "email_code_sent", "Verification code sent";
    EmailCodeWrong = "email_code_wrong", "Wrong verification code entered";
    EmailCodeAccepted = "email_code_accepted", "Verification code accepted";
    TwoFactorEnabled = "two_factor_enabled", "Two-factor authentication turned on";
    TwoFactorDisabled = "two_factor_disabled", "Two-factor authentication turned off";
    RecoveryKeyDownloaded = "recovery_key_downloaded", "Recovery Key downloaded";
    RecoveryKeyRegenerated = "recovery_key_regenerated", "Recovery Key regenerated";
    RecoveryKeyUsed = "recovery_key_used", "Logged in with the Recovery Key";
    RecoveryKeyWrong = "recovery_key_wrong", "Wrong Recovery Key entered";
    SecondFactorLocked = "second_factor_locked", "Two-factor step locked after too many attempts";
    AuthenticatorSetupStarted = "authenticator_setup_started", "Authenticator app set-up started";
    AuthenticatorAdded = "authenticator_added", "Authenticator app set up";
    AuthenticatorRemoved = "authenticator_removed", "Authenticator app removed";
    AuthenticatorCodeAccepted = "authenticator_code_accepted", "Authenticator app code accepted";
    AuthenticatorCodeWrong = "authenticator_code_wrong", "Wrong authenticator app code entered";
    AuthenticatorReplayRefused = "authenticator_replay_refused", "Used authenticator app code refused";
    AuthenticatorClockSkew = "authenticator_clock_skew", "Authenticator app code from a device with the wrong time";
    SecurityKeyAdded = "security_key_added", "Security key or passkey added";
    SecurityKeyRenamed = "security_key_renamed", "Security key or passkey renamed";
    SecurityKeyRemoved = "security_key_removed", "Security key or passkey removed";
    SecurityKeyAccepted = "security_key_accepted", "Security key or passkey used";
    SecurityKeyRefused = "security_key_refused", "Security key or passkey answer refused";
    PolicyChanged = "policy_changed", "Organization policy changed";
    MemberInvited = "member_invited", "Member invited";
    TwoFactorReset = "two_factor_reset", "Two-factor authentication reset by an admin";
    RoleChanged = "role_changed", "Role changed";
    MemberDisabled = "member_disabled", "Member disabled";
    MemberEnabled = "member_enabled", "Member enabled";
    ApplicationCreated = "application_created", "Application registered";
    ApplicationSecretRotated = "application_secret_rotated", "Application secret replaced";
    ApplicationDeleted = "application_deleted", "Application deleted";
    AppSignIn = "app_sign_in", "Logged in to an application";
    ConsentGiven = "consent_given", "Consent given to an application";
    ConsentWithdrawn = "consent_withdrawn", "Consent to an application withdrawn";
    TokenReplay = "token_replay", "A used sign-in code or token was presented again; the application's access was revoked";
    SigningKeyRotated = "signing_key_rotated", "ID token signing keys rotated";
}

impl AuditKind {
    /// The kind stored under `name`, if it is one.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == name)
    }

    /// The words for a stored name; an unknown name (from a newer version) is shown plainly.
    pub fn label_of(name: &str) -> &'static str {
        Self::parse(name).map_or("Account event", Self::label)
    }
}

#[cfg(test)]
mod tests {
    use super::AuditKind;

    #[test]
    fn every_kind_has_its_own_name_and_words() {
        let mut names = std::collections::HashSet::new();
        for k in AuditKind::ALL {
            assert!(names.insert(k.as_str()), "{} twice", k.as_str());
            assert_eq!(AuditKind::parse(k.as_str()), Some(*k));
            assert!(!k.label().is_empty());
        }
        assert_eq!(AuditKind::label_of("sign_in"), "Logged in");
        assert_eq!(AuditKind::label_of("from_a_newer_version"), "Account event");
    }
}
