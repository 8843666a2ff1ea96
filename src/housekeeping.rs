//! Periodic clean-up: expired sessions and pending sign-ins, idle failure counters, codes and
//! tokens of applications that can no longer be used. Safe to run in every process.

use std::time::Duration;

use tokio::sync::watch;

use crate::state::AppState;
use crate::store::{grants, pending, security_keys, sessions, throttle, StoreError};

const EVERY: Duration = Duration::from_secs(300);

pub async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(e) = once(&state).await {
            if !state.db.note(&e) {
                tracing::warn!(error = %e, "housekeeping failed; will try again");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(EVERY) => {}
            changed = stop.changed() => if changed.is_err() { return },
        }
        if *stop.borrow() {
            return;
        }
    }
}

async fn once(state: &AppState) -> Result<(), StoreError> {
    let now = state.clock.now();
    let s = &state.settings;
    let idle_before = now - s.session_idle.as_secs() as i64;
    let created_before = now - s.session_lifetime.as_secs() as i64;
    state.db.write(|conn| {
        sessions::delete_expired(conn, idle_before, created_before)?;
        throttle::prune(conn, now, 86_400)?;
        pending::delete_expired(conn, now)?;
        security_keys::delete_expired(conn, now)?;
        // Used codes and refresh tokens are kept a day past their expiry, to recognise a replay.
        grants::delete_expired(conn, now, 86_400)?;
        Ok(())
    })
}
