//! Real faults: a full disk and a read-only database file under SQLite, a PostgreSQL server
//! that stops and starts. While the database cannot be written, sign-ins are refused with a
//! clear page (never a cookie that does not work, never "wrong password" for a failure that
//! was not counted); once it can, the same process works again, and every session it handed
//! out exists.

use std::time::Duration;

use crate::common::faults::{until, Ext4, Immutable, OwnPostgres, Tmpfs};
use crate::common::{Backend, Browser, TestApp, PASSWORD};

const REFUSED: &str = "Latchkey cannot save changes right now";
/// What a 503 says when no database connection could be had in time (a server not answering).
const BUSY: &str = "The service is busy";
const EMAIL: &str = "ada@acme.example";

#[derive(Debug, PartialEq)]
enum Tried {
    /// Reached the account page with this session token.
    SignedIn(String),
    /// Refused with the clear 503 page and no session cookie.
    Refused,
    /// "The email or password is not correct."
    WrongPassword,
}

/// One sign-in from a new browser, checked: any answer but these three fails the test.
async fn try_sign_in(app: &TestApp, password: &str) -> Tried {
    let mut b = Browser::new(&app.url);
    let page = b.sign_in(EMAIL, password).await;
    match (page.status, page.path.as_str()) {
        (200, "/account") => Tried::SignedIn(b.cookie("latchkey_session").expect("a session cookie")),
        (503, _) => {
            assert!(page.has(REFUSED) || page.has(BUSY), "a clear refusal:\n{}", page.body);
            assert!(page.header("retry-after").is_some(), "a refusal says when to retry");
            assert_eq!(b.cookie("latchkey_session"), None, "no session cookie with a refusal");
            Tried::Refused
        }
        (400, _) if page.has("The email or password is not correct.") => Tried::WrongPassword,
        _ => panic!("a sign-in must work, or be refused clearly; got {} at {}:\n{}", page.status, page.path, page.body),
    }
}

/// A sign-in that must work; its session token.
async fn signed_in(app: &TestApp) -> String {
    match try_sign_in(app, PASSWORD).await {
        Tried::SignedIn(t) => t,
        other => panic!("the sign-in must work, not {other:?}"),
    }
}

async fn health(app: &TestApp) -> u16 {
    reqwest::get(format!("{}/healthz", app.url)).await.unwrap().status().as_u16()
}

async fn failures_counted(app: &TestApp) -> usize {
    let rows = app.texts("SELECT detail FROM audit_events WHERE kind = 'sign_in_failed'").await;
    rows.into_iter().filter(|d| d.as_deref() == Some("wrong password")).count()
}

/// Signs in while the database cannot be written: refusals only (some attempts may still
/// land while the journal has room), and wrong passwords are either counted or refused.
/// Returns the tokens of sessions handed out and how many wrong passwords were answered as such.
async fn while_broken(app: &TestApp, issued: &mut Vec<String>) -> usize {
    let mut refused = 0;
    for _ in 0..8 {
        match try_sign_in(app, PASSWORD).await {
            Tried::SignedIn(t) => issued.push(t),
            Tried::Refused => refused += 1,
            Tried::WrongPassword => panic!("the right password was called wrong"),
        }
    }
    assert!(refused > 0, "sign-ins must be refused while the database cannot be written");
    let mut told_wrong = 0;
    for _ in 0..4 {
        match try_sign_in(app, "wrong password").await {
            Tried::WrongPassword => told_wrong += 1,
            Tried::Refused => {}
            Tried::SignedIn(_) => panic!("a wrong password signed in"),
        }
    }
    assert_eq!(health(app).await, 503, "/healthz says the database cannot be written");
    told_wrong
}

