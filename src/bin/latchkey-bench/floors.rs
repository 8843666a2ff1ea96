//! The floors: what this machine does at best, measured in the same run as the scenarios.
//! (a) argon2id hashes with the service's parameters on every core; (b) a plain "hello"
//! handler on the same HTTP stack; (c) a primary-key read and (d) a single-row committed insert
//! on the thinnest path to the database: a prepared statement on a raw connection, in-process
//! and without a pool (SQLite: the same file and pragmas, one connection per client for reads
//! and the one writer's connection for inserts; PostgreSQL: one `tokio-postgres` connection per
//! client). (c) and (d) are also measured through the service's own pools ("pool" rows), the
//! way every floor was measured before the store changed drivers.
//!
//! The floors' SQL is written here, not taken from `store/`: the one exception to seeding and
//! reading through the store's functions, since a floor must be a single statement on a table
//! of its own, not what the service happens to do.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use latchkey::config::Argon2Params;
use latchkey::hashing::Engine;
use latchkey::store::{query, Db, Dialect};
use rand::Rng;

use crate::http::Conn;
use crate::load::{drive, Client, Outcome, Sample};

/// (a): argon2id hashes per second on `threads` threads, each reusing its working memory (the
/// best this machine does with these parameters).
pub fn argon2(params: Argon2Params, threads: usize, warmup: Duration, measure: Duration) -> Result<Sample, String> {
    let counting = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let workers: Vec<std::thread::JoinHandle<Vec<u32>>> = (0..threads)
        .map(|_| {
            let (counting, stop, done) = (counting.clone(), stop.clone(), done.clone());
            let mut engine = Engine::new(params).map_err(|e| e.to_string())?;
            Ok(std::thread::spawn(move || {
                let mut latencies = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    let hashed = engine.hash(crate::seed::PASSWORD).is_ok();
                    if hashed && counting.load(Ordering::Relaxed) && !stop.load(Ordering::Relaxed) {
                        done.fetch_add(1, Ordering::Relaxed);
                        latencies.push(t.elapsed().as_micros() as u32);
                    }
                }
                latencies
            }))
        })
        .collect::<Result<_, String>>()?;
    std::thread::sleep(warmup);
    counting.store(true, Ordering::Relaxed);
    let start = Instant::now();
    std::thread::sleep(measure);
    stop.store(true, Ordering::Relaxed);
    let seconds = start.elapsed().as_secs_f64();
    let mut s = Sample { seconds, ..Sample::default() };
    for w in workers {
        s.ok_latencies.extend(w.join().map_err(|_| "an argon2 thread panicked".to_string())?);
    }
    s.ok = done.load(Ordering::Relaxed);
    Ok(s)
}

struct Hello(Conn);

impl Client for Hello {
    async fn step(&mut self) -> Outcome {
        match self.0.get("/", "").await {
            Ok(r) if r.status.is_success() && &r.body[..] == b"hello" => Outcome::Ok,
            Ok(r) => Outcome::Failed(format!("hello answered {}", r.status)),
            Err(e) => Outcome::Failed(e.to_string()),
        }
    }
}

/// (b): GET / on the hello server.
pub async fn hello(addr: SocketAddr, clients: usize, warmup: Duration, measure: Duration) -> Sample {
    drive((0..clients).map(|_| Hello(Conn::new(addr))).collect(), warmup, measure).await
}

const READ: &str = "SELECT id, email, password_hash FROM users WHERE id = $1";
const INSERT: &str = "INSERT INTO bench_floor_inserts (token_hash, user_id, created_at) VALUES ($1, $2, $3)";

/// The pragmas the service's SQLite connections run with (store/pool.rs).
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

fn sqlite_open(path: &str) -> Result<rusqlite::Connection, String> {
    let c = rusqlite::Connection::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
    c.execute_batch(SQLITE_PRAGMAS).map_err(|e| e.to_string())?;
    Ok(c)
}

