//! The command line: creating organizations and users, settings errors, help, migrations and
//! a graceful stop.

use std::time::{Duration, Instant};

use crate::common::process::{env, run, stderr, stdout, ServeProcess};
use crate::common::{fresh_pg_database, PASSWORD};

/// A failed command says one sentence on stderr, prefixed with the program name, and no panic.
#[track_caller]
fn assert_refused(o: &std::process::Output, expected: &str) {
    let err = stderr(o);
    assert!(!o.status.success(), "should fail: {err}");
    assert!(err.starts_with("latchkey: ") && err.contains(expected), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{err}");
}

fn creates_organizations_and_users(database_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let env = env(dir.path(), database_url.as_deref(), None);
    let o = run(&env, &["org", "create", "--name", "Acme Support", "--domain", "Acme.Example"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "Created the organization Acme Support for the domain acme.example.");
    assert_refused(
        &run(&env, &["org", "create", "--name", "Other", "--domain", "acme.example"], None),
        "An organization already owns the domain acme.example.",
    );
    assert_refused(
        &run(&env, &["org", "create", "--name", "Other", "--domain", "acme"], None),
        "Enter a domain like example.com.",
    );

    let o = run(
        &env,
        &["user", "create", "--email", "boss@acme.example", "--admin", "--verified", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "Created the admin boss@acme.example.");
    assert_refused(
        &run(&env, &["user", "create", "--email", "ada@other.example"], None),
        "No organization owns the domain other.example. Create it first with: latchkey org create --name NAME --domain other.example",
    );
    assert_refused(
        &run(&env, &["user", "create", "--email", "boss@acme.example", "--password-stdin"], Some(PASSWORD)),
        "An account with the email boss@acme.example already exists.",
    );
    assert_refused(
        &run(&env, &["user", "create", "--email", "ada@acme.example", "--password-stdin"], Some("123456789")),
        "among the most common",
    );
    assert_refused(
        &run(&env, &["user", "create", "--email", "ada@acme.example", "--password-stdin"], Some("")),
        "No password on standard input.",
    );
    assert_refused(
        &run(&env, &["user", "create", "--email", "not an email"], None),
        "Enter an email address like name@example.com.",
    );
}

#[test]
fn organizations_and_users_are_created_from_the_command_line_on_sqlite() {
    creates_organizations_and_users(None);
}

#[tokio::test]
async fn organizations_and_users_are_created_from_the_command_line_on_postgres() {
    let url = fresh_pg_database().await;
    tokio::task::spawn_blocking(move || creates_organizations_and_users(Some(url))).await.unwrap();
}

#[test]
fn bad_settings_are_reported_in_one_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let env = env(dir.path(), None, None);
    assert_refused(
        &run(&env, &["--bind", "nowhere", "migrate"], None),
        "Setting bind: 'nowhere' is not an address like 127.0.0.1:8080",
    );
    let mut with_bad = env.clone();
    with_bad.push(("LATCHKEY_SESSION_LIFETIME".into(), "soon".into()));
    assert_refused(&run(&with_bad, &["migrate"], None), "Setting session_lifetime: 'soon' is not a duration");
    // A number out of range stops the start with one sentence (it once aborted allocating 4 TiB).
    assert_refused(
        &run(&env, &["--argon2-memory-kib", "4294967295", "migrate"], None),
        "Setting argon2_memory_kib: 4294967295 is out of range; use a value from 1024 to 1048576.",
    );
    let config = dir.path().join("latchkey.toml");
    std::fs::write(&config, "lockout_base = \"2h\"\nlockout_max = \"1m\"\n").unwrap();
    assert_refused(
        &run(&env, &["--config", config.to_str().unwrap(), "migrate"], None),
        "Settings lockout_base (2h) and lockout_max (1m) contradict each other",
    );
    std::fs::write(&config, "bind = \"127.0.0.1:9999\"\nsmtp_host = \"mail\"\n").unwrap();
    assert_refused(&run(&env, &["--config", config.to_str().unwrap(), "migrate"], None), "unknown field 'smtp_host'");
    std::fs::write(&config, "bind = [1, 2]\n").unwrap();
    assert_refused(&run(&env, &["--config", config.to_str().unwrap(), "migrate"], None), "is not valid");
    assert_refused(
        &run(&env, &["--config", "/nonexistent/latchkey.toml", "migrate"], None),
        "Cannot read the configuration file",
    );
    assert_refused(&run(&env, &["--smtp-url", "mail.example", "migrate"], None), "Setting smtp_url: not a URL");
    let mut pg_without_key: Vec<(String, String)> =
        env.iter().filter(|(k, _)| k != "LATCHKEY_SECRET_KEY").cloned().collect();
    pg_without_key.push(("LATCHKEY_DATABASE_URL".into(), "postgres://postgres@127.0.0.1/none".into()));
    assert_refused(&run(&pg_without_key, &["migrate"], None), "set LATCHKEY_SECRET_KEY or --secret-key-file");
    assert_refused(&run(&env, &["--secret-key", "short", "migrate"], None), "The secret key must be 32 bytes");
    // Unknown flags are clap's usage errors: still no panic.
    let o = run(&env, &["serve", "--bnid", "x"], None);
    assert!(!o.status.success() && stderr(&o).contains("unexpected argument '--bnid'"));
}

#[test]
fn serve_help_documents_every_setting() {
    let o = run(&[], &["serve", "--help"], None);
    let help = stdout(&o);
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for flag in [
        "--config",
        "--bind",
        "--public-url",
        "--data-dir",
        "--database-url",
        "--database-max-connections",
        "--smtp-url",
        "--mail-from",
        "--secret-key",
        "--secret-key-file",
        "--trusted-proxies",
        "--argon2-memory-kib",
        "--argon2-iterations",
        "--argon2-parallelism",
        "--hash-concurrency",
        "--hash-queue",
        "--session-idle-timeout",
        "--session-lifetime",
        "--verify-link-ttl",
        "--reset-link-ttl",
        "--invite-link-ttl",
        "--signin-failures-per-account",
        "--signin-failures-per-address",
        "--throttle-window",
        "--lockout-base",
        "--lockout-max",
        "--account-mails-per-hour",
        "--email-code-ttl",
        "--email-code-max-tries",
        "--code-resend-cooldown",
        "--codes-per-hour",
        "--pending-signin-ttl",
        "--second-factor-failures-per-account",
        "--second-factor-failures-per-address",
        "--totp-issuer",
    ] {
        assert!(help.contains(flag), "serve --help lacks {flag}");
        assert!(readme.contains(&format!("`{flag}")), "README lacks {flag}");
        let var = format!("LATCHKEY_{}", flag.trim_start_matches("--").replace('-', "_").to_uppercase());
        assert!(help.contains(&var), "serve --help lacks {var}");
    }
}

#[test]
fn migrate_brings_a_new_database_up_to_date_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let env = env(dir.path(), None, None);
    for _ in 0..2 {
        let o = run(&env, &["migrate"], None);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o).trim(), "The database is up to date.");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_prints_a_setup_link_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let env = env(dir.path(), None, None);
    let mut server = ServeProcess::start(&env, dir.path()).await;
    let start = Instant::now();
    while !server.stdout_text().contains("/setup?token=") {
        assert!(start.elapsed() < Duration::from_secs(10), "no setup link printed: {}", server.stdout_text());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let link = server.stdout_text().lines().find(|l| l.contains("/setup?token=")).unwrap().trim().to_string();
    assert_eq!(reqwest::get(&link).await.unwrap().status(), 200, "the printed link opens the setup page");
    let pid = server.child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());
    let log = server.log_text();
    assert!(log.contains("shutting down") && log.contains("mail worker stopped") && log.contains("stopped"), "{log}");
    assert!(!log.contains("token="), "no secret in the log: {log}");
}

