//! An existing SQLite data directory made by the previous release (the last one on sqlx, with
//! its eight migrations) opens, migrates in place and keeps working: its organizations and
//! policy, a member's authenticator and Recovery Key, an application's secret and the signing
//! keys. The fixture and how it was made: tests/fixtures/release-2026-12-02/README.md.

use std::path::Path;

use crate::common::authenticator::oath_code;
use crate::common::browser::Browser;
use crate::common::process::{env, run, stderr, stdout, ServeProcess};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/release-2026-12-02");
const PASSWORD: &str = "correct horse battery staple";
const ANA: &str = "ana@acme.test";
const BUDI: &str = "budi@nusantara.test";
const TOTP_SECRET: &str = "PLYLVUMBCAISFUYBDUH25YD7XB7EQFNA";
const RECOVERY_KEY: &str = "NW8G-M3GM-HQS1-DJ3S-VT62-PND2-6KNE";
const CLIENT_ID: &str = "a021b9559b8e631c3c7cdb355d6a71d5";
const CLIENT_SECRET: &str = "EI8kNwW3l94t2rB_kKiLgOx2AYT7TTP74GLuEK7MRZo";
const SIGNING_KEYS: [&str; 2] =
    ["P_JNKAE8qnjijVNpv2M-VQhabK2LjtiADo4FaOYxsig", "z7y4JM6-8J8-WodxiqjvRIRty3K__kzuEhe-KlMQ0ms"];

/// A copy of the fixture's data directory, with the fixture's own secret key file (not the
/// tests' key): the stored authenticator secret and signing keys are encrypted with it.
fn copy_fixture(to: &Path) -> Vec<(String, String)> {
    for name in ["latchkey.db", "secret.key"] {
        std::fs::copy(Path::new(FIXTURE).join(name), to.join(name)).unwrap();
    }
    let mut env = env(to, None, None);
    env.retain(|(k, _)| k != "LATCHKEY_SECRET_KEY");
    env
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[test]
fn the_previous_releases_database_migrates_in_place_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let env = copy_fixture(dir.path());
    let o = run(&env, &["migrate"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("The database is up to date."), "{}", stdout(&o));
    let apps = run(&env, &["app", "list", "--org", "acme.test"], None);
    assert!(apps.status.success(), "{}", stderr(&apps));
    assert!(stdout(&apps).contains(CLIENT_ID) && stdout(&apps).contains("Agent Console"), "{}", stdout(&apps));
    // Opening it again is a no-op: the versions recorded by the old release are recognized.
    let again = run(&env, &["migrate"], None);
    assert!(again.status.success() && stdout(&again).contains("The database is up to date."), "{}", stderr(&again));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_previous_releases_members_applications_and_keys_work_after_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let env = copy_fixture(dir.path());
    let server = ServeProcess::start(&env, dir.path()).await;

    // Ana's authenticator, set up by the old release: its secret decrypts and its code signs in.
    let mut ana = Browser::new(&server.url);
    let step = ana.sign_in(ANA, PASSWORD).await;
    assert_eq!(step.path, "/login/verify", "{}", step.body);
    let code = oath_code(TOTP_SECRET, now());
    let signed_in = ana.post("/login/verify", &[("code", &code), ("method", "app")]).await;
    assert_eq!(signed_in.path, "/account", "{}", signed_in.body);
    let security = ana.get("/account/security").await;
    security.assert_has("Authenticator app");

    // Her Recovery Key from the old release works once and shows the next one.
    let mut other = Browser::new(&server.url);
    other.sign_in(ANA, PASSWORD).await;
    other.get("/login/recovery").await;
    other.post("/login/recovery", &[("recovery_key", RECOVERY_KEY)]).await.assert_has("Here is your new one.");

    // Budi's organization required two-factor authentication: he is still held at the set-up.
    let mut budi = Browser::new(&server.url);
    let held = budi.sign_in(BUDI, PASSWORD).await;
    assert_eq!(held.path, "/account/two-factor/required", "{}", held.body);
    held.assert_has("Set up two-factor authentication");

    // The signing keys still decrypt and are published; the application's secret still verifies.
    let http = reqwest::Client::new();
    let jwks: serde_json::Value =
        http.get(format!("{}/oauth/jwks", server.url)).send().await.unwrap().json().await.unwrap();
    let kids: Vec<&str> = jwks["keys"].as_array().unwrap().iter().filter_map(|k| k["kid"].as_str()).collect();
    for kid in SIGNING_KEYS {
        assert!(kids.contains(&kid), "{kid} in {kids:?}");
    }
    let introspect = |secret: &'static str| {
        http.post(format!("{}/oauth/introspect", server.url))
            .basic_auth(CLIENT_ID, Some(secret))
            .form(&[("token", "not-a-token")])
            .send()
    };
    let ok = introspect(CLIENT_SECRET).await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.json::<serde_json::Value>().await.unwrap()["active"], false);
    assert_eq!(introspect("not-the-secret").await.unwrap().status(), 401);
    assert!(!server.log_text().contains("ERROR"), "{}", server.log_text());
}
