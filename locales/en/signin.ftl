# Sign-in and public pages (templates: base, login, login_recovery, login_verify, logout_confirm,
# forgot, reset, verify, resend, message, onward, wrong_org, consent, setup, enrol,
# confirm_second_factor). English is the product's source text: customers' help pages quote it.

## Every page: the profile menu and the grace-period banner (base.html)
base-profile = Profile
base-manage-account = Manage Account
base-organization = Organization
base-logout = Log out
# The link after the grace-period notice.
base-banner-setup = Set up two-factor authentication

## Log in (login.html)
login-title = Log in
# Before the application's name, in bold: "to continue to <strong>Acme Console</strong>".
login-to-before = to continue to
login-email = Email
login-password = Password
login-submit = Log in
login-forgot = Forgot password?
login-passkey = Sign in with a passkey
login-passkey-needs-js = Signing in with a passkey needs JavaScript.

## The second step of logging in (login_verify.html)
login-verify-title = Two-Factor Authentication
login-verify-key-intro = Use the security key or passkey you added to this account: your browser asks you to touch the key, or to unlock this device.
login-verify-key-needs-js = Using a security key needs JavaScript: your browser talks to the key.
login-verify-key-button = Use your security key
login-verify-app-intro = Open your authenticator app and enter the 6-digit code it shows for this account.
login-verify-app-code = Authenticator app code
login-verify-continue = Continue
# Around the masked address, in bold: "We sent a verification code to <strong>a***@acme.example</strong>. Earlier codes no longer work."
login-verify-sent-before = We sent a verification code to
login-verify-sent-after = {"."} Earlier codes no longer work.
login-verify-code = Verification Code
# Switches to another way of giving the second factor.
login-verify-switch-key = Use my security key instead
login-verify-switch-app = Use my authenticator app instead
login-verify-switch-email = Send a code to my email instead
login-verify-use-recovery = Use your Recovery Key
login-verify-cancel = Cancel
login-verify-remember = { $days ->
    [one] Remember this device for 1 day
   *[other] Remember this device for { $days } days
}

## Logging in with the Recovery Key (login_recovery.html)
recovery-login-title = Use your Recovery Key
recovery-login-intro = Enter the Recovery Key from the file you downloaded when you turned on two-factor authentication. It works once: after you log in, you get a new one.
recovery-login-key = Recovery Key
recovery-login-continue = Continue
recovery-login-use-code = Use the emailed code instead

## An application asks to log out (logout_confirm.html)
logout-title = Log out?
logout-app-asked = { $app } asked to log you out of Latchkey.
logout-asked = An application asked to log you out of Latchkey.
logout-again = You will have to log in again to use your organization's applications.
logout-submit = Log out
logout-stay = Stay logged in

## Forgot password (forgot.html)
forgot-title = Forgot password
forgot-heading = Forgot password?
forgot-sent = If an account exists for that email, we have sent it a link to choose a new password. Check your inbox.
forgot-back = Back to Log in
forgot-intro = Enter the email of your account and we will send you a link to choose a new password.
forgot-email = Email
forgot-submit = Send reset link

## Choosing a new password (reset.html)
# Before the account's address, in bold, then a full stop: "For <strong>a@acme.example</strong>."
reset-for = For
reset-new-password = New password
reset-password-rules = At least 8 characters; not a common password.
reset-confirm = Confirm new password
reset-submit = Set password

## Verifying an email address (verify.html)
verify-title = Verify email address
verify-intro = Confirm that this email address is yours.
verify-submit = Verify email

## "Resend code", with its countdown (resend.html)
resend-button = Resend code
# $wait: "30 seconds", "2 minutes".
resend-wait = You can ask for a new code in { $wait }.

## Message pages (message.html)
# Before the request's id: "Request id: <code>…</code>".
message-request-id = Request id:

## On to another site (onward.html)
onward-title = Continuing to { $to }
onward-heading = Continuing to { $to }…
# "If nothing happens, <a>continue to console.acme.example</a>."
onward-fallback = If nothing happens,
onward-link = continue to { $to }

## Signed in to another organization than the application's (wrong_org.html)
wrong-org-title = Another organization's application
wrong-org-heading = { $app } belongs to another organization
# One paragraph in two parts (each names one value), joined by a space:
# "You are logged in as a@acme.example, which is not a member of the organization that uses Acme Console. Log in with an account of that organization, or go back."
wrong-org-member = You are logged in as { $email }, which is not a member of the organization that uses
wrong-org-other = { $app }. Log in with an account of that organization, or go back.
wrong-org-login = Log in with another account
wrong-org-back = Back to { $app }

