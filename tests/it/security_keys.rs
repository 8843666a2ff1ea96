//! Security keys and passkeys, with a software authenticator (webauthn-authenticator-rs) that
//! answers the pages' challenges as a browser would. The app's public URL is
//! http://localhost:PORT: WebAuthn refuses an IP address as the relying party.

use crate::common::browser::{hidden, Page};
use crate::common::rp::{code_in, AppOptions, Rp};
use crate::common::softkey::{Offered, SoftKey};
use crate::common::two_factor::shown_key;
use crate::common::{Browser, TestApp, PASSWORD};
use crate::on_both_backends;
use latchkey::config::SettingsArgs;

const ADA: &str = "ada@acme.example";
const BEN: &str = "ben@acme.example";

on_both_backends!(at_an_ip_address_keys_are_not_offered_and_a_member_with_one_is_told_why);

on_both_backends!(with on_localhost;
    adding_a_key_turns_two_factor_on_and_signs_in_as_the_second_factor,
    a_passkey_signs_in_without_a_password,
    a_passkey_is_refused_where_the_organization_does_not_allow_keys,
    removing_a_key_needs_the_password_and_a_current_second_factor,
    a_key_can_be_renamed_and_another_members_key_cannot,
    a_replayed_answer_is_refused,
    a_key_whose_counter_goes_back_is_refused_as_a_possible_clone,
    an_answer_made_for_another_origin_is_refused,
    another_members_key_does_not_sign_in_for_this_one,
    an_expired_challenge_is_refused_and_the_page_offers_a_new_one,
    one_challenge_answered_twenty_times_at_once_signs_in_once,
    a_credential_id_belongs_to_one_member_only,
    an_application_learns_the_key_and_can_ask_for_a_phishing_resistant_sign_in,
);

/// The public URL on `localhost` at the port the test app is bound to.
pub fn on_localhost(args: &mut SettingsArgs) {
    let port = args.bind.as_deref().and_then(|b| b.rsplit(':').next()).unwrap().to_string();
    args.public_url = Some(format!("http://localhost:{port}"));
}

pub fn origin(app: &TestApp) -> String {
    app.state.settings.public_url.origin().ascii_serialization()
}

async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let mut b = app.browser();
    assert_eq!(b.sign_in(email, PASSWORD).await.path, "/account");
    b
}

/// "Add a security key or passkey" for a member without two-factor authentication: the key is
/// registered under `name`; the Recovery Key shown is returned.
pub async fn add_key(b: &mut Browser, key: &mut SoftKey, name: &str) -> String {
    let page = b.post("/account/security-keys/add", &[]).await;
    page.assert_has("Add a security key or passkey");
    let offered = Offered::on(&page.body);
    let answer = key.register(&offered.options);
    let done = b
        .post(
            "/account/security-keys/finish",
            &[("ceremony", &offered.ceremony), ("response", &answer), ("name", name)],
        )
        .await;
    done.assert_has("Your security key or passkey has been added. Two-factor authentication is on.");
    let recovery = shown_key(&done.body);
    b.post("/account/recovery-key/saved", &[("key", &recovery), ("saved", "yes")]).await;
    recovery
}

/// Logs in with the password: the page asks for the key.
async fn to_key_step(app: &TestApp, email: &str) -> (Browser, Page) {
    let mut b = app.browser();
    let page = b.sign_in(email, PASSWORD).await;
    assert_eq!(page.path, "/login/verify");
    page.assert_has("Use your security key");
    (b, page)
}

async fn answer_step(b: &mut Browser, offered: &Offered, answer: &str) -> Page {
    b.post("/login/verify/key", &[("ceremony", &offered.ceremony), ("response", answer)]).await
}

async fn authn_of_sessions(app: &TestApp) -> Vec<String> {
    app.texts("SELECT authn FROM sessions ORDER BY id").await.into_iter().flatten().collect()
}

