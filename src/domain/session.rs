//! When a session is still good: idle and absolute expiry, and when to record activity.

/// How long sessions live, in seconds.
#[derive(Debug, Clone, Copy)]
pub struct SessionLifetime {
    pub idle: i64,
    pub absolute: i64,
}

/// Sessions record their last activity at most this often, so reading a page writes nothing.
pub const TOUCH_EVERY: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    /// Valid; `touch` says the last-seen time is old enough to be written again.
    Valid {
        touch: bool,
    },
    Expired,
}

impl SessionLifetime {
    /// The state of a session created at `created` and last seen at `last_seen`, at time `now`.
    pub fn state(&self, created: i64, last_seen: i64, now: i64) -> SessionState {
        if now >= created + self.absolute || now >= last_seen + self.idle {
            SessionState::Expired
        } else {
            SessionState::Valid { touch: now - last_seen >= TOUCH_EVERY }
        }
    }

    /// The moment a session seen at `last_seen` would end if nothing happens.
    pub fn expires_at(&self, created: i64, last_seen: i64) -> i64 {
        (created + self.absolute).min(last_seen + self.idle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: SessionLifetime = SessionLifetime { idle: 1800, absolute: 43200 };

    #[test]
    fn a_fresh_session_is_valid_and_not_touched() {
        assert_eq!(L.state(1000, 1000, 1010), SessionState::Valid { touch: false });
    }

    #[test]
    fn activity_is_recorded_at_most_once_a_minute() {
        assert_eq!(L.state(1000, 1000, 1059), SessionState::Valid { touch: false });
        assert_eq!(L.state(1000, 1000, 1060), SessionState::Valid { touch: true });
    }

    #[test]
    fn an_idle_session_expires() {
        assert_eq!(L.state(1000, 1000, 2799), SessionState::Valid { touch: true });
        assert_eq!(L.state(1000, 1000, 2800), SessionState::Expired);
    }

    #[test]
    fn an_active_session_still_ends_at_its_absolute_limit() {
        assert_eq!(L.state(0, 43000, 43199), SessionState::Valid { touch: true });
        assert_eq!(L.state(0, 43199, 43200), SessionState::Expired);
        assert_eq!(L.expires_at(0, 43000), 43200);
        assert_eq!(L.expires_at(0, 100), 1900);
    }
}