#[test]
fn the_two_factor_policy_and_a_members_reset_work_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let env = env(dir.path(), None, None);
    assert!(run(&env, &["org", "create", "--name", "Acme", "--domain", "acme.example"], None).status.success());
    assert!(run(
        &env,
        &["user", "create", "--email", "ada@acme.example", "--verified", "--password-stdin"],
        Some(PASSWORD)
    )
    .status
    .success());
    let on = run(
        &env,
        &["org", "require-2fa", "acme.example", "--on", "--grace-days", "3", "--methods", "authenticator"],
        None,
    );
    assert!(on.status.success(), "{}", stderr(&on));
    assert_eq!(
        stdout(&on).trim(),
        "Acme now requires two-factor authentication; 1 members have no allowed method yet."
    );
    assert_refused(
        &run(&env, &["org", "require-2fa", "acme.example", "--on", "--methods", "sms"], None),
        "--methods: 'sms' is not a method",
    );
    assert_refused(
        &run(&env, &["org", "require-2fa", "nowhere.example", "--on"], None),
        "No organization owns the domain nowhere.example.",
    );
    let off = run(&env, &["org", "require-2fa", "acme.example", "--off"], None);
    assert_eq!(stdout(&off).trim(), "Acme no longer requires two-factor authentication.");
    let o = run(&env, &["org", "require-2fa", "acme.example"], None);
    assert!(!o.status.success() && stderr(&o).contains("--on"), "one of --on and --off is needed");

    let reset = run(&env, &["user", "reset-2fa", "ada@acme.example"], None);
    assert!(reset.status.success(), "{}", stderr(&reset));
    assert!(stdout(&reset).contains("Reset two-factor authentication for ada@acme.example"));
    let mail: Vec<_> = std::fs::read_dir(dir.path().join("outbox")).unwrap().collect();
    assert_eq!(mail.len(), 1, "the member is emailed");
    assert_refused(
        &run(&env, &["user", "reset-2fa", "nobody@acme.example"], None),
        "There is no account with the email nobody@acme.example.",
    );
}

#[test]
fn an_organization_is_created_with_its_members_language_and_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    let env = env(dir.path(), None, None);
    assert_refused(
        &run(
            &env,
            &["org", "create", "--name", "Acme", "--domain", "acme.example", "--time-zone", "Asia/Atlantis"],
            None,
        ),
        "\"Asia/Atlantis\" is not a time zone.",
    );
    assert_refused(
        &run(&env, &["org", "create", "--name", "Acme", "--domain", "acme.example", "--language", "fr"], None),
        "Choose one of the languages: en (English) or id (Bahasa Indonesia).",
    );
    let args = [
        "org",
        "create",
        "--name",
        "Acme",
        "--domain",
        "acme.example",
        "--language",
        "id",
        "--time-zone",
        "Asia/Jakarta",
    ];
    let o = run(&env, &args, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let db = rusqlite::Connection::open(dir.path().join("latchkey.db")).unwrap();
    let (lang, zone): (Option<String>, String) =
        db.query_row("SELECT language, time_zone FROM organizations", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!((lang.as_deref(), zone.as_str()), (Some("id"), "Asia/Jakarta"));
}
