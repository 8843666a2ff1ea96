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

/// The client a per-address limit counts against: an IPv4 address as it is (also when it
/// arrives IPv4-mapped, `::ffff:198.51.100.7`, from a dual-stack socket or proxy), an IPv6
/// address by its /64, the block one subscriber or office is given, so that hopping between
/// the 2^64 addresses of one block does not get more guesses. Anything else (`unknown`) as it is.
pub fn address_group(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(addr) => match addr.to_canonical() {
            std::net::IpAddr::V4(v4) => v4.to_string(),
            std::net::IpAddr::V6(v6) => {
                let s = v6.segments();
                let block = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{block}/64")
            }
        },
        Err(_) => ip.to_string(),
    }
}

/// "N minutes" / "N seconds", rounded up, in English. Messages for people name the wait as a
/// value instead (`Msg::wait`), which `i18n::Locale::wait` says the same way in their language.
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
    fn ipv6_clients_are_grouped_by_their_64_and_mapped_ipv4_is_ipv4() {
        assert_eq!(address_group("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
        assert_eq!(address_group("2001:db8:1:2::1"), address_group("2001:db8:1:2:ffff::9"));
        assert_ne!(address_group("2001:db8:1:2::1"), address_group("2001:db8:1:3::1"));
        assert_eq!(address_group("::ffff:198.51.100.7"), "198.51.100.7");
        assert_eq!(address_group("198.51.100.7"), "198.51.100.7");
        assert_ne!(address_group("198.51.100.7"), address_group("198.51.100.8"));
        assert_eq!(address_group("unknown"), "unknown");
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
