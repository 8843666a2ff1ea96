# What the use cases (src/service) and the product's rules (src/domain) tell people: refusals,
# errors and the Recovery Key file. English is the product's source text: customers' help pages
# quote it, so change none of it without a reason.

## Errors every use case may give
service-not-found = Not found.
service-link-invalid = This link is not valid any more. It may have been used already or have expired.
service-throttled = Too many attempts. Try again in { $wait }.
service-cooldown = You can ask for a new code in { $wait }.
service-step-expired = Your sign-in took too long and has ended. Log in again.
service-overloaded = The service is busy. Try again in a few seconds.

## Sign-in
service-signin-wrong-credentials = The email or password is not correct.
service-signin-disabled = This account is disabled. Ask your organization's administrator to enable it.
service-signin-must-reset = For your security, choose a new password before you log in: use “Forgot password?” below.
service-signin-enter-password = Enter your password.
service-signin-not-offered = That way of signing in is not on for this account.
service-signin-out-of-date = This page was out of date. It now shows where your sign-in stands.
service-passkey-not-allowed = Your organization does not allow signing in with a passkey. Log in with your email and password.

## Passwords
service-password-wrong = Your password is not correct.
service-password-wrong-current = Your current password is not correct.

## Codes by email
service-code-used = This code was already used. Ask for a new code.
service-code-wrong = The code is not correct. Check the latest email and try again.
service-code-tried-out = This code had too many wrong tries. Ask for a new code.
service-code-expired = This code has expired. Ask for a new code.
service-code-none-sent = No code was sent for this sign-in. Use "Resend code".
service-code-none-yet = No code was sent yet. Use "Send verification code".

## Authenticator apps ($skew: domain-totp-skew-behind or -ahead)
service-app-replayed = This code was already used. Wait for the next code in your app and enter that one.
service-app-skewed = This code is not valid now, but it was made for another time: your device's time looks { $skew }. Set your phone to set its time automatically, then enter the new code.
service-app-wrong = The code is not correct. Enter the current code from your authenticator app.
service-app-none = No authenticator app is set up for this account.
service-app-verify-email-first = Verify your email address before you set up an authenticator app: it is how we reach you if you lose your phone.
service-app-no-setup = No authenticator set-up is in progress.
service-app-setup-ended = This set-up has ended. Choose "Set Up" to start again.
service-app-not-set-up = No authenticator app is set up.

## The Recovery Key
service-rk-wrong-just-used = This Recovery Key is not correct, or it was already used. It was used a moment ago, and a new one replaced it.
service-rk-wrong = This Recovery Key is not correct, or it was already used. Check your Recovery Key file.
service-rk-used-moment-ago = This Recovery Key was used a moment ago.
service-rk-turn-on-first = Turn on two-factor authentication first.
service-rk-not-yours = This Recovery Key is no longer yours to download: a newer one replaced it.

## The downloaded Recovery Key file, one line each ($when: a moment with its zone)
service-rk-file-title = Latchkey Recovery Key
service-rk-file-account = Account: { $email }
service-rk-file-org = Organization: { $org }
service-rk-file-created = Created: { $when }
service-rk-file-key = Recovery Key: { $key }
service-rk-file-how = How to use it: if you cannot get a verification code by email, log in at { $url } with your password, choose "Use your Recovery Key" and type this key. It works once; you then get a new one.
service-rk-file-keep = Keep this file as safe as your password. Anyone with it and your password can sign in as you.

## A current second factor as proof
service-proof-no-email-codes = Codes by email are not one of your second factors. Use your authenticator app or your Recovery Key.
service-proof-confirm-to-add = Two-factor authentication is already on: enter your password and a current second factor to add another way in.
service-proof-two-factor-off = Two-factor authentication is off.

