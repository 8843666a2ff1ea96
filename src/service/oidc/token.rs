//! The token endpoint: a code for tokens (single use, 60 s, bound to the client, the redirect
//! URI and the PKCE verifier; a second use revokes what it gave), and refresh (each refresh
//! token works once; a second use revokes the whole grant). Everything is decided by
//! conditional updates in one transaction, so it holds across processes.

use serde::Serialize;

use super::super::ServiceError;
use super::{
    authenticate_client, authn_of, bad, grant_alive, issuer, keys, member_claims, ApiError, ApiResult, ClientAuth,
};
use crate::domain::audit::AuditKind;
use crate::domain::oidc::{verifier_matches, ErrorCode, Scopes};
use crate::jose::{Alg, Signer};
use crate::secrets::{hash_token, new_token};
use crate::state::AppState;
use crate::store::apps::AppRow;
use crate::store::audit::{self, Actor, Event};
use crate::store::grants::{self, GrantView, NewGrant};
use crate::store::Conn;

/// What the application asked for.
pub enum Grant {
    Code { code: String, redirect_uri: Option<String>, verifier: Option<String> },
    Refresh { token: String, scope: Option<String> },
}

/// The token response (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3).
#[derive(Debug, Serialize)]
pub struct Tokens {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub refresh_token: String,
    pub id_token: String,
    pub scope: String,
}

/// `POST /oauth/token`.
pub async fn exchange(state: &AppState, auth: &ClientAuth, grant: Grant, actor: &Actor) -> ApiResult<Tokens> {
    let app = authenticate_client(state, auth).await?;
    match grant {
        Grant::Code { code, redirect_uri, verifier } => {
            redeem(state, &app, &code, redirect_uri.as_deref(), verifier.as_deref(), actor).await
        }
        Grant::Refresh { token, scope } => refresh(state, &app, &token, scope.as_deref(), actor).await,
    }
}

fn invalid_grant(why: &str) -> ApiError {
    bad(ErrorCode::InvalidGrant, why)
}

async fn redeem(
    state: &AppState,
    app: &AppRow,
    code: &str,
    redirect_uri: Option<&str>,
    verifier: Option<&str>,
    actor: &Actor,
) -> ApiResult<Tokens> {
    let signer = signer_of(state, app).await?;
    let now = state.clock.now();
    let code_hash = hash_token(code);
    let (scope, g, pair, nonce) = state.db.tx(|tx| {
        let Some(c) = grants::take_code(tx, &code_hash, app.id, now)? else {
            if grants::code_was_used(tx, &code_hash, app.id)? {
                // A second use: what the first one gave is revoked (RFC 6749 §4.1.2).
                let n = grants::revoke_by_code(tx, &code_hash, now)?;
                replayed(tx, app, "an authorization code", n, actor, now)?;
                return Ok(Err(invalid_grant("the code was used already; the tokens it gave are revoked")));
            }
            return Err(invalid_grant("the code is unknown or expired"));
        };
        // The code is used up from here on, whatever follows: it is committed before any refusal.
        let refusal = if redirect_uri != Some(c.redirect_uri.as_str()) {
            Some("redirect_uri differs from the authorization request's")
        } else {
            match (c.code_challenge.as_deref(), verifier) {
                (Some(ch), Some(v)) if verifier_matches(ch, v) => None,
                (Some(_), Some(_)) => Some("the code_verifier does not match the code_challenge"),
                (Some(_), None) => Some("code_verifier is missing"),
                (None, Some(_)) => Some("a code_verifier was sent but the request had no code_challenge"),
                (None, None) => None,
            }
        };
        if let Some(why) = refusal {
            return Ok(Err(invalid_grant(why)));
        }
        let scope = Scopes::parse(&c.scope);
        let new = NewGrant {
            application_id: app.id,
            user_id: c.user_id,
            session_id: c.session_id,
            offline: scope.offline_access,
            code_hash: &c.code_hash,
            scope: &c.scope,
            auth_time: c.auth_time,
            authn: &c.authn,
        };
        let grant_id = grants::insert_grant(tx, &new, now)?;
        let g = grants::grant(tx, grant_id)?.ok_or_else(|| invalid_grant("the grant is gone"))?;
        if !grant_alive(state, &g, now) {
            return ended(tx, grant_id, now);
        }
        let pair = store_tokens(tx, state, &g, scope, now)?;
        Ok::<_, ApiError>(Ok((scope, g, pair, c.nonce)))
    })??;
    // Signed once the writer is free: the signature is the slow part.
    tokens(state, signer, &g, (scope, nonce.as_deref()), pair, now).await
}

