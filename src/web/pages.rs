//! The page templates and what every page shares (the header with the profile menu).

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use crate::i18n::Locale;

/// What the layout needs on every page: who is signed in (for the profile menu) and the form
/// token for the forms in it.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub user_email: Option<String>,
    pub initial: String,
    pub csrf: String,
    /// Shows "Organization" in the profile menu.
    pub is_admin: bool,
    /// The grace-period notice, with a link to set up two-factor authentication.
    pub banner: Option<String>,
    /// The reader's language and time zone: every text of the page comes through it.
    pub locale: Locale,
}

impl Default for Chrome {
    fn default() -> Self {
        Self {
            user_email: None,
            initial: String::new(),
            csrf: String::new(),
            is_admin: false,
            banner: None,
            locale: crate::i18n::current(),
        }
    }
}

impl Chrome {
    pub fn anonymous(csrf: String) -> Self {
        Self { csrf, ..Self::default() }
    }

    pub fn signed_in(email: &str, csrf: String) -> Self {
        let initial = email.chars().next().map(|c| c.to_string()).unwrap_or_default();
        Self { user_email: Some(email.to_string()), initial, csrf, ..Self::default() }
    }

    /// The languages of the switcher: (code, name in itself, this page's).
    pub fn languages(&self) -> Vec<(&'static str, &'static str, bool)> {
        crate::i18n::Lang::ALL.iter().map(|l| (l.code(), l.name(), *l == self.locale.lang)).collect()
    }

    /// `<html lang>`.
    pub fn lang(&self) -> &'static str {
        self.locale.lang.code()
    }

    /// The page's text `id` (templates: `{{ chrome.t("login-title") }}`).
    pub fn t(&self, id: &str) -> std::borrow::Cow<'static, str> {
        self.locale.text(id)
    }

    /// The page's text `id` naming one value (`{{ chrome.t1("login-to", "app", to) }}`).
    pub fn t1(&self, id: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.locale.t1(id, name, value)
    }

    /// The page's text `id` naming a number, for plural forms (`{{ chrome.tn("keys-count", "n", keys.len()) }}`).
    pub fn tn(&self, id: &str, name: &str, n: impl TryInto<i64>) -> String {
        self.locale.tn(id, name, n)
    }

    /// A moment in the reader's zone: "09:14 WIB, 1 Dec 2026".
    pub fn time(&self, unix: &i64) -> String {
        self.locale.time(*unix)
    }
}

/// Renders a template as an HTML response; a template that fails becomes an error page.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => super::error::WebError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub chrome: Chrome,
    pub title: String,
    pub text: String,
    pub link: Option<(String, String)>,
    pub request_id: Option<String>,
}

impl MessagePage {
    pub fn plain(title: &str, text: &str) -> Self {
        Self { chrome: Chrome::default(), title: title.into(), text: text.into(), link: None, request_id: None }
    }

    pub fn with_link(mut self, href: &str, label: &str) -> Self {
        self.link = Some((href.into(), label.into()));
        self
    }

    /// The page as HTML; falls back to plain text if the template itself fails.
    pub fn html(&self) -> Html<String> {
        Html(self.render().unwrap_or_else(|_| format!("{}: {}", self.title, self.text)))
    }
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub chrome: Chrome,
    pub email: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    /// Where the sign-in continues (sealed), and what that is called (an application's name,
    /// or the host of a page behind the proxy).
    pub continue_to: Option<String>,
    pub destination: Option<String>,
    /// "Sign in with a passkey" is offered (the public URL can be a relying party).
    pub passkeys: bool,
}

impl LoginPage {
    pub fn new(csrf: &super::extract::CsrfToken, email: String, notice: Option<String>, error: Option<String>) -> Self {
        Self {
            chrome: Chrome::anonymous(csrf.0.clone()),
            email,
            notice,
            error,
            continue_to: None,
            destination: None,
            passkeys: false,
        }
    }
}

#[derive(Template)]
#[template(path = "setup.html")]
pub struct SetupPage {
    pub chrome: Chrome,
    pub token: String,
    pub org_name: String,
    pub domain: String,
    pub email: String,
    pub error: Option<String>,
    pub locale_form: super::preferences::LocaleForm,
}

