//! "Log in" and "Log out".

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::Cookie;
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, MaybeSignedIn, Query, SignedIn};
use super::pages::{render, LoginPage};
use super::{pending_cookie, session_cookie, FormError, REQUIRED_PAGE, SESSION_COOKIE};
use crate::domain::email::EmailAddress;
use crate::service::signin::SignInOutcome;
use crate::service::{sessions, signin, ServiceError};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/login", get(show).post(submit)).route("/logout", post(logout))
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
}

/// The notices other flows may send people back to "Log in" with.
fn notice_text(key: &str) -> Option<&'static str> {
    match key {
        "signed-out" => Some("You have logged out."),
        "password-set" => Some("Your password is set. Log in with it."),
        "password-reset" => {
            Some("Your password has been changed and every session signed out. Log in with your new password.")
        }
        "expired" => Some("Your session has ended. Log in again."),
        "step-expired" => Some("Your sign-in took too long and has ended. Log in again."),
        _ => None,
    }
}

async fn show(MaybeSignedIn(current): MaybeSignedIn, csrf: CsrfToken, Query(q): Query<LoginQuery>) -> Response {
    if current.is_some() {
        return Redirect::to("/account").into_response();
    }
    let notice = q.notice.as_deref().and_then(notice_text).map(str::to_string);
    render(&LoginPage { chrome: chrome(None, &csrf), email: String::new(), notice, error: None })
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
}

async fn submit(
    State(state): State<AppState>,
    Client(actor): Client,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> Result<Response, WebError> {
    let outcome = match EmailAddress::parse(&f.email) {
        Ok(email) => signin::sign_in(&state, &email, &f.password, &actor).await,
        Err(e) => Err(ServiceError::invalid(e)),
    };
    match outcome {
        Ok(outcome) => {
            // A new sign-in gets a new token; the session this browser had ends.
            if let Some(old) = jar.get(SESSION_COOKIE) {
                sessions::end_by_token(&state, old.value()).await?;
            }
            Ok(match outcome {
                SignInOutcome::SignedIn(token) => {
                    (jar.add(session_cookie(&state, token.0)), Redirect::to("/account")).into_response()
                }
                SignInOutcome::MustEnrol(token) => {
                    (jar.add(session_cookie(&state, token.0)), Redirect::to(REQUIRED_PAGE)).into_response()
                }
                SignInOutcome::SecondStep(pending) => {
                    let jar =
                        jar.remove(Cookie::build(SESSION_COOKIE).path("/")).add(pending_cookie(&state, pending.0));
                    (jar, Redirect::to("/login/verify")).into_response()
                }
            })
        }
        Err(e) => {
            let err = FormError::from_service(e)?;
            let page = LoginPage {
                chrome: chrome(None, &csrf),
                email: f.email,
                notice: None,
                error: Some(err.message.clone()),
            };
            Ok(err.respond(render(&page)))
        }
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
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/login?notice=signed-out")).into_response())
}
