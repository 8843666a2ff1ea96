//! Security keys and passkeys in headless Chromium, with chromedriver's virtual authenticator
//! (the WebDriver WebAuthn extension) standing in for the device: the pages' own script talks
//! to it through `navigator.credentials`, as it would to a YubiKey or a phone.

use crate::common::webdriver::Chrome;
use crate::common::{Backend, Browser, TestApp, PASSWORD};
use crate::security_keys::on_localhost;

const ADA: &str = "ada@acme.example";
const BOSS: &str = "boss@acme.example";
const ROOT: &str = "root@acme.example";

/// The app as the browser must reach it: by name (WebAuthn refuses IP addresses).
fn public(app: &TestApp) -> String {
    app.state.settings.public_url.as_str().trim_end_matches('/').to_string()
}

async fn password_step(chrome: &Chrome, base: &str, email: &str) {
    chrome.goto(&format!("{base}/login")).await;
    chrome.type_into(&chrome.find("input#email").await, email).await;
    chrome.type_into(&chrome.find("input#password").await, PASSWORD).await;
    chrome.click(&chrome.find_named("Log in").await).await;
}

async fn log_out(chrome: &Chrome) {
    // A page reached by a form the page's script submitted: let it finish loading first.
    chrome.wait_loaded().await;
    chrome.click(&chrome.find("button[popovertarget]").await).await;
    chrome.click(&chrome.find_named("Log out").await).await;
    chrome.wait_for_path("/login?notice=signed-out").await;
}

