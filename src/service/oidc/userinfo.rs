//! What an access token is worth: the userinfo endpoint (OpenID Connect Core §5.3),
//! introspection (RFC 7662) and revocation (RFC 7009). An access token is looked up with its
//! grant, member and session in one indexed read, so it stops working the moment its grant is
//! revoked, its member disabled or (unless offline) its session ended.

use serde_json::{json, Map, Value};

use super::{authenticate_client, grant_alive, issuer, member_claims, ApiError, ApiResult, ClientAuth};
use crate::domain::oidc::Scopes;
use crate::secrets::hash_token;
use crate::state::AppState;
use crate::store::grants::{self, AccessView, TokenKind};

/// The live grant behind an access token.
async fn live(state: &AppState, token: &str) -> ApiResult<Option<AccessView>> {
    let now = state.clock.now();
    let found = state.db.lookup(|conn| grants::by_access_token(conn, &hash_token(token), now))?;
    Ok(found.filter(|a| grant_alive(state, &a.grant, now)))
}

/// `GET /oauth/userinfo` with a bearer token: the member's claims the token's scopes allow.
pub async fn userinfo(state: &AppState, token: Option<&str>) -> ApiResult<Map<String, Value>> {
    let token = token.ok_or(ApiError::NoToken)?;
    let a = live(state, token).await?.ok_or(ApiError::Token("the access token is not valid"))?;
    Ok(member_claims(&a.grant, Scopes::parse(&a.scope)))
}

/// `POST /oauth/introspect` (RFC 7662): whether a token is active, and what it is, told to the
/// token's own client or to a first-party confidential client of its organization (a resource
/// server); anything else is `{"active": false}`, as a token that is not active is. The email is
/// told only when the token's scope allows it.
pub async fn introspect(state: &AppState, auth: &ClientAuth, token: &str) -> ApiResult<Value> {
    let app = super::authenticate_client(state, auth).await?;
    if app.secret_hash.is_none() {
        return Err(super::bad(
            crate::domain::oidc::ErrorCode::UnauthorizedClient,
            "only a confidential client may introspect tokens",
        ));
    }
    let inactive = json!({ "active": false });
    let Some(a) = live(state, token).await? else {
        return Ok(inactive);
    };
    let g = &a.grant;
    let own = g.application_id == app.id;
    let resource_server = g.org_id == app.org_id && app.third_party == 0;
    if !own && !resource_server {
        return Ok(inactive);
    }
    let mut v = json!({
        "active": true,
        "scope": a.scope,
        "client_id": g.client_id,
        "token_type": "Bearer",
        "exp": a.expires_at,
        "iat": a.created_at,
        "sub": g.subject,
        "aud": g.client_id,
        "iss": issuer(state),
    });
    if Scopes::parse(&a.scope).email {
        v["username"] = g.email.clone().into();
    }
    Ok(v)
}

/// `POST /oauth/revoke`: a refresh token ends its whole grant; an access token ends alone. A
/// token that is unknown, or another client's, changes nothing and is answered the same way.
pub async fn revoke(state: &AppState, auth: &ClientAuth, token: &str) -> ApiResult<()> {
    let app = authenticate_client(state, auth).await?;
    let now = state.clock.now();
    let hash = hash_token(token);
    state.db.tx(|tx| {
        match grants::token_owner(tx, &hash)? {
            Some((grant_id, kind, client)) if client == app.client_id => {
                if kind == TokenKind::Refresh.as_str() {
                    grants::revoke(tx, grant_id, now)?;
                } else {
                    grants::delete_token(tx, &hash)?;
                }
            }
            _ => {}
        }
        Ok::<_, ApiError>(())
    })?;
    Ok(())
}
