//! The admin's Members and Audit log pages, and that admins act only on their organization.

use crate::common::org::{admin, BOSS};
use crate::common::two_factor::{codes_sent, enable, next_code};
use crate::common::{TestApp, PASSWORD};
use crate::on_both_backends;

const ADA: &str = "ada@acme.example";

on_both_backends!(
    admins_only_see_and_act_on_their_own_organization,
    resetting_a_members_two_factor_signs_them_out_and_mails_them,
    the_last_admin_cannot_be_demoted,
    a_disabled_member_cannot_sign_in,
    an_admin_invites_members_of_the_organizations_domain,
    the_audit_log_is_filtered_paged_and_exported,
    addresses_that_do_not_parse_get_the_products_error_page,
);

async fn addresses_that_do_not_parse_get_the_products_error_page(app: TestApp) {
    app.create_org("Acme Support", "acme.example").await;
    let mut boss = admin(&app).await;
    for path in ["/org/members/abc", "/org/members/99999999999999999999999"] {
        let page = boss.get(path).await;
        assert_eq!(page.status, 404, "{path}");
        page.assert_has("Page not found");
        assert_eq!(page.header("content-type").as_deref(), Some("text/html; charset=utf-8"), "{path}");
    }
    let posted = boss.post("/org/members/12abc/role", &[("admin", "yes")]).await;
    assert_eq!(posted.status, 404);
    posted.assert_has("Page not found");
    for path in ["/org/audit?page=abc", "/org/audit.csv?page=1.5"] {
        let page = boss.get(path).await;
        assert_eq!(page.status, 400, "{path}");
        page.assert_has("This address is not complete or not right.");
    }
}

async fn admins_only_see_and_act_on_their_own_organization(app: TestApp) {
    let ada = app.with_member(ADA, true).await;
    app.create_org("Beta", "beta.example").await;
    let other = app.create_user("bob@beta.example", Some(PASSWORD), true).await;
    let mut boss = admin(&app).await;
    let list = boss.get("/org/members").await;
    list.assert_has(ADA);
    assert!(!list.has("bob@beta.example"));
    assert_eq!(boss.get(&format!("/org/members/{ada}")).await.status, 200);
    assert_eq!(boss.get(&format!("/org/members/{other}")).await.status, 404);
    boss.get("/org/members").await;
    for (path, fields) in [
        (format!("/org/members/{other}/role"), vec![("admin", "yes")]),
        (format!("/org/members/{other}/status"), vec![("disabled", "yes")]),
        (format!("/org/members/{other}/reset-2fa"), vec![("password", PASSWORD), ("recovery_key", "x")]),
        (format!("/org/members/{other}/reset-2fa/send"), vec![]),
        ("/org/members/999999".to_string(), vec![]),
    ] {
        assert_eq!(boss.post(&path, &fields).await.status, if path.ends_with("999999") { 405 } else { 404 }, "{path}");
    }
    // A member is no admin: the pages do not exist for them.
    let mut member = app.browser();
    member.sign_in(ADA, PASSWORD).await;
    assert!(!member.get("/account").await.has("href=\"/org\""));
    for path in ["/org", "/org/members", &format!("/org/members/{ada}"), "/org/audit", "/org/audit.csv"] {
        assert_eq!(member.get(path).await.status, 404, "{path}");
    }
    member.get("/account").await;
    assert_eq!(member.post("/org/policy", &[("required", "on"), ("email", "on")]).await.status, 404);
    assert_eq!(member.post("/org/members/invite", &[("email", "eve@acme.example")]).await.status, 404);
}

async fn resetting_a_members_two_factor_signs_them_out_and_mails_them(app: TestApp) {
    let ada = app.with_member(ADA, true).await;
    let mut member = app.browser();
    member.sign_in(ADA, PASSWORD).await;
    enable(&app, &mut member, ADA).await;
    let mut boss = admin(&app).await;
    let page = boss.get(&format!("/org/members/{ada}")).await;
    page.assert_has("On: email code");
    page.assert_has("Reset two-factor authentication");
    let no_proof = boss.post(&format!("/org/members/{ada}/reset-2fa"), &[("password", PASSWORD)]).await;
    assert_eq!(no_proof.status, 400);
    let before = codes_sent(&app, BOSS);
    app.state.clock.advance(31);
    boss.post(&format!("/org/members/{ada}/reset-2fa/send"), &[])
        .await
        .assert_has("We sent a verification code to your email.");
    let code = next_code(&app, BOSS, before).await;
    let wrong_pw =
        boss.post(&format!("/org/members/{ada}/reset-2fa"), &[("password", "not it at all"), ("code", &code)]).await;
    wrong_pw.assert_has("Your password is not correct.");
    let done = boss.post(&format!("/org/members/{ada}/reset-2fa"), &[("password", PASSWORD), ("code", &code)]).await;
    done.assert_has("Two-factor authentication was reset.");
    done.assert_has("None");
    assert_eq!(member.get("/account").await.path, "/login", "the member was signed out");
    app.sink.wait_for(ADA, "Your two-factor authentication was reset").await;
    assert_eq!(app.browser().sign_in(ADA, PASSWORD).await.path, "/account", "no second step any more");
    assert!(app.audit_kinds(ada).await.contains(&"two_factor_reset".to_string()));
}

