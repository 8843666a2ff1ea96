# Manage Account: Profile, Security and Credentials, two-factor set-up, security keys, the
# Recovery Key (account_*.html, two_factor_enable.html, authenticator_*.html,
# security_key_add.html, recovery_key.html), and the texts of static/app.js (js_messages.html).

## The tabs (account_tabs.html)
account-title = Manage Account
account-tab-profile = Profile
account-tab-security = Security and Credentials

## Said on several account pages
account-save = Save
account-cancel = Cancel
account-continue = Continue
account-done = Done
account-remove = Remove
account-verify = Verify
account-code-label = Verification Code
account-password-label = Password
account-send-verification = Send verification email

## Profile (account_profile.html)
account-profile-email = Email
account-profile-org = Organization
account-profile-role = Role
account-profile-since = Member since
account-profile-name = Name
account-profile-name-hint = Shown by the applications you sign in to through { -product }.

## Security and Credentials: email (account_security.html)
account-email-heading = Email
account-email-verified = Verified
account-email-not-verified = Not verified
account-email-verify-why = Verify your email address so that we can reach you for sign-in codes and account recovery.

## Security and Credentials: two-factor authentication
tfa-heading = Two-Factor Authentication
# Status badges and the email code's state.
tfa-on = On
tfa-off = Off
tfa-on-text = Logging in asks for a second factor after your password.
tfa-off-text = Protect your account with a code sent to your email, or from an authenticator app, each time you log in.
tfa-enable = Enable Two-Factor Authentication
tfa-disable = Disable Two-Factor Authentication
tfa-methods-caption = Two-factor methods
tfa-email-code = Email code
# $email: the masked address, "a***@acme.example".
tfa-email-on = On: codes go to { $email }
tfa-turn-on = Turn on
tfa-authenticator = Authenticator App
# The authenticator app's state.
tfa-authenticator-set-up = Set up
tfa-authenticator-not-set-up = Not set up
# The button.
tfa-set-up = Set Up
# Beside "Set Up" when the app is set up already.
tfa-authenticator-again = again, to move to a new phone
tfa-manage = Manage
tfa-recovery-key = Recovery Key
# $when: a moment, "09:14 WIB, 1 Dec 2026".
tfa-recovery-created = Created { $when }
tfa-none = None
tfa-rk-hint = A new Recovery Key replaces the old one, which stops working.
tfa-rk-regenerate = Regenerate Recovery Key

## Security and Credentials: security keys and passkeys
keys-heading = Security keys and passkeys
# How many a member has, in the methods table.
keys-count = { $n ->
    [one] 1 key
   *[other] { $n } keys
}
keys-intro = A security key (such as a YubiKey) or a passkey on your phone or computer signs you in with a touch or your fingerprint. A fake sign-in page cannot use it.
keys-caption = Your security keys and passkeys
keys-col-name = Name
keys-col-added = Added
keys-col-last-used = Last used
# For screen readers, beside a key's name field. $name: the key's current name.
keys-rename-label = New name for { $name }
keys-rename = Rename
keys-add = Add a security key or passkey
keys-unavailable = Security keys and passkeys are not available here: { -product } must be reached by a name, not an IP address.

## Add a security key or passkey (security_key_add.html)
keys-new-recovery-key = You used your Recovery Key, so it no longer works. Here is your new one. Save it now: it is shown only once.
# "Continue" is the button's label (account-continue).
keys-add-intro = Name the key, then choose "Continue": your browser asks you to touch your security key, or to unlock this device's passkey (your fingerprint, face or PIN).
keys-name = Name
# Shown by the browser when the name is empty or blank.
keys-name-title = A name with at least one letter or digit
keys-name-placeholder = YubiKey 5, Work laptop
keys-name-hint = So that you can tell your keys apart later.
keys-noscript = Adding a key needs JavaScript: your browser talks to the key.

## Security and Credentials: password
account-password-heading = Password
account-current-password = Current password
account-new-password = New password
account-password-rules = At least 8 characters; not a common password. Your other sessions will be signed out.
account-confirm-password = Confirm new password
account-change-password = Change password

## Security and Credentials: sessions
account-sessions-heading = Sessions
account-sessions-caption = Where your account is signed in
account-sessions-col-signed-in = Signed in
account-sessions-col-last-active = Last active
account-sessions-col-address = Client address
account-sessions-col-browser = Browser
account-sessions-col-ends = Ends
account-session-current = This session
account-sign-out-others = Sign out other sessions
account-sign-out-others-hint = The applications you signed in to from those sessions are signed out too.
account-sign-out-everywhere = Sign out everywhere
account-sign-out-everywhere-hint = Ends every session, this one included, and every application's access to your account.

