//! Manage Account: the "Profile" tab and the "Security and Credentials" tab with its forms.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, Query, SignedIn};
use super::pages::{render, ConsentView, KeyView, ProfilePage, SecurityPage, SessionView};
use super::signin::Empty;
use super::FormError;
use crate::domain::account::PersonName;
use crate::domain::account::Role;
use crate::domain::audit::AuditKind;
use crate::i18n::{t, time};
use crate::service::oidc::consent;
use crate::service::sessions::{self, Current};
use crate::service::{accounts, email_verification, passwords};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(profile))
        .route("/account/security", get(security))
        .route("/account/send-verification", post(send_verification))
        .route("/account/password", post(change_password))
        .route("/account/sessions/sign-out-others", post(sign_out_others))
        .route("/account/sessions/sign-out-everywhere", post(sign_out_everywhere))
        .route("/account/name", post(set_name))
        .route("/account/applications/withdraw", post(withdraw))
}

async fn profile(SignedIn(c): SignedIn, csrf: CsrfToken, Query(q): Query<NoticeQuery>) -> Response {
    let notice = match q.notice.as_deref() {
        Some("name-saved") => Some(t("web-account-notice-name-saved")),
        // From the language and time-zone form (web/preferences.rs).
        Some("locale-saved") => Some(t("prefs-saved")),
        _ => None,
    };
    render(&profile_page(&c, &csrf, notice, None))
}

fn profile_page(c: &Current, csrf: &CsrfToken, notice: Option<String>, error: Option<String>) -> ProfilePage {
    ProfilePage {
        chrome: chrome(Some(c), csrf),
        tab: "profile",
        name: c.name.clone().unwrap_or_default(),
        notice,
        error,
        email: c.user.email.clone(),
        org_name: c.org.name.clone(),
        org_domain: c.org.domain.clone(),
        role: match c.user.role {
            Role::Admin => t("web-account-role-admin"),
            Role::Member => t("web-account-role-member"),
        },
        since: time(c.user.created_at),
        locale_form: super::preferences::LocaleForm::own(c),
    }
}

#[derive(Deserialize)]
pub struct NameForm {
    name: String,
}

