//! RP-Initiated Logout 1.0: an application sends the person to end their Latchkey session, with
//! the ID token it holds (`id_token_hint`) and where to come back (`post_logout_redirect_uri`,
//! which must be registered for it exactly). Without a hint that names the signed-in member,
//! the person is asked first: a link alone must not sign anyone out.

use serde::Deserialize;

use super::super::sessions::{self, Current};
use super::super::Result;
use super::{issuer, keys};
use crate::domain::oidc::response_url;
use crate::jose;
use crate::state::AppState;
use crate::store::apps;
use crate::store::audit::Actor;

/// The request, as received.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EndSession {
    pub id_token_hint: Option<String>,
    pub client_id: Option<String>,
    pub post_logout_redirect_uri: Option<String>,
    pub state: Option<String>,
}

/// What happens next.
pub enum Ended {
    /// Signed out (or nobody was signed in); back to the application when it may be.
    Done { redirect: Option<String> },
    /// Ask "Log out?" first; `app` names the application when it is known.
    Confirm { app: Option<String> },
}

#[derive(Deserialize)]
struct HintClaims {
    iss: String,
    sub: String,
    aud: serde_json::Value,
    #[serde(default)]
    sid: Option<String>,
}

/// `/oauth/logout`. `confirmed`: the person pressed "Log out" on the confirmation.
pub async fn end_session(
    state: &AppState,
    req: &EndSession,
    current: Option<&Current>,
    confirmed: bool,
    actor: &Actor,
) -> Result<Ended> {
    let jwks = keys::jwks(state).await?;
    let hint: Option<HintClaims> = req
        .id_token_hint
        .as_deref()
        .and_then(|t| jose::verify_signature::<HintClaims>(t, &jwks))
        .filter(|c| c.iss == issuer(state));
    let hinted_client = hint.as_ref().and_then(|h| match &h.aud {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(a) => a.first().and_then(|v| v.as_str()).map(str::to_string),
        _ => None,
    });
    // The client named by the hint, or by client_id; both must agree.
    let client_id = match (hinted_client, req.client_id.clone()) {
        (Some(h), Some(c)) if h != c => None,
        (h, c) => h.or(c),
    };
    let app = match &client_id {
        Some(id) => state.db.read(|conn| apps::by_client_id(conn, id))?,
        None => None,
    };
    let mut redirect = None;
    if let (Some(app), Some(uri)) = (&app, req.post_logout_redirect_uri.as_deref()) {
        if state.db.read(|conn| apps::has_uri(conn, app.id, "post_logout", uri))? {
            let params: Vec<(&str, &str)> = req.state.as_deref().map(|s| vec![("state", s)]).unwrap_or_default();
            redirect = Some(response_url(uri, &params));
        }
    }
    let Some(c) = current else {
        return Ok(Ended::Done { redirect });
    };
    // Only an ID token of this very session signs it out without asking (RP-Initiated Logout
    // §2): an old token of the member, from another session, is not enough.
    let sid = super::session_sid(state, c.session.id);
    let names_session = hint.as_ref().is_some_and(|h| h.sub == c.subject && h.sid.as_deref() == Some(sid.as_str()));
    if !confirmed && !names_session {
        return Ok(Ended::Confirm { app: app.map(|a| a.name) });
    }
    sessions::sign_out(state, c, actor).await?;
    Ok(Ended::Done { redirect })
}
