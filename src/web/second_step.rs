//! The second step of a sign-in: the code the page asks for ("Continue"), "Resend code",
//! switching between the app and email, and "Use your Recovery Key". Every page renders from
//! the pending sign-in's stored state.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::Cookie;
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken};
use super::pages::{render, KeyPrompt, LoginRecoveryPage, LoginVerifyPage, RecoveryKeyPage};
use super::signin::Empty;
use super::{with_session, FormError, PENDING_COOKIE, SESSION_COOKIE};
use crate::domain::codes::OneTimeCode;
use crate::domain::factor::Method;
use crate::domain::recovery_key::RecoveryKey;
use crate::domain::signin::{CodeNote, Continuation, Return};
use crate::i18n::{t, Msg};
use crate::service::factor::security_key::Ceremony;
use crate::service::signin::second_step::{self, StepView};
use crate::service::{sessions, ServiceError};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login/verify", get(show).post(submit_code))
        .route("/login/verify/resend", post(resend))
        .route("/login/verify/switch", post(switch))
        .route("/login/verify/key", post(submit_key))
        .route("/login/recovery", get(show_recovery).post(submit_recovery))
}

fn pending_token(jar: &CookieJar) -> Result<String, WebError> {
    jar.get(PENDING_COOKIE).map(|c| c.value().to_string()).ok_or(WebError::StepExpired)
}

/// The page for a state: the code sentence says only what happened. `key`: the challenge for
/// "Use your security key" when the page asks for the key.
fn verify_page(v: StepView, key: Option<Ceremony>, csrf: &CsrfToken, error: Option<String>) -> Response {
    let (sent, resend_wait, note) = match v.code {
        CodeNote::Sent { resend_in } => (true, resend_in, None),
        CodeNote::Expired => (false, 0, Some(t("web-second-step-code-expired"))),
        CodeNote::TriedOut => (false, 0, Some(t("web-second-step-code-tried-out"))),
        // The hourly cap stopped this sign-in's code (the countdown beside "Resend code" says when).
        CodeNote::Capped { wait } => (false, wait, Some(t("web-second-step-code-capped"))),
        CodeNote::NotSent => (false, 0, Some(t("web-second-step-code-not-sent"))),
    };
    let page = LoginVerifyPage {
        chrome: chrome(None, csrf),
        app: v.current == Method::AuthenticatorApp,
        key_step: v.current == Method::SecurityKey,
        has_app: v.offered.authenticator,
        key: key.map(|k| KeyPrompt { ceremony: k.id, options: k.options }),
        has_key: v.offered.security_key,
        has_email: v.offered.email_code,
        code_sent: sent,
        code_note: note,
        masked_email: v.masked_email,
        has_recovery_key: v.offered.recovery_key,
        resend_action: "/login/verify/resend",
        resend_wait,
        remember_days: v.remember_days,
        error,
    };
    render(&page)
}

/// The page, with a new challenge when it asks for the security key.
async fn page(state: &AppState, token: &str, csrf: &CsrfToken, error: Option<String>) -> Result<Response, WebError> {
    let view = second_step::show(state, token).await?;
    let (key, error) = match view.current {
        Method::SecurityKey => match second_step::key_ceremony(state, token).await {
            Ok(key) => (key, error),
            // Keys cannot be used at this address: said, with the other ways in.
            Err(ServiceError::Invalid(why)) => (None, Some(why.to_string())),
            Err(e) => return Err(e.into()),
        },
        _ => (None, error),
    };
    Ok(verify_page(view, key, csrf, error))
}

async fn show(State(state): State<AppState>, csrf: CsrfToken, jar: CookieJar) -> Result<Response, WebError> {
    page(&state, &pending_token(&jar)?, &csrf, None).await
}

/// The page again after a refused submission, with its status. A refusal that the page's
/// state already explains (a cooldown, the hourly cap) is not said twice.
async fn verify_error(state: &AppState, token: &str, csrf: &CsrfToken, e: ServiceError) -> Result<Response, WebError> {
    let view = second_step::show(state, token).await?;
    // The cooldown's countdown and a capped sign-in's note are on the page already.
    let said_by_page = matches!(e, ServiceError::Cooldown { .. })
        || matches!((&e, view.code), (ServiceError::CodeCapped { .. }, CodeNote::Capped { .. }));
    let err = FormError::from_service(e)?;
    let message = (!said_by_page).then(|| err.message.clone());
    Ok(err.respond(page(state, token, csrf, message).await?))
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
    /// "Remember this device for N days" (a checkbox: present when ticked).
    remember: Option<String>,
}

fn ticked(remember: &Option<String>) -> bool {
    remember.as_deref().is_some_and(|v| !v.is_empty())
}

