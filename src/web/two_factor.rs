//! "Enable Two-Factor Authentication" (by email code) and "Disable Two-Factor Authentication".

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::account::masked;
use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, SignedIn};
use super::pages::{render, ConfirmSecondFactorPage, RecoveryKeyPage, TwoFactorEnablePage};
use super::signin::Empty;
use super::FormError;
use crate::app::AppState;
use crate::service::second_factor::{code_pending, resend_wait_for};
use crate::service::sessions::Current;
use crate::service::two_factor::{self, Proof};
use crate::service::{lifetime_words, ServiceError};
use crate::store::codes::CodePurpose;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/two-factor/enable", get(show_enable))
        .route("/account/two-factor/enable/send", post(send_enable))
        .route("/account/two-factor/enable/confirm", post(confirm_enable))
        .route("/account/two-factor/disable", get(show_disable).post(disable))
        .route("/account/two-factor/disable/send", post(send_disable))
}

async fn enable_page(
    state: &AppState,
    c: &Current,
    csrf: &CsrfToken,
    error: Option<String>,
) -> Result<Response, WebError> {
    if two_factor::status(state, c.user.id).await?.0.email_code {
        return Ok(Redirect::to("/account/security").into_response());
    }
    let page = TwoFactorEnablePage {
        chrome: chrome(Some(c), csrf),
        tab: "security",
        verified: c.user.email_verified_at.is_some(),
        masked_email: masked(&c.user.email),
        code_sent: code_pending(state, c.user.id, CodePurpose::Enable).await?,
        code_valid_for: lifetime_words(state.settings.email_code_ttl),
        resend_action: "/account/two-factor/enable/send",
        resend_wait: resend_wait_for(state, c.user.id, CodePurpose::Enable).await?.unwrap_or(0),
        error,
    };
    Ok(render(&page))
}

/// The page again with the error of a failed submission (its status and Retry-After).
async fn enable_error(state: &AppState, c: &Current, csrf: &CsrfToken, e: ServiceError) -> Result<Response, WebError> {
    let err = FormError::from_service(e)?;
    Ok(err.respond(enable_page(state, c, csrf, Some(err.message.clone())).await?))
}

async fn show_enable(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    csrf: CsrfToken,
) -> Result<Response, WebError> {
    enable_page(&state, &c, &csrf, None).await
}

async fn send_enable(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    match two_factor::send_enable_code(&state, &c, &actor).await {
        Ok(()) => Ok(Redirect::to("/account/two-factor/enable").into_response()),
        Err(e) => enable_error(&state, &c, &csrf, e).await,
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

async fn confirm_enable(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    match two_factor::enable(&state, &c, &f.code, &actor).await {
        Ok(Some(key)) => Ok(render(&RecoveryKeyPage {
            chrome: chrome(Some(&c), &csrf),
            intro: "Two-factor authentication is on.".into(),
            key: key.display(),
            error: None,
        })),
        Ok(None) => Ok(Redirect::to("/account/security?notice=email-code-on").into_response()),
        Err(e) => enable_error(&state, &c, &csrf, e).await,
    }
}

/// What a confirmation page is about.
pub struct Confirm {
    pub heading: &'static str,
    pub explanation: &'static str,
    pub action: &'static str,
    pub resend_action: &'static str,
}

pub const DISABLE: Confirm = Confirm {
    heading: "Disable Two-Factor Authentication",
    explanation: "Your account will then be protected by your password only, and your Recovery Key will be deleted.",
    action: "/account/two-factor/disable",
    resend_action: "/account/two-factor/disable/send",
};

/// A page asking for the password and a current second factor (any the account has).
pub async fn confirm_page(
    state: &AppState,
    c: &Current,
    csrf: &CsrfToken,
    what: &Confirm,
    error: Option<String>,
) -> Result<Response, WebError> {
    let factors = two_factor::status(state, c.user.id).await?.0;
    if !factors.two_factor_on() {
        return Ok(Redirect::to("/account/security").into_response());
    }
    let page = ConfirmSecondFactorPage {
        chrome: chrome(Some(c), csrf),
        tab: "security",
        heading: what.heading,
        explanation: what.explanation,
        action: what.action,
        email: c.user.email.clone(),
        masked_email: masked(&c.user.email),
        has_app: factors.authenticator,
        has_email: factors.email_code,
        code_sent: code_pending(state, c.user.id, CodePurpose::Disable).await?,
        resend_action: what.resend_action,
        resend_wait: resend_wait_for(state, c.user.id, CodePurpose::Disable).await?.unwrap_or(0),
        error,
    };
    Ok(render(&page))
}

pub async fn confirm_error(
    state: &AppState,
    c: &Current,
    csrf: &CsrfToken,
    what: &Confirm,
    e: ServiceError,
) -> Result<Response, WebError> {
    let err = FormError::from_service(e)?;
    Ok(err.respond(confirm_page(state, c, csrf, what, Some(err.message.clone())).await?))
}

async fn show_disable(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    csrf: CsrfToken,
) -> Result<Response, WebError> {
    confirm_page(&state, &c, &csrf, &DISABLE, None).await
}

/// "Send verification code" on a confirmation page (a code for changing the second factors).
pub async fn send_confirm_code(
    state: &AppState,
    c: &Current,
    actor: &crate::store::audit::Actor,
    csrf: &CsrfToken,
    what: &Confirm,
) -> Result<Response, WebError> {
    match two_factor::send_disable_code(state, c, actor).await {
        Ok(()) => Ok(Redirect::to(what.action).into_response()),
        Err(e) => confirm_error(state, c, csrf, what, e).await,
    }
}

async fn send_disable(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    send_confirm_code(&state, &c, &actor, &csrf, &DISABLE).await
}

/// The fields of a confirmation page.
#[derive(Deserialize)]
pub struct ConfirmForm {
    pub password: String,
    #[serde(default)]
    pub app_code: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub recovery_key: String,
}

impl ConfirmForm {
    /// The second factor given: the app code, else the emailed code, else the Recovery Key.
    pub fn proof(&self) -> Result<Proof<'_>, ServiceError> {
        match (self.app_code.trim(), self.code.trim(), self.recovery_key.trim()) {
            ("", "", "") => {
                Err(ServiceError::Invalid("Enter a code (from your app or your email), or your Recovery Key.".into()))
            }
            ("", "", key) => Ok(Proof::RecoveryKey(key)),
            ("", code, _) => Ok(Proof::Code(code)),
            (app, _, _) => Ok(Proof::AppCode(app)),
        }
    }
}

async fn disable(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Result<Response, WebError> {
    let result = match f.proof() {
        Ok(proof) => two_factor::disable(&state, &c, &f.password, proof, &actor).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/account/security?notice=two-factor-off").into_response()),
        Err(e) => confirm_error(&state, &c, &csrf, &DISABLE, e).await,
    }
}
