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

impl Tx {
    pub(super) async fn begin(pool: &AnyPool, dialect: Dialect, health: &Health) -> Result<Tx> {
        // IMMEDIATE takes SQLite's write lock at once, so a transaction that reads before it
        // writes cannot fail half-way because another process wrote in between.
        let begin = match dialect {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        };
        let mut conn = pool.acquire().await?;
        if let Err(e) = exec(&mut conn, begin).await {
            discard(conn);
            if !nested(&e) {
                return Err(e.into());
            }
            // Cannot happen with this module's own bookkeeping; if a connection ever is left
            // inside a transaction, it is replaced rather than nested into.
            tracing::warn!(error = %e, "a database connection was still inside a transaction; replaced it");
            conn = pool.acquire().await?;
            if let Err(e) = exec(&mut conn, begin).await {
                discard(conn);
                return Err(e.into());
            }
        }
        Ok(Tx { conn: Some(conn), health: health.clone() })
    }

    /// Commits. On failure the connection is rolled back and closed, and the error says whether
    /// the database is unavailable (a full disk, a read-only file, a lost server).
    pub async fn commit(mut self) -> Result<()> {
        let Some(mut conn) = self.conn.take() else { return Err(StoreError::Finished) };
        match exec(&mut conn, "COMMIT").await {
            Ok(_) => {
                self.health.wrote();
                Ok(())
            }
            Err(e) => {
                // Whether the rollback works or not, the connection is closed next; its
                // result cannot change what the caller is told.
                let rolled_back = exec(&mut conn, "ROLLBACK").await.is_ok();
                tracing::debug!(rolled_back, "COMMIT failed; the connection is closed");
                discard(conn);
                let e = StoreError::from(e);
                if e.is_unavailable() {
                    self.health.failed(&e);
                }
                Err(e)
            }
        }
    }

    /// Rolls back now (a refusal that must not keep what the transaction wrote so far).
    pub async fn rollback(mut self) -> Result<()> {
        let Some(mut conn) = self.conn.take() else { return Err(StoreError::Finished) };
        if let Err(e) = exec(&mut conn, "ROLLBACK").await {
            discard(conn);
            return Err(e.into());
        }
        Ok(())
    }
}

/// Runs one statement of transaction control (prepared once per connection, like any other).
async fn exec(conn: &mut Conn, sql: &'static str) -> Result<(), sqlx::Error> {
    sqlx::query(sql).execute(conn).await.map(|_| ())
}

/// SQLite's answer to BEGIN on a connection already inside a transaction.
fn nested(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.message().contains("within a transaction"))
}

impl Drop for Tx {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else { return };
        // The connection stays out of the pool until the rollback is done, so nothing else
        // can run on it in between.
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn(async move {
                    if let Err(e) = exec(&mut conn, "ROLLBACK").await {
                        tracing::debug!(error = %e, "ROLLBACK failed; the connection is closed");
                        discard(conn);
                    }
                });
            }
            Err(_) => discard(conn),
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
