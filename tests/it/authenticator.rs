//! Authenticator apps, with real independent clients: the QR image the page serves is read by
//! zbarimg and the codes are computed by oathtool.

use crate::common::authenticator::{code_at, decode_qr, oath_code, parse_uri, scan, scan_confirmed, set_up};
use crate::common::two_factor::{codes_sent, enable, next_code};
use crate::common::{TestApp, PASSWORD};
use crate::on_both_backends;

const ADA: &str = "ada@acme.example";

on_both_backends!(
    setting_up_an_app_from_its_qr_code_turns_two_factor_on_and_signs_in_with_a_later_code,
    an_abandoned_set_up_leaves_nothing_active,
    a_replayed_code_is_refused_and_the_previous_step_is_accepted,
    a_device_with_the_wrong_time_is_told_by_how_much,
    signing_in_offers_the_app_the_email_code_and_the_recovery_key,
    removing_the_last_factor_turns_two_factor_off,
    setting_up_again_keeps_the_old_app_until_the_new_one_is_verified,
    one_app_code_submitted_twenty_times_at_once_signs_in_once,
    an_emailed_code_does_not_stand_in_for_the_app_when_email_is_not_a_factor,
);

async fn signed_in(app: &TestApp) -> crate::common::Browser {
    let mut b = app.browser();
    assert_eq!(b.sign_in(ADA, PASSWORD).await.path, "/account");
    b
}

/// Logs in with the password and lands on the app's second step.
async fn to_second_step(app: &TestApp) -> crate::common::Browser {
    let mut b = app.browser();
    let page = b.sign_in(ADA, PASSWORD).await;
    assert_eq!(page.path, "/login/verify");
    page.assert_has("Authenticator app code");
    b
}

async fn setting_up_an_app_from_its_qr_code_turns_two_factor_on_and_signs_in_with_a_later_code(app: TestApp) {
    let id = app.with_member(ADA, true).await;
    let mut b = signed_in(&app).await;
    b.get("/account/security").await.assert_has("Authenticator App");
    let page = b.post("/account/authenticator/setup", &[]).await;
    page.assert_has("alt=\"QR code for setting up your authenticator app");
    page.assert_has("Google Authenticator");
    let (_, kind, png) = b.get_bytes("/account/authenticator/qr.png").await;
    assert_eq!(kind.as_deref(), Some("image/png"));
    let uri = parse_uri(&decode_qr(&png));
    assert_eq!(uri.label, "Acme Support:ada@acme.example");
    assert_eq!(
        (uri.issuer.as_str(), uri.algorithm.as_str(), uri.digits.as_str(), uri.period.as_str()),
        ("Acme Support", "SHA1", "6", "30")
    );
    assert_eq!(uri.secret.len(), 32, "160 bits in base32");
    let grouped: Vec<String> =
        uri.secret.as_bytes().chunks(4).map(|c| String::from_utf8(c.to_vec()).unwrap()).collect();
    page.assert_has(&grouped.join(" "));

    let right = code_at(&app, &uri.secret, 0);
    let wrong = if right == "000000" { "111111" } else { "000000" };
    let refused = b.post("/account/authenticator/verify", &[("code", wrong)]).await;
    assert_eq!(refused.status, 400);
    refused.assert_has("The code is not correct.");
    let (_, _, again) = b.get_bytes("/account/authenticator/qr.png").await;
    assert_eq!(parse_uri(&decode_qr(&again)).secret, uri.secret, "the same QR code after a wrong code");

    let done = b.post("/account/authenticator/verify", &[("code", &right)]).await;
    done.assert_has("Authenticator app has been successfully set up. Two-factor authentication is on.");
    let key = crate::common::two_factor::shown_key(&done.body);
    b.post("/account/recovery-key/saved", &[("key", &key), ("saved", "yes")]).await;
    let security = b.get("/account/security").await;
    security.assert_has("Remove");
    app.sink.wait_for(ADA, "Authenticator app set up").await;
    let stored = app.texts("SELECT secret FROM second_factors WHERE kind = 'totp'").await;
    assert!(!stored[0].as_ref().unwrap().contains(&uri.secret), "the secret is stored encrypted");
    b.post("/logout", &[]).await;

    let mut b = to_second_step(&app).await;
    assert!(!b.get("/login/verify").await.has("Send a code to my email instead"), "no email codes for this account");
    app.state.clock.advance(30);
    let later = code_at(&app, &uri.secret, 0);
    assert_eq!(b.post("/login/verify", &[("code", &later), ("method", "app")]).await.path, "/account");
    let kinds = app.audit_kinds(id).await;
    for k in [
        "authenticator_setup_started",
        "authenticator_code_wrong",
        "authenticator_added",
        "two_factor_enabled",
        "authenticator_code_accepted",
    ] {
        assert!(kinds.contains(&k.to_string()), "{k} in {kinds:?}");
    }
}

