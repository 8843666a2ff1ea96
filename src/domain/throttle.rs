//! Bounds on guessing: how many failures a key (an account, a client address) may have in a
//! window, and how long it is then locked. The counting itself happens atomically in the
//! database (store::throttle) so that several processes agree; this module holds the rules.

/// A limit for one kind of key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures allowed within `window` seconds before the key is locked.
    pub max_failures: i64,
    pub window: i64,
    /// The first lock lasts `base_lock` seconds; each further lock doubles it, up to `max_lock`.
    pub base_lock: i64,
    pub max_lock: i64,
}

impl ThrottlePolicy {
    /// How long the lock lasts for a key that has already been locked `level` times.
    pub fn lock_seconds(&self, level: i64) -> i64 {
        let doublings = level.clamp(0, 30) as u32;
        self.base_lock.saturating_mul(1_i64 << doublings).min(self.max_lock).max(self.base_lock.min(self.max_lock))
    }
}

/// The answer to "may this attempt go ahead?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Locked; retry after this many seconds (at least 1).
    Locked {
        retry_after: i64,
    },
}

/// The verdict for a key locked until `locked_until` (0 when never locked), at `now`.
pub fn verdict(locked_until: i64, now: i64) -> Verdict {
    if locked_until > now {
        Verdict::Locked { retry_after: locked_until - now }
    } else {
        Verdict::Allowed
    }
}

/// "N minutes" / "N seconds", rounded up, for messages that say when to retry.
pub fn wait_in_words(seconds: i64) -> String {
    let seconds = seconds.max(1);
    if seconds < 60 {
        plural(seconds, "second")
    } else if seconds < 3600 {
        plural((seconds + 59) / 60, "minute")
    } else {
        plural((seconds + 3599) / 3600, "hour")
    }
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: ThrottlePolicy = ThrottlePolicy { max_failures: 5, window: 900, base_lock: 60, max_lock: 3600 };

    #[test]
    fn each_lock_doubles_up_to_the_cap() {
        let secs: Vec<i64> = (0..8).map(|l| P.lock_seconds(l)).collect();
        assert_eq!(secs, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(P.lock_seconds(1000), 3600);
    }

    #[test]
    fn a_key_is_locked_until_its_time_passes() {
        assert_eq!(verdict(0, 100), Verdict::Allowed);
        assert_eq!(verdict(160, 100), Verdict::Locked { retry_after: 60 });
        assert_eq!(verdict(160, 160), Verdict::Allowed);
    }

    #[test]
    fn waits_are_said_in_rounded_up_units() {
        assert_eq!(wait_in_words(0), "1 second");
        assert_eq!(wait_in_words(45), "45 seconds");
        assert_eq!(wait_in_words(60), "1 minute");
        assert_eq!(wait_in_words(61), "2 minutes");
        assert_eq!(wait_in_words(3600), "1 hour");
        assert_eq!(wait_in_words(5000), "2 hours");
    }
}