/// Waits until a sign-in works again in the same process; returns how long that took.
async fn recovery(app: &TestApp, issued: &mut Vec<String>) -> Duration {
    let start = std::time::Instant::now();
    loop {
        match try_sign_in(app, PASSWORD).await {
            Tried::SignedIn(t) => {
                issued.push(t);
                break;
            }
            // Recovery takes well under a second; the margin is for a loaded machine. (A writer
            // that met the read-only file once stayed read-only: that was "no recovery" here
            // about one run in three; the writer is now opened afresh during an outage.)
            Tried::Refused => assert!(start.elapsed() < Duration::from_secs(30), "no recovery within 30 s"),
            Tried::WrongPassword => panic!("the right password was called wrong"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let took = start.elapsed();
    until(Duration::from_secs(10), "/healthz to answer 200", || async { health(app).await == 200 }).await;
    took
}

/// Every session handed out is in the database.
async fn all_stored(app: &TestApp, issued: &[String]) {
    for token in issued {
        let hash = latchkey::secrets::hash_token(token);
        let found = app.texts(&format!("SELECT token_hash FROM sessions WHERE token_hash = '{hash}'")).await;
        assert_eq!(found.len(), 1, "a session that was handed out is missing");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_sign_ins_clearly_and_the_service_recovers_without_a_restart() {
    let disk = Tmpfs::mount(4096);
    let app = TestApp::spawn_with(Backend::Sqlite, |a| a.data_dir = Some(disk.path.clone())).await;
    app.with_member(EMAIL, true).await;
    let mut issued = vec![];
    issued.push(signed_in(&app).await);

    let filler = disk.fill();
    let told_wrong = while_broken(&app, &mut issued).await;
    std::fs::remove_file(filler).unwrap();
    let took = recovery(&app, &mut issued).await;
    println!("full disk: sign-in worked again {took:?} after the space was freed");
    assert_eq!(app.state.db.health().outages(), 1, "one outage, logged once, however many requests failed");

    assert_eq!(failures_counted(&app).await, told_wrong, "every wrong password the user was told of was counted");
    all_stored(&app, &issued).await;
    // And after a restart, from the file itself.
    let url = format!("sqlite://{}", disk.path.join("latchkey.db").display());
    app.stop().await;
    let again = TestApp::spawn_on(Backend::Sqlite, None, |a| {
        a.data_dir = Some(disk.path.clone());
        a.database_url = Some(url);
    })
    .await;
    all_stored(&again, &issued).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_database_refuses_sign_ins_clearly_and_the_service_recovers_without_a_restart() {
    let disk = Ext4::mount(32);
    let app = TestApp::spawn_with(Backend::Sqlite, |a| a.data_dir = Some(disk.path.clone())).await;
    app.with_member(EMAIL, true).await;
    let mut issued = vec![];
    issued.push(signed_in(&app).await);

    let db = disk.path.join("latchkey.db");
    // The database and its journal. (Not the -shm file: SQLite maps it into memory, and a
    // write to a mapped page of an immutable file kills any SQLite process with SIGBUS.)
    let files = ["", "-wal"].map(|s| std::path::PathBuf::from(format!("{}{s}", db.display())));
    let frozen = Immutable::set(&files);
    let told_wrong = while_broken(&app, &mut issued).await;
    drop(frozen);
    let took = recovery(&app, &mut issued).await;
    println!("read-only database: sign-in worked again {took:?} after the files were writable");
    assert_eq!(app.state.db.health().outages(), 1, "one outage, logged once, however many requests failed");

    assert_eq!(failures_counted(&app).await, told_wrong, "every wrong password the user was told of was counted");
    all_stored(&app, &issued).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_postgresql_server_refuses_sign_ins_clearly_and_the_service_recovers_when_it_is_back() {
    let pg = OwnPostgres::start();
    let url = pg.database("latchkey_faults").await;
    let app = TestApp::spawn_on(Backend::Postgres, Some(url), |a| a.database_timeout = Some("2s".into())).await;
    app.with_member(EMAIL, true).await;
    let mut issued = vec![];
    issued.push(signed_in(&app).await);

    pg.down();
    let mut refused = 0;
    for _ in 0..3 {
        match try_sign_in(&app, PASSWORD).await {
            Tried::Refused => refused += 1,
            other => panic!("with the server down a sign-in must be refused, not {other:?}"),
        }
    }
    assert_eq!(refused, 3);
    assert_eq!(health(&app).await, 503);
    pg.up();
    let took = recovery(&app, &mut issued).await;
    println!("PostgreSQL: sign-in worked again {took:?} after the server was back");
    assert_eq!(app.state.db.health().outages(), 1, "one outage, logged once, however many requests failed");
    all_stored(&app, &issued).await;
}

/// Every browser opens the Security page at the same time; their answers (status, body).
async fn security_pages_at_once(browsers: Vec<Browser>) -> (Vec<Browser>, Vec<(u16, String)>) {
    let mut set = tokio::task::JoinSet::new();
    for mut b in browsers {
        set.spawn(async move {
            let page = b.get("/account/security").await;
            (b, (page.status, page.body))
        });
    }
    let mut out = (vec![], vec![]);
    while let Some(done) = set.join_next().await {
        let (b, page) = done.unwrap();
        out.0.push(b);
        out.1.push(page);
    }
    out
}

/// A PostgreSQL restart while the service is idle: the connections it pooled before are dead,
/// and the client only finds out at its next statement. A connection idle for a second is
/// asked first when it is handed out, so no request after the restart meets a dead one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_pooled_before_a_postgresql_restart_do_not_fail_requests_after_it() {
    let pg = OwnPostgres::start();
    let url = pg.database("latchkey_restart").await;
    let app = TestApp::spawn_on(Backend::Postgres, Some(url), |_| {}).await;
    app.with_member(EMAIL, true).await;
    let mut browsers = vec![];
    for _ in 0..6 {
        let mut b = Browser::new(&app.url);
        b.sign_in(EMAIL, PASSWORD).await.assert_has("Manage Account");
        browsers.push(b);
    }
    // Several requests at once, so that the pool holds several connections.
    let (browsers, pages) = security_pages_at_once(browsers).await;
    assert!(pages.iter().all(|(status, _)| *status == 200));
    tokio::time::sleep(Duration::from_millis(1500)).await;

    pg.down();
    pg.up();
    let (_, pages) = security_pages_at_once(browsers).await;
    for (status, body) in &pages {
        assert_eq!(*status, 200, "no request meets a connection from before the restart:\n{body}");
    }
}
