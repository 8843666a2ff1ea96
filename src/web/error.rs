//! How failures look to a person: a page in plain words with the right status, never a raw
//! body; unexpected errors are logged with their cause and shown with a request id.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::pages::MessagePage;
use crate::i18n::{t, Msg};
use crate::service::ServiceError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("page not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("form token missing or wrong")]
    Csrf,
    #[error("link invalid")]
    LinkInvalid,
    /// Shown to the person as it is: already in the request's language.
    #[error("{0}")]
    BadRequest(String),
    #[error("pending sign-in expired")]
    StepExpired,
    #[error("throttled")]
    Throttled { retry_after: i64 },
    #[error("overloaded")]
    Overloaded,
    /// The database cannot be used now (full disk, read-only file, server gone): 503, and the
    /// outage is recorded once by the request-id layer.
    #[error("{0}")]
    Unavailable(String),
    /// Logged with its cause by the request-id middleware, shown as a plain error page.
    #[error("{0}")]
    Internal(String),
}

/// Marks a response whose error must be logged and shown with the request id.
#[derive(Clone, Debug)]
pub struct InternalError(pub String);

/// Marks a response refused because the database is unavailable, with the cause.
#[derive(Clone, Debug)]
pub struct OutageError(pub String);

/// Seconds a client is asked to wait while the database is unavailable.
pub const UNAVAILABLE_RETRY: i64 = 30;

impl From<ServiceError> for WebError {
    fn from(e: ServiceError) -> Self {
        match e {
            // The service's words, said in the request's language.
            ServiceError::Invalid(m) => WebError::BadRequest(m.to_string()),
            ServiceError::LinkInvalid => WebError::LinkInvalid,
            ServiceError::NotFound => WebError::NotFound,
            ServiceError::Throttled { retry_after }
            | ServiceError::Cooldown { retry_after }
            | ServiceError::CodeCapped { retry_after } => WebError::Throttled { retry_after },
            ServiceError::StepExpired => WebError::StepExpired,
            ServiceError::Overloaded => WebError::Overloaded,
            ServiceError::Store(s) if s.is_unavailable() => WebError::Unavailable(s.to_string()),
            ServiceError::Store(s) => WebError::Internal(s.to_string()),
            ServiceError::Internal(m) => WebError::Internal(m),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(format!("template: {e}"))
    }
}

/// Adds `Retry-After` to a response.
pub fn with_retry_after(mut r: Response, seconds: i64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&seconds.max(1).to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        // Said in the request's language (this runs inside the request).
        let page = |status: StatusCode, title: &str, text: String| {
            (status, MessagePage::plain(&t(title), &text).html()).into_response()
        };
        match self {
            WebError::NotFound => {
                page(StatusCode::NOT_FOUND, "web-error-not-found-title", t("web-error-not-found-text"))
            }
            WebError::MethodNotAllowed => {
                page(StatusCode::METHOD_NOT_ALLOWED, "web-error-method-title", t("web-error-method-text"))
            }
            WebError::Csrf => page(StatusCode::FORBIDDEN, "web-error-csrf-title", t("web-error-csrf-text")),
            WebError::LinkInvalid => page(StatusCode::GONE, "web-error-link-title", t("web-error-link-text")),
            WebError::StepExpired => axum::response::Redirect::to("/login?notice=step-expired").into_response(),
            WebError::BadRequest(m) => page(StatusCode::BAD_REQUEST, "web-error-bad-request-title", m),
            WebError::Throttled { retry_after } => with_retry_after(
                page(
                    StatusCode::TOO_MANY_REQUESTS,
                    "web-error-throttled-title",
                    Msg::new("web-error-throttled-text").wait("wait", retry_after).to_string(),
                ),
                retry_after,
            ),
            WebError::Overloaded => with_retry_after(
                page(StatusCode::SERVICE_UNAVAILABLE, "web-error-busy-title", t("web-error-busy-text")),
                2,
            ),
            WebError::Unavailable(cause) => {
                let text = t("web-error-unavailable-text");
                let mut r = with_retry_after(
                    page(StatusCode::SERVICE_UNAVAILABLE, "web-error-unavailable-title", text),
                    UNAVAILABLE_RETRY,
                );
                r.extensions_mut().insert(OutageError(cause));
                r
            }
            WebError::Internal(cause) => {
                let mut r = StatusCode::INTERNAL_SERVER_ERROR.into_response();
                r.extensions_mut().insert(InternalError(cause));
                r
            }
        }
    }
}
