//! The only place with SQL. One module per table family; every function takes a connection
//! (or a transaction), so the caller decides the transaction boundary.
//!
//! SQLite (rusqlite) and PostgreSQL (the `postgres` crate) share one code path (`conn`): a
//! statement is written once with `$N` placeholders, and only TEXT and BIGINT columns are used.
//! The store's work for a request runs as one synchronous unit on the calling thread (`Db::read`,
//! `Db::write`, `Db::tx`, each a closure over a connection), with one handoff per request and
//! none per statement. On SQLite, writes go through a pool of one connection, so write
//! transactions queue instead of failing as busy. Errors that mean the database cannot be used
//! now (a full disk, a read-only file, a lost server) become `StoreError::Unavailable`, answered
//! with 503; see `health`.

pub mod apps;
pub mod audit;
pub mod bulk;
pub mod codes;
pub mod conn;
pub mod consents;
pub mod devices;
pub mod factors;
pub mod grants;
pub mod health;
pub mod links;
pub mod orgs;
pub mod outbox;
pub mod pending;
mod pool;
pub mod security_keys;
pub mod sessions;
pub mod signing_keys;
pub mod throttle;
pub mod touches;
pub mod users;

use std::time::Duration;

pub use conn::{query, Conn, FromRow, Row, Value};
pub use health::Health;

/// A database error as its driver (or the pool) gave it.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0}")]
    Sqlite(rusqlite::Error),
    #[error("{0}")]
    Pg(postgres::Error),
    #[error("no connection within the time allowed: {0}")]
    Pool(r2d2::Error),
    /// The SQLite writer is opened afresh while an outage lasts (see `pool`).
    #[error("the connection is reopened")]
    Reopen,
    #[error("{0}")]
    Config(String),
    /// `Db::close` was called: the process is stopping.
    #[error("the database has been closed")]
    Closed,
}

