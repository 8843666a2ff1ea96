//! End to end in a real headless Chromium: a new member logs in, verifies their email from
//! the mail received over SMTP, and opens Manage Account -> Security and Credentials.

use crate::common::webdriver::Chrome;
use crate::common::{Backend, TestApp, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_member_logs_in_verifies_their_email_and_opens_security_and_credentials() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.with_member("ada@acme.example", false).await;
    let chrome = Chrome::start().await;

    chrome.goto(&format!("{}/login", app.url)).await;
    let email = chrome.find("input#email").await;
    chrome.type_into(&email, "ada@acme.example").await;
    let password = chrome.find("input#password").await;
    chrome.type_into(&password, PASSWORD).await;
    chrome.click(&chrome.find_named("Log in").await).await;
    chrome.wait_for_path("/account").await;

    let profile = chrome.find("button[popovertarget]").await;
    assert_eq!(chrome.accessible_name(&profile).await, "Profile");
    chrome.click(&profile).await;
    chrome.click(&chrome.find_named("Manage Account").await).await;
    chrome.wait_for_path("/account").await;
    chrome.click(&chrome.find_named("Security and Credentials").await).await;
    chrome.wait_for_path("/account/security").await;
    assert!(chrome.source().await.contains("Not verified"));

    chrome.click(&chrome.find_named("Send verification email").await).await;
    chrome.wait_for_path("/account/security?notice=verification-sent").await;
    let mail = app.sink.wait_for("ada@acme.example", "Verify your email address").await;
    chrome.goto(&mail.link()).await;
    chrome.click(&chrome.find_named("Verify email").await).await;
    chrome.find_named("Back to Security and Credentials").await;
    assert!(chrome.source().await.contains("Email address verified"));
    chrome.click(&chrome.find_named("Back to Security and Credentials").await).await;
    chrome.wait_for_path("/account/security").await;
    let page = chrome.source().await;
    assert!(page.contains("Verified") && !page.contains("Not verified"));
    assert!(page.contains("Sign out other sessions") || page.contains("This session"));
    chrome.screenshot(&std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("security-and-credentials.png")).await;
    chrome.quit().await;
}

/// The Recovery Key line of a downloaded Recovery Key file.
fn key_in_file(file: &str) -> String {
    file.lines()
        .find_map(|l| l.strip_prefix("Recovery Key: "))
        .unwrap_or_else(|| panic!("no key in {file}"))
        .trim()
        .to_string()
}

async fn log_out(chrome: &Chrome) {
    chrome.click(&chrome.find("button[popovertarget]").await).await;
    chrome.click(&chrome.find_named("Log out").await).await;
    chrome.wait_for_path("/login?notice=signed-out").await;
}

