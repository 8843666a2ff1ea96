//! "Log in" and "Log out".

use super::locale::{lang_cookie, BrowserLang};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{Client, CsrfForm, CsrfToken, MaybeSignedIn, Query, SignedIn};
use super::pages::{render, LoginPage};
use super::{pending_cookie, with_session, without_session, FormError, REQUIRED_PAGE, SESSION_COOKIE};
use crate::domain::email::EmailAddress;
use crate::domain::signin::{Continuation, Return};
use crate::i18n::Msg;
use crate::service::oidc::{authorize, continuation};
use crate::service::signin::{passkey, SignInOutcome};
use crate::service::{sessions, signin, ServiceError};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(show).post(submit))
        .route("/login/passkey/options", post(passkey_options))
        .route("/login/passkey", post(passkey))
        .route("/logout", post(logout))
}

async fn home(MaybeSignedIn(current): MaybeSignedIn) -> Redirect {
    match current {
        Some(_) => Redirect::to("/account"),
        None => Redirect::to("/login"),
    }
}

#[derive(Deserialize)]
pub struct LoginQuery {
    notice: Option<String>,
    /// Where to continue afterwards (sealed by Latchkey: an application's request).
    #[serde(rename = "continue")]
    continue_to: Option<String>,
    /// A page behind forward-auth to return to (taken only on a configured domain).
    rd: Option<String>,
}

/// Where a finished sign-in sends the browser.
pub fn destination(then: &Return) -> String {
    match then {
        Return::Account => "/account".into(),
        Return::Continue(Continuation(sealed)) => continue_path(sealed),
    }
}

/// The address that decides a continuation for the browser's session.
pub fn continue_path(sealed: &str) -> String {
    let to: String = url::form_urlencoded::byte_serialize(sealed.as_bytes()).collect();
    format!("/continue?to={to}")
}

/// The notices other flows may send people back to "Log in" with: the id of each one's text.
fn notice_text(key: &str) -> Option<&'static str> {
    match key {
        "signed-out" => Some("web-login-notice-signed-out"),
        "signed-out-everywhere" => Some("web-login-notice-signed-out-everywhere"),
        "password-set" => Some("web-login-notice-password-set"),
        "password-reset" => Some("web-login-notice-password-reset"),
        "expired" => Some("web-login-notice-expired"),
        "step-expired" => Some("web-login-notice-step-expired"),
        _ => None,
    }
}

/// "Log in". With somewhere to continue to, the form is shown even to a signed-in person (an
/// application asked for a new sign-in, or for a second factor this session did not give).
async fn show(
    State(state): State<AppState>,
    MaybeSignedIn(current): MaybeSignedIn,
    csrf: CsrfToken,
    Query(q): Query<LoginQuery>,
) -> Result<Response, WebError> {
    let sealed = match (q.continue_to, q.rd) {
        (Some(c), _) => Some(c),
        (None, Some(rd)) => continuation::page(&state, &rd).map(|t| continuation::seal(&state, t).0),
        (None, None) => None,
    };
    let to = match &sealed {
        Some(c) => authorize::destination(&state, c).await?,
        None => None,
    };
    let Some((to, hint)) = to else {
        if current.is_some() {
            return Ok(Redirect::to("/account").into_response());
        }
        let notice = q.notice.as_deref().and_then(notice_text).map(crate::i18n::t);
        return Ok(render(&login_page(&state, &csrf, String::new(), notice, None)));
    };
    let email = current.map(|c| c.user.email).or(hint).unwrap_or_default();
    let page = LoginPage { continue_to: sealed, destination: Some(to), ..login_page(&state, &csrf, email, None, None) };
    Ok(render(&page))
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(rename = "continue", default)]
    continue_to: Option<String>,
}

