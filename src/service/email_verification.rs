//! Email verification: a single-use link mailed to the account's address.

use super::guard::take_mail_quota;
use super::sessions::Current;
use super::{new_link, Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::domain::text::Msg;
use crate::mail;
use crate::secrets::hash_token;
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event};
use crate::store::links::{self, Purpose};
use crate::store::users;

/// "Send verification email": mails a fresh link (older ones stop working).
pub async fn send(state: &AppState, c: &Current, actor: &Actor) -> Result<()> {
    if c.user.email_verified_at.is_some() {
        return Err(ServiceError::Invalid(Msg::new("service-email-already-verified")));
    }
    let now = state.clock.now();
    state.db.tx(|tx| {
        if !take_mail_quota(tx, state, c.user.id, now)? {
            return Ok(Err(ServiceError::Invalid(Msg::new("service-email-too-many"))));
        }
        links::revoke(tx, Purpose::VerifyEmail, Some(c.user.id), now)?;
        let ttl = state.settings.verify_link_ttl;
        let url = new_link(tx, state, Purpose::VerifyEmail, Some(c.user.id), ttl, "/verify-email")?;
        mail::queue(
            tx,
            &state.key,
            &c.user.email,
            &mail::verify_email(
                &super::locale_of(&c.user, Some(&c.org), crate::i18n::browser()),
                &c.org.name,
                url,
                ttl.as_secs() as i64,
            ),
            now,
        )?;
        let e = Event {
            kind: AuditKind::EmailVerificationSent,
            user_id: Some(c.user.id),
            org_id: Some(c.org.id),
            actor,
            detail: "",
        };
        audit::record(tx, e, now)?;
        Ok::<_, ServiceError>(Ok(()))
    })??;
    state.mailer.wake.notify_one();
    Ok(())
}

/// Whether a verification link can still be used (for showing its page).
pub async fn link_is_valid(state: &AppState, token: &str) -> Result<bool> {
    state.db.read(|conn| Ok(links::peek(conn, Purpose::VerifyEmail, &hash_token(token), state.clock.now())?.is_some()))
}

/// Uses up a verification link and marks the email verified.
pub async fn verify(state: &AppState, token: &str, actor: &Actor) -> Result<()> {
    let now = state.clock.now();
    state.db.tx(|tx| {
        let Some(Some(user_id)) = links::consume(tx, Purpose::VerifyEmail, &hash_token(token), now)? else {
            return Err(ServiceError::LinkInvalid);
        };
        let user = users::by_id(tx, user_id)?.ok_or(ServiceError::LinkInvalid)?;
        if users::mark_verified(tx, user_id, now)? {
            let e = Event {
                kind: AuditKind::EmailVerified,
                user_id: Some(user_id),
                org_id: Some(user.org_id),
                actor,
                detail: "",
            };
            audit::record(tx, e, now)?;
        }
        Ok::<_, ServiceError>(())
    })?;
    Ok(())
}
