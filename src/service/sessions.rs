//! Sessions: starting one at sign-in, finding the one a request carries, ending them. (The
//! activity not written yet is `store::touches`.)

use super::{Result, ServiceError};
use crate::domain::account::Role;
use crate::domain::audit::AuditKind;
use crate::domain::authn::{Authn, SecondFactor};
use crate::domain::factor::Factors;
use crate::domain::policy::{resolve, Requirement};
use crate::domain::session::{SessionLifetime, SessionState};
use crate::secrets::{hash_token, new_token, SecretKey};
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event};
use crate::store::grants::{self, Which};
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
    /// The member's subject identifier for applications, and display name.
    pub subject: String,
    pub name: Option<String>,
}

impl Current {
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }
}

/// How a new session is signed in, and where its person goes once a set-up that holds them is
/// done (a sealed continuation).
pub(crate) struct SessionStart<'a> {
    pub authn: Authn,
    pub continue_to: Option<&'a str>,
}

impl SessionStart<'_> {
    pub const PASSWORD: SessionStart<'static> = SessionStart { authn: Authn::PASSWORD, continue_to: None };
}

/// The token of a session's forward-auth cookie: derived from the session's own token with the
/// secret key (only its hash is stored), for the cookie domain, and accepted only by
/// `/auth/forward`, so the protected hosts never see the session's own cookie.
pub fn forward_token(key: &SecretKey, session_token: &str) -> String {
    key.keyed_hash("forward-cookie", session_token.as_bytes())
}

/// Starts a session (in the caller's transaction) and records the sign-in.
pub(crate) fn start_session(
    conn: &mut Conn,
    key: &SecretKey,
    (user_id, org_id): (i64, i64),
    how: SessionStart<'_>,
    actor: &Actor,
    now: i64,
) -> Result<NewSessionToken> {
    let (token, hash) = new_token();
    let forward_hash = hash_token(&forward_token(key, &token));
    let s = NewSession {
        token_hash: &hash,
        user_id,
        ip: &actor.ip,
        user_agent: &actor.user_agent,
        authn: how.authn,
        continue_to: how.continue_to,
        forward_hash: Some(&forward_hash),
    };
    sessions::insert(&mut *conn, s, now)?;
    audit::record(
        conn,
        Event { kind: AuditKind::SignIn, user_id: Some(user_id), org_id: Some(org_id), actor, detail: "" },
        now,
    )?;
    Ok(NewSessionToken(token))
}

/// A second factor just proved in this session (a code of it was typed to set it up): the
/// session counts as signed in with two factors from now on, for applications that ask.
pub(crate) fn proved_in_session(conn: &mut Conn, c: &Current, second: SecondFactor) -> Result<()> {
    if !c.session.authn.two_factor() {
        sessions::set_authn(conn, c.session.id, Authn::with(second))?;
    }
    Ok(())
}

fn lifetime(state: &AppState) -> SessionLifetime {
    SessionLifetime {
        idle: state.settings.session_idle.as_secs() as i64,
        absolute: state.settings.session_lifetime.as_secs() as i64,
    }
}

/// Writes session activity every second until `stop`, then once more.
pub async fn write_touches(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
            _ = stop.changed() => {}
        }
        match state.touches.flush(&state.db) {
            Err(e) if state.db.note(&e) => {}
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
    let found = state.db.lookup(|conn| sessions::signed_in(conn, &hash_token(token)))?;
    valid(state, found).await
}

/// The session a forward-auth cookie belongs to, the same way.
pub async fn authenticate_forward(state: &AppState, forward_token: &str) -> Result<Option<Current>> {
    let found = state.db.lookup(|conn| sessions::signed_in_forward(conn, &hash_token(forward_token)))?;
    valid(state, found).await
}