/// Profile -> "Name" -> "Save".
async fn set_name(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<NameForm>,
) -> Result<Response, WebError> {
    match PersonName::parse(&f.name) {
        Ok(name) => {
            accounts::set_name(&state, &c, &name).await?;
            Ok(Redirect::to("/account?notice=name-saved").into_response())
        }
        Err(e) => {
            let page = profile_page(&c, &csrf, None, Some(e.to_string()));
            Ok((axum::http::StatusCode::BAD_REQUEST, render(&page)).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct ClientForm {
    client_id: String,
}

/// "Withdraw" a consent given to a third-party application.
async fn withdraw(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<ClientForm>,
) -> Result<Response, WebError> {
    match consent::withdraw(&state, &c, &f.client_id, &actor).await {
        Ok(name) => {
            let notice = crate::i18n::current().t1("web-account-notice-consent-withdrawn", "app", name);
            Ok(render(&security_page(&state, &c, &csrf, Some(notice), None).await?))
        }
        Err(e) => security_with_error(&state, &c, &csrf, e).await,
    }
}

/// "Sign out everywhere": every session, this one included, and every application's access.
async fn sign_out_everywhere(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    jar: axum_extra::extract::CookieJar,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    sessions::sign_out_everywhere(&state, &c, &actor).await?;
    let jar = super::without_session(&state, jar);
    Ok((jar, Redirect::to("/login?notice=signed-out-everywhere")).into_response())
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

/// The notices the Security tab is shown with after a change: the id of each one's text.
fn notice_text(key: &str) -> Option<&'static str> {
    match key {
        "verification-sent" => Some("web-account-notice-verification-sent"),
        "password-changed" => Some("web-account-notice-password-changed"),
        "signed-out-others" => Some("web-account-notice-signed-out-others"),
        "recovery-key-saved" => Some("web-account-notice-recovery-key-saved"),
        "two-factor-off" => Some("web-account-notice-two-factor-off"),
        "email-code-on" => Some("web-account-notice-email-code-on"),
        "authenticator-removed" => Some("web-account-notice-authenticator-removed"),
        "security-key-added" => Some("web-account-notice-security-key-added"),
        "security-key-renamed" => Some("web-account-notice-security-key-renamed"),
        "security-key-removed" => Some("web-account-notice-security-key-removed"),
        "device-forgotten" => Some("web-account-notice-device-forgotten"),
        "devices-forgotten" => Some("web-account-notice-devices-forgotten"),

        _ => None,
    }
}

async fn security(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let notice = q.notice.as_deref().and_then(notice_text).map(t);
    Ok(render(&security_page(&state, &c, &csrf, notice, None).await?))
}

async fn security_page(
    state: &AppState,
    c: &Current,
    csrf: &CsrfToken,
    notice: Option<String>,
    error: Option<String>,
) -> Result<SecurityPage, WebError> {
    let overview = sessions::overview(state, c).await?;
    let sessions = overview
        .sessions
        .into_iter()
        .map(|(s, ends)| SessionView {
            signed_in: time(s.created_at),
            last_active: time(s.last_seen_at),
            ip: s.ip,
            device: crate::domain::device::name(&s.user_agent).to_string(),
            user_agent: s.user_agent,
            ends: time(ends),
            current: s.id == c.session.id,
        })
        .collect();
    let activity = overview
        .recent
        .into_iter()
        .map(|e| (time(e.at), AuditKind::label_of(&e.kind).to_string(), e.ip.unwrap_or_default()))
        .collect();
    let (factors, recovery_created) = (c.factors, c.recovery_key_created);
    // Read only for an account that has keys (most pages are served without this read).
    let keys = match factors.security_key {
        true => crate::service::security_keys::list(state, c).await?,
        false => Vec::new(),
    };
    let keys = keys
        .into_iter()
        .map(|k| KeyView {
            id: k.id,
            name: k.name,
            added: time(k.created_at),
            last_used: k.last_used_at.map(time).unwrap_or_else(|| t("web-account-key-not-used-yet")),
        })
        .collect();
    let consents = consent::list(state, c)
        .await?
        .into_iter()
        .map(|x| ConsentView {
            client_id: x.row.client_id,
            name: x.row.name,
            what: x.disclosures.join("; "),
            since: time(x.row.granted_at),
        })
        .collect();
    Ok(SecurityPage {
        chrome: chrome(Some(c), csrf),
        tab: "security",
        email: c.user.email.clone(),
        verified: c.user.email_verified_at.is_some(),
        two_factor_on: factors.two_factor_on(),
        email_code_on: factors.email_code,
        authenticator_on: factors.authenticator,
        keys,
        keys_available: state.webauthn.is_some(),

        masked_email: masked(&c.user.email),
        recovery_key_created: recovery_created.map(time),
        notice,
        error,
        sessions,
        activity,
        consents,
        devices: overview.devices.into_iter().map(super::devices::row_view).collect(),
    })
}

/// An email address with most of its local part hidden.
pub fn masked(email: &str) -> String {
    crate::domain::email::EmailAddress::parse(email).map(|e| e.masked()).unwrap_or_default()
}

/// Shows the Security tab again with an error next to its forms.
pub async fn security_with_error(
    state: &AppState,
    c: &Current,
    csrf: &CsrfToken,
    e: crate::service::ServiceError,
) -> Result<Response, WebError> {
    let err = FormError::from_service(e)?;
    let page = security_page(state, c, csrf, None, Some(err.message.clone())).await?;
    Ok(err.respond(render(&page)))
}

async fn send_verification(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    match email_verification::send(&state, &c, &actor).await {
        Ok(()) => Ok(Redirect::to("/account/security?notice=verification-sent").into_response()),
        Err(e) => security_with_error(&state, &c, &csrf, e).await,
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    password: String,
    confirm: String,
}

async fn change_password(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> Result<Response, WebError> {
    match passwords::change(&state, &c, &f.current, &f.password, &f.confirm, &actor).await {
        Ok(()) => Ok(Redirect::to("/account/security?notice=password-changed").into_response()),
        Err(e) => security_with_error(&state, &c, &csrf, e).await,
    }
}

async fn sign_out_others(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    sessions::sign_out_others(&state, &c, &actor).await?;
    Ok(Redirect::to("/account/security?notice=signed-out-others").into_response())
}