async fn adding_a_key_turns_two_factor_on_and_signs_in_as_the_second_factor(app: TestApp) {
    let id = app.with_member(ADA, true).await;
    let mut key = SoftKey::new(&origin(&app));
    let mut b = signed_in(&app, ADA).await;
    let security = b.get("/account/security").await;
    security.assert_has("Security keys and passkeys");
    security.assert_has("Add a security key or passkey");
    // A name is needed.
    let page = b.post("/account/security-keys/add", &[]).await;
    let offered = Offered::on(&page.body);
    let refused = b
        .post("/account/security-keys/finish", &[("ceremony", &offered.ceremony), ("response", "{}"), ("name", " ")])
        .await;
    assert_eq!(refused.status, 400);
    refused.assert_has("Give the key a name");

    add_key(&mut b, &mut key, "YubiKey 5").await;
    let security = b.get("/account/security").await;
    security.assert_has("YubiKey 5");
    security.assert_has("Not yet");
    app.sink.wait_for(ADA, "Security key or passkey added").await;
    let kinds = app.audit_kinds(id).await;
    assert!(kinds.contains(&"security_key_added".to_string()) && kinds.contains(&"two_factor_enabled".to_string()));
    let stored = app.texts("SELECT passkey FROM security_keys").await;
    assert!(stored[0].as_ref().unwrap().contains("cred_id"), "the library's credential is stored");
    b.post("/logout", &[]).await;

    let (mut b, page) = to_key_step(&app, ADA).await;
    assert!(page.has("Use your Recovery Key"), "the Recovery Key stays an alternative");
    assert!(!page.has("Send a code to my email instead"), "no email codes for this account");
    let offered = Offered::on(&page.body);
    let done = answer_step(&mut b, &offered, &key.sign(&offered.options)).await;
    assert_eq!(done.path, "/account");
    assert!(!b.get("/account/security").await.has("Not yet"), "the key's last use is shown");
    assert_eq!(authn_of_sessions(&app).await.last().unwrap(), "pwd+hwk+user");
    assert!(app.audit_kinds(id).await.contains(&"security_key_accepted".to_string()));
}

async fn a_passkey_signs_in_without_a_password(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut key = SoftKey::new(&origin(&app));
    let mut b = signed_in(&app, ADA).await;
    add_key(&mut b, &mut key, "Work laptop").await;
    b.post("/logout", &[]).await;

    let mut b = app.browser();
    let login = b.get("/login").await;
    login.assert_has("Sign in with a passkey");
    login.assert_has("autocomplete=\"username webauthn\"");
    let options = b.post("/login/passkey/options", &[]).await;
    assert_eq!(options.status, 200);
    let v: serde_json::Value = serde_json::from_str(&options.body).unwrap();
    let ceremony = v["ceremony"].as_str().unwrap().to_string();
    assert!(v["options"]["publicKey"]["allowCredentials"].as_array().is_none_or(|a| a.is_empty()));
    let answer = key.sign_discoverable(&v["options"].to_string());
    let done = b.post("/login/passkey", &[("ceremony", &ceremony), ("response", &answer)]).await;
    assert_eq!(done.path, "/account", "{}", done.body);
    assert_eq!(authn_of_sessions(&app).await.last().unwrap(), "passkey+hwk+user");
    // The same answer again: its challenge is used up.
    let again = b.post("/login/passkey", &[("ceremony", &ceremony), ("response", &answer)]).await;
    assert_eq!(again.status, 400);
    again.assert_has("already answered");
}

async fn a_passkey_is_refused_where_the_organization_does_not_allow_keys(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut key = SoftKey::new(&origin(&app));
    let mut b = signed_in(&app, ADA).await;
    add_key(&mut b, &mut key, "Phone").await;
    b.post("/logout", &[]).await;
    app.exec("UPDATE organizations SET allowed_methods = 'email,authenticator'").await;
    let mut b = app.browser();
    b.get("/login").await;
    let v: serde_json::Value = serde_json::from_str(&b.post("/login/passkey/options", &[]).await.body).unwrap();
    let answer = key.sign_discoverable(&v["options"].to_string());
    let refused =
        b.post("/login/passkey", &[("ceremony", v["ceremony"].as_str().unwrap()), ("response", &answer)]).await;
    assert_eq!(refused.status, 400);
    refused.assert_has("Your organization does not allow signing in with a passkey.");
    assert!(b.cookie("latchkey_session").is_none());
}

