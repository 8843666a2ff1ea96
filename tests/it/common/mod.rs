//! Test helpers: a real app on port 0 with its own fresh database (SQLite file or a new
//! PostgreSQL database) and its own real SMTP server, and a cookie-keeping browser client.

pub mod authenticator;
pub mod browser;
pub mod burst;
pub mod faults;
pub mod org;
pub mod process;
pub mod rp;
pub mod smtp;
pub mod softkey;
pub mod two_factor;
pub mod webdriver;

use latchkey::app::{AppState, Server};
use latchkey::config::{Settings, SettingsArgs};
use latchkey::domain::account::{OrgName, Role};
use latchkey::domain::email::{Domain, EmailAddress};
use latchkey::domain::password::NewPassword;
use latchkey::service::accounts::{self, NewAccount};
use latchkey::store::audit::Actor;

pub use browser::Browser;
pub use smtp::SmtpSink;

/// The key for secrets at rest in tests (32 zero-free bytes, base64).
pub const TEST_KEY: &str = "dGVzdC1rZXktZm9yLWxhdGNoa2V5LXRlc3RzLW9ubHk=";
pub const PASSWORD: &str = "correct horse battery";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server the tests use (trust auth on this kind of machine).
pub fn pg_server() -> String {
    std::env::var("LATCHKEY_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// Creates a fresh, empty PostgreSQL database and returns its URL.
pub async fn fresh_pg_database() -> String {
    let name = format!("latchkey_test_{}", latchkey::secrets::random_hex(8));
    let admin = format!("{}/postgres", pg_server());
    create_database(&admin, &name).await;
    format!("{}/{name}", pg_server())
}

/// Creates the database `name` through the server's database `admin`.
pub async fn create_database(admin: &str, name: &str) {
    let (client, connection) = tokio_postgres::connect(admin, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL must be running for the tests at {admin}: {e}"));
    let connection = tokio::spawn(connection);
    client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    drop(client);
    let _ = connection.await;
}

/// Settings for a test app: fast password hashing, the test key, the given database and SMTP.
pub fn test_args(dir: &std::path::Path, database_url: Option<String>, smtp_port: u16) -> SettingsArgs {
    SettingsArgs {
        data_dir: Some(dir.to_path_buf()),
        database_url,
        smtp_url: Some(format!("smtp://127.0.0.1:{smtp_port}")),
        mail_from: Some("Latchkey <no-reply@latchkey.test>".into()),
        secret_key: Some(TEST_KEY.into()),
        argon2_memory_kib: Some(1024),
        argon2_iterations: Some(1),
        ..Default::default()
    }
}

pub struct TestApp {
    pub url: String,
    pub state: AppState,
    pub sink: SmtpSink,
    pub backend: Backend,
    pub database_url: Option<String>,
    server: Option<Server>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Starts the app with settings changed by `tweak` (on top of the test defaults).
    pub async fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut SettingsArgs)) -> Self {
        let database_url = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(fresh_pg_database().await),
        };
        Self::spawn_on(backend, database_url, tweak).await
    }

    /// Starts another app (another "process") on an existing database.
    pub async fn spawn_on(
        backend: Backend,
        database_url: Option<String>,
        tweak: impl FnOnce(&mut SettingsArgs),
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let sink = SmtpSink::start(dir.path().join("mail"), 0);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut args = test_args(dir.path(), database_url.clone(), sink.port);
        args.bind = Some(addr.to_string());
        tweak(&mut args);
        let settings = Settings::load(&args).unwrap();
        // Tests talk to the socket; the public URL (links in mail, the issuer) is the same unless
        // a test puts a proxy in front.
        let url = format!("http://{addr}");
        let state = AppState::build(settings).await.unwrap();
        let server = Server::start_on(state.clone(), listener).unwrap();
        TestApp { url, state, sink, backend, database_url, server: Some(server), _dir: dir }
    }

    /// Stops this app and starts a fresh one on the same kind of database with other settings.
    pub async fn restart_with(self, tweak: impl FnOnce(&mut SettingsArgs)) -> TestApp {
        let backend = self.backend;
        self.stop().await;
        TestApp::spawn_with(backend, tweak).await
    }

    pub async fn stop(mut self) {
        if let Some(s) = self.server.take() {
            s.shutdown().await;
        }
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.url)
    }

    pub async fn create_org(&self, name: &str, domain: &str) {
        let name = OrgName::parse(name).unwrap();
        let domain = Domain::parse(domain).unwrap();
        accounts::create_org(&self.state, &name, &domain, &Default::default(), &Actor::cli()).await.unwrap();
    }

    /// Creates an organization whose members read `language` (None: their browser's) in `zone`.
    pub async fn create_org_localized(&self, name: &str, domain: &str, language: Option<&str>, zone: &str) {
        let defaults = latchkey::service::accounts::OrgDefaults::parse(language.unwrap_or(""), zone).unwrap();
        let (name, domain) = (OrgName::parse(name).unwrap(), Domain::parse(domain).unwrap());
        accounts::create_org(&self.state, &name, &domain, &defaults, &Actor::cli()).await.unwrap();
    }

    /// Creates a user; with a password it is set directly, without one an invitation is mailed.
    pub async fn create_user(&self, email: &str, password: Option<&str>, verified: bool) -> i64 {
        let email = EmailAddress::parse(email).unwrap();
        let password = password.map(|p| NewPassword::parse(p, p, email.as_str()).unwrap());
        let a = NewAccount { email, role: Role::Member, verified, password };
        accounts::create_user(&self.state, a, &Actor::cli()).await.unwrap().0
    }

    /// An admin with the test password (verified email) in the organization of the domain.
    pub async fn create_admin(&self, email: &str) -> i64 {
        let email = EmailAddress::parse(email).unwrap();
        let password = Some(NewPassword::parse(PASSWORD, PASSWORD, email.as_str()).unwrap());
        let a = NewAccount { email, role: Role::Admin, verified: true, password };
        accounts::create_user(&self.state, a, &Actor::cli()).await.unwrap().0
    }

    /// An organization `acme.example` with one member of the given email and the test password.
    pub async fn with_member(&self, email: &str, verified: bool) -> i64 {
        self.create_org("Acme Support", "acme.example").await;
        self.create_user(email, Some(PASSWORD), verified).await
    }

    /// The audit event kinds of a user, oldest first.
    pub async fn audit_kinds(&self, user_id: i64) -> Vec<String> {
        let rows = self.state.db.read(|conn| latchkey::store::audit::recent(conn, user_id, 1000)).unwrap();
        rows.into_iter().rev().map(|r| r.kind).collect()
    }

    /// Runs a statement that changes data (for a test's own set-up between trials).
    pub async fn exec(&self, sql: &str) {
        self.state.db.write(|conn| latchkey::store::query(sql).execute(conn)).unwrap();
    }

    /// One text column of every row a query returns (for checks on what is stored).
    pub async fn texts(&self, sql: &str) -> Vec<Option<String>> {
        self.state.db.read(|conn| latchkey::store::query(sql).scalars(conn)).unwrap()
    }
}

/// Runs each named `async fn name(app: TestApp)` once on SQLite and once on PostgreSQL, as
/// `name::on_sqlite` and `name::on_postgres`; `with tweak;` first starts the apps with settings
/// changed by `fn tweak(&mut SettingsArgs)`.
#[macro_export]
macro_rules! on_both_backends {
    (with $tweak:ident; $($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_sqlite() {
                    let app = $crate::common::TestApp::spawn_with($crate::common::Backend::Sqlite, super::$tweak).await;
                    super::$name(app).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_postgres() {
                    let app = $crate::common::TestApp::spawn_with($crate::common::Backend::Postgres, super::$tweak).await;
                    super::$name(app).await
                }
            }
        )*
    };
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_sqlite() {
                    super::$name($crate::common::TestApp::spawn($crate::common::Backend::Sqlite).await).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_postgres() {
                    super::$name($crate::common::TestApp::spawn($crate::common::Backend::Postgres).await).await
                }
            }
        )*
    };
}
