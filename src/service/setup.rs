//! First-run setup: while no organization exists, a one-time link lets a person create the
//! first organization and its admin account.

use super::accounts::{insert_org, insert_user};
use super::sessions::{start_session, NewSessionToken, SessionStart};
use super::{new_link, Result, ServiceError};
use crate::domain::account::{OrgName, Role};
use crate::domain::audit::AuditKind;
use crate::domain::email::{Domain, EmailAddress};
use crate::domain::password::NewPassword;
use crate::domain::text::Msg;
use crate::secrets::hash_token;
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event};
use crate::store::links::{self, Purpose};
use crate::store::users::NewUser;
use crate::store::{orgs, users};

/// How long a setup link printed at start-up works.
const SETUP_LINK_TTL: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// When the database has no organization yet, replaces any earlier setup link with a new one
/// and returns its URL, for `serve` to print.
pub async fn setup_link_if_needed(state: &AppState) -> Result<Option<String>> {
    state.db.tx(|tx| {
        if orgs::count(tx)? > 0 {
            return Ok(None);
        }
        links::revoke(tx, Purpose::Setup, None, state.clock.now())?;
        let url = new_link(tx, state, Purpose::Setup, None, SETUP_LINK_TTL, "/setup")?;
        Ok(Some(url))
    })
}

/// Whether a setup link can still be used (for showing the form).
pub async fn link_is_valid(state: &AppState, token: &str) -> Result<bool> {
    state.db.read(|conn| Ok(links::peek(conn, Purpose::Setup, &hash_token(token), state.clock.now())?.is_some()))
}

pub struct SetupForm<'a> {
    pub org_name: &'a str,
    pub domain: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub confirm: &'a str,
    /// The members' default language ("": each browser's) and time zone.
    pub language: &'a str,
    pub time_zone: &'a str,
}

/// Creates the first organization and its admin, uses up the link and signs the admin in.
pub async fn complete(state: &AppState, token: &str, f: SetupForm<'_>, actor: &Actor) -> Result<NewSessionToken> {
    if !link_is_valid(state, token).await? {
        return Err(ServiceError::LinkInvalid);
    }
    let name = OrgName::parse(f.org_name).map_err(ServiceError::invalid)?;
    let domain = Domain::parse(f.domain).map_err(ServiceError::invalid)?;
    let email = EmailAddress::parse(f.email).map_err(ServiceError::invalid)?;
    if email.domain() != domain {
        return Err(ServiceError::Invalid(Msg::new("service-setup-email-domain").with("domain", domain.as_str())));
    }
    let password = NewPassword::parse(f.password, f.confirm, email.as_str()).map_err(ServiceError::invalid)?;
    let defaults = super::accounts::OrgDefaults::parse(f.language, f.time_zone)?;
    let hash = state.hasher.hash(password.expose()).await?;
    let now = state.clock.now();
    let session = state.db.tx(|tx| {
        if links::consume(tx, Purpose::Setup, &hash_token(token), now)?.is_none() || orgs::count(tx)? > 0 {
            return Err(ServiceError::LinkInvalid);
        }
        let org_id = insert_org(tx, &name, &domain, &defaults, now)?;
        let new = NewUser {
            org_id,
            email: email.as_str(),
            role: Role::Admin,
            password_hash: Some(&hash),
            email_verified_at: None,
        };
        let user_id = insert_user(tx, new, now)?;
        audit::record(
            tx,
            Event {
                kind: AuditKind::SetupCompleted,
                user_id: Some(user_id),
                org_id: Some(org_id),
                actor,
                detail: domain.as_str(),
            },
            now,
        )?;
        let session = start_session(tx, &state.key, (user_id, org_id), SessionStart::PASSWORD, actor, now)?;
        users::record_sign_in(tx, user_id, now)?;
        Ok::<_, ServiceError>(session)
    })?;
    Ok(session)
}
