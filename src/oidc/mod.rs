//! The faces other applications and proxies see: the OpenID Connect provider and forward-auth.
//! Like `web/`, handlers parse, make one service call (`service::oidc`) and answer; the pages a
//! person sees on the way (consent, "Log out?") use `web/`'s pages and forms.
//!
//! - `browser`: `/oauth/authorize`, `/continue`, `/oauth/consent`, `/oauth/logout`, under the
//!   pages' CSRF layer;
//! - `api`: discovery, JWKS, token, userinfo, revocation, introspection: JSON for applications,
//!   no cookies, CORS for browser applications;
//! - `forward`: `/auth/forward` for nginx `auth_request`, Traefik `forwardAuth` and Caddy
//!   `forward_auth`.

pub mod api;
pub mod browser;
pub mod forward;

use axum::Router;

use crate::state::AppState;

/// The routes a browser visits (they render pages and post forms).
pub fn browser_routes() -> Router<AppState> {
    browser::routes()
}

/// The routes applications and proxies call.
pub fn api_routes() -> Router<AppState> {
    api::routes().merge(forward::routes())
}
