//! The connection pools (r2d2): how a connection is opened, set up, checked when it is handed
//! out, and recognised as broken when it comes back (so that it is closed rather than reused).

use std::time::Duration;

use super::conn::{PgConn, SqliteConn};
use super::health::Health;
use super::DbError;

/// Opens SQLite connections to one file.
pub struct SqliteManager {
    pub(super) path: String,
    /// The writer's pool: while an outage lasts, its connection is opened afresh for each use
    /// (one that met the file read-only can stay read-only after the file is writable again).
    pub(super) reopen_while: Option<Health>,
}

impl r2d2::ManageConnection for SqliteManager {
    type Connection = SqliteConn;
    type Error = DbError;

    fn connect(&self) -> Result<SqliteConn, DbError> {
        let conn = rusqlite::Connection::open(&self.path).map_err(DbError::Sqlite)?;
        // Wait for another process's write lock instead of failing at once; fsync at
        // checkpoints, not at every commit (WAL); keep the foreign keys.
        conn.execute_batch("PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
            .map_err(DbError::Sqlite)?;
        // The query planner's stability guarantee: a plan does not depend on the values bound.
        // Without it SQLite re-prepares, on every execution, a cached statement whose plan
        // might (an ORDER BY next to `col = $1`, a sub-select with a bound value): the page's
        // reads spent 70 % of the server's CPU in the parser (docs/BENCHMARKS.md).
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true).map_err(DbError::Sqlite)?;
        conn.set_prepared_statement_cache_capacity(256);
        Ok(SqliteConn { conn, broken: false, fresh: true })
    }

    fn is_valid(&self, conn: &mut SqliteConn) -> Result<(), DbError> {
        // During an outage a connection serves once: the next use gets one opened afresh.
        let fresh = std::mem::replace(&mut conn.fresh, false);
        match &self.reopen_while {
            Some(h) if h.failing() && !fresh => Err(DbError::Reopen),
            _ => Ok(()),
        }
    }

    fn has_broken(&self, conn: &mut SqliteConn) -> bool {
        // Still inside a transaction (a closure panicked, a ROLLBACK failed): never reused.
        conn.broken || !conn.conn.is_autocommit()
    }
}

/// Opens PostgreSQL connections.
pub struct PgManager {
    pub(super) config: postgres::Config,
}

impl r2d2::ManageConnection for PgManager {
    type Connection = PgConn;
    type Error = DbError;

    fn connect(&self) -> Result<PgConn, DbError> {
        let client = self.config.connect(postgres::NoTls).map_err(DbError::Pg)?;
        Ok(PgConn::new(client))
    }

    /// A connection idle for a while is asked first: the server may have restarted, or a
    /// firewall dropped the idle socket, and the client only finds out at its next statement,
    /// which would fail a request. A busy connection is not asked (no extra round trip).
    fn is_valid(&self, conn: &mut PgConn) -> Result<(), DbError> {
        if conn.last_used.elapsed() < Duration::from_secs(1) {
            return Ok(());
        }
        conn.check(Duration::from_secs(2))
    }

    fn has_broken(&self, conn: &mut PgConn) -> bool {
        conn.broken || conn.in_transaction || conn.is_closed()
    }
}

/// The pool settings: `max` connections, each waited for at most `timeout`.
pub(super) fn builder<M: r2d2::ManageConnection>(max: u32, timeout: Duration) -> r2d2::Builder<M> {
    r2d2::Pool::builder()
        .max_size(max)
        .min_idle(Some(1))
        .connection_timeout(timeout)
        .test_on_check_out(true)
        .error_handler(Box::new(r2d2::NopErrorHandler))
}