async fn pg_connect(url: &str) -> Result<tokio_postgres::Client, String> {
    let (client, connection) =
        tokio_postgres::connect(url, tokio_postgres::NoTls).await.map_err(|e| format!("cannot connect: {e}"))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

/// A user id to read, and the token of the n-th insert.
fn some_user(users: i64) -> i64 {
    rand::thread_rng().gen_range(1..=users)
}

fn token(n: i64) -> String {
    latchkey::secrets::hash_token(&format!("{}-{n}", rand::random::<u64>()))
}

fn outcome<E: std::fmt::Display>(r: Result<bool, E>, what: impl FnOnce() -> String) -> Outcome {
    match r {
        Ok(true) => Outcome::Ok,
        Ok(false) => Outcome::Failed(what()),
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

/// A raw connection of the floors.
enum Raw {
    Sqlite(rusqlite::Connection),
    /// The one writer's connection, shared by every client (SQLite has one writer).
    SqliteWriter(Arc<Mutex<rusqlite::Connection>>),
    Pg(tokio_postgres::Client, tokio_postgres::Statement),
}

struct RawRead {
    conn: Raw,
    users: i64,
}

impl Client for RawRead {
    async fn step(&mut self) -> Outcome {
        let id = some_user(self.users);
        let found = match &mut self.conn {
            Raw::Sqlite(c) => c
                .prepare_cached("SELECT id, email, password_hash FROM users WHERE id = ?1")
                .and_then(|mut st| st.exists([id]))
                .map_err(|e| e.to_string()),
            Raw::Pg(c, st) => c.query_opt(st, &[&id]).await.map(|r| r.is_some()).map_err(|e| e.to_string()),
            Raw::SqliteWriter(_) => Err("a read on the writer".to_string()),
        };
        outcome(found, || format!("user {id} not found"))
    }
}

struct RawInsert {
    conn: Raw,
    n: i64,
}

impl Client for RawInsert {
    async fn step(&mut self) -> Outcome {
        self.n += 1;
        let (t, n, now) = (token(self.n), self.n, latchkey::clock::now());
        let done = match &mut self.conn {
            Raw::SqliteWriter(w) => {
                let c = w.lock().unwrap_or_else(|p| p.into_inner());
                c.prepare_cached(
                    "INSERT INTO bench_floor_inserts (token_hash, user_id, created_at) VALUES (?1, ?2, ?3)",
                )
                .and_then(|mut st| st.execute(rusqlite::params![t, n, now]))
                .map(|rows| rows == 1)
                .map_err(|e| e.to_string())
            }
            Raw::Pg(c, st) => c.execute(st, &[&t, &n, &now]).await.map(|rows| rows == 1).map_err(|e| e.to_string()),
            Raw::Sqlite(_) => Err("an insert on a reader".to_string()),
        };
        outcome(done, || "nothing inserted".into())
    }
}

/// (c): a user row by primary key, a prepared statement on a raw connection per client.
pub async fn pk_read(
    database_url: &str,
    users: i64,
    clients: usize,
    warmup: Duration,
    measure: Duration,
) -> Result<Sample, String> {
    let mut conns = Vec::new();
    for _ in 0..clients {
        conns.push(match latchkey::store::sqlite_path(database_url) {
            Some(path) => Raw::Sqlite(sqlite_open(&path)?),
            None => {
                let c = pg_connect(database_url).await?;
                let st = c.prepare(READ).await.map_err(|e| e.to_string())?;
                Raw::Pg(c, st)
            }
        });
    }
    Ok(drive(conns.into_iter().map(|conn| RawRead { conn, users }).collect(), warmup, measure).await)
}

/// (d): one committed single-row insert (its own transaction) on a raw connection, into a
/// table shaped like the sessions table (an indexed token hash).
pub async fn insert(
    db: &Db,
    database_url: &str,
    clients: usize,
    warmup: Duration,
    measure: Duration,
) -> Result<Sample, String> {
    with_insert_table(db, async {
        let writer = match latchkey::store::sqlite_path(database_url) {
            Some(path) => Some(Arc::new(Mutex::new(sqlite_open(&path)?))),
            None => None,
        };
        let mut conns = Vec::new();
        for _ in 0..clients {
            conns.push(match &writer {
                Some(w) => Raw::SqliteWriter(w.clone()),
                None => {
                    let c = pg_connect(database_url).await?;
                    let st = c.prepare(INSERT).await.map_err(|e| e.to_string())?;
                    Raw::Pg(c, st)
                }
            });
        }
        Ok(drive(conns.into_iter().map(|conn| RawInsert { conn, n: 0 }).collect(), warmup, measure).await)
    })
    .await
}

struct PoolRead {
    db: Db,
    users: i64,
}

impl Client for PoolRead {
    async fn step(&mut self) -> Outcome {
        let id = some_user(self.users);
        let row = self.db.read(|c| query(READ).bind(id).fetch_optional::<(i64, String, Option<String>)>(c));
        outcome(row.map(|r| r.is_some()), || format!("user {id} not found"))
    }
}

/// (c) through the service's read pool and driver, one closure per read.
pub async fn pk_read_pool(db: &Db, users: i64, clients: usize, warmup: Duration, measure: Duration) -> Sample {
    drive((0..clients).map(|_| PoolRead { db: db.clone(), users }).collect(), warmup, measure).await
}

struct PoolInsert {
    db: Db,
    n: i64,
}

impl Client for PoolInsert {
    async fn step(&mut self) -> Outcome {
        self.n += 1;
        let (t, n, now) = (token(self.n), self.n, latchkey::clock::now());
        let r = self.db.write(|c| query(INSERT).bind(t).bind(n).bind(now).execute(c));
        outcome(r.map(|rows| rows == 1), || "nothing inserted".into())
    }
}

/// (d) through the service's writer (SQLite) or pool (PostgreSQL) and driver.
pub async fn insert_pool(db: &Db, clients: usize, warmup: Duration, measure: Duration) -> Result<Sample, String> {
    with_insert_table(db, async {
        Ok(drive((0..clients).map(|_| PoolInsert { db: db.clone(), n: 0 }).collect(), warmup, measure).await)
    })
    .await
}

/// Runs `run` with the insert floors' table, created before and dropped after.
async fn with_insert_table(
    db: &Db,
    run: impl std::future::Future<Output = Result<Sample, String>>,
) -> Result<Sample, String> {
    let id = match db.dialect {
        Dialect::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
        Dialect::Postgres => "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    };
    let create = format!(
        "CREATE TABLE bench_floor_inserts (id {id}, token_hash TEXT NOT NULL UNIQUE, user_id BIGINT NOT NULL, created_at BIGINT NOT NULL)"
    );
    let ddl = |sql: &str| db.write(|c| c.batch(sql)).map_err(|e| e.to_string());
    ddl(&create)?;
    let s = run.await;
    ddl("DROP TABLE bench_floor_inserts")?;
    s
}
