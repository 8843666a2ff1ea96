//! Forgotten passwords, invitation and reset links, and changing the password.

use super::factor::password::account_key;
use super::guard::take_mail_quota;
use super::{new_link, Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::domain::email::EmailAddress;
use crate::domain::password::NewPassword;
use crate::domain::text::Msg;
use crate::mail;
use crate::secrets::hash_token;
use crate::service::sessions::Current;
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event};
use crate::store::grants::{self, Which};
use crate::store::links::{self, Purpose};
use crate::store::{pending, sessions, throttle, users, Conn};

/// The least time "Forgot password?" takes to answer. An unknown email does the same kind of
/// work as a known one (`unknown_email`), but fewer statements, and a known one wakes the mail
/// worker: measured on PostgreSQL, medians of 3.3 ms and 4.8 ms. Answering no sooner than this,
/// above both, leaves nothing to tell them apart by (docs/ARCHITECTURE.md has the figures).
const FORGOT_FLOOR: std::time::Duration = std::time::Duration::from_millis(15);

/// "Forgot password?": mails a reset link if the account exists. The answer, and the work
/// visible from outside (the time it takes included), is the same whether or not it does.
pub async fn forgot(state: &AppState, email: &EmailAddress, actor: &Actor) -> Result<()> {
    let floor = tokio::time::Instant::now() + FORGOT_FLOOR;
    let done = forgot_now(state, email, actor).await;
    tokio::time::sleep_until(floor).await;
    done
}

async fn forgot_now(state: &AppState, email: &EmailAddress, actor: &Actor) -> Result<()> {
    let now = state.clock.now();
    let queued = state.db.tx(|tx| {
        let Some(user) = users::by_email(tx, email.as_str())? else {
            return unknown_email(tx, state, email, actor, now).map(|()| false);
        };
        if !take_mail_quota(tx, state, user.id, now)? {
            tracing::info!(user_id = user.id, "password reset email not sent: hourly quota reached");
            return Ok(false);
        }
        // Whoever asks has not shown the account is theirs: their browser does not choose.
        let to = super::recipient(tx, &user, false)?;
        links::revoke(tx, Purpose::ResetPassword, Some(user.id), now)?;
        let ttl = state.settings.reset_link_ttl;
        let url = new_link(tx, state, Purpose::ResetPassword, Some(user.id), ttl, "/reset-password")?;
        let m = mail::reset_password(&to.locale, &to.org_name, url, ttl.as_secs() as i64);
        mail::queue(tx, &state.key, &user.email, &m, now)?;
        let e = Event {
            kind: AuditKind::PasswordResetRequested,
            user_id: Some(user.id),
            org_id: Some(user.org_id),
            actor,
            detail: "",
        };
        audit::record(tx, e, now)?;
        Ok(true)
    })?;
    if queued {
        state.mailer.wake.notify_one();
    }
    Ok(())
}

/// "Forgot password?" for an email no account has: the same kind of work as for one that has
/// (a counter written, a message rendered and sealed, a commit), so that the time to answer does
/// not tell the two apart. One shared counter row, and no audit event: anonymous requests must
/// not make the database grow. Nothing is queued.
fn unknown_email(tx: &mut Conn, state: &AppState, email: &EmailAddress, actor: &Actor, now: i64) -> Result<()> {
    throttle::count(tx, "mail:unknown-emails", 3600, now)?;
    let ttl = state.settings.reset_link_ttl;
    let (token, _) = crate::secrets::new_token();
    let url = state.settings.link(&format!("/reset-password?token={token}"));
    let m = mail::reset_password(&crate::i18n::current(), "", url, ttl.as_secs() as i64);
    mail::seal(&state.key, &m)?;
    tracing::debug!(%email, ip = %actor.ip, "password reset asked for an unknown email");
    Ok(())
}

/// What a reset-password link is for: a forgotten password or an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Reset,
    Invite,
}

