//! The benchmark harness keeps working: a run of a few seconds with a handful of users, on
//! both databases. Nothing about speed is asserted (the machines are shared); what is asserted
//! is that every scenario ran end to end without a failed request, and what it reported.

use std::process::Command;

use serde_json::Value;

fn run_harness(database_url: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("bench.json");
    let out = Command::new(env!("CARGO_BIN_EXE_latchkey-bench"))
        .args(["--server", env!("CARGO_BIN_EXE_latchkey"), "--database-url", database_url])
        .args(["--seconds", "0.5", "--warmup", "0.1", "--users", "20", "--pool", "1500", "--scale-users", "5000"])
        .arg("--json")
        .arg(&json)
        .output()
        .expect("the harness runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "latchkey-bench failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("scenario") && stdout.contains("server RSS"), "the table is printed:\n{stdout}");
    serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap()
}

fn check(report: &Value, database: &str) {
    assert_eq!(report["database"], database);
    let rows = report["rows"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["scenario"].as_str().unwrap()).collect();
    for expected in [
        "argon2id hashes",
        "HTTP hello",
        "primary-key read",
        "single-row insert",
        "primary-key read (pool)",
        "single-row insert (pool)",
        "authenticated page",
        "sign-in, password step",
        "second step, authenticator",
        "second step, email code",
        "second step, security key",
        "forward-auth check",
        "code-for-token exchange",
        "userinfo",
        "overload: sign-ins admitted",
        "overload: page during the storm",
        "scale: page, 5000 users",
        "scale: sign-in, 5000 users",
    ] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    assert!(names.iter().any(|n| n.starts_with("overload: sign-ins refused")), "{names:?}");
    for timing in ["forgot password: known email", "forgot password: unknown email"] {
        assert!(names.iter().any(|n| n.starts_with(timing)), "{timing} missing from {names:?}");
    }
    for r in rows {
        let name = r["scenario"].as_str().unwrap();
        let note = r["note"].as_str().unwrap();
        assert!(!note.contains("failed"), "{name}: {note}");
        if name.starts_with("overload: sign-ins") {
            continue; // how many are admitted or refused depends on the machine
        }
        assert!(r["requests_per_second"].as_f64().unwrap() > 0.0, "{name} did nothing: {r}");
        // Every compared row has its ratio (the known-email timing row is what the unknown one
        // is compared with).
        if r["compared_with"] != "(floor)" && r["compared_with"] != "" && !name.starts_with("overload") {
            assert!(r["ratio"].as_f64().unwrap() > 0.0, "{name} has no ratio: {r}");
            // A row that only reports its ratio has no target to pass.
            if r["target"] == "(report)" {
                assert!(r["pass"].is_null(), "{name}: {r}");
            } else {
                assert!(r["pass"].is_boolean(), "{name}: {r}");
            }
        }
    }
    let memory = &report["memory"];
    assert!(memory["idle_mib"].as_f64().unwrap() > 1.0, "{memory}");
    assert!(memory["peak_mib"].as_f64().unwrap() >= memory["idle_mib"].as_f64().unwrap(), "{memory}");
    assert_eq!(memory["per_scenario"].as_array().unwrap().len(), 12, "{memory}");
}

#[test]
fn the_harness_runs_every_scenario_on_sqlite() {
    check(&run_harness("sqlite"), "SQLite");
}

#[test]
fn the_harness_runs_every_scenario_on_postgres() {
    check(&run_harness(&format!("{}/postgres", crate::common::pg_server())), "PostgreSQL");
}
