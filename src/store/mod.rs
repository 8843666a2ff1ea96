//! The only place with SQL. One module per table family; every function takes a connection
//! (or a transaction), so the caller decides the transaction boundary.
//!
//! SQLite and PostgreSQL share one code path through sqlx's `Any` driver: queries use `$N`
//! placeholders (which both understand) and only TEXT and BIGINT columns. On SQLite, writes go
//! through a pool of one connection, so write transactions queue instead of failing as busy.
//! Errors that mean the database cannot be used now (a full disk, a read-only file, a lost
//! server) become `StoreError::Unavailable`, answered with 503; see `health`.

pub mod apps;
pub mod audit;
pub mod bulk;
pub mod codes;
pub mod consents;
pub mod factors;
pub mod grants;
pub mod health;
pub mod links;
pub mod orgs;
pub mod outbox;
pub mod pending;
pub mod sessions;
pub mod signing_keys;
pub mod throttle;
pub mod touches;
mod tx;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool};

pub use health::Health;
pub use tx::Tx;

pub type Conn = sqlx::AnyConnection;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(sqlx::Error),
    /// The database cannot be used now (full disk, read-only file, server gone); it may be
    /// again without any change here.
    #[error("database unavailable: {0}")]
    Unavailable(sqlx::Error),
    /// No connection (or SQLite write lock) within the time allowed: busy, or not answering.
    #[error("database busy: {0}")]
    Busy(sqlx::Error),
    /// A transaction was used after it ended (a bug).
    #[error("the transaction has already ended")]
    Finished,
    /// A unique constraint refused the row; the string names what was taken.
    #[error("{0} is already taken")]
    Conflict(&'static str),
    #[error("database migration {0} failed: {1}")]
    Migration(i64, sqlx::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if health::is_unavailable(&e) {
            StoreError::Unavailable(e)
        } else if health::is_busy(&e) {
            StoreError::Busy(e)
        } else {
            StoreError::Db(e)
        }
    }
}

impl StoreError {
    /// The database cannot be used now: unavailable, or busy past `--database-timeout` (which is
    /// also how a PostgreSQL server that is down shows once its connections are gone). Both are
    /// refused with 503 and recorded as an outage (ended by the next write probe that commits).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_) | StoreError::Busy(_))
    }
}

/// Turns a unique-constraint violation into a `Conflict` naming what was taken.
pub(crate) fn on_unique<T>(r: std::result::Result<T, sqlx::Error>, what: &'static str) -> Result<T> {
    r.map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(what),
        _ => StoreError::from(e),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// The database: a pool for reads and, on SQLite, a single-connection pool for writes.
#[derive(Clone)]
pub struct Db {
    read: AnyPool,
    write: AnyPool,
    pub dialect: Dialect,
    health: Health,
}

const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../../migrations/0001_init.sql")),
    (2, "two_factor", include_str!("../../migrations/0002_two_factor.sql")),
    (3, "authenticator", include_str!("../../migrations/0003_authenticator.sql")),
    (4, "org_policy", include_str!("../../migrations/0004_org_policy.sql")),
    (5, "guessing_and_health", include_str!("../../migrations/0005_guessing_and_health.sql")),
    (6, "signin_state", include_str!("../../migrations/0006_signin_state.sql")),
    (7, "applications", include_str!("../../migrations/0007_applications.sql")),
    (8, "openid_connect", include_str!("../../migrations/0008_openid_connect.sql")),
];

impl Db {
    /// Opens the pools; a request waits at most `timeout` for a connection (then: unavailable).
    pub async fn connect(url: &str, max_connections: u32, timeout: Duration) -> Result<Self> {
        sqlx::any::install_default_drivers();
        if url.starts_with("sqlite:") {
            let url = sqlite_url(url);
            let opts = AnyConnectOptions::from_str(&url)?;
            let health = Health::default();
            let options = |n: u32| {
                AnyPoolOptions::new()
                    .max_connections(n)
                    .acquire_timeout(timeout)
                    // A connection to a local file does not go stale; pinging it before each
                    // use would double the round trips to its worker thread.
                    .test_before_acquire(false)
                    .after_connect(|conn, _| Box::pin(sqlite_pragmas(conn)))
            };
            // While the database cannot be written, the writer is opened afresh for each use: a
            // SQLite connection that met the file read-only can stay read-only (its journal
            // opened read-only) after the file is writable again, refusing every write until a
            // restart. Seen in the read-only fault test about one run in three under load.
            let failing = health.clone();
            let write = options(1)
                .before_acquire(move |_, _| {
                    let fresh_needed = failing.failing();
                    Box::pin(async move { Ok(!fresh_needed) })
                })
                .connect_with(opts.clone())
                .await?;
            sqlx::raw_sql("PRAGMA journal_mode = WAL").execute(&write).await?;
            let read = options(max_connections.max(2)).connect_with(opts.clone()).await?;
            Ok(Self { read, write, dialect: Dialect::Sqlite, health })
        } else {
            let pool =
                AnyPoolOptions::new().max_connections(max_connections).acquire_timeout(timeout).connect(url).await?;
            Ok(Self { read: pool.clone(), write: pool, dialect: Dialect::Postgres, health: Health::default() })
        }
    }

