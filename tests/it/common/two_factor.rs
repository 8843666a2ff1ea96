//! Steps shared by the two-factor tests.

use super::{Browser, TestApp, PASSWORD};

/// Codes mailed so far to `to`.
pub fn codes_sent(app: &TestApp, to: &str) -> usize {
    app.sink.find(to, "Your verification code").len()
}

/// Waits for the next code mail (after `before` earlier ones) and returns its code.
pub async fn next_code(app: &TestApp, to: &str, before: usize) -> String {
    app.sink.wait_for_nth(to, "Your verification code", before + 1).await.code()
}

/// The Recovery Key shown in a page's pop-up.
pub fn shown_key(body: &str) -> String {
    let start = body.find("<p class=\"recovery-key\"><code>").expect("no Recovery Key on the page") + 30;
    body[start..start + body[start..].find('<').unwrap()].to_string()
}

/// Turns two-factor authentication on for a signed-in browser; returns the Recovery Key.
pub async fn enable(app: &TestApp, b: &mut Browser, email: &str) -> String {
    b.get("/account/two-factor/enable").await;
    let before = codes_sent(app, email);
    b.post("/account/two-factor/enable/send", &[]).await.assert_has("Verification Code");
    let code = next_code(app, email, before).await;
    let page = b.post("/account/two-factor/enable/confirm", &[("code", &code)]).await;
    page.assert_has("Your Recovery Key");
    let key = shown_key(&page.body);
    b.post("/account/recovery-key/saved", &[("key", &key), ("saved", "yes")])
        .await
        .assert_has("Two-factor authentication is on");
    key
}

/// A member with two-factor authentication on, signed out again; returns the Recovery Key.
pub async fn member_with_two_factor(app: &TestApp, email: &str) -> String {
    app.with_member(email, true).await;
    let mut b = app.browser();
    b.sign_in(email, PASSWORD).await;
    let key = enable(app, &mut b, email).await;
    b.post("/logout", &[]).await;
    key
}

/// Logs in with the password and lands on the second step; returns the code that was mailed.
pub async fn start_sign_in(app: &TestApp, b: &mut Browser, email: &str) -> String {
    // Every new sign-in mails a code of its own, whatever earlier sign-ins sent.
    let before = codes_sent(app, email);

    let page = b.sign_in(email, PASSWORD).await;
    assert_eq!(page.path, "/login/verify", "{}", page.body);
    next_code(app, email, before).await
}
