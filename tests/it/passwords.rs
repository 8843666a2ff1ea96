//! Forgotten passwords, invitations and changing the password.

use crate::common::{TestApp, PASSWORD};
use crate::on_both_backends;

const NEW: &str = "a brand new passphrase";

on_both_backends!(
    forgot_password_answers_the_same_for_unknown_emails_and_mails_only_real_accounts,
    a_reset_link_sets_a_new_password_once_and_signs_out_every_session,
    an_expired_reset_link_is_refused,
    two_submissions_of_one_reset_link_succeed_once,
    an_invited_member_chooses_a_password_from_the_emailed_link,
    changing_the_password_needs_the_current_one_and_signs_out_other_sessions,
);

async fn forgot_password_answers_the_same_for_unknown_emails_and_mails_only_real_accounts(app: TestApp) {
    let id = app.with_member("ada@acme.example", true).await;
    let mut b = app.browser();
    b.get("/login").await.assert_has("Forgot password?");
    b.get("/forgot-password").await;
    let known = b.post("/forgot-password", &[("email", "ada@acme.example")]).await;
    b.get("/forgot-password").await;
    let unknown = b.post("/forgot-password", &[("email", "nobody@acme.example")]).await;
    assert_eq!(known.status, 200);
    known.assert_has("If an account exists for that email");
    assert_eq!(known.body, unknown.body.replace("nobody", "ada"));
    let mail = app.sink.wait_for("ada@acme.example", "Reset your password").await;
    assert!(mail.text.contains("The link works once, for 1 hour."));
    assert!(app.sink.find("nobody@acme.example", "").is_empty());
    assert!(app.audit_kinds(id).await.contains(&"password_reset_requested".into()));
}

async fn a_reset_link_sets_a_new_password_once_and_signs_out_every_session(app: TestApp) {
    let id = app.with_member("ada@acme.example", true).await;
    let mut elsewhere = app.browser();
    elsewhere.sign_in("ada@acme.example", PASSWORD).await;
    let mut b = app.browser();
    b.get("/forgot-password").await;
    b.post("/forgot-password", &[("email", "ada@acme.example")]).await;
    let mail = app.sink.wait_for("ada@acme.example", "Reset your password").await;
    let form = b.get(&mail.link_path()).await;
    form.assert_has("Choose a new password");
    let token = mail.link().split("token=").nth(1).unwrap().to_string();

    let weak = b.post("/reset-password", &[("token", &token), ("password", "12345678"), ("confirm", "12345678")]).await;
    assert_eq!(weak.status, 400);
    weak.assert_has("among the most common");
    let mismatch = b.post("/reset-password", &[("token", &token), ("password", NEW), ("confirm", "other")]).await;
    mismatch.assert_has("The two passwords do not match.");

    let done = b.post("/reset-password", &[("token", &token), ("password", NEW), ("confirm", NEW)]).await;
    assert_eq!(done.path, "/login?notice=password-reset");
    done.assert_has("Your password has been changed");
    assert_eq!(elsewhere.get("/account").await.path, "/login", "every session ended");
    assert_eq!(b.get(&mail.link_path()).await.status, 410, "the link works once");
    assert_eq!(b.sign_in("ada@acme.example", PASSWORD).await.status, 400);
    assert_eq!(b.sign_in("ada@acme.example", NEW).await.path, "/account");
    let notice = app.sink.wait_for("ada@acme.example", "Your password was changed").await;
    assert!(notice.text.contains("latchkey-tests/1.0") && notice.text.contains("127.0.0.1"));
    assert!(app.audit_kinds(id).await.contains(&"password_reset".into()));
}

async fn an_expired_reset_link_is_refused(app: TestApp) {
    app.with_member("ada@acme.example", true).await;
    let mut b = app.browser();
    b.get("/forgot-password").await;
    b.post("/forgot-password", &[("email", "ada@acme.example")]).await;
    let mail = app.sink.wait_for("ada@acme.example", "Reset your password").await;
    app.state.clock.advance(3601);
    let page = b.get(&mail.link_path()).await;
    assert_eq!(page.status, 410);
    page.assert_has("It may have been used already or have expired.");
}

async fn two_submissions_of_one_reset_link_succeed_once(app: TestApp) {
    app.with_member("ada@acme.example", true).await;
    let mut b = app.browser();
    b.get("/forgot-password").await;
    b.post("/forgot-password", &[("email", "ada@acme.example")]).await;
    let mail = app.sink.wait_for("ada@acme.example", "Reset your password").await;
    let token = mail.link().split("token=").nth(1).unwrap().to_string();
    let mut tabs = Vec::new();
    for i in 0..4 {
        let mut t = app.browser();
        t.get(&mail.link_path()).await;
        let token = token.clone();
        let pw = format!("{NEW} {i}");
        tabs.push(tokio::spawn(async move {
            t.post("/reset-password", &[("token", &token), ("password", &pw), ("confirm", &pw)]).await.path
        }));
    }
    let mut ok = 0;
    for t in tabs {
        if t.await.unwrap().starts_with("/login?notice=password-reset") {
            ok += 1;
        }
    }
    assert_eq!(ok, 1, "exactly one submission of the link succeeds");
}

async fn an_invited_member_chooses_a_password_from_the_emailed_link(app: TestApp) {
    app.create_org("Acme Support", "acme.example").await;
    let id = app.create_user("grace@acme.example", None, false).await;
    let mail = app.sink.wait_for("grace@acme.example", "You are invited to Acme Support").await;
    let mut b = app.browser();
    assert_eq!(b.sign_in("grace@acme.example", "anything at all").await.status, 400, "no password yet");
    b.get(&mail.link_path()).await.assert_has("Choose your password");
    let token = mail.link().split("token=").nth(1).unwrap().to_string();
    let done = b.post("/reset-password", &[("token", &token), ("password", NEW), ("confirm", NEW)]).await;
    assert_eq!(done.path, "/login?notice=password-set");
    b.sign_in("grace@acme.example", NEW).await;
    b.get("/account/security").await.assert_has("Verified");
    assert!(app.audit_kinds(id).await.contains(&"invitation_accepted".into()));
}

async fn changing_the_password_needs_the_current_one_and_signs_out_other_sessions(app: TestApp) {
    let id = app.with_member("ada@acme.example", true).await;
    let mut other = app.browser();
    other.sign_in("ada@acme.example", PASSWORD).await;
    let mut b = app.browser();
    b.sign_in("ada@acme.example", PASSWORD).await;
    b.get("/account/security").await;
    let wrong = b.post("/account/password", &[("current", "nope nope"), ("password", NEW), ("confirm", NEW)]).await;
    assert_eq!(wrong.status, 400);
    wrong.assert_has("Your current password is not correct.");
    let weak = b.post("/account/password", &[("current", PASSWORD), ("password", "short"), ("confirm", "short")]).await;
    weak.assert_has("Use at least 8 characters");
    let done = b.post("/account/password", &[("current", PASSWORD), ("password", NEW), ("confirm", NEW)]).await;
    done.assert_has("Your password has been changed.");
    assert_eq!(b.get("/account").await.path, "/account", "this session stays");
    assert_eq!(other.get("/account").await.path, "/login", "other sessions end");
    app.sink.wait_for("ada@acme.example", "Your password was changed").await;
    let kinds = app.audit_kinds(id).await;
    assert!(kinds.contains(&"password_changed".into()));
}
