//! The JSON endpoints applications call: discovery (OpenID Connect Discovery 1.0), JWKS,
//! token (RFC 6749 §3.2), userinfo, revocation (RFC 7009) and introspection (RFC 7662). Errors
//! are JSON as RFC 6749 §5.2 says; nothing here reads or sets a cookie.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};
use tower_http::cors::{Any, CorsLayer};

use crate::domain::authn::{ACR_PASSWORD, ACR_PHISHING_RESISTANT, ACR_TWO_FACTOR};
use crate::domain::oidc::{ErrorCode, OidcError};
use crate::service::oidc::token::{self, Grant};
use crate::service::oidc::{issuer, keys, userinfo, ApiError, ClientAuth};
use crate::service::ServiceError;
use crate::state::AppState;
use crate::web::error::{with_retry_after, OutageError, UNAVAILABLE_RETRY};
use crate::web::extract::Client;

pub fn routes() -> Router<AppState> {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]);
    Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/oauth/jwks", get(jwks))
        .route("/oauth/token", post(token_endpoint))
        .route("/oauth/userinfo", get(userinfo_endpoint).post(userinfo_endpoint))
        .route("/oauth/revoke", post(revoke))
        .route("/oauth/introspect", post(introspect))
        .layer(cors)
        // An application may send the person with a form post (OpenID Connect Core §3.1.2.1),
        // from its own site: the parameters move to the query of the page that handles them.
        .route("/oauth/authorize", post(authorize_form))
        .route("/oauth/logout", post(logout_form))
}

/// The answer to a failed request, as RFC 6749 §5.2 (and RFC 6750 §3 for bearer tokens) say.
fn api_error(e: ApiError) -> Response {
    let body = |code: ErrorCode, d: &str| Json(json!({ "error": code.as_str(), "error_description": d }));
    match e {
        ApiError::Request(OidcError { code, description }) => {
            (StatusCode::BAD_REQUEST, body(code, &description)).into_response()
        }
        ApiError::Client { error, basic } => {
            let mut r = (StatusCode::UNAUTHORIZED, body(error.code, &error.description)).into_response();
            if basic {
                r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"latchkey\""));
            }
            r
        }
        ApiError::NoToken => {
            let mut r = StatusCode::UNAUTHORIZED.into_response();
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"latchkey\""));
            r
        }
        ApiError::Token(why) => {
            let challenge = format!("Bearer realm=\"latchkey\", error=\"invalid_token\", error_description=\"{why}\"");
            let mut r = (StatusCode::UNAUTHORIZED, body(ErrorCode::InvalidRequest, why)).into_response();
            if let Ok(v) = HeaderValue::from_str(&challenge) {
                r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
            }
            *r.body_mut() =
                axum::body::Body::from(json!({ "error": "invalid_token", "error_description": why }).to_string());
            r
        }
        ApiError::Service(ServiceError::Store(s)) if s.is_unavailable() => {
            let b = body(ErrorCode::TemporarilyUnavailable, "the service cannot use its database right now");
            let mut r = with_retry_after((StatusCode::SERVICE_UNAVAILABLE, b).into_response(), UNAVAILABLE_RETRY);
            r.extensions_mut().insert(OutageError(s.to_string()));
            r
        }
        ApiError::Service(ServiceError::Overloaded) => with_retry_after(
            (StatusCode::SERVICE_UNAVAILABLE, body(ErrorCode::TemporarilyUnavailable, "busy")).into_response(),
            2,
        ),
        ApiError::Service(e) => {
            tracing::error!(error = %e, "OpenID Connect request failed");
            (StatusCode::INTERNAL_SERVER_ERROR, body(ErrorCode::ServerError, "the request could not be completed"))
                .into_response()
        }
    }
}

fn json_ok(v: impl serde::Serialize) -> Response {
    let mut r = Json(v).into_response();
    r.headers_mut().insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    r
}

