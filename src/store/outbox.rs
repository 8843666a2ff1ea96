//! The mail outbox. A message is written in the same transaction as the change that causes it;
//! the worker claims due messages with a lease (so two processes never send one at once),
//! and drops the encrypted body once the message is sent or has failed for good.

use super::conn::query;
use super::{Conn, Result};

#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: Option<String>,
    pub attempts: i64,
}

impl crate::store::conn::FromRow for OutboxRow {
    fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            recipient: r.get("recipient")?,
            subject: r.get("subject")?,
            body: r.get("body")?,
            attempts: r.get("attempts")?,
        })
    }
}

pub fn enqueue(conn: &mut Conn, recipient: &str, subject: &str, body: &str, now: i64) -> Result<i64> {
    query(
        "INSERT INTO outbox (recipient, subject, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(now)
    .scalar(conn)
}

/// Leases the oldest due message for `lease` seconds. The lease is re-checked in the UPDATE
/// itself, so when two processes pick the same row only one gets it.
pub fn claim_due(conn: &mut Conn, now: i64, lease: i64) -> Result<Option<OutboxRow>> {
    query(
        "UPDATE outbox SET locked_until = $2 \
         WHERE id = (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL \
                     AND next_attempt_at <= $1 AND locked_until <= $1 ORDER BY next_attempt_at, id LIMIT 1) \
         AND sent_at IS NULL AND failed_at IS NULL AND locked_until <= $1 \
         RETURNING id, recipient, subject, body, attempts",
    )
    .bind(now)
    .bind(now + lease)
    .fetch_optional(conn)
}

pub fn mark_sent(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    query("UPDATE outbox SET sent_at = $2, body = NULL, attempts = attempts + 1, locked_until = 0 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(conn)?;
    Ok(())
}

pub fn mark_retry(conn: &mut Conn, id: i64, next_attempt_at: i64, error: &str) -> Result<()> {
    query(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3, locked_until = 0 WHERE id = $1",
    )
    .bind(id)
    .bind(next_attempt_at)
    .bind(error)
    .execute(conn)
    ?;
    Ok(())
}

pub fn mark_failed(conn: &mut Conn, id: i64, now: i64, error: &str) -> Result<()> {
    query(
        "UPDATE outbox SET failed_at = $2, body = NULL, attempts = attempts + 1, last_error = $3, locked_until = 0 WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .bind(error)
    .execute(conn)
    ?;
    Ok(())
}

/// The soonest time a waiting message is due, if any is waiting.
pub fn next_due(conn: &mut Conn) -> Result<Option<i64>> {
    query(
        "SELECT MIN(CASE WHEN next_attempt_at > locked_until THEN next_attempt_at ELSE locked_until END) \
         FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
    )
    .scalar(conn)
}
