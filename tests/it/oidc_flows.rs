//! The ways a sign-in continues to an application: the set-up an application (or the policy)
//! requires first, prompt and max_age, consent, logout from the application, and the events that
//! end what applications hold. The relying party is the `openidconnect` crate; both databases.

use crate::common::browser::hidden;
use crate::common::org::admin;
use crate::common::rp::{code_in, error_in, tokens_of, AppOptions, Rp};
use crate::common::two_factor::{codes_sent, next_code, shown_key};
use crate::common::{Browser, TestApp, PASSWORD};
use crate::oidc::{log_in_to, ADA};
use crate::on_both_backends;
use latchkey::domain::email::EmailAddress;
use latchkey::domain::policy::{Methods, Policy};
use latchkey::service::operator;
use latchkey::store::audit::Actor;
use openidconnect::TokenResponse;

/// Turns email two-factor authentication on from the set-up page; returns the page "Done" led to.
async fn set_up_email_codes(app: &TestApp, b: &mut Browser, email: &str) -> crate::common::browser::Page {
    b.get("/account/two-factor/enable").await.assert_has("Send verification code");
    let before = codes_sent(app, email);
    b.post("/account/two-factor/enable/send", &[]).await.assert_has("Verification Code");
    let code = next_code(app, email, before).await;
    let page = b.post("/account/two-factor/enable/confirm", &[("code", &code)]).await;
    let key = shown_key(&page.body);
    b.post("/account/recovery-key/saved", &[("key", &key), ("saved", "yes")]).await
}

async fn an_application_that_requires_two_factor_sends_a_member_without_it_to_the_set_up_first(app: TestApp) {
    app.with_member(ADA, true).await;
    let o = AppOptions { require_2fa: true, ..Default::default() };
    let (client_id, secret) = app.register_app("acme.example", "Acme Reports", o).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let mut b = app.browser();
    let started = rp.start(&["email"], &[]);
    let held = log_in_to(&app, &mut b, &started, ADA).await;
    assert_eq!(held.path, "/account/two-factor/required");
    held.assert_has("Acme Reports requires two-factor authentication. Set it up now to continue to it.");
    // The rest of the account is reachable: it is the application that asks, not the policy.
    assert_eq!(b.get("/account/security").await.path, "/account/security");
    let back = set_up_email_codes(&app, &mut b, ADA).await;
    let code = code_in(&back.location(), &started);
    let tokens = rp.exchange(&code, started.verifier).await.unwrap();
    let claims = rp.claims(&tokens, &started.nonce);
    assert_eq!(claims.auth_context_ref().unwrap().as_str(), "urn:latchkey:acr:2fa", "the set-up proved the factor");
    // Done once: the next request goes straight back.
    let again = rp.start(&["email"], &[]);
    assert!(rp.exchange(&rp.code_for(&mut b, &again).await, again.verifier).await.is_ok());
}

async fn a_member_held_by_the_policy_completes_the_set_up_then_returns_to_the_application(app: TestApp) {
    app.with_member(ADA, true).await;
    let policy = Policy { required_since: Some(0), grace_days: 0, methods: Methods::ALL, admin_keys_since: None };
    operator::set_policy_for_domain(&app.state, "acme.example", policy, &Actor::cli()).await.unwrap();
    let (client_id, secret) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let mut b = app.browser();
    let started = rp.start(&["email"], &[]);
    let held = log_in_to(&app, &mut b, &started, ADA).await;
    assert_eq!(held.path, "/account/two-factor/required");
    held.assert_has("Acme Support requires two-factor authentication");
    // Held: the application's address leads back to the set-up, not to a code.
    let retry = b.get_url(started.url.as_str()).await;
    assert_eq!(retry.path, "/account/two-factor/required");
    let back = set_up_email_codes(&app, &mut b, ADA).await;
    let code = code_in(&back.location(), &started);
    let claims = rp.claims(&rp.exchange(&code, started.verifier).await.unwrap(), &started.nonce);
    assert_eq!(claims.email().unwrap().as_str(), ADA);
}

