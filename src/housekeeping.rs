//! Periodic clean-up: expired sessions and pending sign-ins, idle failure counters, codes and
//! tokens of applications that can no longer be used. Safe to run in every process.

use std::time::Duration;

use tokio::sync::watch;

use crate::state::AppState;
use crate::store::{devices, grants, security_keys, sessions, throttle, StoreError};

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

/// One round (tests call it after moving the clock on).
pub async fn once(state: &AppState) -> Result<(), StoreError> {
    let now = state.clock.now();
    let s = &state.settings;
    let idle_before = now - s.session_idle.as_secs() as i64;
    let created_before = now - s.session_lifetime.as_secs() as i64;
    state.db.write(|conn| {
        sessions::delete_expired(conn, idle_before, created_before)?;
        throttle::prune(conn, now, 86_400)?;
        security_keys::delete_expired(conn, now)?;
        // Used codes and refresh tokens are kept a day past their expiry, to recognise a replay.
        grants::delete_expired(conn, now, 86_400)?;
        devices::prune(conn, now - crate::service::devices::DEVICE_LIFETIME)?;
        Ok::<_, StoreError>(())
    })?;
    // Expired pending sign-ins end here, each alerting its person when it came from a browser the
    // account does not know (the password was right, the second step never came).
    match crate::service::devices::end_abandoned(state) {
        Ok(_) => Ok(()),
        Err(crate::service::ServiceError::Store(e)) => Err(e),
        Err(e) => {
            tracing::warn!(error = %e, "the alerts of abandoned sign-ins failed");
            Ok(())
        }
    }
}
