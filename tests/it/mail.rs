//! Mail that is never lost: the outbox survives SMTP outages and a killed process; without
//! SMTP the embedded default writes .eml files and logs the link.

use std::time::Duration;

use crate::common::process::{env, free_port, run, stderr, ServeProcess};
use crate::common::{fresh_pg_database, Browser, SmtpSink, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_queued_mail_on_sqlite() {
    a_killed_server_loses_no_queued_mail(None).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_queued_mail_on_postgres() {
    a_killed_server_loses_no_queued_mail(Some(fresh_pg_database().await)).await
}

async fn a_killed_server_loses_no_queued_mail(database_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let smtp_port = free_port(); // nothing listens here yet: SMTP is down
    let env = env(dir.path(), database_url.as_deref(), Some(smtp_port));
    assert!(run(&env, &["org", "create", "--name", "Acme", "--domain", "acme.example"], None).status.success());
    assert!(run(&env, &["user", "create", "--email", "ada@acme.example", "--password-stdin"], Some(PASSWORD))
        .status
        .success());

    let server = ServeProcess::start(&env, dir.path()).await;
    let mut b = Browser::new(&server.url);
    assert_eq!(b.sign_in("ada@acme.example", PASSWORD).await.path, "/account");
    b.get("/account/security").await;
    b.post("/account/send-verification", &[]).await.assert_has("We have sent you a verification email.");
    // Let the worker try (and fail) at least once, then kill the process without warning.
    let start = std::time::Instant::now();
    while !server.log_text().contains("mail not sent yet") {
        assert!(start.elapsed() < Duration::from_secs(20), "no failed attempt logged: {}", server.log_text());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(server); // SIGKILL

    let sink = SmtpSink::start(dir.path().join("mail"), smtp_port);
    let server = ServeProcess::start(&env, dir.path()).await;
    let mail = sink.wait_for("ada@acme.example", "Verify your email address").await;
    let mut b = Browser::new(&server.url);
    b.get(&mail.link_path()).await.assert_has("Verify email");
    let token = mail.link().split("token=").nth(1).unwrap().to_string();
    b.post("/verify-email", &[("token", &token)]).await.assert_has("Email address verified");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_smtp_mail_is_written_to_the_outbox_folder_and_its_link_logged() {
    let dir = tempfile::tempdir().unwrap();
    let env = env(dir.path(), None, None);
    assert!(run(&env, &["org", "create", "--name", "Acme", "--domain", "acme.example"], None).status.success());
    let out = run(&env, &["user", "create", "--email", "grace@acme.example"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stderr(&out);
    assert!(log.contains("mail written to the local outbox") && log.contains("/reset-password?token="), "{log}");
    let files: Vec<_> = std::fs::read_dir(dir.path().join("outbox")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    let eml = std::fs::read_to_string(&files[0]).unwrap();
    assert!(eml.contains("To: grace@acme.example") && eml.contains("text/plain") && eml.contains("text/html"), "{eml}");
}
