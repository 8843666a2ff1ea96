//! The table and the JSON the harness prints.

use latchkey::config::Settings;
use serde_json::json;

use crate::load::Sample;

/// What a scenario is compared with.
pub struct Target {
    floor: String,
    floor_rate: f64,
    min_ratio: f64,
}

impl Target {
    /// At least `min_ratio` times the throughput of `floor`.
    pub fn ratio(floor: &str, sample: &Sample, min_ratio: f64) -> Self {
        Self { floor: floor.into(), floor_rate: sample.rate(), min_ratio }
    }
}

pub struct Row {
    name: String,
    rate: f64,
    p50: f64,
    p99: f64,
    compared_with: String,
    floor_rate: Option<f64>,
    ratio: Option<f64>,
    target: String,
    pass: Option<bool>,
    note: String,
}

fn note(s: &Sample) -> String {
    let mut n = Vec::new();
    if s.failed > 0 {
        n.push(format!("{} failed: {}", s.failed, s.first_error.as_deref().unwrap_or("?")));
    }
    if s.rejected > 0 {
        n.push(format!("{} answered 503", s.rejected));
    }
    if s.exhausted {
        n.push(format!("prepared sign-ins ran out after {:.1} s", s.seconds));
    }
    n.join("; ")
}

impl Row {
    pub fn scenario(name: &str, s: &Sample, t: Target) -> Self {
        let ratio = if t.floor_rate > 0.0 { s.rate() / t.floor_rate } else { 0.0 };
        Self {
            name: name.into(),
            rate: s.rate(),
            p50: s.p(0.5),
            p99: s.p(0.99),
            compared_with: t.floor,
            floor_rate: Some(t.floor_rate),
            ratio: Some(ratio),
            // A ratio of 0 is reported, not a target.
            target: if t.min_ratio > 0.0 { format!(">= {:.2}x", t.min_ratio) } else { "(report)".into() },
            pass: if t.min_ratio > 0.0 {
                Some(ratio >= t.min_ratio && s.failed == 0)
            } else {
                (s.failed > 0).then_some(false)
            },
            note: note(s),
        }
    }

    fn floor(name: &str, s: &Sample) -> Self {
        Self {
            name: name.into(),
            rate: s.rate(),
            p50: s.p(0.5),
            p99: s.p(0.99),
            compared_with: "(floor)".into(),
            floor_rate: None,
            ratio: None,
            target: String::new(),
            pass: if s.failed == 0 { None } else { Some(false) },
            note: note(s),
        }
    }
}

#[derive(Default)]
pub struct Memory {
    pub idle_mib: f64,
    pub peak_mib: f64,
    pub per_scenario: Vec<(String, f64)>,
}

pub const IDLE_MIB: f64 = 20.0;
pub const PEAK_MIB: f64 = 100.0;

pub struct Report {
    database: String,
    cores: usize,
    clients: usize,
    users: i64,
    scale_users: i64,
    seconds: f64,
    argon2: String,
    rows: Vec<Row>,
    pub memory: Memory,
}

impl Report {
    pub fn new(
        database_url: &str,
        cores: usize,
        clients: usize,
        users: i64,
        scale_users: i64,
        seconds: f64,
        settings: &Settings,
    ) -> Self {
        let database = if database_url.starts_with("sqlite:") { "SQLite" } else { "PostgreSQL" };
        let a = settings.argon2;
        Self {
            database: database.into(),
            cores,
            clients,
            users,
            scale_users,
            seconds,
            argon2: format!("m={} KiB, t={}, p={}", a.memory_kib, a.iterations, a.parallelism),
            rows: Vec::new(),
            memory: Memory::default(),
        }
    }

    pub fn floor(&mut self, name: &str, s: &Sample) {
        self.rows.push(Row::floor(name, s));
    }

    pub fn row(&mut self, r: Row) {
        self.rows.push(r);
    }

    /// The overload rows: refused sign-ins answered fast, admitted ones, the page's latency.
    pub fn overload(&mut self, rate: f64, storm: &Sample, alone: &Sample, loaded: &Sample) {
        let refused_p99 = storm.rejected_p(0.99);
        self.rows.push(Row {
            name: format!("overload: sign-ins refused (offered {rate:.0}/s)"),
            rate: storm.rejected as f64 / storm.seconds.max(1e-9),
            p50: storm.rejected_p(0.5),
            p99: refused_p99,
            compared_with: "503 latency".into(),
            floor_rate: None,
            ratio: None,
            target: "p99 <= 50 ms".into(),
            pass: Some(storm.rejected > 0 && refused_p99 <= 50.0 && storm.failed == 0),
            note: note(storm),
        });
        self.rows.push(Row {
            name: "overload: sign-ins admitted".into(),
            rate: storm.rate(),
            p50: storm.p(0.5),
            p99: storm.p(0.99),
            compared_with: String::new(),
            floor_rate: None,
            ratio: None,
            target: String::new(),
            pass: None,
            note: String::new(),
        });
        let ratio = if alone.p(0.99) > 0.0 { loaded.p(0.99) / alone.p(0.99) } else { 0.0 };
        self.rows.push(Row {
            name: "overload: page during the storm".into(),
            rate: loaded.rate(),
            p50: loaded.p(0.5),
            p99: loaded.p(0.99),
            compared_with: format!("p99 alone {:.2} ms", alone.p(0.99)),
            floor_rate: None,
            ratio: Some(ratio),
            target: "p99 < 3x alone".into(),
            pass: Some(ratio < 3.0 && loaded.failed == 0 && loaded.ok > 0),
            note: note(loaded),
        });
    }

