//! The "Authenticator App" row: "Set Up" (QR code, "Verify"), the QR image, and "Remove".

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::account::security_with_error;
use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, SignedIn};
use super::pages::{render, AuthenticatorDonePage, AuthenticatorSetupPage, RecoveryKeyPage};
use super::signin::Empty;
use super::two_factor::{
    confirm_error, confirm_page, confirmation, send_confirm_code, Confirm, ConfirmForm, ProofFields,
};
use super::FormError;
use crate::domain::codes::OneTimeCode;
use crate::i18n::t;
use crate::service::sessions::Current;
use crate::service::{authenticator, ServiceError};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/authenticator/setup", get(show_setup).post(start_setup))
        .route("/account/authenticator/setup/send", post(send_setup))
        .route("/account/authenticator/qr.png", get(qr))
        .route("/account/authenticator/verify", post(verify))
        .route("/account/authenticator/remove", get(show_remove).post(remove))
        .route("/account/authenticator/remove/send", post(send_remove))
}

const REMOVE: Confirm = Confirm {
    heading: "web-confirm-authenticator-remove-heading",
    explanation: "web-confirm-authenticator-remove-explanation",
    action: "/account/authenticator/remove",
    resend_action: "/account/authenticator/remove/send",
};

/// "Set Up" while two-factor authentication is on: a new way in needs the password and a
/// current second factor.
const SET_UP: Confirm = Confirm {
    heading: "web-confirm-authenticator-setup-heading",
    explanation: "web-confirm-authenticator-setup-explanation",
    action: "/account/authenticator/setup",
    resend_action: "/account/authenticator/setup/send",
};

/// "Set Up": with the password and a current second factor when two-factor authentication is
/// on (the first press shows the page that asks for them).
#[derive(Deserialize, Default)]
pub struct SetupForm {
    #[serde(default)]
    password: Option<String>,
    #[serde(flatten)]
    factor: ProofFields,
}

async fn start_setup(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<SetupForm>,
) -> Result<Response, WebError> {
    if c.factors.two_factor_on() && f.password.is_none() {
        return confirm_page(&state, &c, &csrf, &SET_UP, None).await;
    }
    let started = match confirmation(f.password.as_deref(), &f.factor) {
        Ok(conf) => authenticator::start(&state, &c, conf, &actor).await,
        Err(e) => Err(e),
    };
    match started {
        Ok(None) => Ok(Redirect::to("/account/authenticator/setup").into_response()),
        Ok(Some(key)) => Ok(super::recovery_key::new_key_page_then(
            &c,
            &csrf,
            &t("web-recovery-key-intro-authenticator-setup"),
            &key,
            "authenticator-setup",
        )),
        Err(e) if c.factors.two_factor_on() => confirm_error(&state, &c, &csrf, &SET_UP, e).await,
        Err(e) => {
            match super::enrol::page(&c, &csrf, None, Some(e.to_string()), super::enrol::waiting_app(&state, &c).await?)
            {
                // Held by the policy: the error shows on the set-up page, not the Security tab.
                Some(page) if c.requirement == crate::domain::policy::Requirement::EnrolNow => {
                    Ok(FormError::from_service(e)?.respond(render(&page)))
                }
                _ => security_with_error(&state, &c, &csrf, e).await,
            }
        }
    }
}

async fn setup_page(
    state: &AppState,
    c: &Current,
    csrf: &CsrfToken,
    error: Option<String>,
) -> Result<Response, WebError> {
    match authenticator::pending(state, c).await? {
        Some(view) => Ok(setup_view(c, csrf, view, error)),
        None => Ok(Redirect::to("/account/security").into_response()),
    }
}

fn setup_view(c: &Current, csrf: &CsrfToken, view: authenticator::SetupView, error: Option<String>) -> Response {
    render(&AuthenticatorSetupPage {
        chrome: chrome(Some(c), csrf),
        tab: "security",
        secret: view.grouped_secret,
        error,
    })
}

/// The set-up in progress; before one, with two-factor authentication on, the page that asks
/// for the password and a current second factor (where "Send verification code" returns).
async fn show_setup(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    csrf: CsrfToken,
) -> Result<Response, WebError> {
    match authenticator::pending(&state, &c).await? {
        Some(view) => Ok(setup_view(&c, &csrf, view, None)),
        None if c.factors.two_factor_on() => confirm_page(&state, &c, &csrf, &SET_UP, None).await,
        None => Ok(Redirect::to("/account/security").into_response()),
    }
}

async fn qr(State(state): State<AppState>, SignedIn(c): SignedIn) -> Result<Response, WebError> {
    let png = authenticator::qr_png(&state, &c).await?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

async fn verify(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    let verified = match OneTimeCode::parse(&f.code) {
        Ok(code) => authenticator::verify(&state, &c, &code, &actor).await,
        Err(e) => Err(ServiceError::invalid(e)),
    };
    match verified {
        Ok(Some(key)) => Ok(render(&RecoveryKeyPage {
            chrome: chrome(Some(&c), &csrf),
            intro: t("web-recovery-key-intro-authenticator-added"),
            key: key.display(),
            error: None,
            then: String::new(),
        })),
        Ok(None) => Ok(render(&AuthenticatorDonePage { chrome: chrome(Some(&c), &csrf) })),
        // The set-up is gone (ended, or replaced): the error shows on the Security tab.
        Err(e) if authenticator::pending(&state, &c).await?.is_none() => {
            security_with_error(&state, &c, &csrf, e).await
        }
        Err(e) => {
            let err = FormError::from_service(e)?;
            Ok(err.respond(setup_page(&state, &c, &csrf, Some(err.message.clone())).await?))
        }
    }
}

async fn send_setup(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    send_confirm_code(&state, &c, &actor, &csrf, &SET_UP).await
}

async fn show_remove(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    csrf: CsrfToken,
) -> Result<Response, WebError> {
    confirm_page(&state, &c, &csrf, &REMOVE, None).await
}

async fn send_remove(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    send_confirm_code(&state, &c, &actor, &csrf, &REMOVE).await
}

async fn remove(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Result<Response, WebError> {
    let result = match f.factor.proof() {
        Ok(proof) => authenticator::remove(&state, &c, &f.password, proof, &actor).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(None) => Ok(Redirect::to("/account/security?notice=authenticator-removed").into_response()),
        Ok(Some(key)) => {
            Ok(super::recovery_key::new_key_page(&c, &csrf, &t("web-recovery-key-intro-authenticator-removed"), &key))
        }
        Err(e) => confirm_error(&state, &c, &csrf, &REMOVE, e).await,
    }
}
