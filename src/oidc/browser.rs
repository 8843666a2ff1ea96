//! What a person's browser visits on the way to an application: the authorization endpoint,
//! `/continue` (back from a sign-in or a set-up), the consent page, and logout from an
//! application (RP-Initiated Logout).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use crate::domain::oidc::RawRequest;
use crate::domain::signin::Continuation;
use crate::service::oidc::authorize::{self, Next};
use crate::service::oidc::logout::{self, EndSession, Ended};
use crate::service::sessions::Current;
use crate::service::ServiceError;
use crate::state::AppState;
use crate::web::error::WebError;
use crate::web::extract::{chrome, Client, CsrfForm, CsrfToken, MaybeSignedIn, Query, SignedIn};
use crate::web::pages::{render, ConsentPage, LogoutConfirmPage, MessagePage, OnwardPage, WrongOrgPage};
use crate::web::{without_session, REQUIRED_PAGE};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oauth/authorize", get(authorize_endpoint))
        .route("/continue", get(continue_endpoint))
        .route("/oauth/consent", post(consent))
        .route("/oauth/logout", get(logout_endpoint))
        .route("/oauth/logout/confirm", post(logout_confirmed))
}

/// A request that cannot go back to the application (unknown client, unregistered redirect
/// URI, a continuation that expired or was changed): a plain page; never a redirect.
fn refused(e: ServiceError) -> Response {
    match e {
        ServiceError::Invalid(text) => {
            let page = MessagePage::plain(&crate::i18n::t("web-oidc-refused-title"), &text.to_string());
            (StatusCode::BAD_REQUEST, page.html()).into_response()
        }
        other => WebError::from(other).into_response(),
    }
}

/// "Log in", continuing afterwards.
fn login_path(sealed: &str) -> String {
    let c: String = url::form_urlencoded::byte_serialize(sealed.as_bytes()).collect();
    format!("/login?continue={c}")
}

/// How the browser got here: by a link or a redirect from another site, or at the end of one
/// of Latchkey's own forms (a sign-in, a set-up, a consent).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arrived {
    ByLink,
    AfterForm,
}

/// Answers what the service decided. After a form, a redirect to another site would be blocked
/// by the pages' `form-action 'self'`: the browser is sent on by the "Continuing to" page.
fn answer(next: Next, current: Option<&Current>, csrf: &CsrfToken, arrived: Arrived) -> Response {
    match next {
        Next::Redirect(url) if arrived == Arrived::AfterForm && !url.starts_with('/') => {
            let to = url::Url::parse(&url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
            render(&OnwardPage { chrome: chrome(current, csrf), to, url })
        }
        Next::Redirect(url) => Redirect::to(&url).into_response(),
        Next::LogIn { continuation: Continuation(c), .. } => Redirect::to(&login_path(&c)).into_response(),
        Next::SetUp => Redirect::to(REQUIRED_PAGE).into_response(),
        Next::Consent(ask) => {
            // What it wants (in the reader's words already): the first, and anything more.
            let mut words = ask.disclosures.into_iter();
            let first = words.next().unwrap_or_default();
            let more: Vec<String> = words.collect();
            render(&ConsentPage {
                chrome: chrome(current, csrf),
                app: ask.app,
                first,
                more,
                email: current.map(|c| c.user.email.clone()).unwrap_or_default(),
                continue_to: ask.continuation.0,
            })
        }
        Next::WrongOrganization { app, continuation, cancel } => render(&WrongOrgPage {
            chrome: chrome(current, csrf),
            app,
            email: current.map(|c| c.user.email.clone()).unwrap_or_default(),
            login: login_path(&continuation.0),
            cancel,
        }),
    }
}

async fn authorize_endpoint(
    State(state): State<AppState>,
    MaybeSignedIn(current): MaybeSignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    Query(raw): Query<RawRequest>,
) -> Response {
    match authorize::begin(&state, &raw, current.as_ref(), &actor).await {
        Ok(next) => answer(next, current.as_ref(), &csrf, Arrived::ByLink),
        Err(e) => refused(e),
    }
}

#[derive(Deserialize)]
pub struct ContinueQuery {
    to: String,
}

async fn continue_endpoint(
    State(state): State<AppState>,
    MaybeSignedIn(current): MaybeSignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    Query(q): Query<ContinueQuery>,
) -> Response {
    // Reached by the redirect at the end of a sign-in or a set-up form.
    match authorize::resume(&state, &q.to, current.as_ref(), &actor).await {
        Ok(next) => answer(next, current.as_ref(), &csrf, Arrived::AfterForm),
        Err(e) => refused(e),
    }
}

#[derive(Deserialize)]
pub struct ConsentForm {
    #[serde(rename = "continue")]
    continue_to: String,
    decision: String,
}

async fn consent(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<ConsentForm>,
) -> Response {
    let allow = f.decision == "allow";
    match authorize::consent(&state, &f.continue_to, allow, &c, &actor).await {
        Ok(next) => answer(next, Some(&c), &csrf, Arrived::AfterForm),
        Err(e) => refused(e),
    }
}

/// Ends the session (or asks first); the browser's cookie goes with it.
async fn end(
    state: &AppState,
    req: &EndSession,
    current: Option<Current>,
    confirmed: bool,
    actor: &crate::store::audit::Actor,
    csrf: &CsrfToken,
    jar: CookieJar,
) -> Result<Response, WebError> {
    match logout::end_session(state, req, current.as_ref(), confirmed, actor).await? {
        Ended::Confirm { app } => Ok(render(&LogoutConfirmPage {
            chrome: chrome(current.as_ref(), csrf),
            app,
            client_id: req.client_id.clone().unwrap_or_default(),
            id_token_hint: req.id_token_hint.clone().unwrap_or_default(),
            post_logout_redirect_uri: req.post_logout_redirect_uri.clone().unwrap_or_default(),
            state: req.state.clone().unwrap_or_default(),
        })),
        Ended::Done { redirect: Some(url) } if confirmed => {
            let jar = without_session(state, jar);
            let to = url::Url::parse(&url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
            Ok((jar, render(&OnwardPage { chrome: chrome(None, csrf), to, url })).into_response())
        }
        Ended::Done { redirect } => {
            let jar = without_session(state, jar);
            let to = redirect.unwrap_or_else(|| "/login?notice=signed-out".into());
            Ok((jar, Redirect::to(&to)).into_response())
        }
    }
}

async fn logout_endpoint(
    State(state): State<AppState>,
    MaybeSignedIn(current): MaybeSignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    jar: CookieJar,
    Query(req): Query<EndSession>,
) -> Result<Response, WebError> {
    end(&state, &req, current, false, &actor, &csrf, jar).await
}

/// The form of the "Log out?" page: the request again, and the form token.
#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    id_token_hint: String,
    #[serde(default)]
    post_logout_redirect_uri: String,
    #[serde(default)]
    state: String,
}

async fn logout_confirmed(
    State(state): State<AppState>,
    MaybeSignedIn(current): MaybeSignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Result<Response, WebError> {
    let some = |s: String| Some(s).filter(|s| !s.is_empty());
    let req = EndSession {
        client_id: some(f.client_id),
        id_token_hint: some(f.id_token_hint),
        post_logout_redirect_uri: some(f.post_logout_redirect_uri),
        state: some(f.state),
    };
    end(&state, &req, current, true, &actor, &csrf, jar).await
}