async fn the_last_admin_cannot_be_demoted(app: TestApp) {
    let ada = app.with_member(ADA, true).await;
    let mut boss = admin(&app).await;
    let boss_id: i64 = boss
        .get("/org/members")
        .await
        .body
        .split("/org/members/")
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .find(|id| *id != ada)
        .unwrap();
    let refused = boss.post(&format!("/org/members/{boss_id}/role"), &[("admin", "no")]).await;
    assert_eq!(refused.status, 400);
    refused.assert_has("An organization keeps at least one admin");
    boss.post(&format!("/org/members/{ada}/role"), &[("admin", "yes")]).await.assert_has("The role was changed.");
    let demoted = boss.post(&format!("/org/members/{boss_id}/role"), &[("admin", "no")]).await;
    assert_eq!(demoted.path, "/account", "no longer an admin, back to their account");
    assert_eq!(boss.get("/org").await.status, 404);
}

async fn a_disabled_member_cannot_sign_in(app: TestApp) {
    let ada = app.with_member(ADA, true).await;
    let mut member = app.browser();
    member.sign_in(ADA, PASSWORD).await;
    let mut boss = admin(&app).await;
    boss.get(&format!("/org/members/{ada}")).await;
    boss.post(&format!("/org/members/{ada}/status"), &[("disabled", "yes")]).await.assert_has("Disabled");
    assert_eq!(member.get("/account").await.path, "/login", "their sessions ended");
    let refused = app.browser().sign_in(ADA, PASSWORD).await;
    assert_eq!(refused.status, 400);
    refused.assert_has("This account is disabled.");
    boss.post(&format!("/org/members/{ada}/status"), &[("disabled", "no")]).await.assert_has("Active");
    assert_eq!(app.browser().sign_in(ADA, PASSWORD).await.path, "/account");
}

async fn an_admin_invites_members_of_the_organizations_domain(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut boss = admin(&app).await;
    boss.get("/org/members").await;
    let wrong = boss.post("/org/members/invite", &[("email", "eve@elsewhere.example")]).await;
    assert_eq!(wrong.status, 400);
    wrong.assert_has("Invite an address at acme.example, the organization&#39;s domain.");
    boss.post("/org/members/invite", &[("email", "grace@acme.example")])
        .await
        .assert_has("The invitation is on its way.");
    app.sink.wait_for("grace@acme.example", "You are invited to Acme Support").await;
    let dup = boss.post("/org/members/invite", &[("email", "grace@acme.example")]).await;
    dup.assert_has("already exists");
    let no_2fa = boss.get("/org/members?filter=no-2fa").await;
    no_2fa.assert_has("grace@acme.example");
    assert!(!no_2fa.has(&format!(">{BOSS}</a>")), "the admin has 2FA");
}

async fn the_audit_log_is_filtered_paged_and_exported(app: TestApp) {
    app.with_member(ADA, true).await;
    for _ in 0..3 {
        app.browser().sign_in(ADA, "wrong password").await;
    }
    let mut boss = admin(&app).await;
    let page = boss.get("/org/audit").await;
    page.assert_has("Failed log-in attempt");
    page.assert_has("Two-factor authentication turned on");
    let only = boss.get("/org/audit?member=ada%40acme.example&kind=sign_in_failed").await;
    assert_eq!(only.body.matches("Failed log-in attempt</td>").count(), 3);
    assert!(!only.has("Two-factor authentication turned on</td>"));
    let (status, kind, csv) = boss.get_bytes("/org/audit.csv?member=ada%40acme.example&kind=sign_in_failed").await;
    assert_eq!((status, kind.as_deref()), (200, Some("text/csv; charset=utf-8")));
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("time,local_time,event,member,client_address,browser,user_agent,detail\r\n"));
    assert_eq!(csv.lines().count(), 4, "{csv}");
    for _ in 0..50 {
        app.browser().sign_in(ADA, PASSWORD).await;
    }
    let first = boss.get("/org/audit").await;
    first.assert_has(">Older<");
    let second = boss.get("/org/audit?member=&kind=&page=1").await;
    second.assert_has(">Newer<");
    // A page number far beyond the end (or beyond i64 arithmetic) is an empty page, not an error.
    let beyond = boss.get(&format!("/org/audit?member=&kind=&page={}", i64::MAX)).await;
    assert_eq!(beyond.status, 200);
    beyond.assert_has(">Newer<");
}
