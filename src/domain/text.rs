//! A message for a person, as data: the id of its text in the translations and the values it
//! names. The rules say what to tell someone; `i18n` says it in their language, so nothing
//! here knows a language.

/// One value a message names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Text shown as it is (a name, an address).
    Text(String),
    /// A number; the translations choose the plural form by it.
    Count(i64),
    /// A moment (Unix seconds), shown in the reader's time zone.
    Time(i64),
    /// A wait in seconds, rounded up to the largest unit ("2 minutes").
    Wait(i64),
    /// A length of time in seconds, in its exact unit ("10 minutes", "7 days").
    Lifetime(i64),
    /// Another message, said in the same language.
    Msg(Box<Msg>),
}

/// A message: the id of its text and the values it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Msg {
    pub const fn new(id: &'static str) -> Self {
        Self { id, args: Vec::new() }
    }

    /// The message with one more value, named as its text names it.
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    /// The message with a moment shown in the reader's time zone.
    pub fn time(self, name: &'static str, unix: i64) -> Self {
        self.with(name, Arg::Time(unix))
    }

    /// The message with a wait ("Try again in 2 minutes").
    pub fn wait(self, name: &'static str, seconds: i64) -> Self {
        self.with(name, Arg::Wait(seconds))
    }

    /// The message with a length of time ("works for 10 minutes").
    pub fn lifetime(self, name: &'static str, seconds: i64) -> Self {
        self.with(name, Arg::Lifetime(seconds))
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Count(n)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Count(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<Msg> for Arg {
    fn from(m: Msg) -> Self {
        Arg::Msg(Box::new(m))
    }
}
