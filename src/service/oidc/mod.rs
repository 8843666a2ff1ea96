//! Signing in to other applications through Latchkey: the OpenID Connect provider (authorize,
//! token, userinfo, revocation, introspection, end session, signing keys) and forward-auth for
//! reverse proxies. One use case: its modules share the client checks and the claims here.

pub mod authorize;
pub mod consent;
pub mod continuation;
pub mod forward_auth;
pub mod keys;
pub mod logout;
pub mod token;
pub mod userinfo;

use subtle::ConstantTimeEq;

use super::ServiceError;
use crate::domain::account::Role;
use crate::domain::authn::Authn;
use crate::domain::oidc::{ErrorCode, OidcError, Scopes};
use crate::domain::policy::{resolve, Requirement};
use crate::domain::session::{SessionLifetime, SessionState};
use crate::secrets::hash_token;
use crate::state::AppState;
use crate::store::apps::{self, AppRow};
use crate::store::grants::GrantView;

/// The issuer: the public URL without a trailing slash (`iss` in every token).
pub fn issuer(state: &AppState) -> String {
    state.settings.public_url.as_str().trim_end_matches('/').to_string()
}

/// Why a request of an application (token, revocation, introspection, userinfo) failed.
#[derive(Debug)]
pub enum ApiError {
    /// The client could not be authenticated (401; `basic`: it tried HTTP Basic).
    Client { error: OidcError, basic: bool },
    /// The request was refused (400).
    Request(OidcError),
    /// No bearer token was sent (401, with no error code: RFC 6750 §3.1).
    NoToken,
    /// A bearer token that is unknown, expired or revoked (401).
    Token(&'static str),
    /// The database or another part failed (503 or 500).
    Service(ServiceError),
}

impl<E: Into<ServiceError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError::Service(e.into())
    }
}

pub type ApiResult<T> = std::result::Result<T, ApiError>;

fn bad(code: ErrorCode, description: &str) -> ApiError {
    ApiError::Request(OidcError::new(code, description))
}

/// How a client presented itself: HTTP Basic, or `client_id` (and `client_secret`) in the body.
#[derive(Debug, Default, Clone)]
pub struct ClientAuth {
    pub basic: Option<(String, String)>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

/// The application a request comes from: a confidential client proves itself with its secret
/// (`client_secret_basic` or `client_secret_post`, one of them); a public client names itself.
async fn authenticate_client(state: &AppState, auth: &ClientAuth) -> ApiResult<AppRow> {
    let basic = auth.basic.is_some();
    let refused = |why: &str| ApiError::Client { error: OidcError::new(ErrorCode::InvalidClient, why), basic };
    let (client_id, secret) = match (&auth.basic, &auth.client_secret) {
        (Some(_), Some(_)) => return Err(bad(ErrorCode::InvalidRequest, "use one client authentication method")),
        (Some((id, secret)), None) => {
            if auth.client_id.as_ref().is_some_and(|body| body != id) {
                return Err(bad(ErrorCode::InvalidRequest, "client_id differs from the authenticated client"));
            }
            (id.clone(), Some(secret.clone()))
        }
        (None, secret) => {
            (auth.client_id.clone().ok_or_else(|| refused("client authentication is missing"))?, secret.clone())
        }
    };
    let app = state
        .db
        .lookup(|conn| apps::by_client_id(conn, &client_id))?
        .ok_or_else(|| refused("unknown client or wrong secret"))?;
    // Some libraries send a public client's id with an empty secret in HTTP Basic: no secret.
    let secret = secret.filter(|s| !s.is_empty());
    match (&app.secret_hash, secret) {
        (Some(stored), Some(given)) if bool::from(hash_token(&given).as_bytes().ct_eq(stored.as_bytes())) => Ok(app),
        (Some(_), _) => Err(refused("unknown client or wrong secret")),
        (None, None) => Ok(app),
        (None, Some(_)) => Err(refused("a public client has no secret")),
    }
}

/// Whether a grant's tokens still work: not revoked, the member not disabled nor held by the
/// organization's policy to the two-factor set-up, two factors given when the application
/// requires them, and (unless it is offline) the session it came from still open.
fn grant_alive(state: &AppState, g: &GrantView, now: i64) -> bool {
    if g.revoked_at.is_some() || g.disabled_at.is_some() {
        return false;
    }
    if resolve(&g.policy(), g.factors(), g.role == Role::Admin, now) == Requirement::EnrolNow {
        return false;
    }
    if g.app_require_2fa != 0 && !authn_of(g).two_factor() {
        return false;
    }
    if g.offline != 0 {
        return true;
    }
    let (Some(created), Some(seen)) = (g.session_created_at, g.session_last_seen_at) else {
        return false;
    };
    let seen = state.touches.seen(g.session_id).map_or(seen, |s| s.max(seen));
    let l = SessionLifetime {
        idle: state.settings.session_idle.as_secs() as i64,
        absolute: state.settings.session_lifetime.as_secs() as i64,
    };
    !matches!(l.state(created, seen, now), SessionState::Expired)
}

/// The claims about the member that the scopes allow (userinfo, and the ID token beside its
/// own claims): `sub` always; `email` and `email_verified` with `email`; `name` with `profile`
/// (when the member gave one); the organization always.
fn member_claims(g: &GrantView, scope: Scopes) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    m.insert("sub".into(), g.subject.clone().into());
    if scope.email {
        m.insert("email".into(), g.email.clone().into());
        m.insert("email_verified".into(), g.email_verified_at.is_some().into());
    }
    if scope.profile {
        if let Some(name) = g.name.as_ref().filter(|n| !n.is_empty()) {
            m.insert("name".into(), name.clone().into());
        }
    }
    m.insert("org_name".into(), g.org_name.clone().into());
    m.insert("org_domain".into(), g.org_domain.clone().into());
    m
}

/// The `sid` of a session (RP-Initiated Logout): a keyed hash of its id, so that an ID token
/// names its session without telling anything about it.
pub fn session_sid(state: &AppState, session_id: i64) -> String {
    state.key.keyed_hash("sid", session_id.to_string().as_bytes())[..32].to_string()
}

/// How the grant's sign-in was made.
fn authn_of(g: &GrantView) -> Authn {
    Authn::parse(&g.authn)
}
