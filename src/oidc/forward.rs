//! `/auth/forward`: the one endpoint for nginx `auth_request`, Traefik `forwardAuth` and Caddy
//! `forward_auth`. Signed in: 200 with `Remote-User` (the email), `Remote-Email`, `Remote-Name`,
//! `Remote-Org` (the organization's domain), `Remote-Org-Name` and `Remote-Subject` (the stable
//! id), every one always present (empty when there is nothing to say), so that a client's own
//! value never gets through. Not signed in: to nginx (which sends `X-Original-URL`) a 401 whose
//! `Location` is the sign-in page, for its `error_page 401`; to the others a 302 there (401 for
//! requests a browser would not follow), coming back to the page after sign-in and two-factor
//! authentication. Signed in as a member of another organization than `?org=` names: 403.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use axum_extra::extract::CookieJar;

use serde::Deserialize;

use crate::domain::forward::{original_url, ProxyHeaders};
use crate::service::oidc::forward_auth::{self, Asked, Cookie, Verdict};
use crate::state::AppState;
use crate::web::error::WebError;
use crate::web::extract::Query;
use crate::web::{FORWARD_COOKIE, SESSION_COOKIE};

pub fn routes() -> Router<AppState> {
    Router::new().route("/auth/forward", any(check))
}

fn text(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// What the proxy's configuration asks, in the address it calls.
#[derive(Deserialize, Default)]
pub struct AskedQuery {
    org: Option<String>,
    require: Option<String>,
}

async fn check(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Query(q): Query<AskedQuery>,
) -> Response {
    let (orig, proto, host, uri) = (
        text(&headers, "x-original-url"),
        text(&headers, "x-forwarded-proto"),
        text(&headers, "x-forwarded-host"),
        text(&headers, "x-forwarded-uri"),
    );
    let proxied = ProxyHeaders {
        original_url: orig.as_deref(),
        proto: proto.as_deref(),
        host: host.as_deref(),
        uri: uri.as_deref(),
    };
    let original = original_url(&proxied);
    let forward = jar.get(FORWARD_COOKIE).map(|c| c.value().to_string());
    let session = jar.get(SESSION_COOKIE).map(|c| c.value().to_string());
    let cookie = match (&forward, &session) {
        (Some(f), _) => Some(Cookie::Forward(f)),
        (None, Some(s)) => Some(Cookie::Session(s)),
        (None, None) => None,
    };
    let asked = Asked { org: q.org.filter(|o| !o.is_empty()), two_factor: q.require.as_deref() == Some("2fa") };
    let verdict = match forward_auth::check(&state, cookie, original.as_ref(), &asked).await {
        Ok(v) => v,
        Err(e) => return WebError::from(e).into_response(),
    };
    match verdict {
        Verdict::Allowed(who) => {
            let mut r = StatusCode::OK.into_response();
            let h = r.headers_mut();
            let mut set = |name: &'static str, value: &str| {
                if let Ok(v) = HeaderValue::from_bytes(value.as_bytes()) {
                    h.insert(HeaderName::from_static(name), v);
                }
            };
            set("remote-user", &who.email);
            set("remote-email", &who.email);
            set("remote-subject", &who.subject);
            set("remote-org", &who.org_domain);
            set("remote-org-name", &who.org_name);
            set("remote-name", who.name.as_deref().unwrap_or_default());
            r
        }
        Verdict::Forbidden => {
            (StatusCode::FORBIDDEN, format!("{}\n", crate::i18n::t("web-forward-wrong-organization"))).into_response()
        }
        Verdict::SignIn { location } => {
            let method = text(&headers, "x-forwarded-method").or_else(|| text(&headers, "x-original-method"));
            let follows = matches!(method.as_deref(), None | Some("GET") | Some("HEAD"));
            let status = if orig.is_some() || !follows { StatusCode::UNAUTHORIZED } else { StatusCode::FOUND };
            let mut r = (status, format!("{}\n", crate::i18n::t("web-forward-sign-in-first"))).into_response();
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
    }
}
