//! The organization's rules that several use cases share: the policy's hold on a member's ways
//! in, resetting a member's two-factor authentication, and keeping an active admin.

use super::sessions::Current;
use super::{Result, ServiceError};
use crate::domain::account::Role;
use crate::domain::audit::AuditKind;
use crate::domain::factor::Factors;
use crate::domain::policy::Policy;
use crate::domain::text::Msg;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event};
use crate::store::grants::{self, Which};
use crate::store::users::UserRow;
use crate::store::{factors, pending, sessions, users, Conn};

/// Members whom `policy` would hold to the set-up (no allowed method), by email.
pub fn affected_by(conn: &mut Conn, org_id: i64, policy: &Policy) -> Result<Vec<String>> {
    let members = users::members(conn, org_id)?;
    Ok(members
        .into_iter()
        .filter(|m| m.disabled_at.is_none() && !policy.met_by(m.factors(), m.role == Role::Admin))
        .map(|m| m.email)
        .collect())
}

/// The policy in the words the audit log uses.
pub fn describe_policy(p: &Policy) -> String {
    let members = match p.required_since {
        None => format!("two-factor authentication not required; methods {}", p.methods.as_str()),
        Some(_) => {
            format!("two-factor authentication required; grace {} days; methods {}", p.grace_days, p.methods.as_str())
        }
    };
    match p.admin_keys_since {
        Some(_) => format!("{members}; security key or passkey required for admins"),
        None => members,
    }
}

/// Refuses a change that would leave a member without an allowed method while the policy
/// requires one (`remaining`: the factors after the change).
pub fn ensure_policy_allows(c: &Current, remaining: Factors) -> Result<()> {
    let policy = c.org.policy();
    if !policy.met_by(remaining, c.user.role == Role::Admin) {
        let refusal = Msg::new("service-org-policy-last-method").with("org", &c.org.name);
        return Err(ServiceError::Invalid(refusal));
    }
    Ok(())
}

/// Resets a member's two-factor authentication (an admin's or the operator's), in the caller's
/// transaction: their factors, sessions and pending sign-ins end, and they are told.
pub(crate) fn reset_member(
    conn: &mut Conn,
    state: &AppState,
    target: &UserRow,
    actor: &Actor,
    by: &str,
    now: i64,
) -> Result<()> {
    factors::remove_all(conn, target.id)?;
    sessions::delete_for_user(conn, target.id, None)?;
    grants::revoke_for_user(conn, target.id, Which::All, now)?;
    pending::delete_for_user(conn, target.id)?;
    super::devices::forget(conn, target, None, actor, "two-factor reset", now)?;
    let detail = format!("by {by}");
    let e = Event {
        kind: AuditKind::TwoFactorReset,
        user_id: Some(target.id),
        org_id: Some(target.org_id),
        actor,
        detail: &detail,
    };
    audit::record(conn, e, now)?;
    super::notify_from_admin(conn, state, target, actor, now, mail::two_factor_reset)
}

/// Whether taking `target` away from the active admins leaves none, in a transaction that has
/// locked the organization (so two admins acting on each other at once see each other's change).
pub(crate) fn would_leave_no_admin(conn: &mut Conn, target: &UserRow) -> Result<bool> {
    let active_admin = target.role == Role::Admin && target.disabled_at.is_none();
    Ok(active_admin && users::count_active_admins(conn, target.org_id)? <= 1)
}
