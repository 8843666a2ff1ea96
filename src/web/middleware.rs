//! Layers around every request: a request id (and the error page that shows it), security
//! headers with the request's language, and the browser's CSRF cookie with an Origin check on
//! state-changing requests.

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;

use super::error::{InternalError, OutageError, WebError};
use super::pages::MessagePage;
use crate::secrets::random_hex;
use crate::state::AppState;

pub const CSRF_COOKIE: &str = "latchkey_csrf";

/// This browser's CSRF cookie value; `fresh` when the request carried none.
#[derive(Clone, Debug)]
pub struct CsrfCookie(pub String, pub bool);

impl CsrfCookie {
    pub fn value(&self) -> &str {
        &self.0
    }
}

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Gives each request an id, logs failures with it, and turns internal errors into a plain
/// page that shows the id (and nothing of the cause). A refusal because the database is
/// unavailable is recorded with the outage (one ERROR line per outage, not per request).
pub async fn request_id(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let id = random_hex(8);
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let span = tracing::info_span!("request", id = %id, %method, %path);
    let mut res = tracing::Instrument::instrument(next.run(req), span).await;
    if let Some(OutageError(cause)) = res.extensions_mut().remove::<OutageError>() {
        tracing::debug!(request_id = %id, %method, %path, %cause, "refused: database unavailable");
        state.db.health().failed(&cause);
    }
    if let Some(InternalError(cause)) = res.extensions_mut().remove::<InternalError>() {
        tracing::error!(request_id = %id, %method, %path, %cause, "request failed");
        // In the reader's language: the locale layer is outside this one.
        let (title, text) = (crate::i18n::t("web-error-internal-title"), crate::i18n::t("web-error-internal-text"));
        let page = MessagePage { request_id: Some(id.clone()), ..MessagePage::plain(&title, &text) };
        res = (StatusCode::INTERNAL_SERVER_ERROR, page.html()).into_response();
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(X_REQUEST_ID, v);
    }
    res
}

/// Header names without a constant in `http`, made once (a name given as a string is checked
/// again at every insert).
const CROSS_ORIGIN_OPENER_POLICY: HeaderName = HeaderName::from_static("cross-origin-opener-policy");
const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");

/// Security headers on every response; no caching of anything but static files.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    // Every page below, error pages included, in its reader's language (one layer for both:
    // each layer costs every request, forward-auth checks included).
    let mut res = super::locale::locale(req, next).await;
    let h = res.headers_mut();
    // Room for these eight (and the request id) at once, instead of growing the map twice.
    h.reserve(9);
    let set = |h: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // Links in mail carry tokens in their query: never send them to another site. (not
    // "no-referrer": with it, browsers send `Origin: null` on form posts, which the CSRF
    // layer must refuse.)
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, CROSS_ORIGIN_OPENER_POLICY, "same-origin");
    set(h, PERMISSIONS_POLICY, "camera=(), microphone=(), geolocation=()");
    if is_static {
        set(h, header::CACHE_CONTROL, "public, max-age=3600");
    } else {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    if state.settings.public_url.scheme() == "https" {
        set(h, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    res
}

/// Makes sure the browser has a CSRF cookie, and refuses state-changing requests whose Origin
/// header names another site.
pub async fn csrf_cookie(State(state): State<AppState>, jar: CookieJar, mut req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD && !same_origin(&state, &req) {
        return WebError::Csrf.into_response();
    }
    let existing = jar.get(CSRF_COOKIE).map(|c| c.value().to_string()).filter(|v| v.len() >= 32);
    let (value, fresh) = match existing {
        Some(v) => (v, false),
        None => (random_hex(32), true),
    };
    req.extensions_mut().insert(CsrfCookie(value.clone(), fresh));
    let res = next.run(req).await;
    if !fresh {
        return res;
    }
    let cookie = Cookie::build((CSRF_COOKIE, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.settings.public_url.scheme() == "https")
        .build();
    (CookieJar::new().add(cookie), res).into_response()
}

fn same_origin(state: &AppState, req: &Request) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Browsers send Origin on cross-site POSTs; tools without it still need the form token.
        return true;
    };
    let public = state.settings.public_url.origin().ascii_serialization();
    if origin == public {
        return true;
    }
    let host = req.headers().get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let scheme = state.settings.public_url.scheme();
    !host.is_empty() && origin == format!("{scheme}://{host}")
}
