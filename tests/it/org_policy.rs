//! "Require Two-Factor Authentication": the preview, and members held to the set-up.

use crate::common::authenticator::set_up;
use crate::common::org::{admin, require, BOSS};
use crate::common::two_factor::{enable, shown_key};
use crate::common::{TestApp, PASSWORD};
use crate::on_both_backends;

const ADA: &str = "ada@acme.example";
const HELD: &str = "/account/two-factor/required";

on_both_backends!(
    a_member_without_two_factor_reaches_nothing_but_the_set_up_until_email_codes_are_on,
    a_member_with_only_a_disallowed_method_sets_up_the_authenticator_app,
    a_grace_period_shows_a_banner_then_holds_members_after_its_deadline,
    an_open_session_is_held_to_a_new_policy_at_its_next_request,
    members_cannot_remove_their_last_allowed_method_while_it_is_required,
    an_admin_without_two_factor_cannot_require_it,
    turning_the_requirement_off_needs_no_preview,
);

async fn a_member_without_two_factor_reaches_nothing_but_the_set_up_until_email_codes_are_on(app: TestApp) {
    let id = app.with_member(ADA, true).await;
    let mut boss = admin(&app).await;
    let preview = require(&mut boss, 0, true, true).await;
    preview.assert_has("1 members have no 2FA (or no allowed method) and will have to set it up at their next sign-in");
    preview.assert_has(ADA);
    assert!(!preview.has(&format!("<li>{BOSS}</li>")), "the admin has 2FA");

    let mut b = app.browser();
    let held = b.sign_in(ADA, PASSWORD).await;
    assert_eq!(held.path, HELD);
    held.assert_has("Set up two-factor authentication");
    held.assert_has("Use email codes");
    held.assert_has("Use an authenticator app");
    for path in [
        "/account",
        "/account/security",
        "/account/two-factor/disable",
        "/org",
        "/org/members",
        "/account/authenticator/remove",
        "/",
    ] {
        assert_eq!(b.get(path).await.path, HELD, "{path}");
    }
    b.get(HELD).await;
    assert_eq!(b.post("/account/sessions/sign-out-others", &[]).await.path, HELD);
    assert_eq!(
        b.post("/account/password", &[("current", PASSWORD), ("password", "x"), ("confirm", "x")]).await.path,
        HELD
    );

    let key = enable(&app, &mut b, ADA).await;
    assert_eq!(key.len(), 34);
    assert_eq!(b.get("/account/security").await.path, "/account/security");
    assert_eq!(b.get("/account").await.path, "/account");
    assert!(app.audit_kinds(id).await.contains(&"two_factor_enabled".to_string()));
}

async fn a_member_with_only_a_disallowed_method_sets_up_the_authenticator_app(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    enable(&app, &mut b, ADA).await;
    b.post("/logout", &[]).await;
    let mut boss = admin(&app).await;
    set_up(&app, &mut boss).await;
    require(&mut boss, 0, false, true).await;

    app.state.clock.advance(31);
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let code = app.sink.wait_for_nth(ADA, "Your verification code", 2).await.code();
    let held = b.post("/login/verify", &[("code", &code), ("method", "email")]).await;
    assert_eq!(held.path, HELD, "the email code signs in, but email codes are not allowed");
    assert!(!held.has("Use email codes"));
    held.assert_has("Use an authenticator app");
    let (_, key) = set_up(&app, &mut b).await;
    assert!(key.is_none(), "the Recovery Key stays: two-factor authentication was already on");
    assert_eq!(b.get("/account/security").await.path, "/account/security");
}

async fn a_grace_period_shows_a_banner_then_holds_members_after_its_deadline(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut boss = admin(&app).await;
    let preview = require(&mut boss, 7, true, true).await;
    preview.assert_has("once the 7-day grace period ends");
    let mut b = app.browser();
    let page = b.sign_in(ADA, PASSWORD).await;
    assert_eq!(page.path, "/account");
    page.assert_has("Acme Support requires two-factor authentication from");
    page.assert_has("Set up two-factor authentication</a>");
    app.state.clock.advance(7 * 86_400);
    let mut b = app.browser();
    assert_eq!(b.sign_in(ADA, PASSWORD).await.path, HELD);
}

async fn an_open_session_is_held_to_a_new_policy_at_its_next_request(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = app.browser();
    assert_eq!(b.sign_in(ADA, PASSWORD).await.path, "/account");
    let mut boss = admin(&app).await;
    require(&mut boss, 0, true, true).await;
    assert_eq!(b.get("/account/security").await.path, HELD);
}

async fn members_cannot_remove_their_last_allowed_method_while_it_is_required(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut boss = admin(&app).await;
    require(&mut boss, 0, true, true).await;
    boss.get("/account/two-factor/disable").await;
    let refused = boss
        .post(
            "/account/two-factor/disable",
            &[("password", PASSWORD), ("recovery_key", "0000-0000-0000-0000-0000-0000-0000")],
        )
        .await;
    assert_eq!(refused.status, 400);
    refused
        .assert_has("Acme Support requires two-factor authentication, so you cannot remove your last allowed method.");
}

async fn an_admin_without_two_factor_cannot_require_it(app: TestApp) {
    app.with_member(ADA, true).await;
    app.create_admin(BOSS).await;
    let mut b = app.browser();
    b.sign_in(BOSS, PASSWORD).await;
    b.get("/org").await.assert_has("Set up two-factor authentication for yourself before you require it");
    let refused = b
        .post("/org/policy", &[("required", "on"), ("grace_days", "0"), ("email", "on"), ("authenticator", "on")])
        .await;
    assert_eq!(refused.status, 400);
    refused
        .assert_has("Set up two-factor authentication for yourself, with a method you allow, before you require it.");
    let bad = b.post("/org/policy", &[("grace_days", "-3"), ("email", "on")]).await;
    bad.assert_has("Enter a grace period from 0 to 365 days.");
}

async fn turning_the_requirement_off_needs_no_preview(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut boss = admin(&app).await;
    require(&mut boss, 0, true, true).await;
    let off = boss.post("/org/policy", &[("grace_days", "0"), ("email", "on"), ("authenticator", "on")]).await;
    off.assert_has("The policy is saved.");
    assert_eq!(app.browser().sign_in(ADA, PASSWORD).await.path, "/account");
    let _ = shown_key;
}