/// Swaps the pending sign-in's cookie for the session's; the session the browser kept through
/// the second step (the same member's) is replaced.
async fn signed_in(state: &AppState, jar: CookieJar, session: String) -> Result<CookieJar, WebError> {
    if let Some(old) = jar.get(SESSION_COOKIE) {
        sessions::replace(state, old.value(), &session).await?;
    }
    Ok(with_session(state, jar.remove(Cookie::build(PENDING_COOKIE).path("/login")), session))
}

/// Where a second step that was checked leads: on to where the sign-in was going, or the page
/// again with why not.
async fn finished(
    state: &AppState,
    jar: CookieJar,
    (token, csrf): (&str, &CsrfToken),
    done: Result<second_step::Finished, ServiceError>,
) -> Result<Response, WebError> {
    match done {
        Ok(done) => {
            let to = super::signin::destination(&done.then);
            Ok((signed_in(state, jar, done.session.0).await?, Redirect::to(&to)).into_response())
        }
        Err(e) => verify_error(state, token, csrf, e).await,
    }
}

async fn submit_code(
    State(state): State<AppState>,
    Client(mut actor): Client,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(f): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    let token = pending_token(&jar)?;
    let jar = super::devices::ensure(&state, jar, &mut actor);
    let done = match OneTimeCode::parse(&f.code) {
        Ok(code) => second_step::with_code(&state, &token, &code, ticked(&f.remember), &actor).await,
        Err(e) => Err(ServiceError::invalid(e)),
    };
    finished(&state, jar, (&token, &csrf), done).await
}

#[derive(Deserialize)]
pub struct KeyForm {
    ceremony: String,
    #[serde(default)]
    response: String,
    remember: Option<String>,
}

/// "Use your security key": the browser's answer to the page's challenge.
async fn submit_key(
    State(state): State<AppState>,
    Client(mut actor): Client,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(f): CsrfForm<KeyForm>,
) -> Result<Response, WebError> {
    let token = pending_token(&jar)?;
    let jar = super::devices::ensure(&state, jar, &mut actor);
    let remember = ticked(&f.remember);
    let done = match f.response.trim() {
        "" => Err(ServiceError::Invalid(crate::service::factor::security_key::NO_ANSWER)),
        response => second_step::with_security_key(&state, &token, (&f.ceremony, response), remember, &actor).await,
    };
    finished(&state, jar, (&token, &csrf), done).await
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
        Ok(_) => Ok(Redirect::to("/login/verify").into_response()),
        Err(e) => verify_error(&state, &token, &csrf, e).await,
    }
}

#[derive(Deserialize)]
pub struct SwitchForm {
    method: String,
}

async fn switch(
    State(state): State<AppState>,
    Client(actor): Client,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(f): CsrfForm<SwitchForm>,
) -> Result<Response, WebError> {
    let token = pending_token(&jar)?;
    let switched = match Method::parse(&f.method) {
        Some(to) => second_step::switch(&state, &token, to, &actor).await,
        None => Err(ServiceError::Invalid(Msg::new("web-second-step-choose-method"))),
    };
    match switched {
        Ok(_) => Ok(Redirect::to("/login/verify").into_response()),
        Err(e) => verify_error(&state, &token, &csrf, e).await,
    }
}

async fn show_recovery(State(state): State<AppState>, csrf: CsrfToken, jar: CookieJar) -> Result<Response, WebError> {
    let view = second_step::show(&state, &pending_token(&jar)?).await?;
    Ok(render(&LoginRecoveryPage { chrome: chrome(None, &csrf), remember_days: view.remember_days, error: None }))
}

#[derive(Deserialize)]
pub struct RecoveryForm {
    recovery_key: String,
    remember: Option<String>,
}

async fn submit_recovery(
    State(state): State<AppState>,
    Client(mut actor): Client,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(f): CsrfForm<RecoveryForm>,
) -> Result<Response, WebError> {
    let token = pending_token(&jar)?;
    let jar = super::devices::ensure(&state, jar, &mut actor);
    let done = match RecoveryKey::parse(&f.recovery_key) {
        Ok(key) => second_step::with_recovery_key(&state, &token, &key, ticked(&f.remember), &actor).await,
        Err(e) => Err(ServiceError::invalid(e)),
    };
    match done {
        Ok((done, key)) => {
            // "Done" goes on to where the sign-in was going.
            let then = match &done.then {
                Return::Account => String::new(),
                Return::Continue(Continuation(sealed)) => format!("continue:{sealed}"),
            };
            let page = RecoveryKeyPage {
                chrome: chrome(None, &csrf),
                intro: t("web-recovery-key-intro-signed-in-with-key"),
                key: key.display(),
                error: None,
                then,
            };
            Ok((signed_in(&state, jar, done.session.0).await?, render(&page)).into_response())
        }
        Err(e) => {
            let err = FormError::from_service(e)?;
            let remember_days = second_step::show(&state, &token).await.ok().and_then(|v| v.remember_days);
            let page =
                LoginRecoveryPage { chrome: chrome(None, &csrf), remember_days, error: Some(err.message.clone()) };
            Ok(err.respond(render(&page)))
        }
    }
}