async fn refresh(state: &AppState, app: &AppRow, token: &str, scope: Option<&str>, actor: &Actor) -> ApiResult<Tokens> {
    let signer = signer_of(state, app).await?;
    let now = state.clock.now();
    let token_hash = hash_token(token);
    let (g, scope, pair) = state.db.tx(|tx| {
        let Some(grant_id) = grants::take_refresh(tx, &token_hash, app.id, now)? else {
            if let Some(grant_id) = grants::reused_refresh(tx, &token_hash, app.id)? {
                // A rotated token came back: someone holds a copy. The whole grant ends.
                let revoked = grants::revoke(tx, grant_id, now)?;
                replayed(tx, app, "a refresh token", u64::from(revoked), actor, now)?;
                return Ok(Err(invalid_grant("the refresh token was used already; the grant is revoked")));
            }
            return Err(invalid_grant("the refresh token is unknown, expired or revoked"));
        };
        let g = grants::grant(tx, grant_id)?.ok_or_else(|| invalid_grant("the grant is gone"))?;
        if !grant_alive(state, &g, now) {
            return ended(tx, grant_id, now);
        }
        let granted = Scopes::parse(&g.scope);
        let scope = match scope.filter(|s| !s.trim().is_empty()) {
            None => granted,
            Some(asked) if granted.covers(Scopes::parse(asked)) && Scopes::parse(asked).openid => Scopes::parse(asked),
            // Dropped with the transaction: the refresh token still works.
            Some(_) => return Err(bad(ErrorCode::InvalidScope, "the scope asks for more than was granted")),
        };
        let pair = store_tokens(tx, state, &g, scope, now)?;
        Ok::<_, ApiError>(Ok((g, scope, pair)))
    })??;
    if g.offline == 0 {
        // The application's use counts as the session's activity.
        state.touches.record(g.session_id, now);
    }
    tokens(state, signer, &g, (scope, None), pair, now).await
}

/// The grant can give nothing more (its session ended, its member was disabled): revoked, and
/// the request refused.
fn ended<T>(tx: &mut Conn, grant_id: i64, now: i64) -> ApiResult<ApiResult<T>> {
    grants::revoke(tx, grant_id, now)?;
    Ok(Err(invalid_grant("the member's session has ended or the member is disabled")))
}

/// Records a replay (a second use of a code or a refresh token) for the member and the admins.
fn replayed(conn: &mut Conn, app: &AppRow, what: &str, revoked: u64, actor: &Actor, now: i64) -> ApiResult<()> {
    let detail = format!("{what} of {} ({}) was presented again; {revoked} grant(s) revoked", app.name, app.client_id);
    let e = Event { kind: AuditKind::TokenReplay, user_id: None, org_id: Some(app.org_id), actor, detail: &detail };
    audit::record(conn, e, now)?;
    Ok(())
}

/// The ID token's claims (OpenID Connect Core §2) and the member's.
fn id_claims(
    state: &AppState,
    g: &GrantView,
    (scope, nonce): (Scopes, Option<&str>),
    now: i64,
) -> serde_json::Map<String, serde_json::Value> {
    let authn = authn_of(g);
    let mut claims = member_claims(g, scope);
    let ttl = state.settings.access_token_ttl.as_secs() as i64;
    claims.insert("iss".into(), issuer(state).into());
    claims.insert("aud".into(), g.client_id.clone().into());
    claims.insert("azp".into(), g.client_id.clone().into());
    claims.insert("iat".into(), now.into());
    claims.insert("exp".into(), (now + ttl).into());
    claims.insert("auth_time".into(), g.auth_time.into());
    claims.insert("amr".into(), authn.amr().into());
    claims.insert("acr".into(), authn.acr().into());
    claims.insert("sid".into(), super::session_sid(state, g.session_id).into());
    if let Some(n) = nonce {
        claims.insert("nonce".into(), n.into());
    }
    claims
}

/// The key that signs the application's ID tokens; read before any transaction begins (a
/// connection is never awaited while one is held).
async fn signer_of(state: &AppState, app: &AppRow) -> ApiResult<Signer> {
    Ok(keys::signer(state, Alg::parse(&app.id_token_alg).unwrap_or(Alg::RS256)).await?)
}

/// New access and refresh tokens of the grant, stored as their hashes (one statement); the
/// access token keeps `scope` when it is narrower than the grant's.
fn store_tokens(
    conn: &mut Conn,
    state: &AppState,
    g: &GrantView,
    scope: Scopes,
    now: i64,
) -> ApiResult<(String, String)> {
    let s = &state.settings;
    let (access, access_hash) = new_token();
    let (refresh, refresh_hash) = new_token();
    let access_until = now + s.access_token_ttl.as_secs() as i64;
    let refresh_until = now + s.refresh_token_ttl.as_secs() as i64;
    let narrowed = scope.as_string();
    let narrowed = (narrowed != Scopes::parse(&g.scope).as_string()).then_some(narrowed.as_str());
    let stored = ((access_hash.as_str(), access_until), narrowed);
    grants::insert_token_pair(conn, g.grant_id, stored, (&refresh_hash, refresh_until), now)?;
    Ok((access, refresh))
}

/// The token response: the stored tokens and an ID token signed off the async threads (an RSA
/// signature takes most of a millisecond).
async fn tokens(
    state: &AppState,
    signer: Signer,
    g: &GrantView,
    claims_for: (Scopes, Option<&str>),
    (access, refresh): (String, String),
    now: i64,
) -> ApiResult<Tokens> {
    let claims = id_claims(state, g, claims_for, now);
    let signed = tokio::task::spawn_blocking(move || signer.sign(&claims))
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(Tokens {
        access_token: access,
        token_type: "Bearer",
        expires_in: state.settings.access_token_ttl.as_secs() as i64,
        refresh_token: refresh,
        id_token: signed,
        scope: claims_for.0.as_string(),
    })
}
