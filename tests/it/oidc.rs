//! Signing in to an application through Latchkey, with the `openidconnect` crate as the
//! application: discovery, code with PKCE, the ID token checked against the JWKS, userinfo,
//! refresh, revocation, key rotation; an existing session reused; on both databases.

use crate::common::browser::{hidden, Page};
use crate::common::rp::{code_in, tokens_of, AppOptions, Rp, Started};
use crate::common::two_factor::{codes_sent, member_with_two_factor, next_code};
use crate::common::{Browser, TestApp, PASSWORD};
use crate::on_both_backends;
use openidconnect::core::CoreRevocableToken;
use openidconnect::TokenResponse;

pub const ADA: &str = "ada@acme.example";

/// Opens the application's authorization URL, logs in on the page it leads to (with the
/// emailed code when one is asked) and returns the last page: a redirect to the application.
pub async fn log_in_to(app: &TestApp, b: &mut Browser, started: &Started, email: &str) -> Page {
    let page = b.get_url(started.url.as_str()).await;
    assert!(page.path.starts_with("/login?continue="), "{} {}", page.path, page.body);
    let cont = hidden(&page.body, "continue").expect("the login form carries where it continues");
    let before = codes_sent(app, email);
    let page = b.post("/login", &[("email", email), ("password", PASSWORD), ("continue", &cont)]).await;
    if page.path != "/login/verify" {
        return page;
    }
    let code = next_code(app, email, before).await;
    b.post("/login/verify", &[("code", &code)]).await
}

async fn a_member_signs_in_to_an_application_with_email_two_factor(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    let (client_id, _) =
        app.register_app("acme.example", "Acme Console", AppOptions { public: true, ..Default::default() }).await;
    let rp = Rp::discover(&app, &client_id, None, false).await;
    let mut b = app.browser();
    let started = rp.start(&["email", "profile"], &[]);
    let page = b.get_url(started.url.as_str()).await;
    page.assert_has("to continue to <strong>Acme Console</strong>");
    let back = log_in_to(&app, &mut b, &started, ADA).await;
    let code = code_in(&back.location(), &started);

    let tokens = rp.exchange(&code, started.verifier).await.unwrap();
    let claims = rp.claims(&tokens, &started.nonce);
    assert_eq!(claims.email().unwrap().as_str(), ADA);
    assert_eq!(claims.email_verified(), Some(true));
    assert_ne!(claims.subject().as_str(), ADA, "sub is never the email");
    assert_eq!(claims.subject().as_str().len(), 32);
    let amr: Vec<String> = claims.auth_method_refs().unwrap().iter().map(|a| a.to_string()).collect();
    assert_eq!(amr, vec!["pwd", "otp", "mfa"]);
    assert_eq!(claims.auth_context_ref().unwrap().as_str(), "urn:latchkey:acr:2fa");
    assert!(claims.auth_time().is_some());
    // The organization is told beside the standard claims.
    let raw_claims = decode_payload(tokens.id_token().unwrap().to_string().as_str());
    assert_eq!(raw_claims["org_domain"], "acme.example");
    assert_eq!(raw_claims["org_name"], "Acme Support");

    let (access, refresh) = tokens_of(&tokens);
    let info = rp.userinfo(&access).await.unwrap();
    assert_eq!(info.subject(), claims.subject());
    assert_eq!(info.email().unwrap().as_str(), ADA);

    // Refresh rotates; the new tokens work and name the same person.
    let renewed = rp.refresh(&refresh).await.unwrap();
    let (access2, refresh2) = tokens_of(&renewed);
    assert_ne!(refresh2.secret(), refresh.secret());
    assert_eq!(rp.userinfo(&access2).await.unwrap().subject(), claims.subject());
    // Revoking the access token ends it alone; revoking the refresh token ends the grant.
    rp.revoke(CoreRevocableToken::from(access2.clone())).await;
    assert!(rp.userinfo(&access2).await.is_err());
    let renewed = rp.refresh(&refresh2).await.unwrap();
    let (access3, refresh3) = tokens_of(&renewed);
    rp.revoke(CoreRevocableToken::from(refresh3.clone())).await;
    assert!(rp.userinfo(&access3).await.is_err(), "the grant's access token ended with it");
    assert!(rp.refresh(&refresh3).await.is_err());

    // The session is reused: a second application request signs in without a page.
    let again = rp.start(&["email"], &[]);
    let code = rp.code_for(&mut b, &again).await;
    assert!(rp.exchange(&code, again.verifier).await.is_ok());
    let signed_in = app.texts("SELECT detail FROM audit_events WHERE kind = 'app_sign_in'").await;
    assert_eq!(signed_in.len(), 2, "{signed_in:?}");
    assert!(signed_in[0].as_deref().unwrap().starts_with("Acme Console"));
}

