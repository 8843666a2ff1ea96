//! OpenID Connect's rules, without I/O: what an authorization request may ask (OpenID Connect
//! Core 1.0 §3.1.2, RFC 6749 §4.1, PKCE per RFC 7636, the security BCP RFC 9700), the scopes
//! and what they disclose, and (in `decide`) what a request leads to for a given session.

mod decide;
mod pkce;

use serde::{Deserialize, Serialize};

use super::text::Msg;

pub use decide::{decide, AppFacts, Decision, SessionFacts};
pub use pkce::{challenge_of, verifier_matches};

/// The error codes of the authorization and token endpoints (RFC 6749 §4.1.2.1 and §5.2,
/// OpenID Connect Core §3.1.2.6, RFC 7009 §2.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    UnsupportedResponseType,
    UnsupportedTokenType,
    InvalidScope,
    AccessDenied,
    LoginRequired,
    ConsentRequired,
    InteractionRequired,
    RequestNotSupported,
    RequestUriNotSupported,
    RegistrationNotSupported,
    ServerError,
    TemporarilyUnavailable,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::InvalidClient => "invalid_client",
            ErrorCode::InvalidGrant => "invalid_grant",
            ErrorCode::UnauthorizedClient => "unauthorized_client",
            ErrorCode::UnsupportedGrantType => "unsupported_grant_type",
            ErrorCode::UnsupportedResponseType => "unsupported_response_type",
            ErrorCode::UnsupportedTokenType => "unsupported_token_type",
            ErrorCode::InvalidScope => "invalid_scope",
            ErrorCode::AccessDenied => "access_denied",
            ErrorCode::LoginRequired => "login_required",
            ErrorCode::ConsentRequired => "consent_required",
            ErrorCode::InteractionRequired => "interaction_required",
            ErrorCode::RequestNotSupported => "request_not_supported",
            ErrorCode::RequestUriNotSupported => "request_uri_not_supported",
            ErrorCode::RegistrationNotSupported => "registration_not_supported",
            ErrorCode::ServerError => "server_error",
            ErrorCode::TemporarilyUnavailable => "temporarily_unavailable",
        }
    }
}

/// An error to send back to the application (by redirect, or as JSON from the token endpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcError {
    pub code: ErrorCode,
    pub description: String,
}

impl OidcError {
    pub fn new(code: ErrorCode, description: impl Into<String>) -> Self {
        Self { code, description: description.into() }
    }
}

/// The scopes Latchkey knows; others are ignored (OpenID Connect Core §3.1.2.1 lets a provider
/// ignore scope values it does not understand).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Scopes {
    pub openid: bool,
    pub email: bool,
    pub profile: bool,
    pub offline_access: bool,
}

impl Scopes {
    pub fn parse(s: &str) -> Self {
        let mut out = Scopes::default();
        for word in s.split(' ').filter(|w| !w.is_empty()) {
            match word {
                "openid" => out.openid = true,
                "email" => out.email = true,
                "profile" => out.profile = true,
                "offline_access" => out.offline_access = true,
                _ => {}
            }
        }
        out
    }

    /// The space-separated form, in a fixed order.
    pub fn as_string(self) -> String {
        let mut words = Vec::new();
        for (on, word) in [
            (self.openid, "openid"),
            (self.email, "email"),
            (self.profile, "profile"),
            (self.offline_access, "offline_access"),
        ] {
            if on {
                words.push(word);
            }
        }
        words.join(" ")
    }

    /// Whether every scope of `other` is in `self`.
    pub fn covers(self, other: Scopes) -> bool {
        (self.openid || !other.openid)
            && (self.email || !other.email)
            && (self.profile || !other.profile)
            && (self.offline_access || !other.offline_access)
    }

    /// Both sets together.
    pub fn union(self, other: Scopes) -> Scopes {
        Scopes {
            openid: self.openid || other.openid,
            email: self.email || other.email,
            profile: self.profile || other.profile,
            offline_access: self.offline_access || other.offline_access,
        }
    }

