//! A reader's language and time zone, and everything said in them: messages, moments and
//! lengths of time.

use std::borrow::Cow;

use jiff::tz::TimeZone;

use super::catalog::{catalog, DatePart, Value};

const MONTHS: [&str; 12] = [
    "month-1", "month-2", "month-3", "month-4", "month-5", "month-6", "month-7", "month-8", "month-9", "month-10",
    "month-11", "month-12",
];
use super::Lang;
use crate::domain::text::{Arg, Msg};

/// A time zone from the tz database, by its IANA name ("Asia/Jakarta").
#[derive(Debug, Clone)]
pub struct Zone {
    name: Cow<'static, str>,
    tz: TimeZone,
}

impl Zone {
    pub fn utc() -> Self {
        Self { name: Cow::Borrowed("UTC"), tz: TimeZone::UTC }
    }

    /// A zone by its IANA name, as the settings store it; None for a name the tz database
    /// does not know. The name is the database's own spelling ("asia/jakarta" is
    /// "Asia/Jakarta"), so what is stored matches the lists.
    pub fn parse(name: &str) -> Option<Zone> {
        let name = name.trim();
        if name.is_empty() || name.len() > 64 {
            return None;
        }
        let tz = TimeZone::get(name).ok()?;
        let name = Cow::Owned(tz.iana_name().unwrap_or(name).to_string());
        Some(Zone { name, tz })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every zone the tz database knows, by name, sorted, for the settings' lists (read once:
    /// the database is part of the binary).
    pub fn all() -> &'static [String] {
        static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        NAMES.get_or_init(|| {
            let mut names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
            names.sort();
            names
        })
    }
}

impl Default for Zone {
    fn default() -> Self {
        Zone::utc()
    }
}

/// Who is reading: the language they read and the zone their clock shows.
#[derive(Debug, Clone, Default)]
pub struct Locale {
    pub lang: Lang,
    pub zone: Zone,
}

impl Locale {
    pub fn new(lang: Lang, zone: Zone) -> Self {
        Self { lang, zone }
    }

    /// The locale of a person the service knows: their own choice, else their organization's
    /// default, else what their browser asked for (None outside a request), else English;
    /// their zone, else the organization's, else UTC. Stored values that no longer parse are
    /// skipped rather than refused: a removed zone name must not lock anyone out.
    pub fn for_person(
        own: (Option<&str>, Option<&str>),
        org: (Option<&str>, Option<&str>),
        browser: Option<Lang>,
    ) -> Self {
        let lang = own.0.and_then(Lang::parse).or_else(|| org.0.and_then(Lang::parse)).or(browser).unwrap_or_default();
        let zone = own.1.and_then(Zone::parse).or_else(|| org.1.and_then(Zone::parse)).unwrap_or_default();
        Self { lang, zone }
    }

    /// The text of message `id`.
    pub fn t(&self, id: &str) -> String {
        self.text(id).into_owned()
    }

    /// The same, borrowed when the message names no value (templates: nothing to allocate).
    pub fn text(&self, id: &str) -> Cow<'static, str> {
        match catalog().plain(self.lang, id) {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(catalog().format(self.lang, id, &[])),
        }
    }

    /// The text of message `id` naming one value.
    pub fn t1(&self, id: &str, name: &str, value: impl std::fmt::Display) -> String {
        catalog().format(self.lang, id, &[(name, Value::Text(Cow::Owned(value.to_string())))])
    }

    /// The text of message `id` naming a number (plural forms choose by it).
    pub fn tn(&self, id: &str, name: &str, n: impl TryInto<i64>) -> String {
        catalog().format(self.lang, id, &[(name, Value::Number(n.try_into().unwrap_or(i64::MAX)))])
    }

    /// A message, with its values said in this locale.
    pub fn msg(&self, m: &Msg) -> String {
        let values: Vec<(&str, Value<'_>)> = m.args.iter().map(|(name, arg)| (*name, self.value(arg))).collect();
        catalog().format(self.lang, m.id, &values)
    }

    fn value<'a>(&self, arg: &'a Arg) -> Value<'a> {
        match arg {
            Arg::Text(t) => Value::Text(Cow::Borrowed(t)),
            Arg::Count(n) => Value::Number(*n),
            Arg::Time(t) => Value::Text(Cow::Owned(self.time(*t))),
            Arg::Wait(s) => Value::Text(Cow::Owned(self.wait(*s))),
            Arg::Lifetime(s) => Value::Text(Cow::Owned(self.lifetime(*s))),
            Arg::Msg(m) => Value::Text(Cow::Owned(self.msg(m))),
        }
    }

    /// A moment in this zone, named: "09:14 WIB, 1 Dec 2026".
    pub fn time(&self, unix: i64) -> String {
        let Ok(ts) = jiff::Timestamp::from_second(unix) else { return unix.to_string() };
        let z = ts.to_zoned(self.zone.tz.clone());
        let month = self.text(MONTHS[usize::try_from(z.month() - 1).unwrap_or(0).min(11)]);
        let zone = z.strftime("%Z").to_string();
        let mut out = String::with_capacity(32);
        for part in catalog().datetime(self.lang) {
            use std::fmt::Write;
            // Writing to a String cannot fail.
            let _ = match part {
                DatePart::Text(t) => write!(out, "{t}"),
                DatePart::Hour => write!(out, "{:02}", z.hour()),
                DatePart::Minute => write!(out, "{:02}", z.minute()),
                DatePart::Zone => write!(out, "{zone}"),
                DatePart::Day => write!(out, "{}", z.day()),
                DatePart::Month => write!(out, "{month}"),
                DatePart::Year => write!(out, "{}", z.year()),
            };
        }
        out
    }

    /// A moment in this zone as ISO 8601 with its offset ("2026-12-01T09:14:00+07:00"), for
    /// exports read by programs.
    pub fn iso(&self, unix: i64) -> String {
        match jiff::Timestamp::from_second(unix) {
            Ok(ts) => ts.to_zoned(self.zone.tz.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            Err(_) => unix.to_string(),
        }
    }

    /// How long to wait, rounded up to its largest unit: "45 seconds", "2 minutes", "1 hour".
    pub fn wait(&self, seconds: i64) -> String {
        let s = seconds.max(1);
        let (n, unit) = if s < 60 {
            (s, "duration-seconds")
        } else if s < 3600 {
            ((s + 59) / 60, "duration-minutes")
        } else {
            ((s + 3599) / 3600, "duration-hours")
        };
        self.tn(unit, "n", n)
    }

    /// A length of time in its exact unit: "10 minutes", "1 hour", "7 days".
    pub fn lifetime(&self, seconds: i64) -> String {
        let (n, unit) = match seconds {
            s if s > 0 && s % 86_400 == 0 => (s / 86_400, "duration-days"),
            s if s > 0 && s % 3_600 == 0 => (s / 3_600, "duration-hours"),
            s if s > 0 && s % 60 == 0 => (s / 60, "duration-minutes"),
            s => (s, "duration-seconds"),
        };
        self.tn(unit, "n", n)
    }
}
