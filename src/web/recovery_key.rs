//! The Recovery Key pop-up's buttons ("Download", "Done") and "Regenerate Recovery Key".

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use serde::Deserialize;

use super::account::security_with_error;
use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, SignedIn};
use super::pages::{render, RecoveryKeyPage};
use crate::domain::recovery_key::RecoveryKey;
use crate::i18n::t;
use crate::service::oidc::authorize;
use crate::service::sessions::Current;
use crate::service::{recovery_key, ServiceError};
use crate::state::AppState;

pub const FILE_NAME: &str = "latchkey-recovery-key.txt";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/recovery-key/regenerate", post(regenerate))
        .route("/account/recovery-key/download", post(download))
        .route("/account/recovery-key/saved", post(saved))
}

/// The pop-up that shows a new Recovery Key once, with `intro` (in the reader's language)
/// saying why there is one.
pub fn new_key_page(c: &Current, csrf: &CsrfToken, intro: &str, key: &RecoveryKey) -> Response {
    new_key_page_then(c, csrf, intro, key, "")
}

/// The same, with "Done" going on to `then` ("authenticator-setup": the set-up begun) instead
/// of the Security tab.
pub fn new_key_page_then(
    c: &Current,
    csrf: &CsrfToken,
    intro: &str,
    key: &RecoveryKey,
    then: &'static str,
) -> Response {
    render(&RecoveryKeyPage {
        chrome: chrome(Some(c), csrf),
        intro: intro.into(),
        key: key.display(),
        error: None,
        then: then.into(),
    })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    password: String,
}

async fn regenerate(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> Result<Response, WebError> {
    match recovery_key::regenerate(&state, &c, &f.password, &actor).await {
        Ok(key) => Ok(render(&RecoveryKeyPage {
            chrome: chrome(Some(&c), &csrf),
            intro: t("web-recovery-key-intro-regenerated"),
            key: key.display(),
            error: None,
            then: String::new(),
        })),
        Err(e) => security_with_error(&state, &c, &csrf, e).await,
    }
}

#[derive(Deserialize)]
pub struct KeyForm {
    key: String,
}

async fn download(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    CsrfForm(f): CsrfForm<KeyForm>,
) -> Result<Response, WebError> {
    let key = RecoveryKey::parse(&f.key).map_err(|e| WebError::from(ServiceError::invalid(e)))?;
    let text = recovery_key::file(&state, &c, &key, &actor).await?;
    let disposition = format!("attachment; filename=\"{FILE_NAME}\"");
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        text,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct SavedForm {
    key: String,
    #[serde(default)]
    saved: String,
    #[serde(default)]
    then: String,
}

/// "Done": on to what comes next. An application (or a page behind the proxy) waiting for this
/// sign-in or set-up comes first: from the form (a Recovery Key sign-in), or kept with the
/// session (a set-up that held the member).
async fn saved(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<SavedForm>,
) -> Result<Response, WebError> {
    let from_form = f.then.strip_prefix("continue:").filter(|s| authorize::genuine(&state, s)).map(str::to_string);
    let waiting = from_form.or(c.session.continue_to.clone());
    match (f.saved.as_str(), f.then.as_str(), waiting) {
        ("yes", "authenticator-setup", _) => return Ok(Redirect::to("/account/authenticator/setup").into_response()),
        ("yes", _, Some(sealed)) => return Ok(Redirect::to(&super::signin::continue_path(&sealed)).into_response()),
        ("yes", _, None) => return Ok(Redirect::to("/account/security?notice=recovery-key-saved").into_response()),
        _ => {}
    }
    let then = match f.then.as_str() {
        "authenticator-setup" => "authenticator-setup".to_string(),
        t if t.starts_with("continue:") => t.to_string(),
        _ => String::new(),
    };
    let page = RecoveryKeyPage {
        chrome: chrome(Some(&c), &csrf),
        intro: t("web-recovery-key-intro-not-saved"),
        key: f.key,
        error: Some(t("web-recovery-key-error-not-saved")),
        then,
    };
    Ok((axum::http::StatusCode::BAD_REQUEST, render(&page)).into_response())
}