async fn discovery(State(state): State<AppState>) -> Response {
    let iss = issuer(&state);
    let at = |path: &str| format!("{iss}{path}");
    json_ok(json!({
        "issuer": iss,
        "authorization_endpoint": at("/oauth/authorize"),
        "token_endpoint": at("/oauth/token"),
        "userinfo_endpoint": at("/oauth/userinfo"),
        "jwks_uri": at("/oauth/jwks"),
        "end_session_endpoint": at("/oauth/logout"),
        "revocation_endpoint": at("/oauth/revoke"),
        "introspection_endpoint": at("/oauth/introspect"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        "scopes_supported": ["openid", "email", "profile", "offline_access"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "amr", "acr", "azp",
            "email", "email_verified", "name", "org_name", "org_domain"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "acr_values_supported": [ACR_PASSWORD, ACR_TWO_FACTOR, ACR_PHISHING_RESISTANT],
        "prompt_values_supported": ["none", "login", "consent"],
        "claims_parameter_supported": false,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "authorization_response_iss_parameter_supported": true,
    }))
}

async fn jwks(State(state): State<AppState>) -> Response {
    match keys::jwks(&state).await {
        Ok(keys) => json_ok(json!({ "keys": keys })),
        Err(e) => api_error(ApiError::Service(e)),
    }
}

/// The form of a token, revocation or introspection request.
#[derive(Deserialize, Default)]
struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    scope: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    token: Option<String>,
}

/// Reads the form; a body that is not one is `invalid_request`.
async fn read_form(req: Request) -> Result<(HeaderMap, TokenForm), Response> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.map_err(|_| {
        api_error(ApiError::Request(OidcError::new(ErrorCode::InvalidRequest, "the body could not be read")))
    })?;
    let form = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
        api_error(ApiError::Request(OidcError::new(ErrorCode::InvalidRequest, "the body is not a form")))
    })?;
    Ok((parts.headers, form))
}

/// `Authorization: Basic` as RFC 6749 §2.3.1 writes it: both parts form-encoded, then base64.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic "))?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unescape =
        |s: &str| url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
    Some((unescape(id)?, unescape(secret)?))
}

fn client_auth(headers: &HeaderMap, f: &TokenForm) -> ClientAuth {
    ClientAuth {
        basic: basic_credentials(headers),
        client_id: f.client_id.clone().filter(|c| !c.is_empty()),
        client_secret: f.client_secret.clone().filter(|c| !c.is_empty()),
    }
}

fn missing(what: &str) -> Response {
    api_error(ApiError::Request(OidcError::new(ErrorCode::InvalidRequest, format!("{what} is missing"))))
}

async fn token_endpoint(State(state): State<AppState>, Client(actor): Client, req: Request) -> Response {
    let (headers, f) = match read_form(req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let auth = client_auth(&headers, &f);
    let grant = match f.grant_type.as_deref() {
        Some("authorization_code") => match f.code.clone() {
            Some(code) => Grant::Code { code, redirect_uri: f.redirect_uri.clone(), verifier: f.code_verifier.clone() },
            None => return missing("code"),
        },
        Some("refresh_token") => match f.refresh_token.clone() {
            Some(token) => Grant::Refresh { token, scope: f.scope.clone() },
            None => return missing("refresh_token"),
        },
        None => return missing("grant_type"),
        Some(_) => {
            let e = OidcError::new(ErrorCode::UnsupportedGrantType, "use authorization_code or refresh_token");
            return api_error(ApiError::Request(e));
        }
    };
    match token::exchange(&state, &auth, grant, &actor).await {
        Ok(tokens) => json_ok(tokens),
        Err(e) => api_error(e),
    }
}

async fn userinfo_endpoint(State(state): State<AppState>, req: Request) -> Response {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|t| t.trim().to_string());
    let token = match bearer {
        Some(t) => Some(t),
        // RFC 6750 §2.2: a form-encoded body with access_token.
        None if req.method() == Method::POST => {
            #[derive(Deserialize)]
            struct Body {
                access_token: Option<String>,
            }
            let bytes = axum::body::to_bytes(req.into_body(), 64 * 1024).await.unwrap_or_default();
            serde_urlencoded::from_bytes::<Body>(&bytes).ok().and_then(|b| b.access_token)
        }
        None => None,
    };
    match userinfo::userinfo(&state, token.as_deref()).await {
        Ok(claims) => json_ok(Value::Object(claims)),
        Err(e) => api_error(e),
    }
}

async fn revoke(State(state): State<AppState>, req: Request) -> Response {
    let (headers, f) = match read_form(req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(token) = f.token.clone() else { return missing("token") };
    match userinfo::revoke(&state, &client_auth(&headers, &f), &token).await {
        Ok(()) => StatusCode::OK.into_response(),
        Err(e) => api_error(e),
    }
}

async fn introspect(State(state): State<AppState>, req: Request) -> Response {
    let (headers, f) = match read_form(req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(token) = f.token.clone() else { return missing("token") };
    match userinfo::introspect(&state, &client_auth(&headers, &f), &token).await {
        Ok(v) => json_ok(v),
        Err(e) => api_error(e),
    }
}

/// A form post answered with a redirect to `path` carrying the form as its query.
async fn form_to_query(path: &str, req: Request) -> Response {
    let bytes = axum::body::to_bytes(req.into_body(), 64 * 1024).await.unwrap_or_default();
    // Only what parses as a form is carried over, re-encoded.
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&bytes).into_owned().collect();
    let query = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    Redirect::to(&format!("{path}?{query}")).into_response()
}

async fn authorize_form(req: Request) -> Response {
    form_to_query("/oauth/authorize", req).await
}

async fn logout_form(req: Request) -> Response {
    form_to_query("/oauth/logout", req).await
}
