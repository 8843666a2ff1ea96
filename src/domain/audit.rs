//! The kinds of security event in the audit log: one list, with the name each is stored by
//! and the message (`locales/<lang>/audit.ftl`) the pages show it with.

use super::text::Msg;

macro_rules! audit_kinds {
    ($($variant:ident = $name:literal, $id:literal;)*) => {
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

            /// What the pages call it (the activity list, the audit log and its filter).
            pub fn label(self) -> Msg {
                Msg::new(match self {
                    $(AuditKind::$variant => $id,)*
                })
            }
        }
    };
}

audit_kinds! {
    SetupCompleted = "setup_completed", "audit-setup-completed";
    OrgCreated = "org_created", "audit-org-created";
    UserCreated = "user_created", "audit-user-created";
    SignIn = "sign_in", "audit-sign-in";
    SignInFailed = "sign_in_failed", "audit-sign-in-failed";
    SignInLocked = "sign_in_locked", "audit-sign-in-locked";
    SignOut = "sign_out", "audit-sign-out";
    SessionsRevoked = "sessions_revoked", "audit-sessions-revoked";
    PasswordChanged = "password_changed", "audit-password-changed";
    PasswordResetRequested = "password_reset_requested", "audit-password-reset-requested";
    PasswordReset = "password_reset", "audit-password-reset";
    InvitationAccepted = "invitation_accepted", "audit-invitation-accepted";
    EmailVerificationSent = "email_verification_sent", "audit-email-verification-sent";
    EmailVerified = "email_verified", "audit-email-verified";
    EmailCodeSent = "email_code_sent", "audit-email-code-sent";
    EmailCodeWrong = "email_code_wrong", "audit-email-code-wrong";
    EmailCodeAccepted = "email_code_accepted", "audit-email-code-accepted";
    TwoFactorEnabled = "two_factor_enabled", "audit-two-factor-enabled";
    TwoFactorDisabled = "two_factor_disabled", "audit-two-factor-disabled";
    RecoveryKeyDownloaded = "recovery_key_downloaded", "audit-recovery-key-downloaded";
    RecoveryKeyRegenerated = "recovery_key_regenerated", "audit-recovery-key-regenerated";
    RecoveryKeyUsed = "recovery_key_used", "audit-recovery-key-used";
    RecoveryKeyWrong = "recovery_key_wrong", "audit-recovery-key-wrong";
    SecondFactorLocked = "second_factor_locked", "audit-second-factor-locked";
    AuthenticatorSetupStarted = "authenticator_setup_started", "audit-authenticator-setup-started";
    AuthenticatorAdded = "authenticator_added", "audit-authenticator-added";
    AuthenticatorRemoved = "authenticator_removed", "audit-authenticator-removed";
    AuthenticatorCodeAccepted = "authenticator_code_accepted", "audit-authenticator-code-accepted";
    AuthenticatorCodeWrong = "authenticator_code_wrong", "audit-authenticator-code-wrong";
    AuthenticatorReplayRefused = "authenticator_replay_refused", "audit-authenticator-replay-refused";
    AuthenticatorClockSkew = "authenticator_clock_skew", "audit-authenticator-clock-skew";
    SecurityKeyAdded = "security_key_added", "audit-security-key-added";
    SecurityKeyRenamed = "security_key_renamed", "audit-security-key-renamed";
    SecurityKeyRemoved = "security_key_removed", "audit-security-key-removed";
    SecurityKeyAccepted = "security_key_accepted", "audit-security-key-accepted";
    SecurityKeyRefused = "security_key_refused", "audit-security-key-refused";
    DeviceRemembered = "device_remembered", "audit-device-remembered";
    DeviceForgotten = "device_forgotten", "audit-device-forgotten";
    NewDeviceAlerted = "new_device_alerted", "audit-new-device-alerted";
    IncompleteSignInAlerted = "incomplete_sign_in_alerted", "audit-incomplete-sign-in-alerted";
    NotMeReported = "not_me_reported", "audit-not-me-reported";
    PolicyChanged = "policy_changed", "audit-policy-changed";
    OrgLocaleChanged = "org_locale_changed", "audit-org-locale-changed";
    OrgRememberChanged = "org_remember_changed", "audit-org-remember-changed";
    MemberInvited = "member_invited", "audit-member-invited";
    TwoFactorReset = "two_factor_reset", "audit-two-factor-reset";
    RoleChanged = "role_changed", "audit-role-changed";
    MemberDisabled = "member_disabled", "audit-member-disabled";
    MemberEnabled = "member_enabled", "audit-member-enabled";
    ApplicationCreated = "application_created", "audit-application-created";
    ApplicationSecretRotated = "application_secret_rotated", "audit-application-secret-rotated";
    ApplicationDeleted = "application_deleted", "audit-application-deleted";
    AppSignIn = "app_sign_in", "audit-app-sign-in";
    ConsentGiven = "consent_given", "audit-consent-given";
    ConsentWithdrawn = "consent_withdrawn", "audit-consent-withdrawn";
    TokenReplay = "token_replay", "audit-token-replay";
    SigningKeyRotated = "signing_key_rotated", "audit-signing-key-rotated";
}

impl AuditKind {
    /// The kind stored under `name`, if it is one.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == name)
    }

    /// The words for a stored name; an unknown name (from a newer version) is shown plainly.
    pub fn label_of(name: &str) -> Msg {
        Self::parse(name).map_or(Msg::new("audit-unknown-event"), Self::label)
    }
}

#[cfg(test)]
mod tests {
    use super::AuditKind;

    #[test]
    fn every_kind_has_its_own_name_and_words() {
        let mut names = std::collections::HashSet::new();
        let mut ids = std::collections::HashSet::new();
        for k in AuditKind::ALL {
            assert!(names.insert(k.as_str()), "{} twice", k.as_str());
            assert_eq!(AuditKind::parse(k.as_str()), Some(*k));
            let label = k.label();
            assert!(label.id.starts_with("audit-") && label.args.is_empty(), "{}", label.id);
            assert!(ids.insert(label.id), "{} twice", label.id);
            // Said in English outside a request; a missing translation would show its id.
            assert_ne!(label.to_string(), label.id);
        }
        assert_eq!(AuditKind::label_of("sign_in").id, "audit-sign-in");
        assert_eq!(AuditKind::label_of("sign_in").to_string(), "Logged in");
        assert_eq!(AuditKind::label_of("from_a_newer_version").to_string(), "Account event");
    }
}
