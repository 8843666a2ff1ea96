//! Every word a person reads, in English and Bahasa Indonesia, and every time in their zone.
//!
//! Pages, errors and emails name their texts by id (`locales/<lang>/*.ftl`, Project Fluent);
//! [`Locale`] says them, and moments, in one language and time zone. The request's locale is
//! [`current`]; an email's is its recipient's, passed by the service.

pub mod catalog;
mod lang;
mod locale;
mod scope;

pub use lang::Lang;
pub use locale::{Locale, Zone};
pub use scope::{browser, current, current_lang, scope, set};

pub use crate::domain::text::{Arg, Msg};

impl std::fmt::Display for Msg {
    /// In the request's language (English outside a request: the CLI, logs of background work).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&current().msg(self))
    }
}

/// Message `id` in the request's language.
pub fn t(id: &str) -> String {
    current().t(id)
}

/// A moment in the request's zone and language.
pub fn time(unix: i64) -> String {
    current().time(unix)
}

#[cfg(test)]
mod tests;
