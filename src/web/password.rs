//! "Forgot password?" and the page behind reset and invitation links.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, Query};
use super::pages::{render, ForgotPage, ResetPage};
use super::FormError;
use crate::domain::email::EmailAddress;
use crate::service::passwords::{self, LinkKind};
use crate::service::ServiceError;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/forgot-password", get(show_forgot).post(submit_forgot))
        .route("/reset-password", get(show_reset).post(submit_reset))
}

async fn show_forgot(csrf: CsrfToken) -> Response {
    render(&ForgotPage { chrome: chrome(None, &csrf), email: String::new(), sent: false, error: None })
}

#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

async fn submit_forgot(
    State(state): State<AppState>,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<ForgotForm>,
) -> Result<Response, WebError> {
    let asked = match EmailAddress::parse(&f.email) {
        Ok(email) => passwords::forgot(&state, &email, &actor).await,
        Err(e) => Err(ServiceError::invalid(e)),
    };
    match asked {
        Ok(()) => {
            Ok(render(&ForgotPage { chrome: chrome(None, &csrf), email: String::new(), sent: true, error: None }))
        }
        Err(e) => {
            let err = FormError::from_service(e)?;
            let page = ForgotPage {
                chrome: chrome(None, &csrf),
                email: f.email,
                sent: false,
                error: Some(err.message.clone()),
            };
            Ok(err.respond(render(&page)))
        }
    }
}

fn heading(kind: LinkKind) -> String {
    match kind {
        LinkKind::Reset => crate::i18n::t("web-reset-heading-reset"),
        LinkKind::Invite => crate::i18n::t("web-reset-heading-invite"),
    }
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

async fn show_reset(
    State(state): State<AppState>,
    csrf: CsrfToken,
    Query(q): Query<TokenQuery>,
) -> Result<Response, WebError> {
    let (kind, email) = passwords::check_link(&state, &q.token).await?;
    Ok(render(&ResetPage { chrome: chrome(None, &csrf), heading: heading(kind), email, token: q.token, error: None }))
}

#[derive(Deserialize)]
pub struct ResetForm {
    token: String,
    password: String,
    confirm: String,
}

async fn submit_reset(
    State(state): State<AppState>,
    Client(actor): Client,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(f): CsrfForm<ResetForm>,
) -> Result<Response, WebError> {
    match passwords::set_from_link(&state, &f.token, &f.password, &f.confirm, &actor).await {
        Ok(kind) => {
            let notice = if kind == LinkKind::Reset { "password-reset" } else { "password-set" };
            // Every session of the account has ended, this browser's included.
            let jar = super::without_session(&state, jar);
            Ok((jar, Redirect::to(&format!("/login?notice={notice}"))).into_response())
        }
        Err(e) => {
            let err = FormError::from_service(e)?;
            let (kind, email) = passwords::check_link(&state, &f.token).await?;
            let page = ResetPage {
                chrome: chrome(None, &csrf),
                heading: heading(kind),
                email,
                token: f.token,
                error: Some(err.message.clone()),
            };
            Ok(err.respond(render(&page)))
        }
    }
}
