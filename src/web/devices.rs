//! Devices: the browser's device cookie, the remembered devices on Security and Credentials and
//! on a member's page ("Forget", "Forget all devices"), and "This wasn't me" from an alert.

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, MaybeSignedIn, Path, Query, SignedIn};
use super::pages::{render, DeviceRowView, NotMePage};
use super::{without_session, FormError};
use crate::i18n::{t, time};
use crate::secrets::{hash_token, new_token};
use crate::service::devices::DeviceView;
use crate::service::{admin, devices, not_me, ServiceError};
use crate::state::AppState;
use crate::store::audit::Actor;

/// The browser's device token: random, kept for 400 days (the longest browsers keep a cookie);
/// only its hash is stored, once per account that signed in with it.
pub const DEVICE_COOKIE: &str = "latchkey_device";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/devices/forget", post(forget_mine))
        .route("/org/members/{id}/devices/forget", post(forget_members))
        .route("/not-me", get(not_me_page).post(report))
}

/// The hash of the device token the request carries, read without parsing the other cookies.
pub fn device_hash(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(DEVICE_COOKIE).and_then(|rest| rest.strip_prefix('=')))
        .filter(|token| !token.is_empty() && token.len() <= 128)
        .map(hash_token)
}

fn device_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build((DEVICE_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.public_url.scheme() == "https")
        .max_age(time::Duration::days(400))
        .build()
}

/// A sign-in step's browser without a device token gets one (the sign-in makes it known to the
/// account, or remembers it); one that has a token keeps it 400 days from now (devices unused
/// that long are pruned).
pub fn ensure(state: &AppState, jar: CookieJar, actor: &mut Actor) -> CookieJar {
    if actor.device.is_some() {
        let kept = jar.get(DEVICE_COOKIE).map(|c| c.value().to_string());
        return match kept {
            Some(token) => jar.add(device_cookie(state, token)),
            None => jar,
        };
    }
    let (token, hash) = new_token();
    actor.device = Some(hash);
    jar.add(device_cookie(state, token))
}

/// A remembered device as the tables show it.
pub fn row_view(d: DeviceView) -> DeviceRowView {
    DeviceRowView {
        id: d.id,
        device: crate::domain::device::name(&d.user_agent).to_string(),
        user_agent: d.user_agent,
        first_seen: time(d.first_seen_at),
        first_ip: d.first_ip,
        last_used: time(d.last_used_at),
        until: d.remembered_until.map(time).unwrap_or_else(|| t("devices-not-remembered")),
    }
}

#[derive(Deserialize)]
pub struct ForgetForm {
    /// A device's id, or `all`.
    device: String,
}

fn which(f: &ForgetForm) -> Result<Option<i64>, WebError> {
    match f.device.as_str() {
        "all" => Ok(None),
        id => id.parse().map(Some).map_err(|_| WebError::NotFound),
    }
}

/// Security and Credentials -> Remembered devices -> "Forget" / "Forget all devices".
async fn forget_mine(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    CsrfForm(f): CsrfForm<ForgetForm>,
) -> Result<Response, WebError> {
    let which = which(&f)?;
    devices::forget_mine(&state, &c, which, &actor).await?;
    let notice = if which.is_some() { "device-forgotten" } else { "devices-forgotten" };
    Ok(Redirect::to(&format!("/account/security?notice={notice}")).into_response())
}

/// A member's page -> Remembered devices -> "Forget" / "Forget all devices".
async fn forget_members(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ForgetForm>,
) -> Result<Response, WebError> {
    let which = which(&f)?;
    admin::forget_member_devices(&state, &c, id, which, &actor).await?;
    Ok(Redirect::to(&format!("/org/members/{id}?notice=devices-forgotten")).into_response())
}

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// The link from an alert: says whose account and what the button does. Opening it changes
/// nothing (mail scanners open links).
async fn not_me_page(
    State(state): State<AppState>,
    MaybeSignedIn(current): MaybeSignedIn,
    csrf: CsrfToken,
    Query(q): Query<TokenQuery>,
) -> Result<Response, WebError> {
    let token = q.token.unwrap_or_default();
    let page = match not_me::check(&state, &token).await {
        Ok(masked) => {
            NotMePage { chrome: chrome(current.as_ref(), &csrf), token, account: masked, done: None, error: None }
        }
        Err(ServiceError::LinkInvalid) => invalid_page(current.as_ref(), &csrf),
        Err(e) => return Err(e.into()),
    };
    Ok(render(&page))
}

fn invalid_page(current: Option<&crate::service::sessions::Current>, csrf: &CsrfToken) -> NotMePage {
    NotMePage {
        chrome: chrome(current, csrf),
        token: String::new(),
        account: String::new(),
        done: None,
        error: Some(t("web-not-me-link-invalid")),
    }
}

#[derive(Deserialize)]
pub struct ReportForm {
    token: String,
}

/// "This wasn't me": secures the account, then says what happened and what to do next. This
/// browser's own session (if it has one of the account) ended with the others.
async fn report(
    State(state): State<AppState>,
    Client(actor): Client,
    csrf: CsrfToken,
    jar: CookieJar,
    CsrfForm(f): CsrfForm<ReportForm>,
) -> Result<Response, WebError> {
    match not_me::report(&state, &f.token, &actor).await {
        Ok(secured) => {
            let l = crate::i18n::current();
            let done = vec![
                l.tn("web-not-me-done-sessions", "count", secured.sessions),
                l.tn("web-not-me-done-devices", "count", secured.devices),
                l.t("web-not-me-done-password"),
                l.t("web-not-me-done-admins"),
            ];
            let page = NotMePage {
                chrome: chrome(None, &csrf),
                token: String::new(),
                account: String::new(),
                done: Some(done),
                error: None,
            };
            let jar = match jar.get(super::SESSION_COOKIE) {
                Some(_) => without_session(&state, jar),
                None => jar,
            };
            Ok((jar, render(&page)).into_response())
        }
        Err(ServiceError::LinkInvalid) => {
            let err = FormError::from_service(ServiceError::Invalid(crate::i18n::Msg::new("web-not-me-link-invalid")))?;
            Ok(err.respond(render(&invalid_page(None, &csrf))))
        }
        Err(e) => Err(e.into()),
    }
}