async fn prompt_and_max_age_ask_for_a_new_sign_in_and_prompt_none_never_shows_a_page(app: TestApp) {
    app.with_member(ADA, true).await;
    let (client_id, secret) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let mut anonymous = app.browser();
    let quiet = rp.start(&["email"], &[("prompt", "none")]);
    assert_eq!(error_in(&anonymous.get_url(quiet.url.as_str()).await.location()), "login_required");

    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let first = rp.start(&["email"], &[("prompt", "none")]);
    let code = rp.code_for(&mut b, &first).await;
    let t1 = rp.claims(&rp.exchange(&code, first.verifier).await.unwrap(), &first.nonce).auth_time().unwrap();

    for extra in [("prompt", "login"), ("max_age", "60")] {
        app.state.clock.advance(120);
        let started = rp.start(&["email"], &[extra]);
        let page = b.get_url(started.url.as_str()).await;
        assert!(page.path.starts_with("/login?continue="), "{extra:?}: {}", page.path);
        page.assert_has(&format!("value=\"{ADA}\""));
        let back = log_in_to(&app, &mut b, &started, ADA).await;
        let tokens = rp.exchange(&code_in(&back.location(), &started), started.verifier).await.unwrap();
        let auth_time = rp.claims(&tokens, &started.nonce).auth_time().unwrap();
        assert!((auth_time - t1).num_seconds() > 100, "{extra:?}: a new sign-in");
    }
    // A fresh enough session needs no page, even with max_age.
    let started = rp.start(&["email"], &[("max_age", "600")]);
    assert!(rp.exchange(&rp.code_for(&mut b, &started).await, started.verifier).await.is_ok());
}

async fn a_third_party_application_asks_for_consent_once_and_it_can_be_withdrawn(app: TestApp) {
    app.with_member(ADA, true).await;
    let o = AppOptions { third_party: true, ..Default::default() };
    let (client_id, secret) = app.register_app("acme.example", "Acme Reports", o).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let quiet = rp.start(&["email", "profile"], &[("prompt", "none")]);
    assert_eq!(error_in(&b.get_url(quiet.url.as_str()).await.location()), "consent_required");

    let started = rp.start(&["email", "profile"], &[]);
    let page = b.get_url(started.url.as_str()).await;
    page.assert_has("Acme Reports wants to know your name and email address");
    let cont = hidden(&page.body, "continue").unwrap();
    let denied = b.post("/oauth/consent", &[("continue", &cont), ("decision", "deny")]).await;
    assert_eq!(error_in(&denied.location()), "access_denied");

    let page = b.get_url(started.url.as_str()).await;
    let cont = hidden(&page.body, "continue").unwrap();
    let allowed = b.post("/oauth/consent", &[("continue", &cont), ("decision", "allow")]).await;
    let tokens = rp.exchange(&code_in(&allowed.location(), &started), started.verifier).await.unwrap();
    let (access, refresh) = tokens_of(&tokens);
    // Remembered: the next request goes straight back.
    let again = rp.start(&["email"], &[]);
    assert!(rp.exchange(&rp.code_for(&mut b, &again).await, again.verifier).await.is_ok());

    // Withdrawn under Manage Account: its tokens end, and it asks again.
    let security = b.get("/account/security").await;
    security.assert_has("Applications you allowed");
    security.assert_has("Acme Reports");
    let after = b.post("/account/applications/withdraw", &[("client_id", &client_id)]).await;
    after.assert_has("Acme Reports can no longer sign you in without asking again");
    assert!(rp.userinfo(&access).await.is_err());
    assert!(rp.refresh(&refresh).await.is_err());
    let asked = rp.start(&["email"], &[]);
    b.get_url(asked.url.as_str()).await.assert_has("Acme Reports wants to know your email address");
    let kinds = app.texts("SELECT kind FROM audit_events").await;
    assert!(kinds.contains(&Some("consent_given".into())) && kinds.contains(&Some("consent_withdrawn".into())));
}

