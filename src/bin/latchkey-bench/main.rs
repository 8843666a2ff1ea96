//! `latchkey-bench`: measures Latchkey against the floors of the machine it runs on, in one run.
//!
//! It starts a release `latchkey serve` on a fresh database, seeds an organization and its
//! users, measures the floors, runs each scenario for a fixed time with a fixed number of
//! clients after a warm-up, and prints one table (and JSON with `--json FILE`). See
//! docs/BENCHMARKS.md for what each scenario does and the targets.

mod apps;
mod floors;
mod http;
mod keys;
mod load;
mod report;
mod scenarios;
mod seed;
mod server;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use latchkey::config::{Settings, SettingsArgs};
use latchkey::secrets::SecretKey;
use latchkey::store::{Db, Dialect};

use report::{Memory, Report, Row, Target};
use seed::Factor;

#[derive(Parser)]
#[command(name = "latchkey-bench", about = "Benchmarks Latchkey against this machine's floors")]
struct Args {
    #[command(subcommand)]
    command: Option<Internal>,
    /// Database: `sqlite` (a new file in a temporary folder) or postgres://USER@HOST/DB (a new database is created on that server and dropped afterwards)
    #[arg(long, default_value = "sqlite")]
    database_url: String,
    /// Users without two-factor authentication (sessions for the page, sign-ins)
    #[arg(long, default_value_t = 1_000)]
    users: i64,
    /// Users (and sessions) in the database for the scale scenario; 0 skips it
    #[arg(long, default_value_t = 1_000_000)]
    scale_users: i64,
    /// Pending sign-ins prepared for each second-step scenario (each is completed once)
    #[arg(long, default_value_t = 60_000)]
    pool: i64,
    /// Measured seconds per scenario
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Warm-up seconds before each measurement
    #[arg(long, default_value_t = 2.0)]
    warmup: f64,
    /// Concurrent clients for the page, second steps and database floors [default: 8 per core]
    #[arg(long)]
    clients: Option<usize>,
    /// The `latchkey` binary [default: the one next to this harness, built with `cargo build --release` when run by cargo]
    #[arg(long)]
    server: Option<PathBuf>,
    /// Also write the results as JSON to this file
    #[arg(long)]
    json: Option<PathBuf>,
    /// Run only these scenarios (comma-separated: totp, email, key, forward, token, userinfo, forgot, overload, scale); the floors, the page and sign-in always run (the others are compared with them)
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Keep the data folder (and PostgreSQL database) for a look afterwards
    #[arg(long)]
    keep: bool,
}

