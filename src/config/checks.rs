//! The ranges settings must lie in, and the settings that must agree with each other. Each
//! check answers in one sentence naming the setting, so that a typo in a number stops the
//! start instead of aborting later (a 4 TiB argon2 allocation) or being silently ignored.

use std::fmt::Display;
use std::time::Duration;

use super::ConfigError;

pub(super) fn bad(name: &str, why: impl Display) -> ConfigError {
    ConfigError(format!("Setting {name}: {why}."))
}

/// `given` (or `default`) if it lies in `lo..=hi`.
pub(super) fn within<T: PartialOrd + Display + Copy>(
    name: &str,
    given: Option<T>,
    default: T,
    lo: T,
    hi: T,
) -> Result<T, ConfigError> {
    let v = given.unwrap_or(default);
    if v < lo || v > hi {
        return Err(bad(name, format!("{v} is out of range; use a value from {lo} to {hi}")));
    }
    Ok(v)
}

/// A duration written like `90s`, `15m`, `12h` or `7d`, in `lo..=hi` (both written the same way).
pub(super) fn duration_within(
    name: &str,
    given: Option<String>,
    default: &str,
    lo: &str,
    hi: &str,
) -> Result<Duration, ConfigError> {
    let text = given.unwrap_or_else(|| default.to_string());
    let d = humantime::parse_duration(text.trim())
        .map_err(|_| bad(name, format!("'{text}' is not a duration like 90s, 15m, 12h or 7d")))?;
    let (min, max) = (parse_bound(lo)?, parse_bound(hi)?);
    if d < min || d > max {
        return Err(bad(name, format!("{text} is out of range; use a duration from {lo} to {hi}")));
    }
    Ok(d)
}

fn parse_bound(text: &str) -> Result<Duration, ConfigError> {
    humantime::parse_duration(text).map_err(|_| ConfigError(format!("internal: bad bound {text}")))
}

/// Refuses two settings that contradict each other: `small` must not be more than `large`.
pub(super) fn not_above(
    (small_name, small): (&str, Duration),
    (large_name, large): (&str, Duration),
    why: &str,
) -> Result<(), ConfigError> {
    if small > large {
        return Err(ConfigError(format!(
            "Settings {small_name} ({}) and {large_name} ({}) contradict each other: {why}.",
            humantime::format_duration(small),
            humantime::format_duration(large)
        )));
    }
    Ok(())
}

/// Open files this process may have (the soft limit, after `raise_open_file_limit`).
pub fn open_file_limit() -> u64 {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit only writes the struct it is given.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0 {
            return lim.rlim_cur;
        }
    }
    1024
}

/// Raises the soft limit on open files to the hard limit (each client connection is one), as
/// servers commonly do; the hard limit is the operator's to set.
pub fn raise_open_file_limit() {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit/setrlimit only read and write the struct they are given.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < lim.rlim_max {
                lim.rlim_cur = lim.rlim_max;
                libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
            }
        }
    }
}

/// File descriptors kept free of client connections: the database, the SQLite files, SMTP, the
/// local outbox and the listener itself.
pub const RESERVED_FILES: u64 = 64;

/// Client connections served at once by default: leaves room below the open-file limit.
pub fn default_connection_limit(open_files: u64) -> u64 {
    open_files.saturating_sub(2 * RESERVED_FILES).clamp(16, 4096)
}

/// The most client connections the open-file limit allows.
pub fn max_connection_limit(open_files: u64) -> u64 {
    open_files.saturating_sub(RESERVED_FILES).max(16)
}
