//! The floors: what this machine does at best, measured in the same run as the scenarios.
//! (a) argon2id hashes with the service's parameters on every core; (b) a plain "hello"
//! handler on the same HTTP stack; (c) a primary-key read and (d) a single-row committed insert
//! through the same database pools and settings the service uses.
//!
//! The floors' SQL is written here, not taken from `store/`: the one exception to seeding and
//! reading through the store's functions, since a floor must be a single statement on a table
//! of its own, not what the service happens to do.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use latchkey::config::Argon2Params;
use latchkey::hashing::Engine;
use latchkey::store::{Db, Dialect};
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

struct PkRead {
    db: Db,
    users: i64,
}

impl Client for PkRead {
    async fn step(&mut self) -> Outcome {
        let id = rand::thread_rng().gen_range(1..=self.users);
        let mut conn = match self.db.read().await {
            Ok(c) => c,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let row: Result<Option<(i64, String, Option<String>)>, _> =
            sqlx::query_as("SELECT id, email, password_hash FROM users WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await;
        match row {
            Ok(Some(_)) => Outcome::Ok,
            Ok(None) => Outcome::Failed(format!("user {id} not found")),
            Err(e) => Outcome::Failed(e.to_string()),
        }
    }
}

/// (c): a user row by primary key, through the read pool.
pub async fn pk_read(db: &Db, users: i64, clients: usize, warmup: Duration, measure: Duration) -> Sample {
    drive((0..clients).map(|_| PkRead { db: db.clone(), users }).collect(), warmup, measure).await
}

struct Insert {
    db: Db,
    n: i64,
}

impl Client for Insert {
    async fn step(&mut self) -> Outcome {
        self.n += 1;
        let token = latchkey::secrets::hash_token(&format!("{}-{}", rand::random::<u64>(), self.n));
        let mut conn = match self.db.write().await {
            Ok(c) => c,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let r = sqlx::query("INSERT INTO bench_floor_inserts (token_hash, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(token)
            .bind(self.n)
            .bind(latchkey::clock::now())
            .execute(&mut *conn)
            .await;
        match r {
            Ok(_) => Outcome::Ok,
            Err(e) => Outcome::Failed(e.to_string()),
        }
    }
}

/// (d): one committed single-row insert (its own transaction), through the write pool, into a
/// table shaped like the sessions table (an indexed token hash).
pub async fn insert(db: &Db, clients: usize, warmup: Duration, measure: Duration) -> Result<Sample, String> {
    let id = match db.dialect {
        Dialect::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
        Dialect::Postgres => "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    };
    let create = format!(
        "CREATE TABLE bench_floor_inserts (id {id}, token_hash TEXT NOT NULL UNIQUE, user_id BIGINT NOT NULL, created_at BIGINT NOT NULL)"
    );
    let ddl = |sql: String| async move {
        let mut conn = db.write().await.map_err(|e| e.to_string())?;
        sqlx::query(&sql).execute(&mut *conn).await.map_err(|e| e.to_string()).map(|_| ())
    };
    ddl(create).await?;
    let clients = (0..clients).map(|_| Insert { db: db.clone(), n: 0 }).collect();
    let s = drive(clients, warmup, measure).await;
    ddl("DROP TABLE bench_floor_inserts".into()).await?;
    Ok(s)
}