async fn log_in(chrome: &Chrome, url: &str) {
    chrome.goto(&format!("{url}/login")).await;
    chrome.type_into(&chrome.find("input#email").await, "ada@acme.example").await;
    chrome.type_into(&chrome.find("input#password").await, PASSWORD).await;
    chrome.click(&chrome.find_named("Log in").await).await;
    chrome.wait_for_path("/login/verify").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_turns_on_two_factor_and_logs_in_with_a_code_then_with_the_recovery_key() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.with_member("ada@acme.example", true).await;
    let chrome = Chrome::start().await;
    let downloads = tempfile::tempdir().unwrap();
    chrome.allow_downloads(downloads.path()).await;

    chrome.goto(&format!("{}/login", app.url)).await;
    chrome.type_into(&chrome.find("input#email").await, "ada@acme.example").await;
    chrome.type_into(&chrome.find("input#password").await, PASSWORD).await;
    chrome.click(&chrome.find_named("Log in").await).await;
    chrome.wait_for_path("/account").await;
    chrome.click(&chrome.find_named("Security and Credentials").await).await;
    chrome.click(&chrome.find_named("Enable Two-Factor Authentication").await).await;
    chrome.click(&chrome.find_named("Send verification code").await).await;
    let code = app.sink.wait_for("ada@acme.example", "Your verification code").await.code();
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    chrome.click(&chrome.find_named("Continue").await).await;
    chrome.find("p.recovery-key code").await;

    chrome.click(&chrome.find_named("Download").await).await;
    let file = chrome.downloaded(downloads.path()).await;
    let key = key_in_file(&file);
    assert!(file.contains("ada@acme.example") && chrome.source().await.contains(&key));
    chrome.screenshot(&std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("recovery-key.png")).await;
    chrome.click(&chrome.find("input[name=saved]").await).await;
    chrome.click(&chrome.find_named("Done").await).await;
    chrome.wait_for_path("/account/security?notice=recovery-key-saved").await;
    log_out(&chrome).await;

    // With the emailed code.
    log_in(&chrome, &app.url).await;
    assert!(chrome.source().await.contains("a***@acme.example"));
    let code = app.sink.wait_for_nth("ada@acme.example", "Your verification code", 2).await.code();
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    chrome.click(&chrome.find_named("Continue").await).await;
    chrome.wait_for_path("/account").await;
    log_out(&chrome).await;

    // With the Recovery Key from the file; a new one is shown and downloaded.
    log_in(&chrome, &app.url).await;
    chrome.click(&chrome.find_named("Use your Recovery Key").await).await;
    chrome.wait_for_path("/login/recovery").await;
    chrome.type_into(&chrome.find("input#recovery_key").await, &key).await;
    chrome.click(&chrome.find_named("Continue").await).await;
    chrome.find_named("Download").await;
    assert!(chrome.source().await.contains("Here is your new one."));
    chrome.click(&chrome.find_named("Download").await).await;
    let new_key = key_in_file(&chrome.downloaded(downloads.path()).await);
    assert_ne!(new_key, key);
    chrome.click(&chrome.find("input[name=saved]").await).await;
    chrome.click(&chrome.find_named("Done").await).await;
    chrome.wait_for_path("/account/security?notice=recovery-key-saved").await;
    chrome.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_sets_up_an_authenticator_app_from_the_qr_code_and_logs_in_with_it() {
    use crate::common::authenticator::{decode_qr, oath_code, parse_uri};
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.with_member("ada@acme.example", true).await;
    let chrome = Chrome::start().await;
    chrome.goto(&format!("{}/login", app.url)).await;
    chrome.type_into(&chrome.find("input#email").await, "ada@acme.example").await;
    chrome.type_into(&chrome.find("input#password").await, PASSWORD).await;
    chrome.click(&chrome.find_named("Log in").await).await;
    chrome.wait_for_path("/account").await;
    chrome.click(&chrome.find_named("Security and Credentials").await).await;
    chrome.click(&chrome.find_named("Set Up").await).await;
    chrome.wait_for_path("/account/authenticator/setup").await;

    // What a phone would do: read the QR code on the screen, then compute the code.
    let qr = chrome.find("img[alt^='QR code']").await;
    let uri = parse_uri(&decode_qr(&chrome.element_screenshot(&qr).await));
    chrome.screenshot(&std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("authenticator-setup.png")).await;
    let code = oath_code(&uri.secret, app.state.clock.now());
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    chrome.click(&chrome.find_named("Verify").await).await;
    chrome.find_named("Download").await;
    assert!(chrome.source().await.contains("Authenticator app has been successfully set up"));
    chrome.click(&chrome.find("input[name=saved]").await).await;
    chrome.click(&chrome.find_named("Done").await).await;
    chrome.wait_for_path("/account/security?notice=recovery-key-saved").await;
    log_out(&chrome).await;

    app.state.clock.advance(30);
    log_in(&chrome, &app.url).await;
    let fresh = oath_code(&uri.secret, app.state.clock.now());
    chrome.type_into(&chrome.find("input#code").await, &fresh).await;
    chrome.click(&chrome.find_named("Continue").await).await;
    chrome.wait_for_path("/account").await;
    chrome.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_requires_two_factor_and_a_member_is_taken_through_the_set_up_first() {
    use crate::common::org::{admin, BOSS};
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.with_member("ada@acme.example", true).await;
    admin(&app).await; // the admin has two-factor authentication on
    let chrome = Chrome::start().await;

    // The admin: Log in (with the emailed code), Organization, Require Two-Factor Authentication.
    app.state.clock.advance(31);
    chrome.goto(&format!("{}/login", app.url)).await;
    chrome.type_into(&chrome.find("input#email").await, BOSS).await;
    chrome.type_into(&chrome.find("input#password").await, PASSWORD).await;
    chrome.click(&chrome.find_named("Log in").await).await;
    chrome.wait_for_path("/login/verify").await;
    let code = app.sink.wait_for_nth(BOSS, "Your verification code", 2).await.code();
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    chrome.click(&chrome.find_named("Continue").await).await;
    chrome.wait_for_path("/account").await;
    chrome.click(&chrome.find("button[popovertarget]").await).await;
    chrome.click(&chrome.find_named("Organization").await).await;
    chrome.wait_for_path("/org").await;
    chrome.click(&chrome.find("input[name=required]").await).await;
    chrome.click(&chrome.find_named("Save").await).await;
    chrome.find("section.preview").await;
    let preview = chrome.source().await;
    assert!(preview.contains("1 members have no 2FA") && preview.contains("ada@acme.example"), "{preview}");
    chrome.screenshot(&std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("policy-preview.png")).await;
    chrome.click(&chrome.find_named("Save").await).await;
    chrome.wait_for_path("/org?notice=saved").await;
    log_out(&chrome).await;

    // The member: held at the set-up, then email codes, the Recovery Key, and only then the account.
    chrome.goto(&format!("{}/login", app.url)).await;
    chrome.type_into(&chrome.find("input#email").await, "ada@acme.example").await;
    chrome.type_into(&chrome.find("input#password").await, PASSWORD).await;
    chrome.click(&chrome.find_named("Log in").await).await;
    chrome.wait_for_path("/account/two-factor/required").await;
    chrome.goto(&format!("{}/account/security", app.url)).await;
    chrome.wait_for_path("/account/two-factor/required").await;
    chrome.click(&chrome.find_named("Use email codes").await).await;
    chrome.click(&chrome.find_named("Send verification code").await).await;
    let code = app.sink.wait_for("ada@acme.example", "Your verification code").await.code();
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    chrome.click(&chrome.find_named("Continue").await).await;
    chrome.find_named("Download").await;
    chrome.click(&chrome.find("input[name=saved]").await).await;
    chrome.click(&chrome.find_named("Done").await).await;
    chrome.wait_for_path("/account/security?notice=recovery-key-saved").await;
    chrome.click(&chrome.find("button[popovertarget]").await).await;
    chrome.click(&chrome.find_named("Manage Account").await).await;
    chrome.wait_for_path("/account").await;
    chrome.quit().await;
}
