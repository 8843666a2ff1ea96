//! "This wasn't me": the link in a new-device or unfinished sign-in alert. Following it (a page
//! with one button: a mail scanner that opens the link changes nothing) ends every session and
//! pending sign-in of the account and its applications' access, forgets every device, requires a
//! new password before the next sign-in, tells the organization's admins and writes the audit
//! events. The link works once, for 7 days.

use super::{devices, recipient, Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::domain::email::EmailAddress;
use crate::mail::{self, Origin};
use crate::secrets::hash_token;
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event};
use crate::store::grants::{self, Which};
use crate::store::links::{self, Purpose};
use crate::store::{pending, sessions, users};

/// The account a usable link is for, masked ("a•••@acme.example"), for the page.
pub async fn check(state: &AppState, token: &str) -> Result<String> {
    let now = state.clock.now();
    state.db.read(|conn| {
        let Some(Some(user_id)) = links::peek(conn, Purpose::NotMe, &hash_token(token), now)? else {
            return Err(ServiceError::LinkInvalid);
        };
        let user = users::by_id(conn, user_id)?.ok_or(ServiceError::LinkInvalid)?;
        Ok(EmailAddress::parse(&user.email).map(|e| e.masked()).unwrap_or_default())
    })
}

/// What the report did, for the page after it.
pub struct Secured {
    pub sessions: u64,
    pub devices: u64,
}

/// Uses the link up and secures the account (see the module). Of two reports with one link, in
/// any number of processes, one does it; the other finds the link used.
pub async fn report(state: &AppState, token: &str, actor: &Actor) -> Result<Secured> {
    let now = state.clock.now();
    let secured = state.db.tx(|tx| {
        let Some(Some(user_id)) = links::consume(tx, Purpose::NotMe, &hash_token(token), now)? else {
            return Err(ServiceError::LinkInvalid);
        };
        let user = users::by_id(tx, user_id)?.ok_or(ServiceError::LinkInvalid)?;
        // In this order: the flag first (on PostgreSQL its row lock waits for a sign-in that has
        // read it, and makes later ones wait for this), then the pending sign-ins (waiting for a
        // second step that is finishing), then the sessions, which then include its session.
        users::set_must_reset_password(tx, user.id, true)?;
        let n_pending = pending::delete_for_user(tx, user.id)?;
        let n_sessions = sessions::delete_for_user(tx, user.id, None)?;
        let apps = grants::revoke_for_user(tx, user.id, Which::All, now)?;
        let n_devices = devices::forget(tx, &user, None, actor, "this wasn't me", now)?;
        let detail = format!(
            "{n_sessions} sessions, {n_pending} pending sign-ins, {apps} application grants and {n_devices} devices \
             ended; a new password is required"
        );
        let e = Event {
            kind: AuditKind::NotMeReported,
            user_id: Some(user.id),
            org_id: Some(user.org_id),
            actor,
            detail: &detail,
        };
        audit::record(tx, e, now)?;
        let origin = Origin { when: now, ip: &actor.ip, user_agent: &actor.user_agent };
        for admin in users::active_admins(tx, user.org_id)? {
            let to = recipient(tx, &admin, false)?;
            let m = mail::not_me_reported(&to.locale, &to.org_name, &user.email, &origin);
            mail::queue(tx, &state.key, &admin.email, &m, now)?;
        }
        Ok::<_, ServiceError>(Secured { sessions: n_sessions, devices: n_devices })
    })?;
    state.mailer.wake.notify_one();
    Ok(secured)
}
