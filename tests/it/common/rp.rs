//! A relying party made with the `openidconnect` crate, as an application signing its users in
//! through the app under test: discovery, code with PKCE, ID tokens checked against the JWKS,
//! userinfo, refresh and revocation all go through the library, not through code of ours.

use latchkey::domain::application::{AppName, ClientKind, RedirectUri};
use latchkey::jose::Alg;
use latchkey::service::applications::{self, Manager, Registration};
use latchkey::store::audit::Actor;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdTokenClaims, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreRevocableToken, CoreTokenResponse, CoreUserInfoClaims,
};
use openidconnect::{
    AccessToken, AuthType, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RevocationUrl, Scope, TokenResponse,
};

use super::{Browser, TestApp};

/// The redirect URI every test application registers (nothing listens there: the browser
/// stops at the redirect and the test reads the code from it).
pub const CALLBACK: &str = "http://localhost:9/cb";

/// How a test application is registered.
#[derive(Clone, Copy, Default)]
pub struct AppOptions {
    pub public: bool,
    pub require_2fa: bool,
    pub third_party: bool,
    pub es256: bool,
}

impl TestApp {
    /// Registers an application of the organization owning `domain`; its client id and secret.
    pub async fn register_app(&self, domain: &str, name: &str, o: AppOptions) -> (String, Option<String>) {
        self.register_app_at(domain, name, o, CALLBACK).await
    }

    /// The same, with its own redirect URI.
    pub async fn register_app_at(
        &self,
        domain: &str,
        name: &str,
        o: AppOptions,
        redirect: &str,
    ) -> (String, Option<String>) {
        let domain = latchkey::domain::email::Domain::parse(domain).unwrap();
        let r = Registration {
            name: AppName::parse(name).unwrap(),
            kind: if o.public { ClientKind::Public } else { ClientKind::Confidential },
            redirect_uris: vec![RedirectUri::parse(redirect).unwrap()],
            post_logout_uris: vec![RedirectUri::parse("http://localhost:9/bye").unwrap()],
            require_2fa: o.require_2fa,
            third_party: o.third_party,
            id_token_alg: if o.es256 { Alg::ES256 } else { Alg::RS256 },
        };
        let c = applications::register(&self.state, Manager::Operator(Some(&domain)), r, &Actor::cli()).await.unwrap();
        (c.client_id, c.client_secret)
    }
}

pub type Client = openidconnect::Client<
    openidconnect::EmptyAdditionalClaims,
    openidconnect::core::CoreAuthDisplay,
    openidconnect::core::CoreGenderClaim,
    openidconnect::core::CoreJweContentEncryptionAlgorithm,
    openidconnect::core::CoreJsonWebKey,
    openidconnect::core::CoreAuthPrompt,
    openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    CoreTokenResponse,
    openidconnect::core::CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    openidconnect::core::CoreRevocationErrorResponse,
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// An application signing people in through the app under test.
pub struct Rp {
    pub client: Client,
    pub http: openidconnect::reqwest::Client,
    pub issuer: String,
    pub es256: bool,
}

/// One authorization request, as the application keeps it until the person comes back.
pub struct Started {
    pub url: url::Url,
    pub state: CsrfToken,
    pub nonce: Nonce,
    pub verifier: PkceCodeVerifier,
}

impl Rp {
    /// Discovers the provider and makes a client; `post`: client_secret_post instead of Basic.
    pub async fn discover(app: &TestApp, client_id: &str, secret: Option<&str>, post: bool) -> Self {
        let http = openidconnect::reqwest::Client::builder()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let issuer = app.state.settings.public_url.as_str().trim_end_matches('/').to_string();
        let meta = CoreProviderMetadata::discover_async(IssuerUrl::new(issuer.clone()).unwrap(), &http).await.unwrap();
        let revocation = format!("{issuer}/oauth/revoke");
        let mut client = CoreClient::from_provider_metadata(
            meta,
            ClientId::new(client_id.into()),
            secret.map(|s| ClientSecret::new(s.into())),
        )
        .set_redirect_uri(RedirectUrl::new(CALLBACK.into()).unwrap())
        .set_revocation_url(RevocationUrl::new(revocation).unwrap());
        if post {
            client = client.set_auth_type(AuthType::RequestBody);
        }
        Rp { client, http, issuer, es256: false }
    }

