//! Write transactions that cannot outlive a failure. A transaction is begun, committed and rolled
//! back by plain statements on a pooled connection, and any connection whose COMMIT or ROLLBACK
//! failed is closed instead of going back to the pool: SQLite may keep a transaction open after
//! a failed COMMIT (a full disk, a read-only file), and a connection left inside one would make
//! every later "transaction" a savepoint nested in it, acknowledged and never written.

use std::ops::{Deref, DerefMut};

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool};

use super::health::Health;
use super::{Conn, Dialect, Result, StoreError};

/// A write transaction. `commit` makes it durable; dropping it without committing rolls it
/// back (in the background, before the connection can be used again).
pub struct Tx {
    /// `Some` until `commit` or `rollback`, which take the transaction by value.
    conn: Option<PoolConnection<Any>>,
    health: Health,
}

/// Closes a connection for good (the pool opens a fresh one when it needs one). Closing ends
/// whatever transaction it had: SQLite rolls it back, and PostgreSQL aborts a transaction whose
/// connection is gone.
fn discard(conn: PoolConnection<Any>) {
    drop(conn.detach());
}

/// A connection in the middle of a BEGIN, COMMIT or ROLLBACK. If the future running it is
/// dropped there (the client left, the request timed out), the statement's outcome is unknown,
/// so the connection is closed rather than returned to the pool, where it could still be inside
/// a transaction.
struct InFlight(Option<PoolConnection<Any>>);

impl InFlight {
    /// Runs one statement of transaction control; the connection back if it succeeded.
    async fn run(mut self, sql: &'static str) -> std::result::Result<PoolConnection<Any>, (Self, sqlx::Error)> {
        let Some(conn) = self.0.as_mut() else { return Err((self, sqlx::Error::PoolClosed)) };
        match sqlx::query(sql).execute(&mut **conn).await {
            Ok(_) => match self.0.take() {
                Some(conn) => Ok(conn),
                None => Err((self, sqlx::Error::PoolClosed)),
            },
            Err(e) => Err((self, e)),
        }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(conn) = self.0.take() {
            discard(conn);
        }
    }
}

impl Tx {
    pub(super) async fn begin(pool: &AnyPool, dialect: Dialect, health: &Health) -> Result<Tx> {
        // IMMEDIATE takes SQLite's write lock at once, so a transaction that reads before it
        // writes cannot fail half-way because another process wrote in between.
        let begin = match dialect {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        };
        for attempt in 0..2 {
            match InFlight(Some(pool.acquire().await?)).run(begin).await {
                Ok(conn) => return Ok(Tx { conn: Some(conn), health: health.clone() }),
                // Cannot happen with this module's own bookkeeping; if a connection ever is
                // left inside a transaction, it is replaced (dropping it closes it) rather
                // than nested into.
                Err((_, e)) if attempt == 0 && nested(&e) => {
                    tracing::warn!(error = %e, "a database connection was still inside a transaction; replaced it");
                }
                Err((_, e)) => return Err(e.into()),
            }
        }
        Err(StoreError::Finished)
    }

    /// Commits. On failure the connection is rolled back and closed, and the error says whether
    /// the database is unavailable (a full disk, a read-only file, a lost server).
    pub async fn commit(mut self) -> Result<()> {
        let Some(conn) = self.conn.take() else { return Err(StoreError::Finished) };
        match InFlight(Some(conn)).run("COMMIT").await {
            Ok(_) => Ok(()),
            Err((conn, e)) => {
                // Whether the rollback works or not, the connection is closed next; its result
                // cannot change what the caller is told.
                let rolled_back = match conn.run("ROLLBACK").await {
                    Ok(conn) => {
                        discard(conn);
                        true
                    }
                    Err(_) => false,
                };
                tracing::debug!(rolled_back, "COMMIT failed; the connection is closed");
                let e = StoreError::from(e);
                if e.is_unavailable() {
                    self.health.failed(&e);
                }
                Err(e)
            }
        }
    }
}

/// SQLite's answer to BEGIN on a connection already inside a transaction.
fn nested(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.message().contains("within a transaction"))
}

impl Drop for Tx {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        // The connection stays out of the pool until the rollback is done, so nothing else
        // can run on it in between; if the rollback fails (or never runs), it is closed.
        let in_flight = InFlight(Some(conn));
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                if let Err((_, e)) = in_flight.run("ROLLBACK").await {
                    tracing::debug!(error = %e, "ROLLBACK failed; the connection is closed");
                }
            });
        }
    }
}

impl Deref for Tx {
    type Target = Conn;

    #[allow(clippy::expect_used)]
    fn deref(&self) -> &Conn {
        self.conn.as_deref().expect("a transaction is used only before commit or rollback")
    }
}

impl DerefMut for Tx {
    #[allow(clippy::expect_used)]
    fn deref_mut(&mut self) -> &mut Conn {
        self.conn.as_deref_mut().expect("a transaction is used only before commit or rollback")
    }
}
