//! Whether the database can be used right now: which errors mean "unavailable" (a full disk, a
//! read-only file, a server that went away) or "busy" (no connection within the time allowed,
//! which is also how a stopped PostgreSQL server shows) rather than a bug, and one shared record of the current outage, so that operators read one
//! ERROR line per outage instead of one per request. An outage ends only when a write probe
//! commits (`Db::probe_write`: `/healthz`, and every second while an outage lasts), not with
//! any commit: a transaction that wrote nothing commits on a full disk too.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::DbError;

/// True when no connection (or, on SQLite, no write lock) could be had within the time allowed:
/// the service is busy, or the server is not answering. Refused with 503 and recorded like an
/// outage (a probe ends it).
pub fn is_busy(e: &DbError) -> bool {
    match e {
        DbError::Pool(_) | DbError::Reopen => true,
        DbError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => matches!(f.extended_code & 0xff, 5 | 6),
        _ => false,
    }
}

/// True when `e` says the database cannot be used now (and may be again later without any
/// change to Latchkey): the request is refused with 503 instead of 500.
pub fn is_unavailable(e: &DbError) -> bool {
    match e {
        DbError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => sqlite_unavailable(f.extended_code),
        DbError::Pg(p) => match p.as_db_error() {
            Some(db) => postgres_unavailable(db.code().code()),
            // Not the server's answer: the connection (closed, an I/O error, a timeout).
            None => p.is_closed() || std::error::Error::source(p).is_some_and(|s| s.is::<std::io::Error>()),
        },
        _ => false,
    }
}

/// SQLSTATE classes and codes of an unusable server: connection exceptions (08), insufficient
/// resources such as a full disk (53), shutdown in progress (57P01-57P03), a read-only
/// transaction (25006, a standby) and I/O errors (58030).
fn postgres_unavailable(sqlstate: &str) -> bool {
    sqlstate.starts_with("08")
        || sqlstate.starts_with("53")
        || matches!(sqlstate, "57P01" | "57P02" | "57P03" | "25006" | "58030")
}

/// SQLite primary result codes (the low byte of extended codes): READONLY 8, IOERR 10, FULL 13,
/// CANTOPEN 14. (BUSY 5 and LOCKED 6 are `is_busy`.)
fn sqlite_unavailable(code: i32) -> bool {
    matches!(code & 0xff, 8 | 10 | 13 | 14)
}

/// The current outage, if any, shared by every clone of the database handle.
#[derive(Clone, Default)]
pub struct Health(Arc<Mutex<Record>>);

#[derive(Default)]
struct Record {
    current: Option<Outage>,
    /// Outages since the process started (each logged once).
    outages: u64,
}

struct Outage {
    since: Instant,
    /// Failed operations (requests, probes, background writes) during the outage.
    failures: u64,
}

impl Health {
    /// Records a failure that made the database unavailable. The first one of an outage is
    /// logged at ERROR with its cause; the rest are only counted.
    pub fn failed(&self, cause: &dyn std::fmt::Display) {
        let Ok(mut record) = self.0.lock() else { return };
        match record.current.as_mut() {
            Some(o) => o.failures += 1,
            None => {
                tracing::error!(
                    %cause,
                    "the database cannot be written or does not answer in time: requests that need it are refused with 503 until it recovers"
                );
                record.current = Some(Outage { since: Instant::now(), failures: 1 });
                record.outages += 1;
            }
        }
    }

    /// Records a committed write probe: ends the outage, if there was one, with one line that
    /// says how long it lasted.
    pub fn recovered(&self) {
        let Ok(mut record) = self.0.lock() else { return };
        if let Some(o) = record.current.take() {
            tracing::warn!(
                after_s = o.since.elapsed().as_secs_f64(),
                failures = o.failures,
                "the database can be written again"
            );
        }
    }

    /// Whether an outage is going on (no write probe has committed since it began).
    pub fn failing(&self) -> bool {
        self.0.lock().map(|r| r.current.is_some()).unwrap_or(true)
    }

    /// How many outages there were since the process started.
    pub fn outages(&self) -> u64 {
        self.0.lock().map(|r| r.outages).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_a_read_only_file_and_a_lost_server_are_outages_and_bugs_are_not() {
        for code in [13, 8, 1032, 10, 522, 14] {
            assert!(sqlite_unavailable(code), "{code}");
        }
        for code in [1, 19, 2067, 11, 0, 5, 6] {
            assert!(!sqlite_unavailable(code), "{code}");
        }
        for state in ["08006", "08001", "53100", "53300", "57P01", "57P03", "25006"] {
            assert!(postgres_unavailable(state), "{state}");
        }
        for state in ["23505", "42P01", "40001", "22P02"] {
            assert!(!postgres_unavailable(state), "{state}");
        }
        assert!(is_busy(&DbError::Reopen) && !is_unavailable(&DbError::Reopen));
        let full = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(13), None);
        assert!(is_unavailable(&DbError::Sqlite(full)));
        let busy = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(5), None);
        assert!(is_busy(&DbError::Sqlite(busy)));
        let constraint = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(2067), None);
        assert!(!is_unavailable(&DbError::Sqlite(constraint)));
    }

    #[test]
    fn an_outage_lasts_from_the_first_failure_to_the_next_write() {
        let h = Health::default();
        assert!(!h.failing());
        h.failed(&"disk full");
        h.failed(&"disk full");
        assert!(h.failing());
        h.recovered();
        assert!(!h.failing());
        h.failed(&"disk full");
        assert_eq!(h.outages(), 2);
    }
}
