//! Sessions: cookie attributes, rotation, expiry, and signing out other sessions.

use crate::common::{TestApp, PASSWORD};
use crate::on_both_backends;

on_both_backends!(
    the_session_cookie_is_http_only_and_same_site_lax,
    signing_in_again_replaces_the_session_the_browser_had,
    an_idle_session_ends_and_so_does_an_old_one,
    other_sessions_are_listed_and_can_be_signed_out,
    activity_is_written_to_the_database_in_the_background,
);

async fn the_session_cookie_is_http_only_and_same_site_lax(app: TestApp) {
    app.with_member("ada@acme.example", true).await;
    let mut b = app.browser();
    b.get("/login").await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let csrf_cookie = b.cookie("latchkey_csrf").unwrap();
    let login = b.get("/login").await;
    let token = crate::common::browser::csrf_of(&login.body).unwrap();
    let res = client
        .post(format!("{}/login", app.url))
        .header("cookie", format!("latchkey_csrf={csrf_cookie}"))
        .form(&[("email", "ada@acme.example"), ("password", PASSWORD), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    // Beside the browser's device token (tests/it/devices.rs), the session's cookie.
    let set = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("latchkey_session="))
        .expect("a session cookie");
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"), "{set}");
    assert!(!set.contains("Secure"), "no Secure flag on plain http: {set}");
    let value = set.split(';').next().unwrap().trim_start_matches("latchkey_session=");
    assert_eq!(value.len(), 43, "256 random bits, base64url");
}

async fn signing_in_again_replaces_the_session_the_browser_had(app: TestApp) {
    app.with_member("ada@acme.example", true).await;
    let mut b = app.browser();
    b.sign_in("ada@acme.example", PASSWORD).await;
    let first = b.cookie("latchkey_session").unwrap();
    b.post("/login", &[("email", "ada@acme.example"), ("password", PASSWORD)]).await;
    let second = b.cookie("latchkey_session").unwrap();
    assert_ne!(first, second);
    let mut old = app.browser();
    old.set_cookie("latchkey_session", &first);
    assert_eq!(old.get("/account").await.path, "/login", "the replaced session no longer works");
    assert_eq!(app.texts("SELECT ip FROM sessions").await.len(), 1);
}

async fn an_idle_session_ends_and_so_does_an_old_one(app: TestApp) {
    app.with_member("ada@acme.example", true).await;
    let mut b = app.browser();
    b.sign_in("ada@acme.example", PASSWORD).await;
    app.state.clock.advance(29 * 60);
    assert_eq!(b.get("/account").await.path, "/account", "activity within 30 minutes keeps it");
    app.state.clock.advance(29 * 60);
    assert_eq!(b.get("/account").await.path, "/account");
    app.state.clock.advance(31 * 60);
    assert_eq!(b.get("/account").await.path, "/login", "31 idle minutes end it");

    // Kept active, a session still ends 12 hours after sign-in.
    b.sign_in("ada@acme.example", PASSWORD).await;
    for _ in 0..28 {
        app.state.clock.advance(25 * 60);
        assert_eq!(b.get("/account").await.path, "/account");
    }
    app.state.clock.advance(25 * 60);
    assert_eq!(b.get("/account").await.path, "/login");
}

async fn activity_is_written_to_the_database_in_the_background(app: TestApp) {
    app.with_member("ada@acme.example", true).await;
    let mut b = app.browser();
    let before = app.state.clock.now();
    b.sign_in("ada@acme.example", PASSWORD).await;
    let after = app.state.clock.now();
    let last_seen = || app.texts("SELECT CAST(last_seen_at AS TEXT) FROM sessions");
    // The sign-in's own second (the clock runs on while it is hashed and written).
    let at: i64 = last_seen().await[0].as_deref().unwrap().parse().unwrap();
    assert!((before..=after).contains(&at), "{before} <= {at} <= {after}");
    app.state.clock.advance(10 * 60);
    let before = app.state.clock.now();
    assert_eq!(b.get("/account").await.path, "/account");
    let after = app.state.clock.now();
    // Written in the background (about once a second), so other processes see it too.
    let mut seen = 0;
    for _ in 0..100 {
        seen = last_seen().await[0].as_deref().unwrap().parse().unwrap();
        if (before..=after).contains(&seen) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!((before..=after).contains(&seen), "the activity was written: {before} <= {seen} <= {after}");
}

async fn other_sessions_are_listed_and_can_be_signed_out(app: TestApp) {
    let id = app.with_member("ada@acme.example", true).await;
    let mut phone = app.browser();
    phone.sign_in("ada@acme.example", PASSWORD).await;
    let mut laptop = app.browser();
    laptop.sign_in("ada@acme.example", PASSWORD).await;
    let page = laptop.get("/account/security").await;
    page.assert_has("This session");
    page.assert_has("latchkey-tests/1.0");
    let sessions = &page.body[page.body.find("id=\"sessions-h\"").unwrap()..];
    let sessions = &sessions[..sessions.find("</section>").unwrap()];
    assert_eq!(sessions.matches("<tr><td>").count(), 2);
    let done = laptop.post("/account/sessions/sign-out-others", &[]).await;
    done.assert_has("Your other sessions have been signed out.");
    assert_eq!(phone.get("/account").await.path, "/login");
    assert_eq!(laptop.get("/account").await.path, "/account");
    assert!(app.audit_kinds(id).await.contains(&"sessions_revoked".to_string()));
}