async fn removing_a_key_needs_the_password_and_a_current_second_factor(app: TestApp) {
    let id = app.with_member(ADA, true).await;
    let mut key = SoftKey::new(&origin(&app));
    let mut b = signed_in(&app, ADA).await;
    add_key(&mut b, &mut key, "YubiKey").await;
    let key_id = app.texts("SELECT CAST(id AS TEXT) FROM security_keys").await[0].clone().unwrap();
    let page = b.get(&format!("/account/security-keys/remove?key={key_id}")).await;
    page.assert_has("Remove security key or passkey");
    page.assert_has("Use your security key");
    let offered = Offered::on(&page.body);
    // No second factor, then a wrong password: refused, the key stays.
    let refused = b.post("/account/security-keys/remove", &[("key", &key_id), ("password", PASSWORD)]).await;
    assert_eq!(refused.status, 400);
    let answer = key.sign(&offered.options);
    let wrong = b
        .post(
            "/account/security-keys/remove",
            &[
                ("key", &key_id),
                ("password", "not the password"),
                ("key_ceremony", &offered.ceremony),
                ("key_response", &answer),
            ],
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert_eq!(app.texts("SELECT name FROM security_keys").await.len(), 1);
    // The password and the key's answer to the page's challenge.
    let page = b.get(&format!("/account/security-keys/remove?key={key_id}")).await;
    let offered = Offered::on(&page.body);
    let answer = key.sign(&offered.options);
    let done = b
        .post(
            "/account/security-keys/remove",
            &[("key", &key_id), ("password", PASSWORD), ("key_ceremony", &offered.ceremony), ("key_response", &answer)],
        )
        .await;
    assert!(done.path.starts_with("/account/security"), "{}", done.path);
    done.assert_has("The security key or passkey was removed.");
    assert!(app.texts("SELECT name FROM security_keys").await.is_empty());
    assert!(done.has("Enable Two-Factor Authentication"), "the last factor gone, two-factor authentication is off");
    app.sink.wait_for(ADA, "Security key or passkey removed").await;
    let kinds = app.audit_kinds(id).await;
    assert!(kinds.contains(&"security_key_removed".to_string()) && kinds.contains(&"two_factor_disabled".to_string()));
}

async fn a_key_can_be_renamed_and_another_members_key_cannot(app: TestApp) {
    app.with_member(ADA, true).await;
    app.create_user(BEN, Some(PASSWORD), true).await;
    let mut b = signed_in(&app, ADA).await;
    add_key(&mut b, &mut SoftKey::new(&origin(&app)), "Old name").await;
    let key_id = app.texts("SELECT CAST(id AS TEXT) FROM security_keys").await[0].clone().unwrap();
    let done = b.post("/account/security-keys/rename", &[("key", &key_id), ("name", "Desk key")]).await;
    done.assert_has("The key has been renamed.");
    done.assert_has("Desk key");
    let too_long = "x".repeat(65);
    let refused = b.post("/account/security-keys/rename", &[("key", &key_id), ("name", &too_long)]).await;
    assert_eq!(refused.status, 400);
    let mut ben = signed_in(&app, BEN).await;
    let theirs = ben.post("/account/security-keys/rename", &[("key", &key_id), ("name", "Mine now")]).await;
    assert_eq!(theirs.status, 404);
    assert_eq!(app.texts("SELECT name FROM security_keys").await[0].as_deref(), Some("Desk key"));
}

async fn a_replayed_answer_is_refused(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut key = SoftKey::new(&origin(&app));
    add_key(&mut signed_in(&app, ADA).await, &mut key, "Key").await;
    let (mut b, page) = to_key_step(&app, ADA).await;
    let first = Offered::on(&page.body);
    let answer = key.sign(&first.options);
    assert_eq!(answer_step(&mut b, &first, &answer).await.path, "/account");
    // A new sign-in: the old answer, with its own challenge or with the new one, is refused.
    let (mut b, page) = to_key_step(&app, ADA).await;
    let replayed = answer_step(&mut b, &first, &answer).await;
    assert_eq!(replayed.status, 400);
    replayed.assert_has("already answered");
    let page = if replayed.has("data-options") { replayed } else { page };
    let second = Offered::on(&page.body);
    let refused = answer_step(&mut b, &second, &answer).await;
    assert_eq!(refused.status, 400);
    refused.assert_has("was not accepted for this account");
    assert!(b.cookie("latchkey_session").is_none());
}

async fn an_answer_made_for_another_origin_is_refused(app: TestApp) {
    let id = app.with_member(ADA, true).await;
    let mut key = SoftKey::new(&origin(&app));
    add_key(&mut signed_in(&app, ADA).await, &mut key, "Key").await;
    let (mut b, page) = to_key_step(&app, ADA).await;
    let offered = Offered::on(&page.body);
    // Another service on the same host (another port) relays the challenge to its own page.
    let elsewhere = url::Url::parse("http://localhost:1").unwrap();
    let refused = answer_step(&mut b, &offered, &key.sign_at(&elsewhere, &offered.options)).await;
    assert_eq!(refused.status, 400);
    refused.assert_has("was not accepted for this account");
    assert!(app.audit_kinds(id).await.contains(&"security_key_refused".to_string()));
}

async fn another_members_key_does_not_sign_in_for_this_one(app: TestApp) {
    app.with_member(ADA, true).await;
    app.create_user(BEN, Some(PASSWORD), true).await;
    let (mut ada_key, mut ben_key) = (SoftKey::new(&origin(&app)), SoftKey::new(&origin(&app)));
    add_key(&mut signed_in(&app, ADA).await, &mut ada_key, "Ada's").await;
    add_key(&mut signed_in(&app, BEN).await, &mut ben_key, "Ben's").await;
    // Ben's key answers Ada's second step, naming its own credential.
    let (mut b, page) = to_key_step(&app, ADA).await;
    let offered = Offered::on(&page.body);
    let mut options: serde_json::Value = serde_json::from_str(&offered.options).unwrap();
    let ben_id = ben_key.credential_id.clone().unwrap();
    options["publicKey"]["allowCredentials"] = serde_json::json!([{ "type": "public-key", "id": ben_id }]);
    let refused = answer_step(&mut b, &offered, &ben_key.sign(&options.to_string())).await;
    assert_eq!(refused.status, 400);
    // Ben's passkey presented under Ada's user handle signs no one in.
    let mut b = app.browser();
    b.get("/login").await;
    let v: serde_json::Value = serde_json::from_str(&b.post("/login/passkey/options", &[]).await.body).unwrap();
    ben_key.user_handle = ada_key.user_handle.clone();
    let answer = ben_key.sign_discoverable(&v["options"].to_string());
    let refused =
        b.post("/login/passkey", &[("ceremony", v["ceremony"].as_str().unwrap()), ("response", &answer)]).await;
    assert_eq!(refused.status, 400);
    assert!(b.cookie("latchkey_session").is_none());
}

async fn an_expired_challenge_is_refused_and_the_page_offers_a_new_one(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut key = SoftKey::new(&origin(&app));
    add_key(&mut signed_in(&app, ADA).await, &mut key, "Key").await;
    let (mut b, page) = to_key_step(&app, ADA).await;
    let offered = Offered::on(&page.body);
    app.state.clock.advance(5 * 60 + 1);
    let late = answer_step(&mut b, &offered, &key.sign(&offered.options)).await;
    assert_eq!(late.status, 400);
    late.assert_has("has ended or was already answered");
    let fresh = Offered::on(&late.body);
    assert_ne!(fresh.ceremony, offered.ceremony);
    assert_eq!(answer_step(&mut b, &fresh, &key.sign(&fresh.options)).await.path, "/account");
}

async fn one_challenge_answered_twenty_times_at_once_signs_in_once(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut key = SoftKey::new(&origin(&app));
    add_key(&mut signed_in(&app, ADA).await, &mut key, "Key").await;
    let (b, page) = to_key_step(&app, ADA).await;
    let sessions_before = authn_of_sessions(&app).await.len();
    let offered = Offered::on(&page.body);
    let answer = key.sign(&offered.options);
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(20));
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (mut tab, barrier) = (b.copy(), barrier.clone());
        let (ceremony, answer) = (offered.ceremony.clone(), answer.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            tab.post("/login/verify/key", &[("ceremony", &ceremony), ("response", &answer)]).await.path
        }));
    }
    let mut signed_in = 0;
    for t in tasks {
        signed_in += usize::from(t.await.unwrap() == "/account");
    }
    assert_eq!(signed_in, 1);
    assert_eq!(authn_of_sessions(&app).await.len(), sessions_before + 1, "one new session");
}