async fn logging_out_from_an_application_ends_the_session_and_returns_only_to_a_registered_address(app: TestApp) {
    app.with_member(ADA, true).await;
    let (client_id, secret) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let started = rp.start(&["email"], &[]);
    let tokens = rp.exchange(&rp.code_for(&mut b, &started).await, started.verifier).await.unwrap();
    let id_token = tokens.id_token().unwrap().to_string();
    let (access, _) = tokens_of(&tokens);

    // With the ID token as hint: no question, back to the registered address with the state.
    let q = format!("id_token_hint={id_token}&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A9%2Fbye&state=s1");
    let out = b.get(&format!("/oauth/logout?{q}")).await;
    assert_eq!(out.location().as_str(), "http://localhost:9/bye?state=s1");
    assert_eq!(b.get("/account").await.path, "/login", "the Latchkey session ended");
    assert!(rp.userinfo(&access).await.is_err(), "the application's access ended with the session");

    // Without a hint the person is asked; an unregistered address is never used.
    b.sign_in(ADA, PASSWORD).await;
    let q = format!("client_id={client_id}&post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F");
    let ask = b.get(&format!("/oauth/logout?{q}")).await;
    ask.assert_has("Acme Console asked to log you out of Latchkey.");
    assert_eq!(b.get("/account").await.path, "/account", "asking signs nobody out");
    let fields = [
        ("client_id", client_id.as_str()),
        ("post_logout_redirect_uri", "https://evil.example/"),
        ("id_token_hint", ""),
        ("state", ""),
    ];
    let done = b.post("/oauth/logout/confirm", &fields).await;
    assert_eq!(done.path, "/login?notice=signed-out", "not sent to an unregistered address");
    assert_eq!(b.get("/account").await.path, "/login");
}

async fn applications_lose_access_when_the_member_signs_out_everywhere_is_disabled_or_reset(app: TestApp) {
    let ada = app.with_member(ADA, true).await;
    let (client_id, secret) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    // An offline grant outlives the session it came from; signing out everywhere ends it.
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let started = rp.start(&["email", "offline_access"], &[]);
    let (_, offline) = tokens_of(&rp.exchange(&rp.code_for(&mut b, &started).await, started.verifier).await.unwrap());
    let started = rp.start(&["email"], &[]);
    let (_, online) = tokens_of(&rp.exchange(&rp.code_for(&mut b, &started).await, started.verifier).await.unwrap());
    b.post("/logout", &[]).await;
    assert!(rp.refresh(&online).await.is_err(), "a grant ends with its session");
    let (_, offline) = tokens_of(&rp.refresh(&offline).await.unwrap());
    b.sign_in(ADA, PASSWORD).await;
    b.get("/account/security").await.assert_has("Sign out everywhere");
    let out = b.post("/account/sessions/sign-out-everywhere", &[]).await;
    assert_eq!(out.path, "/login?notice=signed-out-everywhere");
    assert!(rp.refresh(&offline).await.is_err(), "signing out everywhere ends offline grants too");

    // Disabled by an admin: the access token stops at once.
    let mut boss = admin(&app).await;
    b.sign_in(ADA, PASSWORD).await;
    let started = rp.start(&["email", "offline_access"], &[]);
    let (access, _) = tokens_of(&rp.exchange(&rp.code_for(&mut b, &started).await, started.verifier).await.unwrap());
    assert!(rp.userinfo(&access).await.is_ok());
    boss.get(&format!("/org/members/{ada}")).await;
    boss.post(&format!("/org/members/{ada}/status"), &[("disabled", "yes")]).await;
    assert!(rp.userinfo(&access).await.is_err(), "disabled");
    operator::enable(&app.state, &EmailAddress::parse(ADA).unwrap(), &Actor::cli()).await.unwrap();

    // Two-factor authentication reset: every grant ends.
    b.sign_in(ADA, PASSWORD).await;
    let started = rp.start(&["email", "offline_access"], &[]);
    let (access, refresh) =
        tokens_of(&rp.exchange(&rp.code_for(&mut b, &started).await, started.verifier).await.unwrap());
    operator::reset_two_factor_by_email(&app.state, &EmailAddress::parse(ADA).unwrap(), &Actor::cli()).await.unwrap();
    assert!(rp.userinfo(&access).await.is_err());
    assert!(rp.refresh(&refresh).await.is_err());
}

