//! Periodic clean-up: expired sessions and pending sign-ins, idle failure counters, codes and
//! tokens of applications that can no longer be used. Safe to run in every process.

use std::time::Duration;

use tokio::sync::watch;

use crate::state::AppState;
use crate::store::{grants, pending, sessions, throttle, StoreError};

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
    let mut conn = state.db.write().await?;
    let idle_before = now - s.session_idle.as_secs() as i64;
    let created_before = now - s.session_lifetime.as_secs() as i64;
    sessions::delete_expired(&mut conn, idle_before, created_before).await?;
    throttle::prune(&mut conn, now, 86_400).await?;
    pending::delete_expired(&mut conn, now).await?;
    // Used codes and refresh tokens are kept a day past their expiry, to recognise a replay.
    grants::delete_expired(&mut conn, now, 86_400).await?;
    Ok(())
}
