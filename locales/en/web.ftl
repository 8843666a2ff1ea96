# The web layer's own words: error pages, notices after a change, the texts handlers put on
# pages (headings of confirmation pages, Recovery Key pop-ups, member lists).
# English is the product's source text: customers' help pages quote it, so change none of it
# without a reason; locales/GLOSSARY.md lists the terms and their Indonesian words.

## Error pages (src/web/error.rs, src/web/middleware.rs)
web-error-not-found-title = Page not found
web-error-not-found-text = There is no page at this address.
web-error-method-title = This page cannot be used this way
web-error-method-text = Go back and use the page's buttons, or start again from the home page.
web-error-csrf-title = This form has expired
web-error-csrf-text = For your security the form could not be accepted. Go back, reload the page and try again.
web-error-link-title = This link is not valid any more
web-error-link-text = It may have been used already or have expired. Ask for a new one.
web-error-bad-request-title = Something is not right
web-error-throttled-title = Too many attempts
web-error-throttled-text = Too many attempts. Try again in { $wait }.
web-error-busy-title = The service is busy
web-error-busy-text = Try again in a few seconds.
web-error-unavailable-title = Latchkey cannot save changes right now
web-error-unavailable-text = Latchkey could not save your request: it cannot reach or write its database at the moment. Try again in a minute; if it keeps happening, tell your administrator.
web-error-internal-title = Something went wrong
web-error-internal-text = We could not complete your request. Please try again; if it keeps happening, tell your administrator the request id below.

## Forms and addresses that cannot be read (src/web/extract.rs)
web-error-form-unreadable = The form could not be read.
web-error-form-incomplete = The form is missing a field. Reload the page and try again.
web-error-address-wrong = This address is not complete or not right. Go back and use the page's links.

## "Log in": notices other flows send people back with, and "Sign in with a passkey"
web-login-notice-signed-out = You have logged out.
web-login-notice-signed-out-everywhere = You have been signed out everywhere: every session, and every application you had signed in to.
web-login-notice-password-set = Your password is set. Log in with it.
web-login-notice-password-reset = Your password has been changed and every session signed out. Log in with your new password.
web-login-notice-expired = Your session has ended. Log in again.
web-login-notice-step-expired = Your sign-in took too long and has ended. Log in again.
web-login-passkey-no-answer = Your browser did not answer with a passkey. Allow JavaScript on this page, then try again.

## The second step of a sign-in: why no code can be typed now
web-second-step-code-expired = The code we sent has expired. Use "Resend code" for a new one.
web-second-step-code-tried-out = The code we sent had too many wrong tries. Use "Resend code" for a new one.
web-second-step-code-capped = No code was sent: this account has been sent as many codes as it can get in an hour.
web-second-step-code-not-sent = No code was sent for this sign-in yet. Use "Resend code".
web-second-step-choose-method = Choose the security key, the authenticator app or a code by email.

## The page behind a reset or invitation link
web-reset-heading-reset = Choose a new password
web-reset-heading-invite = Choose your password

## The page behind an email verification link
web-verify-email-done-title = Email address verified
web-verify-email-done-text = Thank you: your email address is verified.
web-verify-email-back-to-security = Back to Security and Credentials
web-verify-email-log-in = Log in

## Manage Account: Profile and Security and Credentials
web-account-notice-name-saved = Your name is saved.
web-account-role-admin = Administrator
web-account-role-member = Member
web-account-notice-consent-withdrawn = { $app } can no longer sign you in without asking again, and its access has ended.
web-account-notice-verification-sent = We have sent you a verification email. Open the link in it to verify your address.
web-account-notice-password-changed = Your password has been changed. Your other sessions were signed out.
web-account-notice-signed-out-others = Your other sessions have been signed out.
web-account-notice-recovery-key-saved = Two-factor authentication is on, and your Recovery Key is saved.
web-account-notice-two-factor-off = Two-factor authentication is off. Your Recovery Key was deleted.
web-account-notice-email-code-on = Codes by email are on, as another way to log in.
web-account-notice-authenticator-removed = The authenticator app was removed.
web-account-notice-security-key-added = Your security key or passkey has been added.
web-account-notice-security-key-renamed = The key has been renamed.
web-account-notice-security-key-removed = The security key or passkey was removed.
web-account-notice-device-forgotten = The device was forgotten. Its next log-in asks for the second step.
web-account-notice-devices-forgotten = Every device was forgotten. Their next log-ins ask for the second step.
web-account-key-not-used-yet = Not yet

