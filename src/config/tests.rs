//! The settings: defaults, precedence, and every numeric setting's range at both ends, with the
//! settings that must agree.

use super::*;

#[test]
fn defaults_need_no_configuration() {
    let s = Settings::load(&SettingsArgs::default()).unwrap();
    assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(s.public_url.as_str(), "http://127.0.0.1:8080/");
    assert_eq!(s.database_url, "sqlite://latchkey-data/latchkey.db");
    assert!(matches!(s.secret_key, KeySource::Generated(_)));
    assert_eq!(s.mail_from, "Latchkey <no-reply@127.0.0.1>");
    assert_eq!(s.session_idle, Duration::from_secs(1800));
}

#[test]
fn bad_values_name_their_setting() {
    let a = SettingsArgs { bind: Some("nowhere".into()), ..Default::default() };
    assert!(Settings::load(&a).unwrap_err().0.contains("Setting bind"));
    let a = SettingsArgs { session_lifetime: Some("soon".into()), ..Default::default() };
    assert!(Settings::load(&a).unwrap_err().0.contains("session_lifetime"));
    let a = SettingsArgs { database_url: Some("mysql://x".into()), ..Default::default() };
    assert!(Settings::load(&a).unwrap_err().0.contains("database_url"));
}

#[test]
fn postgres_requires_a_shared_key() {
    let a = SettingsArgs { database_url: Some("postgres://localhost/x".into()), ..Default::default() };
    assert!(Settings::load(&a).unwrap_err().0.contains("LATCHKEY_SECRET_KEY"));
}

#[test]
fn the_file_fills_what_flags_leave_out_and_unknown_keys_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latchkey.toml");
    std::fs::write(&path, "bind = \"127.0.0.1:9000\"\npublic_url = \"https://login.acme.example\"\n").unwrap();
    let a = SettingsArgs { config: Some(path.clone()), bind: Some("127.0.0.1:9001".into()), ..Default::default() };
    let s = Settings::load(&a).unwrap();
    assert_eq!(s.bind.port(), 9001);
    assert_eq!(s.link("/login"), "https://login.acme.example/login");
    std::fs::write(&path, "bnid = \"127.0.0.1:9000\"\n").unwrap();
    let err = Settings::load(&SettingsArgs { config: Some(path), ..Default::default() }).unwrap_err();
    assert!(err.0.contains("unknown field 'bnid'"), "{}", err.0);
}

type Set = fn(&mut SettingsArgs, &str);

/// (setting, how to set it, lowest allowed, highest allowed, just below, just above)
const BOUNDS: &[(&str, Set, &str, &str, &str, &str)] = &[
    ("database_max_connections", |a, v| a.database_max_connections = v.parse().ok(), "1", "1000", "0", "1001"),
    ("database_timeout", |a, v| a.database_timeout = Some(v.into()), "1s", "5m", "500ms", "301s"),
    ("header_timeout", |a, v| a.header_timeout = Some(v.into()), "1s", "5m", "999ms", "6m"),
    ("argon2_memory_kib", |a, v| a.argon2_memory_kib = v.parse().ok(), "1024", "1048576", "1023", "4294967295"),
    ("argon2_iterations", |a, v| a.argon2_iterations = v.parse().ok(), "1", "64", "0", "65"),
    ("argon2_parallelism", |a, v| a.argon2_parallelism = v.parse().ok(), "1", "16", "0", "17"),
    ("hash_concurrency", |a, v| a.hash_concurrency = v.parse().ok(), "1", "256", "0", "257"),
    ("hash_queue", |a, v| a.hash_queue = v.parse().ok(), "0", "10000", "", "10001"),
    ("session_idle_timeout", |a, v| a.session_idle_timeout = Some(v.into()), "1m", "12h", "59s", "8d"),
    ("session_lifetime", |a, v| a.session_lifetime = Some(v.into()), "30m", "90d", "4m", "91d"),
    ("verify_link_ttl", |a, v| a.verify_link_ttl = Some(v.into()), "5m", "30d", "4m", "31d"),
    ("reset_link_ttl", |a, v| a.reset_link_ttl = Some(v.into()), "5m", "7d", "4m", "8d"),
    ("invite_link_ttl", |a, v| a.invite_link_ttl = Some(v.into()), "1h", "90d", "59m", "91d"),
    ("signin_failures_per_account", |a, v| a.signin_failures_per_account = v.parse().ok(), "1", "1000", "0", "1001"),
    (
        "signin_failures_per_address",
        |a, v| a.signin_failures_per_address = v.parse().ok(),
        "1",
        "1000000",
        "0",
        "1000001",
    ),
    ("throttle_window", |a, v| a.throttle_window = Some(v.into()), "1m", "24h", "59s", "25h"),
    ("lockout_base", |a, v| a.lockout_base = Some(v.into()), "1s", "1h", "0s", "25h"),
    ("lockout_max", |a, v| a.lockout_max = Some(v.into()), "1m", "30d", "0s", "31d"),
    ("account_mails_per_hour", |a, v| a.account_mails_per_hour = v.parse().ok(), "1", "100", "0", "101"),
    ("email_code_ttl", |a, v| a.email_code_ttl = Some(v.into()), "1m", "1h", "59s", "61m"),
    ("email_code_max_tries", |a, v| a.email_code_max_tries = v.parse().ok(), "1", "10", "0", "11"),
    ("code_resend_cooldown", |a, v| a.code_resend_cooldown = Some(v.into()), "1s", "10m", "0s", "2h"),
    ("codes_per_hour", |a, v| a.codes_per_hour = v.parse().ok(), "1", "100", "0", "101"),
    ("pending_signin_ttl", |a, v| a.pending_signin_ttl = Some(v.into()), "1m", "1h", "59s", "61m"),
    (
        "second_factor_failures_per_account",
        |a, v| a.second_factor_failures_per_account = v.parse().ok(),
        "1",
        "100",
        "0",
        "101",
    ),
    (
        "second_factor_failures_per_address",
        |a, v| a.second_factor_failures_per_address = v.parse().ok(),
        "1",
        "1000000",
        "0",
        "1000001",
    ),
];

