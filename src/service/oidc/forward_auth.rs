//! Forward-auth: a reverse proxy asks, for every request to an application it protects, whether
//! the browser is signed in. One indexed read of the session (`sessions::authenticate`), and no
//! write: activity is kept in memory like any signed-in page's.

use url::Url;

use super::super::sessions::authenticate;
use super::super::Result;
use crate::domain::forward;
use crate::domain::policy::Requirement;
use crate::state::AppState;

/// Who is signed in, for the headers the proxy passes on.
pub struct Identity {
    pub email: String,
    pub subject: String,
    pub name: Option<String>,
    pub org_domain: String,
    pub org_name: String,
}

pub enum Verdict {
    Allowed(Identity),
    /// Not signed in (or not enough): sign in at `location`, which comes back to the page.
    SignIn {
        location: String,
    },
}

/// The verdict for a session cookie and the page the proxy says was asked for.
pub async fn check(state: &AppState, session_token: Option<&str>, original: Option<&Url>) -> Result<Verdict> {
    let current = match session_token {
        Some(t) => authenticate(state, t).await?,
        None => None,
    };
    let host = original.and_then(|u| u.host_str()).unwrap_or_default();
    if let Some(c) = current {
        let wants_2fa = forward::requires_two_factor(host, &state.settings.forward_auth_require_2fa);
        if c.requirement != Requirement::EnrolNow && (!wants_2fa || c.session.authn.two_factor()) {
            return Ok(Verdict::Allowed(Identity {
                email: c.user.email,
                subject: c.subject,
                name: c.name,
                org_domain: c.org.domain,
                org_name: c.org.name,
            }));
        }
    }
    let own = state.settings.public_url.host_str().unwrap_or_default();
    let back = original.filter(|u| forward::may_return_to(u, own, &state.settings.forward_auth_domains));
    let location = match back {
        Some(u) => {
            let rd: String = url::form_urlencoded::byte_serialize(u.as_str().as_bytes()).collect();
            state.settings.link(&format!("/login?rd={rd}"))
        }
        None => state.settings.link("/login"),
    };
    Ok(Verdict::SignIn { location })
}