#[derive(Template)]
#[template(path = "forgot.html")]
pub struct ForgotPage {
    pub chrome: Chrome,
    pub email: String,
    pub sent: bool,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "reset.html")]
pub struct ResetPage {
    pub chrome: Chrome,
    pub heading: String,
    pub email: String,
    pub token: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "verify.html")]
pub struct VerifyPage {
    pub chrome: Chrome,
    pub token: String,
}

#[derive(Template)]
#[template(path = "account_profile.html")]
pub struct ProfilePage {
    pub chrome: Chrome,
    pub tab: &'static str,
    /// The display name applications are told ("" when none is given).
    pub name: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub email: String,
    pub org_name: String,
    pub org_domain: String,
    pub role: String,
    pub since: String,
    pub locale_form: super::preferences::LocaleForm,
}

pub struct SessionView {
    pub signed_in: String,
    pub last_active: String,
    pub ip: String,
    /// "Chrome 131 on Windows"; the user agent as sent, for its tooltip.
    pub device: String,
    pub user_agent: String,
    pub ends: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "account_security.html")]
pub struct SecurityPage {
    pub chrome: Chrome,
    pub tab: &'static str,
    pub email: String,
    pub verified: bool,
    pub two_factor_on: bool,
    pub email_code_on: bool,
    pub authenticator_on: bool,
    pub masked_email: String,
    /// The member's security keys and passkeys; whether they can be used here at all.
    pub keys: Vec<KeyView>,
    pub keys_available: bool,

    pub recovery_key_created: Option<String>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub sessions: Vec<SessionView>,
    /// (time, what happened, from where)
    pub activity: Vec<(String, String, String)>,
    /// Third-party applications the member allowed.
    pub consents: Vec<ConsentView>,
    /// The member's remembered devices.
    pub devices: Vec<DeviceRowView>,
}

/// A remembered device, on Security and Credentials and on a member's page.
pub struct DeviceRowView {
    pub id: i64,
    /// "Chrome 131 on Windows".
    pub device: String,
    /// As the browser sent it (the tooltip).
    pub user_agent: String,
    pub first_seen: String,
    pub first_ip: String,
    pub last_used: String,
    /// Remembered until.
    pub until: String,
}

/// "This wasn't me": the button (`token`, for `account`), what was done after it, or why the
/// link cannot be used.
#[derive(Template)]
#[template(path = "not_me.html")]
pub struct NotMePage {
    pub chrome: Chrome,
    pub token: String,
    pub account: String,
    pub done: Option<Vec<String>>,
    pub error: Option<String>,
}

/// A security key or passkey, on Security and Credentials.
pub struct KeyView {
    pub id: i64,
    pub name: String,
    pub added: String,
    pub last_used: String,
}

/// "Add a security key or passkey": the browser's prompt, then the key's name.
#[derive(Template)]
#[template(path = "security_key_add.html")]
pub struct SecurityKeyAddPage {
    pub chrome: Chrome,
    pub tab: &'static str,
    pub ceremony: String,
    /// The options for `navigator.credentials.create`, as JSON.
    pub options: String,
    pub name: String,
    /// A Recovery Key made because the old one was the proof: shown once, here.
    pub new_recovery_key: Option<String>,
    pub error: Option<String>,
}

/// A security key ceremony offered on a page: its id and the browser's options, as JSON.
pub struct KeyPrompt {
    pub ceremony: String,
    pub options: String,
}

/// A third-party application a member allowed, on Security and Credentials.
pub struct ConsentView {
    pub client_id: String,
    pub name: String,
    /// What it may know, in plain words.
    pub what: String,
    pub since: String,
}

#[derive(Template)]
#[template(path = "two_factor_enable.html")]
pub struct TwoFactorEnablePage {
    pub chrome: Chrome,
    pub tab: &'static str,
    pub verified: bool,
    pub email: String,
    pub masked_email: String,
    /// Two-factor authentication is on: adding email codes also needs the password and a
    /// current second factor.
    pub confirm: bool,
    pub has_app: bool,
    pub code_sent: bool,
    pub code_valid_for: String,
    pub resend_action: &'static str,
    pub resend_wait: i64,
    pub error: Option<String>,
}