fn with(set: Set, value: &str) -> Result<Settings, ConfigError> {
    let mut a = SettingsArgs::default();
    set(&mut a, value);
    Settings::load(&a)
}

#[test]
fn every_number_is_checked_at_both_ends_with_one_sentence_naming_its_setting() {
    for &(name, set, lo, hi, below, above) in BOUNDS {
        for ok in [lo, hi] {
            assert!(with(set, ok).is_ok(), "{name} = {ok} must be allowed: {:?}", with(set, ok).err());
        }
        for bad in [below, above].into_iter().filter(|v| !v.is_empty()) {
            let err = with(set, bad).expect_err(&format!("{name} = {bad} must be refused")).0;
            assert!(err.starts_with(&format!("Setting {name}: ")), "{err}");
            assert!(err.contains("out of range") || err.contains("not a duration"), "{err}");
            assert!(err.ends_with('.') && err.matches(". ").count() == 0, "one sentence: {err}");
        }
    }
}

#[test]
fn the_connection_limit_stays_below_the_open_file_limit() {
    let files = open_file_limit();
    let most = checks::max_connection_limit(files);
    let set: Set = |a, v| a.connection_limit = v.parse().ok();
    assert!(with(set, &most.to_string()).is_ok());
    let err = with(set, &(most + 1).to_string()).unwrap_err().0;
    assert!(err.starts_with("Setting connection_limit: ") && err.contains("out of range"), "{err}");
    assert!(with(set, "15").is_err());
    let default = Settings::load(&SettingsArgs::default()).unwrap().connection_limit as u64;
    assert!(default <= most && default <= 4096, "{default} vs {files} open files");
}

#[test]
fn settings_that_contradict_each_other_are_refused() {
    let cases: [(Set, Set, &str); 3] = [
        (
            |a, _| a.lockout_base = Some("2h".into()),
            |a, _| a.lockout_max = Some("1m".into()),
            "lockout_base (2h) and lockout_max (1m)",
        ),
        (
            |a, _| a.session_idle_timeout = Some("2h".into()),
            |a, _| a.session_lifetime = Some("1h".into()),
            "session_idle_timeout (2h) and session_lifetime (1h)",
        ),
        (
            |a, _| a.code_resend_cooldown = Some("15m".into()),
            |a, _| a.email_code_ttl = Some("10m".into()),
            "code_resend_cooldown (15m) and email_code_ttl (10m)",
        ),
    ];
    for (first, second, names) in cases {
        let mut a = SettingsArgs::default();
        first(&mut a, "");
        second(&mut a, "");
        let err = Settings::load(&a).unwrap_err().0;
        assert!(err.starts_with(&format!("Settings {names} contradict each other")), "{err}");
    }
}
