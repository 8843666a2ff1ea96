//! What the operator does from the command line, with no admin session: the organization's
//! policy, a member's two-factor reset, and the way back in when no admin can act (making an
//! admin, enabling a disabled account).

use super::org::{affected_by, describe_policy, reset_member, would_leave_no_admin};
use super::{Result, ServiceError};
use crate::domain::account::Role;
use crate::domain::audit::AuditKind;
use crate::domain::email::EmailAddress;
use crate::domain::policy::Policy;
use crate::domain::text::Msg;
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event};
use crate::store::users::UserRow;
use crate::store::{orgs, users, Conn};

/// The command line's `org require-2fa`: no preview, no admin needed.
pub async fn set_policy_for_domain(state: &AppState, domain: &str, new: Policy, actor: &Actor) -> Result<String> {
    let now = state.clock.now();
    let (org, new, affected) = state.db.tx(|tx| {
        let org = orgs::by_domain(tx, domain)?
            .ok_or_else(|| ServiceError::Invalid(Msg::new("service-no-org").with("domain", domain)))?;
        // The command line does not change the rule for admins' keys (the settings page does).
        let new = Policy {
            required_since: new.required_since.map(|_| org.require_2fa_since.unwrap_or(now)),
            admin_keys_since: org.admin_keys_since,
            ..new
        };
        let affected = affected_by(tx, org.id, &new)?.len();
        orgs::set_policy(tx, org.id, &new)?;
        super::devices::unremember_org(tx, org.id)?;
        let detail = describe_policy(&new);
        audit::record(
            tx,
            Event { kind: AuditKind::PolicyChanged, user_id: None, org_id: Some(org.id), actor, detail: &detail },
            now,
        )?;
        Ok::<_, ServiceError>((org, new, affected))
    })?;
    Ok(match new.required_since {
        Some(_) => format!(
            "{} now requires two-factor authentication; {affected} members have no allowed method yet.",
            org.name
        ),
        None => format!("{} no longer requires two-factor authentication.", org.name),
    })
}

/// The command line's `user reset-2fa EMAIL`.
pub async fn reset_two_factor_by_email(state: &AppState, email: &EmailAddress, actor: &Actor) -> Result<()> {
    let now = state.clock.now();
    state.db.tx(|tx| {
        let target = users::by_email(tx, email.as_str())?.ok_or_else(|| no_account(email))?;
        reset_member(tx, state, &target, actor, "the command line", now)?;
        Ok::<_, ServiceError>(())
    })?;
    state.mailer.deliver_due().await?;
    Ok(())
}

/// The account with this email, in the caller's transaction.
fn by_email(conn: &mut Conn, email: &EmailAddress) -> Result<UserRow> {
    users::by_email(conn, email.as_str())?.ok_or_else(|| no_account(email))
}

fn no_account(email: &EmailAddress) -> ServiceError {
    ServiceError::Invalid(Msg::new("service-operator-no-account").with("email", email.as_str()))
}

/// The command line's `user set-role EMAIL --admin|--member`. The organization keeps at least
/// one active admin.
pub async fn set_role(state: &AppState, email: &EmailAddress, role: Role, actor: &Actor) -> Result<String> {
    let now = state.clock.now();
    state.db.tx(|tx| {
        let target = by_email(tx, email)?;
        orgs::lock(tx, target.org_id)?;
        let target = users::by_id(tx, target.id)?.ok_or(ServiceError::NotFound)?;
        if target.role == role {
            return Ok(format!("{} is already {}.", target.email, role_words(role)));
        }
        if role == Role::Member && would_leave_no_admin(tx, &target)? {
            return Err(ServiceError::Invalid(Msg::new("service-operator-last-admin").with("email", &target.email)));
        }
        users::set_role(tx, target.id, role)?;
        super::devices::unremember(tx, target.id)?;
        let detail = format!("{} by the command line", role.as_str());
        let e = Event {
            kind: AuditKind::RoleChanged,
            user_id: Some(target.id),
            org_id: Some(target.org_id),
            actor,
            detail: &detail,
        };
        audit::record(tx, e, now)?;
        Ok(format!("{} is now {}.", target.email, role_words(role)))
    })
}

fn role_words(role: Role) -> &'static str {
    match role {
        Role::Admin => "an admin",
        Role::Member => "a member",
    }
}

/// The command line's `user enable EMAIL`: a disabled account may sign in again.
pub async fn enable(state: &AppState, email: &EmailAddress, actor: &Actor) -> Result<String> {
    let now = state.clock.now();
    state.db.tx(|tx| {
        let target = by_email(tx, email)?;
        if target.disabled_at.is_none() {
            return Ok(format!("{} is not disabled.", target.email));
        }
        users::set_disabled(tx, target.id, None)?;
        let e = Event {
            kind: AuditKind::MemberEnabled,
            user_id: Some(target.id),
            org_id: Some(target.org_id),
            actor,
            detail: "the command line",
        };
        audit::record(tx, e, now)?;
        Ok(format!("{} is enabled and can sign in again.", target.email))
    })
}
