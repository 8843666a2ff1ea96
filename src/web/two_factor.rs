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
use crate::domain::codes::OneTimeCode;
use crate::domain::factor::CodePurpose;
use crate::domain::recovery_key::RecoveryKey;
use crate::i18n::{t, Msg};
use crate::service::factor::email_code;
use crate::service::factor::proof::{self, Confirmation, Proof};
use crate::service::sessions::Current;
use crate::service::two_factor;
use crate::service::ServiceError;
use crate::state::AppState;

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
    if c.factors.email_code {
        return Ok(Redirect::to("/account/security").into_response());
    }
    let code = email_code::status(state, c.user.id, CodePurpose::Enable).await?;
    let valid_for = i64::try_from(state.settings.email_code_ttl.as_secs()).unwrap_or(i64::MAX);
    let page = TwoFactorEnablePage {
        chrome: chrome(Some(c), csrf),
        tab: "security",
        verified: c.user.email_verified_at.is_some(),
        email: c.user.email.clone(),
        masked_email: masked(&c.user.email),
        confirm: c.factors.two_factor_on(),
        has_app: c.factors.authenticator,
        code_sent: code.usable,
        code_valid_for: crate::i18n::current().lifetime(valid_for),
        resend_action: "/account/two-factor/enable/send",
        resend_wait: code.resend_in,
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
pub struct EnableForm {
    code: String,
    /// With two-factor authentication already on: the password and a current second factor.
    #[serde(default)]
    password: Option<String>,
    #[serde(flatten)]
    factor: ProofFields,
}

async fn confirm_enable(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<EnableForm>,
) -> Result<Response, WebError> {
    let result = async {
        let code = OneTimeCode::parse(&f.code).map_err(ServiceError::invalid)?;
        let confirmation = confirmation(f.password.as_deref(), &f.factor)?;
        two_factor::enable(&state, &c, &code, confirmation, &actor).await
    };
    match result.await {
        // With two-factor authentication already on, a new key means the old one was the proof.
        Ok(Some(key)) if c.factors.two_factor_on() => {
            Ok(super::recovery_key::new_key_page(&c, &csrf, &t("web-recovery-key-intro-email-code-on"), &key))
        }
        Ok(Some(key)) => Ok(render(&RecoveryKeyPage {
            chrome: chrome(Some(&c), &csrf),
            intro: t("web-recovery-key-intro-two-factor-on"),
            key: key.display(),
            error: None,
            then: String::new(),
        })),
        Ok(None) => Ok(Redirect::to("/account/security?notice=email-code-on").into_response()),
        Err(e) => enable_error(&state, &c, &csrf, e).await,
    }
}

/// What a confirmation page is about. `heading` and `explanation` are the ids of their texts.
pub struct Confirm {
    pub heading: &'static str,
    pub explanation: &'static str,
    pub action: &'static str,
    pub resend_action: &'static str,
}

pub const DISABLE: Confirm = Confirm {
    heading: "web-confirm-disable-heading",
    explanation: "web-confirm-disable-explanation",
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
    confirm_page_with(state, c, csrf, what, error, Vec::new()).await
}

/// The same, with fields its forms carry back (which key is being removed).
pub async fn confirm_page_with(
    state: &AppState,
    c: &Current,
    csrf: &CsrfToken,
    what: &Confirm,
    error: Option<String>,
    hidden: Vec<(&'static str, String)>,
) -> Result<Response, WebError> {
    let factors = c.factors;
    if !factors.two_factor_on() {
        return Ok(Redirect::to("/account/security").into_response());
    }
    let key =
        proof::begin_key(state, c).await?.map(|k| crate::web::pages::KeyPrompt { ceremony: k.id, options: k.options });
    let code = email_code::status(state, c.user.id, CodePurpose::Disable).await?;
    let page = ConfirmSecondFactorPage {
        chrome: chrome(Some(c), csrf),
        tab: "security",
        heading: t(what.heading),
        explanation: t(what.explanation),
        action: what.action,
        email: c.user.email.clone(),
        masked_email: masked(&c.user.email),
        has_app: factors.authenticator,
        has_email: factors.email_code,
        code_sent: code.usable,
        resend_action: what.resend_action,
        resend_wait: code.resend_in,
        error,
        hidden,
        key,
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
    match proof::send_code(state, c, actor).await {
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

/// The second-factor fields of a confirmation: one of them is filled in.
#[derive(Deserialize, Default)]
pub struct ProofFields {
    #[serde(default)]
    pub app_code: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub recovery_key: String,
    /// A security key's answer to the page's challenge.
    #[serde(default)]
    pub key_ceremony: String,
    #[serde(default)]
    pub key_response: String,
}

impl ProofFields {
    /// The second factor given, parsed: the app code, else the emailed code, else the
    /// Recovery Key.
    pub fn proof(&self) -> Result<Proof, ServiceError> {
        let code = |s: &str| OneTimeCode::parse(s).map_err(ServiceError::invalid);
        if !self.key_response.trim().is_empty() {
            let (ceremony, response) = (self.key_ceremony.clone(), self.key_response.clone());
            return Ok(Proof::SecurityKey { ceremony, response });
        }
        match (self.app_code.trim(), self.code.trim(), self.recovery_key.trim()) {
            ("", "", "") => Err(ServiceError::Invalid(Msg::new("web-confirm-proof-missing"))),
            ("", "", key) => Ok(Proof::RecoveryKey(RecoveryKey::parse(key).map_err(ServiceError::invalid)?)),
            ("", typed, _) => Ok(Proof::EmailCode(code(typed)?)),
            (app, _, _) => Ok(Proof::AppCode(code(app)?)),
        }
    }
}

/// The confirmation a new way in needs when the form carried one (two-factor authentication
/// is on: the page asked for it).
pub fn confirmation<'a>(
    password: Option<&'a str>,
    fields: &ProofFields,
) -> Result<Option<Confirmation<'a>>, ServiceError> {
    match password {
        None => Ok(None),
        Some(password) => Ok(Some(Confirmation { password, proof: fields.proof()? })),
    }
}

/// The fields of a confirmation page.
#[derive(Deserialize)]
pub struct ConfirmForm {
    pub password: String,
    #[serde(flatten)]
    pub factor: ProofFields,
}

async fn disable(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Result<Response, WebError> {
    let result = match f.factor.proof() {
        Ok(proof) => two_factor::disable(&state, &c, &f.password, proof, &actor).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/account/security?notice=two-factor-off").into_response()),
        Err(e) => confirm_error(&state, &c, &csrf, &DISABLE, e).await,
    }
}
