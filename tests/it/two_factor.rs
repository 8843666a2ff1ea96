//! Two-factor authentication by email code, and the Recovery Key.

use crate::common::two_factor::{codes_sent, enable, member_with_two_factor, next_code, shown_key, start_sign_in};
use crate::common::{TestApp, PASSWORD};
use crate::on_both_backends;

const ADA: &str = "ada@acme.example";

on_both_backends!(
    a_second_step_begun_before_a_password_change_cannot_finish_after,
    enabling_needs_a_verified_email,
    enabling_with_the_emailed_code_creates_a_recovery_key_to_download,
    an_expired_code_is_refused,
    resending_waits_for_the_cooldown_and_kills_the_old_code,
    a_code_allows_five_wrong_tries_then_a_new_one_is_needed,
    wrong_second_steps_lock_the_account_until_the_lock_ends,
    signing_in_asks_for_the_emailed_code_and_the_pending_sign_in_reaches_nothing_else,
    the_pending_sign_in_ends_after_ten_minutes,
    signing_in_with_the_recovery_key_replaces_it_and_keeps_two_factor_on,
    disabling_needs_the_password_and_a_second_factor,
    disabling_with_the_recovery_key_works_too,
    regenerating_the_recovery_key_needs_the_password_and_retires_the_old_one,
    the_same_code_submitted_twenty_times_at_once_signs_in_once,
    the_same_recovery_key_submitted_twenty_times_at_once_signs_in_once,
);

async fn enabling_needs_a_verified_email(app: TestApp) {
    app.with_member(ADA, false).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    b.get("/account/security").await.assert_has("Enable Two-Factor Authentication");
    let page = b.get("/account/two-factor/enable").await;
    page.assert_has("Your email address must be verified before you can turn on two-factor authentication");
    page.assert_has("Send verification email");
    assert!(!page.has("Send verification code"));
    let refused = b.post("/account/two-factor/enable/send", &[]).await;
    assert_eq!(refused.status, 400);
    assert_eq!(codes_sent(&app, ADA), 0);
}

