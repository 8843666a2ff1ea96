//! Known devices in a real headless Chromium: "Remember this device", logging out and in without
//! the second step, forgetting the device, a second browser's new-device mail over SMTP, and
//! "This wasn't me" followed from it.

use crate::common::two_factor::member_with_two_factor;
use crate::common::webdriver::Chrome;
use crate::common::{Backend, TestApp, PASSWORD};

const ADA: &str = "ada@acme.example";
const CODE: &str = "Your verification code";
const NEW_DEVICE: &str = "New sign-in to your Acme Support account";

async fn log_in(chrome: &Chrome, url: &str, password: &str) {
    chrome.goto(&format!("{url}/login")).await;
    chrome.type_into(&chrome.find("input#email").await, ADA).await;
    chrome.type_into(&chrome.find("input#password").await, password).await;
    chrome.click(&chrome.find_named("Log in").await).await;
}

/// The second step with the `n`-th code mailed to Ada; `remember`: tick the checkbox first.
async fn second_step(app: &TestApp, chrome: &Chrome, n: usize, remember: bool) {
    chrome.wait_for_path("/login/verify").await;
    let code = app.sink.wait_for_nth(ADA, CODE, n).await.code();
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    if remember {
        chrome.click(&chrome.find("input[name=remember]").await).await;
    }
    chrome.click(&chrome.find_named("Continue").await).await;
    chrome.wait_for_path("/account").await;
}

async fn log_out(chrome: &Chrome) {
    chrome.click(&chrome.find("button[popovertarget]").await).await;
    chrome.click(&chrome.find_named("Log out").await).await;
    chrome.wait_for_path("/login?notice=signed-out").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_device_skips_the_second_step_and_this_wasnt_me_from_another_browser_ends_it() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    member_with_two_factor(&app, ADA).await;
    let codes = app.sink.find(ADA, CODE).len();
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));

    let first = Chrome::start().await;
    log_in(&first, &app.url, PASSWORD).await;
    first.wait_for_path("/login/verify").await;
    assert!(first.source().await.contains("Remember this device for 30 days"));
    first.screenshot(&shots.join("remember-this-device.png")).await;
    second_step(&app, &first, codes + 1, true).await;

    // Logged out and in again: no second step.
    log_out(&first).await;
    log_in(&first, &app.url, PASSWORD).await;
    first.wait_for_path("/account").await;
    assert_eq!(app.sink.find(ADA, CODE).len(), codes + 1, "no code was mailed");

    // Forgotten on Security and Credentials: the second step returns.
    first.click(&first.find_named("Security and Credentials").await).await;
    first.wait_for_path("/account/security").await;
    let page = first.source().await;
    assert!(page.contains("Remembered until") && page.contains(" on Linux"), "{page}");
    let section = first.find("section[aria-labelledby=devices-h]").await;
    std::fs::write(shots.join("remembered-devices.png"), first.element_screenshot(&section).await).unwrap();
    first.click(&first.find_named("Forget").await).await;
    first.wait_for_path("/account/security?notice=device-forgotten").await;
    assert!(first.source().await.contains("The device was forgotten."));
    log_out(&first).await;
    log_in(&first, &app.url, PASSWORD).await;
    second_step(&app, &first, codes + 2, false).await;

    // A second browser: the new-device mail arrives, and "This wasn't me" is followed from it.
    let alerts = app.sink.find(ADA, NEW_DEVICE).len();
    let second = Chrome::start().await;
    log_in(&second, &app.url, PASSWORD).await;
    second_step(&app, &second, codes + 3, false).await;
    let mail = app.sink.wait_for_nth(ADA, NEW_DEVICE, alerts + 1).await;
    assert!(mail.text.contains("Browser: Chrome"), "{}", mail.text);
    second.goto(&mail.link()).await;
    second.click(&second.find("form[action=\"/not-me\"] button").await).await;
    second.wait_for_text("Your account is secured").await;
    assert!(second.source().await.contains("What to do next"));
    second.screenshot(&shots.join("this-wasnt-me.png")).await;

    // The first browser's session is gone, and its next log-in asks for a new password first.
    first.goto(&format!("{}/account/security", app.url)).await;
    first.wait_for_path("/login").await;
    log_in(&first, &app.url, PASSWORD).await;
    first.wait_for_text("choose a new password before you log in").await;
    first.click(&first.find_named("Forgot password?").await).await;
    first.wait_for_path("/forgot-password").await;
    first.quit().await;
    second.quit().await;
}
