//! Sessions: starting one at sign-in, finding the one a request carries, ending them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::Result;
use crate::app::AppState;
use crate::domain::policy::{resolve, Requirement};
use crate::domain::session::{SessionLifetime, SessionState};
use crate::domain::signin::Factors;
use crate::secrets::{hash_token, new_token};
use crate::store::audit::{self, Actor, Event, Kind};
use crate::store::orgs::OrgRow;
use crate::store::sessions::{self, NewSession, SessionRow, SignedInRows};
use crate::store::users::UserRow;
use crate::store::Conn;

/// The token of a session just started, for the cookie. Only its hash is stored.
pub struct NewSessionToken(pub String);

/// The signed-in user behind a request.
#[derive(Debug, Clone)]
pub struct Current {
    pub session: SessionRow,
    pub user: UserRow,
    pub org: OrgRow,
    pub factors: Factors,
    /// What the organization's policy asks of this member now.
    pub requirement: Requirement,
    /// When the Recovery Key was made, if there is one.
    pub recovery_key_created: Option<i64>,
}

impl Current {
    pub fn is_admin(&self) -> bool {
        self.user.role == "admin"
    }
}

/// Starts a session (in the caller's transaction) and records the sign-in.
pub(crate) async fn start_session(
    conn: &mut Conn,
    user_id: i64,
    org_id: i64,
    actor: &Actor,
    now: i64,
) -> Result<NewSessionToken> {
    let (token, hash) = new_token();
    let s = NewSession { token_hash: &hash, user_id, ip: &actor.ip, user_agent: &actor.user_agent };
    sessions::insert(&mut *conn, s, now).await?;
    audit::record(
        conn,
        Event { kind: Kind::SignIn, user_id: Some(user_id), org_id: Some(org_id), actor, detail: "" },
        now,
    )
    .await?;
    Ok(NewSessionToken(token))
}

fn lifetime(state: &AppState) -> SessionLifetime {
    SessionLifetime {
        idle: state.settings.session_idle.as_secs() as i64,
        absolute: state.settings.session_lifetime.as_secs() as i64,
    }
}

/// Session activity not written yet. Reading a page records the session's activity here (at
/// most once a minute per session) and a background task writes it about once a second, so no
/// page waits for a write; a crash loses a second of "last active", which only ends a session
/// that much sooner. This process's own requests see the recorded activity at once.
#[derive(Clone, Default)]
pub struct Touches(Arc<Mutex<HashMap<i64, i64>>>);

impl Touches {
    fn seen(&self, session_id: i64) -> Option<i64> {
        self.0.lock().ok().and_then(|m| m.get(&session_id).copied())
    }

    fn record(&self, session_id: i64, at: i64) {
        if let Ok(mut m) = self.0.lock() {
            let e = m.entry(session_id).or_insert(at);
            *e = (*e).max(at);
        }
    }

    fn take(&self) -> Vec<(i64, i64)> {
        self.0.lock().map(|mut m| m.drain().collect()).unwrap_or_default()
    }

    /// Writes the recorded activity; on failure it is kept for the next try.
    pub async fn flush(&self, db: &crate::store::Db) -> Result<()> {
        let seen = self.take();
        if seen.is_empty() {
            return Ok(());
        }
        let written = async {
            let mut tx = db.begin().await?;
            sessions::touch_many(&mut tx, &seen).await?;
            tx.commit().await?;
            Ok::<_, crate::store::StoreError>(())
        }
        .await;
        if let Err(e) = written {
            for (id, at) in seen {
                self.record(id, at);
            }
            return Err(e.into());
        }
        Ok(())
    }
}

/// Writes session activity every second until `stop`, then once more.
pub async fn write_touches(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
            _ = stop.changed() => {}
        }
        match state.touches.flush(&state.db).await {
            Err(super::ServiceError::Store(e)) if state.db.note(&e) => {}
            Err(e) => tracing::warn!(error = %e, "cannot record session activity; will try again"),
            Ok(()) => {}
        }
        if *stop.borrow() {
            return;
        }
    }
}

/// The session a cookie token belongs to, if it is still valid: one read, and no write.
pub async fn authenticate(state: &AppState, token: &str) -> Result<Option<Current>> {
    let now = state.clock.now();
    let found = sessions::signed_in(&mut *state.db.read().await?, &hash_token(token)).await?;
    let Some(SignedInRows { mut session, user, org, factors, recovery_key_created }) = found else {
        return Ok(None);
    };
    if let Some(seen) = state.touches.seen(session.id) {
        session.last_seen_at = session.last_seen_at.max(seen);
    }
    match lifetime(state).state(session.created_at, session.last_seen_at, now) {
        SessionState::Expired => {
            sessions::delete(&mut *state.db.write().await?, session.id).await?;
            return Ok(None);
        }
        SessionState::Valid { touch: true } => {
            state.touches.record(session.id, now);
            session.last_seen_at = now;
        }
        SessionState::Valid { touch: false } => {}
    }
    if user.disabled_at.is_some() {
        return Ok(None);
    }
    let requirement = resolve(&org.policy(), factors, now);
    Ok(Some(Current { session, user, org, factors, requirement, recovery_key_created }))
}

pub async fn sign_out(state: &AppState, current: &Current, actor: &Actor) -> Result<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    sessions::delete(&mut tx, current.session.id).await?;
    let e =
        Event { kind: Kind::SignOut, user_id: Some(current.user.id), org_id: Some(current.org.id), actor, detail: "" };
    audit::record(&mut tx, e, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends the session a token belongs to, if any (the one a browser had before signing in again).
pub async fn end_by_token(state: &AppState, token: &str) -> Result<()> {
    let mut conn = state.db.write().await?;
    if let Some(s) = sessions::by_token_hash(&mut conn, &hash_token(token)).await? {
        sessions::delete(&mut conn, s.id).await?;
    }
    Ok(())
}

/// Ends every session of the user but the current one; returns how many ended.
pub async fn sign_out_others(state: &AppState, current: &Current, actor: &Actor) -> Result<u64> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let n = sessions::delete_for_user(&mut tx, current.user.id, Some(current.session.id)).await?;
    let detail = format!("{n} other sessions");
    let e = Event {
        kind: Kind::SessionsRevoked,
        user_id: Some(current.user.id),
        org_id: Some(current.org.id),
        actor,
        detail: &detail,
    };
    audit::record(&mut tx, e, now).await?;
    tx.commit().await?;
    Ok(n)
}

/// The user's sessions, most recently active first, with when each will end.
pub async fn list(state: &AppState, user_id: i64) -> Result<Vec<(SessionRow, i64)>> {
    let l = lifetime(state);
    let mut conn = state.db.read().await?;
    let rows = sessions::for_user(&mut conn, user_id).await?;
    Ok(rows
        .into_iter()
        .map(|s| {
            let ends = l.expires_at(s.created_at, s.last_seen_at);
            (s, ends)
        })
        .collect())
}
