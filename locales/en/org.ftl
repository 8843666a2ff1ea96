# Organization: Settings, Members, a member, Applications, Audit log (org_*.html).

## The tabs (org_tabs.html)
# $org: the organization's name.
org-heading = Organization: { $org }
org-nav-label = Organization
org-tab-settings = Settings
org-tab-members = Members
org-tab-applications = Applications
org-tab-audit = Audit log

## Said on several organization pages
org-save = Save
org-cancel = Cancel
# The link to the admin's own Security and Credentials.
org-link-security = Security and Credentials
# A member's facts, on Members and on a member's page.
org-col-email = Email
org-col-role = Role
org-col-verified = Email verified
org-col-2fa = 2FA
org-col-last-sign-in = Last sign-in
org-col-status = Status

## Settings (org_settings.html)
org-settings-title = Organization settings
org-preview-heading = Check before saving
# The page adds org-preview-grace when there is a grace period, then a full stop.
# $n: how many members (the English says "members" for 1 too: help pages quote it).
org-preview-affected = { $n } members have no 2FA (or no allowed method) and will have to set it up at their next sign-in
org-preview-affected-admins = { $n } members have no 2FA (or no allowed method, or are admins without a security key or passkey) and will have to set it up at their next sign-in
# $days: the grace period's length in days.
org-preview-grace = once the { $days }-day grace period ends
org-policy-heading = Two-factor authentication
# Before a link to Security and Credentials (org-link-security).
org-need-2fa-policy = Set up two-factor authentication for yourself before you require it:
org-require-2fa = Require Two-Factor Authentication
org-grace-label = Grace period in days (0: at their next sign-in)
org-allowed-methods = Allowed methods
org-method-email = Email code
org-method-authenticator = Authenticator app
org-method-key = Security key or passkey
org-admin-keys = Require a security key or passkey for admins
org-admin-keys-hint = Admins then log in with their key only: a code can be relayed by a fake sign-in page, a key cannot. Admins without one add it at their next sign-in.
# The same with a grace period.
org-admin-keys-hint-grace = Admins then log in with their key only: a code can be relayed by a fake sign-in page, a key cannot. Admins without one add it at their next sign-in, after the grace period.

## Members (org_members.html)
org-invite-label = Email of the new member
# $domain: the organization's email domain.
org-invite-placeholder = name@{ $domain }
org-invite = Invite member
# The filter: "Show: all members · no 2FA".
org-members-show = Show:
org-members-all = all members
org-members-no-2fa = no 2FA
org-members-caption = Members of { $org }

## A member (org_member.html)
org-member-remove-admin = Remove admin
org-member-make-admin = Make admin
org-member-enable = Enable
org-member-disable = Disable
# The heading and its button.
org-reset-heading = Reset two-factor authentication
org-reset-explain = For a member who lost their device: removes their second factors and Recovery Key, signs out all their sessions and emails them. Confirm with your own password and second factor.
org-send-code = Send verification code
org-your-password = Your password
org-your-app-code = Your authenticator app code
org-code-label = Verification Code
org-your-recovery-key = Or your Recovery Key
# Before a link to Security and Credentials (org-link-security).
org-need-2fa-first = Set up two-factor authentication for yourself first:
org-back-to-members = Back to Members

## Applications (org_applications.html)
org-app-credentials = Credentials
# Before the client's id and secret, shown once.
org-app-client-id-shown = Client ID:
org-app-secret-shown = Client secret:
org-app-secret-once = This is the only time the secret is shown. Keep it in the application's configuration, never in a browser.
org-apps-intro = Applications that sign their users in through { -product }, with this organization's two-factor policy.
org-apps-none = No applications yet.
org-apps-col-name = Name
org-apps-col-client-id = Client ID
org-apps-col-type = Type
org-apps-col-redirect = Redirect URIs
org-app-requires-2fa = Requires two-factor authentication
org-app-third-party = Third-party: asks for consent
# $alg: RS256 or ES256.
org-app-id-tokens = ID tokens: { $alg }
org-app-confidential = Confidential
org-app-public = Public (PKCE)
org-app-after-logout = After logout:
org-app-replace-secret = Replace secret
org-app-delete = Delete
org-app-register-heading = Register an application
org-app-redirect-label = Redirect URIs (one a line, matched exactly)
org-app-redirect-placeholder = https://console.example.com/callback
org-app-logout-label = After logout, back to (optional, one a line)
org-app-kind-confidential = Confidential: a server-side application with a secret
org-app-kind-public = Public: a browser or mobile application (PKCE, no secret)
org-app-require-2fa = Require two-factor authentication to sign in to it
org-app-third-party-consent = Third-party: ask members for their consent
org-app-alg-label = ID token signature
org-app-alg-rs256 = RS256 (the OpenID Connect default)
org-app-alg-es256 = ES256
org-app-register = Register

## Audit log (org_audit.html)
org-audit-member = Member email
# The filter's label and the table's column.
org-audit-event = Event
org-audit-all = All events
org-audit-filter = Filter
org-audit-export = Export CSV
org-audit-caption = Security events, newest first
org-audit-col-time = Time
org-audit-col-member = Member
org-audit-col-address = Client address
org-audit-col-browser = Browser
org-audit-col-detail = Detail
org-audit-newer = Newer
org-audit-older = Older

## Settings -> "Remember this device" (org_settings.html) and a member's devices (org_member.html)
org-remember-heading = Remember this device
org-remember-hint = Members can tick “Remember this device” at the second step of logging in, and skip it on that browser for the days set here. The password is still asked, and applications that ask for a fresh second factor still get one. Turn it off where people share computers.
org-remember-offered = Offer “Remember this device”
org-remember-days = Days a device is remembered
org-member-devices-hint = The browsers that logged in to this member's account, and until when each skips the second step. Forget them when a device is lost or shared: their next log-in asks for the second step and alerts the member.
