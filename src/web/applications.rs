//! Organization -> "Applications" (admins only): the applications that sign their users in
//! through Latchkey. Registering one shows its client id and, for a confidential client, its
//! secret once; "Replace secret" and "Delete" act on one application of this organization.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, Query, SignedIn};
use super::pages::{render, AppRowView, OrgApplicationsPage};
use super::FormError;
use crate::domain::application::{AppName, ClientKind, RedirectUri};
use crate::i18n::{t, Msg};
use crate::jose::Alg;
use crate::service::applications::{self, Manager, Registration};
use crate::service::sessions::Current;
use crate::service::ServiceError;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/org/applications", get(show).post(register))
        .route("/org/applications/rotate", post(rotate))
        .route("/org/applications/delete", post(delete))
}

/// The page, with credentials to show once, a notice or an error.
async fn page(
    state: &AppState,
    c: &Current,
    csrf: &CsrfToken,
    shown: Option<(String, Option<String>)>,
    notice: Option<String>,
    mut error: Option<String>,
) -> Result<Response, WebError> {
    let apps = match applications::list(state, Manager::Admin(c)).await {
        Ok(apps) => apps,
        // Credentials just made must be shown even if the list cannot be read now: they are
        // not shown again.
        Err(e) if shown.is_some() && !matches!(e, ServiceError::NotFound) => {
            error = Some(crate::i18n::current().t1("web-apps-error-list", "error", &e));
            Vec::new()
        }
        Err(e) => return Err(e.into()),
    };
    let apps = apps
        .into_iter()
        .map(|a| AppRowView {
            client_id: a.row.client_id,
            name: a.row.name,
            confidential: a.row.secret_hash.is_some(),
            require_2fa: a.row.require_2fa != 0,
            third_party: a.row.third_party != 0,
            id_token_alg: a.row.id_token_alg,
            redirect_uris: a.redirect_uris,
            post_logout_uris: a.post_logout_uris,
        })
        .collect();
    let (shown_client_id, shown_secret) = match shown {
        Some((id, secret)) => (Some(id), secret),
        None => (None, None),
    };
    Ok(render(&OrgApplicationsPage {
        chrome: chrome(Some(c), csrf),
        tab: "applications",
        org_name: c.org.name.clone(),
        apps,
        shown_client_id,
        shown_secret,
        notice,
        error,
    }))
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    #[serde(default)]
    notice: String,
}

async fn show(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let notice = (q.notice == "deleted").then(|| t("web-apps-notice-deleted"));
    page(&state, &c, &csrf, None, notice, None).await
}

#[derive(Deserialize)]
pub struct RegisterForm {
    name: String,
    /// One URI a line.
    redirect_uris: String,
    #[serde(default)]
    post_logout_uris: String,
    /// "confidential" or "public".
    #[serde(default)]
    kind: String,
    #[serde(default)]
    require_2fa: String,
    #[serde(default)]
    third_party: String,
    /// "RS256" (the default) or "ES256".
    #[serde(default)]
    id_token_alg: String,
}

fn lines(text: &str) -> Result<Vec<RedirectUri>, ServiceError> {
    text.split(['\n', '\r'])
        .filter(|l| !l.trim().is_empty())
        .map(|l| RedirectUri::parse(l).map_err(ServiceError::invalid))
        .collect()
}

impl RegisterForm {
    fn parse(&self) -> Result<Registration, ServiceError> {
        Ok(Registration {
            name: AppName::parse(&self.name).map_err(ServiceError::invalid)?,
            kind: if self.kind == "public" { ClientKind::Public } else { ClientKind::Confidential },
            redirect_uris: lines(&self.redirect_uris)?,
            post_logout_uris: lines(&self.post_logout_uris)?,
            require_2fa: self.require_2fa == "on",
            third_party: self.third_party == "on",
            id_token_alg: match self.id_token_alg.as_str() {
                "" => Alg::RS256,
                other => Alg::parse(other).ok_or_else(|| ServiceError::Invalid(Msg::new("web-apps-error-alg")))?,
            },
        })
    }
}

async fn failed(state: &AppState, c: &Current, csrf: &CsrfToken, e: ServiceError) -> Result<Response, WebError> {
    let err = FormError::from_service(e)?;
    Ok(err.respond(page(state, c, csrf, None, None, Some(err.message.clone())).await?))
}

async fn register(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<RegisterForm>,
) -> Result<Response, WebError> {
    let registered = match f.parse() {
        Ok(r) => applications::register(&state, Manager::Admin(&c), r, &actor).await,
        Err(e) => Err(e),
    };
    match registered {
        Ok(creds) => {
            let notice = t("web-apps-notice-registered");
            page(&state, &c, &csrf, Some((creds.client_id, creds.client_secret)), Some(notice), None).await
        }
        Err(e) => failed(&state, &c, &csrf, e).await,
    }
}

#[derive(Deserialize)]
pub struct ClientForm {
    client_id: String,
}

async fn rotate(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<ClientForm>,
) -> Result<Response, WebError> {
    match applications::rotate_secret(&state, Manager::Admin(&c), &f.client_id, &actor).await {
        Ok(secret) => {
            let notice = t("web-apps-notice-secret-replaced");
            page(&state, &c, &csrf, Some((f.client_id, Some(secret))), Some(notice), None).await
        }
        Err(e) => failed(&state, &c, &csrf, e).await,
    }
}

async fn delete(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<ClientForm>,
) -> Result<Response, WebError> {
    match applications::delete(&state, Manager::Admin(&c), &f.client_id, &actor).await {
        Ok(_) => Ok(Redirect::to("/org/applications?notice=deleted").into_response()),
        Err(e) => failed(&state, &c, &csrf, e).await,
    }
}