async fn enabling_with_the_emailed_code_creates_a_recovery_key_to_download(app: TestApp) {
    let id = app.with_member(ADA, true).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    b.get("/account/security").await.assert_has("Enable Two-Factor Authentication");
    b.get("/account/two-factor/enable").await.assert_has("Send verification code");
    let page = b.post("/account/two-factor/enable/send", &[]).await;
    for label in ["Verification Code", "Continue", "Resend code", "You can ask for a new code in", "a***@acme.example"]
    {
        page.assert_has(label);
    }

    let code = next_code(&app, ADA, 0).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = b.post("/account/two-factor/enable/confirm", &[("code", wrong)]).await;
    assert_eq!(refused.status, 400);
    refused.assert_has("The code is not correct.");
    assert_eq!(b.post("/account/two-factor/enable/confirm", &[("code", "12ab")]).await.status, 400);

    let shown =
        b.post("/account/two-factor/enable/confirm", &[("code", &format!("{} {}", &code[..3], &code[3..]))]).await;
    shown.assert_has("Two-factor authentication is on.");
    shown.assert_has("<dialog open");
    shown.assert_has("Treat it like your password");
    let key = shown_key(&shown.body);
    assert_eq!(key.len(), 34);

    // "Download" serves the key as a text file.
    let client = reqwest::Client::builder().cookie_provider(b.jar.clone()).build().unwrap();
    let csrf = crate::common::browser::csrf_of(&shown.body).unwrap();
    let res = client
        .post(format!("{}/account/recovery-key/download", app.url))
        .form(&[("key", key.as_str()), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_string();
    assert_eq!(disposition, "attachment; filename=\"latchkey-recovery-key.txt\"");
    let file = res.text().await.unwrap();
    assert!(
        file.contains(&key) && file.contains(ADA) && file.contains("Use your Recovery Key") && file.contains("UTC"),
        "{file}"
    );
    let forged = client
        .post(format!("{}/account/recovery-key/download", app.url))
        .form(&[("key", "0000-0000-0000-0000-0000-0000-0000"), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 400, "only the current key is served");

    let unconfirmed = b.post("/account/recovery-key/saved", &[("key", &key)]).await;
    assert_eq!(unconfirmed.status, 400);
    unconfirmed.assert_has("I have saved my Recovery Key");
    let done = b.post("/account/recovery-key/saved", &[("key", &key), ("saved", "yes")]).await;
    assert_eq!(done.path, "/account/security?notice=recovery-key-saved");
    done.assert_has("Disable Two-Factor Authentication");
    done.assert_has("Regenerate Recovery Key");

    let notice = app.sink.wait_for(ADA, "Two-factor authentication is on").await;
    assert!(notice.text.contains("127.0.0.1") && notice.text.contains("latchkey-tests/1.0"));
    let stored = app.texts("SELECT key_hash FROM recovery_keys").await;
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].as_ref().unwrap().contains(&key.replace('-', "")));
    let code_hashes = app.texts("SELECT code_hash FROM email_codes").await;
    assert!(code_hashes.iter().all(|h| h.as_deref() != Some(code.as_str())));
    let kinds = app.audit_kinds(id).await;
    for k in
        ["email_code_sent", "email_code_wrong", "email_code_accepted", "two_factor_enabled", "recovery_key_downloaded"]
    {
        assert!(kinds.contains(&k.to_string()), "{k} in {kinds:?}");
    }
}

async fn an_expired_code_is_refused(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    b.get("/account/two-factor/enable").await;
    b.post("/account/two-factor/enable/send", &[]).await;
    let code = next_code(&app, ADA, 0).await;
    app.state.clock.advance(9 * 60);
    b.get("/account/security").await; // keeps the session alive
    app.state.clock.advance(61);
    let page = b.post("/account/two-factor/enable/confirm", &[("code", &code)]).await;
    assert_eq!(page.status, 400);
    page.assert_has("This code has expired. Ask for a new code.");
}

async fn resending_waits_for_the_cooldown_and_kills_the_old_code(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    b.get("/account/two-factor/enable").await;
    b.post("/account/two-factor/enable/send", &[]).await;
    let old = next_code(&app, ADA, 0).await;
    let early = b.post("/account/two-factor/enable/send", &[]).await;
    assert_eq!(early.status, 429);
    // 30 seconds from the first code (29 if the clock ticked over in between).
    let wait = early.header("retry-after").unwrap();
    assert!(wait == "30" || wait == "29", "{wait}");
    early.assert_has(&format!("You can ask for a new code in {wait} seconds."));

    assert_eq!(codes_sent(&app, ADA), 1);
    app.state.clock.advance(31);
    b.post("/account/two-factor/enable/send", &[]).await.assert_has("Verification Code");
    let new = next_code(&app, ADA, 1).await;
    if old != new {
        let refused = b.post("/account/two-factor/enable/confirm", &[("code", &old)]).await;
        refused.assert_has("The code is not correct.");
    }
    b.post("/account/two-factor/enable/confirm", &[("code", &new)]).await.assert_has("Your Recovery Key");
}

async fn a_code_allows_five_wrong_tries_then_a_new_one_is_needed(app: TestApp) {
    let app = app.restart_with(|a| a.second_factor_failures_per_account = Some(50)).await;
    app.with_member(ADA, true).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    b.get("/account/two-factor/enable").await;
    b.post("/account/two-factor/enable/send", &[]).await;
    let code = next_code(&app, ADA, 0).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        b.post("/account/two-factor/enable/confirm", &[("code", wrong)]).await.assert_has("The code is not correct.");
    }
    let sixth = b.post("/account/two-factor/enable/confirm", &[("code", &code)]).await;
    assert_eq!(sixth.status, 400);
    sixth.assert_has("This code had too many wrong tries. Ask for a new code.");
}

async fn wrong_second_steps_lock_the_account_until_the_lock_ends(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    let mut b = app.browser();
    let code = start_sign_in(&app, &mut b, ADA).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..3 {
        assert_eq!(b.post("/login/verify", &[("code", wrong)]).await.status, 400);
    }
    b.get("/login/recovery").await;
    assert_eq!(b.post("/login/recovery", &[("recovery_key", "0000-0000-0000-0000-0000-0000-0000")]).await.status, 400);
    b.get("/login/verify").await;
    let locked = b.post("/login/verify", &[("code", wrong)]).await;
    assert_eq!(locked.status, 429);
    assert_eq!(locked.header("retry-after").as_deref(), Some("60"));
    locked.assert_has("Too many attempts. Try again in 1 minute.");
    assert_eq!(b.post("/login/verify", &[("code", &code)]).await.status, 429, "even the right code waits");
    app.state.clock.advance(61);
    // The lock is over; the pending sign-in (10 minutes) still runs.
    assert_eq!(b.post("/login/verify", &[("code", &code)]).await.path, "/account");
}

async fn signing_in_asks_for_the_emailed_code_and_the_pending_sign_in_reaches_nothing_else(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    let mut b = app.browser();
    let before = codes_sent(&app, ADA);
    let page = b.sign_in(ADA, PASSWORD).await;
    assert_eq!(page.path, "/login/verify");
    for label in ["a***@acme.example", "Verification Code", "Continue", "Resend code", "Use your Recovery Key"] {
        page.assert_has(label);
    }
    assert!(b.cookie("latchkey_session").is_none());
    for path in ["/account", "/account/security", "/account/two-factor/disable"] {
        assert_eq!(b.get(path).await.path, "/login", "{path} needs a real session");
    }
    let pending = b.cookie_at("latchkey_pending", "/login/verify").unwrap();
    b.get("/login/verify").await;
    let code = next_code(&app, ADA, before).await;
    let mail = app.sink.wait_for_nth(ADA, "Your verification code", before + 1).await;
    assert!(mail.text.contains("log in") && !mail.subject.contains(&code));
    let done = b.post("/login/verify", &[("code", &code)]).await;
    assert_eq!(done.path, "/account");
    assert!(b.cookie("latchkey_session").is_some());
    assert!(b.cookie_at("latchkey_pending", "/login/verify").is_none());
    let mut replay = app.browser();
    replay.get("/login").await;
    replay.set_cookie("latchkey_pending", &pending);
    let again = replay.post("/login/verify", &[("code", &code)]).await;
    assert_eq!(again.path, "/login?notice=step-expired", "the pending sign-in is gone");
}

async fn the_pending_sign_in_ends_after_ten_minutes(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    let mut b = app.browser();
    let code = start_sign_in(&app, &mut b, ADA).await;
    app.state.clock.advance(601);
    let page = b.post("/login/verify", &[("code", &code)]).await;
    assert_eq!(page.path, "/login?notice=step-expired");
    page.assert_has("Your sign-in took too long and has ended. Log in again.");
}

async fn signing_in_with_the_recovery_key_replaces_it_and_keeps_two_factor_on(app: TestApp) {
    let key = member_with_two_factor(&app, ADA).await;
    let mut b = app.browser();
    start_sign_in(&app, &mut b, ADA).await;
    b.get("/login/recovery").await.assert_has("Recovery Key");
    let typo = b.post("/login/recovery", &[("recovery_key", "1234")]).await;
    assert_eq!(typo.status, 400);
    typo.assert_has("A Recovery Key has 28 letters and digits");
    let typed = key.to_lowercase().replace('-', " ");
    let page = b.post("/login/recovery", &[("recovery_key", &typed)]).await;
    page.assert_has("You logged in with your Recovery Key, so it no longer works. Here is your new one.");
    let new_key = shown_key(&page.body);
    assert_ne!(new_key, key);
    b.post("/account/recovery-key/saved", &[("key", &new_key), ("saved", "yes")])
        .await
        .assert_has("Disable Two-Factor Authentication");
    app.sink.wait_for(ADA, "Your Recovery Key was used").await;
    b.post("/logout", &[]).await;

    let mut c = app.browser();
    start_sign_in(&app, &mut c, ADA).await;
    c.get("/login/recovery").await;
    let old = c.post("/login/recovery", &[("recovery_key", &key)]).await;
    assert_eq!(old.status, 400);
    old.assert_has("This Recovery Key is not correct, or it was already used.");
    c.post("/login/recovery", &[("recovery_key", &new_key)]).await.assert_has("Here is your new one.");
}

async fn disabling_needs_the_password_and_a_second_factor(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    let mut b = app.browser();
    let code = start_sign_in(&app, &mut b, ADA).await;
    b.post("/login/verify", &[("code", &code)]).await;
    b.get("/account/two-factor/disable").await.assert_has("Disable Two-Factor Authentication");
    let no_proof = b.post("/account/two-factor/disable", &[("password", PASSWORD)]).await;
    no_proof.assert_has("Enter a code (from your app or your email), or your Recovery Key.");
    let before = codes_sent(&app, ADA);
    b.post("/account/two-factor/disable/send", &[]).await.assert_has("We sent a verification code");
    let code = next_code(&app, ADA, before).await;
    let wrong_pw = b.post("/account/two-factor/disable", &[("password", "not my password"), ("code", &code)]).await;
    assert_eq!(wrong_pw.status, 400);
    wrong_pw.assert_has("Your password is not correct.");
    let done = b.post("/account/two-factor/disable", &[("password", PASSWORD), ("code", &code)]).await;
    assert_eq!(done.path, "/account/security?notice=two-factor-off");
    done.assert_has("Enable Two-Factor Authentication");
    app.sink.wait_for(ADA, "Two-factor authentication is off").await;
    assert!(app.texts("SELECT key_hash FROM recovery_keys").await.is_empty());
    b.post("/logout", &[]).await;
    assert_eq!(b.sign_in(ADA, PASSWORD).await.path, "/account", "no second step any more");
}

async fn disabling_with_the_recovery_key_works_too(app: TestApp) {
    let key = member_with_two_factor(&app, ADA).await;
    let mut b = app.browser();
    let code = start_sign_in(&app, &mut b, ADA).await;
    b.post("/login/verify", &[("code", &code)]).await;
    b.get("/account/two-factor/disable").await;
    let done = b.post("/account/two-factor/disable", &[("password", PASSWORD), ("recovery_key", &key)]).await;
    assert_eq!(done.path, "/account/security?notice=two-factor-off");
}

async fn regenerating_the_recovery_key_needs_the_password_and_retires_the_old_one(app: TestApp) {
    let id = app.with_member(ADA, true).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let old = enable(&app, &mut b, ADA).await;
    let wrong = b.post("/account/recovery-key/regenerate", &[("password", "not my password")]).await;
    assert_eq!(wrong.status, 400);
    wrong.assert_has("Your password is not correct.");
    let page = b.post("/account/recovery-key/regenerate", &[("password", PASSWORD)]).await;
    page.assert_has("The previous one no longer works.");
    let new = shown_key(&page.body);
    assert_ne!(new, old);
    let stale = b.post("/account/recovery-key/download", &[("key", &old)]).await;
    assert_eq!(stale.status, 400);
    app.sink.wait_for(ADA, "Your Recovery Key was replaced").await;
    assert!(app.audit_kinds(id).await.contains(&"recovery_key_regenerated".into()));
}

async fn the_same_code_submitted_twenty_times_at_once_signs_in_once(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    let mut b = app.browser();
    let code = start_sign_in(&app, &mut b, ADA).await;
    let page = b.get("/login/verify").await;
    let csrf = crate::common::browser::csrf_of(&page.body).unwrap();
    let (pending, csrf_cookie) =
        (b.cookie_at("latchkey_pending", "/login/verify").unwrap(), b.cookie("latchkey_csrf").unwrap());
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let req = client
            .post(format!("{}/login/verify", app.url))
            .header("cookie", format!("latchkey_pending={pending}; latchkey_csrf={csrf_cookie}"))
            .form(&[("code", code.clone()), ("csrf", csrf.clone())]);
        tasks.push(tokio::spawn(async move {
            req.send().await.unwrap().headers().get("location").map(|l| l.to_str().unwrap().to_string())
        }));
    }
    let mut signed_in = 0;
    for t in tasks {
        signed_in += usize::from(t.await.unwrap().as_deref() == Some("/account"));
    }
    assert_eq!(signed_in, 1);
    assert_eq!(app.texts("SELECT ip FROM sessions").await.len(), 1);
}

async fn the_same_recovery_key_submitted_twenty_times_at_once_signs_in_once(app: TestApp) {
    let key = member_with_two_factor(&app, ADA).await;
    let mut sessions = Vec::new();
    // Twenty pending sign-ins (as from twenty browsers), each trying the same key at once.
    for _ in 0..20 {
        let mut b = app.browser();
        b.sign_in(ADA, PASSWORD).await;
        b.get("/login/recovery").await;
        sessions.push(b);
    }
    let mut tasks = Vec::new();
    for mut b in sessions {
        let key = key.clone();
        tasks.push(tokio::spawn(async move {
            b.post("/login/recovery", &[("recovery_key", &key)]).await.has("Here is your new one.")
        }));
    }
    let mut ok = 0;
    for t in tasks {
        ok += usize::from(t.await.unwrap());
    }
    assert_eq!(ok, 1);
}

async fn a_second_step_begun_before_a_password_change_cannot_finish_after(app: TestApp) {
    let key = member_with_two_factor(&app, ADA).await;
    // Someone with the old password gets to the second step, and a code is mailed.
    let mut other = app.browser();
    let code = start_sign_in(&app, &mut other, ADA).await;
    // Ada signs in with her Recovery Key and changes her password.
    let mut ada = app.browser();
    assert_eq!(ada.sign_in(ADA, PASSWORD).await.path, "/login/verify");
    ada.get("/login/recovery").await;
    ada.post("/login/recovery", &[("recovery_key", &key)]).await.assert_has("Here is your new one.");
    let new = "a much longer new passphrase";
    let changed = ada.post("/account/password", &[("current", PASSWORD), ("password", new), ("confirm", new)]).await;
    changed.assert_has("Your password has been changed.");
    // The code from before no longer completes that sign-in.
    let late = other.post("/login/verify", &[("code", &code), ("method", "email")]).await;
    assert_ne!(late.path, "/account", "{}", late.body);
    assert!(app.texts("SELECT token_hash FROM pending_signins").await.is_empty());
}
