//! The translations are complete and agree: every id in every language with the same
//! placeables, every message formats, and no template says anything outside a translation.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;

use super::catalog::{parse, SOURCES};
use super::{Lang, Locale, Msg, Zone};

/// Each message's placeables (`$name`s), by id, for one language's file.
fn placeables(source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let res = parse(source).expect("the file parses");
    let mut out = BTreeMap::new();
    for entry in res.entries() {
        let (id, pattern, attributes) = match entry {
            ast::Entry::Message(m) => (m.id.name.to_string(), m.value.as_ref(), &m.attributes),
            ast::Entry::Term(t) => (format!("-{}", t.id.name), Some(&t.value), &t.attributes),
            _ => continue,
        };
        let mut vars = BTreeSet::new();
        if let Some(p) = pattern {
            pattern_vars(p, &mut vars);
        }
        for a in attributes {
            pattern_vars(&a.value, &mut vars);
        }
        assert!(out.insert(id.clone(), vars).is_none(), "{id} is defined twice in one file");
    }
    out
}

fn pattern_vars(p: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &p.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Inline(i) => inline_vars(i, vars),
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, vars);
            }
            for a in &arguments.named {
                inline_vars(&a.value, vars);
            }
        }
        _ => {}
    }
}

#[test]
fn every_file_parses_in_every_language() {
    for (file, texts) in SOURCES {
        for (lang, text) in Lang::ALL.iter().zip(texts) {
            if let Err(e) = parse(text) {
                panic!("locales/{}/{file} does not parse: {e}", lang.code());
            }
        }
    }
}

