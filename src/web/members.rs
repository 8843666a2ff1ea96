//! "Members" (admins only): the list with its "no 2FA" filter, "Invite member", and per
//! member "Reset two-factor authentication", "Make admin" / "Remove admin", "Disable" /
//! "Enable". Another organization's member is "not found".

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, Path, Query, SignedIn};
use super::pages::{render, MemberView, OrgMemberPage, OrgMembersPage};
use super::signin::Empty;
use super::two_factor::ConfirmForm;
use super::FormError;
use crate::domain::account::Role;
use crate::domain::email::EmailAddress;
use crate::domain::factor::Factors;
use crate::i18n::{t, time};
use crate::service::factor::proof;
use crate::service::sessions::Current;
use crate::service::{admin, ServiceError};
use crate::state::AppState;
use crate::store::users::{MemberRow, UserRow};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/org/members", get(list))
        .route("/org/members/invite", post(invite))
        .route("/org/members/{id}", get(show))
        .route("/org/members/{id}/role", post(set_role))
        .route("/org/members/{id}/status", post(set_status))
        .route("/org/members/{id}/reset-2fa", post(reset))
        .route("/org/members/{id}/reset-2fa/send", post(send_code))
}

fn two_factor_words(f: Factors) -> String {
    let on: Vec<String> = [
        (f.email_code, "web-members-factor-email-code"),
        (f.authenticator, "web-members-factor-authenticator"),
        (f.security_key, "web-members-factor-security-key"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, id)| t(id))
    .collect();
    if on.is_empty() {
        t("web-members-two-factor-none")
    } else {
        crate::i18n::current().t1("web-members-two-factor-on", "methods", on.join(", "))
    }
}

fn view(
    id: i64,
    email: &str,
    role: Role,
    verified: Option<i64>,
    last: Option<i64>,
    disabled: Option<i64>,
    f: Factors,
) -> MemberView {
    MemberView {
        id,
        email: email.to_string(),
        role: role.label().to_string(),
        is_admin: role == Role::Admin,
        verified: t(if verified.is_some() { "web-members-verified-yes" } else { "web-members-verified-no" }),
        two_factor: two_factor_words(f),
        last_sign_in: last.map(time).unwrap_or_else(|| t("web-members-never")),
        status: t(if disabled.is_some() { "web-members-status-disabled" } else { "web-members-status-active" }),
        disabled: disabled.is_some(),
    }
}

fn member_view(m: &MemberRow) -> MemberView {
    view(m.id, &m.email, m.role, m.email_verified_at, m.last_sign_in_at, m.disabled_at, m.factors())
}

#[derive(Deserialize)]
pub struct ListQuery {
    filter: Option<String>,
    notice: Option<String>,
}

async fn list_page(
    state: &AppState,
    c: &Current,
    csrf: &CsrfToken,
    no_2fa_only: bool,
    notice: Option<String>,
    error: Option<String>,
) -> Result<OrgMembersPage, WebError> {
    let members = admin::members(state, c).await?;
    let members = members.iter().filter(|m| !no_2fa_only || !m.factors().two_factor_on()).map(member_view).collect();
    Ok(OrgMembersPage {
        chrome: chrome(Some(c), csrf),
        tab: "members",
        org_name: c.org.name.clone(),
        org_domain: c.org.domain.clone(),
        members,
        no_2fa_only,
        notice,
        error,
    })
}

async fn list(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let notice = (q.notice.as_deref() == Some("invited")).then(|| t("web-members-notice-invited"));
    Ok(render(&list_page(&state, &c, &csrf, q.filter.as_deref() == Some("no-2fa"), notice, None).await?))
}

#[derive(Deserialize)]
pub struct InviteForm {
    email: String,
}

async fn invite(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<InviteForm>,
) -> Result<Response, WebError> {
    let invited = match EmailAddress::parse(&f.email) {
        Ok(email) => admin::invite(&state, &c, &email, &actor).await,
        Err(e) => Err(ServiceError::invalid(e)),
    };
    match invited {
        Ok(()) => Ok(Redirect::to("/org/members?notice=invited").into_response()),
        Err(e) => {
            let err = FormError::from_service(e)?;
            Ok(err.respond(render(&list_page(&state, &c, &csrf, false, None, Some(err.message.clone())).await?)))
        }
    }
}

async fn member_page(
    state: &AppState,
    c: &Current,
    csrf: &CsrfToken,
    id: i64,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let (u, f): (UserRow, _) = admin::member(state, c, id).await?;
    let member = view(u.id, &u.email, u.role, u.email_verified_at, u.last_sign_in_at, u.disabled_at, f);
    Ok(render(&OrgMemberPage {
        chrome: chrome(Some(c), csrf),
        tab: "members",
        org_name: c.org.name.clone(),
        member,
        admin_has_2fa: c.factors.two_factor_on(),
        admin_has_app: c.factors.authenticator,
        admin_has_email: c.factors.email_code,
        devices: admin::member_devices(state, c, id).await?.into_iter().map(super::devices::row_view).collect(),
        devices_action: format!("/org/members/{id}/devices/forget"),
        notice,
        error,
    }))
}

fn notice_text(key: &str) -> Option<String> {
    let id = match key {
        "reset" => "web-members-notice-reset",
        "role" => "web-members-notice-role",
        "status" => "web-members-notice-status",
        "code-sent" => "web-members-notice-code-sent",
        "devices-forgotten" => "web-members-notice-devices-forgotten",
        _ => return None,
    };
    Some(t(id))
}

async fn show(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    member_page(&state, &c, &csrf, id, q.notice.as_deref().and_then(notice_text), None).await
}

/// After an action: back to the member, with its notice or its error.
async fn done(
    state: &AppState,
    c: &Current,
    csrf: &CsrfToken,
    id: i64,
    result: Result<(), ServiceError>,
    notice: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/org/members/{id}?notice={notice}")).into_response()),
        Err(e) => {
            let err = FormError::from_service(e)?;
            Ok(err.respond(member_page(state, c, csrf, id, None, Some(err.message.clone())).await?))
        }
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    admin: String,
}

async fn set_role(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<RoleForm>,
) -> Result<Response, WebError> {
    let result = admin::set_admin(&state, &c, id, f.admin == "yes", &actor).await;
    if result.is_ok() && id == c.user.id && f.admin != "yes" {
        // No longer an admin: the Organization pages are gone for them.
        return Ok(Redirect::to("/account").into_response());
    }
    done(&state, &c, &csrf, id, result, "role").await
}

#[derive(Deserialize)]
pub struct StatusForm {
    disabled: String,
}

async fn set_status(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<StatusForm>,
) -> Result<Response, WebError> {
    let result = admin::set_disabled(&state, &c, id, f.disabled == "yes", &actor).await;
    done(&state, &c, &csrf, id, result, "status").await
}

async fn send_code(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    admin::member(&state, &c, id).await?;
    let result = proof::send_code(&state, &c, &actor).await;
    done(&state, &c, &csrf, id, result, "code-sent").await
}

async fn reset(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Result<Response, WebError> {
    let member = admin::member(&state, &c, id).await?;
    let result = match f.factor.proof() {
        Ok(proof) => admin::reset_two_factor(&state, &c, id, &f.password, proof, &actor).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(Some(key)) => {
            let intro = crate::i18n::current().t1("web-recovery-key-intro-member-reset", "email", &member.0.email);
            Ok(super::recovery_key::new_key_page(&c, &csrf, &intro, &key))
        }
        other => done(&state, &c, &csrf, id, other.map(drop), "reset").await,
    }
}