async fn submit(
    State(state): State<AppState>,
    Client(mut actor): Client,
    csrf: CsrfToken,
    jar: CookieJar,
    browser: Option<axum::Extension<BrowserLang>>,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> Result<Response, WebError> {
    let continue_to = f.continue_to.clone().filter(|c| !c.is_empty() && authorize::genuine(&state, c));
    let fresh_second_factor = continue_to.as_deref().is_some_and(|c| authorize::asks_fresh_second_factor(&state, c));
    let then = continue_to.clone().map_or(Return::Account, |c| Return::Continue(Continuation(c)));
    // The browser's device token: a completed sign-in makes the browser known to the account.
    let jar = super::devices::ensure(&state, jar, &mut actor);
    let purpose = signin::Purpose { then, fresh_second_factor };
    let outcome = match EmailAddress::parse(&f.email) {
        Ok(email) => signin::sign_in(&state, &email, &f.password, purpose, &actor).await,
        Err(e) => Err(ServiceError::invalid(e)),
    };
    // A new sign-in gets a new token; the session this browser had ends (see `sessions::replace`).
    let old = jar.get(SESSION_COOKIE).map(|c| c.value().to_string());
    let jar = match &outcome {
        Ok(_) => remember_language(&state, jar, &f.email, browser.and_then(|b| b.0 .0)).await,
        Err(_) => jar,
    };
    match outcome {
        Ok(SignInOutcome::SignedIn(done)) => {
            if let Some(old) = &old {
                sessions::replace(&state, old, &done.session.0).await?;
            }
            let to = destination(&done.then);
            Ok((with_session(&state, jar, done.session.0), Redirect::to(&to)).into_response())
        }
        Ok(SignInOutcome::MustEnrol(token)) => {
            if let Some(old) = &old {
                sessions::replace(&state, old, &token.0).await?;
            }
            Ok((with_session(&state, jar, token.0), Redirect::to(REQUIRED_PAGE)).into_response())
        }
        Ok(SignInOutcome::SecondStep(pending)) => {
            let kept = match &old {
                Some(old) => sessions::before_second_step(&state, old, &pending.0).await?,
                None => false,
            };
            let jar = if kept { jar } else { without_session(&state, jar) };
            Ok((jar.add(pending_cookie(&state, pending.0)), Redirect::to("/login/verify")).into_response())
        }
        Err(e) => refused(&state, &csrf, continue_to, f.email, e).await,
    }
}

/// The person's language, once their password is right, kept in the language cookie: the second
/// step before their session, and "Log in" after it, speak it too. Best effort: the sign-in has
/// happened, so a failed read only leaves the language as the browser asked.
async fn remember_language(
    state: &AppState,
    jar: CookieJar,
    email: &str,
    browser: Option<crate::i18n::Lang>,
) -> CookieJar {
    let Ok(email) = EmailAddress::parse(email) else { return jar };
    match crate::service::preferences::locale_of(state, email.as_str(), browser).await {
        Ok(Some(locale)) => {
            let lang = locale.lang;
            crate::i18n::set(locale);
            // Only when the browser would not already get it (nothing asked means English).
            if lang == browser.unwrap_or_default() {
                jar
            } else {
                jar.add(lang_cookie(state, lang))
            }
        }
        Ok(None) => jar,
        Err(e) => {
            tracing::warn!(error = %e, "the language of a sign-in could not be read");
            jar
        }
    }
}

/// "Log in" again after a refused sign-in, with the message, still going on to where the
/// sign-in was going (an application that is still there).
async fn refused(
    state: &AppState,
    csrf: &CsrfToken,
    continue_to: Option<String>,
    email: String,
    e: ServiceError,
) -> Result<Response, WebError> {
    let err = FormError::from_service(e)?;
    let destination = match &continue_to {
        Some(c) => authorize::destination(state, c).await?.map(|(to, _)| to),
        None => None,
    };
    let page = LoginPage {
        continue_to: continue_to.filter(|_| destination.is_some()),
        destination,
        ..login_page(state, csrf, email, None, Some(err.message.clone()))
    };
    Ok(err.respond(render(&page)))
}

/// "Log in", with "Sign in with a passkey" where keys can be used.
fn login_page(
    state: &AppState,
    csrf: &CsrfToken,
    email: String,
    notice: Option<String>,
    error: Option<String>,
) -> LoginPage {
    LoginPage { passkeys: state.webauthn.is_some(), ..LoginPage::new(csrf, email, notice, error) }
}

/// The challenge for "Sign in with a passkey" and the passkey autofill: JSON for the page's
/// script (`ceremony`, and `options` for `navigator.credentials.get`).
async fn passkey_options(State(state): State<AppState>, CsrfForm(_): CsrfForm<Empty>) -> Result<Response, WebError> {
    let c = passkey::begin(&state).await?;
    let body = format!(r#"{{"ceremony":{},"options":{}}}"#, serde_json::Value::from(c.id), c.options);
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json"), (axum::http::header::CACHE_CONTROL, "no-store")],
        body,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct PasskeyForm {
    #[serde(default)]
    ceremony: String,
    #[serde(default)]
    response: String,
    #[serde(rename = "continue", default)]
    continue_to: Option<String>,
}

/// The browser's answer for "Sign in with a passkey".
async fn passkey(
    State(state): State<AppState>,
    Client(mut actor): Client,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(f): CsrfForm<PasskeyForm>,
) -> Result<Response, WebError> {
    let jar = super::devices::ensure(&state, jar, &mut actor);
    let continue_to = f.continue_to.clone().filter(|c| !c.is_empty() && authorize::genuine(&state, c));
    let then = continue_to.clone().map_or(Return::Account, |c| Return::Continue(Continuation(c)));
    let done = match f.response.trim() {
        "" => Err(ServiceError::Invalid(Msg::new("web-login-passkey-no-answer"))),
        response => passkey::finish(&state, &f.ceremony, response, then, &actor).await,
    };
    match done {
        Ok(done) => {
            if let Some(old) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) {
                sessions::replace(&state, &old, &done.session.0).await?;
            }
            let to = destination(&done.then);
            Ok((with_session(&state, jar, done.session.0), Redirect::to(&to)).into_response())
        }
        Err(e) => refused(&state, &csrf, continue_to, String::new(), e).await,
    }
}

#[derive(Deserialize)]
pub struct Empty {}

async fn logout(
    State(state): State<AppState>,
    SignedIn(current): SignedIn,
    Client(actor): Client,
    jar: CookieJar,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    sessions::sign_out(&state, &current, &actor).await?;
    let jar = without_session(&state, jar);
    Ok((jar, Redirect::to("/login?notice=signed-out")).into_response())
}
