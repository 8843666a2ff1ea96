//! The second step of a sign-in: the emailed code ("Verification Code", "Continue",
//! "Resend code") or "Use your Recovery Key".

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::Cookie;
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, Query};
use super::pages::{render, LoginRecoveryPage, LoginVerifyPage, RecoveryKeyPage};
use super::signin::Empty;
use super::{session_cookie, FormError, PENDING_COOKIE};
use crate::app::AppState;
use crate::domain::signin::SecondStepMethod;
use crate::service::second_factor::resend_wait_for;
use crate::service::{second_step, ServiceError};
use crate::store::codes::CodePurpose;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login/verify", get(show).post(submit_code))
        .route("/login/verify/resend", post(resend))
        .route("/login/recovery", get(show_recovery).post(submit_recovery))
}

fn pending_token(jar: &CookieJar) -> Result<String, WebError> {
    jar.get(PENDING_COOKIE).map(|c| c.value().to_string()).ok_or(WebError::StepExpired)
}

async fn verify_page(
    state: &AppState,
    token: &str,
    csrf: &CsrfToken,
    email_chosen: bool,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let p = second_step::find(state, token).await?;
    let page = LoginVerifyPage {
        chrome: chrome(None, csrf),
        app: p.has_authenticator && !email_chosen,
        has_email: p.has_email_code,
        masked_email: p.masked_email,
        has_recovery_key: p.has_recovery_key,
        resend_action: "/login/verify/resend",
        resend_wait: resend_wait_for(state, p.user.id, CodePurpose::SignIn).await?.unwrap_or(0),
        notice,
        error,
    };
    Ok(render(&page))
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
    method: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    csrf: CsrfToken,
    jar: CookieJar,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let notice = (q.notice.as_deref() == Some("sent"))
        .then(|| "We sent you a new code. Earlier codes no longer work.".to_string());
    let email_chosen = q.method.as_deref() == Some("email");
    verify_page(&state, &pending_token(&jar)?, &csrf, email_chosen, notice, None).await
}

async fn verify_error(
    state: &AppState,
    token: &str,
    csrf: &CsrfToken,
    email_chosen: bool,
    e: ServiceError,
) -> Result<Response, WebError> {
    let err = FormError::from_service(e)?;
    Ok(err.respond(verify_page(state, token, csrf, email_chosen, None, Some(err.message.clone())).await?))
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
    /// "app" or "email".
    #[serde(default)]
    method: String,
}

/// Swaps the pending sign-in's cookie for the session's.
fn signed_in(state: &AppState, jar: CookieJar, session: String) -> CookieJar {
    jar.remove(Cookie::build(PENDING_COOKIE).path("/login")).add(session_cookie(state, session))
}

async fn submit_code(
    State(state): State<AppState>,
    Client(actor): Client,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(f): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    let token = pending_token(&jar)?;
    let method = if f.method == "app" { SecondStepMethod::AuthenticatorApp } else { SecondStepMethod::EmailCode };
    match second_step::with_code(&state, &token, method, &f.code, &actor).await {
        Ok(session) => Ok((signed_in(&state, jar, session.0), Redirect::to("/account")).into_response()),
        Err(e) => verify_error(&state, &token, &csrf, method == SecondStepMethod::EmailCode, e).await,
    }
}

async fn resend(
    State(state): State<AppState>,
    Client(actor): Client,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    let token = pending_token(&jar)?;
    match second_step::resend(&state, &token, &actor).await {
        Ok(()) => Ok(Redirect::to("/login/verify?method=email&notice=sent").into_response()),
        Err(e) => verify_error(&state, &token, &csrf, true, e).await,
    }
}

async fn show_recovery(State(state): State<AppState>, csrf: CsrfToken, jar: CookieJar) -> Result<Response, WebError> {
    second_step::find(&state, &pending_token(&jar)?).await?;
    Ok(render(&LoginRecoveryPage { chrome: chrome(None, &csrf), error: None }))
}

#[derive(Deserialize)]
pub struct RecoveryForm {
    recovery_key: String,
}

async fn submit_recovery(
    State(state): State<AppState>,
    Client(actor): Client,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(f): CsrfForm<RecoveryForm>,
) -> Result<Response, WebError> {
    let token = pending_token(&jar)?;
    match second_step::with_recovery_key(&state, &token, &f.recovery_key, &actor).await {
        Ok((session, key)) => {
            let page = RecoveryKeyPage {
                chrome: chrome(None, &csrf),
                intro: "You logged in with your Recovery Key, so it no longer works. Here is your new one.".into(),
                key: key.display(),
                error: None,
            };
            Ok((signed_in(&state, jar, session.0), render(&page)).into_response())
        }
        Err(e) => {
            let err = FormError::from_service(e)?;
            let page = LoginRecoveryPage { chrome: chrome(None, &csrf), error: Some(err.message.clone()) };
            Ok(err.respond(render(&page)))
        }
    }
}
