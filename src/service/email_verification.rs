//! Email verification: a single-use link mailed to the account's address.

use super::guard::take_mail_quota;
use super::sessions::Current;
use super::{lifetime_words, new_link, Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::mail;
use crate::secrets::hash_token;
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event};
use crate::store::links::{self, Purpose};
use crate::store::users;

/// "Send verification email": mails a fresh link (older ones stop working).
pub async fn send(state: &AppState, c: &Current, actor: &Actor) -> Result<()> {
    if c.user.email_verified_at.is_some() {
        return Err(ServiceError::Invalid("Your email address is already verified.".into()));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !take_mail_quota(&mut tx, state, c.user.id, now).await? {
        tx.commit().await?;
        return Err(ServiceError::Invalid(
            "Too many emails were sent to this address in the last hour. Use the most recent one, or try again later."
                .into(),
        ));
    }
    links::revoke(&mut tx, Purpose::VerifyEmail, Some(c.user.id), now).await?;
    let ttl = state.settings.verify_link_ttl;
    let url = new_link(&mut tx, state, Purpose::VerifyEmail, Some(c.user.id), ttl, "/verify-email").await?;
    mail::queue(&mut tx, &state.key, &c.user.email, &mail::verify_email(&c.org.name, url, &lifetime_words(ttl)), now)
        .await?;
    let e = Event {
        kind: AuditKind::EmailVerificationSent,
        user_id: Some(c.user.id),
        org_id: Some(c.org.id),
        actor,
        detail: "",
    };
    audit::record(&mut tx, e, now).await?;
    tx.commit().await?;
    state.mailer.wake.notify_one();
    Ok(())
}

/// Whether a verification link can still be used (for showing its page).
pub async fn link_is_valid(state: &AppState, token: &str) -> Result<bool> {
    let mut conn = state.db.read().await?;
    Ok(links::peek(&mut conn, Purpose::VerifyEmail, &hash_token(token), state.clock.now()).await?.is_some())
}

/// Uses up a verification link and marks the email verified.
pub async fn verify(state: &AppState, token: &str, actor: &Actor) -> Result<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(Some(user_id)) = links::consume(&mut tx, Purpose::VerifyEmail, &hash_token(token), now).await? else {
        return Err(ServiceError::LinkInvalid);
    };
    let user = users::by_id(&mut tx, user_id).await?.ok_or(ServiceError::LinkInvalid)?;
    if users::mark_verified(&mut tx, user_id, now).await? {
        let e = Event {
            kind: AuditKind::EmailVerified,
            user_id: Some(user_id),
            org_id: Some(user.org_id),
            actor,
            detail: "",
        };
        audit::record(&mut tx, e, now).await?;
    }
    tx.commit().await?;
    Ok(())
}
