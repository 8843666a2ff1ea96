//! Several Latchkey processes on one PostgreSQL database behave as one service.

use crate::common::{Backend, Browser, TestApp, PASSWORD};

async fn two_apps() -> (TestApp, TestApp) {
    let a = TestApp::spawn(Backend::Postgres).await;
    let b = TestApp::spawn_on(Backend::Postgres, a.database_url.clone(), |_| {}).await;
    a.with_member("ada@acme.example", true).await;
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_started_on_one_process_works_on_another_and_ends_on_both() {
    let (a, b) = two_apps().await;
    let mut on_a = a.browser();
    on_a.sign_in("ada@acme.example", PASSWORD).await;
    let token = on_a.cookie("latchkey_session").unwrap();
    let mut on_b = Browser::new(&b.url);
    on_b.set_cookie("latchkey_session", &token);
    assert_eq!(on_b.get("/account").await.path, "/account");
    on_a.post("/logout", &[]).await;
    assert_eq!(on_b.get("/account").await.path, "/login");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_on_two_processes_add_up_to_one_lockout() {
    let (a, b) = two_apps().await;
    let (mut on_a, mut on_b) = (a.browser(), Browser::new(&b.url));
    for _ in 0..5 {
        assert_eq!(on_a.sign_in("ada@acme.example", "wrong password").await.status, 400);
        let last = on_b.sign_in("ada@acme.example", "wrong password").await;
        assert!(last.status == 400 || last.status == 429);
    }
    assert_eq!(on_a.sign_in("ada@acme.example", PASSWORD).await.status, 429);
    assert_eq!(on_b.sign_in("ada@acme.example", PASSWORD).await.status, 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_submitted_to_two_processes_at_once_works_once() {
    let (a, b) = two_apps().await;
    let mut on_a = a.browser();
    on_a.get("/forgot-password").await;
    on_a.post("/forgot-password", &[("email", "ada@acme.example")]).await;
    // Either process's worker may send it; each has its own sink.
    let mail = loop {
        if let Some(m) =
            a.sink.find("ada@acme.example", "Reset").into_iter().chain(b.sink.find("ada@acme.example", "Reset")).next()
        {
            break m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let token = mail.link().split("token=").nth(1).unwrap().to_string();
    let mut tabs = Vec::new();
    for url in [a.url.clone(), b.url.clone(), a.url.clone(), b.url.clone()] {
        let mut t = Browser::new(&url);
        t.get(&mail.link_path()).await;
        let token = token.clone();
        tabs.push(tokio::spawn(async move {
            t.post(
                "/reset-password",
                &[("token", &token), ("password", "new pass phrase"), ("confirm", "new pass phrase")],
            )
            .await
            .path
        }));
    }
    let mut ok = 0;
    for t in tabs {
        ok += usize::from(t.await.unwrap().starts_with("/login?notice=password-reset"));
    }
    assert_eq!(ok, 1);
    assert_eq!(
        a.sink.find("ada@acme.example", "Reset").len() + b.sink.find("ada@acme.example", "Reset").len(),
        1,
        "sent once"
    );
}

/// The `n`-th code mailed to `to` through either process (each process's worker may send it).
async fn code_from_either(a: &TestApp, b: &TestApp, to: &str, n: usize) -> String {
    let start = std::time::Instant::now();
    loop {
        let mut mails = a.sink.find(to, "Your verification code");
        mails.extend(b.sink.find(to, "Your verification code"));
        if mails.len() >= n {
            // Both sinks number their files in arrival order; codes are told apart by count only.
            return mails.last().unwrap().code();
        }
        assert!(start.elapsed().as_secs() < 20, "no code #{n}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn two_apps_with_two_factor() -> (TestApp, TestApp) {
    let (a, b) = two_apps().await;
    let mut on_a = a.browser();
    on_a.sign_in("ada@acme.example", PASSWORD).await;
    on_a.get("/account/two-factor/enable").await;
    on_a.post("/account/two-factor/enable/send", &[]).await;
    let code = code_from_either(&a, &b, "ada@acme.example", 1).await;
    on_a.post("/account/two-factor/enable/confirm", &[("code", &code)]).await.assert_has("Your Recovery Key");
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_used_through_one_process_is_refused_through_the_other() {
    let (a, b) = two_apps_with_two_factor().await;
    let mut first = a.browser();
    assert_eq!(first.sign_in("ada@acme.example", PASSWORD).await.path, "/login/verify");
    let code = code_from_either(&a, &b, "ada@acme.example", 2).await;
    // A second sign-in at once, on the other process: it gets a code of its own.
    let mut second = Browser::new(&b.url);
    assert_eq!(second.sign_in("ada@acme.example", PASSWORD).await.path, "/login/verify");
    let second_code = code_from_either(&a, &b, "ada@acme.example", 3).await;
    let pending = first.cookie_at("latchkey_pending", "/login/verify").unwrap();
    let mut first_on_b = Browser::new(&b.url);
    first_on_b.get("/login").await;
    first_on_b.set_cookie("latchkey_pending", &pending);
    assert_eq!(
        first_on_b.post("/login/verify", &[("code", &code)]).await.path,
        "/account",
        "a pending sign-in started on A completes on B"
    );
    // The same pending sign-in through A: it is over, whatever the code.
    let replay = first.post("/login/verify", &[("code", &code)]).await;
    assert!(replay.path.starts_with("/login"), "{}", replay.path);
    assert_ne!(replay.path, "/login/verify");
    // The first sign-in's code is not the second's.
    if code != second_code {
        let other = second.post("/login/verify", &[("code", &code)]).await;
        assert_eq!(other.status, 400);
        other.assert_has("The code is not correct.");
    }
    assert_eq!(second.post("/login/verify", &[("code", &second_code)]).await.path, "/account");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_codes_on_two_processes_add_up_to_one_second_step_lock() {
    let (a, b) = two_apps_with_two_factor().await;
    let mut on_a = a.browser();
    on_a.sign_in("ada@acme.example", PASSWORD).await;
    let pending = on_a.cookie_at("latchkey_pending", "/login/verify").unwrap();
    let mut on_b = Browser::new(&b.url);
    on_b.get("/login").await;
    on_b.set_cookie("latchkey_pending", &pending);
    on_a.get("/login/verify").await;
    let code = code_from_either(&a, &b, "ada@acme.example", 2).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };

    let mut statuses = Vec::new();
    for i in 0..5 {
        let page = if i % 2 == 0 {
            on_a.post("/login/verify", &[("code", wrong)]).await
        } else {
            on_b.post("/login/verify", &[("code", wrong)]).await
        };
        statuses.push(page.status);
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert_eq!(on_b.post("/login/verify", &[("code", wrong)]).await.status, 429);
    assert_eq!(on_a.post("/login/verify", &[("code", wrong)]).await.status, 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_code_accepted_by_one_process_is_refused_as_a_replay_by_the_other() {
    let (a, b) = two_apps().await;
    let mut on_a = a.browser();
    on_a.sign_in("ada@acme.example", PASSWORD).await;
    let (secret, _) = crate::common::authenticator::set_up(&a, &mut on_a).await;
    on_a.post("/logout", &[]).await;
    // Both processes' clocks move together, past the step used by the set-up.
    a.state.clock.advance(30);
    b.state.clock.advance(30);
    let code = crate::common::authenticator::code_at(&a, &secret, 0);
    let mut first = a.browser();
    assert_eq!(first.sign_in("ada@acme.example", PASSWORD).await.path, "/login/verify");
    let mut second = Browser::new(&b.url);
    assert_eq!(second.sign_in("ada@acme.example", PASSWORD).await.path, "/login/verify");
    assert_eq!(first.post("/login/verify", &[("code", &code), ("method", "app")]).await.path, "/account");
    let replay = second.post("/login/verify", &[("code", &code), ("method", "app")]).await;
    assert_eq!(replay.status, 400);
    replay.assert_has("This code was already used.");
}
