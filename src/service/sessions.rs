//! Sessions: starting one at sign-in, finding the one a request carries, ending them.

use super::Result;
use crate::app::AppState;
use crate::domain::policy::{resolve, Requirement};
use crate::domain::session::{SessionLifetime, SessionState};
use crate::domain::signin::Factors;
use crate::secrets::{hash_token, new_token};
use crate::store::audit::{self, Actor, Event, Kind};
use crate::store::orgs::{self, OrgRow};
use crate::store::sessions::{self, NewSession, SessionRow};
use crate::store::users::{self, UserRow};
use crate::store::{factors, Conn};

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

/// The session a cookie token belongs to, if it is still valid. Reading a page writes nothing
/// unless the last activity is more than a minute old.
pub async fn authenticate(state: &AppState, token: &str) -> Result<Option<Current>> {
    let now = state.clock.now();
    let mut conn = state.db.read().await?;
    let Some(session) = sessions::by_token_hash(&mut conn, &hash_token(token)).await? else {
        return Ok(None);
    };
    match lifetime(state).state(session.created_at, session.last_seen_at, now) {
        SessionState::Expired => {
            drop(conn);
            sessions::delete(&mut *state.db.write().await?, session.id).await?;
            return Ok(None);
        }
        SessionState::Valid { touch: true } => {
            // Never hold two connections at once: on PostgreSQL both come from one pool.
            drop(conn);
            sessions::touch(&mut *state.db.write().await?, session.id, now).await?;
            conn = state.db.read().await?;
        }
        SessionState::Valid { touch: false } => {}
    }
    let Some(user) = users::by_id(&mut conn, session.user_id).await? else {
        return Ok(None);
    };
    let Some(org) = orgs::by_id(&mut conn, user.org_id).await? else {
        return Ok(None);
    };
    if user.disabled_at.is_some() {
        return Ok(None);
    }
    let factors = factors::of_user(&mut conn, user.id).await?;
    let requirement = resolve(&org.policy(), factors, now);
    Ok(Some(Current { session, user, org, factors, requirement }))
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
