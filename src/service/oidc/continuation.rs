//! "Where to go after signing in", sealed: an application's authorization request, or a page
//! behind a proxy. The browser carries it through the sign-in (in the login form, the pending
//! sign-in, the session of a member held to the set-up); it is encrypted and authenticated with
//! the secret key, so it cannot be read or changed, and it expires. Nothing is stored for a
//! visitor who has not signed in.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::domain::forward;
use crate::domain::oidc::AuthRequest;
use crate::domain::signin::Continuation;
use crate::state::AppState;

/// How long a sign-in may take between the application's request and the return to it.
pub const LIFETIME: i64 = 3600;

const PURPOSE: &str = "continue";

/// Where a sign-in continues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// An application's authorization request (OpenID Connect).
    Authorize(AuthRequest),
    /// A page behind a reverse proxy (forward-auth), on a configured domain.
    Page(String),
}

#[derive(Serialize, Deserialize)]
struct Sealed {
    at: i64,
    target: Target,
}

/// Why a continuation cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    /// Not one Latchkey made (changed, or made with another key).
    Invalid,
    /// Older than `LIFETIME`.
    Expired,
}

pub fn seal(state: &AppState, target: Target) -> Continuation {
    let sealed = Sealed { at: state.clock.now(), target };
    let json = serde_json::to_vec(&sealed).unwrap_or_default();
    Continuation(state.key.seal(PURPOSE, &json))
}

pub fn open(state: &AppState, c: &str) -> Result<Target, Unusable> {
    let plain = state.key.open(PURPOSE, c).map_err(|_| Unusable::Invalid)?;
    let sealed: Sealed = serde_json::from_slice(&plain).map_err(|_| Unusable::Invalid)?;
    if state.clock.now() - sealed.at > LIFETIME {
        return Err(Unusable::Expired);
    }
    Ok(sealed.target)
}

/// A page to return to after signing in, if Latchkey may send people there (its own host or a
/// forward-auth domain).
pub fn page(state: &AppState, url: &str) -> Option<Target> {
    let url = Url::parse(url).ok()?;
    let own = state.settings.public_url.host_str().unwrap_or_default();
    forward::may_return_to(&url, own, &state.settings.forward_auth_domains).then(|| Target::Page(url.to_string()))
}