## A third-party application asks for consent (consent.html)
consent-title = Allow { $app }?
# Followed by a space and what it wants: "Acme Reports wants to know your name and email address".
consent-wants = { $app } wants to
consent-also = It also asks to:
consent-signed-in = You are logged in as { $email }.
consent-not-ours = { $app } is not run by Latchkey; allow it only if you trust it.
consent-withdraw = You can withdraw this later under Manage Account → Security and Credentials.
consent-allow = Allow
consent-cancel = Cancel

## First set-up of the service (setup.html)
setup-title = Set up Latchkey
setup-intro = Create your organization and its first administrator. Members sign in with an email address at the organization's domain.
setup-org-name = Organization name
setup-domain = Email domain
setup-domain-placeholder = example.com
setup-email = Your email
setup-password = Password
setup-password-rules = At least 8 characters; not a common password.
setup-confirm = Confirm password
setup-submit = Create organization

## Two-factor authentication required (enrol.html)
enrol-title = Set up two-factor authentication
enrol-app-wants-key = { $app } asks for a security key or passkey, which a fake sign-in page cannot use. Add one now to continue to it.
enrol-app-requires = { $app } requires two-factor authentication. Set it up now to continue to it.
# "{ $org } requires a security key or passkey for admins[ from <date>]: a fake sign-in page cannot use one."
enrol-keys-for-admins = { $org } requires a security key or passkey for admins
# After the requirement, when it has a deadline; $date is a moment, "09:14 WIB, 1 Dec 2026".
enrol-from = from { $date }
# After a colon.
enrol-keys-why = a fake sign-in page cannot use one.
enrol-must-key = Add one now to continue: nothing else is available until it is done.
enrol-later-key = Add one now so that you are not interrupted later.
# "{ $org } requires two-factor authentication[ from <date>]."
enrol-org-requires = { $org } requires two-factor authentication
enrol-must = Set it up now to continue: nothing else is available until it is done.
enrol-later = Set it up now so that you are not interrupted later.
enrol-then = Then you go on to { $app }.
enrol-choose = Choose how you will confirm it is you when you log in:
# Each choice: its name in bold, a colon, then what it is.
enrol-email-name = Email code
enrol-email-desc = we send a 6-digit code to { $email } each time you log in.
enrol-email-use = Use email codes
enrol-app-name = Authenticator app
enrol-app-desc = a code from an app on your phone.
enrol-app-use = Use an authenticator app
enrol-key-name = Security key or passkey
enrol-key-desc = touch your key, or unlock this device, when you log in.
enrol-key-add = Add a security key or passkey
enrol-verify-first = First, verify your email address: the codes and your account recovery depend on it.
enrol-send-verification = Send verification email
enrol-logout = Log out

## Confirming a change with the password and a second factor (confirm_second_factor.html)
# After the change's own explanation.
confirm-instructions = To confirm, enter your password and a current second factor.
# Before the masked address, in bold, then a full stop.
confirm-sent = We sent a verification code to
confirm-send-code = Send verification code
confirm-password = Password
confirm-use-key = Use your security key
confirm-key-hint = Enter your password, then use your key.
confirm-key-hint-or-code = Enter your password, then use your key, or enter a code below.
confirm-app-code = Authenticator app code
confirm-code = Verification Code
confirm-lost-app-email = No access to your app or your email? Leave the code empty and enter your Recovery Key.
confirm-lost-app = No access to your app? Leave the code empty and enter your Recovery Key.
confirm-lost-email = No access to your email? Leave the code empty and enter your Recovery Key.
confirm-lost-key = No access to your security key? Enter your Recovery Key.
confirm-recovery-key = Recovery Key
confirm-cancel = Cancel

## "This wasn't me", from an alert's link (not_me.html)
not-me-title = Secure your account
not-me-intro = Someone signed in to { $account }, or entered its password, and it was not you? “This wasn't me” will:
not-me-will-sessions = sign out every session of the account, on every device, and end the applications' access;
not-me-will-devices = forget every remembered device;
not-me-will-password = require a new password before the next log-in;
not-me-will-admins = tell your organization's administrators.
not-me-button = This wasn't me
not-me-if-you = If it was you, there is nothing to do: close this page.
not-me-done-intro = Your account is secured:
not-me-next-heading = What to do next
not-me-next-reset = Choose a new password, one you do not use anywhere else:
not-me-reset-link = Forgot password?
not-me-next-check = After you log in, check Manage Account → Security and Credentials: your two-factor authentication, your authenticator app and your security keys should be the ones you set up.
not-me-next-elsewhere = If you used the same password on other sites, change it there too.
not-me-invalid-next = If you still think someone else used your account, reset your password:
