//! Known devices: "Remember this device" (skipped second step, forgotten by the member, an admin,
//! a password change, turned off by the organization; never for an application that asks for a
//! fresh second factor), new-device alerts and the unfinished sign-in alert with "This wasn't
//! me", and readable devices on the pages. Over real SMTP, on both databases, and across two
//! processes on PostgreSQL.

use crate::common::browser::{hidden, Page};
use crate::common::burst::Apps;
use crate::common::org::{admin, BOSS};
use crate::common::rp::{code_in, AppOptions, Rp};
use crate::common::two_factor::{codes_sent, member_with_two_factor, next_code};
use crate::common::{Backend, Browser, TestApp, PASSWORD};
use crate::on_both_backends;
use openidconnect::TokenResponse;

const ADA: &str = "ada@acme.example";
const NEW_DEVICE: &str = "New sign-in to your Acme Support account";
const UNFINISHED: &str = "Someone entered your password but did not complete two-factor authentication";
const CHROME_WINDOWS: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

on_both_backends!(
    a_remembered_device_skips_the_second_step_until_it_is_forgotten,
    the_organization_sets_the_days_or_turns_remembering_off,
    an_application_that_asks_for_a_fresh_second_factor_still_gets_one,
    a_new_device_is_announced_once_and_known_devices_are_not,
    this_wasnt_me_signs_out_everywhere_forgets_devices_and_requires_a_new_password,
    a_right_password_whose_second_step_fails_or_is_abandoned_is_announced,
    an_admin_sees_and_forgets_a_members_devices_and_a_password_change_forgets_them,
    sessions_and_the_audit_log_name_the_browser_and_keep_what_it_sent,
    a_reset_a_disabled_member_and_a_two_factor_reset_forget_every_device,
    an_alert_is_said_in_the_members_language_and_time_zone,
    alerts_are_capped_per_account_and_hour,
    a_policy_or_role_change_ends_remembering,
);

async fn devices_of(app: &TestApp) -> usize {
    app.texts("SELECT token_hash FROM devices").await.len()
}

/// Logs in with the password and lands on the second step; waits for the code mailed for it (so
/// that no later step takes an earlier sign-in's code for its own).
async fn to_second_step(app: &TestApp, b: &mut Browser) -> (Page, String) {
    let before = codes_sent(app, ADA);
    let page = b.sign_in(ADA, PASSWORD).await;
    assert_eq!(page.path, "/login/verify", "{}", page.body);
    (page, next_code(app, ADA, before).await)
}

/// Signs in through the second step with the emailed code; `remember`: tick "Remember this
/// device".
async fn second_step(app: &TestApp, b: &mut Browser, remember: bool) -> Page {
    let (_, code) = to_second_step(app, b).await;
    let mut fields = vec![("code", code.as_str())];
    if remember {
        fields.push(("remember", "1"));
    }
    let page = b.post("/login/verify", &fields).await;
    assert_eq!(page.path, "/account", "{}", page.body);
    page
}

async fn a_remembered_device_skips_the_second_step_until_it_is_forgotten(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    let mut b = app.browser();
    to_second_step(&app, &mut b).await.0.assert_has("Remember this device for 30 days");
    assert_eq!(second_step(&app, &mut b, true).await.path, "/account");
    b.post("/logout", &[]).await;

    // The password is still asked; the second step is not.
    let wrong = b.sign_in(ADA, "not the password").await;
    assert_eq!(wrong.status, 400);
    let before = codes_sent(&app, ADA);
    assert_eq!(b.sign_in(ADA, PASSWORD).await.path, "/account");
    assert_eq!(codes_sent(&app, ADA), before, "no code was mailed");
    let authn = app.texts("SELECT authn FROM sessions ORDER BY id DESC LIMIT 1").await;
    assert_eq!(authn, vec![Some("pwd+device".to_string())]);

    // Bound to the account and the browser: another browser, and the token alone, do not skip it.
    let mut other = app.browser();
    to_second_step(&app, &mut other).await;
    let stored = app.texts("SELECT token_hash FROM devices").await;
    let token = b.cookie("latchkey_device").unwrap();
    assert!(!stored.iter().flatten().any(|h| h == &token), "the token is stored only as a hash");

    // Listed on Security and Credentials, and forgotten there.
    let security = b.get("/account/security").await;
    security.assert_has("Remembered until");
    security.assert_has("title=\"latchkey-tests/1.0\"");
    let device = hidden(&security.body, "device").expect("a Forget button");
    b.post("/account/devices/forget", &[("device", &device)])
        .await
        .assert_has("The device was forgotten. Its next log-in asks for the second step.");
    b.post("/logout", &[]).await;
    to_second_step(&app, &mut b).await;
    // A device id that is not one of this member's.
    let mut b = app.browser();
    second_step(&app, &mut b, true).await;
    let refused = b.post("/account/devices/forget", &[("device", "999999")]).await;
    assert_eq!(refused.status, 404);
    b.post("/account/devices/forget", &[("device", "all")]).await.assert_has("Every device was forgotten.");
    b.get("/account/security").await.assert_has("No device has logged in to this account");
    let kinds = app.audit_kinds(1).await;
    assert!(kinds.contains(&"device_remembered".into()) && kinds.contains(&"device_forgotten".into()), "{kinds:?}");
}

async fn the_organization_sets_the_days_or_turns_remembering_off(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    let mut boss = admin(&app).await;
    let page = boss.get("/org").await;
    page.assert_has("Offer “Remember this device”");
    let refused = boss.post("/org/settings/remember", &[("offered", "on"), ("days", "400")]).await;
    assert_eq!(refused.status, 400);
    refused.assert_has("Enter a number of days from 1 to 365.");
    boss.post("/org/settings/remember", &[("offered", "on"), ("days", "7")])
        .await
        .assert_has("The “Remember this device” setting is saved.");

    let mut b = app.browser();
    to_second_step(&app, &mut b).await.0.assert_has("Remember this device for 7 days");
    second_step(&app, &mut b, true).await;
    b.post("/logout", &[]).await;

    // Turned off: no checkbox, and devices remembered before no longer skip anything.
    boss.get("/org").await;
    boss.post("/org/settings/remember", &[("days", "7")]).await.assert_has("is saved");
    let (page, _) = to_second_step(&app, &mut b).await;
    assert!(!page.has("Remember this device"), "{}", page.body);
    let kinds = app.audit_kinds(2).await;
    assert!(kinds.contains(&"org_remember_changed".into()), "{kinds:?}");

    // On again: turning it off forgot what was remembered; a device remembered now skips the
    // second step for the 7 days.
    boss.post("/org/settings/remember", &[("offered", "on"), ("days", "7")]).await.assert_has("is saved");
    assert_eq!(to_second_step(&app, &mut b).await.0.path, "/login/verify", "not brought back");
    let mut b = app.browser();
    second_step(&app, &mut b, true).await;
    b.post("/logout", &[]).await;
    app.state.clock.advance(6 * 86_400);
    assert_eq!(b.sign_in(ADA, PASSWORD).await.path, "/account", "within the 7 days");
    b.post("/logout", &[]).await;
    app.state.clock.advance(2 * 86_400);
    to_second_step(&app, &mut b).await;
}

async fn an_application_that_asks_for_a_fresh_second_factor_still_gets_one(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    let (client_id, secret) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let mut b = app.browser();
    second_step(&app, &mut b, true).await;
    b.post("/logout", &[]).await;
    assert_eq!(b.sign_in(ADA, PASSWORD).await.path, "/account", "remembered");

    // An application that asks nothing more takes the remembered sign-in (two factors, one of
    // them proved on this device earlier).
    let plain = rp.start(&["email"], &[]);
    let tokens = rp.exchange(&rp.code_for(&mut b, &plain).await, plain.verifier).await.unwrap();
    let claims = rp.claims(&tokens, &plain.nonce);
    assert_eq!(claims.auth_context_ref().unwrap().as_str(), "urn:latchkey:acr:2fa");
    let amr: Vec<String> = claims.auth_method_refs().unwrap().iter().map(|a| a.to_string()).collect();
    assert_eq!(amr, vec!["pwd", "mfa"]);

    for extra in [("acr_values", "urn:latchkey:acr:2fa"), ("max_age", "3600")] {
        // A remembered sign-in again (the last round's was a fresh one).
        b.post("/logout", &[]).await;
        assert_eq!(b.sign_in(ADA, PASSWORD).await.path, "/account");
        let started = rp.start(&["email"], &[extra]);
        let page = b.get_url(started.url.as_str()).await;
        assert!(page.path.starts_with("/login?continue="), "{extra:?}: {}", page.path);
        let cont = hidden(&page.body, "continue").unwrap();
        let before = codes_sent(&app, ADA);
        let step = b.post("/login", &[("email", ADA), ("password", PASSWORD), ("continue", &cont)]).await;
        assert_eq!(step.path, "/login/verify", "{extra:?}: the remembered device does not skip it");
        let code = next_code(&app, ADA, before).await;
        let back = b.post("/login/verify", &[("code", &code)]).await;
        let tokens = rp.exchange(&code_in(&back.location(), &started), started.verifier).await.unwrap();
        let amr: Vec<String> =
            rp.claims(&tokens, &started.nonce).auth_method_refs().unwrap().iter().map(|a| a.to_string()).collect();
        assert_eq!(amr, vec!["pwd", "otp", "mfa"], "{extra:?}");
        assert!(tokens.id_token().is_some());
    }
}

async fn a_new_device_is_announced_once_and_known_devices_are_not(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    assert!(app.sink.find(ADA, NEW_DEVICE).is_empty(), "the account's first sign-in is not news");
    let mut b = Browser::with_user_agent(&app.url, CHROME_WINDOWS);
    assert_eq!(second_step(&app, &mut b, false).await.path, "/account");
    let mail = app.sink.wait_for(ADA, NEW_DEVICE).await;
    assert!(mail.text.contains("Browser: Chrome 131 on Windows"), "{}", mail.text);
    assert!(mail.text.contains("Client address: 127.0.0.1"), "{}", mail.text);
    assert!(mail.text.contains("Time: "), "{}", mail.text);
    assert!(mail.link_path().starts_with("/not-me?token="), "{}", mail.text);
    assert!(mail.text.contains("The link works once, for 7 days."), "{}", mail.text);
    // The same browser again, remembered or not, is known: no more alerts.
    b.post("/logout", &[]).await;
    second_step(&app, &mut b, true).await;
    b.post("/logout", &[]).await;
    b.sign_in(ADA, PASSWORD).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.sink.find(ADA, NEW_DEVICE).len(), 1);
    let kinds = app.audit_kinds(1).await;
    assert_eq!(kinds.iter().filter(|k| *k == "new_device_alerted").count(), 1, "{kinds:?}");
}

async fn this_wasnt_me_signs_out_everywhere_forgets_devices_and_requires_a_new_password(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    app.create_admin(BOSS).await;
    let mut mine = app.browser();
    second_step(&app, &mut mine, true).await;
    let mut intruder = Browser::with_user_agent(&app.url, CHROME_WINDOWS);
    second_step(&app, &mut intruder, false).await;
    let alert = app.sink.wait_for_nth(ADA, NEW_DEVICE, 2).await;
    let link = alert.link_path();

    // Opening the link changes nothing (a mail scanner may open it); the button does.
    let mut reader = app.browser();
    let page = reader.get(&link).await;
    page.assert_has("This wasn&#39;t me");
    page.assert_has("a***@acme.example");
    assert_eq!(mine.get("/account").await.path, "/account");
    let done = reader.post("/not-me", &[("token", &hidden(&page.body, "token").unwrap())]).await;
    done.assert_has("Your account is secured");
    done.assert_has("sessions were signed out");
    done.assert_has("Forgot password?");

    for b in [&mut mine, &mut intruder] {
        assert!(b.get("/account").await.path.starts_with("/login"), "every session ended");
    }
    // The right password no longer signs in, from any device, until a new one is chosen.
    let refused = mine.sign_in(ADA, PASSWORD).await;
    assert_eq!(refused.status, 400);
    refused.assert_has("choose a new password before you log in");
    let admins = app.sink.wait_for(BOSS, "ada@acme.example reported a sign-in that was not them").await;
    assert!(admins.text.contains("followed “This wasn't me”"), "{}", admins.text);
    // Once only.
    let again = reader.post("/not-me", &[("token", &hidden(&page.body, "token").unwrap())]).await;
    assert_eq!(again.status, 400);
    again.assert_has("This link cannot be used");
    let kinds = app.audit_kinds(1).await;
    assert!(kinds.contains(&"not_me_reported".into()) && kinds.contains(&"device_forgotten".into()), "{kinds:?}");

    // A new password from the reset link lets the member in again, with the second step (the
    // remembered device was forgotten).
    mine.get("/forgot-password").await;
    mine.post("/forgot-password", &[("email", ADA)]).await;
    let reset = app.sink.wait_for(ADA, "Reset your password").await;
    let form = mine.get(&reset.link_path()).await;
    let token = hidden(&form.body, "token").unwrap();
    let new = "a brand new passphrase 7";
    mine.post("/reset-password", &[("token", &token), ("password", new), ("confirm", new)]).await;
    assert_eq!(mine.sign_in(ADA, new).await.path, "/login/verify");
}

