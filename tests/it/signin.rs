//! Signing in and out, and the bounds on guessing.

use crate::common::{TestApp, PASSWORD};
use crate::on_both_backends;

on_both_backends!(
    a_member_logs_in_and_out,
    an_unknown_email_and_a_wrong_password_get_the_same_answer,
    repeated_wrong_passwords_lock_the_account_with_a_time_to_retry,
    a_spray_from_one_address_is_capped_but_colleagues_are_not_locked_out_by_successes,
    passwords_and_session_tokens_are_stored_only_as_hashes,
);

async fn a_member_logs_in_and_out(app: TestApp) {
    let id = app.with_member("ada@acme.example", false).await;
    let mut b = app.browser();
    assert_eq!(b.get("/account").await.path, "/login");
    let page = b.sign_in("Ada@acme.example", PASSWORD).await;
    assert_eq!(page.path, "/account");
    page.assert_has("Manage Account");
    page.assert_has("aria-label=\"Profile\"");
    page.assert_has(">Log out<");
    assert_eq!(b.get("/login").await.path, "/account", "a signed-in user is sent on from Log in");

    let out = b.post("/logout", &[]).await;
    assert_eq!(out.path, "/login?notice=signed-out");
    out.assert_has("You have logged out.");
    assert_eq!(b.get("/account").await.path, "/login");
    assert_eq!(app.audit_kinds(id).await, ["user_created", "sign_in", "sign_out"]);
}

/// The page without the parts that necessarily differ (the echoed email).
fn normalized(body: &str, email: &str) -> String {
    body.replace(email, "EMAIL")
}

async fn an_unknown_email_and_a_wrong_password_get_the_same_answer(app: TestApp) {
    app.with_member("ada@acme.example", true).await;
    let mut b = app.browser();
    let wrong = b.sign_in("ada@acme.example", "not the password").await;
    let unknown = b.sign_in("nobody@acme.example", "not the password").await;
    assert_eq!(wrong.status, 400);
    assert_eq!(unknown.status, wrong.status);
    wrong.assert_has("The email or password is not correct.");
    assert_eq!(normalized(&wrong.body, "ada@acme.example"), normalized(&unknown.body, "nobody@acme.example"));
    let bad = b.sign_in("not-an-email", "x").await;
    bad.assert_has("Enter an email address like name@example.com.");
}

async fn repeated_wrong_passwords_lock_the_account_with_a_time_to_retry(app: TestApp) {
    // The default is 10 failures in 15 minutes; tests use the default and count to it.
    let id = app.with_member("ada@acme.example", true).await;
    let mut b = app.browser();
    for _ in 0..9 {
        assert_eq!(b.sign_in("ada@acme.example", "wrong password").await.status, 400);
    }
    let locked = b.sign_in("ada@acme.example", "wrong password").await;
    assert_eq!(locked.status, 429);
    assert_eq!(locked.header("retry-after").as_deref(), Some("60"));
    locked.assert_has("Too many attempts. Try again in 1 minute.");
    // Even the right password waits until the lock ends, and then works.
    let still = b.sign_in("ada@acme.example", PASSWORD).await;
    assert_eq!(still.status, 429);
    app.state.clock.advance(61);
    assert_eq!(b.sign_in("ada@acme.example", PASSWORD).await.path, "/account");
    let kinds = app.audit_kinds(id).await;
    assert_eq!(kinds.iter().filter(|k| *k == "sign_in_failed").count(), 10);
    assert!(kinds.contains(&"sign_in_locked".to_string()));
}

async fn a_spray_from_one_address_is_capped_but_colleagues_are_not_locked_out_by_successes(app: TestApp) {
    let app = app.restart_with(|a| a.signin_failures_per_address = Some(5)).await;
    app.with_member("ada@acme.example", true).await;
    let mut b = app.browser();
    // Many colleagues signing in from one address do not count against it.
    for _ in 0..8 {
        assert_eq!(b.sign_in("ada@acme.example", PASSWORD).await.path, "/account");
        b.post("/logout", &[]).await;
    }
    for i in 0..4 {
        assert_eq!(b.sign_in(&format!("guess{i}@acme.example"), "password").await.status, 400);
    }
    let capped = b.sign_in("guess9@acme.example", "password").await;
    assert_eq!(capped.status, 429);
    capped.assert_has("Too many attempts");
}

async fn passwords_and_session_tokens_are_stored_only_as_hashes(app: TestApp) {
    app.with_member("ada@acme.example", true).await;
    let mut b = app.browser();
    b.sign_in("ada@acme.example", PASSWORD).await;
    let token = b.cookie("latchkey_session").unwrap();
    let hashes = app.texts("SELECT token_hash FROM sessions").await;
    assert_eq!(hashes, vec![Some(latchkey::secrets::hash_token(&token))]);
    let stored = app.texts("SELECT password_hash FROM users").await;
    let phc = stored[0].clone().unwrap();
    assert!(phc.starts_with("$argon2id$v=19$"), "{phc}");
    assert!(!phc.contains(PASSWORD));
}

on_both_backends!(sign_ins_beyond_the_hashing_queue_are_refused_at_once_with_503);

async fn sign_ins_beyond_the_hashing_queue_are_refused_at_once_with_503(app: TestApp) {
    // One hashing slot, one waiting place, and a hash slow enough that requests pile up.
    let app = app
        .restart_with(|a| {
            a.hash_concurrency = Some(1);
            a.hash_queue = Some(1);
            a.argon2_memory_kib = Some(65536);
            a.argon2_iterations = Some(3);
        })
        .await;
    app.with_member("ada@acme.example", true).await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let mut b = app.browser();
        b.get("/login").await;
        tasks.push(tokio::spawn(async move {
            let p = b.post("/login", &[("email", "ada@acme.example"), ("password", PASSWORD)]).await;
            (p.status, p.header("retry-after"), p.body)
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        let (status, retry, body) = t.await.unwrap();
        if status == 503 {
            assert_eq!(retry.as_deref(), Some("2"));
            assert!(body.contains("The service is busy"));
        }
        statuses.push(status);
    }
    assert!(statuses.contains(&503), "{statuses:?}");
    assert!(statuses.contains(&200), "the ones that fit are served: {statuses:?}");
}