    /// Two timing rows: the known and the unknown path of a request whose time must not tell
    /// them apart; the medians' ratio is the figure (target: within `tolerance`).
    pub fn timing(&mut self, name: &str, known: &Sample, unknown: &Sample, tolerance: f64) {
        let (k, u) = (known.p(0.5), unknown.p(0.5));
        let ratio = if k > 0.0 { u / k } else { 0.0 };
        for (label, s, is_unknown) in [("known email", known, false), ("unknown email", unknown, true)] {
            self.rows.push(Row {
                name: format!("{name}: {label} ({} tries)", s.ok),
                rate: s.rate(),
                p50: s.p(0.5),
                p99: s.p(0.99),
                compared_with: if is_unknown { format!("known median {k:.2} ms") } else { String::new() },
                floor_rate: None,
                ratio: is_unknown.then_some(ratio),
                target: if is_unknown { format!("median within {:.0}%", tolerance * 100.0) } else { String::new() },
                pass: is_unknown.then_some((ratio - 1.0).abs() <= tolerance && s.failed == 0 && known.failed == 0),
                note: note(s),
            });
        }
    }

    pub fn table(&self) -> String {
        let mut out = format!(
            "\nLatchkey benchmark: {}, {} cores, {} clients, {} users (scale {}), {} s per scenario, argon2id {}\n\n",
            self.database, self.cores, self.clients, self.users, self.scale_users, self.seconds, self.argon2
        );
        out.push_str(&format!(
            "{:<44} {:>10} {:>9} {:>9}  {:<22} {:>10} {:>7}  {:<15} {:<4}\n",
            "scenario", "req/s", "p50 ms", "p99 ms", "compared with", "floor/s", "ratio", "target", "ok"
        ));
        out.push_str(&format!("{}\n", "-".repeat(144)));
        for r in &self.rows {
            out.push_str(&format!(
                "{:<44} {:>10.1} {:>9.2} {:>9.2}  {:<22} {:>10} {:>7}  {:<15} {:<4}{}\n",
                r.name,
                r.rate,
                r.p50,
                r.p99,
                r.compared_with,
                r.floor_rate.map(|f| format!("{f:.1}")).unwrap_or_default(),
                r.ratio.map(|x| format!("{x:.2}")).unwrap_or_default(),
                r.target,
                match r.pass {
                    Some(true) => "yes",
                    Some(false) => "NO",
                    None => "",
                },
                if r.note.is_empty() { String::new() } else { format!("  ({})", r.note) }
            ));
        }
        let m = &self.memory;
        out.push_str(&format!(
            "\nserver RSS: idle {:.1} MiB (target <= {IDLE_MIB} MiB: {}), peak {:.1} MiB (target <= {PEAK_MIB} MiB: {})\n",
            m.idle_mib,
            yes(m.idle_mib <= IDLE_MIB),
            m.peak_mib,
            yes(m.peak_mib <= PEAK_MIB)
        ));
        for (name, peak) in &m.per_scenario {
            out.push_str(&format!("  peak during {name}: {peak:.1} MiB\n"));
        }
        out
    }

    pub fn json(&self) -> String {
        let rows: Vec<_> = self
            .rows
            .iter()
            .map(|r| {
                json!({
                    "scenario": r.name, "requests_per_second": r.rate, "p50_ms": r.p50, "p99_ms": r.p99,
                    "compared_with": r.compared_with, "floor_per_second": r.floor_rate, "ratio": r.ratio,
                    "target": r.target, "pass": r.pass, "note": r.note,
                })
            })
            .collect();
        let m = &self.memory;
        let v = json!({
            "database": self.database, "cores": self.cores, "clients": self.clients, "users": self.users,
            "scale_users": self.scale_users, "seconds": self.seconds, "argon2": self.argon2, "rows": rows,
            "memory": {
                "idle_mib": m.idle_mib, "peak_mib": m.peak_mib,
                "idle_target_mib": IDLE_MIB, "peak_target_mib": PEAK_MIB,
                "per_scenario": m.per_scenario.iter().map(|(n, p)| json!({"scenario": n, "peak_mib": p})).collect::<Vec<_>>(),
            },
        });
        serde_json::to_string_pretty(&v).unwrap_or_default()
    }
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "NO"
    }
}
