//! Adding a way in needs the password and a current second factor once two-factor
//! authentication is on: a stolen session cookie alone can neither add an authenticator app,
//! nor replace the one there is, nor add codes by email.

use crate::common::authenticator::{code_at, decode_qr, oath_code, parse_uri, set_up};
use crate::common::two_factor::{codes_sent, member_with_two_factor, next_code};
use crate::common::{Browser, TestApp, PASSWORD};
use crate::on_both_backends;

const ADA: &str = "ada@acme.example";

on_both_backends!(
    a_session_alone_cannot_add_an_app_to_email_codes,
    a_session_alone_cannot_replace_the_app,
    a_session_alone_cannot_add_email_codes_to_the_app,
    the_recovery_key_can_confirm_a_set_up_and_is_replaced,
    a_set_up_begun_before_two_factor_was_on_ends_when_it_turns_on,
    an_abandoned_set_up_ends_after_fifteen_minutes,
    a_recovery_key_given_with_a_wrong_enable_code_is_not_used_up,
);

/// Ada's signed-in browser, past the second step (as a thief holding her cookie would be).
async fn signed_in_with_email_codes(app: &TestApp) -> Browser {
    member_with_two_factor(app, ADA).await;
    let mut b = app.browser();
    let before = codes_sent(app, ADA);
    b.sign_in(ADA, PASSWORD).await;
    let code = next_code(app, ADA, before).await;
    assert_eq!(b.post("/login/verify", &[("code", &code)]).await.path, "/account");
    b
}

async fn factor_kinds(app: &TestApp) -> Vec<String> {
    let mut kinds: Vec<String> =
        app.texts("SELECT kind FROM second_factors ORDER BY kind").await.into_iter().flatten().collect();
    kinds.sort();
    kinds
}

async fn a_session_alone_cannot_add_an_app_to_email_codes(app: TestApp) {
    let mut thief = signed_in_with_email_codes(&app).await;
    // "Set Up" asks for the password and a current second factor first.
    let asked = thief.post("/account/authenticator/setup", &[]).await;
    assert_eq!(asked.status, 200);
    asked.assert_has("To confirm, enter your password and a current second factor");
    assert!(!asked.has("qr.png"), "no QR code before the confirmation");
    // Without them, or with a guessed password, nothing starts.
    let no_factor = thief.post("/account/authenticator/setup", &[("password", PASSWORD)]).await;
    assert_eq!(no_factor.status, 400);
    no_factor.assert_has("Enter a code (from your app or your email), or your Recovery Key.");
    let wrong = thief.post("/account/authenticator/setup", &[("password", "guess"), ("code", "123456")]).await;
    assert_eq!(wrong.status, 400);
    wrong.assert_has("Your password is not correct.");
    assert_eq!(thief.get_bytes("/account/authenticator/qr.png").await.0, 400, "no set-up in progress");
    let verify = thief.post("/account/authenticator/verify", &[("code", "123456")]).await;
    assert_eq!(verify.status, 400);
    assert_eq!(factor_kinds(&app).await, ["email"], "no app, not even a pending one");
    // Ada's next sign-in still asks for the emailed code.
    let mut ada = app.browser();
    ada.sign_in(ADA, PASSWORD).await.assert_has("We sent a verification code");
}

async fn a_session_alone_cannot_replace_the_app(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let (secret, _) = set_up(&app, &mut b).await;
    app.state.clock.advance(30);
    let asked = b.post("/account/authenticator/setup", &[]).await;
    asked.assert_has("To confirm, enter your password and a current second factor");
    let refused = b.post("/account/authenticator/setup", &[("password", PASSWORD), ("app_code", "000000")]).await;
    assert!(refused.status == 400 || refused.status == 429, "{}", refused.status);
    assert_eq!(factor_kinds(&app).await, ["totp"], "the old app only");
    // The old app still signs in.
    b.post("/logout", &[]).await;
    let mut ada = app.browser();
    ada.sign_in(ADA, PASSWORD).await.assert_has("Authenticator app code");
    app.state.clock.advance(30);
    let code = code_at(&app, &secret, 0);
    assert_eq!(ada.post("/login/verify", &[("code", &code)]).await.path, "/account");
}

async fn a_session_alone_cannot_add_email_codes_to_the_app(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let (secret, _) = set_up(&app, &mut b).await;
    b.get("/account/two-factor/enable").await;
    let before = codes_sent(&app, ADA);
    b.post("/account/two-factor/enable/send", &[]).await;
    let code = next_code(&app, ADA, before).await;
    let form = b.get("/account/two-factor/enable").await;
    form.assert_has("Two-factor authentication is already on, so adding codes by email also needs your password");
    // The emailed code alone (it only proves the mailbox) is refused.
    let alone = b.post("/account/two-factor/enable/confirm", &[("code", &code)]).await;
    assert_eq!(alone.status, 400);
    alone.assert_has("Two-factor authentication is already on: enter your password and a current second factor");
    assert_eq!(factor_kinds(&app).await, ["totp"]);
    // With the password and the app's code it is added.
    app.state.clock.advance(30);
    let app_code = code_at(&app, &secret, 0);
    let added = b
        .post("/account/two-factor/enable/confirm", &[("code", &code), ("password", PASSWORD), ("app_code", &app_code)])
        .await;
    assert_eq!(added.path, "/account/security?notice=email-code-on", "{}", added.body);
    assert_eq!(factor_kinds(&app).await, ["email", "totp"]);
}