async fn an_abandoned_set_up_leaves_nothing_active(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = signed_in(&app).await;
    scan(&mut b).await;
    b.get("/account/security").await.assert_has("Not set up");
    b.post("/logout", &[]).await;
    assert_eq!(app.browser().sign_in(ADA, PASSWORD).await.path, "/account", "no second step");
}

async fn a_replayed_code_is_refused_and_the_previous_step_is_accepted(app: TestApp) {
    let id = app.with_member(ADA, true).await;
    let mut b = signed_in(&app).await;
    let (secret, _) = set_up(&app, &mut b).await;
    b.post("/logout", &[]).await;
    app.state.clock.advance(60);
    let mut b = to_second_step(&app).await;
    let previous = code_at(&app, &secret, -1);
    assert_eq!(
        b.post("/login/verify", &[("code", &previous), ("method", "app")]).await.path,
        "/account",
        "one step late is fine"
    );
    b.post("/logout", &[]).await;
    let mut b = to_second_step(&app).await;
    let replay = b.post("/login/verify", &[("code", &previous), ("method", "app")]).await;
    assert_eq!(replay.status, 400);
    replay.assert_has("This code was already used. Wait for the next code in your app");
    assert!(app.audit_kinds(id).await.contains(&"authenticator_replay_refused".into()));
    let current = code_at(&app, &secret, 0);
    assert_eq!(b.post("/login/verify", &[("code", &current), ("method", "app")]).await.path, "/account");
}

async fn a_device_with_the_wrong_time_is_told_by_how_much(app: TestApp) {
    let id = app.with_member(ADA, true).await;
    let mut b = signed_in(&app).await;
    let (secret, _) = set_up(&app, &mut b).await;
    b.post("/logout", &[]).await;
    app.state.clock.advance(30);
    let mut b = to_second_step(&app).await;
    let slow = code_at(&app, &secret, -4);
    let page = b.post("/login/verify", &[("code", &slow), ("method", "app")]).await;
    assert_eq!(page.status, 400);
    page.assert_has("your device&#39;s time looks about 2 minutes behind");
    assert!(app.audit_kinds(id).await.contains(&"authenticator_clock_skew".into()));
}

async fn signing_in_offers_the_app_the_email_code_and_the_recovery_key(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = signed_in(&app).await;
    let key = enable(&app, &mut b, ADA).await;
    let (_, new_key) = set_up(&app, &mut b).await;
    assert!(new_key.is_none(), "the Recovery Key stays when 2FA was already on");
    b.post("/logout", &[]).await;
    let sent_before = codes_sent(&app, ADA);
    let mut b = to_second_step(&app).await;
    let page = b.get("/login/verify").await;
    page.assert_has("Send a code to my email instead");
    page.assert_has("Use your Recovery Key");
    assert_eq!(codes_sent(&app, ADA), sent_before, "no mail unless asked for");
    app.state.clock.advance(31);
    let email_step = b.post("/login/verify/resend", &[]).await;
    email_step.assert_has("Verification Code");
    let code = next_code(&app, ADA, sent_before).await;
    assert_eq!(b.post("/login/verify", &[("code", &code), ("method", "email")]).await.path, "/account");
    b.post("/logout", &[]).await;
    let mut c = to_second_step(&app).await;
    c.get("/login/recovery").await;
    c.post("/login/recovery", &[("recovery_key", &key)]).await.assert_has("Here is your new one.");
}