async fn a_right_password_whose_second_step_fails_or_is_abandoned_is_announced(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    // Wrong codes from a browser the account does not know: the third one alerts, once.
    let mut stranger = app.browser();
    to_second_step(&app, &mut stranger).await;
    for _ in 0..4 {
        assert_eq!(stranger.post("/login/verify", &[("code", "000000")]).await.status, 400);
    }
    let mail = app.sink.wait_for(ADA, UNFINISHED).await;
    assert!(mail.link_path().starts_with("/not-me?token="), "{}", mail.text);
    assert!(mail.text.contains("Browser: "), "{}", mail.text);

    // Given up after a right password, from another unknown browser: alerted when it expires.
    let mut quitter = app.browser();
    to_second_step(&app, &mut quitter).await;
    // A known device that gives up is the member: nothing is said.
    let mut known = app.browser();
    second_step(&app, &mut known, false).await;
    known.post("/logout", &[]).await;
    to_second_step(&app, &mut known).await;
    app.state.clock.advance(11 * 60);
    latchkey::housekeeping::once(&app.state).await.unwrap();
    app.sink.wait_for_nth(ADA, UNFINISHED, 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        app.sink.find(ADA, UNFINISHED).len(),
        2,
        "the failed one was not alerted again; the known one not at all"
    );
    let kinds = app.audit_kinds(1).await;
    assert_eq!(kinds.iter().filter(|k| *k == "incomplete_sign_in_alerted").count(), 2, "{kinds:?}");
}

async fn an_admin_sees_and_forgets_a_members_devices_and_a_password_change_forgets_them(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    let mut boss = admin(&app).await;
    let mut b = Browser::with_user_agent(&app.url, CHROME_WINDOWS);
    second_step(&app, &mut b, true).await;
    let page = boss.get("/org/members/1").await;
    page.assert_has("Remembered until");
    page.assert_has("Chrome 131 on Windows");
    boss.post("/org/members/1/devices/forget", &[("device", "all")])
        .await
        .assert_has("The member&#39;s devices were forgotten.");
    boss.get("/org/members/1").await.assert_has("No device has logged in to this account");
    b.post("/logout", &[]).await;
    to_second_step(&app, &mut b).await;

    // A password change forgets every device (this browser stays known: no alert for it).
    let mut c = app.browser();
    second_step(&app, &mut c, true).await;
    // Two browsers were new to the account: the Chrome one and this one.
    app.sink.wait_for_nth(ADA, NEW_DEVICE, 2).await;
    let alerts = app.sink.find(ADA, NEW_DEVICE).len();
    c.get("/account/security").await;
    let new = "another long passphrase 9";
    c.post("/account/password", &[("current", PASSWORD), ("password", new), ("confirm", new)]).await;
    c.post("/logout", &[]).await;
    let before = codes_sent(&app, ADA);
    assert_eq!(c.sign_in(ADA, new).await.path, "/login/verify", "no longer remembered");
    next_code(&app, ADA, before).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.sink.find(ADA, NEW_DEVICE).len(), alerts, "still known");
}

