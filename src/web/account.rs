//! Manage Account: the "Profile" tab and the "Security and Credentials" tab with its forms.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, Query, SignedIn};
use super::pages::{render, ProfilePage, SecurityPage, SessionView};
use super::signin::Empty;
use super::FormError;
use crate::clock::format_utc;
use crate::domain::account::Role;
use crate::service::sessions::{self, Current};
use crate::service::{email_verification, passwords, ServiceError};
use crate::state::AppState;
use crate::store::audit;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(profile))
        .route("/account/security", get(security))
        .route("/account/send-verification", post(send_verification))
        .route("/account/password", post(change_password))
        .route("/account/sessions/sign-out-others", post(sign_out_others))
}

async fn profile(SignedIn(c): SignedIn, csrf: CsrfToken) -> Response {
    render(&ProfilePage {
        chrome: chrome(Some(&c), &csrf),
        tab: "profile",
        email: c.user.email.clone(),
        org_name: c.org.name.clone(),
        org_domain: c.org.domain.clone(),
        role: match c.user.role {
            Role::Admin => "Administrator".into(),
            Role::Member => "Member".into(),
        },
        since: format_utc(c.user.created_at),
    })
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

fn notice_text(key: &str) -> Option<&'static str> {
    match key {
        "verification-sent" => {
            Some("We have sent you a verification email. Open the link in it to verify your address.")
        }
        "password-changed" => Some("Your password has been changed. Your other sessions were signed out."),
        "signed-out-others" => Some("Your other sessions have been signed out."),
        "recovery-key-saved" => Some("Two-factor authentication is on, and your Recovery Key is saved."),
        "two-factor-off" => Some("Two-factor authentication is off. Your Recovery Key was deleted."),
        "email-code-on" => Some("Codes by email are on, as another way to log in."),
        "authenticator-removed" => Some("The authenticator app was removed."),

        _ => None,
    }
}

async fn security(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let notice = q.notice.as_deref().and_then(notice_text).map(str::to_string);
    Ok(render(&security_page(&state, &c, &csrf, notice, None).await?))
}

pub fn describe(kind: &str) -> &'static str {
    match kind {
        "setup_completed" => "Set up the organization",
        "user_created" => "Account created",
        "sign_in" => "Logged in",
        "sign_in_failed" => "Failed log-in attempt",
        "sign_in_locked" => "Log-in locked after too many attempts",
        "sign_out" => "Logged out",
        "sessions_revoked" => "Signed out other sessions",
        "password_changed" => "Password changed",
        "password_reset_requested" => "Password reset requested",
        "password_reset" => "Password reset",
        "invitation_accepted" => "Invitation accepted",
        "email_verification_sent" => "Verification email sent",
        "email_verified" => "Email address verified",
        "email_code_sent" => "Verification code sent",
        "email_code_wrong" => "Wrong verification code entered",
        "email_code_accepted" => "Verification code accepted",
        "two_factor_enabled" => "Two-factor authentication turned on",
        "two_factor_disabled" => "Two-factor authentication turned off",
        "recovery_key_downloaded" => "Recovery Key downloaded",
        "recovery_key_regenerated" => "Recovery Key regenerated",
        "recovery_key_used" => "Logged in with the Recovery Key",
        "recovery_key_wrong" => "Wrong Recovery Key entered",
        "second_factor_locked" => "Two-factor step locked after too many attempts",
        "authenticator_setup_started" => "Authenticator app set-up started",
        "authenticator_added" => "Authenticator app set up",
        "authenticator_removed" => "Authenticator app removed",
        "authenticator_code_accepted" => "Authenticator app code accepted",
        "authenticator_code_wrong" => "Wrong authenticator app code entered",
        "authenticator_replay_refused" => "Used authenticator app code refused",
        "authenticator_clock_skew" => "Authenticator app code from a device with the wrong time",
        "policy_changed" => "Organization policy changed",
        "member_invited" => "Member invited",
        "two_factor_reset" => "Two-factor authentication reset by an admin",
        "role_changed" => "Role changed",
        "member_disabled" => "Member disabled",
        "member_enabled" => "Member enabled",

        _ => "Account event",
    }
}

async fn security_page(
    state: &AppState,
    c: &Current,
    csrf: &CsrfToken,
    notice: Option<String>,
    error: Option<String>,
) -> Result<SecurityPage, WebError> {
    let sessions = sessions::list(state, c.user.id).await?;
    let sessions = sessions
        .into_iter()
        .map(|(s, ends)| SessionView {
            signed_in: format_utc(s.created_at),
            last_active: format_utc(s.last_seen_at),
            ip: s.ip,
            user_agent: s.user_agent,
            ends: format_utc(ends),
            current: s.id == c.session.id,
        })
        .collect();
    let events = {
        let mut conn = state.db.read().await.map_err(ServiceError::from)?;
        audit::recent(&mut conn, c.user.id, 10).await.map_err(ServiceError::from)?
    };
    let activity = events
        .into_iter()
        .map(|e| (format_utc(e.at), describe(&e.kind).to_string(), e.ip.unwrap_or_default()))
        .collect();
    let (factors, recovery_created) = (c.factors, c.recovery_key_created);
    Ok(SecurityPage {
        chrome: chrome(Some(c), csrf),
        tab: "security",
        email: c.user.email.clone(),
        verified: c.user.email_verified_at.is_some(),
        two_factor_on: factors.two_factor_on(),
        email_code_on: factors.email_code,
        authenticator_on: factors.authenticator,

        masked_email: masked(&c.user.email),
        recovery_key_created: recovery_created.map(format_utc),
        notice,
        error,
        sessions,
        activity,
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