async fn a_credential_id_belongs_to_one_member_only(app: TestApp) {
    use latchkey::store::security_keys::{insert, NewKey};
    let ada = app.with_member(ADA, true).await;
    let ben = app.create_user(BEN, Some(PASSWORD), true).await;
    let key = |user_id| NewKey {
        user_id,
        credential_id: "c2FtZS1jcmVkZW50aWFs",
        name: "Key",
        passkey: "{}",
        counter: 0,
        backup_eligible: false,
    };
    app.state.db.write(|conn| insert(conn, &key(ada), 1)).unwrap();
    let again = app.state.db.write(|conn| insert(conn, &key(ben), 2));
    assert!(matches!(again, Err(latchkey::store::StoreError::Conflict(_))), "{again:?}");
}

async fn an_application_learns_the_key_and_can_ask_for_a_phishing_resistant_sign_in(app: TestApp) {
    app.with_member(ADA, true).await;
    app.create_user(BEN, Some(PASSWORD), true).await;
    let mut key = SoftKey::new(&origin(&app));
    add_key(&mut signed_in(&app, ADA).await, &mut key, "Key").await;
    let (client_id, _) =
        app.register_app("acme.example", "Acme Console", AppOptions { public: true, ..Default::default() }).await;
    let rp = Rp::discover(&app, &client_id, None, false).await;
    let phr = [("acr_values", "urn:latchkey:acr:phr")];

    // Ada signs in with her key: the application is told so.
    let mut b = Browser::new(&origin(&app));
    let started = rp.start(&["email"], &phr);
    let page = b.get_url(started.url.as_str()).await;
    let cont = hidden(&page.body, "continue").expect("the login form carries where it continues");
    let step = b.post("/login", &[("email", ADA), ("password", PASSWORD), ("continue", &cont)]).await;
    let offered = Offered::on(&step.body);
    let back = answer_step(&mut b, &offered, &key.sign(&offered.options)).await;
    let tokens = rp.exchange(&code_in(&back.location(), &started), started.verifier).await.unwrap();
    let claims = rp.claims(&tokens, &started.nonce);
    let amr: Vec<String> = claims.auth_method_refs().unwrap().iter().map(|a| a.to_string()).collect();
    assert_eq!(amr, vec!["pwd", "hwk", "user", "mfa"]);
    assert_eq!(claims.auth_context_ref().unwrap().as_str(), "urn:latchkey:acr:phr");

    // Ben has no key: asked for a phishing-resistant sign-in, the application gets no code; he
    // is sent to add a key first.
    let mut b = Browser::new(&origin(&app));
    let started = rp.start(&["email"], &phr);
    let page = b.get_url(started.url.as_str()).await;
    let cont = hidden(&page.body, "continue").unwrap();
    let held = b.post("/login", &[("email", BEN), ("password", PASSWORD), ("continue", &cont)]).await;
    assert_eq!(held.status, 200, "still on Latchkey, no redirect with a code: {}", held.path);
    held.assert_has("Security key or passkey");

    // Cat has codes by email but no key: after her code she is asked for a key, adds one
    // (confirming with her password and a code) and goes on to the application with it.
    let cat = "cat@acme.example";
    app.create_user(cat, Some(PASSWORD), true).await;
    let mut b = signed_in(&app, cat).await;
    crate::common::two_factor::enable(&app, &mut b, cat).await;
    let mut b = Browser::new(&origin(&app));
    let started = rp.start(&["email"], &phr);
    let page = b.get_url(started.url.as_str()).await;
    let cont = hidden(&page.body, "continue").unwrap();
    let before = crate::common::two_factor::codes_sent(&app, cat);
    b.post("/login", &[("email", cat), ("password", PASSWORD), ("continue", &cont)]).await;
    let code = crate::common::two_factor::next_code(&app, cat, before).await;
    let asked = b.post("/login/verify", &[("code", &code)]).await;
    asked.assert_has("Acme Console asks for a security key or passkey");
    assert!(!asked.has("Use email codes"), "only a key will do");
    b.post("/account/security-keys/add", &[]).await.assert_has("Send verification code");
    let before = crate::common::two_factor::codes_sent(&app, cat);
    b.post("/account/security-keys/add/send", &[]).await;
    let code = crate::common::two_factor::next_code(&app, cat, before).await;
    let page = b.post("/account/security-keys/add", &[("password", PASSWORD), ("code", &code)]).await;
    let offered = Offered::on(&page.body);
    let mut cat_key = SoftKey::new(&origin(&app));
    let answer = cat_key.register(&offered.options);
    let again = b
        .post(
            "/account/security-keys/finish",
            &[("ceremony", &offered.ceremony), ("response", &answer), ("name", "Cat's key")],
        )
        .await;
    // This session's sign-in used a code (which a fake page could have relayed): the key is
    // asked for at a new sign-in, which goes on to the application.
    let cont = hidden(&again.body, "continue").expect("a new sign-in, on to the application");
    let step = b.post("/login", &[("email", cat), ("password", PASSWORD), ("continue", &cont)]).await;
    let offered = Offered::on(&step.body);
    let back = answer_step(&mut b, &offered, &cat_key.sign(&offered.options)).await;
    let tokens = rp.exchange(&code_in(&back.location(), &started), started.verifier).await.unwrap();
    let claims = rp.claims(&tokens, &started.nonce);
    assert_eq!(claims.auth_context_ref().unwrap().as_str(), "urn:latchkey:acr:phr");
}