/// A session as read, if it is still valid (an expired one is deleted).
async fn valid(state: &AppState, found: Option<SignedInRows>) -> Result<Option<Current>> {
    let now = state.clock.now();
    let Some(SignedInRows { mut session, user, org, factors, recovery_key_created, subject, name }) = found else {
        return Ok(None);
    };
    if let Some(seen) = state.touches.seen(session.id) {
        session.last_seen_at = session.last_seen_at.max(seen);
    }
    match lifetime(state).state(session.created_at, session.last_seen_at, now) {
        SessionState::Expired => {
            state.db.write(|conn| sessions::delete(conn, session.id))?;
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
    let requirement = resolve(&org.policy(), factors, user.role == Role::Admin, now);
    Ok(Some(Current { session, user, org, factors, requirement, recovery_key_created, subject, name }))
}

pub async fn sign_out(state: &AppState, current: &Current, actor: &Actor) -> Result<()> {
    let now = state.clock.now();
    state.db.tx(|tx| {
        sessions::delete(tx, current.session.id)?;
        let e = Event {
            kind: AuditKind::SignOut,
            user_id: Some(current.user.id),
            org_id: Some(current.org.id),
            actor,
            detail: "",
        };
        audit::record(tx, e, now)
    })?;
    Ok(())
}

/// A new sign-in replaces the session the browser had: the old one ends. When both are the same
/// member's (an application asked for a new sign-in, or for a second factor), what applications
/// hold from the old session goes on with the new one instead of ending with it.
pub async fn replace(state: &AppState, old_token: &str, new_token: &str) -> Result<()> {
    state.db.tx(|tx| {
        let Some(old) = sessions::by_token_hash(tx, &hash_token(old_token))? else {
            return Ok(());
        };
        if let Some(new) = sessions::by_token_hash(tx, &hash_token(new_token))? {
            if new.user_id == old.user_id {
                grants::move_to_session(tx, old.id, new.id)?;
            }
        }
        sessions::delete(tx, old.id)?;
        Ok(())
    })
}

/// A sign-in that waits for its second step in a browser that has a session: another member's
/// session ends now; the same member's goes on until the finished sign-in replaces it. True when
/// the session goes on.
pub async fn before_second_step(state: &AppState, old_token: &str, pending_token: &str) -> Result<bool> {
    let now = state.clock.now();
    state.db.tx(|tx| {
        let Some(old) = sessions::by_token_hash(tx, &hash_token(old_token))? else {
            return Ok(false);
        };
        let waiting = crate::store::pending::load(tx, &hash_token(pending_token), now)?;
        if waiting.is_some_and(|p| p.user.id == old.user_id) {
            return Ok(true);
        }
        sessions::delete(tx, old.id)?;
        Ok(false)
    })
}

/// Ends every session of the user but the current one; returns how many ended.
pub async fn sign_out_others(state: &AppState, current: &Current, actor: &Actor) -> Result<u64> {
    end_sessions(state, current, Some(current.session.id), actor).await
}

/// "Sign out everywhere": every session of the user, this one included, and every grant of
/// every application (offline ones too).
pub async fn sign_out_everywhere(state: &AppState, current: &Current, actor: &Actor) -> Result<u64> {
    end_sessions(state, current, None, actor).await
}

/// Ends the user's sessions but `keep`, and the applications' grants made from them (offline
/// ones included); how many sessions ended.
async fn end_sessions(state: &AppState, current: &Current, keep: Option<i64>, actor: &Actor) -> Result<u64> {
    let now = state.clock.now();
    state.db.tx(|tx| {
        let n = sessions::delete_for_user(tx, current.user.id, keep)?;
        let which = keep.map_or(Which::All, |session_id| Which::AllBut { session_id });
        let apps = grants::revoke_for_user(tx, current.user.id, which, now)?;
        let detail = match keep {
            Some(_) => format!("{n} other sessions, {apps} application grants"),
            None => format!("{n} sessions and {apps} application grants, this session included"),
        };
        let e = Event {
            kind: AuditKind::SessionsRevoked,
            user_id: Some(current.user.id),
            org_id: Some(current.org.id),
            actor,
            detail: &detail,
        };
        audit::record(tx, e, now)?;
        Ok(n)
    })
}

/// What the Security and Credentials tab lists besides the factors: the user's sessions (each
/// with when it ends), their devices and their latest security events, from one connection.
pub struct Overview {
    pub sessions: Vec<(SessionRow, i64)>,
    pub devices: Vec<super::devices::DeviceView>,
    pub recent: Vec<audit::AuditRow>,
}

/// The Security tab's sessions, devices and recent activity.
pub async fn overview(state: &AppState, c: &Current) -> Result<Overview> {
    let (l, now, user_id) = (lifetime(state), state.clock.now(), c.user.id);
    let (rows, devices, recent) = state.db.lookup(|conn| {
        let rows = sessions::for_user(&mut *conn, user_id)?;
        let devices = super::devices::listed(&mut *conn, user_id, &c.org, now)?;
        Ok::<_, ServiceError>((rows, devices, audit::recent(conn, user_id, 10)?))
    })?;
    let sessions = rows
        .into_iter()
        .map(|s| {
            let ends = l.expires_at(s.created_at, s.last_seen_at);
            (s, ends)
        })
        .collect();
    Ok(Overview { sessions, devices, recent })
}