## Security keys and passkeys
service-key-not-available = Security keys and passkeys need Latchkey to be reached by a name (its public URL, for example https://login.example.com or http://localhost:8080), not by an IP address.
service-key-no-answer = Your browser did not answer for a security key. Allow JavaScript on this page, then try again.
service-key-challenge-gone = This security key request has ended or was already answered. Try again: your browser will ask for your key once more.
service-key-unreadable = Your browser's answer from the security key could not be read. Try again.
service-key-refused = That security key or passkey was not accepted for this account. Use one you added to it.
service-key-name-empty = Give the key a name, for example "YubiKey 5" or "Work laptop".
service-key-name-too-long = A key's name can have up to 64 characters, on one line.
service-key-verify-email-first = Verify your email address before you add a security key: it is how we reach you if you lose it.
service-key-already-added = This security key or passkey is already registered. Use another one, or remove it first.
service-key-answer-unreadable = Your browser's answer could not be read. Try again.
service-key-not-accepted = The security key's answer was not accepted. Try again, or use another key.

## Turning two-factor authentication on and off
service-tfa-verify-email-first = Verify your email address before you turn on two-factor authentication: the codes are sent to it.
service-tfa-email-codes-on = Codes by email are already on.
service-tfa-already-off = Two-factor authentication is already off.

## Email verification
service-email-already-verified = Your email address is already verified.
service-email-too-many = Too many emails were sent to this address in the last hour. Use the most recent one, or try again later.

## The organization, its members and admins
service-org-policy-last-method = { $org } requires two-factor authentication, so you cannot remove your last allowed method. Set up another one first.
service-admin-key-first = Add a security key or passkey for yourself before you require one for admins.
service-admin-2fa-first = Set up two-factor authentication for yourself, with a method you allow, before you require it.
service-admin-invite-domain = Invite an address at { $domain }, the organization's domain.
service-admin-reset-2fa-first = Set up two-factor authentication for yourself before you reset a member's.
service-admin-last-admin = An organization keeps at least one admin: make someone else admin first.
service-admin-last-active-admin = An organization keeps at least one active admin.
service-admin-not-self = You cannot disable your own account.

## Organizations and accounts (first-run setup, the command line)
service-no-org = No organization owns the domain { $domain }.
service-account-domain-taken = An organization already owns the domain { $domain }.
service-account-no-org-create = No organization owns the domain { $domain }. Create it first with: latchkey org create --name NAME --domain { $domain }
service-account-email-taken = An account with the email { $email } already exists.
service-setup-email-domain = Use an email address at { $domain }, the organization's domain.
service-operator-no-account = There is no account with the email { $email }.
service-operator-last-admin = { $email } is the organization's last active admin: make someone else admin first.

## Applications
service-apps-unknown = There is no application with the client id { $client_id }.
service-apps-public-no-secret = { $app } is a public client: it has no secret (it proves itself with PKCE).
service-keys-rotation-race = Another rotation ran at the same time. Run it again.

## Signing in to an application
service-oidc-no-client-id = The application's sign-in request has no client_id. Go back to the application and try again; if it keeps happening, tell its administrator.
service-oidc-no-redirect = The application's sign-in request does not say where to return (redirect_uri). Tell the application's administrator.
service-oidc-unregistered-redirect = The application asked to return to an address that is not registered for it, so Latchkey will not send you there. Tell the application's administrator.
service-oidc-unknown-client = This application is not registered with Latchkey (unknown client_id). Tell the application's administrator.
service-oidc-expired = This sign-in took more than an hour, so it has ended. Go back to the application and sign in again.
service-oidc-invalid = This address is not complete or not right. Go back to the application and sign in again.
service-oidc-nothing-to-consent = There is nothing to consent to here.

## The product's rules (src/domain): passwords
domain-password-too-short = Use at least 8 characters for your password.
domain-password-too-long = Use at most 128 bytes for your password.
domain-password-too-common = This password is among the most common ones and easy to guess. Choose another.
domain-password-same-as-email = Do not use your email address as your password.
domain-password-mismatch = The two passwords do not match.

## Email addresses and domains
domain-email-empty = Enter an email address.
domain-email-too-long = An email address is at most 254 characters long.
domain-email-malformed = Enter an email address like name@example.com.
domain-email-bad-domain = Enter a domain like example.com.

## Names and roles
domain-name-org-empty = Enter the organization's name.
domain-name-org-too-long = Use at most 100 characters for the organization's name.
domain-name-person-too-long = Use at most 100 characters for your name.
domain-role-admin = Admin
domain-role-member = Member

## Applications ($uri, $typed, $canonical: the address in double quotes)
domain-app-empty-name = Enter the application's name.
domain-app-long-name = Use at most 100 characters for the application's name.
domain-app-no-redirect = Give at least one redirect URI.
domain-app-not-absolute = { $uri } is not an absolute URI. Give the full address, like https://app.example.com/callback.
domain-app-not-https = { $uri } must use https (http is allowed only for localhost, 127.0.0.1 and [::1]).
domain-app-fragment = { $uri } has a fragment (#...), which a redirect URI may not have.
domain-app-credentials = { $uri } carries a user name or password, which a redirect URI may not.
domain-app-long-uri = A redirect URI is at most 2000 characters long.
domain-app-whitespace = { $uri } has spaces or control characters, which a redirect URI may not have.
domain-app-not-canonical = Write { $typed } as { $canonical }: it is compared exactly with what the application sends.

## Codes and keys as typed
domain-code-malformed = Enter the 6-digit verification code.
domain-code-capped = No code was sent: this account has been sent as many codes as it can get in an hour. You can ask for a new code in { $wait }.
domain-recovery-key-length = A Recovery Key has 28 letters and digits, like 7K3M-9QXD-...; check that you typed all of it.
domain-recovery-key-symbol = A Recovery Key has only the letters and digits printed in your Recovery Key file; check for a typo.

## A device clock that is off, inside service-app-skewed ($amount: "2 minutes", "90 seconds")
domain-totp-skew-behind = about { $amount } behind
domain-totp-skew-ahead = about { $amount } ahead

## What an application may know, on its consent page
domain-oidc-disclose-who = know who you are in your organization
domain-oidc-disclose-name-email = know your name and email address
domain-oidc-disclose-name = know your name
domain-oidc-disclose-email = know your email address
domain-oidc-disclose-offline = stay signed in as you when you are not using it