async fn an_emailed_code_does_not_stand_in_for_the_app_when_email_is_not_a_factor(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = signed_in(&app).await;
    set_up(&app, &mut b).await;
    let sent = codes_sent(&app, ADA);
    let refused = b.post("/account/authenticator/remove/send", &[]).await;
    refused.assert_has("Codes by email are not one of your second factors.");
    let guessed = b.post("/account/authenticator/remove", &[("password", PASSWORD), ("code", "123456")]).await;
    guessed.assert_has("Codes by email are not one of your second factors.");
    assert_eq!(codes_sent(&app, ADA), sent, "no code was mailed");
    assert_eq!(app.texts("SELECT kind FROM second_factors").await, vec![Some("totp".to_string())]);
}

async fn removing_the_last_factor_turns_two_factor_off(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = signed_in(&app).await;
    let (secret, _) = set_up(&app, &mut b).await;
    b.get("/account/authenticator/remove").await.assert_has("Authenticator app code");
    let wrong = b.post("/account/authenticator/remove", &[("password", PASSWORD)]).await;
    wrong.assert_has("Enter a code (from your app or your email), or your Recovery Key.");
    app.state.clock.advance(30);
    let code = code_at(&app, &secret, 0);
    let done = b.post("/account/authenticator/remove", &[("password", PASSWORD), ("app_code", &code)]).await;
    assert_eq!(done.path, "/account/security?notice=authenticator-removed");
    done.assert_has("Enable Two-Factor Authentication");
    assert!(app.texts("SELECT key_hash FROM recovery_keys").await.is_empty());
    app.sink.wait_for(ADA, "Authenticator app removed").await;
    b.post("/logout", &[]).await;
    assert_eq!(app.browser().sign_in(ADA, PASSWORD).await.path, "/account");
}

async fn setting_up_again_keeps_the_old_app_until_the_new_one_is_verified(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = signed_in(&app).await;
    let (old, _) = set_up(&app, &mut b).await;
    // Replacing the app is a new way in: it takes the password and a code from the old app
    // (a later one: the set-up's code was used).
    app.state.clock.advance(30);
    let new = scan_confirmed(&app, &mut b, Some(&old)).await.secret;
    assert_ne!(old, new);
    app.state.clock.advance(30);
    let mut other = to_second_step(&app).await;
    assert_eq!(
        other.post("/login/verify", &[("code", &code_at(&app, &old, 0)), ("method", "app")]).await.path,
        "/account",
        "the old phone still works"
    );
    let done = b.post("/account/authenticator/verify", &[("code", &code_at(&app, &new, 0))]).await;
    done.assert_has("Authenticator app has been successfully set up");
    app.state.clock.advance(30);
    let mut c = to_second_step(&app).await;
    let stale = c.post("/login/verify", &[("code", &code_at(&app, &old, 0)), ("method", "app")]).await;
    assert_eq!(stale.status, 400);
    assert_eq!(c.post("/login/verify", &[("code", &code_at(&app, &new, 0)), ("method", "app")]).await.path, "/account");
}

async fn one_app_code_submitted_twenty_times_at_once_signs_in_once(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = signed_in(&app).await;
    let (secret, _) = set_up(&app, &mut b).await;
    b.post("/logout", &[]).await;
    app.state.clock.advance(30);
    let mut tabs = Vec::new();
    for _ in 0..20 {
        tabs.push(to_second_step(&app).await);
    }
    let code = code_at(&app, &secret, 0);
    let mut tasks = Vec::new();
    for mut t in tabs {
        let code = code.clone();
        tasks.push(tokio::spawn(
            async move { t.post("/login/verify", &[("code", &code), ("method", "app")]).await.path },
        ));
    }
    let mut ok = 0;
    for t in tasks {
        ok += usize::from(t.await.unwrap() == "/account");
    }
    assert_eq!(ok, 1);
}

#[test]
fn oathtool_agrees_with_rfc_6238() {
    assert_eq!(oath_code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59), "287082");
}
