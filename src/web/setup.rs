//! First-run setup: the page behind the one-time link `serve` prints.

use super::preferences::LocaleForm;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, Query};
use super::pages::{render, SetupPage};
use super::{with_session, FormError};
use crate::service::setup::{self, SetupForm};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/setup", get(show).post(submit))
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

async fn show(
    State(state): State<AppState>,
    csrf: CsrfToken,
    Query(q): Query<TokenQuery>,
) -> Result<Response, WebError> {
    if !setup::link_is_valid(&state, &q.token).await? {
        return Err(WebError::LinkInvalid);
    }
    // To begin with: the language this page is read in, and Jakarta's time for Indonesian.
    let lang = crate::i18n::current().lang;
    let zone = if lang == crate::i18n::Lang::Id { "Asia/Jakarta" } else { "UTC" };
    let page = SetupPage {
        chrome: chrome(None, &csrf),
        token: q.token,
        org_name: String::new(),
        domain: String::new(),
        email: String::new(),
        error: None,
        locale_form: LocaleForm::setup(lang.code(), zone),
    };
    Ok(render(&page))
}

#[derive(Deserialize)]
pub struct SetupFields {
    token: String,
    org_name: String,
    domain: String,
    email: String,
    password: String,
    confirm: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    time_zone: String,
}

async fn submit(
    State(state): State<AppState>,
    Client(actor): Client,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(f): CsrfForm<SetupFields>,
) -> Result<Response, WebError> {
    let form = SetupForm {
        org_name: &f.org_name,
        domain: &f.domain,
        email: &f.email,
        password: &f.password,
        confirm: &f.confirm,
        language: &f.language,
        time_zone: &f.time_zone,
    };
    match setup::complete(&state, &f.token, form, &actor).await {
        Ok(token) => Ok((with_session(&state, jar, token.0), Redirect::to("/account/security")).into_response()),
        Err(e) => {
            let err = FormError::from_service(e)?;
            let page = SetupPage {
                chrome: chrome(None, &csrf),
                token: f.token,
                org_name: f.org_name,
                domain: f.domain,
                locale_form: LocaleForm::setup(&f.language, &f.time_zone),
                email: f.email,
                error: Some(err.message.clone()),
            };
            Ok(err.respond(render(&page)))
        }
    }
}