#[test]
fn every_message_is_in_both_languages_with_the_same_placeables() {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (file, [en, id]) in SOURCES {
        let (en, id) = (placeables(en), placeables(id));
        for (key, vars) in &en {
            match id.get(key) {
                None => problems.push(format!("{file}: {key} has no Indonesian text")),
                Some(v) if v != vars => {
                    problems.push(format!("{file}: {key} names {vars:?} in English but {v:?} in Indonesian"))
                }
                Some(_) => {}
            }
            if let Some(other) = seen.insert(key.clone(), file) {
                if !key.starts_with('-') || other != *file {
                    problems.push(format!("{key} is in both {other} and {file}"));
                }
            }
        }
        for key in id.keys().filter(|k| !en.contains_key(*k)) {
            problems.push(format!("{file}: {key} has no English text"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every message formats in both languages (a reference to a missing message or term, or a
/// select without a default, would show as an error here).
#[test]
fn every_message_formats_in_both_languages() {
    let catalog = super::catalog::catalog();
    for (file, [en, _]) in SOURCES {
        for (key, vars) in placeables(en) {
            if key.starts_with('-') {
                continue;
            }
            for lang in Lang::ALL {
                let args: Vec<(&str, super::catalog::Value<'_>)> =
                    vars.iter().map(|v| (v.as_str(), super::catalog::Value::Number(2))).collect();
                let (text, problems) = catalog.format_reporting(lang, &key, &args);
                assert!(problems == 0 && !text.trim().is_empty(), "{file}: {key} in {} gives {text:?}", lang.code());
            }
        }
    }
}

#[test]
fn a_moment_is_shown_in_the_readers_zone_and_language() {
    // 2026-12-01 02:14 UTC
    let t = 1_796_091_240;
    let jakarta = Zone::parse("Asia/Jakarta").expect("the tz database knows Jakarta");
    assert_eq!(Locale::default().time(t), "02:14 UTC, 1 Dec 2026");
    assert_eq!(Locale::new(Lang::En, jakarta.clone()).time(t), "09:14 WIB, 1 Dec 2026");
    assert_eq!(Locale::new(Lang::Id, jakarta.clone()).time(t), "09.14 WIB, 1 Des 2026");
    assert_eq!(Locale::new(Lang::Id, Zone::parse("Asia/Jayapura").expect("known")).time(t), "11.14 WIT, 1 Des 2026");
    assert_eq!(Locale::new(Lang::En, jakarta).iso(t), "2026-12-01T09:14:00+07:00");
    assert!(Zone::parse("Asia/Atlantis").is_none() && Zone::parse("").is_none());
    assert!(Zone::all().iter().any(|z| z == "Asia/Makassar"));
}

#[test]
fn lengths_of_time_take_the_languages_plural_rules() {
    let en = Locale::default();
    let id = Locale::new(Lang::Id, Zone::utc());
    assert_eq!(en.wait(1), "1 second");
    assert_eq!(en.wait(61), "2 minutes");
    assert_eq!(en.wait(3600), "1 hour");
    assert_eq!(en.lifetime(600), "10 minutes");
    assert_eq!(en.lifetime(7 * 86_400), "7 days");
    assert_eq!(en.lifetime(86_400), "1 day");
    assert_eq!(id.wait(61), "2 menit");
    assert_eq!(id.lifetime(7 * 86_400), "7 hari");
    assert_eq!(id.lifetime(3600), "1 jam");
}

#[test]
fn a_message_without_values_is_formatted_once_and_lent() {
    let id = Locale::new(Lang::Id, Zone::utc());
    assert!(matches!(id.text("prefs-save"), std::borrow::Cow::Borrowed("Simpan")));
    assert_eq!(Locale::default().text("prefs-save"), "Save");
    // One that names a value is formatted each time; an unknown id reads as itself.
    assert!(matches!(id.text("prefs-zone-unknown"), std::borrow::Cow::Owned(_)));
    assert_eq!(id.text("no-such-message"), "no-such-message");
}

#[test]
fn a_message_outside_a_request_is_english() {
    let m = Msg::new("duration-minutes").with("n", 3_i64);
    assert_eq!(m.to_string(), "3 minutes");
    assert_eq!(Locale::new(Lang::Id, Zone::utc()).msg(&m), "3 menit");
}

/// What a template shows a person: everything outside `{{ }}`, `{% %}` and `{# #}`, outside
/// markup, plus the attributes people read. Only symbols and the brand may be left.
fn literal_text(template: &str) -> Vec<String> {
    let mut s = template.to_string();
    for (open, close) in [("{#", "#}"), ("{%", "%}"), ("{{", "}}")] {
        while let Some(start) = s.find(open) {
            let Some(len) = s[start..].find(close) else { break };
            s.replace_range(start..start + len + close.len(), " ");
        }
    }
    let mut found = Vec::new();
    let mut rest = s.as_str();
    while let Some(lt) = rest.find('<') {
        found.push(rest[..lt].to_string());
        let Some(gt) = rest[lt..].find('>') else { break };
        let tag = &rest[lt..lt + gt];
        for attr in [" title=\"", "aria-label=\"", "placeholder=\"", " alt=\"", " label=\""] {
            if let Some(i) = tag.find(attr) {
                let value = &tag[i + attr.len()..];
                found.push(value[..value.find('"').unwrap_or(value.len())].to_string());
            }
        }
        rest = &rest[lt + gt + 1..];
    }
    found.push(rest.to_string());
    found
        .into_iter()
        .map(|t| t.replace("Latchkey", "").replace("&nbsp;", " ").replace("&middot;", "·"))
        .filter(|t| t.chars().any(char::is_alphabetic))
        .map(|t| t.trim().to_string())
        .collect()
}

#[test]
fn no_template_says_anything_outside_a_translation() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut problems = Vec::new();
    let mut files = vec![dir.clone(), dir.join("mail")];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).expect("readable").map(|e| e.expect("entry").path()));
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        for literal in literal_text(&text) {
            problems.push(format!("{}: {literal:?}", path.display()));
        }
    }
    assert!(problems.is_empty(), "text outside a translation:\n{}", problems.join("\n"));
}

#[test]
fn the_scan_finds_text_in_markup_and_in_read_attributes_only() {
    let t = r#"{% block x %}<p class="a">Hello {{ name }}</p><button aria-label="Close">×</button>{# note #}<a href="/x">{{ chrome.t("k") }}</a> · Latchkey"#;
    assert_eq!(literal_text(t), vec!["Hello".to_string(), "Close".to_string()]);
}
