//! The outbox worker: sends due messages, retries with backoff, survives restarts (the outbox
//! is in the database), and stops cleanly between two messages on shutdown.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Notify};

use super::transport::{SendError, Transport};
use super::Body;
use crate::clock::Clock;
use crate::secrets::SecretKey;
use crate::store::{outbox, Db, StoreError};

/// How long a claimed message is reserved for one process.
const LEASE_SECONDS: i64 = 120;
/// The longest wait between retries; with the first at 5 s, doubling.
const MAX_BACKOFF: i64 = 900;
/// The longest sleep when nothing is due (new mail also wakes the worker).
const POLL: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct Mailer {
    pub db: Db,
    pub key: SecretKey,
    pub transport: Transport,
    pub from: String,
    pub clock: Clock,
    /// Woken after a transaction that queued mail commits.
    pub wake: Arc<Notify>,
}

/// Seconds to wait before attempt number `attempts + 1`.
pub fn backoff(attempts: i64) -> i64 {
    let doublings = attempts.clamp(0, 20) as u32;
    (5_i64 << doublings).min(MAX_BACKOFF)
}

impl Mailer {
    /// Sends every message that is due now; returns how many were sent.
    pub async fn deliver_due(&self) -> Result<usize, StoreError> {
        let mut sent = 0;
        loop {
            let now = self.clock.now();
            let claimed = self.db.write(|conn| outbox::claim_due(conn, now, LEASE_SECONDS))?;
            let Some(row) = claimed else { return Ok(sent) };
            let result = match self.open(row.body.as_deref()) {
                Ok(body) => self.transport.send(row.id, &self.from, &row.recipient, &row.subject, &body).await,
                Err(e) => Err(e),
            };
            let now = self.clock.now();
            match result {
                Ok(()) => {
                    self.db.write(|conn| outbox::mark_sent(conn, row.id, now))?;
                    tracing::info!(id = row.id, subject = %row.subject, "mail sent");
                    sent += 1;
                }
                Err(e) if e.permanent => {
                    self.db.write(|conn| outbox::mark_failed(conn, row.id, now, &e.message))?;
                    tracing::error!(id = row.id, error = %e, "mail could not be delivered and will not be retried");
                }
                Err(e) => {
                    let wait = backoff(row.attempts);
                    self.db.write(|conn| outbox::mark_retry(conn, row.id, now + wait, &e.message))?;
                    tracing::warn!(id = row.id, attempt = row.attempts + 1, retry_in_s = wait, error = %e, "mail not sent yet");
                    // The server is likely down: leave the rest for the next round.
                    return Ok(sent);
                }
            }
        }
    }

    fn open(&self, stored: Option<&str>) -> Result<Body, SendError> {
        let unreadable = |why: &str| SendError { message: why.to_string(), permanent: true };
        let stored = stored.ok_or_else(|| unreadable("the message body is gone"))?;
        let plain =
            self.key.decrypt(stored).map_err(|_| unreadable("the message body cannot be decrypted with this key"))?;
        serde_json::from_slice(&plain).map_err(|_| unreadable("the message body is not readable"))
    }

    /// Runs until `shutdown` turns true, finishing the message in hand first.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            if let Err(e) = self.deliver_due().await {
                // An outage is logged once, by the database's health record.
                if !self.db.note(&e) {
                    tracing::error!(error = %e, "the mail worker could not read the outbox; retrying");
                }
            }
            let wait = self.next_wait().await;
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                tracing::info!("mail worker stopped");
                return;
            }
        }
    }

    async fn next_wait(&self) -> Duration {
        let due = self.db.read(outbox::next_due);
        match due {
            Ok(Some(t)) => Duration::from_secs((t - self.clock.now()).clamp(0, POLL.as_secs() as i64) as u64),
            Ok(None) => POLL,
            Err(e) => {
                if !self.db.note(&e) {
                    tracing::warn!(error = %e, "the mail worker could not read the outbox; polling");
                }
                POLL
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn retries_back_off_from_five_seconds_to_fifteen_minutes() {
        let waits: Vec<i64> = (0..10).map(super::backoff).collect();
        assert_eq!(waits, [5, 10, 20, 40, 80, 160, 320, 640, 900, 900]);
    }
}
