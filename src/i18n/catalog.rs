//! The translations: Project Fluent files under `locales/<lang>/`, built into the binary and
//! parsed once. Plural rules and number formatting come from Fluent.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use super::Lang;

/// Every translation file, by name, in each language (the same names in every folder: a test
/// checks that each id and each placeable is in both).
macro_rules! sources {
    ($($file:literal),* $(,)?) => {
        &[$(($file, [
            include_str!(concat!("../../locales/en/", $file)),
            include_str!(concat!("../../locales/id/", $file)),
        ])),*]
    };
}

pub const SOURCES: &[(&str, [&str; 2])] = sources!(
    "common.ftl",
    "signin.ftl",
    "account.ftl",
    "org.ftl",
    "web.ftl",
    "service.ftl",
    "mail.ftl",
    "audit.ftl",
    "preferences.ftl",
);

pub struct Catalog {
    bundles: Vec<FluentBundle<FluentResource>>,
    /// Per language, every message that names no value, formatted once: most of a page's
    /// texts, handed out without going through the formatter again.
    plain: Vec<HashMap<String, String>>,
    /// Per language, the `datetime` message cut into its text and the values it names, so that
    /// the many times on a page are written without the formatter.
    datetimes: Vec<Vec<DatePart>>,
}

/// A piece of the `datetime` message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatePart {
    Text(String),
    Hour,
    Minute,
    Zone,
    Day,
    Month,
    Year,
}

/// The values `datetime` names, each given a marker that cannot be in a translation.
const DATE_VALUES: [(&str, DatePart); 6] = [
    ("hour", DatePart::Hour),
    ("minute", DatePart::Minute),
    ("zone", DatePart::Zone),
    ("day", DatePart::Day),
    ("month", DatePart::Month),
    ("year", DatePart::Year),
];

/// A named value for a message.
pub enum Value<'a> {
    Text(Cow<'a, str>),
    Number(i64),
}

static CATALOG: OnceLock<Catalog> = OnceLock::new();

/// The translations, parsed on first use. The files are part of the binary and a test parses
/// them, so a file that does not parse is a build that does not pass; if one still did, its
/// messages would be missing and shown by id (and logged), never a crash.
pub fn catalog() -> &'static Catalog {
    CATALOG.get_or_init(Catalog::load)
}

impl Catalog {
    fn load() -> Self {
        let bundles: Vec<FluentBundle<FluentResource>> = Lang::ALL
            .iter()
            .map(|lang| {
                let id = lang.code().parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // No Unicode isolation marks around values: pages and emails carry names and
                // addresses in one direction, and the marks would sit inside copied text.
                bundle.set_use_isolating(false);
                for (file, texts) in SOURCES {
                    match parse(texts[lang.index()]) {
                        Ok(res) => {
                            if let Err(errors) = bundle.add_resource(res) {
                                tracing::error!(lang = lang.code(), file, ?errors, "translation ids repeated");
                            }
                        }
                        Err(e) => tracing::error!(lang = lang.code(), file, error = %e, "translation file unreadable"),
                    }
                }
                bundle
            })
            .collect();
        let mut catalog = Self { bundles, plain: Vec::new(), datetimes: Vec::new() };
        catalog.plain = Lang::ALL.iter().map(|lang| catalog.plain_messages(*lang)).collect();
        catalog.datetimes = Lang::ALL.iter().map(|lang| catalog.datetime_parts(*lang)).collect();
        catalog
    }

    /// The `datetime` message of `lang` as pieces: formatted once with a marker for each value
    /// ("\u{1}0\u{1}" for the hour, ...), then cut at the markers.
    fn datetime_parts(&self, lang: Lang) -> Vec<DatePart> {
        let markers: Vec<String> = (0..DATE_VALUES.len()).map(|i| format!("\u{1}{i}\u{1}")).collect();
        let args: Vec<(&str, Value<'_>)> =
            DATE_VALUES.iter().zip(&markers).map(|((name, _), m)| (*name, Value::Text(Cow::Borrowed(m)))).collect();
        let text = self.format(lang, "datetime", &args);
        let mut parts = Vec::new();
        for (i, piece) in text.split('\u{1}').enumerate() {
            if i % 2 == 0 {
                if !piece.is_empty() {
                    parts.push(DatePart::Text(piece.to_string()));
                }
            } else if let Some((_, part)) = piece.parse::<usize>().ok().and_then(|n| DATE_VALUES.get(n)) {
                parts.push(part.clone());
            }
        }
        parts
    }

    /// The pieces of a moment's text in `lang`.
    pub fn datetime(&self, lang: Lang) -> &[DatePart] {
        self.datetimes.get(lang.index()).map(Vec::as_slice).unwrap_or_default()
    }

    /// The messages of `lang` that format without any value (and without a problem).
    fn plain_messages(&self, lang: Lang) -> HashMap<String, String> {
        let ids = SOURCES.iter().filter_map(|(_, texts)| parse(texts[lang.index()]).ok()).flat_map(|res| {
            res.entries()
                .filter_map(|e| match e {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        });
        ids.filter_map(|id| match self.format_reporting(lang, &id, &[]) {
            (text, 0) => Some((id, text)),
            _ => None,
        })
        .collect()
    }

    /// Message `id` when it names no value: formatted once, at load.
    pub fn plain(&'static self, lang: Lang, id: &str) -> Option<&'static str> {
        [lang, Lang::En].into_iter().find_map(|l| self.plain.get(l.index())?.get(id).map(String::as_str))
    }

    /// The message `id` in `lang` with `args`; English when `lang` lacks it, the id itself when
    /// no language has it (a test keeps both from happening).
    pub fn format(&self, lang: Lang, id: &str, args: &[(&str, Value<'_>)]) -> String {
        let (text, problems) = self.format_reporting(lang, id, args);
        if problems > 0 {
            // The id and the names only: values can be addresses or names.
            let names: Vec<&str> = args.iter().map(|(n, _)| *n).collect();
            tracing::warn!(id, lang = lang.code(), ?names, problems, "translation missing or formatted with errors");
        }
        text
    }

    /// The same, with how many problems formatting met (a missing value, message or term),
    /// without logging them (the load tries every message without values).
    pub fn format_reporting(&self, lang: Lang, id: &str, args: &[(&str, Value<'_>)]) -> (String, usize) {
        let mut fargs = FluentArgs::new();
        for (name, value) in args {
            match value {
                Value::Text(t) => fargs.set(*name, FluentValue::from(t.as_ref())),
                Value::Number(n) => fargs.set(*name, FluentValue::from(*n)),
            }
        }
        for lang in [lang, Lang::En] {
            let Some(bundle) = self.bundles.get(lang.index()) else { continue };
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else { continue };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
            return (text.into_owned(), errors.len());
        }
        (id.to_string(), 1)
    }
}

pub fn parse(source: &str) -> Result<FluentResource, String> {
    FluentResource::try_new(source.to_string()).map_err(|(_, errors)| format!("{errors:?}"))
}
