//! CSRF, security headers, error pages, and what is stored about mail.

use crate::common::{TestApp, PASSWORD};
use crate::on_both_backends;

on_both_backends!(
    every_form_refuses_a_post_without_its_token_or_from_another_site,
    pages_carry_security_headers_and_are_not_cached,
    unknown_pages_and_bad_forms_get_plain_pages,
    queued_mail_is_encrypted_and_its_body_dropped_once_sent,
    the_health_check_answers_when_the_database_is_reachable,
);

async fn every_form_refuses_a_post_without_its_token_or_from_another_site(app: TestApp) {
    app.with_member("ada@acme.example", true).await;
    let mut b = app.browser();
    b.sign_in("ada@acme.example", PASSWORD).await;
    let forms = [
        "/login",
        "/forgot-password",
        "/setup",
        "/reset-password",
        "/verify-email",
        "/logout",
        "/account/password",
        "/account/send-verification",
        "/account/sessions/sign-out-others",
    ];
    b.get("/login").await;
    for path in forms {
        let page = b.post_raw(path, &[("email", "ada@acme.example"), ("password", PASSWORD)], None).await;
        assert_eq!(page.status, 403, "{path} without a token");
        page.assert_has("This form has expired");
        let page = b.post_raw(path, &[("csrf", "forged")], None).await;
        assert_eq!(page.status, 403, "{path} with a wrong token");
    }
    // A right token from another site's page is refused by the Origin check.
    let mut b = app.browser();
    let login = b.get("/login").await;
    let token = crate::common::browser::csrf_of(&login.body).unwrap();
    let fields = [("email", "ada@acme.example"), ("password", PASSWORD), ("csrf", token.as_str())];
    assert_eq!(b.post_raw("/login", &fields, Some("https://evil.example")).await.status, 403);
    assert_eq!(b.post_raw("/login", &fields, Some(&app.url)).await.path, "/account");
    // A fresh browser without the cookie cannot reuse someone else's token.
    let mut stranger = app.browser();
    assert_eq!(stranger.post_raw("/login", &fields, None).await.status, 403);
}

async fn pages_carry_security_headers_and_are_not_cached(app: TestApp) {
    app.with_member("ada@acme.example", true).await;
    let mut b = app.browser();
    b.sign_in("ada@acme.example", PASSWORD).await;
    for path in ["/login", "/account/security", "/nowhere"] {
        let p = b.get(path).await;
        let csp = p.header("content-security-policy").unwrap();
        assert!(
            csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline")
                && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert_eq!(p.header("x-frame-options").as_deref(), Some("DENY"));
        assert_eq!(p.header("referrer-policy").as_deref(), Some("same-origin"));
        assert_eq!(p.header("cache-control").as_deref(), Some("no-store"), "{path}");
        assert!(p.header("x-request-id").is_some());
        assert!(!p.body.contains("<script>") && !p.body.contains("style=\""), "no inline script or style in {path}");
    }
    let css = b.get("/static/app.css").await;
    assert_eq!(css.header("content-type").as_deref(), Some("text/css; charset=utf-8"));
}

async fn unknown_pages_and_bad_forms_get_plain_pages(app: TestApp) {
    let mut b = app.browser();
    let p = b.get("/nowhere").await;
    assert_eq!(p.status, 404);
    p.assert_has("Page not found");
    b.get("/login").await;
    let missing = b.post("/login", &[("email", "ada@acme.example")]).await;
    assert_eq!(missing.status, 400);
    missing.assert_has("The form is missing a field");
    assert_eq!(b.get("/reset-password").await.status, 410);
    let wrong_method = b.get("/logout").await;
    assert_eq!(wrong_method.status, 405);
    wrong_method.assert_has("This page cannot be used this way");
    let huge = "x".repeat(200 * 1024);
    let too_big = b.post("/login", &[("email", &huge), ("password", "x")]).await;
    assert_eq!(too_big.status, 400);
}

async fn queued_mail_is_encrypted_and_its_body_dropped_once_sent(app: TestApp) {
    app.with_member("ada@acme.example", true).await;
    let mut b = app.browser();
    b.get("/forgot-password").await;
    b.post("/forgot-password", &[("email", "ada@acme.example")]).await;
    let mail = app.sink.wait_for("ada@acme.example", "Reset your password").await;
    let token = mail.link().split("token=").nth(1).unwrap().to_string();
    // The sink has the message a moment before the worker records it as sent.
    let start = std::time::Instant::now();
    while app.texts("SELECT body FROM outbox").await != vec![None] {
        assert!(start.elapsed().as_secs() < 10, "the body is gone once sent");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let hashes = app.texts("SELECT token_hash FROM link_tokens").await;
    assert!(hashes.iter().all(|h| h.as_deref() != Some(token.as_str())), "links are stored as hashes");

    // While SMTP is unreachable the message waits in the outbox, encrypted.
    let app = app.restart_with(|a| a.smtp_url = Some("smtp://127.0.0.1:9".into())).await;
    app.with_member("ada@acme.example", true).await;
    let mut b = app.browser();
    b.get("/forgot-password").await;
    b.post("/forgot-password", &[("email", "ada@acme.example")]).await;
    let stored = app.texts("SELECT body FROM outbox").await;
    let sealed = stored[0].clone().expect("kept until sent");
    assert!(!sealed.contains("token=") && !sealed.contains("reset-password"));
    let plain = String::from_utf8(app.state.key.decrypt(&sealed).unwrap()).unwrap();
    assert!(plain.contains("/reset-password?token="));
}

async fn the_health_check_answers_when_the_database_is_reachable(app: TestApp) {
    let p = app.browser().get("/healthz").await;
    assert_eq!((p.status, p.body.as_str()), (200, "ok\n"));
    app.state.db.close().await;
    assert_eq!(app.browser().get("/healthz").await.status, 503);
}
