//! Request extractors: the client (address and browser), the signed-in user, and forms whose
//! CSRF token has been checked.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use bytes::Bytes;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use super::error::WebError;
use super::middleware::CsrfCookie;
use super::pages::Chrome;
use super::{REQUIRED_PAGE, SESSION_COOKIE};
use crate::domain::policy::Requirement;
use crate::service::sessions::{authenticate, Current};
use crate::state::AppState;
use crate::store::audit::Actor;

/// The client address and user agent of a request. The address is the socket's, unless the
/// socket is a trusted proxy: then it is the last X-Forwarded-For hop that is not a proxy.
pub struct Client(pub Actor);

pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> String {
    let Some(peer) = peer.map(|p| p.to_canonical()) else {
        return "unknown".into();
    };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
    let hops: Vec<IpAddr> = forwarded
        .flat_map(|v| v.split(','))
        .filter_map(|h| h.trim().parse::<IpAddr>().ok().map(|ip| ip.to_canonical()))
        .collect();
    hops.iter().rev().find(|ip| !trusted.contains(ip)).unwrap_or(&peer).to_string()
}

impl<S: Send + Sync> FromRequestParts<S> for Client
where
    AppState: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        let ip = client_ip(peer, &parts.headers, &state.settings.trusted_proxies);
        let ua = parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("unknown");
        let user_agent: String = ua.chars().take(256).collect();
        let device = super::devices::device_hash(&parts.headers);
        Ok(Client(Actor { ip, user_agent, device, known_device: false }))
    }
}

/// The form token for this browser, to put in every form.
pub struct CsrfToken(pub String);

impl CsrfToken {
    fn for_cookie(state: &AppState, cookie: &str) -> String {
        state.key.keyed_hash("csrf", cookie.as_bytes())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken
where
    AppState: FromRef<S>,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let cookie = parts.extensions.get::<CsrfCookie>().ok_or(WebError::Internal("CSRF layer missing".into()))?;
        Ok(CsrfToken(Self::for_cookie(&state, cookie.value())))
    }
}

/// A form body whose `csrf` field matches this browser's token. Everything that changes state
/// is posted through it.
pub struct CsrfForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for CsrfForm<T>
where
    AppState: FromRef<S>,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let app = AppState::from_ref(state);
        let cookie = req.extensions().get::<CsrfCookie>().cloned().ok_or(WebError::Csrf)?;
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| WebError::BadRequest(crate::i18n::t("web-error-form-unreadable")))?;
        let sent = url::form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned());
        let expected = CsrfToken::for_cookie(&app, cookie.value());
        match sent {
            Some(s) if !cookie.1 && bool::from(s.as_bytes().ct_eq(expected.as_bytes())) => {}
            _ => return Err(WebError::Csrf),
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(CsrfForm)
            .map_err(|_| WebError::BadRequest(crate::i18n::t("web-error-form-incomplete")))
    }
}

/// A path parameter, as axum's `Path`, but a segment that does not parse (`/org/members/abc`)
/// gets the product's "Page not found", as any other unknown address does.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(_) => Err(WebError::NotFound),
        }
    }
}

/// A query string, as axum's `Query`, but one that does not parse (`?page=abc`) gets the
/// product's error page instead of a plain-text 400.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query)
            .map(Query)
            .map_err(|_| WebError::BadRequest(crate::i18n::t("web-error-address-wrong")))
    }
}

/// The signed-in user; pages that need one redirect to "Log in" without it.
pub struct SignedIn(pub Current);

pub struct ToLogin;

impl IntoResponse for ToLogin {
    fn into_response(self) -> Response {
        Redirect::to("/login").into_response()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn
where
    AppState: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match MaybeSignedIn::from_request_parts(parts, state).await? {
            MaybeSignedIn(Some(c)) if c.requirement == Requirement::EnrolNow && !enrolment_path(parts.uri.path()) => {
                // Held to the organization's policy: only the set-up is reachable. The notice
                // a set-up step redirected with is kept.
                let notice = parts.uri.query().filter(|q| q.starts_with("notice=")).map(|q| format!("?{q}"));
                Err(Redirect::to(&format!("{REQUIRED_PAGE}{}", notice.unwrap_or_default())).into_response())
            }
            MaybeSignedIn(Some(c)) => Ok(SignedIn(c)),
            MaybeSignedIn(None) => Err(ToLogin.into_response()),
        }
    }
}

/// The pages a member who must set up two-factor authentication may use.
pub fn enrolment_path(path: &str) -> bool {
    const ALLOWED: [&str; 11] = [
        REQUIRED_PAGE,
        "/account/two-factor/enable",
        "/account/authenticator/setup",
        "/account/authenticator/qr.png",
        "/account/authenticator/verify",
        "/account/security-keys/add",
        "/account/security-keys/finish",
        "/account/recovery-key/download",
        "/account/recovery-key/saved",
        "/account/send-verification",
        "/account/profile/locale",
    ];
    ALLOWED
        .iter()
        .any(|p| path == *p || (p.ends_with('/') && path.starts_with(p)) || path.starts_with(&format!("{p}/")))
        || path == "/logout"
}

/// The signed-in user, if there is one.
pub struct MaybeSignedIn(pub Option<Current>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeSignedIn
where
    AppState: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else {
            return Ok(MaybeSignedIn(None));
        };
        let current = authenticate(&state, &token).await.map_err(|e| WebError::from(e).into_response())?;
        if let Some(c) = &current {
            // From here on the page speaks the person's language, in their time zone.
            super::locale::adopt(parts.extensions.get::<super::locale::BrowserLang>().copied(), c);
        }
        Ok(MaybeSignedIn(current))
    }
}

/// The layout's data for a request: signed in or not, with the form token, the admin's
/// "Organization" link and the grace-period banner.
pub fn chrome(current: Option<&Current>, csrf: &CsrfToken) -> Chrome {
    match current {
        Some(c) => {
            let mut chrome = Chrome::signed_in(&c.user.email, csrf.0.clone());
            chrome.is_admin = c.is_admin();
            if let Requirement::Grace { deadline } = c.requirement {
                let m = crate::i18n::Msg::new("web-banner-grace").with("org", &c.org.name).time("deadline", deadline);
                chrome.banner = Some(m.to_string());
            }
            chrome
        }
        None => Chrome::anonymous(csrf.0.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_socket_address_is_used_unless_the_peer_is_a_trusted_proxy() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "198.51.100.7, 10.0.0.2".parse().unwrap());
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        assert_eq!(client_ip(Some(peer), &h, &[]), "10.0.0.1");
        let trusted: Vec<IpAddr> = vec!["10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap()];
        assert_eq!(client_ip(Some(peer), &h, &trusted), "198.51.100.7");
    }

    #[test]
    fn a_spoofed_leftmost_hop_is_ignored_behind_a_proxy() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "1.2.3.4, 198.51.100.7".parse().unwrap());
        let trusted: Vec<IpAddr> = vec!["10.0.0.1".parse().unwrap()];
        assert_eq!(client_ip(Some("10.0.0.1".parse().unwrap()), &h, &trusted), "198.51.100.7");
    }
}
