//! Session activity waiting to be written.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{sessions, Result};

/// Session activity not written yet. Reading a page records the session's activity here (at
/// most once a minute per session) and a background task writes it about once a second, so no
/// page waits for a write; a crash loses a second of "last active", which only ends a session
/// that much sooner. This process's own requests see the recorded activity at once.
#[derive(Clone, Default)]
pub struct Touches(Arc<Mutex<HashMap<i64, i64>>>);

impl Touches {
    pub fn seen(&self, session_id: i64) -> Option<i64> {
        self.0.lock().ok().and_then(|m| m.get(&session_id).copied())
    }

    pub fn record(&self, session_id: i64, at: i64) {
        if let Ok(mut m) = self.0.lock() {
            let e = m.entry(session_id).or_insert(at);
            *e = (*e).max(at);
        }
    }

    fn take(&self) -> Vec<(i64, i64)> {
        self.0.lock().map(|mut m| m.drain().collect()).unwrap_or_default()
    }

    /// Writes the recorded activity; on failure it is kept for the next try.
    pub fn flush(&self, db: &super::Db) -> Result<()> {
        let seen = self.take();
        if seen.is_empty() {
            return Ok(());
        }
        let written = db.tx(|tx| sessions::touch_many(tx, &seen));
        if let Err(e) = written {
            for (id, at) in seen {
                self.record(id, at);
            }
            return Err(e);
        }
        Ok(())
    }
}
