//! Applications that sign their users in through Latchkey, per organization: registering one
//! (a client id, and for a confidential client a secret shown once and stored as its hash),
//! listing, replacing the secret, deleting. Every change is an audit event.

use super::sessions::Current;
use super::{Result, ServiceError};
use crate::domain::application::{AppName, ClientKind, RedirectUri};
use crate::domain::audit::AuditKind;
use crate::domain::email::Domain;
use crate::domain::text::Msg;
use crate::jose::Alg;
use crate::secrets::new_token;
use crate::state::AppState;
use crate::store::apps::{self, AppRow, NewApp};
use crate::store::audit::{self, Actor, Event};
use crate::store::{orgs, Conn};

/// What registering an application takes (already parsed).
pub struct Registration {
    pub name: AppName,
    pub kind: ClientKind,
    pub redirect_uris: Vec<RedirectUri>,
    pub post_logout_uris: Vec<RedirectUri>,
    pub require_2fa: bool,
    pub third_party: bool,
    /// How its ID tokens are signed.
    pub id_token_alg: Alg,
}

/// A registered application's credentials, shown once.
pub struct Credentials {
    pub client_id: String,
    /// For a confidential client; only its hash is kept.
    pub client_secret: Option<String>,
}

/// An application as listed.
pub struct AppView {
    pub row: AppRow,
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
}

fn new_client_id() -> String {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    hex::encode(bytes)
}

/// Who manages the applications: the operator on the command line (for the organization
/// owning a domain, when the command names one), or an admin on the web, for their own
/// organization only.
#[derive(Clone, Copy)]
pub enum Manager<'a> {
    Operator(Option<&'a Domain>),
    Admin(&'a Current),
}

impl Manager<'_> {
    /// The organization managed, and the acting user (an admin).
    fn org(&self, conn: &mut Conn) -> Result<(i64, Option<i64>)> {
        match self {
            Manager::Admin(c) if !c.is_admin() => Err(ServiceError::NotFound),
            Manager::Admin(c) => Ok((c.org.id, Some(c.user.id))),
            Manager::Operator(None) => Err(ServiceError::Internal("no organization named".into())),
            Manager::Operator(Some(domain)) => match orgs::by_domain(conn, domain.as_str())? {
                Some(o) => Ok((o.id, None)),
                None => Err(ServiceError::Invalid(Msg::new("service-no-org").with("domain", domain.as_str()))),
            },
        }
    }

    /// The application `client_id` if this manager may change it (an admin: only their own
    /// organization's; another organization's is "not found", as an unknown one is).
    fn app(&self, conn: &mut Conn, client_id: &str) -> Result<(AppRow, Option<i64>)> {
        let app = apps::by_client_id(conn, client_id)?.ok_or_else(|| unknown(client_id))?;
        match self {
            Manager::Admin(c) if !c.is_admin() || c.org.id != app.org_id => Err(unknown(client_id)),
            Manager::Admin(c) => Ok((app, Some(c.user.id))),
            Manager::Operator(_) => Ok((app, None)),
        }
    }
}

fn record(
    conn: &mut Conn,
    kind: AuditKind,
    (org_id, user_id): (i64, Option<i64>),
    actor: &Actor,
    detail: &str,
    now: i64,
) -> Result<()> {
    let e = Event { kind, user_id, org_id: Some(org_id), actor, detail };
    Ok(audit::record(conn, e, now)?)
}

/// Registers an application of the managed organization.
pub async fn register(state: &AppState, by: Manager<'_>, r: Registration, actor: &Actor) -> Result<Credentials> {
    if r.redirect_uris.is_empty() {
        return Err(ServiceError::invalid(crate::domain::application::AppError::NoRedirect));
    }
    let now = state.clock.now();
    let client_id = new_client_id();
    let secret = (r.kind == ClientKind::Confidential).then(new_token);
    let redirects: Vec<&str> = r.redirect_uris.iter().map(RedirectUri::as_str).collect();
    let post_logout: Vec<&str> = r.post_logout_uris.iter().map(RedirectUri::as_str).collect();
    state.db.tx(|tx| {
        let (org_id, user_id) = by.org(tx)?;
        let app = NewApp {
            org_id,
            client_id: &client_id,
            name: r.name.as_str(),
            secret_hash: secret.as_ref().map(|(_, hash)| hash.as_str()),
            require_2fa: r.require_2fa,
            third_party: r.third_party,
            id_token_alg: r.id_token_alg.as_str(),
            redirect_uris: &redirects,
            post_logout_uris: &post_logout,
        };
        apps::insert(tx, &app, now)?;
        let kind = if secret.is_some() { "confidential" } else { "public" };
        let detail = format!("{} ({client_id}, {kind})", r.name.as_str());
        record(tx, AuditKind::ApplicationCreated, (org_id, user_id), actor, &detail, now)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(Credentials { client_id, client_secret: secret.map(|(token, _)| token) })
}

/// The managed organization's applications, with their URIs.
pub async fn list(state: &AppState, by: Manager<'_>) -> Result<Vec<AppView>> {
    state.db.read(|conn| {
        let (org_id, _) = by.org(conn)?;
        let mut views = Vec::new();
        for row in apps::of_org(conn, org_id)? {
            let redirect_uris = apps::uris(conn, row.id, "redirect")?;
            let post_logout_uris = apps::uris(conn, row.id, "post_logout")?;
            views.push(AppView { row, redirect_uris, post_logout_uris });
        }
        Ok(views)
    })
}

fn unknown(client_id: &str) -> ServiceError {
    ServiceError::Invalid(Msg::new("service-apps-unknown").with("client_id", client_id))
}

/// A new secret for a confidential client; the old one stops working at once.
pub async fn rotate_secret(state: &AppState, by: Manager<'_>, client_id: &str, actor: &Actor) -> Result<String> {
    let now = state.clock.now();
    let secret = state.db.tx(|tx| {
        let (app, user_id) = by.app(tx, client_id)?;
        if app.secret_hash.is_none() {
            return Err(ServiceError::Invalid(Msg::new("service-apps-public-no-secret").with("app", &app.name)));
        }
        let (secret, hash) = new_token();
        if !apps::set_secret(tx, client_id, &hash)? {
            return Err(unknown(client_id));
        }
        let detail = format!("{} ({client_id})", app.name);
        record(tx, AuditKind::ApplicationSecretRotated, (app.org_id, user_id), actor, &detail, now)?;
        Ok::<_, ServiceError>(secret)
    })?;
    Ok(secret)
}

/// Deletes an application; its name.
pub async fn delete(state: &AppState, by: Manager<'_>, client_id: &str, actor: &Actor) -> Result<String> {
    let now = state.clock.now();
    let app = state.db.tx(|tx| {
        let (app, user_id) = by.app(tx, client_id)?;
        if !apps::delete(tx, client_id)? {
            // Deleted by another request meanwhile: that one wrote the audit event.
            return Err(unknown(client_id));
        }
        let detail = format!("{} ({client_id})", app.name);
        record(tx, AuditKind::ApplicationDeleted, (app.org_id, user_id), actor, &detail, now)?;
        Ok::<_, ServiceError>(app)
    })?;
    Ok(app.name)
}
