//! The page behind an email verification link. Opening the link shows a button; only the
//! button uses the link up, so mail scanners that fetch links do not.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, MaybeSignedIn, Query};
use super::pages::{render, MessagePage, VerifyPage};
use crate::i18n::t;
use crate::service::email_verification;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/verify-email", get(show).post(submit))
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

async fn show(
    State(state): State<AppState>,
    MaybeSignedIn(current): MaybeSignedIn,
    csrf: CsrfToken,
    Query(q): Query<TokenQuery>,
) -> Result<Response, WebError> {
    if !email_verification::link_is_valid(&state, &q.token).await? {
        return Err(WebError::LinkInvalid);
    }
    Ok(render(&VerifyPage { chrome: chrome(current.as_ref(), &csrf), token: q.token }))
}

#[derive(Deserialize)]
pub struct VerifyForm {
    token: String,
}

async fn submit(
    State(state): State<AppState>,
    MaybeSignedIn(current): MaybeSignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<VerifyForm>,
) -> Result<Response, WebError> {
    email_verification::verify(&state, &f.token, &actor).await?;
    let page = MessagePage {
        chrome: chrome(current.as_ref(), &csrf),
        ..MessagePage::plain(&t("web-verify-email-done-title"), &t("web-verify-email-done-text"))
    };
    let page = match current {
        Some(_) => page.with_link("/account/security", &t("web-verify-email-back-to-security")),
        None => page.with_link("/login", &t("web-verify-email-log-in")),
    };
    Ok(render(&page))
}
