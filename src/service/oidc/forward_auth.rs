//! Forward-auth: a reverse proxy asks, for every request to an application it protects, whether
//! the browser is signed in. One indexed read of the session (`sessions::authenticate`), and no
//! write: activity is kept in memory like any signed-in page's.
//!
//! What a host requires is best said by the proxy's own configuration, in the address it calls
//! (`?org=acme.example&require=2fa`): the headers that name the page come from the request, and
//! what a client can put in them must not lower the bar. The hosts listed in
//! `--forward-auth-require-2fa` are matched against the host the proxy reports; when such hosts
//! are listed and the host cannot be read, two factors are required.

use url::Url;

use super::super::sessions::{authenticate, authenticate_forward, Current};
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
    /// Signed in, but a member of another organization than the one the proxy names: 403.
    Forbidden,
    /// Not signed in (or not enough): sign in at `location`, which comes back to the page.
    SignIn {
        location: String,
    },
}

/// What the proxy's configuration asks of the request (the query of the address it calls).
#[derive(Debug, Default, Clone)]
pub struct Asked {
    /// Only members of the organization owning this domain.
    pub org: Option<String>,
    /// Two factors, whatever the host.
    pub two_factor: bool,
}

/// The browser's cookie: the forward-auth cookie (on the cookie domain), or the session's own
/// (a protected application on Latchkey's own host).
pub enum Cookie<'a> {
    Forward(&'a str),
    Session(&'a str),
}

/// The verdict for a cookie and the page the proxy says was asked for.
pub async fn check(
    state: &AppState,
    cookie: Option<Cookie<'_>>,
    original: Option<&Url>,
    asked: &Asked,
) -> Result<Verdict> {
    let current = match cookie {
        Some(Cookie::Forward(t)) => authenticate_forward(state, t).await?,
        Some(Cookie::Session(t)) => authenticate(state, t).await?,
        None => None,
    };
    let host = original.and_then(|u| u.host_str()).map(|h| h.trim_end_matches('.'));
    let listed = &state.settings.forward_auth_require_2fa;
    let wants_2fa = asked.two_factor
        || match host {
            Some(h) => forward::requires_two_factor(h, listed),
            // A host that cannot be read is not let off a listed requirement.
            None => !listed.is_empty(),
        };
    if let Some(c) = current {
        if asked.org.as_deref().is_some_and(|d| !d.eq_ignore_ascii_case(&c.org.domain)) {
            return Ok(Verdict::Forbidden);
        }
        if enough(&c, wants_2fa) {
            return Ok(Verdict::Allowed(Identity {
                email: c.user.email,
                subject: c.subject,
                name: c.name,
                org_domain: c.org.domain,
                org_name: c.org.name,
            }));
        }
    }
    Ok(Verdict::SignIn { location: sign_in_at(state, original) })
}

/// Signed in as the host needs: not held by the policy, and with two factors when asked.
fn enough(c: &Current, wants_2fa: bool) -> bool {
    c.requirement != Requirement::EnrolNow && (!wants_2fa || c.session.authn.two_factor())
}

/// The sign-in page, coming back to the page when Latchkey may send people there.
fn sign_in_at(state: &AppState, original: Option<&Url>) -> String {
    let own = state.settings.public_url.host_str().unwrap_or_default();
    let https_only = state.settings.public_url.scheme() == "https";
    let back = original.filter(|u| {
        forward::may_return_to(u, own, &state.settings.forward_auth_domains) && (!https_only || u.scheme() == "https")
    });
    match back {
        Some(u) => {
            let rd: String = url::form_urlencoded::byte_serialize(u.as_str().as_bytes()).collect();
            state.settings.link(&format!("/login?rd={rd}"))
        }
        None => state.settings.link("/login"),
    }
}
