//! Applications registered from the command line: a client id, a secret shown once and stored
//! only as its hash, exact redirect URIs checked at registration, and an audit event for every
//! change. Through the real binary, on both databases.

use crate::common::fresh_pg_database;
use crate::common::process::{env, run, stderr, stdout};

#[track_caller]
fn refused(o: &std::process::Output, expected: &str) {
    let err = stderr(o);
    assert!(!o.status.success(), "should fail: {}", stdout(o));
    assert!(err.starts_with("latchkey: ") && err.contains(expected), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
}

/// The value of `key=` on its own line of `out`.
fn value(out: &str, key: &str) -> String {
    let prefix = format!("{key}=");
    let line = out.lines().find(|l| l.starts_with(&prefix)).unwrap_or_else(|| panic!("no {key} in {out:?}"));
    line[prefix.len()..].to_string()
}

/// Rows of one column, read through the library on the same database.
async fn column(url: &str, sql: &str) -> Vec<Option<String>> {
    let db = latchkey::store::Db::connect(url, 2, std::time::Duration::from_secs(5)).await.unwrap();
    let rows: Vec<Option<String>> = db.read(|conn| latchkey::store::query(sql).scalars(conn)).unwrap();
    db.close().await;
    rows
}

fn registers_lists_rotates_and_deletes(database_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let env = env(dir.path(), database_url.as_deref(), None);
    let url = database_url.clone().unwrap_or_else(|| format!("sqlite://{}", dir.path().join("latchkey.db").display()));
    let rt = tokio::runtime::Runtime::new().unwrap();
    assert!(run(&env, &["org", "create", "--name", "Acme", "--domain", "acme.example"], None).status.success());

    let create = [
        "app",
        "create",
        "--org",
        "acme.example",
        "--name",
        "Agent Console",
        "--redirect-uri",
        "https://console.acme.example/callback",
        "--redirect-uri",
        "http://localhost:8080/cb",
        "--post-logout-uri",
        "https://console.acme.example/",
        "--require-2fa",
    ];
    let o = run(&env, &create, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.trim_end().lines().count(), 2, "{out}");
    let client_id = value(&out, "client_id");
    let secret = value(&out, "client_secret");
    assert_eq!(client_id.len(), 32);
    assert!(secret.len() >= 43, "256 random bits: {secret}");

    // A public client gets no secret.
    let o = run(
        &env,
        &[
            "app",
            "create",
            "--org",
            "acme.example",
            "--name",
            "Dashboard",
            "--public",
            "--id-token-alg",
            "ES256",
            "--redirect-uri",
            "https://dash.acme.example/cb",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let public_out = stdout(&o);
    assert_eq!(public_out.trim_end().lines().count(), 1, "{public_out}");
    let public_id = value(&public_out, "client_id");

    // Only the secret's hash is stored.
    let stored = rt.block_on(column(&url, "SELECT secret_hash FROM applications ORDER BY id"));
    assert_eq!(stored.len(), 2);
    let hash = stored[0].clone().expect("a confidential client has a hash");
    assert_eq!(hash, latchkey::secrets::hash_token(&secret));
    assert!(!hash.contains(&secret));
    assert_eq!(stored[1], None, "a public client has no secret");

    let o = run(&env, &["app", "list", "--org", "acme.example"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let listed = stdout(&o);
    assert!(listed.contains(&format!("{client_id}  Agent Console  (confidential, requires 2FA)")), "{listed}");
    assert!(listed.contains("redirect: http://localhost:8080/cb https://console.acme.example/callback"), "{listed}");
    assert!(listed.contains("after logout: https://console.acme.example/"), "{listed}");
    assert!(listed.contains(&format!("{public_id}  Dashboard  (public, ES256)")), "{listed}");
    assert!(!listed.contains(&secret), "a secret is never shown again");

    // A new secret replaces the old one.
    let o = run(&env, &["app", "rotate-secret", &client_id], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let new_secret = value(&stdout(&o), "client_secret");
    assert_ne!(new_secret, secret);
    let stored = rt.block_on(column(&url, "SELECT secret_hash FROM applications ORDER BY id"));
    assert_eq!(stored[0].as_deref(), Some(latchkey::secrets::hash_token(&new_secret).as_str()));
    refused(&run(&env, &["app", "rotate-secret", &public_id], None), "Dashboard is a public client: it has no secret");
    refused(&run(&env, &["app", "rotate-secret", "nope"], None), "There is no application with the client id nope.");

    let o = run(&env, &["app", "delete", &public_id], None);
    assert_eq!(stdout(&o).trim(), "Deleted the application Dashboard.");
    refused(&run(&env, &["app", "delete", &public_id], None), "There is no application with the client id");
    let uris = rt.block_on(column(&url, "SELECT uri FROM application_uris ORDER BY uri"));
    assert_eq!(uris.len(), 3, "the deleted application's URIs went with it: {uris:?}");

    let kinds = rt.block_on(column(&url, "SELECT kind FROM audit_events WHERE kind LIKE 'application%' ORDER BY id"));
    let kinds: Vec<String> = kinds.into_iter().flatten().collect();
    assert_eq!(
        kinds,
        ["application_created", "application_created", "application_secret_rotated", "application_deleted"]
    );
}

/// `latchkey signing-key rotate`: a new current key of each algorithm, the old ones retired
/// (still published for a while), an audit event.
fn rotates_the_signing_keys(database_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let env = env(dir.path(), database_url.as_deref(), None);
    let url = database_url.clone().unwrap_or_else(|| format!("sqlite://{}", dir.path().join("latchkey.db").display()));
    let rt = tokio::runtime::Runtime::new().unwrap();
    assert!(run(&env, &["migrate"], None).status.success());
    let first = rt.block_on(column(&url, "SELECT kid FROM signing_keys ORDER BY alg"));
    assert_eq!(first.len(), 2, "the first start made one RS256 and one ES256 key");
    let o = run(&env, &["signing-key", "rotate"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("New signing keys: ") && out.contains("stay published"), "{out}");
    let retired = rt.block_on(column(&url, "SELECT kid FROM signing_keys WHERE retired_at IS NOT NULL ORDER BY alg"));
    assert_eq!(retired, first);
    let current = rt.block_on(column(&url, "SELECT kid FROM signing_keys WHERE retired_at IS NULL"));
    assert!(current.iter().flatten().all(|k| out.contains(k.as_str())), "{out}");
    // The private keys are stored encrypted: no PEM or DER header in the clear.
    let stored = rt.block_on(column(&url, "SELECT private_key FROM signing_keys"));
    assert!(stored.iter().flatten().all(|k| !k.contains("PRIVATE") && !k.starts_with("MII")), "{stored:?}");
    let kinds = rt.block_on(column(&url, "SELECT kind FROM audit_events WHERE kind = 'signing_key_rotated'"));
    assert_eq!(kinds.len(), 1);
}

#[test]
fn signing_keys_are_rotated_from_the_command_line_on_sqlite() {
    rotates_the_signing_keys(None);
}

#[tokio::test]
async fn signing_keys_are_rotated_from_the_command_line_on_postgres() {
    let url = fresh_pg_database().await;
    tokio::task::spawn_blocking(move || rotates_the_signing_keys(Some(url))).await.unwrap();
}

#[test]
fn applications_are_registered_from_the_command_line_on_sqlite() {
    registers_lists_rotates_and_deletes(None);
}

#[tokio::test]
async fn applications_are_registered_from_the_command_line_on_postgres() {
    let url = fresh_pg_database().await;
    tokio::task::spawn_blocking(move || registers_lists_rotates_and_deletes(Some(url))).await.unwrap();
}

#[test]
fn bad_registrations_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let env = env(dir.path(), None, None);
    assert!(run(&env, &["org", "create", "--name", "Acme", "--domain", "acme.example"], None).status.success());
    let create = |name: &str, uri: &str| {
        run(&env, &["app", "create", "--org", "acme.example", "--name", name, "--redirect-uri", uri], None)
    };
    refused(&create("Console", "http://console.acme.example/cb"), "must use https");
    refused(&create("Console", "/callback"), "is not an absolute URI");
    refused(&create("Console", "https://console.acme.example/cb#top"), "has a fragment");
    refused(&create("Console", "https://me:pw@console.acme.example/cb"), "carries a user name or password");
    refused(&create("  ", "https://console.acme.example/cb"), "Enter the application's name.");
    refused(
        &create("Console", "https://console.acme.example"),
        "Write \"https://console.acme.example\" as \"https://console.acme.example/\"",
    );
    refused(&create("Console", "https://evil.example\\@good.example/cb"), "it is compared exactly");
    let hs256 = [
        "app",
        "create",
        "--org",
        "acme.example",
        "--name",
        "X",
        "--redirect-uri",
        "https://x.example/cb",
        "--id-token-alg",
        "HS256",
    ];
    refused(&run(&env, &hs256, None), "--id-token-alg HS256 is not RS256 or ES256.");
    refused(
        &run(
            &env,
            &["app", "create", "--org", "other.example", "--name", "X", "--redirect-uri", "https://x.example/cb"],
            None,
        ),
        "No organization owns the domain other.example.",
    );
    let o = run(&env, &["app", "create", "--org", "acme.example", "--name", "X"], None);
    assert!(!o.status.success(), "a redirect URI is required");
    assert!(stderr(&o).contains("--redirect-uri"), "{}", stderr(&o));
    assert_eq!(
        stdout(&run(&env, &["app", "list", "--org", "acme.example"], None)).trim(),
        "The organization owning acme.example has no applications."
    );
}

crate::on_both_backends!(an_admin_registers_applications_of_their_own_organization_on_the_web);

/// The text between `before` and the next `<` in `body`.
fn after(body: &str, before: &str) -> String {
    let at = body.find(before).unwrap_or_else(|| panic!("no {before:?}")) + before.len();
    body[at..at + body[at..].find('<').unwrap()].to_string()
}

async fn an_admin_registers_applications_of_their_own_organization_on_the_web(app: crate::common::TestApp) {
    use crate::common::PASSWORD;
    app.create_org("Acme Support", "acme.example").await;
    let mut boss = crate::common::org::admin(&app).await;
    boss.get("/org/applications").await.assert_has("Register an application");
    // A redirect URI that is not https says so, and nothing is registered.
    let bad = boss
        .post("/org/applications", &[("name", "Agent Console"), ("redirect_uris", "http://console.acme.example/cb")])
        .await;
    assert_eq!(bad.status, 400);
    bad.assert_has("must use https");
    bad.assert_has("No applications yet.");
    let form = [
        ("name", "Agent Console"),
        ("redirect_uris", "https://console.acme.example/cb\r\nhttps://console.acme.example/cb2"),
        ("kind", "confidential"),
        ("require_2fa", "on"),
    ];
    let done = boss.post("/org/applications", &form).await;
    assert_eq!(done.status, 200, "{}", done.body);
    done.assert_has("Copy its credentials now");
    let client_id = after(&done.body, "Client ID: <code>");
    let secret = after(&done.body, "Client secret: <code>");
    assert_eq!(client_id.len(), 32);
    let stored = app.texts("SELECT secret_hash FROM applications").await;
    assert_eq!(stored, [Some(latchkey::secrets::hash_token(&secret))], "only the hash is kept");
    // Shown once: the list has the application, never its secret.
    let list = boss.get("/org/applications").await;
    list.assert_has("Agent Console");
    list.assert_has("Requires two-factor authentication");
    list.assert_has("https://console.acme.example/cb2");
    assert!(!list.has(&secret));
    let rotated = boss.post("/org/applications/rotate", &[("client_id", &client_id)]).await;
    let new_secret = after(&rotated.body, "Client secret: <code>");
    assert_ne!(new_secret, secret);

    // Another organization's admin cannot touch it; a member cannot see the page.
    app.create_org("Other", "other.example").await;
    app.create_admin("chief@other.example").await;
    let mut chief = app.browser();
    chief.sign_in("chief@other.example", PASSWORD).await;
    assert!(!chief.get("/org/applications").await.has("Agent Console"));
    for action in ["/org/applications/rotate", "/org/applications/delete"] {
        let refused = chief.post(action, &[("client_id", &client_id)]).await;
        assert_eq!(refused.status, 400, "{action}");
        refused.assert_has("There is no application with the client id");
    }
    app.create_user("ada@acme.example", Some(PASSWORD), true).await;
    let mut ada = app.browser();
    ada.sign_in("ada@acme.example", PASSWORD).await;
    assert_eq!(ada.get("/org/applications").await.status, 404);
    assert_eq!(ada.post("/org/applications/delete", &[("client_id", &client_id)]).await.status, 404);

    let deleted = boss.post("/org/applications/delete", &[("client_id", &client_id)]).await;
    assert_eq!(deleted.path, "/org/applications?notice=deleted");
    deleted.assert_has("No applications yet.");
    let boss_id = app.texts("SELECT CAST(id AS TEXT) FROM users WHERE email = 'boss@acme.example'").await;
    let kinds = app
        .texts(&format!(
            "SELECT kind FROM audit_events WHERE kind LIKE 'application%' AND user_id = {} ORDER BY id",
            boss_id[0].clone().unwrap()
        ))
        .await;
    let kinds: Vec<String> = kinds.into_iter().flatten().collect();
    assert_eq!(kinds, ["application_created", "application_secret_rotated", "application_deleted"]);
}