    /// A connection for reads (and single-statement writes on PostgreSQL).
    pub async fn read(&self) -> Result<PoolConnection<Any>> {
        Ok(self.read.acquire().await?)
    }

    /// A connection for a single write statement outside a transaction.
    pub async fn write(&self) -> Result<PoolConnection<Any>> {
        Ok(self.write.acquire().await?)
    }

    /// A write transaction. Never open a second one while holding one (SQLite has one writer).
    pub async fn begin(&self) -> Result<Tx> {
        Tx::begin(&self.write, self.dialect, &self.health).await
    }

    /// The record of the current outage, shared by every clone.
    pub fn health(&self) -> &Health {
        &self.health
    }

    /// Records `e` if it says the database cannot be used (logged once per outage); true then:
    /// the caller need not log it itself.
    pub fn note(&self, e: &StoreError) -> bool {
        if e.is_unavailable() {
            self.health.failed(e);
        }
        e.is_unavailable()
    }

    /// Whether the database can be read.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    /// Whether the database can be written: one committed update of a one-row table. A full
    /// disk or a read-only file fails it, as it fails every other write.
    /// A probe that commits ends the current outage (see `health`).
    pub async fn probe_write(&self, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        // The counter makes every probe change the row (an update to the same value might
        // write nothing, and so succeed on a full disk).
        sqlx::query("UPDATE health_probe SET checked_at = $1, probes = probes + 1 WHERE id = 1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.health.recovered();
        Ok(())
    }

    /// While an outage lasts, probes once a second, so that its end is seen (and logged) at
    /// once, whether or not anything else writes. Runs until `stop`.
    pub async fn watch_outages(&self, clock: &crate::clock::Clock, mut stop: tokio::sync::watch::Receiver<bool>) {
        let mut warned: Option<std::time::Instant> = None;
        loop {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                changed = stop.changed() => if changed.is_err() { return },
            }
            if *stop.borrow() {
                return;
            }
            if !self.health.failing() {
                continue;
            }
            if let Err(e) = self.probe_write(clock.now()).await {
                // A probe failing for another reason (a permission, a missing table) would keep
                // the outage open silently: said once a minute.
                if !self.note(&e) && warned.is_none_or(|t| t.elapsed() >= Duration::from_secs(60)) {
                    tracing::warn!(error = %e, "the database health probe fails");
                    warned = Some(std::time::Instant::now());
                }
            }
        }
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }

    /// Applies the migrations not applied yet, each in its own transaction. On PostgreSQL an
    /// advisory lock makes processes starting together apply them once.
    pub async fn migrate(&self) -> Result<()> {
        let mut conn = self.write.acquire().await?;
        if self.dialect == Dialect::Postgres {
            sqlx::query("SELECT pg_advisory_lock(7215031)").execute(&mut *conn).await?;
        }
        let result = self.apply_pending(&mut conn).await;
        if self.dialect == Dialect::Postgres {
            sqlx::query("SELECT pg_advisory_unlock(7215031)").execute(&mut *conn).await?;
        }
        result
    }

    async fn apply_pending(&self, conn: &mut Conn) -> Result<()> {
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS latchkey_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
        .execute(&mut *conn)
        .await?;
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM latchkey_migrations").fetch_all(&mut *conn).await?;
        for (version, name, sql) in MIGRATIONS.iter().filter(|(v, _, _)| !applied.contains(v)) {
            let (id, random_hex) = match self.dialect {
                Dialect::Sqlite => ("INTEGER PRIMARY KEY AUTOINCREMENT", "lower(hex(randomblob(16)))"),
                Dialect::Postgres => (
                    "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                    "replace(CAST(gen_random_uuid() AS TEXT), '-', '')",
                ),
            };
            let sql = sql.replace("@ID@", id).replace("@RANDOM_HEX@", random_hex);
            let mut tx = sqlx::Connection::begin(&mut *conn).await?;
            sqlx::raw_sql(&sql).execute(&mut *tx).await.map_err(|e| StoreError::Migration(*version, e))?;
            sqlx::query("INSERT INTO latchkey_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                .bind(version)
                .bind(*name)
                .bind(crate::clock::now())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::info!(version, name, "applied database migration");
        }
        Ok(())
    }
}

/// Per-connection SQLite settings: wait for the writer instead of failing, keep foreign keys.
async fn sqlite_pragmas(conn: &mut Conn) -> std::result::Result<(), sqlx::Error> {
    for pragma in ["PRAGMA busy_timeout = 10000", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"] {
        sqlx::query(pragma).execute(&mut *conn).await?;
    }
    Ok(())
}

/// `sqlite://PATH` with the file created when missing.
fn sqlite_url(url: &str) -> String {
    if url.contains('?') || url.contains(":memory:") {
        url.to_string()
    } else {
        format!("{url}?mode=rwc")
    }
}