/// The claims of a JWS, unverified (the verification is the relying party library's).
pub fn decode_payload(jws: &str) -> serde_json::Value {
    use base64::Engine;
    let payload = jws.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

async fn a_reused_refresh_token_revokes_the_whole_grant(app: TestApp) {
    app.with_member(ADA, true).await;
    let (client_id, secret) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let started = rp.start(&["openid"], &[]);
    let code = rp.code_for(&mut b, &started).await;
    let tokens = rp.exchange(&code, started.verifier).await.unwrap();
    let claims = rp.claims(&tokens, &started.nonce);
    assert_eq!(claims.auth_context_ref().unwrap().as_str(), "urn:latchkey:acr:password");
    let (_, first) = tokens_of(&tokens);
    let (access, second) = tokens_of(&rp.refresh(&first).await.unwrap());
    // Someone replays the first refresh token: refused, and the grant ends for everyone.
    let replay = rp.refresh(&first).await.unwrap_err();
    assert!(replay.contains("invalid_grant"), "{replay}");
    assert!(rp.refresh(&second).await.is_err());
    assert!(rp.userinfo(&access).await.is_err());
    assert!(app.texts("SELECT kind FROM audit_events").await.contains(&Some("token_replay".into())));
}

async fn a_confidential_client_authenticates_with_basic_or_post_and_a_wrong_secret_is_refused(app: TestApp) {
    app.with_member(ADA, true).await;
    let (client_id, secret) = app.register_app("acme.example", "Acme Reports", AppOptions::default()).await;
    let secret = secret.unwrap();
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    for post in [false, true] {
        let rp = Rp::discover(&app, &client_id, Some(&secret), post).await;
        let started = rp.start(&["email"], &[]);
        let code = rp.code_for(&mut b, &started).await;
        assert!(rp.exchange(&code, started.verifier).await.is_ok(), "post={post}");
    }
    for post in [false, true] {
        let rp = Rp::discover(&app, &client_id, Some("not-the-secret"), post).await;
        let started = rp.start(&["email"], &[]);
        let code = rp.code_for(&mut b, &started).await;
        let e = rp.exchange(&code, started.verifier).await.unwrap_err();
        assert!(e.contains("invalid_client"), "post={post}: {e}");
    }
    // Straight at the endpoint: 401, with the Basic challenge when Basic was tried.
    let http = reqwest::Client::new();
    let res = http
        .post(format!("{}/oauth/token", app.url))
        .basic_auth(&client_id, Some("wrong"))
        .form(&[("grant_type", "authorization_code"), ("code", "x"), ("redirect_uri", crate::common::rp::CALLBACK)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
    assert!(res.headers()["www-authenticate"].to_str().unwrap().starts_with("Basic"));
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");
}

async fn rotated_keys_sign_new_tokens_and_the_old_key_stays_published(app: TestApp) {
    app.with_member(ADA, true).await;
    let (client_id, secret) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let (es_client, es_secret) =
        app.register_app("acme.example", "Acme Dashboards", AppOptions { es256: true, ..Default::default() }).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let started = rp.start(&["email"], &[]);
    let old_nonce = started.nonce.clone();
    let old = rp.exchange(&rp.code_for(&mut b, &started).await, started.verifier).await.unwrap();
    let mut es = Rp::discover(&app, &es_client, es_secret.as_deref(), false).await;
    es.es256 = true;
    let es_started = es.start(&["email"], &[]);
    let es_tokens = es.exchange(&es.code_for(&mut b, &es_started).await, es_started.verifier).await.unwrap();
    es.claims(&es_tokens, &es_started.nonce);
    let header = |t: &openidconnect::core::CoreTokenResponse| {
        let jws = t.id_token().unwrap().to_string();
        decode_part(&jws, 0)
    };
    assert_eq!(header(&es_tokens)["alg"], "ES256");
    assert_eq!(header(&old)["alg"], "RS256");

    let rotated =
        latchkey::service::oidc::keys::rotate(&app.state, &latchkey::store::audit::Actor::cli()).await.unwrap();
    assert_eq!(rotated.len(), 2);
    let rp2 = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let started = rp2.start(&["email"], &[]);
    let new = rp2.exchange(&rp2.code_for(&mut b, &started).await, started.verifier).await.unwrap();
    assert_ne!(header(&new)["kid"], header(&old)["kid"]);
    assert!(rotated.contains(&header(&new)["kid"].as_str().unwrap().to_string()));
    // The new JWKS verifies both; a copy from before the rotation cannot verify the new one.
    rp2.claims(&new, &started.nonce);
    rp2.claims(&old, &old_nonce);
    let verifier = rp.client.id_token_verifier();
    assert!(
        new.id_token().unwrap().claims(&verifier, &started.nonce).is_err(),
        "the old JWKS does not know the new key"
    );
    // The retired key leaves the JWKS once the tokens it signed have expired.
    let jwks = |app: &TestApp| {
        let url = format!("{}/oauth/jwks", app.url);
        async move {
            reqwest::get(url).await.unwrap().json::<serde_json::Value>().await.unwrap()["keys"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(jwks(&app).await, 4);
    app.state.clock.advance(3600 + 91);
    app.state.keys.clear();
    assert_eq!(jwks(&app).await, 2);
}

/// One part of a JWS, decoded.
pub fn decode_part(jws: &str, i: usize) -> serde_json::Value {
    use base64::Engine;
    let part = jws.split('.').nth(i).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

on_both_backends!(
    a_member_signs_in_to_an_application_with_email_two_factor,
    a_reused_refresh_token_revokes_the_whole_grant,
    a_confidential_client_authenticates_with_basic_or_post_and_a_wrong_secret_is_refused,
    rotated_keys_sign_new_tokens_and_the_old_key_stays_published,
);