## Pages that ask for the password and a current second factor before a change
web-confirm-disable-heading = Disable Two-Factor Authentication
web-confirm-disable-explanation = Your account will then be protected by your password only, and your Recovery Key will be deleted.
web-confirm-authenticator-remove-heading = Remove authenticator app
web-confirm-authenticator-remove-explanation = Logging in will no longer accept codes from the app. If it is your last second factor, two-factor authentication turns off and your Recovery Key is deleted.
web-confirm-authenticator-setup-heading = Set up an authenticator app
web-confirm-authenticator-setup-explanation = An authenticator app is a new way into your account. An app set up before keeps working until the new one is verified.
web-confirm-key-add-heading = Add a security key or passkey
web-confirm-key-add-explanation = A security key or passkey is a new way into your account.
web-confirm-key-remove-heading = Remove security key or passkey
web-confirm-key-remove-explanation = Logging in will no longer accept this key. If it is your last second factor, two-factor authentication turns off and your Recovery Key is deleted.
web-confirm-proof-missing = Enter a code (from your app or your email), or your Recovery Key.

## The Recovery Key pop-up: why there is a new key, and "Done" before it is saved
web-recovery-key-intro-signed-in-with-key = You logged in with your Recovery Key, so it no longer works. Here is your new one.
web-recovery-key-intro-email-code-on = Codes by email are on. You used your Recovery Key, so it no longer works. Here is your new one.
web-recovery-key-intro-two-factor-on = Two-factor authentication is on.
web-recovery-key-intro-regenerated = You have a new Recovery Key. The previous one no longer works.
web-recovery-key-intro-not-saved = Your Recovery Key is not saved yet.
web-recovery-key-error-not-saved = Download your Recovery Key or write it down, then tick "I have saved my Recovery Key".
web-recovery-key-intro-authenticator-setup = You used your Recovery Key, so it no longer works. Here is your new one. Save it, then scan the QR code.
web-recovery-key-intro-authenticator-added = Authenticator app has been successfully set up. Two-factor authentication is on.
web-recovery-key-intro-authenticator-removed = Your authenticator app is removed. You used your Recovery Key, so it no longer works. Here is your new one.
web-recovery-key-intro-key-added = Your security key or passkey has been added. Two-factor authentication is on.
web-recovery-key-intro-key-removed = Your security key is removed. You used your Recovery Key, so it no longer works. Here is your new one.
web-recovery-key-intro-member-reset = Two-factor authentication of { $email } is reset. You confirmed with your Recovery Key, so it no longer works. Here is your new one.

## "Set up two-factor authentication", where the organization's policy holds a member
web-enrol-notice-verification-sent = We have sent you a verification email. Open the link in it, then come back here.

## Organization -> Settings
web-org-notice-saved = The policy is saved.
web-org-notice-remember-saved = The “Remember this device” setting is saved.
web-org-error-grace-days = Enter a grace period from 0 to 365 days.
web-org-error-no-method = Allow at least one method: email code, authenticator app, or security key or passkey.
web-org-error-admin-keys-method = To require a security key or passkey for admins, allow "Security key or passkey" as a method.

## Organization -> Members
web-members-factor-email-code = email code
web-members-factor-authenticator = authenticator app
web-members-factor-security-key = security key
web-members-two-factor-none = None
web-members-two-factor-on = On: { $methods }
web-members-verified-yes = Yes
web-members-verified-no = No
web-members-never = Never
web-members-status-active = Active
web-members-status-disabled = Disabled
web-members-notice-invited = The invitation is on its way.
web-members-notice-reset = Two-factor authentication was reset. The member was signed out and emailed.
web-members-notice-role = The role was changed.
web-members-notice-status = The member's status was changed.
web-members-notice-code-sent = We sent a verification code to your email.
web-members-notice-devices-forgotten = The member's devices were forgotten.

## Organization -> Applications
web-apps-error-list = The list of applications cannot be shown right now: { $error }
web-apps-notice-deleted = The application was deleted.
web-apps-error-alg = Choose RS256 or ES256.
web-apps-notice-registered = The application is registered. Copy its credentials now: the secret is not shown again.
web-apps-notice-secret-replaced = The secret was replaced; the old one no longer works. Copy the new one now.

## On the way to an application (OpenID Connect) and forward-auth
web-oidc-refused-title = This sign-in cannot continue
web-forward-wrong-organization = This account is not a member of this application's organization.
web-forward-sign-in-first = Sign in first.

## The grace-period banner on every page
web-banner-grace = { $org } requires two-factor authentication from { $deadline }.

## "This wasn't me" (web/devices.rs)
web-not-me-link-invalid = This link cannot be used: it was used already, it expired, or it is incomplete.
web-not-me-done-sessions = { $count ->
    [one] 1 session was signed out, with the applications' access.
   *[other] { $count } sessions were signed out, with the applications' access.
}
web-not-me-done-devices = { $count ->
    [one] 1 device was forgotten.
   *[other] { $count } devices were forgotten.
}
web-not-me-done-password = Your password must be changed before the next log-in.
web-not-me-done-admins = Your organization's administrators were told.
