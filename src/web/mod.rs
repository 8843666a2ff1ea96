//! The HTML pages: one module per page or flow, each owning its routes; extractors for the
//! client, the session and checked forms; layers for request ids, headers and CSRF.

pub mod account;
pub mod applications;
pub mod authenticator;
pub mod devices;
pub mod enrol;
pub mod error;
pub mod extract;
pub mod locale;
pub mod members;
pub mod middleware;
pub mod org;
pub mod pages;
pub mod password;
pub mod preferences;
pub mod recovery_key;
pub mod second_step;
pub mod security_keys;
pub mod setup;
pub mod signin;
pub mod two_factor;
pub mod verify;

use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use tower_http::timeout::TimeoutLayer;

use crate::service::ServiceError;
use crate::state::AppState;
use error::{with_retry_after, WebError};

pub const SESSION_COOKIE: &str = "latchkey_session";
/// The forward-auth cookie, on the cookie domain (see `with_session`).
pub const FORWARD_COOKIE: &str = "latchkey_forward";
/// Where members are held while their organization requires a second factor they lack.
pub const REQUIRED_PAGE: &str = "/account/two-factor/required";
/// The cookie of a pending sign-in (password done, second step to come).
pub const PENDING_COOKIE: &str = "latchkey_pending";

pub fn router(state: AppState) -> Router {
    // Pages and their forms: every one gets the CSRF cookie and the Origin check.
    let pages = Router::new()
        .merge(signin::routes())
        .merge(setup::routes())
        .merge(password::routes())
        .merge(verify::routes())
        .merge(account::routes())
        .merge(second_step::routes())
        .merge(two_factor::routes())
        .merge(recovery_key::routes())
        .merge(authenticator::routes())
        .merge(security_keys::routes())
        .merge(enrol::routes())
        .merge(org::routes())
        .merge(applications::routes())
        .merge(members::routes())
        .merge(crate::oidc::browser_routes())
        .merge(locale::routes())
        .merge(preferences::routes())
        .merge(devices::routes())
        .fallback(|| async { WebError::NotFound })
        .method_not_allowed_fallback(|| async { WebError::MethodNotAllowed })
        .layer(from_fn_with_state(state.clone(), middleware::csrf_cookie));
    Router::new()
        .merge(pages)
        // What applications and proxies call: no cookies of their own, no forms.
        .merge(crate::oidc::api_routes())
        .route("/healthz", get(healthz))
        .route("/static/app.css", get(stylesheet))
        .route("/static/app.js", get(script))
        .merge(locale::static_routes())
        .layer(from_fn_with_state(state.clone(), middleware::request_id))
        .layer(from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(30)))
        .with_state(state)
}

/// `GET /healthz`: 200 while the database can be read and written, 503 (saying which part
/// fails) otherwise. The write is a real committed update, so a full disk or a read-only
/// database file shows here, not only a database that cannot be reached.
async fn healthz(State(state): State<AppState>) -> Response {
    let failed = if let Err(e) = state.db.ping().await {
        Some(("database cannot be read", e))
    } else if let Err(e) = state.db.probe_write(state.clock.now()).await {
        Some(("database cannot be written", e))
    } else {
        None
    };
    match failed {
        None => (StatusCode::OK, "ok\n").into_response(),
        Some((what, e)) => {
            if !state.db.note(&e) {
                tracing::warn!(error = %e, "health check: {what}");
            }
            (StatusCode::SERVICE_UNAVAILABLE, format!("{what}\n")).into_response()
        }
    }
}

async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("../../static/app.css")).into_response()
}

async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], include_str!("../../static/app.js")).into_response()
}

/// The session cookie for a new session: HttpOnly, SameSite=Lax, Secure on https, for
/// Latchkey's own host only.
pub fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.public_url.scheme() == "https")
        .build()
}

/// The cookies of a new session: the session's own, and with a cookie domain the forward-auth
/// cookie for the protected hosts (a token of its own that only `/auth/forward` accepts: an
/// application behind the proxy never sees a token that opens Latchkey's pages).
pub fn with_session(state: &AppState, jar: CookieJar, token: String) -> CookieJar {
    let jar = match &state.settings.cookie_domain {
        Some(domain) => {
            let forward = crate::service::sessions::forward_token(&state.key, &token);
            let c = Cookie::build((FORWARD_COOKIE, forward))
                .path("/")
                .domain(domain.clone())
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(state.settings.public_url.scheme() == "https")
                .build();
            jar.add(c)
        }
        None => jar,
    };
    jar.add(session_cookie(state, token))
}

/// Removes the session's cookies (the forward-auth one with the domain it was set with).
pub fn without_session(state: &AppState, jar: CookieJar) -> CookieJar {
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    match &state.settings.cookie_domain {
        Some(domain) => jar.remove(Cookie::build(FORWARD_COOKIE).path("/").domain(domain.clone())),
        None => jar,
    }
}

/// The cookie of a pending sign-in: like the session cookie, but only for the second step.
pub fn pending_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build((PENDING_COOKIE, token))
        .path("/login")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.public_url.scheme() == "https")
        .build()
}

/// How a form shows a failed submission: the status, the message next to the form, and a
/// Retry-After when the user must wait. Failures that are not the user's become error pages.
pub struct FormError {
    pub status: StatusCode,
    pub message: String,
    retry_after: Option<i64>,
}

impl FormError {
    pub fn from_service(e: ServiceError) -> Result<Self, WebError> {
        let message = e.to_string();
        match e {
            ServiceError::Invalid(_) => Ok(Self { status: StatusCode::BAD_REQUEST, message, retry_after: None }),
            ServiceError::Throttled { retry_after }
            | ServiceError::Cooldown { retry_after }
            | ServiceError::CodeCapped { retry_after } => {
                Ok(Self { status: StatusCode::TOO_MANY_REQUESTS, message, retry_after: Some(retry_after) })
            }
            other => Err(other.into()),
        }
    }

    /// The re-rendered form with this error's status (and Retry-After).
    pub fn respond(&self, page: Response) -> Response {
        let mut r = (self.status, page).into_response();
        if let Some(s) = self.retry_after {
            r = with_retry_after(r, s);
        }
        r
    }
}
