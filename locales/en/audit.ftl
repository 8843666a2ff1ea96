# The audit log's events, as the activity list (Security and Credentials), the admin's audit
# log and its filter show them (src/domain/audit.rs). English is the source text: change none
# of it without a reason.

## Events, one per kind (kinds are stored by name; these are only their words)
audit-setup-completed = Set up the organization
audit-org-created = Organization created
audit-user-created = Account created
audit-sign-in = Logged in
audit-sign-in-failed = Failed log-in attempt
audit-sign-in-locked = Log-in locked after too many attempts
audit-sign-out = Logged out
audit-sessions-revoked = Signed out other sessions
audit-password-changed = Password changed
audit-password-reset-requested = Password reset requested
audit-password-reset = Password reset
audit-invitation-accepted = Invitation accepted
audit-email-verification-sent = Verification email sent
audit-email-verified = Email address verified
audit-email-code-sent = Verification code sent
audit-email-code-wrong = Wrong verification code entered
audit-email-code-accepted = Verification code accepted
audit-two-factor-enabled = Two-factor authentication turned on
audit-two-factor-disabled = Two-factor authentication turned off
audit-recovery-key-downloaded = Recovery Key downloaded
audit-recovery-key-regenerated = Recovery Key regenerated
audit-recovery-key-used = Logged in with the Recovery Key
audit-recovery-key-wrong = Wrong Recovery Key entered
audit-second-factor-locked = Two-factor step locked after too many attempts
audit-authenticator-setup-started = Authenticator app set-up started
audit-authenticator-added = Authenticator app set up
audit-authenticator-removed = Authenticator app removed
audit-authenticator-code-accepted = Authenticator app code accepted
audit-authenticator-code-wrong = Wrong authenticator app code entered
audit-authenticator-replay-refused = Used authenticator app code refused
audit-authenticator-clock-skew = Authenticator app code from a device with the wrong time
audit-security-key-added = Security key or passkey added
audit-security-key-renamed = Security key or passkey renamed
audit-security-key-removed = Security key or passkey removed
audit-security-key-accepted = Security key or passkey used
audit-security-key-refused = Security key or passkey answer refused
audit-policy-changed = Organization policy changed
audit-org-locale-changed = Organization language and time zone changed
audit-org-remember-changed = “Remember this device” setting changed
audit-device-remembered = Device remembered
audit-device-forgotten = Devices forgotten
audit-new-device-alerted = New-device alert sent
audit-incomplete-sign-in-alerted = Unfinished log-in alert sent
audit-not-me-reported = “This wasn't me” reported
audit-member-invited = Member invited
audit-two-factor-reset = Two-factor authentication reset by an admin
audit-role-changed = Role changed
audit-member-disabled = Member disabled
audit-member-enabled = Member enabled
audit-application-created = Application registered
audit-application-secret-rotated = Application secret replaced
audit-application-deleted = Application deleted
audit-app-sign-in = Logged in to an application
audit-consent-given = Consent given to an application
audit-consent-withdrawn = Consent to an application withdrawn
audit-token-replay = A used sign-in code or token was presented again; the application's access was revoked
audit-signing-key-rotated = ID token signing keys rotated

## A kind this version does not know (stored by a newer version)
audit-unknown-event = Account event