/// A page that asks for the password and a current second factor before a change.
#[derive(Template)]
#[template(path = "confirm_second_factor.html")]
pub struct ConfirmSecondFactorPage {
    pub chrome: Chrome,
    pub tab: &'static str,
    pub heading: String,
    pub explanation: String,
    pub action: &'static str,
    pub email: String,
    pub masked_email: String,
    pub has_app: bool,
    pub has_email: bool,
    pub code_sent: bool,
    pub resend_action: &'static str,
    pub resend_wait: i64,
    pub error: Option<String>,
    /// Fields the forms carry back (which key is being removed).
    pub hidden: Vec<(&'static str, String)>,
    /// "Use your security key" as the second factor, when the account has one.
    pub key: Option<KeyPrompt>,
}

#[derive(Template)]
#[template(path = "authenticator_setup.html")]
pub struct AuthenticatorSetupPage {
    pub chrome: Chrome,
    pub tab: &'static str,
    pub secret: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "authenticator_done.html")]
pub struct AuthenticatorDonePage {
    pub chrome: Chrome,
}

/// The pop-up that shows a new Recovery Key once, with "Download".
#[derive(Template)]
#[template(path = "recovery_key.html")]
pub struct RecoveryKeyPage {
    pub chrome: Chrome,
    pub intro: String,
    pub key: String,
    pub error: Option<String>,
    /// Where "Done" goes on to ("": the Security tab; "authenticator-setup"; or "continue:" and a
    /// sealed continuation, back to an application).
    pub then: String,
}

#[derive(Template)]
#[template(path = "login_verify.html")]
pub struct LoginVerifyPage {
    pub chrome: Chrome,
    /// Ask for the authenticator app's code (else the emailed one, or the key's answer).
    pub app: bool,
    pub has_app: bool,
    /// Ask for the security key; the ceremony to answer (none when keys cannot be used here:
    /// the error says why, and the other ways in stay).
    pub key_step: bool,
    pub key: Option<KeyPrompt>,
    pub has_key: bool,
    pub has_email: bool,
    /// A code sent for this sign-in can still be used.
    pub code_sent: bool,
    /// Why no code can be typed now, when none can.
    pub code_note: Option<String>,
    pub masked_email: String,
    pub has_recovery_key: bool,
    pub resend_action: &'static str,
    pub resend_wait: i64,
    /// "Remember this device for N days" (None: not offered).
    pub remember_days: Option<i64>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "login_recovery.html")]
pub struct LoginRecoveryPage {
    pub chrome: Chrome,
    pub remember_days: Option<i64>,
    pub error: Option<String>,
}

/// "Set up two-factor authentication", where the organization's policy holds a member.
#[derive(Template)]
#[template(path = "enrol.html")]
pub struct EnrolPage {
    pub chrome: Chrome,
    /// The member's own time zone ("": the organization's), kept by the language switcher.
    pub own_zone: String,
    pub org_name: String,
    pub deadline: Option<String>,
    pub must: bool,
    pub verified: bool,
    pub masked_email: String,
    pub allow_email: bool,
    pub allow_authenticator: bool,
    pub allow_key: bool,
    /// Held by "Require a security key or passkey for admins".
    pub keys_for_admins: bool,
    /// The waiting application asks for a security key (the member has other factors).
    pub app_wants_key: bool,
    pub notice: Option<String>,
    pub error: Option<String>,
    /// The application (or page) waiting for the set-up, and whether it is what requires it
    /// (rather than the organization's policy).
    pub app: Option<String>,
    pub app_requires: bool,
}