async fn a_recovery_key_sign_in_shows_the_next_key_then_goes_back_to_the_application(app: TestApp) {
    let key = crate::common::two_factor::member_with_two_factor(&app, ADA).await;
    let (client_id, secret) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let mut b = app.browser();
    let started = rp.start(&["email"], &[("login_hint", ADA)]);
    let login = b.get_url(started.url.as_str()).await;
    login.assert_has(&format!("value=\"{ADA}\""));
    let cont = hidden(&login.body, "continue").unwrap();
    let step = b.post("/login", &[("email", ADA), ("password", PASSWORD), ("continue", &cont)]).await;
    assert_eq!(step.path, "/login/verify");
    b.get("/login/recovery").await;
    let shown = b.post("/login/recovery", &[("recovery_key", &key)]).await;
    shown.assert_has("Here is your new one");
    let next = shown_key(&shown.body);
    let then = hidden(&shown.body, "then").unwrap();
    assert!(then.starts_with("continue:"), "{then}");
    let done = b.post("/account/recovery-key/saved", &[("key", &next), ("saved", "yes"), ("then", &then)]).await;
    done.assert_has("Continuing to localhost");
    let code = code_in(&done.location(), &started);
    let claims = rp.claims(&rp.exchange(&code, started.verifier).await.unwrap(), &started.nonce);
    let amr: Vec<String> = claims.auth_method_refs().unwrap().iter().map(|a| a.to_string()).collect();
    assert_eq!(amr, vec!["pwd", "otp", "mfa"]);
    // A "then" made up by hand is not followed.
    let forged =
        b.post("/account/recovery-key/saved", &[("key", &next), ("saved", "yes"), ("then", "continue:AAAA")]).await;
    assert_eq!(forged.path, "/account/security?notice=recovery-key-saved");
}

async fn signing_in_again_for_one_application_keeps_what_the_others_hold(app: TestApp) {
    app.with_member(ADA, true).await;
    app.create_user("bo@acme.example", Some(PASSWORD), true).await;
    let (console, s1) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let (reports, s2) = app.register_app("acme.example", "Acme Reports", AppOptions::default()).await;
    let console = Rp::discover(&app, &console, s1.as_deref(), false).await;
    let reports = Rp::discover(&app, &reports, s2.as_deref(), false).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let started = console.start(&["email"], &[]);
    let (_, held) =
        tokens_of(&console.exchange(&console.code_for(&mut b, &started).await, started.verifier).await.unwrap());
    // Reports asks for a new sign-in: the console's grant goes on with the new session. (Times
    // are whole seconds: a session begun in the second of the request counts as after it.)
    app.state.clock.advance(1);
    let started = reports.start(&["email"], &[("prompt", "login")]);
    let back = log_in_to(&app, &mut b, &started, ADA).await;
    assert!(reports.exchange(&code_in(&back.location(), &started), started.verifier).await.is_ok());
    let (_, held) = tokens_of(&console.refresh(&held).await.expect("the console keeps its access"));
    // Another member signing in in this browser ends the first one's session, and its grants.
    b.sign_in("bo@acme.example", PASSWORD).await;
    assert!(console.refresh(&held).await.is_err());
}