/// The kind and account email of a usable reset or invitation link.
pub async fn check_link(state: &AppState, token: &str) -> Result<(LinkKind, String)> {
    let now = state.clock.now();
    let hash = hash_token(token);
    state.db.read(|conn| {
        for (kind, purpose) in [(LinkKind::Reset, Purpose::ResetPassword), (LinkKind::Invite, Purpose::Invite)] {
            if let Some(Some(user_id)) = links::peek(conn, purpose, &hash, now)? {
                if let Some(u) = users::by_id(conn, user_id)? {
                    return Ok((kind, u.email));
                }
            }
        }
        Err(ServiceError::LinkInvalid)
    })
}

/// Sets the password from a reset or invitation link, uses the link up, verifies the email
/// (the link proved the mailbox) and ends every session of the account.
pub async fn set_from_link(
    state: &AppState,
    token: &str,
    password: &str,
    confirm: &str,
    actor: &Actor,
) -> Result<LinkKind> {
    let (kind, email) = check_link(state, token).await?;
    let new = NewPassword::parse(password, confirm, &email).map_err(ServiceError::invalid)?;
    let hash = state.hasher.hash(new.expose()).await?;
    let now = state.clock.now();
    state.db.tx(|tx| {
        let purpose = match kind {
            LinkKind::Reset => Purpose::ResetPassword,
            LinkKind::Invite => Purpose::Invite,
        };
        let Some(Some(user_id)) = links::consume(tx, purpose, &hash_token(token), now)? else {
            return Err(ServiceError::LinkInvalid);
        };
        let user = users::by_id(tx, user_id)?.ok_or(ServiceError::LinkInvalid)?;
        users::set_password(tx, user_id, &hash)?;
        users::mark_verified(tx, user_id, now)?;
        sessions::delete_for_user(tx, user_id, None)?;
        grants::revoke_for_user(tx, user_id, Which::All, now)?;
        pending::delete_for_user(tx, user_id)?;
        throttle::clear(tx, &account_key(&user.email))?;
        // A new password: no device keeps skipping the second step, and a reported sign-in
        // ("This wasn't me") is answered.
        super::devices::forget(tx, &user, None, actor, "password set from a link", now)?;
        users::set_must_reset_password(tx, user_id, false)?;
        let event = match kind {
            LinkKind::Reset => AuditKind::PasswordReset,
            LinkKind::Invite => AuditKind::InvitationAccepted,
        };
        audit::record(
            tx,
            Event { kind: event, user_id: Some(user_id), org_id: Some(user.org_id), actor, detail: "" },
            now,
        )?;
        if kind == LinkKind::Reset {
            super::notify(tx, state, &user, actor, now, mail::password_changed)?;
        }
        Ok::<_, ServiceError>(())
    })?;
    state.mailer.wake.notify_one();
    Ok(kind)
}

/// Changes the password of the signed-in user, who must give the current one. Other sessions
/// end; the current one stays. A wrong current password counts as a failed sign-in.
pub async fn change(
    state: &AppState,
    c: &Current,
    current_pw: &str,
    new: &str,
    confirm: &str,
    actor: &Actor,
) -> Result<()> {
    let wrong = Msg::new("service-password-wrong-current");
    super::factor::password::recheck(state, c, current_pw, actor, "wrong current password", wrong).await?;
    let now = state.clock.now();
    let new = NewPassword::parse(new, confirm, &c.user.email).map_err(ServiceError::invalid)?;
    let hash = state.hasher.hash(new.expose()).await?;
    state.db.tx(|tx| {
        users::set_password(tx, c.user.id, &hash)?;
        sessions::delete_for_user(tx, c.user.id, Some(c.session.id))?;
        grants::revoke_for_user(tx, c.user.id, Which::AllBut { session_id: c.session.id }, now)?;
        pending::delete_for_user(tx, c.user.id)?;
        super::devices::forget_all_but_this(tx, &c.user, actor, "password change", now)?;
        users::set_must_reset_password(tx, c.user.id, false)?;
        let e = Event {
            kind: AuditKind::PasswordChanged,
            user_id: Some(c.user.id),
            org_id: Some(c.org.id),
            actor,
            detail: "",
        };
        audit::record(tx, e, now)?;
        super::notify(tx, state, &c.user, actor, now, mail::password_changed)?;
        Ok::<_, ServiceError>(())
    })?;
    state.mailer.wake.notify_one();
    Ok(())
}
