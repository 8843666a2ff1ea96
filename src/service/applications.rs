//! Applications that sign their users in through Latchkey, per organization: registering one
//! (a client id, and for a confidential client a secret shown once and stored as its hash),
//! listing, replacing the secret, deleting. Every change is an audit event.

use super::{Result, ServiceError};
use crate::domain::application::{AppName, ClientKind, RedirectUri};
use crate::domain::audit::AuditKind;
use crate::domain::email::Domain;
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

async fn org_id(conn: &mut Conn, domain: &Domain) -> Result<i64> {
    orgs::by_domain(conn, domain.as_str())
        .await?
        .map(|o| o.id)
        .ok_or_else(|| ServiceError::Invalid(format!("No organization owns the domain {}.", domain.as_str())))
}

async fn record(conn: &mut Conn, kind: AuditKind, org_id: i64, actor: &Actor, detail: &str, now: i64) -> Result<()> {
    let e = Event { kind, user_id: None, org_id: Some(org_id), actor, detail };
    Ok(audit::record(conn, e, now).await?)
}

/// Registers an application of the organization owning `domain`.
pub async fn register(state: &AppState, domain: &Domain, r: Registration, actor: &Actor) -> Result<Credentials> {
    if r.redirect_uris.is_empty() {
        return Err(ServiceError::invalid(crate::domain::application::AppError::NoRedirect));
    }
    let now = state.clock.now();
    let client_id = new_client_id();
    let secret = (r.kind == ClientKind::Confidential).then(new_token);
    let redirects: Vec<&str> = r.redirect_uris.iter().map(RedirectUri::as_str).collect();
    let post_logout: Vec<&str> = r.post_logout_uris.iter().map(RedirectUri::as_str).collect();
    let mut tx = state.db.begin().await?;
    let org_id = org_id(&mut tx, domain).await?;
    let app = NewApp {
        org_id,
        client_id: &client_id,
        name: r.name.as_str(),
        secret_hash: secret.as_ref().map(|(_, hash)| hash.as_str()),
        require_2fa: r.require_2fa,
        third_party: r.third_party,
        redirect_uris: &redirects,
        post_logout_uris: &post_logout,
    };
    apps::insert(&mut tx, &app, now).await?;
    let kind = if secret.is_some() { "confidential" } else { "public" };
    let detail = format!("{} ({client_id}, {kind})", r.name.as_str());
    record(&mut tx, AuditKind::ApplicationCreated, org_id, actor, &detail, now).await?;
    tx.commit().await?;
    Ok(Credentials { client_id, client_secret: secret.map(|(token, _)| token) })
}

/// The applications of the organization owning `domain`, with their URIs.
pub async fn list(state: &AppState, domain: &Domain) -> Result<Vec<AppView>> {
    let mut conn = state.db.read().await?;
    let org_id = org_id(&mut conn, domain).await?;
    let mut views = Vec::new();
    for row in apps::of_org(&mut conn, org_id).await? {
        let redirect_uris = apps::uris(&mut conn, row.id, "redirect").await?;
        let post_logout_uris = apps::uris(&mut conn, row.id, "post_logout").await?;
        views.push(AppView { row, redirect_uris, post_logout_uris });
    }
    Ok(views)
}

fn unknown(client_id: &str) -> ServiceError {
    ServiceError::Invalid(format!("There is no application with the client id {client_id}."))
}

/// A new secret for a confidential client; the old one stops working at once.
pub async fn rotate_secret(state: &AppState, client_id: &str, actor: &Actor) -> Result<String> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let app = apps::by_client_id(&mut tx, client_id).await?.ok_or_else(|| unknown(client_id))?;
    if app.secret_hash.is_none() {
        return Err(ServiceError::Invalid(format!(
            "{} is a public client: it has no secret (it proves itself with PKCE).",
            app.name
        )));
    }
    let (secret, hash) = new_token();
    if !apps::set_secret(&mut tx, client_id, &hash).await? {
        return Err(unknown(client_id));
    }
    let detail = format!("{} ({client_id})", app.name);
    record(&mut tx, AuditKind::ApplicationSecretRotated, app.org_id, actor, &detail, now).await?;
    tx.commit().await?;
    Ok(secret)
}

/// Deletes an application; its name.
pub async fn delete(state: &AppState, client_id: &str, actor: &Actor) -> Result<String> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let app = apps::by_client_id(&mut tx, client_id).await?.ok_or_else(|| unknown(client_id))?;
    apps::delete(&mut tx, client_id).await?;
    let detail = format!("{} ({client_id})", app.name);
    record(&mut tx, AuditKind::ApplicationDeleted, app.org_id, actor, &detail, now).await?;
    tx.commit().await?;
    Ok(app.name)
}