/// The test apps' public URL is http://127.0.0.1:PORT: no relying party.
async fn at_an_ip_address_keys_are_not_offered_and_a_member_with_one_is_told_why(app: TestApp) {
    let id = app.with_member(ADA, true).await;
    let mut b = signed_in(&app, ADA).await;
    b.get("/account/security").await.assert_has("Latchkey must be reached by a name, not an IP address");
    let refused = b.post("/account/security-keys/add", &[]).await;
    assert_eq!(refused.status, 400);
    refused.assert_has("not by an IP address");
    let login = app.browser().get("/login").await;
    assert!(!login.has("Sign in with a passkey") && !login.has("username webauthn"));
    // A key registered while the public URL was a name (say): the key step says why it cannot
    // be used, and the Recovery Key is still there.
    crate::common::two_factor::enable(&app, &mut b, ADA).await;
    let k = latchkey::store::security_keys::NewKey {
        user_id: id,
        credential_id: "a2V5",
        name: "Key",
        passkey: "{}",
        counter: 0,
        backup_eligible: false,
    };
    app.state.db.write(|conn| latchkey::store::security_keys::insert(conn, &k, 1)).unwrap();
    let step = app.browser().sign_in(ADA, PASSWORD).await;
    assert_eq!(step.path, "/login/verify");
    step.assert_has("not by an IP address");
    step.assert_has("Use your Recovery Key");
    step.assert_has("Send a code to my email instead");
}

async fn a_key_whose_counter_goes_back_is_refused_as_a_possible_clone(app: TestApp) {
    let id = app.with_member(ADA, true).await;
    let mut key = SoftKey::new(&origin(&app));
    add_key(&mut signed_in(&app, ADA).await, &mut key, "Key").await;
    // Two sign-ins; the key answers the first, then the second (its counter moves on each time).
    let (mut first, page) = to_key_step(&app, ADA).await;
    let a = Offered::on(&page.body);
    let (mut second, page) = to_key_step(&app, ADA).await;
    let b = Offered::on(&page.body);
    let (answer_a, answer_b) = (key.sign(&a.options), key.sign(&b.options));
    assert_eq!(answer_step(&mut second, &b, &answer_b).await.path, "/account");
    // The older answer carries a counter below the stored one: what a copy of the key would do.
    let refused = answer_step(&mut first, &a, &answer_a).await;
    assert_eq!(refused.status, 400);
    assert!(first.cookie("latchkey_session").is_none());
    let kinds = app.audit_kinds(id).await;
    assert!(kinds.contains(&"security_key_refused".to_string()), "{kinds:?}");
}