#[derive(Template)]
#[template(path = "org_settings.html")]
pub struct OrgSettingsPage {
    pub chrome: Chrome,
    pub tab: &'static str,
    pub org_name: String,
    pub required: bool,
    pub grace_days: i64,
    pub allow_email: bool,
    pub allow_authenticator: bool,
    pub allow_key: bool,
    pub admin_keys: bool,
    pub admin_has_2fa: bool,
    /// Set when a tightening change waits for confirmation: who it affects.
    pub preview: Option<Vec<String>>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub locale_form: super::preferences::LocaleForm,
    /// "Remember this device": days (0: off).
    pub remember_days: i64,
}

/// One member as the admin pages show them.
pub struct MemberView {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub is_admin: bool,
    pub verified: String,
    pub two_factor: String,
    pub last_sign_in: String,
    pub status: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "org_members.html")]
pub struct OrgMembersPage {
    pub chrome: Chrome,
    pub tab: &'static str,
    pub org_name: String,
    pub org_domain: String,
    pub members: Vec<MemberView>,
    pub no_2fa_only: bool,
    pub notice: Option<String>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "org_member.html")]
pub struct OrgMemberPage {
    pub chrome: Chrome,
    pub tab: &'static str,
    pub org_name: String,
    pub member: MemberView,
    pub admin_has_2fa: bool,
    pub admin_has_app: bool,
    pub admin_has_email: bool,
    pub devices: Vec<DeviceRowView>,
    /// Where "Forget" posts.
    pub devices_action: String,
    pub notice: Option<String>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "org_audit.html")]
pub struct OrgAuditPage {
    pub chrome: Chrome,
    pub tab: &'static str,
    pub org_name: String,
    pub member: String,
    pub kind: String,
    /// (name, label) of every event kind, for the filter.
    pub kinds: Vec<(&'static str, String)>,
    /// (time, event, member, client address, browser, user agent as sent, detail)
    pub events: Vec<(String, String, String, String, String, String, String)>,
    pub csv_link: String,
    pub prev_link: Option<String>,
    pub next_link: Option<String>,
}

/// One application on Organization -> Applications.
pub struct AppRowView {
    pub client_id: String,
    pub name: String,
    pub confidential: bool,
    pub require_2fa: bool,
    pub third_party: bool,
    pub id_token_alg: String,
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
}

#[derive(Template)]
#[template(path = "org_applications.html")]
pub struct OrgApplicationsPage {
    pub chrome: Chrome,
    pub tab: &'static str,
    pub org_name: String,
    pub apps: Vec<AppRowView>,
    /// Credentials shown once: after registering, or after replacing the secret.
    pub shown_client_id: Option<String>,
    pub shown_secret: Option<String>,
    pub notice: Option<String>,
    pub error: Option<String>,
}

/// "Acme Reports wants to know your name and email address": a third-party application asks.
#[derive(Template)]
#[template(path = "consent.html")]
pub struct ConsentPage {
    pub chrome: Chrome,
    pub app: String,
    /// What it wants first ("know your name and email address"), and anything more.
    pub first: String,
    pub more: Vec<String>,
    pub email: String,
    /// The sealed request the answer goes on with.
    pub continue_to: String,
}

/// Signed in as a member of another organization than the application's.
#[derive(Template)]
#[template(path = "wrong_org.html")]
pub struct WrongOrgPage {
    pub chrome: Chrome,
    pub app: String,
    pub email: String,
    /// "Log in with another account".
    pub login: String,
    /// Back to the application, which is told `access_denied`.
    pub cancel: String,
}

/// "Log out?", when an application asks without saying who (no valid `id_token_hint`).
#[derive(Template)]
#[template(path = "logout_confirm.html")]
pub struct LogoutConfirmPage {
    pub chrome: Chrome,
    pub app: Option<String>,
    pub client_id: String,
    pub id_token_hint: String,
    pub post_logout_redirect_uri: String,
    pub state: String,
}

/// "Continuing to Acme Console…": after a form, the way to another site. The page's
/// `form-action 'self'` forbids a form submission (and its redirects) to end on another origin,
/// so the browser is sent on by a new navigation (a refresh, or the link).
#[derive(Template)]
#[template(path = "onward.html")]
pub struct OnwardPage {
    pub chrome: Chrome,
    /// Where to, in words (the application's host).
    pub to: String,
    pub url: String,
}
