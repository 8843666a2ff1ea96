//! How failures look to a person: a page in plain words with the right status, never a raw
//! body; unexpected errors are logged with their cause and shown with a request id.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::pages::MessagePage;
use crate::domain::throttle::wait_in_words;
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

/// What a person reads while the database cannot be used.
pub const UNAVAILABLE_TITLE: &str = "Latchkey cannot save changes right now";
pub const UNAVAILABLE_TEXT: &str =
    "Latchkey could not save your request: it cannot reach or write its database at the moment. Try again in a minute; if it keeps happening, tell your administrator.";
/// Seconds a client is asked to wait while the database is unavailable.
pub const UNAVAILABLE_RETRY: i64 = 30;

impl From<ServiceError> for WebError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(m) => WebError::BadRequest(m),
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
        let page = |status: StatusCode, title: &str, text: String| {
            (status, MessagePage::plain(title, &text).html()).into_response()
        };
        match self {
            WebError::NotFound => {
                page(StatusCode::NOT_FOUND, "Page not found", "There is no page at this address.".into())
            }
            WebError::MethodNotAllowed => page(
                StatusCode::METHOD_NOT_ALLOWED,
                "This page cannot be used this way",
                "Go back and use the page's buttons, or start again from the home page.".into(),
            ),
            WebError::Csrf => page(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "For your security the form could not be accepted. Go back, reload the page and try again.".into(),
            ),
            WebError::LinkInvalid => page(
                StatusCode::GONE,
                "This link is not valid any more",
                "It may have been used already or have expired. Ask for a new one.".into(),
            ),
            WebError::StepExpired => axum::response::Redirect::to("/login?notice=step-expired").into_response(),
            WebError::BadRequest(m) => page(StatusCode::BAD_REQUEST, "Something is not right", m),
            WebError::Throttled { retry_after } => with_retry_after(
                page(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too many attempts",
                    format!("Too many attempts. Try again in {}.", wait_in_words(retry_after)),
                ),
                retry_after,
            ),
            WebError::Overloaded => with_retry_after(
                page(StatusCode::SERVICE_UNAVAILABLE, "The service is busy", "Try again in a few seconds.".into()),
                2,
            ),
            WebError::Unavailable(cause) => {
                let mut r = with_retry_after(
                    page(StatusCode::SERVICE_UNAVAILABLE, UNAVAILABLE_TITLE, UNAVAILABLE_TEXT.into()),
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
