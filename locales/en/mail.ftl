# Emails, said in the recipient's language (src/mail/messages.rs). English is the source text:
# change none of it without a reason.

## Every email
mail-greeting = Hello,
mail-footer = Latchkey, for { $org }
mail-link-hint = If the button does not work, copy this address into your browser:
mail-not-you = If this was not you, reset your password now and tell your organization's administrator.

## Where a security change came from
mail-origin-time = Time: { $time }
mail-origin-ip = Client address: { $ip }
mail-origin-browser = Browser: { $browser }

## Verify your email address
mail-verify-email-subject = Verify your email address
mail-verify-email-body = Confirm that this email address is yours to finish setting up your account.
mail-verify-email-link = Verify email address
mail-verify-email-after = The link works once, for { $valid }. If you did not ask for it, you can ignore this email.

## Reset your password
mail-reset-subject = Reset your password
mail-reset-body = Someone asked to reset the password of your account. Choose a new password here:
mail-reset-link = Choose a new password
mail-reset-after = The link works once, for { $valid }. Setting a new password signs out every session of your account.
mail-reset-ignore = If you did not ask for this, ignore this email: your password stays as it is.

## Invitation
mail-invitation-subject = You are invited to { $org }
mail-invitation-body = An account was created for you at { $org }. Choose your password to start using it.
mail-invitation-link = Choose your password
mail-invitation-after = The link works once, for { $valid }.

## Password changed
mail-password-changed-subject = Your password was changed
mail-password-changed-body = The password of your account was changed.

## Verification code ("Use this code to log in:")
mail-code-subject = Your verification code
mail-code-body = Use this code to { $purpose }:
mail-code-after = The code works once, for { $valid }. Never give it to anyone: we will never ask you for it.
mail-code-not-you = If you did not ask for it, someone may know your password: change it now.
mail-code-purpose-enable = turn on two-factor authentication
mail-code-purpose-sign-in = log in
mail-code-purpose-disable = confirm a change to your two-factor authentication

## Two-factor authentication turned on
mail-two-factor-on-subject = Two-factor authentication is on
mail-two-factor-on-body = Two-factor authentication was turned on for your account.
mail-two-factor-on-after = From now on, signing in asks for a code sent to this address, or your Recovery Key. Keep the Recovery Key you downloaded somewhere safe.

## Two-factor authentication turned off
mail-two-factor-off-subject = Two-factor authentication is off
mail-two-factor-off-body = Two-factor authentication was turned off for your account, and its Recovery Key deleted.
mail-two-factor-off-after = Your account is now protected by your password only.

## Recovery Key used
mail-recovery-key-used-subject = Your Recovery Key was used
mail-recovery-key-used-body = Someone signed in to your account with your Recovery Key.
mail-recovery-key-used-after = That key no longer works; a new Recovery Key was shown for you to download. Two-factor authentication stays on.

## Recovery Key replaced
mail-recovery-key-regenerated-subject = Your Recovery Key was replaced
mail-recovery-key-regenerated-body = A new Recovery Key was created for your account.
mail-recovery-key-regenerated-after = The previous Recovery Key no longer works.

## Authenticator app set up
mail-authenticator-added-subject = Authenticator app set up
mail-authenticator-added-body = An authenticator app was set up for your account.
mail-authenticator-added-after = From now on, logging in asks for a code from this app. If you set it up on a new phone, the old one no longer works.

## Authenticator app removed
mail-authenticator-removed-subject = Authenticator app removed
mail-authenticator-removed-body = The authenticator app of your account was removed.

## Security key or passkey added
mail-security-key-added-subject = Security key or passkey added
mail-security-key-added-body = A security key or passkey was added to your account.
mail-security-key-added-after = From now on, logging in can use this security key or passkey instead of a code.

## Security key or passkey removed
mail-security-key-removed-subject = Security key or passkey removed
mail-security-key-removed-body = A security key or passkey was removed from your account.

## Two-factor authentication reset by an administrator
mail-two-factor-reset-subject = Your two-factor authentication was reset
mail-two-factor-reset-body = An administrator of your organization reset two-factor authentication for your account.
mail-two-factor-reset-after = Your second factors and your Recovery Key were removed, and every session of your account was signed out. If your organization requires two-factor authentication, you will set it up again at your next log-in.
mail-two-factor-reset-not-you = If you did not ask for this, tell your organization's administrator.

## Alerts: a new device, an unfinished log-in, and "This wasn't me" told to the admins
mail-new-device-subject = New sign-in to your { $org } account
mail-new-device-body = Your account was just signed in to from a browser it had not used before.
mail-new-device-after = If this was you, there is nothing to do.
mail-not-me-link = This wasn't me
mail-not-me-after = If it was not you, follow “This wasn't me”: it signs your account out everywhere, forgets its remembered devices, and asks for a new password before the next log-in. The link works once, for { $valid }.
mail-unfinished-subject = Someone entered your password but did not complete two-factor authentication
mail-unfinished-body = Someone entered the right password for your account, then did not complete two-factor authentication.
mail-unfinished-after = If this was you (you gave up, or mistyped a code), there is nothing to do. If not, someone knows your password: your second factor stopped them, but change your password now.
mail-not-me-reported-subject = { $member } reported a sign-in that was not them
mail-not-me-reported-body = { $member } followed “This wasn't me” from a security alert about their account.
mail-not-me-reported-after = Latchkey signed their account out everywhere, forgot its remembered devices, and will ask for a new password at its next log-in. Check the audit log for the account's recent activity.