/// "Add a security key or passkey" on the page that shows it: names the key and answers the
/// browser's prompt.
async fn add_key_here(chrome: &Chrome, name: &str) {
    chrome.type_into(&chrome.find("input#key-name").await, name).await;
    chrome.click(&chrome.find_named("Continue").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_adds_a_passkey_and_logs_in_with_it_as_the_second_factor_and_without_a_password() {
    let app = TestApp::spawn_with(Backend::Sqlite, on_localhost).await;
    app.with_member(ADA, true).await;
    let base = public(&app);
    let chrome = Chrome::start().await;
    let authenticator = chrome.add_virtual_authenticator().await;

    password_step(&chrome, &base, ADA).await;
    chrome.wait_for_path("/account").await;
    chrome.click(&chrome.find_named("Security and Credentials").await).await;
    chrome.click(&chrome.find_named("Add a security key or passkey").await).await;
    add_key_here(&chrome, "Work laptop").await;
    chrome.wait_for_text("Your security key or passkey has been added. Two-factor authentication is on.").await;
    chrome.click(&chrome.find("input[name=saved]").await).await;
    chrome.click(&chrome.find_named("Done").await).await;
    chrome.wait_for_path("/account/security?notice=recovery-key-saved").await;
    assert!(chrome.source().await.contains("Work laptop"));
    let held = chrome.credentials(&authenticator).await;
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0]["isResidentCredential"], true, "a discoverable credential: {held:?}");
    chrome.screenshot(&std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("security-keys.png")).await;
    // The virtual authenticator consents at once: with its user verification on, the login
    // page's passkey autofill would sign in before the password could be typed.
    chrome.set_user_verified(&authenticator, false).await;
    log_out(&chrome).await;

    // The password, then the key.
    password_step(&chrome, &base, ADA).await;
    chrome.wait_for_path("/login/verify").await;
    assert!(chrome.source().await.contains("Use your Recovery Key"));
    chrome.set_user_verified(&authenticator, true).await;
    chrome.click(&chrome.find_named("Use your security key").await).await;
    chrome.wait_for_path("/account").await;
    chrome.set_user_verified(&authenticator, false).await;
    log_out(&chrome).await;

    // The passkey alone, with the button.
    chrome.goto(&format!("{base}/login")).await;
    chrome.wait_loaded().await;
    assert!(chrome.source().await.contains("autocomplete=\"username webauthn\""));
    chrome.set_user_verified(&authenticator, true).await;
    chrome.click(&chrome.find_named("Sign in with a passkey").await).await;
    chrome.wait_for_path("/account").await;
    let authn = app.texts("SELECT authn FROM sessions ORDER BY id DESC").await;
    assert_eq!(authn[0].as_deref(), Some("passkey+hwk+user"));
    chrome.set_user_verified(&authenticator, false).await;
    log_out(&chrome).await;

    // And with the email field's passkey autofill: the (virtual) person picks the passkey the
    // browser offers there, and the page signs in with it.
    chrome.set_user_verified(&authenticator, true).await;
    chrome.goto(&format!("{base}/login")).await;
    chrome.wait_for_path("/account").await;
    let sessions = app.texts("SELECT authn FROM sessions ORDER BY id DESC").await;
    assert_eq!(sessions[0].as_deref(), Some("passkey+hwk+user"));
    chrome.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_requires_keys_for_admins_and_an_admin_without_one_is_held_at_the_set_up() {
    let app = TestApp::spawn_with(Backend::Sqlite, on_localhost).await;
    app.create_org("Acme Support", "acme.example").await;
    app.create_admin(BOSS).await;
    app.create_admin(ROOT).await;
    app.create_user(ADA, Some(PASSWORD), true).await;
    // Both admins have codes by email (turned on through the pages, with real mail).
    for admin in [BOSS, ROOT] {
        let mut b = Browser::new(&app.url);
        b.sign_in(admin, PASSWORD).await;
        crate::common::two_factor::enable(&app, &mut b, admin).await;
    }
    let base = public(&app);
    let chrome = Chrome::start().await;
    let authenticator = chrome.add_virtual_authenticator().await;

    password_step(&chrome, &base, BOSS).await;
    let code = app.sink.wait_for_nth(BOSS, "Your verification code", 2).await.code();
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    chrome.click(&chrome.find_named("Continue").await).await;
    chrome.wait_for_path("/account").await;

    // With two-factor authentication on, a new key needs the password and a current factor.
    chrome.goto(&format!("{base}/account/security")).await;
    chrome.click(&chrome.find_named("Add a security key or passkey").await).await;
    chrome.click(&chrome.find_named("Send verification code").await).await;
    let code = app.sink.wait_for_nth(BOSS, "Your verification code", 3).await.code();
    chrome.type_into(&chrome.find("input#password").await, PASSWORD).await;
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    chrome.click(&chrome.find_named("Add a security key or passkey").await).await;
    add_key_here(&chrome, "YubiKey 5").await;
    chrome.wait_for_path("/account/security?notice=security-key-added").await;

    chrome.goto(&format!("{base}/org")).await;
    chrome.click(&chrome.find("input[name=admin_keys]").await).await;
    chrome.click(&chrome.find_named("Save").await).await;
    chrome.wait_for_text("Check before saving").await;
    let preview = chrome.source().await;
    assert!(preview.contains(ROOT) && !preview.contains(ADA), "the admin without a key, not the member");
    chrome.click(&chrome.find_named("Save").await).await;
    chrome.wait_for_text("The policy is saved.").await;
    // No passkey autofill while the password is typed (see the test above).
    chrome.set_user_verified(&authenticator, false).await;
    log_out(&chrome).await;

    // The admin with a key is asked for it, not for a code.
    password_step(&chrome, &base, BOSS).await;
    chrome.wait_for_path("/login/verify").await;
    let step = chrome.source().await;
    assert!(step.contains("Use your security key") && !step.contains("Send a code to my email instead"));
    chrome.set_user_verified(&authenticator, true).await;
    chrome.click(&chrome.find_named("Use your security key").await).await;
    chrome.wait_for_path("/account").await;
    chrome.set_user_verified(&authenticator, false).await;
    log_out(&chrome).await;

    // The admin without one signs in with a code and is held at the set-up.
    password_step(&chrome, &base, ROOT).await;
    let code = app.sink.wait_for_nth(ROOT, "Your verification code", 2).await.code();
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    chrome.click(&chrome.find_named("Continue").await).await;
    chrome.goto(&format!("{base}/account/security")).await;
    chrome.wait_for_path("/account/two-factor/required").await;
    let held = chrome.source().await;
    assert!(held.contains("requires a security key or passkey for admins"), "{held}");
    assert!(held.contains("Add a security key or passkey") && !held.contains("Use email codes"));
    chrome.screenshot(&std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("keys-for-admins.png")).await;

    // From the set-up: the password and a code confirm the new way in, then the key.
    chrome.set_user_verified(&authenticator, true).await;
    chrome.click(&chrome.find_named("Add a security key or passkey").await).await;
    chrome.click(&chrome.find_named("Send verification code").await).await;
    let code = app.sink.wait_for_nth(ROOT, "Your verification code", 3).await.code();
    chrome.type_into(&chrome.find("input#password").await, PASSWORD).await;
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    chrome.click(&chrome.find_named("Add a security key or passkey").await).await;
    add_key_here(&chrome, "Root's key").await;
    chrome.wait_for_path("/account/security?notice=security-key-added").await;
    chrome.goto(&format!("{base}/org")).await;
    chrome.wait_for_path("/org").await;
    chrome.quit().await;
}
