//! "Set up two-factor authentication": where a member is held while their organization
//! requires a second factor they do not have (and where the grace-period banner leads).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::account::masked;
use super::error::WebError;
use super::extract::{chrome, CsrfToken, Query, SignedIn};
use super::pages::{render, EnrolPage};
use super::REQUIRED_PAGE;
use crate::domain::policy::{Methods, Requirement};
use crate::service::oidc::authorize;
use crate::service::sessions::Current;
use crate::state::AppState;

/// The application (or page) waiting for this member's set-up, if one is.
pub async fn waiting_app(state: &AppState, c: &Current) -> Result<Option<String>, WebError> {
    Ok(match &c.session.continue_to {
        Some(sealed) => authorize::destination(state, sealed).await?.map(|(to, _)| to),
        None => None,
    })
}

pub fn routes() -> Router<AppState> {
    Router::new().route(REQUIRED_PAGE, get(show))
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

/// The page; `None` when there is nothing to set up (the policy is met or off, and no
/// application waits for a set-up). `app`: the application waiting, if one does.
pub fn page(
    c: &Current,
    csrf: &CsrfToken,
    notice: Option<String>,
    error: Option<String>,
    app: Option<String>,
) -> Option<EnrolPage> {
    // An application waits for a set-up the member lacks: two-factor authentication, or (for a
    // member who has it) a security key, which an application asks for with acr_values.
    let app = app.filter(|_| !c.factors.two_factor_on() || !c.factors.security_key);
    // (A member held by the policy is shown the policy's methods, whatever waits.)
    let app_wants_key = app.is_some() && c.factors.two_factor_on() && c.requirement != Requirement::EnrolNow;
    let app_requires = app.is_some() && c.requirement != Requirement::EnrolNow;
    let (must, deadline) = match (c.requirement, &app) {
        (Requirement::EnrolNow, _) => (true, None),
        (_, Some(_)) => (true, None),
        (Requirement::Grace { deadline }, None) => (false, Some(crate::i18n::time(deadline))),
        (Requirement::None | Requirement::Satisfied, None) => return None,
    };
    let policy = c.org.policy();
    let keys_for_admins = policy.admin_keys_since.is_some() && c.user.role == crate::domain::account::Role::Admin;
    // An admin held by the rule for keys, or a member an application asks a key of, can only
    // add a key; the others' methods are the policy's.
    let keys_only = keys_for_admins || app_wants_key;
    let methods = if keys_only { Methods { security_key: true, ..Methods::NONE } } else { policy.methods };
    Some(EnrolPage {
        chrome: chrome(Some(c), csrf),
        own_zone: c.user.time_zone.clone().unwrap_or_default(),
        org_name: c.org.name.clone(),
        deadline,
        must,
        verified: c.user.email_verified_at.is_some(),
        masked_email: masked(&c.user.email),
        allow_email: methods.email,
        allow_authenticator: methods.authenticator,
        allow_key: methods.security_key,
        keys_for_admins,
        app_wants_key,
        notice,
        error,
        app,
        app_requires,
    })
}

async fn show(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let notice = (q.notice.as_deref() == Some("verification-sent"))
        .then(|| crate::i18n::t("web-enrol-notice-verification-sent"));
    match page(&c, &csrf, notice, None, waiting_app(&state, &c).await?) {
        Some(p) => Ok(render(&p)),
        None => Ok(Redirect::to("/account/security").into_response()),
    }
}
