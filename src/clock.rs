//! The service's clock. Rules take the time as a parameter; this is where it comes from.
//! Tests running the app in-process can move it forward instead of sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Seconds since the Unix epoch, from the system clock.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}

/// The system clock plus an offset that only tests change.
#[derive(Clone, Default, Debug)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> i64 {
        now() + self.offset.load(Ordering::Relaxed)
    }

    /// Moves this clock forward by `seconds` (for tests).
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }
}

/// A Unix time as an RFC 3339 UTC timestamp, for emails and pages.
pub fn format_utc(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&time::format_description::well_known::Rfc3339).ok())
        .map(|s| s.replace('T', " ").replace('Z', " UTC"))
        .unwrap_or_else(|| t.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_shown_in_utc() {
        assert_eq!(super::format_utc(0), "1970-01-01 00:00:00 UTC");
    }

    #[test]
    fn a_test_clock_moves_forward_on_request() {
        let c = super::Clock::default();
        let before = c.now();
        c.advance(3600);
        assert!(c.now() >= before + 3600);
    }
}