async fn the_recovery_key_can_confirm_a_set_up_and_is_replaced(app: TestApp) {
    let key = member_with_two_factor(&app, ADA).await;
    let mut b = app.browser();
    let before = codes_sent(&app, ADA);
    b.sign_in(ADA, PASSWORD).await;
    let code = next_code(&app, ADA, before).await;
    b.post("/login/verify", &[("code", &code)]).await;
    let shown = b.post("/account/authenticator/setup", &[("password", PASSWORD), ("recovery_key", &key)]).await;
    shown.assert_has("You used your Recovery Key, so it no longer works. Here is your new one.");
    let new_key = crate::common::two_factor::shown_key(&shown.body);
    assert_ne!(new_key, key);
    // "Done" goes on to the set-up begun.
    let setup = b
        .post("/account/recovery-key/saved", &[("key", &new_key), ("saved", "yes"), ("then", "authenticator-setup")])
        .await;
    assert_eq!(setup.path, "/account/authenticator/setup");
    let (_, _, png) = b.get_bytes("/account/authenticator/qr.png").await;
    let uri = parse_uri(&decode_qr(&png));
    let code = oath_code(&uri.secret, app.state.clock.now());
    b.post("/account/authenticator/verify", &[("code", &code)]).await.assert_has("Authenticator app");
    assert_eq!(factor_kinds(&app).await, ["email", "totp"]);
    // The old key no longer works; the new one does.
    b.post("/logout", &[]).await;
    let mut c = app.browser();
    c.sign_in(ADA, PASSWORD).await;
    c.get("/login/recovery").await;
    assert_eq!(c.post("/login/recovery", &[("recovery_key", &key)]).await.status, 400);
    c.post("/login/recovery", &[("recovery_key", &new_key)]).await.assert_has("Here is your new one.");
}

async fn a_set_up_begun_before_two_factor_was_on_ends_when_it_turns_on(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut thief = app.browser();
    thief.sign_in(ADA, PASSWORD).await;
    // While two-factor authentication is off, "Set Up" needs nothing more: the thief starts one.
    let uri = crate::common::authenticator::scan(&mut thief).await;
    // Ada turns on email codes (in another browser) before the thief verifies.
    let mut ada = app.browser();
    ada.sign_in(ADA, PASSWORD).await;
    crate::common::two_factor::enable(&app, &mut ada, ADA).await;
    let code = oath_code(&uri.secret, app.state.clock.now());
    let late = thief.post("/account/authenticator/verify", &[("code", &code)]).await;
    assert_eq!(late.status, 400, "{}", late.body);
    assert_eq!(factor_kinds(&app).await, ["email"], "the set-up ended when a factor was added");
}

async fn an_abandoned_set_up_ends_after_fifteen_minutes(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let uri = crate::common::authenticator::scan(&mut b).await;
    app.state.clock.advance(15 * 60);
    assert_eq!(b.get_bytes("/account/authenticator/qr.png").await.0, 400, "the secret is no longer shown");
    let code = oath_code(&uri.secret, app.state.clock.now());
    b.post("/account/authenticator/verify", &[("code", &code)]).await.assert_has("This set-up has ended.");
    assert!(!factor_kinds(&app).await.contains(&"totp".to_string()));
}

async fn a_recovery_key_given_with_a_wrong_enable_code_is_not_used_up(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let (_, key) = set_up(&app, &mut b).await;
    let key = key.expect("the app turned two-factor authentication on: a Recovery Key");
    let before = codes_sent(&app, ADA);
    b.post("/account/two-factor/enable/send", &[]).await;
    let code = next_code(&app, ADA, before).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = b
        .post("/account/two-factor/enable/confirm", &[("code", wrong), ("password", PASSWORD), ("recovery_key", &key)])
        .await;
    refused.assert_has("The code is not correct.");
    assert_eq!(factor_kinds(&app).await, ["totp"]);
    // The key still works: the right code with it adds email codes and shows the next key.
    let added = b
        .post("/account/two-factor/enable/confirm", &[("code", &code), ("password", PASSWORD), ("recovery_key", &key)])
        .await;
    added.assert_has("Here is your new one.");
    assert_eq!(factor_kinds(&app).await, ["email", "totp"]);
}