## Security and Credentials: third-party applications allowed
account-apps-heading = Applications you allowed
account-apps-caption = Third-party applications you allowed to sign you in
account-apps-col-app = Application
# The column of what an application may know ("know your name and email address").
account-apps-col-may = May
account-apps-col-since = Since
account-apps-withdraw = Withdraw

## Security and Credentials: activity
account-activity-heading = Recent security activity

## Enable Two-Factor Authentication (two_factor_enable.html)
tfa-enable-unverified = Your email address must be verified before you can turn on two-factor authentication: the codes are sent to it.
# Around the masked address in bold: "…a 6-digit code to <strong>a***@acme.example</strong>. You will also…"
tfa-enable-explain-before = Each time you log in, we will send a 6-digit code to
tfa-enable-explain-after = {"."} You will also get a Recovery Key, for when you cannot get to your email.
# Around the masked address in bold. $valid: a length of time, "10 minutes".
tfa-code-sent-before = We sent a verification code to
tfa-code-sent-after = {"."} It works for { $valid }.
tfa-confirm-explain = Two-factor authentication is already on, so adding codes by email also needs your password and a current second factor.
tfa-app-code = Authenticator app code
tfa-no-app-hint = No access to your app? Leave its code empty and enter your Recovery Key.
tfa-send-code = Send verification code

## Setting up an authenticator app (authenticator_setup.html, authenticator_done.html)
authenticator-setup-title = Set up an authenticator app
authenticator-qr-alt = QR code for setting up your authenticator app. If you cannot scan it, type the key shown beside it.
authenticator-step-scan = 1. Open an authenticator app on your phone, such as Google Authenticator, Microsoft Authenticator, Authy, 1Password or FreeOTP, and scan this QR code.
authenticator-manual = Cannot scan it? Add an account by hand with this key (time-based):
authenticator-step-code = 2. Enter the 6-digit code the app shows.
authenticator-done-title = Authenticator app set up
authenticator-done-heading = All set
authenticator-done-notice = Authenticator app has been successfully set up.
authenticator-done-text = From now on, logging in asks for a code from the app. Your Recovery Key stays as it was.

## Your Recovery Key (recovery_key.html)
recovery-key-title = Your Recovery Key
recovery-key-explain = Your Recovery Key lets you into your account if you lose access to your email. Treat it like your password: store it safely (in a password manager, or printed and locked away) and never share it. It works once; when you use it, you get a new one.
recovery-key-once = This is the only time it is shown.
recovery-key-download = Download
recovery-key-saved = I have saved my Recovery Key

## The browser script's texts (static/app.js, through js_messages.html)
# The resend countdown reaching zero (the countdown itself is resend-wait, with duration-*).
js-resend-now = You can ask for a new code now.
js-key-unsupported = This browser cannot use security keys or passkeys.
# While the browser asks for a key (a proof of identity, or a sign-in's second step).
js-key-prompt = Follow your browser's prompt: touch your key or unlock this device…
# While the browser asks for a new key to add.
js-key-prompt-create = Follow your browser's prompt: touch your key, or unlock this device…
js-passkey-prompt = Follow your browser's prompt: choose your passkey…
js-checking = Checking…
js-key-cancelled = The request was cancelled or timed out. Try again.
js-key-registered = This key is already registered to your account.
js-key-failed = Your browser could not use the key.
# $reason: the browser's own explanation (in the browser's language), or js-no-answer.
js-key-failed-reason = Your browser could not use the key: { $reason }
js-no-answer = the service did not answer

## Devices: what a user agent names, and the remembered devices (devices.html, on Security and
## Credentials and on a member's page)
device-browser-on-os = { $browser } on { $os }
device-browser = { $browser }
device-unknown-browser-on-os = A browser on { $os }
device-unknown = Unknown browser
device-as-sent = { $agent }
device-remember-days-invalid = Enter a number of days from 1 to { $max }.
devices-heading = Devices
devices-hint = The browsers that logged in to your account. A remembered one skips the second step of logging in (the password is still asked) until the date shown: tick “Remember this device” when you log in on a device you trust. Forget a device you no longer use, or one you do not recognize: its next log-in asks for the second step and sends you an alert.
devices-none = No device has logged in to this account since devices are recorded.
devices-caption = Devices that logged in
devices-col-device = Device
devices-col-first-seen = First seen
devices-col-last-used = Last used
devices-col-until = Remembered until
devices-forget = Forget
devices-forget-all = Forget all devices
devices-not-remembered = Not remembered
