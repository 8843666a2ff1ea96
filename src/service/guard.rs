//! The bounds on guessing that every check of a secret runs under (a password, an emailed code,
//! an app code, a Recovery Key): before a guess is compared, it takes an attempt from each of
//! its limits (an account's and a client address's) in the database; after, the attempt is
//! settled as right, wrong or "not a guess". See `store::throttle` for how that stays atomic
//! across processes. Also the one audit helper, and the hourly quotas on mail.

use super::{Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::domain::throttle::ThrottlePolicy;
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event};
use crate::store::throttle::{self, Taken};
use crate::store::users::UserRow;
use crate::store::{Conn, Db};

/// Records a security event about `user`, in the caller's transaction.
pub(crate) fn audit(
    conn: &mut Conn,
    kind: AuditKind,
    user: &UserRow,
    actor: &Actor,
    detail: &str,
    now: i64,
) -> Result<()> {
    let e = Event { kind, user_id: Some(user.id), org_id: Some(user.org_id), actor, detail };
    Ok(audit::record(conn, e, now)?)
}

/// Key of the hourly quota of link emails (verification, reset) per account.
pub(crate) fn mail_quota_key(user_id: i64) -> String {
    format!("mail:acct:{user_id}")
}

/// Whether the account may be sent one more link email this hour; counts it if so.
pub(crate) fn take_mail_quota(conn: &mut Conn, state: &AppState, user_id: i64, now: i64) -> Result<bool> {
    let sent = throttle::count(conn, &mail_quota_key(user_id), 3600, now)?;
    Ok(sent <= state.settings.account_mails_per_hour)
}

/// Counts one more emailed code for the account this hour. None while under the cap; else
/// when the hour's window ends (no code may be sent before).
pub(crate) fn take_code_quota(conn: &mut Conn, state: &AppState, user_id: i64, now: i64) -> Result<Option<i64>> {
    let (sent, window_start) = throttle::count_with_start(conn, &format!("codes:acct:{user_id}"), 3600, now)?;
    Ok((sent > state.settings.codes_per_hour).then_some((window_start + 3600).max(now + 1)))
}

/// One limit a guess counts against.
#[derive(Debug, Clone)]
pub(crate) struct Limit {
    pub key: String,
    pub policy: ThrottlePolicy,
    /// A right guess proves this key's owner (an account, not a shared client address): its
    /// failures are forgotten.
    pub owner: bool,
}

/// How a compared guess came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lock {
    /// This failure locked a limit; the lock ends then. `owner`: the account's limit (else the
    /// client address's).
    Set {
        until: i64,
        owner: bool,
    },
    None,
}

/// Whether a guess may go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gate {
    Open,
    /// Locked (or, for a right guess, locked while it was compared); retry after this long.
    Shut {
        retry_after: i64,
    },
}

impl Gate {
    /// The refusal to give, if shut.
    pub(crate) fn refusal(self) -> Option<ServiceError> {
        match self {
            Gate::Open => None,
            Gate::Shut { retry_after } => Some(ServiceError::Throttled { retry_after }),
        }
    }
}

/// Takes an attempt from every limit, or none: shut as soon as one is locked or used up.
pub(crate) fn take(conn: &mut Conn, limits: &[Limit], now: i64) -> Result<Gate> {
    for (i, l) in limits.iter().enumerate() {
        if let Taken::Refused { retry_after } = throttle::take(&mut *conn, &l.key, &l.policy, now)? {
            for taken in &limits[..i] {
                throttle::give_back(&mut *conn, &taken.key, now)?;
            }
            return Ok(Gate::Shut { retry_after });
        }
    }
    Ok(Gate::Open)
}

/// Whether a limit is locked now, without taking an attempt (for a guess refused before it was
/// taken: a lock is said first).
pub(crate) fn shut(conn: &mut Conn, limits: &[Limit], now: i64) -> Result<Gate> {
    let mut until = 0;
    for l in limits {
        until = until.max(throttle::locked_until(&mut *conn, &l.key)?);
    }
    Ok(if until > now { Gate::Shut { retry_after: until - now } } else { Gate::Open })
}

/// Settles a wrong guess: it stays counted; returns the lock it caused, if any.
pub(crate) fn wrong(conn: &mut Conn, limits: &[Limit], now: i64) -> Result<Lock> {
    let mut lock = Lock::None;
    for l in limits {
        if let Some(until) = throttle::fail(&mut *conn, &l.key, &l.policy, now)? {
            if lock == Lock::None {
                lock = Lock::Set { until, owner: l.owner };
            }
        }
    }
    Ok(lock)
}

/// Settles a right guess. Shut when a limit was locked while it was being compared: no
/// success lands after a lock.
pub(crate) fn right(conn: &mut Conn, limits: &[Limit], now: i64) -> Result<Gate> {
    let mut locked = false;
    for l in limits {
        locked |= !throttle::succeed(&mut *conn, &l.key, l.owner, now)?;
    }
    if locked {
        let mut until = 0;
        for l in limits {
            until = until.max(throttle::locked_until(&mut *conn, &l.key)?);
        }
        return Ok(Gate::Shut { retry_after: (until - now).max(1) });
    }
    Ok(Gate::Open)
}

/// Gives the attempts back: what was sent was not a guess (a code already used, the loser of a
/// double submit, a secret that cannot be checked).
pub(crate) fn not_a_guess(conn: &mut Conn, limits: &[Limit], now: i64) -> Result<()> {
    for l in limits {
        throttle::give_back(&mut *conn, &l.key, now)?;
    }
    Ok(())
}

/// Attempts taken in a transaction of their own, for a check that runs outside any transaction
/// (a password, while it is hashed). Dropped before it is settled (the client went away, the
/// hash was skipped), it gives the attempts back in the background: they were never compared.
pub(crate) struct Held {
    db: Db,
    limits: Vec<Limit>,
    now: i64,
    armed: bool,
}

impl Held {
    pub(crate) async fn take(db: &Db, limits: Vec<Limit>, now: i64) -> Result<Self> {
        let gate = db.tx(|tx| take(tx, &limits, now))?;
        match gate.refusal() {
            Some(refused) => Err(refused),
            None => Ok(Held { db: db.clone(), limits, now, armed: true }),
        }
    }

    /// The limits, to settle in the caller's transaction.
    pub(crate) fn limits(&self) -> &[Limit] {
        &self.limits
    }

    /// The caller's transaction that settled the attempts has committed. Until then, a failure
    /// (no transaction, a failed commit) gives them back: the answer was an error page, which
    /// says nothing of the comparison.
    pub(crate) fn settled(mut self) {
        self.armed = false;
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let (db, limits, now) = (self.db.clone(), std::mem::take(&mut self.limits), self.now);
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn_blocking(move || match db.tx(|tx| not_a_guess(tx, &limits, now)) {
                Err(ServiceError::Store(e)) if db.note(&e) => {}
                Err(e) => tracing::warn!(error = %e, "cannot give back the attempts of an abandoned sign-in"),
                Ok(()) => {}
            });
        }
    }
}
