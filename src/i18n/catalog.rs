//! The translations: Project Fluent files under `locales/<lang>/`, built into the binary and
//! parsed once. Plural rules and number formatting come from Fluent.

use std::borrow::Cow;
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
}

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
        let bundles = Lang::ALL
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
        Self { bundles }
    }

    /// The message `id` in `lang` with `args`; English when `lang` lacks it, the id itself when
    /// no language has it (a test keeps both from happening).
    pub fn format(&self, lang: Lang, id: &str, args: &[(&str, Value<'_>)]) -> String {
        self.format_reporting(lang, id, args).0
    }

    /// The same, with how many problems formatting met (a missing value, message or term).
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
            if !errors.is_empty() {
                tracing::warn!(id, lang = lang.code(), ?errors, "translation formatted with errors");
            }
            return (text.into_owned(), errors.len());
        }
        tracing::warn!(id, "translation missing");
        (id.to_string(), 1)
    }
}

pub fn parse(source: &str) -> Result<FluentResource, String> {
    FluentResource::try_new(source.to_string()).map_err(|(_, errors)| format!("{errors:?}"))
}
