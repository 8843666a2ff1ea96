//! Creating organizations and users (command line, first-run setup, later the admin console).

use super::{lifetime_words, new_link, Result, ServiceError};
use crate::domain::account::{OrgName, PersonName, Role};
use crate::domain::audit::AuditKind;
use crate::domain::email::{Domain, EmailAddress};
use crate::domain::password::NewPassword;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event};
use crate::store::links::Purpose;
use crate::store::orgs::{self, OrgRow};
use crate::store::users::{self, NewUser};
use crate::store::{Conn, StoreError};

pub async fn create_org(state: &AppState, name: &OrgName, domain: &Domain, actor: &Actor) -> Result<OrgRow> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let id = insert_org(&mut tx, name, domain, now).await?;
    audit::record(
        &mut tx,
        Event { kind: AuditKind::OrgCreated, user_id: None, org_id: Some(id), actor, detail: domain.as_str() },
        now,
    )
    .await?;
    let org =
        orgs::by_id(&mut tx, id).await?.ok_or_else(|| ServiceError::Internal("new organization not found".into()))?;
    tx.commit().await?;
    Ok(org)
}

pub(crate) async fn insert_org(conn: &mut Conn, name: &OrgName, domain: &Domain, now: i64) -> Result<i64> {
    orgs::insert(conn, name.as_str(), domain.as_str(), now).await.map_err(|e| match e {
        StoreError::Conflict(_) => ServiceError::Invalid(format!("An organization already owns the domain {domain}.")),
        e => e.into(),
    })
}

/// A user to create from the command line.
pub struct NewAccount {
    pub email: EmailAddress,
    pub role: Role,
    pub verified: bool,
    pub password: Option<NewPassword>,
}

/// How the new user will get in.
#[derive(Debug, PartialEq, Eq)]
pub enum Access {
    /// The password was given.
    Password,
    /// An invitation link to choose a password was queued.
    Invited,
}

pub async fn create_user(state: &AppState, a: NewAccount, actor: &Actor) -> Result<(i64, Access)> {
    let hash = match &a.password {
        Some(p) => Some(state.hasher.hash(p.expose()).await?),
        None => None,
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let domain = a.email.domain();
    let org = orgs::by_domain(&mut tx, domain.as_str()).await?.ok_or_else(|| {
        ServiceError::Invalid(format!(
            "No organization owns the domain {domain}. Create it first with: latchkey org create --name NAME --domain {domain}"
        ))
    })?;
    let new = NewUser {
        org_id: org.id,
        email: a.email.as_str(),
        role: a.role,
        password_hash: hash.as_deref(),
        email_verified_at: a.verified.then_some(now),
    };
    let id = insert_user(&mut tx, new, now).await?;
    let detail = format!("role={}", a.role.as_str());
    audit::record(
        &mut tx,
        Event { kind: AuditKind::UserCreated, user_id: Some(id), org_id: Some(org.id), actor, detail: &detail },
        now,
    )
    .await?;
    let access = if hash.is_some() {
        Access::Password
    } else {
        let ttl = state.settings.invite_link_ttl;
        let url = new_link(&mut tx, state, Purpose::Invite, Some(id), ttl, "/reset-password").await?;
        let m = mail::invitation(&org.name, url, &lifetime_words(ttl));
        mail::queue(&mut tx, &state.key, a.email.as_str(), &m, now).await?;
        Access::Invited
    };
    tx.commit().await?;
    state.mailer.wake.notify_one();
    Ok((id, access))
}

pub(crate) async fn insert_user(conn: &mut Conn, u: NewUser<'_>, now: i64) -> Result<i64> {
    let email = u.email.to_string();
    users::insert(conn, u, now).await.map_err(|e| match e {
        StoreError::Conflict(_) => ServiceError::Invalid(format!("An account with the email {email} already exists.")),
        e => e.into(),
    })
}

/// Manage Account -> Profile -> "Name": what applications are told as `name`.
pub async fn set_name(state: &AppState, c: &super::sessions::Current, name: &PersonName) -> Result<()> {
    let mut conn = state.db.write().await?;
    users::set_name(&mut conn, c.user.id, name.as_option()).await?;
    Ok(())
}
