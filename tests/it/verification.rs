//! Email verification through a single-use link sent over SMTP.

use crate::common::{TestApp, PASSWORD};
use crate::on_both_backends;

on_both_backends!(
    following_the_emailed_link_verifies_the_address_once,
    a_new_verification_email_replaces_the_old_link,
    verification_emails_are_capped_per_hour,
);

async fn following_the_emailed_link_verifies_the_address_once(app: TestApp) {
    let id = app.with_member("ada@acme.example", false).await;
    let mut b = app.browser();
    b.sign_in("ada@acme.example", PASSWORD).await;
    let page = b.get("/account/security").await;
    page.assert_has("Not verified");
    let sent = b.post("/account/send-verification", &[]).await;
    sent.assert_has("We have sent you a verification email.");
    let mail = app.sink.wait_for("ada@acme.example", "Verify your email address").await;
    assert!(mail.html.contains("Verify email address"), "the mail has an HTML part");
    assert!(mail.link().starts_with(&app.url));

    // Opening the link does not use it up (mail scanners open links); the button does.
    let mut other = app.browser();
    let confirm = other.get(&mail.link_path()).await;
    confirm.assert_has("Verify email");
    let again = other.get(&mail.link_path()).await;
    assert_eq!(again.status, 200);
    let token = mail.link().split("token=").nth(1).unwrap().to_string();
    let done = other.post("/verify-email", &[("token", &token)]).await;
    done.assert_has("Email address verified");
    assert_eq!(other.post("/verify-email", &[("token", &token)]).await.status, 410);
    assert_eq!(other.get(&mail.link_path()).await.status, 410);

    let page = b.get("/account/security").await;
    page.assert_has("Verified");
    assert!(!page.has("Send verification email"));
    let kinds = app.audit_kinds(id).await;
    assert!(kinds.contains(&"email_verification_sent".into()) && kinds.contains(&"email_verified".into()));
}

async fn a_new_verification_email_replaces_the_old_link(app: TestApp) {
    app.with_member("ada@acme.example", false).await;
    let mut b = app.browser();
    b.sign_in("ada@acme.example", PASSWORD).await;
    b.get("/account/security").await;
    b.post("/account/send-verification", &[]).await;
    let first = app.sink.wait_for_nth("ada@acme.example", "Verify", 1).await;
    b.post("/account/send-verification", &[]).await.assert_has("We have sent you");
    let second = app.sink.wait_for_nth("ada@acme.example", "Verify", 2).await;
    assert_eq!(b.get(&first.link_path()).await.status, 410);
    assert_eq!(b.get(&second.link_path()).await.status, 200);
}

async fn verification_emails_are_capped_per_hour(app: TestApp) {
    app.with_member("ada@acme.example", false).await;
    let mut b = app.browser();
    b.sign_in("ada@acme.example", PASSWORD).await;
    b.get("/account/security").await;
    for _ in 0..5 {
        b.post("/account/send-verification", &[]).await.assert_has("We have sent you");
    }
    let refused = b.post("/account/send-verification", &[]).await;
    assert_eq!(refused.status, 400);
    refused.assert_has("Too many emails were sent to this address in the last hour.");
    app.state.clock.advance(3601);
    b.sign_in("ada@acme.example", PASSWORD).await;
    b.get("/account/security").await;
    b.post("/account/send-verification", &[]).await.assert_has("We have sent you");
}