    /// What a consent page says the application wants, in plain words.
    pub fn disclosures(self) -> Vec<Msg> {
        let who = match (self.profile, self.email) {
            (true, true) => Msg::new("domain-oidc-disclose-name-email"),
            (true, false) => Msg::new("domain-oidc-disclose-name"),
            (false, true) => Msg::new("domain-oidc-disclose-email"),
            (false, false) => Msg::new("domain-oidc-disclose-who"),
        };
        let mut out = vec![who];
        if self.offline_access {
            out.push(Msg::new("domain-oidc-disclose-offline"));
        }
        out
    }
}

/// `prompt` (OpenID Connect Core §3.1.2.1): none, or any of login and consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Prompt {
    pub none: bool,
    pub login: bool,
    pub consent: bool,
}

impl Prompt {
    fn parse(s: &str) -> Result<Self, OidcError> {
        let mut p = Prompt::default();
        for word in s.split(' ').filter(|w| !w.is_empty()) {
            match word {
                "none" => p.none = true,
                "login" => p.login = true,
                "consent" => p.consent = true,
                // One account per browser: there is nothing to select.
                "select_account" => {}
                other => return Err(invalid(format!("prompt={other} is not supported"))),
            }
        }
        if p.none && (p.login || p.consent) {
            return Err(invalid("prompt=none cannot be combined with other values"));
        }
        Ok(p)
    }
}

/// The query of an authorization request as received (every parameter optional).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawRequest {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub response_type: Option<String>,
    pub response_mode: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub prompt: Option<String>,
    pub max_age: Option<String>,
    pub login_hint: Option<String>,
    pub acr_values: Option<String>,
    pub request: Option<String>,
    pub request_uri: Option<String>,
    pub registration: Option<String>,
}

/// A checked authorization request, from an application whose client id and redirect URI have
/// been checked already. It travels sealed (see `service::continuation`) while the person
/// signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: Scopes,
    pub state: Option<String>,
    pub nonce: Option<String>,
    /// The PKCE S256 challenge.
    pub challenge: Option<String>,
    pub prompt: Prompt,
    pub max_age: Option<i64>,
    pub login_hint: Option<String>,
    /// `acr_values` asked for the password and a second factor.
    pub two_factor: bool,
    /// `acr_values` asked for a phishing-resistant sign-in (a security key or passkey).
    pub phishing_resistant: bool,
    /// When the request was made: a sign-in after it is fresh for `prompt=login`.
    pub created_at: i64,
}

impl AuthRequest {
    /// Whether the application asks for a second factor given at the sign-in itself: `max_age`
    /// (a recent sign-in) or `acr_values` (two factors, or a phishing-resistant one). A
    /// remembered device does not satisfy it, and the sign-in it leads to does not skip the
    /// second step.
    pub fn asks_fresh_second_factor(&self) -> bool {
        self.max_age.is_some() || self.two_factor || self.phishing_resistant
    }
}

/// Longest `state` and `nonce` taken (they come back in the redirect and the ID token).
pub const MAX_STATE: usize = 1024;
const MAX_NONCE: usize = 512;

fn invalid(description: impl Into<String>) -> OidcError {
    OidcError::new(ErrorCode::InvalidRequest, description)
}

