//! What an access token is worth: the userinfo endpoint (OpenID Connect Core §5.3),
//! introspection (RFC 7662) and revocation (RFC 7009). An access token is looked up with its
//! grant, member and session in one indexed read, so it stops working the moment its grant is
//! revoked, its member disabled or (unless offline) its session ended.

use serde_json::{json, Map, Value};

use super::{authenticate_client, grant_alive, issuer, member_claims, ApiError, ApiResult, ClientAuth};
use crate::domain::oidc::Scopes;
use crate::secrets::hash_token;
use crate::state::AppState;
use crate::store::grants::{self, GrantView, TokenKind};

/// The live grant behind an access token.
async fn live(state: &AppState, token: &str) -> ApiResult<Option<(GrantView, i64, i64)>> {
    let now = state.clock.now();
    let found = grants::by_access_token(&mut *state.db.read().await?, &hash_token(token), now).await?;
    Ok(found.filter(|(g, _, _)| grant_alive(state, g, now)))
}

/// `GET /oauth/userinfo` with a bearer token: the member's claims the scopes allow.
pub async fn userinfo(state: &AppState, token: Option<&str>) -> ApiResult<Map<String, Value>> {
    let token = token.ok_or(ApiError::Token("an access token is required"))?;
    let (g, _, _) = live(state, token).await?.ok_or(ApiError::Token("the access token is not valid"))?;
    Ok(member_claims(&g, Scopes::parse(&g.scope)))
}

/// `POST /oauth/introspect` by a confidential client of the token's organization: whether the
/// token is active, and what it is. Anything else is `{"active": false}`.
pub async fn introspect(state: &AppState, auth: &ClientAuth, token: &str) -> ApiResult<Value> {
    let app = super::authenticate_client(state, auth).await?;
    if app.secret_hash.is_none() {
        return Err(super::bad(
            crate::domain::oidc::ErrorCode::UnauthorizedClient,
            "only a confidential client may introspect tokens",
        ));
    }
    let Some((g, iat, exp)) = live(state, token).await? else {
        return Ok(json!({ "active": false }));
    };
    if g.org_id != app.org_id {
        return Ok(json!({ "active": false }));
    }
    Ok(json!({
        "active": true,
        "scope": g.scope,
        "client_id": g.client_id,
        "username": g.email,
        "token_type": "Bearer",
        "exp": exp,
        "iat": iat,
        "sub": g.subject,
        "aud": g.client_id,
        "iss": issuer(state),
    }))
}

/// `POST /oauth/revoke`: a refresh token ends its whole grant; an access token ends alone. A
/// token that is unknown, or another client's, changes nothing and is answered the same way.
pub async fn revoke(state: &AppState, auth: &ClientAuth, token: &str) -> ApiResult<()> {
    let app = authenticate_client(state, auth).await?;
    let now = state.clock.now();
    let hash = hash_token(token);
    let mut tx = state.db.begin().await?;
    match grants::token_owner(&mut tx, &hash).await? {
        Some((grant_id, kind, client)) if client == app.client_id => {
            if kind == TokenKind::Refresh.as_str() {
                grants::revoke(&mut tx, grant_id, now).await?;
            } else {
                grants::delete_token(&mut tx, &hash).await?;
            }
        }
        _ => {}
    }
    tx.commit().await?;
    Ok(())
}
