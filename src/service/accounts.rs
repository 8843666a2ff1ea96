//! Creating organizations and users (command line, first-run setup, later the admin console).

use super::{new_link, Result, ServiceError};
use crate::domain::account::{OrgName, PersonName, Role};
use crate::domain::audit::AuditKind;
use crate::domain::email::{Domain, EmailAddress};
use crate::domain::password::NewPassword;
use crate::domain::text::Msg;
use crate::i18n::{Lang, Zone};
use crate::mail;
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event};
use crate::store::links::Purpose;
use crate::store::orgs::{self, OrgRow};
use crate::store::users::{self, NewUser};
use crate::store::{Conn, StoreError};

pub async fn create_org(
    state: &AppState,
    name: &OrgName,
    domain: &Domain,
    defaults: &OrgDefaults,
    actor: &Actor,
) -> Result<OrgRow> {
    let now = state.clock.now();
    let org = state.db.tx(|tx| {
        let id = insert_org(tx, name, domain, defaults, now)?;
        audit::record(
            tx,
            Event { kind: AuditKind::OrgCreated, user_id: None, org_id: Some(id), actor, detail: domain.as_str() },
            now,
        )?;
        let org = orgs::by_id(tx, id)?.ok_or_else(|| ServiceError::Internal("new organization not found".into()))?;
        Ok::<_, ServiceError>(org)
    })?;
    Ok(org)
}

/// The organization's row with its members' default language and zone, in the caller's
/// transaction.
pub(crate) fn insert_org(
    conn: &mut Conn,
    name: &OrgName,
    domain: &Domain,
    defaults: &OrgDefaults,
    now: i64,
) -> Result<i64> {
    let id = insert_org_row(conn, name, domain, now)?;
    orgs::set_locale(conn, id, defaults.language.map(|l| l.code()), defaults.zone.name())?;
    Ok(id)
}

fn insert_org_row(conn: &mut Conn, name: &OrgName, domain: &Domain, now: i64) -> Result<i64> {
    orgs::insert(conn, name.as_str(), domain.as_str(), now).map_err(|e| match e {
        StoreError::Conflict(_) => {
            ServiceError::Invalid(Msg::new("service-account-domain-taken").with("domain", domain.as_str()))
        }
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
    let (id, access) = state.db.tx(|tx| {
        let domain = a.email.domain();
        let org = orgs::by_domain(tx, domain.as_str())?.ok_or_else(|| {
            ServiceError::Invalid(Msg::new("service-account-no-org-create").with("domain", domain.as_str()))
        })?;
        let new = NewUser {
            org_id: org.id,
            email: a.email.as_str(),
            role: a.role,
            password_hash: hash.as_deref(),
            email_verified_at: a.verified.then_some(now),
        };
        let id = insert_user(tx, new, now)?;
        let detail = format!("role={}", a.role.as_str());
        audit::record(
            tx,
            Event { kind: AuditKind::UserCreated, user_id: Some(id), org_id: Some(org.id), actor, detail: &detail },
            now,
        )?;
        let access = if hash.is_some() {
            Access::Password
        } else {
            let ttl = state.settings.invite_link_ttl;
            let url = new_link(tx, state, Purpose::Invite, Some(id), ttl, "/reset-password")?;
            // A new member has no language of their own yet, and the browser is the admin's.
            let locale =
                crate::i18n::Locale::for_person((None, None), (org.language.as_deref(), Some(&org.time_zone)), None);
            let m = mail::invitation(&locale, &org.name, url, ttl.as_secs() as i64);
            mail::queue(tx, &state.key, a.email.as_str(), &m, now)?;
            Access::Invited
        };
        Ok::<_, ServiceError>((id, access))
    })?;
    state.mailer.wake.notify_one();
    Ok((id, access))
}

pub(crate) fn insert_user(conn: &mut Conn, u: NewUser<'_>, now: i64) -> Result<i64> {
    let email = u.email.to_string();
    users::insert(conn, u, now).map_err(|e| match e {
        StoreError::Conflict(_) => ServiceError::Invalid(Msg::new("service-account-email-taken").with("email", email)),
        e => e.into(),
    })
}

/// Manage Account -> Profile -> "Name": what applications are told as `name`.
pub async fn set_name(state: &AppState, c: &super::sessions::Current, name: &PersonName) -> Result<()> {
    state.db.write(|conn| {
        users::set_name(conn, c.user.id, name.as_option())?;
        Ok(())
    })
}

/// An organization's defaults for its members: a language (None: each browser's) and a zone.
#[derive(Debug, Clone, Default)]
pub struct OrgDefaults {
    pub language: Option<Lang>,
    pub zone: Zone,
}

impl OrgDefaults {
    /// From the set-up form or the command line: "" for no language, and for UTC.
    pub fn parse(language: &str, zone: &str) -> Result<Self> {
        Ok(Self { language: parse_language(language)?, zone: parse_zone(zone)?.unwrap_or_default() })
    }
}

/// A language from a form: "" follows the default (the organization's, or the browser's).
pub fn parse_language(value: &str) -> Result<Option<Lang>> {
    match value.trim() {
        "" => Ok(None),
        v => Lang::parse(v).map(Some).ok_or_else(|| ServiceError::Invalid(Msg::new("prefs-language-unknown"))),
    }
}

/// A time zone from a form, by its IANA name: "" follows the organization's.
pub fn parse_zone(value: &str) -> Result<Option<Zone>> {
    match value.trim() {
        "" => Ok(None),
        v => Zone::parse(v)
            .map(Some)
            .ok_or_else(|| ServiceError::Invalid(Msg::new("prefs-zone-unknown").with("zone", v))),
    }
}
