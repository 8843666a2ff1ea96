//! Devices: the browser and OS a user agent names ("Chrome 131 on Windows"), and the rules of
//! remembered devices (how long "Remember this device" lasts, and when it cannot skip the
//! second step).

use super::text::Msg;

const DAY: i64 = 86_400;

/// The longest an organization may let a device be remembered.
pub const MAX_REMEMBER_DAYS: i64 = 365;
/// What a new organization lets devices be remembered for.
pub const DEFAULT_REMEMBER_DAYS: i64 = 30;

/// A browser and OS, as read from a user agent. Either may be unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// "Chrome", "Firefox", "Edge", "Safari"...
    pub browser: Option<String>,
    /// The browser's major version ("131").
    pub version: Option<String>,
    /// "Windows", "macOS", "Android", "iOS", "Linux"...
    pub os: Option<String>,
}

fn known(v: &str) -> Option<&str> {
    (!v.is_empty() && v != "UNKNOWN").then_some(v)
}

impl Device {
    /// Reads a user agent (with Project Woothee's dataset). Nothing it does not recognise is
    /// guessed: an unknown part stays None.
    pub fn parse(user_agent: &str) -> Self {
        let Some(r) = woothee::parser::Parser::new().parse(user_agent) else {
            return Device { browser: None, version: None, os: None };
        };
        // Crawlers, tools and libraries ("HTTP Library", "curl") are named as they are, without
        // a version.
        let browser_like = r.category == "pc" || r.category == "smartphone" || r.category == "mobilephone";
        let version = known(r.version)
            .filter(|_| browser_like)
            .and_then(|v| v.split('.').next())
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_string);
        Device { browser: known(r.name).map(str::to_string), version, os: known(r.os).map(os_family) }
    }

    /// How the pages and emails name it: "Chrome 131 on Windows", "Firefox on Linux", "Chrome",
    /// "Unknown browser".
    pub fn describe(&self) -> Msg {
        let browser = match (&self.browser, &self.version) {
            (Some(b), Some(v)) => Some(format!("{b} {v}")),
            (Some(b), None) => Some(b.clone()),
            (None, _) => None,
        };
        match (browser, &self.os) {
            (Some(b), Some(os)) => Msg::new("device-browser-on-os").with("browser", b).with("os", os.clone()),
            (Some(b), None) => Msg::new("device-browser").with("browser", b),
            (None, Some(os)) => Msg::new("device-unknown-browser-on-os").with("os", os.clone()),
            (None, None) => Msg::new("device-unknown"),
        }
    }
}

/// How pages and emails name the browser behind a user agent: as `Device::describe` does, or,
/// when nothing in it is recognised (a tool, a script), the string as it was sent (shortened).
pub fn name(user_agent: &str) -> Msg {
    let device = Device::parse(user_agent);
    let sent = user_agent.trim();
    if device.browser.is_some() || device.os.is_some() || sent.is_empty() || sent == "unknown" {
        return device.describe();
    }
    let shown: String = sent.chars().take(80).collect();
    Msg::new("device-as-sent").with("agent", shown)
}

/// An OS as people call it: the family, without the version Woothee sometimes adds.
fn os_family(os: &str) -> String {
    let family = match os {
        o if o.starts_with("Windows") => "Windows",
        "Mac OSX" | "Mac OS X" => "macOS",
        "iPhone" | "iPod" => "iOS",
        "iPad" => "iPadOS",
        "ChromeOS" => "ChromeOS",
        other => other,
    };
    family.to_string()
}

/// Whether a device remembered at `remembered_at` still is, when the organization remembers
/// devices for `days` (0: not at all; a shorter setting applies at once to devices remembered
/// before).
pub fn still_remembered(remembered_at: Option<i64>, days: i64, now: i64) -> bool {
    match remembered_at {
        Some(at) if days > 0 => now < at.saturating_add(days.min(MAX_REMEMBER_DAYS) * DAY),
        _ => false,
    }
}

