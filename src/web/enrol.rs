//! "Set up two-factor authentication": where a member is held while their organization
//! requires a second factor they do not have (and where the grace-period banner leads).

use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::account::masked;
use super::error::WebError;
use super::extract::{chrome, CsrfToken, Query, SignedIn};
use super::pages::{render, EnrolPage};
use super::REQUIRED_PAGE;
use crate::clock::format_utc;
use crate::domain::policy::Requirement;
use crate::service::sessions::Current;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route(REQUIRED_PAGE, get(show))
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

/// The page; `None` when there is nothing to set up (the policy is met or off).
pub fn page(c: &Current, csrf: &CsrfToken, notice: Option<String>, error: Option<String>) -> Option<EnrolPage> {
    let (must, deadline) = match c.requirement {
        Requirement::EnrolNow => (true, None),
        Requirement::Grace { deadline } => (false, Some(format_utc(deadline))),
        Requirement::None | Requirement::Satisfied => return None,
    };
    let methods = c.org.policy().methods;
    Some(EnrolPage {
        chrome: chrome(Some(c), csrf),
        org_name: c.org.name.clone(),
        deadline,
        must,
        verified: c.user.email_verified_at.is_some(),
        masked_email: masked(&c.user.email),
        allow_email: methods.email,
        allow_authenticator: methods.authenticator,
        notice,
        error,
    })
}

async fn show(SignedIn(c): SignedIn, csrf: CsrfToken, Query(q): Query<NoticeQuery>) -> Result<Response, WebError> {
    let notice = (q.notice.as_deref() == Some("verification-sent"))
        .then(|| "We have sent you a verification email. Open the link in it, then come back here.".to_string());
    match page(&c, &csrf, notice, None) {
        Some(p) => Ok(render(&p)),
        None => Ok(Redirect::to("/account/security").into_response()),
    }
}