async fn sessions_and_the_audit_log_name_the_browser_and_keep_what_it_sent(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut boss = admin(&app).await;
    let mut b = Browser::with_user_agent(&app.url, CHROME_WINDOWS);
    assert_eq!(b.sign_in(ADA, PASSWORD).await.path, "/account");
    let security = b.get("/account/security").await;
    security.assert_has(&format!("<span title=\"{CHROME_WINDOWS}\">Chrome 131 on Windows</span>"));
    let log = boss.get("/org/audit").await;
    log.assert_has("Chrome 131 on Windows");
    let csv = boss.get("/org/audit.csv").await;
    assert!(csv.body.starts_with("time,local_time,event,member,client_address,browser,user_agent,detail\r\n"));
    assert!(csv.body.contains(&format!("\"Chrome 131 on Windows\",\"{CHROME_WINDOWS}\"")), "{}", csv.body);
}

/// Across two processes on one PostgreSQL database: a device remembered through one process
/// skips the second step on the other, and a "This wasn't me" link used on both at once works
/// once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remembered_devices_and_this_wasnt_me_hold_across_two_processes() {
    let one = TestApp::spawn(Backend::Postgres).await;
    // Both processes mail through one SMTP server (the test reads one sink).
    let port = one.sink.port;
    let two = TestApp::spawn_on(Backend::Postgres, one.database_url.clone(), move |a| {
        a.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    })
    .await;
    let apps = Apps(vec![one, two]);
    let (one, two) = (&apps.0[0], &apps.0[1]);
    member_with_two_factor(one, ADA).await;
    let mut b = Browser::new(&one.url);
    second_step(one, &mut b, true).await;
    // The cookie holds for the host, whichever process answers.
    let mut on_two = Browser::new(&two.url);
    on_two.set_cookie("latchkey_device", &b.cookie("latchkey_device").unwrap());
    assert_eq!(on_two.sign_in(ADA, PASSWORD).await.path, "/account");

    let mut intruder = Browser::new(&two.url);
    let before = codes_sent(one, ADA);
    assert_eq!(intruder.sign_in(ADA, PASSWORD).await.path, "/login/verify");
    let code = next_code(one, ADA, before).await;
    intruder.post("/login/verify", &[("code", &code)]).await;
    let alert = one.sink.wait_for(ADA, NEW_DEVICE).await;
    let mut page = Browser::new(&one.url);
    let form = page.get(&alert.link_path()).await;
    let token = hidden(&form.body, "token").unwrap();
    let mut tasks = Vec::new();
    for i in 0..10 {
        let mut r = Browser::new(apps.url(i));
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            r.get("/login").await;
            r.post("/not-me", &[("token", &token)]).await.status
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 400).count(), 9, "{statuses:?}");
    assert_eq!(one.texts("SELECT kind FROM audit_events WHERE kind = 'not_me_reported'").await.len(), 1);
    assert!(on_two.get("/account").await.path.starts_with("/login"));
}