/// Until when a device remembered at `remembered_at` is, for the pages.
pub fn remembered_until(remembered_at: i64, days: i64) -> i64 {
    remembered_at.saturating_add(days.clamp(0, MAX_REMEMBER_DAYS) * DAY)
}

/// An organization's setting for "Remember this device": a whole number of days from 0 (off) to
/// `MAX_REMEMBER_DAYS`.
pub fn parse_remember_days(s: &str) -> Result<i64, Msg> {
    let invalid = || Msg::new("device-remember-days-invalid").with("max", MAX_REMEMBER_DAYS);
    let days: i64 = s.trim().parse().map_err(|_| invalid())?;
    if (0..=MAX_REMEMBER_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                                  Chrome/131.0.0.0 Safari/537.36";

    fn said(ua: &str) -> (Option<String>, Option<String>, Option<String>) {
        let d = Device::parse(ua);
        (d.browser, d.version, d.os)
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn common_browsers_are_named_by_family_major_version_and_os() {
        assert_eq!(said(CHROME_WINDOWS), (s("Chrome"), s("131"), s("Windows")));
        let edge = format!("{CHROME_WINDOWS} Edg/131.0.2903.70");
        assert_eq!(said(&edge), (s("Edge"), s("131"), s("Windows")));
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        assert_eq!(said(firefox), (s("Firefox"), s("133"), s("Linux")));
        let safari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) \
                      Version/18.1 Safari/605.1.15";
        assert_eq!(said(safari), (s("Safari"), s("18"), s("macOS")));
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) \
                      Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(said(iphone), (s("Safari"), s("17"), s("iOS")));
        let android = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) \
                       Chrome/131.0.6778.81 Mobile Safari/537.36";
        assert_eq!(said(android), (s("Chrome"), s("131"), s("Android")));
    }

    #[test]
    fn what_is_not_a_browser_is_not_given_a_version_and_nothing_is_guessed() {
        assert_eq!(said("curl/8.5.0").1, None);
        assert_eq!(said("unknown"), (None, None, None));
        assert_eq!(said(""), (None, None, None));
        assert_eq!(said("latchkey command line"), (None, None, None));
    }

    #[test]
    fn what_is_not_recognised_is_named_as_it_was_sent() {
        let m = name("latchkey-tests/1.0");
        assert_eq!(m.id, "device-as-sent");
        assert_eq!(name(CHROME_WINDOWS).id, "device-browser-on-os");
        assert_eq!(name("unknown").id, "device-unknown");
        assert_eq!(name("").id, "device-unknown");
    }

    #[test]
    fn a_device_is_described_with_what_is_known() {
        let d = Device::parse(CHROME_WINDOWS).describe();
        assert_eq!(d.id, "device-browser-on-os");
        assert_eq!(Device::parse("unknown").describe().id, "device-unknown");
        let no_os = Device { browser: s("Chrome"), version: None, os: None };
        assert_eq!(no_os.describe().id, "device-browser");
    }

    #[test]
    fn a_device_is_remembered_for_the_organizations_days_and_a_shorter_setting_applies_at_once() {
        let at = 1_000_000;
        assert!(still_remembered(Some(at), 30, at + 29 * DAY));
        assert!(!still_remembered(Some(at), 30, at + 30 * DAY));
        assert!(!still_remembered(Some(at), 7, at + 8 * DAY), "shortened after it was remembered");
        assert!(!still_remembered(Some(at), 0, at + 1), "turned off");
        assert!(!still_remembered(None, 30, at));
        assert!(!still_remembered(Some(at), i64::MAX, at + 366 * DAY), "never past the maximum");
        assert_eq!(remembered_until(at, 30), at + 30 * DAY);
    }

    #[test]
    fn the_number_of_days_is_checked() {
        assert_eq!(parse_remember_days(" 30 "), Ok(30));
        assert_eq!(parse_remember_days("0"), Ok(0));
        assert_eq!(parse_remember_days("365"), Ok(365));
        for bad in ["-1", "366", "", "thirty", "1.5"] {
            assert!(parse_remember_days(bad).is_err(), "{bad}");
        }
    }
}
