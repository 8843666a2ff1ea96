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
        if let Some(m) = a
            .sink
            .find("ada@acme.example", "Reset")
            .into_iter()
            .chain(b.sink.find("ada@acme.example", "Reset"))
            .next()
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
                &[
                    ("token", &token),
                    ("password", "new pass phrase"),
                    ("confirm", "new pass phrase"),
                ],
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
