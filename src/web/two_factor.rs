//! "Enable Two-Factor Authentication" and "Disable Two-Factor Authentication".

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::account::masked;
use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, SignedIn};
use super::pages::{render, RecoveryKeyPage, TwoFactorDisablePage, TwoFactorEnablePage};
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
    if two_factor::status(state, c.user.id).await?.0.two_factor_on() {
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
        resend_wait: resend_wait_for(state, c.user.id, CodePurpose::Enable)
            .await?
            .unwrap_or(0),
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
        Ok(key) => Ok(render(&RecoveryKeyPage {
            chrome: chrome(Some(&c), &csrf),
            intro: "Two-factor authentication is on.".into(),
            key: key.display(),
            error: None,
        })),
        Err(e) => enable_error(&state, &c, &csrf, e).await,
    }
}

async fn disable_page(
    state: &AppState,
    c: &Current,
    csrf: &CsrfToken,
    error: Option<String>,
) -> Result<Response, WebError> {
    if !two_factor::status(state, c.user.id).await?.0.two_factor_on() {
        return Ok(Redirect::to("/account/security").into_response());
    }
    let page = TwoFactorDisablePage {
        chrome: chrome(Some(c), csrf),
        tab: "security",
        email: c.user.email.clone(),
        masked_email: masked(&c.user.email),
        code_sent: code_pending(state, c.user.id, CodePurpose::Disable).await?,
        resend_action: "/account/two-factor/disable/send",
        resend_wait: resend_wait_for(state, c.user.id, CodePurpose::Disable)
            .await?
            .unwrap_or(0),
        error,
    };
    Ok(render(&page))
}

async fn disable_error(state: &AppState, c: &Current, csrf: &CsrfToken, e: ServiceError) -> Result<Response, WebError> {
    let err = FormError::from_service(e)?;
    Ok(err.respond(disable_page(state, c, csrf, Some(err.message.clone())).await?))
}

async fn show_disable(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    csrf: CsrfToken,
) -> Result<Response, WebError> {
    disable_page(&state, &c, &csrf, None).await
}

async fn send_disable(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    match two_factor::send_disable_code(&state, &c, &actor).await {
        Ok(()) => Ok(Redirect::to("/account/two-factor/disable").into_response()),
        Err(e) => disable_error(&state, &c, &csrf, e).await,
    }
}

#[derive(Deserialize)]
pub struct DisableForm {
    password: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    recovery_key: String,
}

async fn disable(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<DisableForm>,
) -> Result<Response, WebError> {
    let proof = match (f.code.trim(), f.recovery_key.trim()) {
        ("", "") => {
            let e = ServiceError::Invalid("Enter the verification code we emailed you, or your Recovery Key.".into());
            return disable_error(&state, &c, &csrf, e).await;
        }
        ("", key) => Proof::RecoveryKey(key),
        (code, _) => Proof::Code(code),
    };
    match two_factor::disable(&state, &c, &f.password, proof, &actor).await {
        Ok(()) => Ok(Redirect::to("/account/security?notice=two-factor-off").into_response()),
        Err(e) => disable_error(&state, &c, &csrf, e).await,
    }
}
