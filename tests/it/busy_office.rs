//! A call center behind one address: at the start of a shift 300 agents sign in from browsers
//! their accounts know, 5% of them mistyping once; nobody is locked out, although their
//! failures would lock the address. A spray of wrong passwords across many accounts from the same
//! address, from a browser no account knows, is still capped; the known browsers keep working
//! while the address is locked. On SQLite, and across two processes on PostgreSQL.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::common::burst::Apps;
use crate::common::{Backend, Browser, PASSWORD};
use latchkey::config::SettingsArgs;

const AGENTS: usize = 300;
/// Failures one address may have in the window: 5% of the agents mistyping (15) is more.
const ADDRESS_LIMIT: i64 = 10;

fn settings(a: &mut SettingsArgs) {
    a.signin_failures_per_address = Some(ADDRESS_LIMIT);
    // Room for the whole shift in the hashing queue, as a deployment sized for it would have.
    a.hash_queue = Some(64);
}

fn agent(i: usize) -> String {
    format!("agent{i:03}@acme.example")
}

/// Signs in, retrying while the service says it is busy (503, as a browser's user would).
async fn sign_in(b: &mut Browser, email: &str, password: &str) -> u16 {
    loop {
        b.get("/login").await;
        let page = b.post("/login", &[("email", email), ("password", password)]).await;
        if page.status != 503 {
            return if page.path == "/account" { 200 } else { page.status };
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn a_shift_starts(backend: Backend) {
    let apps = Apps::start(backend, settings).await;
    let first = apps.first();
    first.create_org("Acme Support", "acme.example").await;
    // Yesterday: every agent signed in once on the browser at their desk.
    let mut desks = Vec::new();
    for i in 0..AGENTS {
        first.create_user(&agent(i), Some(PASSWORD), true).await;
        let mut b = Browser::new(apps.url(i));
        assert_eq!(sign_in(&mut b, &agent(i), PASSWORD).await, 200, "{}", agent(i));
        b.post("/logout", &[]).await;
        desks.push(b);
    }

    // The shift: all at once, one in twenty mistyping first.
    let gate = Arc::new(Semaphore::new(32));
    let mut tasks = Vec::new();
    for (i, mut b) in desks.into_iter().enumerate() {
        let gate = gate.clone();
        tasks.push(tokio::spawn(async move {
            let _slot = gate.acquire().await.unwrap();
            let mut statuses = Vec::new();
            if i % 20 == 0 {
                statuses.push(sign_in(&mut b, &agent(i), "wrong password").await);
            }
            statuses.push(sign_in(&mut b, &agent(i), PASSWORD).await);
            (b, statuses)
        }));
    }
    let mut desks = Vec::new();
    let mut mistakes = 0;
    for t in tasks {
        let (b, statuses) = t.await.unwrap();
        assert_eq!(*statuses.last().unwrap(), 200, "signed in: {statuses:?}");
        assert!(!statuses.contains(&429), "nobody is locked out: {statuses:?}");
        mistakes += statuses.iter().filter(|s| **s == 400).count();
        desks.push(b);
    }
    assert_eq!(mistakes, AGENTS / 20, "each mistake was a wrong password, told as one");
    assert!(mistakes as i64 > ADDRESS_LIMIT, "enough to lock the address if counted against it");

    // A spray from a browser no account knows, on the same address: capped at the address's limit.
    let mut sprayer = Browser::new(apps.url(0));
    let mut answered = Vec::new();
    for i in 0..(ADDRESS_LIMIT as usize + 5) {
        answered.push(sign_in(&mut sprayer, &agent(i), "Summer2026!").await);
    }
    // Exactly the limit's guesses are compared: the last of them locks the address (429).
    let wrong = answered.iter().filter(|s| **s == 400).count();
    assert_eq!(wrong as i64, ADDRESS_LIMIT - 1, "{answered:?}");
    assert!(answered[ADDRESS_LIMIT as usize - 1..].iter().all(|s| *s == 429), "{answered:?}");
    let compared = first.texts("SELECT detail FROM audit_events WHERE kind = 'sign_in_failed'").await;
    assert_eq!(
        compared.len(),
        mistakes + ADDRESS_LIMIT as usize,
        "the agents' mistakes and the spray's compared guesses"
    );
    // The address is locked; an unknown browser with the right password waits, a known desk does not.
    let mut newcomer = Browser::new(apps.url(1));
    assert_eq!(sign_in(&mut newcomer, &agent(7), PASSWORD).await, 429);
    let mut desk = desks.swap_remove(7);
    desk.post("/logout", &[]).await;
    assert_eq!(sign_in(&mut desk, &agent(7), PASSWORD).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_agents_behind_one_address_sign_in_and_a_spray_is_still_capped_on_sqlite() {
    a_shift_starts(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_agents_behind_one_address_sign_in_and_a_spray_is_still_capped_on_two_postgres_processes() {
    a_shift_starts(Backend::Postgres).await;
}
