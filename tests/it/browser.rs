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
    chrome
        .click(&chrome.find_named("Back to Security and Credentials").await)
        .await;
    chrome.wait_for_path("/account/security").await;
    let page = chrome.source().await;
    assert!(page.contains("Verified") && !page.contains("Not verified"));
    assert!(page.contains("Sign out other sessions") || page.contains("This session"));
    chrome
        .screenshot(&std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("security-and-credentials.png"))
        .await;
    chrome.quit().await;
}