async fn a_reset_a_disabled_member_and_a_two_factor_reset_forget_every_device(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    let mut boss = admin(&app).await;
    let mut b = app.browser();
    second_step(&app, &mut b, true).await;
    assert_eq!(devices_of(&app).await, 3, "the first browser, the admin's, and this remembered one");

    // Disabled (and enabled again) by an admin.
    boss.get("/org/members/1").await;
    boss.post("/org/members/1/status", &[("disabled", "yes")]).await.assert_has("disabled");
    boss.post("/org/members/1/status", &[("disabled", "no")]).await;
    assert_eq!(app.texts("SELECT token_hash FROM devices WHERE user_id = 1").await.len(), 0);

    // A new password from a reset link.
    let mut b = app.browser();
    second_step(&app, &mut b, true).await;
    b.post("/logout", &[]).await;
    b.get("/forgot-password").await;
    b.post("/forgot-password", &[("email", ADA)]).await;
    let reset = app.sink.wait_for(ADA, "Reset your password").await;
    let form = b.get(&reset.link_path()).await;
    let new = "a brand new passphrase 7";
    b.post("/reset-password", &[("token", &hidden(&form.body, "token").unwrap()), ("password", new), ("confirm", new)])
        .await;
    assert_eq!(app.texts("SELECT token_hash FROM devices WHERE user_id = 1").await.len(), 0);

    // Two-factor authentication reset from the command line.
    let before = codes_sent(&app, ADA);
    assert_eq!(b.sign_in(ADA, new).await.path, "/login/verify");
    let code = next_code(&app, ADA, before).await;
    b.post("/login/verify", &[("code", &code), ("remember", "1")]).await;
    assert_eq!(app.texts("SELECT token_hash FROM devices WHERE user_id = 1").await.len(), 1);
    let email = latchkey::domain::email::EmailAddress::parse(ADA).unwrap();
    latchkey::service::operator::reset_two_factor_by_email(&app.state, &email, &latchkey::store::audit::Actor::cli())
        .await
        .unwrap();
    assert_eq!(app.texts("SELECT token_hash FROM devices WHERE user_id = 1").await.len(), 0);
}

async fn an_alert_is_said_in_the_members_language_and_time_zone(app: TestApp) {
    app.create_org_localized("Acme Support", "acme.example", Some("id"), "Asia/Jakarta").await;
    app.create_user(ADA, Some(PASSWORD), true).await;
    let mut first = app.browser();
    assert_eq!(first.sign_in(ADA, PASSWORD).await.path, "/account");
    let mut b = Browser::with_user_agent(&app.url, CHROME_WINDOWS);
    assert_eq!(b.sign_in(ADA, PASSWORD).await.path, "/account");
    let mail = app.sink.wait_for(ADA, "Proses masuk baru ke akun Acme Support Anda").await;
    assert!(mail.text.contains("Browser: Chrome 131 di Windows"), "{}", mail.text);
    assert!(mail.text.contains(" WIB, "), "{}", mail.text);
    assert!(mail.text.contains("Ini bukan saya"), "{}", mail.text);
    let page = b.get(&mail.link_path()).await;
    page.assert_has("Amankan akun Anda");
}

async fn alerts_are_capped_per_account_and_hour(app: TestApp) {
    app.with_member(ADA, true).await;
    // A kiosk that clears its cookies: every log-in is a new browser.
    for _ in 0..14 {
        assert_eq!(app.browser().sign_in(ADA, PASSWORD).await.path, "/account");
    }
    app.sink.wait_for_nth(ADA, NEW_DEVICE, 10).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app.sink.find(ADA, NEW_DEVICE).len(), 10, "the first log-in is no news; then ten an hour");
    let capped = app.texts("SELECT detail FROM audit_events WHERE kind = 'new_device_alerted'").await;
    assert_eq!(capped.len(), 13, "every one is in the audit log");
    assert_eq!(capped.iter().filter(|d| d.as_deref() == Some("not mailed: hourly cap")).count(), 3);
    app.state.clock.advance(3600);
    app.browser().sign_in(ADA, PASSWORD).await;
    app.sink.wait_for_nth(ADA, NEW_DEVICE, 11).await;
}

async fn a_policy_or_role_change_ends_remembering(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    let mut boss = admin(&app).await;
    let mut b = app.browser();
    second_step(&app, &mut b, true).await;
    b.post("/logout", &[]).await;
    // A policy change: what was remembered under the old one asks again.
    crate::common::org::require(&mut boss, 0, true, true).await;
    to_second_step(&app, &mut b).await;
    let mut b = app.browser();
    second_step(&app, &mut b, true).await;
    b.post("/logout", &[]).await;
    assert_eq!(b.sign_in(ADA, PASSWORD).await.path, "/account", "remembered under the new policy");
    b.post("/logout", &[]).await;
    // Made an admin: the rules for admins apply from the next log-in.
    boss.get("/org/members/1").await;
    boss.post("/org/members/1/role", &[("admin", "yes")]).await;
    to_second_step(&app, &mut b).await;
}
