//! "Security keys and passkeys" on Security and Credentials: "Add a security key or passkey"
//! (confirmed with the password and a second factor while two-factor authentication is on),
//! the browser's answer, "Rename" and "Remove".

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::account::security_with_error;
use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, Query, SignedIn};
use super::pages::{render, RecoveryKeyPage, SecurityKeyAddPage};
use super::two_factor::{confirm_error, confirm_page, confirm_page_with, confirmation, Confirm, ProofFields};
use super::FormError;
use crate::domain::policy::Requirement;
use crate::i18n::t;
use crate::service::factor::proof;
use crate::service::security_keys::{self, KeyName};
use crate::service::sessions::Current;
use crate::service::ServiceError;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/security-keys/add", post(add))
        .route("/account/security-keys/add/send", post(send_add))
        .route("/account/security-keys/finish", post(finish))
        .route("/account/security-keys/rename", post(rename))
        .route("/account/security-keys/remove", get(show_remove).post(remove))
        .route("/account/security-keys/remove/send", post(send_remove))
}

/// "Add a security key or passkey" while two-factor authentication is on.
const ADD: Confirm = Confirm {
    heading: "web-confirm-key-add-heading",
    explanation: "web-confirm-key-add-explanation",
    action: "/account/security-keys/add",
    resend_action: "/account/security-keys/add/send",
};

const REMOVE: Confirm = Confirm {
    heading: "web-confirm-key-remove-heading",
    explanation: "web-confirm-key-remove-explanation",
    action: "/account/security-keys/remove",
    resend_action: "/account/security-keys/remove/send",
};

#[derive(Deserialize, Default)]
pub struct AddForm {
    #[serde(default)]
    password: Option<String>,
    #[serde(flatten)]
    factor: ProofFields,
}

/// The page with the browser's prompt for a ceremony begun.
fn add_page(c: &Current, csrf: &CsrfToken, (ceremony, options): (String, String), key: Option<String>) -> Response {
    render(&SecurityKeyAddPage {
        chrome: chrome(Some(c), csrf),
        tab: "security",
        ceremony,
        options,
        name: String::new(),
        new_recovery_key: key,
        error: None,
    })
}

/// Where a refusal shows: on the set-up page for a member held there, else on Security and
/// Credentials.
async fn add_error(state: &AppState, c: &Current, csrf: &CsrfToken, e: ServiceError) -> Result<Response, WebError> {
    if c.requirement == Requirement::EnrolNow {
        let app = super::enrol::waiting_app(state, c).await?;
        if let Some(page) = super::enrol::page(c, csrf, None, Some(e.to_string()), app) {
            return Ok(FormError::from_service(e)?.respond(render(&page)));
        }
    }
    security_with_error(state, c, csrf, e).await
}

async fn add(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<AddForm>,
) -> Result<Response, WebError> {
    if c.factors.two_factor_on() && f.password.is_none() {
        return confirm_page(&state, &c, &csrf, &ADD, None).await;
    }
    // The name is asked on the next page, beside the browser's prompt.
    let begun = match confirmation(f.password.as_deref(), &f.factor) {
        Ok(conf) => security_keys::begin_add(&state, &c, conf, &actor).await,
        Err(e) => Err(e),
    };
    match begun {
        Ok((ceremony, key)) => {
            Ok(add_page(&c, &csrf, (ceremony.id, ceremony.options), key.map(|k| k.display().to_string())))
        }
        Err(e) if c.factors.two_factor_on() => confirm_error(&state, &c, &csrf, &ADD, e).await,
        Err(e) => add_error(&state, &c, &csrf, e).await,
    }
}

async fn send_add(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(_): CsrfForm<super::signin::Empty>,
) -> Result<Response, WebError> {
    match proof::send_code(&state, &c, &actor).await {
        Ok(()) => confirm_page(&state, &c, &csrf, &ADD, None).await,
        Err(e) => confirm_error(&state, &c, &csrf, &ADD, e).await,
    }
}

#[derive(Deserialize)]
pub struct FinishForm {
    ceremony: String,
    #[serde(default)]
    response: String,
    #[serde(default)]
    name: String,
}

async fn finish(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<FinishForm>,
) -> Result<Response, WebError> {
    let done = match (KeyName::parse(&f.name), f.response.trim()) {
        (Err(e), _) => Err(e),
        (_, "") => Err(ServiceError::Invalid(crate::service::factor::security_key::NO_ANSWER)),
        (Ok(name), response) => security_keys::finish_add(&state, &c, &f.ceremony, &name, response, &actor).await,
    };
    match done {
        // An application waiting for this set-up is where "Done" goes on to.
        Ok(Some(key)) => Ok(render(&RecoveryKeyPage {
            chrome: chrome(Some(&c), &csrf),
            intro: t("web-recovery-key-intro-key-added"),
            key: key.display(),
            error: None,
            then: c.session.continue_to.as_ref().map(|s| format!("continue:{s}")).unwrap_or_default(),
        })),
        Ok(None) => match &c.session.continue_to {
            Some(sealed) => Ok(Redirect::to(&super::signin::continue_path(sealed)).into_response()),
            None => Ok(Redirect::to("/account/security?notice=security-key-added").into_response()),
        },
        Err(e) => add_error(&state, &c, &csrf, e).await,
    }
}

#[derive(Deserialize)]
pub struct RenameForm {
    key: i64,
    name: String,
}

async fn rename(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<RenameForm>,
) -> Result<Response, WebError> {
    let renamed = match KeyName::parse(&f.name) {
        Ok(name) => security_keys::rename(&state, &c, f.key, &name, &actor).await,
        Err(e) => Err(e),
    };
    match renamed {
        Ok(()) => Ok(Redirect::to("/account/security?notice=security-key-renamed").into_response()),
        Err(e) => security_with_error(&state, &c, &csrf, e).await,
    }
}

#[derive(Deserialize)]
pub struct WhichKey {
    key: i64,
}

fn which(key: i64) -> Vec<(&'static str, String)> {
    vec![("key", key.to_string())]
}

async fn show_remove(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<WhichKey>,
) -> Result<Response, WebError> {
    confirm_page_with(&state, &c, &csrf, &REMOVE, None, which(q.key)).await
}

async fn send_remove(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(q): CsrfForm<WhichKey>,
) -> Result<Response, WebError> {
    let error = proof::send_code(&state, &c, &actor).await.err();
    let error = match error {
        Some(e) => Some(FormError::from_service(e)?.message),
        None => None,
    };
    confirm_page_with(&state, &c, &csrf, &REMOVE, error, which(q.key)).await
}

/// The confirmation's fields and the key (a string: flattened form fields arrive as text).
#[derive(Deserialize)]
pub struct RemoveForm {
    key: String,
    password: String,
    #[serde(flatten)]
    factor: ProofFields,
}

async fn remove(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<RemoveForm>,
) -> Result<Response, WebError> {
    let Ok(key) = f.key.trim().parse::<i64>() else {
        return Err(WebError::NotFound);
    };
    let result = match f.factor.proof() {
        Ok(proof) => security_keys::remove(&state, &c, key, &f.password, proof, &actor).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(None) => Ok(Redirect::to("/account/security?notice=security-key-removed").into_response()),
        Ok(Some(key)) => {
            Ok(super::recovery_key::new_key_page(&c, &csrf, &t("web-recovery-key-intro-key-removed"), &key))
        }
        Err(e) => {
            let err = FormError::from_service(e)?;
            let page = confirm_page_with(&state, &c, &csrf, &REMOVE, Some(err.message.clone()), which(key)).await?;
            Ok(err.respond(page))
        }
    }
}