    /// An authorization URL with PKCE, a state and a nonce, for `scopes` and any extra parameters.
    pub fn start(&self, scopes: &[&str], extra: &[(&str, &str)]) -> Started {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut req = self
            .client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .set_pkce_challenge(challenge);
        for s in scopes {
            req = req.add_scope(Scope::new(s.to_string()));
        }
        for (k, v) in extra {
            req = req.add_extra_param(*k, *v);
        }
        let (url, state, nonce) = req.url();
        Started { url, state, nonce, verifier }
    }

    /// Exchanges a code (with the request's PKCE verifier).
    pub async fn exchange(&self, code: &str, verifier: PkceCodeVerifier) -> Result<CoreTokenResponse, String> {
        self.client
            .exchange_code(AuthorizationCode::new(code.into()))
            .unwrap()
            .set_pkce_verifier(verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| format!("{e:?}"))
    }

    /// The ID token's claims, verified against the provider's JWKS (signature, issuer, audience,
    /// expiry, nonce).
    pub fn claims(&self, tokens: &CoreTokenResponse, nonce: &Nonce) -> CoreIdTokenClaims {
        let mut verifier = self.client.id_token_verifier();
        if self.es256 {
            verifier = verifier.set_allowed_algs(vec![CoreJwsSigningAlgorithm::EcdsaP256Sha256]);
        }
        tokens.id_token().expect("an ID token").claims(&verifier, nonce).unwrap().clone()
    }

    pub async fn userinfo(&self, access: &AccessToken) -> Result<CoreUserInfoClaims, String> {
        self.client
            .user_info(access.clone(), None)
            .unwrap()
            .request_async(&self.http)
            .await
            .map_err(|e| format!("{e:?}"))
    }

    pub async fn refresh(&self, token: &RefreshToken) -> Result<CoreTokenResponse, String> {
        self.client.exchange_refresh_token(token).unwrap().request_async(&self.http).await.map_err(|e| format!("{e:?}"))
    }

    /// RFC 7009 revocation. The library refuses a revocation endpoint on plain http (as RFC 7009
    /// §2 asks of real deployments) and the tests run on loopback http, so this one request is
    /// made by hand, as a public client makes it (its client id in the body).
    pub async fn revoke(&self, token: CoreRevocableToken) {
        let (value, hint) = match &token {
            CoreRevocableToken::AccessToken(t) => (t.secret().clone(), "access_token"),
            CoreRevocableToken::RefreshToken(t) => (t.secret().clone(), "refresh_token"),
            _ => unreachable!("only access and refresh tokens are revoked"),
        };
        let form =
            [("token", value.as_str()), ("token_type_hint", hint), ("client_id", self.client.client_id().as_str())];
        let res = self.http.post(format!("{}/oauth/revoke", self.issuer)).form(&form).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
    }

    /// The whole way in: opens the authorization URL in `b` (signed in already, or signing in
    /// through `sign_in`), returns the code the browser was sent back with, checking the state.
    pub async fn code_for(&self, b: &mut Browser, started: &Started) -> String {
        let page = b.get_url(started.url.as_str()).await;
        code_in(&page.location(), started)
    }
}

/// The code in a redirect to the application, after checking its state and issuer.
#[track_caller]
pub fn code_in(redirect: &url::Url, started: &Started) -> String {
    assert!(redirect.as_str().starts_with(CALLBACK), "not back at the application: {redirect}");
    let q: std::collections::HashMap<String, String> = redirect.query_pairs().into_owned().collect();
    assert_eq!(q.get("state").map(String::as_str), Some(started.state.secret().as_str()), "{redirect}");
    assert!(q.contains_key("iss"), "RFC 9207 iss in {redirect}");
    q.get("code").unwrap_or_else(|| panic!("no code in {redirect}")).clone()
}

/// The error in a redirect to the application.
#[track_caller]
pub fn error_in(redirect: &url::Url) -> String {
    assert!(redirect.as_str().starts_with(CALLBACK), "not back at the application: {redirect}");
    redirect
        .query_pairs()
        .find(|(k, _)| k == "error")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("no error in {redirect}"))
}

/// The access token and refresh token of a response.
pub fn tokens_of(t: &CoreTokenResponse) -> (AccessToken, RefreshToken) {
    (t.access_token().clone(), t.refresh_token().expect("a refresh token").clone())
}