impl AuthRequest {
    /// Checks everything but the client and its redirect URI (the caller did those: until they
    /// hold, nothing may be sent to the redirect URI). `public`: the client has no secret, so
    /// PKCE is required.
    pub fn parse(
        raw: &RawRequest,
        client_id: &str,
        redirect_uri: &str,
        public: bool,
        now: i64,
    ) -> Result<Self, OidcError> {
        if raw.request.is_some() {
            return Err(OidcError::new(ErrorCode::RequestNotSupported, "request objects are not supported"));
        }
        if raw.request_uri.is_some() {
            return Err(OidcError::new(ErrorCode::RequestUriNotSupported, "request_uri is not supported"));
        }
        if raw.registration.is_some() {
            return Err(OidcError::new(ErrorCode::RegistrationNotSupported, "registration is not supported"));
        }
        match raw.response_type.as_deref() {
            Some("code") => {}
            None => return Err(invalid("response_type is missing")),
            Some(_) => {
                return Err(OidcError::new(
                    ErrorCode::UnsupportedResponseType,
                    "only response_type=code is supported (no implicit or hybrid flow)",
                ))
            }
        }
        if !matches!(raw.response_mode.as_deref(), None | Some("query")) {
            return Err(invalid("only response_mode=query is supported"));
        }
        let scope = Scopes::parse(raw.scope.as_deref().unwrap_or_default());
        if !scope.openid {
            return Err(OidcError::new(ErrorCode::InvalidScope, "the openid scope is required"));
        }
        let state = bounded(raw.state.as_deref(), MAX_STATE, "state")?;
        let nonce = bounded(raw.nonce.as_deref(), MAX_NONCE, "nonce")?;
        let challenge = match (raw.code_challenge.as_deref(), raw.code_challenge_method.as_deref()) {
            (None, None) if public => return Err(invalid("a public client must use PKCE (code_challenge, S256)")),
            (None, None) => None,
            (None, Some(_)) => return Err(invalid("code_challenge is missing")),
            (Some(_), None | Some("plain")) => return Err(invalid("code_challenge_method must be S256")),
            (Some(c), Some("S256")) if pkce::valid_challenge(c) => Some(c.to_string()),
            (Some(_), Some("S256")) => return Err(invalid("code_challenge is not a base64url SHA-256")),
            (Some(_), Some(_)) => return Err(invalid("code_challenge_method must be S256")),
        };
        // A code without PKCE is protected from injection only by the nonce (RFC 9700 §2.1.1).
        if challenge.is_none() && nonce.is_none() {
            return Err(invalid("send a PKCE code_challenge (S256) or a nonce"));
        }
        let prompt = Prompt::parse(raw.prompt.as_deref().unwrap_or_default())?;
        let max_age = match raw.max_age.as_deref() {
            None | Some("") => None,
            Some(m) => Some(
                m.parse::<i64>()
                    .ok()
                    .filter(|v| *v >= 0)
                    .ok_or_else(|| invalid("max_age must be a number of seconds"))?,
            ),
        };
        let login_hint =
            raw.login_hint.as_deref().map(str::trim).filter(|h| !h.is_empty() && h.len() <= 320).map(str::to_string);
        use crate::domain::authn::{ACR_PHISHING_RESISTANT, ACR_TWO_FACTOR};
        let asks = |acr: &str| raw.acr_values.as_deref().is_some_and(|v| v.split(' ').any(|a| a == acr));
        let two_factor = asks(ACR_TWO_FACTOR);
        let phishing_resistant = asks(ACR_PHISHING_RESISTANT);
        Ok(AuthRequest {
            client_id: client_id.to_string(),
            redirect_uri: redirect_uri.to_string(),
            scope,
            state,
            nonce,
            challenge,
            prompt,
            max_age,
            login_hint,
            two_factor,
            phishing_resistant,
            created_at: now,
        })
    }
}

fn bounded(v: Option<&str>, max: usize, name: &str) -> Result<Option<String>, OidcError> {
    match v {
        None | Some("") => Ok(None),
        Some(s) if s.len() > max => Err(invalid(format!("{name} is longer than {max} characters"))),
        Some(s) => Ok(Some(s.to_string())),
    }
}

/// The redirect that answers an authorization request: `code` or an error, with the `state`
/// and the issuer (RFC 9207). `redirect_uri` is a registered URI, which may have a query.
pub fn response_url(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    let mut url = redirect_uri.to_string();
    let mut sep = if url.contains('?') { '&' } else { '?' };
    for (k, v) in params {
        url.push(sep);
        url.push_str(k);
        url.push('=');
        url.extend(url::form_urlencoded::byte_serialize(v.as_bytes()));
        sep = '&';
    }
    url
}

#[cfg(test)]
mod tests;