#[derive(Subcommand)]
enum Internal {
    /// Serve "hello" (the HTTP floor); started by the harness itself
    #[command(hide = true)]
    Hello {
        #[arg(long)]
        bind: SocketAddr,
    },
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("latchkey-bench: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = match &args.command {
        Some(Internal::Hello { bind }) => rt.block_on(server::serve_hello(*bind)),
        None => rt.block_on(run(&args)),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("latchkey-bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The `latchkey` binary to measure.
fn server_binary(args: &Args) -> Result<PathBuf, String> {
    if let Some(p) = &args.server {
        return Ok(p.clone());
    }
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    // Run by `cargo run`: make sure the release server is built and current.
    if let Some(cargo) = std::env::var_os("CARGO") {
        eprintln!("building the release server (cargo build --release --bin latchkey) ...");
        let status = std::process::Command::new(cargo)
            .args(["build", "--release", "--quiet", "--bin", "latchkey"])
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err("cargo build --release --bin latchkey failed".into());
        }
        let root = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .or_else(|| root.map(|r| r.join("target")))
            .unwrap_or_else(|| PathBuf::from("target"));
        return Ok(target.join("release").join("latchkey"));
    }
    Ok(me.with_file_name("latchkey"))
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s.max(0.0))
}

/// A new PostgreSQL database on the server of `url` (dropped again by `drop_database`).
async fn create_database(url: &str) -> Result<(String, String), String> {
    let mut u = url::Url::parse(url).map_err(|e| format!("bad database URL: {e}"))?;
    let admin = admin(url).await.map_err(|e| format!("cannot connect to {}: {e}", redacted(url)))?;
    // A name no other run uses; never drop anything that this run did not create.
    let name = format!("latchkey_bench_{}", latchkey::secrets::random_hex(6));
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .map_err(|e| format!("cannot create the database {name}: {e}"))?;
    u.set_path(&name);
    Ok((u.to_string(), name))
}

/// A database URL without its password, for messages.
fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// A connection to the server of `url`, for creating and dropping the run's database.
async fn admin(url: &str) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

async fn drop_database(url: &str, name: &str) {
    if let Ok(admin) = admin(url).await {
        if let Err(e) = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await {
            eprintln!("latchkey-bench: could not drop the database {name} (drop it by hand): {e}");
        }
    }
}

async fn run(args: &Args) -> Result<(), String> {
    let binary = server_binary(args)?;
    if !binary.exists() {
        return Err(format!("no server binary at {} (build it, or pass --server)", binary.display()));
    }
    let dir = std::env::temp_dir().join(format!("latchkey-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let (database_url, pg_name) = if args.database_url == "sqlite" {
        (format!("sqlite://{}", dir.join("latchkey.db").display()), None)
    } else if args.database_url.starts_with("sqlite:") {
        // The harness seeds known passwords and session tokens: never into an existing file.
        return Err("give `sqlite` for a new SQLite file; the harness never writes to an existing one".into());
    } else {
        let (url, name) = create_database(&args.database_url).await?;
        (url, Some(name))
    };
    let result = bench(args, &binary, &dir, &database_url).await;
    if !args.keep {
        if let Some(name) = &pg_name {
            drop_database(&args.database_url, name).await;
        }
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        eprintln!("kept {} ({})", dir.display(), redacted(&database_url));
    }
    result
}

async fn bench(args: &Args, binary: &Path, dir: &Path, database_url: &str) -> Result<(), String> {
    let (warmup, measure) = (secs(args.warmup), secs(args.seconds));
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let clients = args.clients.unwrap_or(8 * cores).max(1);
    let users = args.users.max(2);
    let pool = args.pool.max(1);

    // The service's own settings for this database: the same argon2 parameters, pools and key.
    let key_file = dir.join("secret.key");
    let key_text = latchkey::secrets::random_hex(32);
    std::fs::write(&key_file, &key_text).map_err(|e| format!("cannot write the key: {e}"))?;
    let settings = Settings::load(&SettingsArgs {
        data_dir: Some(dir.to_path_buf()),
        database_url: Some(database_url.to_string()),
        secret_key_file: Some(key_file.clone()),
        ..SettingsArgs::default()
    })
    .map_err(|e| e.to_string())?;
    let key = SecretKey::load(&settings.secret_key).map_err(|e| e.to_string())?;
    let config = server::ServerConfig {
        binary: binary.to_path_buf(),
        data_dir: dir.to_path_buf(),
        database_url: database_url.to_string(),
        key_file,
        log: dir.join("server.log"),
    };
    let mut report = Report::new(database_url, cores, clients, users, args.scale_users, args.seconds, &settings);

    eprintln!("preparing the database ...");
    config.migrate()?;
    let db = Db::connect(database_url, settings.database_max_connections, settings.database_timeout)
        .await
        .map_err(|e| e.to_string())?;
    let hasher = latchkey::hashing::argon2_for(settings.argon2).map_err(|e| e.to_string())?;
    let password_hash = latchkey::hashing::hash_with(&hasher, seed::PASSWORD).map_err(|e| e.to_string())?;
    let now = latchkey::clock::now();
    let t = Instant::now();
    seed::organization(&db, now).await?;
    seed::users(&db, 1..users + 1, &password_hash, now).await?;
    // Page users have a session each; sign-in users are the rest.
    let page_users = 1..users / 2 + 1;
    let signin_users = users / 2 + 1..users + 1;
    seed::sessions(&db, page_users.clone(), now).await?;
    let totp_pool = users + 1..users + 1 + pool;
    let email_pool = totp_pool.end..totp_pool.end + pool;
    seed::users(&db, totp_pool.start..email_pool.end, &password_hash, now).await?;
    seed::second_step_pool(&db, &key, Factor::Authenticator, totp_pool.clone(), now).await?;
    seed::second_step_pool(&db, &key, Factor::EmailCode, email_pool.clone(), now).await?;
    let key_pool = email_pool.end..email_pool.end + pool;
    seed::users(&db, key_pool.clone(), &password_hash, now).await?;
    let authenticator = keys::pool(&db, key_pool.clone(), now).await?;
    // An application, codes for the token scenario and access tokens for userinfo.
    let app_id = seed::application(&db, now).await?;
    let codes = 1..pool + 1;
    seed::codes(&db, app_id, codes.clone(), page_users.clone(), now).await?;
    seed::access_tokens(&db, app_id, page_users.clone(), now).await?;
    let population = key_pool.end - 1;
    eprintln!("seeded {population} users in {:.1} s", t.elapsed().as_secs_f64());

    let mut srv = config.serve().await?;
    let pid = srv.pid();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (idle_rss, _) = server::rss(pid);
    report.memory.idle_mib = idle_rss;

    // The floors.
    eprintln!("floor (a): argon2id on {cores} threads ...");
    let argon = floors::argon2(settings.argon2, cores, warmup, measure)?;
    report.floor("argon2id hashes", &argon);
    eprintln!("floor (b): hello handler ...");
    let hello_srv = server::hello(&std::env::current_exe().map_err(|e| e.to_string())?).await?;
    let hello = floors::hello(hello_srv.addr, clients, warmup, measure).await;
    drop(hello_srv);
    report.floor("HTTP hello", &hello);
    eprintln!("floor (c): primary-key read, raw ...");
    let read = floors::pk_read(database_url, users, clients, warmup, measure).await?;
    report.floor("primary-key read", &read);
    eprintln!("floor (d): single-row insert, raw ...");
    let insert = floors::insert(&db, database_url, clients, warmup, measure).await?;
    report.floor("single-row insert", &insert);
    // The floors as they were measured before the honest ones: through the service's pools.
    eprintln!("floor (c) through the service's pool ...");
    let pool_read = floors::pk_read_pool(&db, users, clients, warmup, measure).await;
    report.floor("primary-key read (pool)", &pool_read);
    eprintln!("floor (d) through the service's pool ...");
    let pool_insert = floors::insert_pool(&db, clients, warmup, measure).await?;
    report.floor("single-row insert (pool)", &pool_insert);

    let addr = srv.addr;
    let csrf = scenarios::csrf(addr).await?;
    let mut peaks = Vec::new();
    macro_rules! measured {
        ($name:expr, $run:expr) => {{
            eprintln!("scenario: {} ...", $name);
            server::reset_peak(pid);
            let s = $run;
            let (_, peak) = server::rss(pid);
            peaks.push(($name.to_string(), peak));
            s
        }};
    }

    let wants = |name: &str| args.only.is_empty() || args.only.iter().any(|o| o == name);
    let page = measured!(
        "authenticated page",
        scenarios::run_pages(addr, &csrf, page_users.clone(), clients, warmup, measure).await
    );
    report.row(Row::scenario("authenticated page", &page, Target::ratio("HTTP hello", &hello, 0.25)));
    let page_to_read = match db.dialect {
        Dialect::Postgres => 0.3,
        Dialect::Sqlite => 0.0,
    };
    report.row(Row::scenario("authenticated page", &page, Target::ratio("primary-key read", &read, page_to_read)));
    report.row(Row::scenario("authenticated page", &page, Target::ratio("primary-key read (pool)", &pool_read, 0.0)));

    // As many sign-ins in flight as the service admits: the hashing threads never wait for
    // work, and nothing is refused.
    let signin_clients = settings.hash_concurrency + settings.hash_queue;
    let signin = measured!(
        "sign-in",
        scenarios::run_sign_ins(addr, &csrf, signin_users.clone(), signin_clients, warmup, measure).await
    );
    report.row(Row::scenario("sign-in, password step", &signin, Target::ratio("argon2id hashes", &argon, 0.95)));

    if wants("totp") {
        let totp = measured!(
            "second step, authenticator",
            scenarios::run_second_step(addr, &csrf, Factor::Authenticator, totp_pool, clients, warmup, measure).await
        );
        report.row(Row::scenario(
            "second step, authenticator",
            &totp,
            Target::ratio("single-row insert", &insert, 0.3),
        ));
    }

    if wants("email") {
        let email = measured!(
            "second step, email code",
            scenarios::run_second_step(addr, &csrf, Factor::EmailCode, email_pool, clients, warmup, measure).await
        );
        report.row(Row::scenario("second step, email code", &email, Target::ratio("single-row insert", &insert, 0.3)));
    }

    if wants("key") {
        let key = measured!(
            "second step, security key",
            keys::run(addr, &csrf, key_pool, authenticator, clients, (warmup, measure)).await?
        );
        report.row(Row::scenario("second step, security key", &key, Target::ratio("single-row insert", &insert, 0.4)));
    }

    if wants("forward") {
        let forward = measured!(
            "forward-auth check",
            apps::run_forward_auth(addr, page_users.clone(), clients, warmup, measure).await
        );
        report.row(Row::scenario("forward-auth check", &forward, Target::ratio("HTTP hello", &hello, 0.5)));
        report.row(Row::scenario("forward-auth check", &forward, Target::ratio("primary-key read", &read, 0.0)));
    }

    if wants("token") {
        let token = measured!(
            "code-for-token exchange",
            apps::run_exchange(addr, codes.clone(), clients, warmup, measure).await
        );
        report.row(Row::scenario("code-for-token exchange", &token, Target::ratio("single-row insert", &insert, 0.3)));
    }

    if wants("userinfo") {
        let info = measured!("userinfo", apps::run_userinfo(addr, page_users.clone(), clients, warmup, measure).await);
        report.row(Row::scenario("userinfo", &info, Target::ratio("primary-key read", &read, 0.5)));
    }

    // "Forgot password?": the same time for a known and an unknown email (50 of each).
    if wants("forgot") {
        eprintln!("scenario: forgot password, known and unknown emails ...");
        let known = signin_users.start..signin_users.start + 50;
        let (k, u) = scenarios::forgot_timing(addr, &csrf, known, 50).await;
        report.timing("forgot password", &k, &u, 0.10);
    }

    // Overload: the page alone first, for its unloaded latency; then with 4x the sign-ins the
    // argon2 floor sustains arriving.
    if wants("overload") {
        let alone = measured!(
            "overload: page alone",
            scenarios::run_pages(addr, &csrf, page_users.clone(), 1, warmup, measure).await
        );
        let rate = 4.0 * argon.rate();
        let (storm, loaded) = measured!(
            "overload: 4x sign-ins",
            scenarios::overload(addr, &csrf, signin_users.clone(), page_users.clone(), rate, warmup, measure).await
        );
        report.overload(rate, &storm, &alone, &loaded);
    }

    if args.scale_users > population && wants("scale") {
        eprintln!("seeding up to {} users and sessions ...", args.scale_users);
        let t = Instant::now();
        let extra = population + 1..args.scale_users + 1;
        // Seeded as fresh as the first sessions were, so that both page runs do the same work.
        let now = latchkey::clock::now();
        seed::users(&db, extra.clone(), &password_hash, now).await?;
        // One session per user, so the sessions table holds as many rows as there are users.
        seed::sessions(&db, page_users.end..args.scale_users + 1, now).await?;
        eprintln!("seeded in {:.1} s", t.elapsed().as_secs_f64());
        let all = 1..args.scale_users + 1;
        let scale_page = measured!(
            "scale: authenticated page",
            scenarios::run_pages(addr, &csrf, all, clients, warmup, measure).await
        );
        report.row(Row::scenario(
            &format!("scale: page, {} users", args.scale_users),
            &scale_page,
            Target::ratio("authenticated page", &page, 0.8),
        ));
        let scale_signin = measured!(
            "scale: sign-in",
            scenarios::run_sign_ins(addr, &csrf, extra, signin_clients, warmup, measure).await
        );
        report.row(Row::scenario(
            &format!("scale: sign-in, {} users", args.scale_users),
            &scale_signin,
            Target::ratio("sign-in, password step", &signin, 0.8),
        ));
    }

    let (_, lifetime_peak) = server::rss(pid);
    report.memory = Memory { idle_mib: idle_rss, peak_mib: lifetime_peak, per_scenario: peaks };
    if let Ok(Some(status)) = srv.child.try_wait() {
        return Err(format!("the server exited during the run ({status}); see {}", config.log.display()));
    }
    db.close().await;
    drop(srv);
    print!("{}", report.table());
    if let Some(path) = &args.json {
        std::fs::write(path, report.json()).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
