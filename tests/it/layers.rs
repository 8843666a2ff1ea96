//! Keeps the layers: reads every source file and fails when a path goes the wrong way.
//! - `domain/` uses nothing of the crate outside itself;
//! - `store/` and `state.rs` use neither `service/`, `web/`, `cli` nor `app` (the router);
//! - `service/` uses neither `web/`, `cli` nor `app`;
//! - inside `service/`, calls go down only: the use cases never use each other, the factors
//!   never use a use case, and the shared modules use neither.

use std::path::{Path, PathBuf};

/// The module path of a source file: `src/service/factor/email_code.rs` is
/// `service::factor::email_code`; a `mod.rs` is its folder.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

/// Expands one `use` tree (`a::{b, c::{d, e}}`) into its paths.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        return vec![tree.split(" as ").next().unwrap_or(tree).trim().to_string()];
    };
    let prefix = tree[..open].trim_end_matches("::");
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, ch) in inner.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(expand)
        .map(|p| if p == "self" { prefix.to_string() } else { format!("{prefix}::{p}") })
        .collect()
}

/// The crate paths a file names, each resolved from the crate root (`service::guard::audit`).
fn paths_in(module: &[String], text: &str) -> Vec<Vec<String>> {
    // Unit tests at the end of a file may reach anywhere.
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    let text: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let mut raw = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let l = line.trim_start();
        let Some(tree) =
            ["use ", "pub use ", "pub(crate) use ", "pub(super) use "].iter().find_map(|p| l.strip_prefix(p))
        else {
            continue;
        };
        let mut stmt = tree.to_string();
        while !stmt.contains(';') {
            let Some(next) = lines.next() else { break };
            stmt.push_str(next);
        }
        raw.extend(expand(stmt.split(';').next().unwrap_or_default()));
    }
    // Paths written inline (`crate::domain::throttle::address_group(ip)`).
    for start in ["crate::", "super::"] {
        let mut rest = text.as_str();
        while let Some(i) = rest.find(start) {
            let before = rest[..i].chars().last();
            let tail = &rest[i..];
            let end = tail.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(tail.len());
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                raw.push(tail[..end].trim_end_matches(':').to_string());
            }
            rest = &tail[end.max(1)..];
        }
    }
    raw.into_iter().filter_map(|p| resolve(module, &p)).collect()
}

/// `crate::a::b` or `super::super::c` from `module`, as a path from the crate root; None for
/// other crates and for names in scope.
fn resolve(module: &[String], path: &str) -> Option<Vec<String>> {
    let mut segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<String> = match segs.first() {
        Some(&"crate") => {
            segs.remove(0);
            Vec::new()
        }
        Some(&"super") => {
            let mut base = module.to_vec();
            while segs.first() == Some(&"super") {
                segs.remove(0);
                base.pop();
            }
            base
        }
        _ => return None,
    };
    base.extend(segs.iter().map(|s| s.to_string()));
    Some(base)
}

/// The modules of `service/` (its files and folders); other names under `service::` are items
/// of `service/mod.rs` itself.
fn service_modules() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/service");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|n| n != "mod")
        .collect()
}

/// The level of a name under `service::`: 0 shared, 1 a way in, 2 a use case.
fn service_level(sub: &str) -> u8 {
    match sub {
        "guard" | "sessions" | "accounts" | "org" | "devices" => 0,
        "factor" => 1,
        s if service_modules().iter().any(|m| m == s) => 2,
        _ => 0,
    }
}

/// Why `to` may not be named from `from`, if it may not.
fn violation(from: &[String], to: &[String]) -> Option<String> {
    let top = |m: &[String]| m.first().cloned().unwrap_or_default();
    let (f, t) = (top(from), top(to));
    let forbidden = |names: &[&str]| names.contains(&t.as_str());
    let why = match f.as_str() {
        "domain" if t != "domain" => Some("domain/ uses only itself"),
        "store" | "state" if forbidden(&["service", "web", "cli", "app"]) => {
            Some("store/ and state.rs sit below service/")
        }
        "service" if forbidden(&["web", "cli", "app"]) => Some("service/ sits below web/, cli and the router"),
        "service" if t == "service" => {
            let sub = |m: &[String]| m.get(1).cloned().unwrap_or_default();
            let (fs, ts) = (sub(from), sub(to));
            let (fl, tl) = (service_level(&fs), service_level(&ts));
            let up = tl > fl || (tl == 2 && fl == 2 && fs != ts);
            up.then_some("service/ calls go down only (shared < factor < use cases; use cases never call each other)")
        }
        _ => None,
    };
    why.map(|w| format!("{} -> {}: {w}", from.join("::"), to.join("::")))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn violations_in(rel: &Path, text: &str) -> Vec<String> {
    let module = module_of(rel);
    paths_in(&module, text).iter().filter_map(|to| violation(&module, to)).collect()
}

#[test]
fn every_import_goes_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut found = Vec::new();
    let mut checked = 0;
    for f in files.iter().filter(|f| !f.starts_with(src.join("bin"))) {
        let rel = f.strip_prefix(&src).unwrap();
        let text = std::fs::read_to_string(f).unwrap();
        checked += paths_in(&module_of(rel), &text).len();
        found.extend(violations_in(rel, &text));
    }
    assert!(checked > 500, "the checker read the imports ({checked})");
    assert!(found.is_empty(), "imports that go the wrong way:\n{}", found.join("\n"));
}

#[test]
fn the_checker_catches_each_wrong_way() {
    let wrong = [
        ("domain/signin/mod.rs", "use crate::store::Db;"),
        ("domain/codes.rs", "fn f() { crate::service::guard::audit(); }"),
        ("store/pending.rs", "use crate::service::sessions::Current;"),
        ("store/users.rs", "use crate::web::pages;"),
        ("state.rs", "use crate::service::sessions::Touches;"),
        ("service/two_factor.rs", "use crate::web::error::WebError;"),
        ("service/admin.rs", "use crate::app::router;"),
        ("service/authenticator.rs", "use super::two_factor::{enable, Confirmation};"),
        ("service/factor/proof.rs", "use super::super::signin::second_step;"),
        ("service/guard.rs", "use super::factor::password;"),
        ("service/signin/second_step.rs", "use super::super::{passwords, Result};"),
    ];
    for (file, text) in wrong {
        assert!(!violations_in(Path::new(file), text).is_empty(), "{file}: {text} was not caught");
    }
    let right = [
        ("domain/signin/mod.rs", "use super::factor::{Factors, Method};"),
        ("service/signin/second_step.rs", "use super::effects::Run;\nuse super::super::factor::{self, email_code};"),
        ("service/factor/proof.rs", "use super::super::sessions::Current;\nuse super::{authenticator, password};"),
        ("store/pending.rs", "use crate::domain::signin::Awaiting;"),
        ("web/signin.rs", "use crate::service::signin::SignInOutcome;"),
    ];
    for (file, text) in right {
        assert_eq!(violations_in(Path::new(file), text), Vec::<String>::new(), "{file}");
    }
}
