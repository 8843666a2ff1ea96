//! What organization admins do: the two-factor policy (with its preview), members (invite,
//! reset their two-factor authentication, roles, disable) and the audit log. An admin only
//! ever sees and acts on members of their own organization.

use super::accounts::{self, Access, NewAccount};
use super::factor::password;
use super::factor::proof::{self, Proof};
use super::org::{affected_by, describe_policy, reset_member, would_leave_no_admin};
use super::sessions::Current;
use super::{guard, Checked, Result, ServiceError};
use crate::domain::account::Role;
use crate::domain::audit::AuditKind;
use crate::domain::email::EmailAddress;
use crate::domain::factor::Factors;
use crate::domain::policy::Policy;
use crate::domain::recovery_key::RecoveryKey;
use crate::domain::text::Msg;
use crate::state::AppState;
use crate::store::audit::{self, Actor, AuditRow, Event};
use crate::store::grants::{self, Which};
use crate::store::users::{MemberRow, UserRow};
use crate::store::{factors, orgs, pending, sessions, users, Conn};

fn ensure_admin(c: &Current) -> Result<()> {
    if c.is_admin() {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}

/// The outcome of saving the policy.
pub enum PolicyOutcome {
    Saved,
    /// The change asks more of members: who it affects, before it is confirmed.
    Preview {
        affected: Vec<String>,
    },
}

/// Saves the organization's policy. A change that tightens it is previewed first (unless
/// `confirmed`); an admin without an allowed method of their own cannot require it.
pub async fn set_policy(
    state: &AppState,
    c: &Current,
    new: Policy,
    confirmed: bool,
    actor: &Actor,
) -> Result<PolicyOutcome> {
    ensure_admin(c)?;
    let now = state.clock.now();
    let current = c.org.policy();
    let new = Policy {
        required_since: new.required_since.map(|_| current.required_since.unwrap_or(now)),
        admin_keys_since: new.admin_keys_since.map(|_| current.admin_keys_since.unwrap_or(now)),
        ..new
    };
    if new.admin_keys_since.is_some() && !c.factors.security_key {
        return Err(ServiceError::Invalid(Msg::new("service-admin-key-first")));
    }
    if new.required_since.is_some() && !new.methods.satisfied_by(c.factors) {
        return Err(ServiceError::Invalid(Msg::new("service-admin-2fa-first")));
    }
    if current.tightened_by(&new) && !confirmed {
        let affected = state.db.read(|conn| affected_by(conn, c.org.id, &new))?;
        return Ok(PolicyOutcome::Preview { affected });
    }
    state.db.tx(|tx| {
        orgs::set_policy(tx, c.org.id, &new)?;
        super::devices::unremember_org(tx, c.org.id)?;
        let detail = describe_policy(&new);
        guard::audit(tx, AuditKind::PolicyChanged, &c.user, actor, &detail, now)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(PolicyOutcome::Saved)
}

pub async fn members(state: &AppState, c: &Current) -> Result<Vec<MemberRow>> {
    ensure_admin(c)?;
    state.db.read(|conn| Ok(users::members(conn, c.org.id)?))
}

/// A member of the admin's own organization; any other id is "not found".
/// A member of the admin's organization, with their second factors.
pub async fn member(state: &AppState, c: &Current, id: i64) -> Result<(UserRow, Factors)> {
    ensure_admin(c)?;
    state.db.read(|conn| match users::by_id(conn, id)? {
        Some(u) if u.org_id == c.org.id => {
            let f = factors::of_user(conn, u.id)?;
            Ok((u, f))
        }
        _ => Err(ServiceError::NotFound),
    })
}

/// "Invite member": a new member who chooses their password from an emailed link.
pub async fn invite(state: &AppState, c: &Current, email: &EmailAddress, actor: &Actor) -> Result<()> {
    ensure_admin(c)?;
    if email.domain().as_str() != c.org.domain {
        return Err(ServiceError::Invalid(Msg::new("service-admin-invite-domain").with("domain", &c.org.domain)));
    }
    let account = NewAccount { email: email.clone(), role: Role::Member, verified: false, password: None };
    let (id, access) = accounts::create_user(state, account, actor).await?;
    debug_assert_eq!(access, Access::Invited);
    state.db.write(|conn| {
        let e = Event {
            kind: AuditKind::MemberInvited,
            user_id: Some(id),
            org_id: Some(c.org.id),
            actor,
            detail: &c.user.email,
        };
        audit::record(conn, e, state.clock.now())?;
        Ok(())
    })
}

/// "Reset two-factor authentication" of a member who lost their device: removes their
/// factors and Recovery Key, signs out their sessions, mails them. Needs the admin's password
/// and second factor; when that was the admin's Recovery Key, the admin's new key is returned,
/// to show.
pub async fn reset_two_factor(
    state: &AppState,
    c: &Current,
    member_id: i64,
    password: &str,
    proof: Proof,
    actor: &Actor,
) -> Result<Option<RecoveryKey>> {
    let (target, _) = member(state, c, member_id).await?;
    if !c.factors.two_factor_on() {
        return Err(ServiceError::Invalid(Msg::new("service-admin-reset-2fa-first")));
    }
    password::confirm(state, c, password, actor).await?;
    let now = state.clock.now();
    let key = state.db.tx(|tx| {
        let proved = match proof::check(tx, state, c, &proof, actor, now)? {
            Checked::Accepted(proved) => proved,
            Checked::Refused(e) | Checked::Wrong(e) => {
                return Ok(Err(e));
            }
        };
        reset_member(tx, state, &target, actor, &c.user.email, now)?;
        let key = proof::replace_used_key(tx, state, c, proved, actor, now)?;
        Ok::<_, ServiceError>(Ok(key))
    })??;
    state.mailer.wake.notify_one();
    Ok(key)
}

const LAST_ADMIN: Msg = Msg::new("service-admin-last-admin");
const LAST_ACTIVE_ADMIN: Msg = Msg::new("service-admin-last-active-admin");

/// In a transaction that has locked the organization: the acting admin is still an active admin,
/// and `target` as it is now (not as the request first read it).
fn locked_for_change(conn: &mut Conn, c: &Current, target: i64) -> Result<UserRow> {
    orgs::lock(&mut *conn, c.org.id)?;
    match users::by_id(&mut *conn, c.user.id)? {
        Some(me) if me.role == Role::Admin && me.disabled_at.is_none() => {}
        _ => return Err(ServiceError::NotFound),
    }
    users::by_id(conn, target)?.filter(|u| u.org_id == c.org.id).ok_or(ServiceError::NotFound)
}

/// "Make admin" / "Remove admin". An organization keeps at least one active admin.
pub async fn set_admin(state: &AppState, c: &Current, member_id: i64, admin: bool, actor: &Actor) -> Result<()> {
    member(state, c, member_id).await?;
    let now = state.clock.now();
    state.db.tx(|tx| {
        let target = locked_for_change(tx, c, member_id)?;
        if !admin && would_leave_no_admin(tx, &target)? {
            return Err(ServiceError::Invalid(LAST_ADMIN));
        }
        let role = if admin { Role::Admin } else { Role::Member };
        users::set_role(tx, target.id, role)?;
        super::devices::unremember(tx, target.id)?;
        let detail = format!("{} by {}", role.as_str(), c.user.email);
        let e = Event {
            kind: AuditKind::RoleChanged,
            user_id: Some(target.id),
            org_id: Some(c.org.id),
            actor,
            detail: &detail,
        };
        audit::record(tx, e, now)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(())
}

/// "Disable" / "Enable". A disabled member cannot sign in and their sessions end.
pub async fn set_disabled(state: &AppState, c: &Current, member_id: i64, disabled: bool, actor: &Actor) -> Result<()> {
    member(state, c, member_id).await?;
    if disabled && member_id == c.user.id {
        return Err(ServiceError::Invalid(Msg::new("service-admin-not-self")));
    }
    let now = state.clock.now();
    state.db.tx(|tx| {
        let target = locked_for_change(tx, c, member_id)?;
        if disabled && would_leave_no_admin(tx, &target)? {
            return Err(ServiceError::Invalid(LAST_ACTIVE_ADMIN));
        }
        users::set_disabled(tx, target.id, disabled.then_some(now))?;
        if disabled {
            sessions::delete_for_user(tx, target.id, None)?;
            grants::revoke_for_user(tx, target.id, Which::All, now)?;
            pending::delete_for_user(tx, target.id)?;
            super::devices::forget(tx, &target, None, actor, "member disabled", now)?;
        }
        let kind = if disabled { AuditKind::MemberDisabled } else { AuditKind::MemberEnabled };
        let e = Event { kind, user_id: Some(target.id), org_id: Some(c.org.id), actor, detail: &c.user.email };
        audit::record(tx, e, now)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(())
}

/// One page of the organization's audit log, newest first, and the emails of the members.
pub async fn audit_log(
    state: &AppState,
    c: &Current,
    member_email: Option<&str>,
    kind: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<(AuditRow, Option<String>)>> {
    ensure_admin(c)?;
    state.db.read(|conn| {
        let members = users::members(conn, c.org.id)?;
        // An unknown member matches nothing (-1), rather than every event.
        let user_id = member_email
            .map(|e| members.iter().find(|m| m.email == e.trim().to_lowercase()).map(|m| m.id).unwrap_or(-1));
        let rows = audit::for_org(conn, c.org.id, user_id, kind, limit, offset)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let email = r.user_id.and_then(|id| members.iter().find(|m| m.id == id)).map(|m| m.email.clone());
                (r, email)
            })
            .collect())
    })
}

/// A member's remembered devices, on the member's page.
pub async fn member_devices(state: &AppState, c: &Current, member_id: i64) -> Result<Vec<super::devices::DeviceView>> {
    let (target, _) = member(state, c, member_id).await?;
    let now = state.clock.now();
    state.db.read(|conn| super::devices::listed(conn, target.id, &c.org, now))
}

/// "Forget" one of a member's devices (`Some(id)`), or all of them.
pub async fn forget_member_devices(
    state: &AppState,
    c: &Current,
    member_id: i64,
    which: Option<i64>,
    actor: &Actor,
) -> Result<u64> {
    let (target, _) = member(state, c, member_id).await?;
    let now = state.clock.now();
    let by = format!("admin {}", c.user.email);
    state.db.tx(|tx| super::devices::forget(tx, &target, which, actor, &by, now))
}

/// Organization -> Settings -> "Remember this device": how many days (0: not offered).
pub async fn set_remember_days(state: &AppState, c: &Current, days: i64, actor: &Actor) -> Result<()> {
    ensure_admin(c)?;
    let now = state.clock.now();
    state.db.tx(|tx| {
        crate::store::orgs::set_remember_days(tx, c.org.id, days)?;
        if days == 0 {
            super::devices::unremember_org(tx, c.org.id)?;
        }
        let detail = days.to_string();
        guard::audit(tx, AuditKind::OrgRememberChanged, &c.user, actor, &detail, now)?;
        Ok::<_, ServiceError>(())
    })
}