impl DbError {
    /// A unique constraint refused the row.
    fn is_unique_violation(&self) -> bool {
        match self {
            DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                matches!(e.extended_code, 2067 | 1555)
            }
            DbError::Pg(e) => e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION),
            _ => false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(DbError),
    /// The database cannot be used now (full disk, read-only file, server gone); it may be
    /// again without any change here.
    #[error("database unavailable: {0}")]
    Unavailable(DbError),
    /// No connection (or SQLite write lock) within the time allowed: busy, or not answering.
    #[error("database busy: {0}")]
    Busy(DbError),
    /// A transaction was used after it ended (a bug).
    #[error("the transaction has already ended")]
    Finished,
    /// A query that must find a row found none (a bug, or a row deleted meanwhile).
    #[error("no row where one was expected")]
    NoRow,
    /// A stored value could not be read as what it stands for (a bug, or a newer version's).
    #[error("a stored value cannot be read: {0}")]
    Decode(String),
    /// A unique constraint refused the row; the string names what was taken.
    #[error("{0} is already taken")]
    Conflict(&'static str),
    #[error("database migration {0} failed: {1}")]
    Migration(i64, DbError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<DbError> for StoreError {
    fn from(e: DbError) -> Self {
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

    /// Whether the connection it happened on may be unusable (a lost server, an I/O error).
    pub(crate) fn breaks_connection(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }
}

/// Turns a unique-constraint violation into a `Conflict` naming what was taken.
pub(crate) fn on_unique<T>(r: Result<T>, what: &'static str) -> Result<T> {
    r.map_err(|e| match e {
        StoreError::Db(d) if d.is_unique_violation() => StoreError::Conflict(what),
        other => other,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
enum Pool {
    Sqlite(r2d2::Pool<pool::SqliteManager>),
    Pg(r2d2::Pool<pool::PgManager>),
}

impl Pool {
    fn get(&self) -> Result<Conn> {
        match self {
            Pool::Sqlite(p) => p.get().map(Conn::Sqlite),
            Pool::Pg(p) => p.get().map(Conn::Pg),
        }
        .map_err(|e| StoreError::Busy(DbError::Pool(e)))
    }
}

/// Runs `f` where it may block: on the runtime's thread, moved out of the way of the other
/// tasks (`block_in_place`: one handoff, and `f` may borrow); on a single-threaded runtime, on a
/// thread of its own (the PostgreSQL driver blocks on a runtime of its own, which may not be
/// entered from a runtime's thread).
pub fn blocking<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        Ok(_) => std::thread::scope(|s| match s.spawn(f).join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        }),
        Err(_) => f(),
    }
}

/// The database: a pool for reads and, on SQLite, a single-connection pool for writes.
#[derive(Clone)]
pub struct Db {
    read: Pool,
    write: Pool,
    pub dialect: Dialect,
    health: Health,
    closed: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// SQLite in WAL mode: `lookup` may run on the calling thread.
    inline_reads: bool,
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
    (9, "security_keys", include_str!("../../migrations/0009_security_keys.sql")),
    (10, "language_and_time_zone", include_str!("../../migrations/0010_language_and_time_zone.sql")),
    (11, "known_devices", include_str!("../../migrations/0011_known_devices.sql")),
];

impl Db {
    /// Opens the pools; a request waits at most `timeout` for a connection (then: unavailable).
    pub async fn connect(url: &str, max_connections: u32, timeout: Duration) -> Result<Self> {
        let url = url.to_string();
        blocking(move || Self::open(&url, max_connections, timeout))
    }

    fn open(url: &str, max_connections: u32, timeout: Duration) -> Result<Self> {
        let health = Health::default();
        if let Some(path) = sqlite_path(url) {
            let reader = pool::SqliteManager { path: path.clone(), reopen_while: None };
            let writer = pool::SqliteManager { path, reopen_while: Some(health.clone()) };
            let write = pool::builder(1, timeout).build(writer).map_err(|e| StoreError::from(DbError::Pool(e)))?;
            let conn = write.get().map_err(|e| StoreError::from(DbError::Pool(e)))?;
            // A file system without shared memory for the WAL index keeps another journal mode,
            // where readers wait for the writer: then no read runs on the runtime's thread.
            let mode: String =
                conn.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(conn::sqlite_error)?;
            let inline_reads = mode.eq_ignore_ascii_case("wal");
            if !inline_reads {
                tracing::warn!(journal_mode = %mode, "SQLite could not use WAL; reads wait for writes");
            }
            drop(conn);
            let read = pool::builder(max_connections.max(2), timeout)
                .build(reader)
                .map_err(|e| StoreError::from(DbError::Pool(e)))?;
            Ok(Self {
                read: Pool::Sqlite(read),
                write: Pool::Sqlite(write),
                dialect: Dialect::Sqlite,
                health,
                closed: Default::default(),
                inline_reads,
            })
        } else {
            let config: postgres::Config =
                url.parse().map_err(|e: postgres::Error| StoreError::from(DbError::Config(e.to_string())))?;
            let pool = pool::builder(max_connections, timeout)
                .build(pool::PgManager { config })
                .map_err(|e| StoreError::from(DbError::Pool(e)))?;
            Ok(Self {
                read: Pool::Pg(pool.clone()),
                write: Pool::Pg(pool),
                dialect: Dialect::Postgres,
                health,
                closed: Default::default(),
                inline_reads: false,
            })
        }
    }

    /// Runs `f` over a connection for reads (and single-statement writes on PostgreSQL), off
    /// the runtime's thread.
    pub fn read<T: Send, E: From<StoreError> + Send>(
        &self,
        f: impl FnOnce(&mut Conn) -> std::result::Result<T, E> + Send,
    ) -> std::result::Result<T, E> {
        blocking(|| {
            let mut conn = self.get(&self.read)?;
            f(&mut conn)
        })
    }

    /// `read`, for the reads of every request that are a few index lookups with small results
    /// (the session of a cookie, an access token, a client, the page's lists of ten). On SQLite
    /// in WAL mode, with an idle connection at hand, they run right here: a WAL reader does not
    /// wait for the writer, and such reads take microseconds, less than the two thread switches
    /// of a handoff (docs/BENCHMARKS.md). Anything that may scan, waiting for a connection, and
    /// PostgreSQL's round trips use `read`.
    pub fn lookup<T: Send, E: From<StoreError> + Send>(
        &self,
        f: impl FnOnce(&mut Conn) -> std::result::Result<T, E> + Send,
    ) -> std::result::Result<T, E> {
        if let (Pool::Sqlite(pool), true) = (&self.read, self.inline_reads) {
            if !self.closed.load(std::sync::atomic::Ordering::Acquire) {
                if let Some(conn) = pool.try_get() {
                    return f(&mut Conn::Sqlite(conn));
                }
            }
        }
        self.read(f)
    }

    /// Runs `f` over the writer's connection, outside a transaction (single statements).
    pub fn write<T: Send, E: From<StoreError> + Send>(
        &self,
        f: impl FnOnce(&mut Conn) -> std::result::Result<T, E> + Send,
    ) -> std::result::Result<T, E> {
        blocking(|| {
            let mut conn = self.get(&self.write)?;

            f(&mut conn)
        })
    }

    /// Runs `f` in a write transaction: committed when `f` returns `Ok`, rolled back when it
    /// returns `Err` (or panics: its connection is then closed). Never open a second one while
    /// inside one (SQLite has one writer).
    ///
    /// A transaction is begun, committed and rolled back by plain statements (`BEGIN IMMEDIATE`
    /// on SQLite, so that one that reads first cannot fail half-way because another process
    /// wrote), and a connection whose COMMIT or ROLLBACK failed is closed instead of going back
    /// to the pool: SQLite may keep a transaction open after a failed COMMIT (a full disk, a
    /// read-only file), and a connection left inside one would make every later "transaction"
    /// part of it, acknowledged and never written.
    pub fn tx<T: Send, E: From<StoreError> + Send>(
        &self,
        f: impl FnOnce(&mut Conn) -> std::result::Result<T, E> + Send,
    ) -> std::result::Result<T, E> {
        blocking(|| {
            let mut conn = self.get(&self.write)?;
            let begin = match self.dialect {
                Dialect::Sqlite => "BEGIN IMMEDIATE",
                Dialect::Postgres => "BEGIN",
            };
            if let Err(e) = conn.batch(begin) {
                conn.mark_broken();
                return Err(self.failed(e).into());
            }
            conn.set_in_transaction(true);
            match f(&mut conn) {
                Ok(v) => match conn.batch("COMMIT") {
                    Ok(()) => {
                        conn.set_in_transaction(false);
                        Ok(v)
                    }
                    Err(e) => {
                        // Whether the rollback works or not, the connection is closed next.
                        let _ = conn.batch("ROLLBACK");
                        conn.mark_broken();
                        tracing::debug!("COMMIT failed; the connection is closed");
                        Err(self.failed(e).into())
                    }
                },
                Err(e) => {
                    if conn.batch("ROLLBACK").is_ok() {
                        conn.set_in_transaction(false);
                    } else {
                        conn.mark_broken();
                    }
                    Err(e)
                }
            }
        })
    }

    /// Records a failure of the database itself with the outage, and passes it on.
    fn failed(&self, e: StoreError) -> StoreError {
        if e.is_unavailable() {
            self.health.failed(&e);
        }
        e
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
        self.read(|c| query("SELECT 1").scalar::<i64>(c).map(|_| ()))
    }

    /// Whether the database can be written: one committed update of a one-row table. A full
    /// disk or a read-only file fails it, as it fails every other write.
    /// A probe that commits ends the current outage (see `health`).
    pub async fn probe_write(&self, now: i64) -> Result<()> {
        // The counter makes every probe change the row (an update to the same value might
        // write nothing, and so succeed on a full disk).
        self.tx(|c| {
            query("UPDATE health_probe SET checked_at = $1, probes = probes + 1 WHERE id = 1").bind(now).execute(c)
        })?;
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

    /// Refuses every later use (as unavailable); the pools close their connections when the
    /// last handle goes.
    pub async fn close(&self) {
        self.closed.store(true, std::sync::atomic::Ordering::Release);
    }

    /// A connection from `pool`, unless the database was closed.
    fn get(&self, pool: &Pool) -> Result<Conn> {
        if self.closed.load(std::sync::atomic::Ordering::Acquire) {
            return Err(StoreError::Unavailable(DbError::Closed));
        }
        pool.get()
    }

    /// Applies the migrations not applied yet, each in its own transaction. On PostgreSQL an
    /// advisory lock makes processes starting together apply them once.
    pub async fn migrate(&self) -> Result<()> {
        self.write(|conn| {
            if self.dialect == Dialect::Postgres {
                conn.batch("SELECT pg_advisory_lock(7215031)")?;
            }
            let result = self.apply_pending(conn);
            if self.dialect == Dialect::Postgres {
                conn.batch("SELECT pg_advisory_unlock(7215031)")?;
            }
            result
        })
    }

    fn apply_pending(&self, conn: &mut Conn) -> Result<()> {
        conn.batch(
            "CREATE TABLE IF NOT EXISTS latchkey_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )?;
        let applied: Vec<i64> = query("SELECT version FROM latchkey_migrations").scalars(conn)?;
        for (version, name, sql) in MIGRATIONS.iter().filter(|(v, _, _)| !applied.contains(v)) {
            let (id, random_hex) = match self.dialect {
                Dialect::Sqlite => ("INTEGER PRIMARY KEY AUTOINCREMENT", "lower(hex(randomblob(16)))"),
                Dialect::Postgres => (
                    "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                    "replace(CAST(gen_random_uuid() AS TEXT), '-', '')",
                ),
            };
            let sql = sql.replace("@ID@", id).replace("@RANDOM_HEX@", random_hex);
            conn.batch("BEGIN")?;
            let done = conn.batch(&sql).map_err(|e| match e {
                StoreError::Db(d) | StoreError::Unavailable(d) | StoreError::Busy(d) => {
                    StoreError::Migration(*version, d)
                }
                other => other,
            });
            let recorded = done.and_then(|()| {
                query("INSERT INTO latchkey_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                    .bind(*version)
                    .bind(*name)
                    .bind(crate::clock::now())
                    .execute(conn)
            });
            if let Err(e) = recorded {
                let _ = conn.batch("ROLLBACK");
                return Err(e);
            }
            conn.batch("COMMIT")?;
            tracing::info!(version, name, "applied database migration");
        }
        Ok(())
    }
}

/// The file of a `sqlite://PATH` URL (a query such as `?mode=rwc` is ignored: the file is
/// created when missing); None for another kind of URL.
pub fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    Some(rest.split('?').next().unwrap_or(rest).to_string())
}