async fn grants_end_when_the_policy_holds_the_member_or_the_application_needs_two_factors(app: TestApp) {
    app.with_member(ADA, true).await;
    let (client_id, secret) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let started = rp.start(&["email", "offline_access"], &[]);
    let (access, _) = tokens_of(&rp.exchange(&rp.code_for(&mut b, &started).await, started.verifier).await.unwrap());
    assert!(rp.userinfo(&access).await.is_ok());
    // The application now requires two factors; this grant was made with the password alone.
    app.exec("UPDATE applications SET require_2fa = 1").await;
    assert!(rp.userinfo(&access).await.is_err());
    app.exec("UPDATE applications SET require_2fa = 0").await;
    assert!(rp.userinfo(&access).await.is_ok());
    // The organization requires two-factor authentication from now on: held, so cut off.
    let policy = Policy { required_since: Some(0), grace_days: 0, methods: Methods::ALL, admin_keys_since: None };
    operator::set_policy_for_domain(&app.state, "acme.example", policy, &Actor::cli()).await.unwrap();
    assert!(rp.userinfo(&access).await.is_err(), "an offline grant too");
}

async fn a_narrowed_refresh_narrows_the_access_token_and_unused_codes_end_with_the_sessions(app: TestApp) {
    app.with_member(ADA, true).await;
    let (client_id, secret) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let started = rp.start(&["email", "offline_access"], &[]);
    let (access, refresh) =
        tokens_of(&rp.exchange(&rp.code_for(&mut b, &started).await, started.verifier).await.unwrap());
    assert!(rp.userinfo(&access).await.unwrap().email().is_some());
    let narrowed = rp
        .client
        .exchange_refresh_token(&refresh)
        .unwrap()
        .add_scope(openidconnect::Scope::new("openid".into()))
        .request_async(&rp.http)
        .await
        .unwrap();
    let (access, _) = tokens_of(&narrowed);
    assert!(rp.userinfo(&access).await.unwrap().email().is_none(), "the access token has the narrower scope");
    // A code issued but not redeemed yet dies with the sessions it came from.
    let started = rp.start(&["email", "offline_access"], &[]);
    let code = rp.code_for(&mut b, &started).await;
    b.post("/account/sessions/sign-out-everywhere", &[]).await;
    assert!(rp.exchange(&code, started.verifier).await.is_err());
}

async fn an_id_token_of_another_session_does_not_log_out_without_asking(app: TestApp) {
    app.with_member(ADA, true).await;
    let (client_id, secret) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let (mut first, mut second) = (app.browser(), app.browser());
    first.sign_in(ADA, PASSWORD).await;
    second.sign_in(ADA, PASSWORD).await;
    let started = rp.start(&["email"], &[]);
    let tokens = rp.exchange(&rp.code_for(&mut first, &started).await, started.verifier).await.unwrap();
    let hint = tokens.id_token().unwrap().to_string();
    let ask = second.get(&format!("/oauth/logout?id_token_hint={hint}")).await;
    ask.assert_has("Acme Console asked to log you out of Latchkey.");
    assert_eq!(second.get("/account").await.path, "/account");
    let out = first.get(&format!("/oauth/logout?id_token_hint={hint}")).await;
    assert_eq!(out.path, "/login?notice=signed-out", "its own session signs out without a question");
}

on_both_backends!(
    signing_in_again_for_one_application_keeps_what_the_others_hold,
    grants_end_when_the_policy_holds_the_member_or_the_application_needs_two_factors,
    a_narrowed_refresh_narrows_the_access_token_and_unused_codes_end_with_the_sessions,
    an_id_token_of_another_session_does_not_log_out_without_asking,
    a_recovery_key_sign_in_shows_the_next_key_then_goes_back_to_the_application,
    an_application_that_requires_two_factor_sends_a_member_without_it_to_the_set_up_first,
    a_member_held_by_the_policy_completes_the_set_up_then_returns_to_the_application,
    prompt_and_max_age_ask_for_a_new_sign_in_and_prompt_none_never_shows_a_page,
    a_third_party_application_asks_for_consent_once_and_it_can_be_withdrawn,
    logging_out_from_an_application_ends_the_session_and_returns_only_to_a_registered_address,
    applications_lose_access_when_the_member_signs_out_everywhere_is_disabled_or_reset,
);
