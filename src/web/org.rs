//! The "Organization" pages (admins only): "Settings" (the two-factor policy, with its
//! preview) and the "Audit log" (with CSV export). Members are in members.rs.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{chrome, Client, CsrfForm, CsrfToken, Query, SignedIn};
use super::pages::{render, OrgAuditPage, OrgSettingsPage};
use super::FormError;
use crate::domain::audit::AuditKind;
use crate::domain::policy::{Methods, Policy};
use crate::i18n::{t, Msg};
use crate::service::admin::{self, PolicyOutcome};
use crate::service::sessions::Current;
use crate::service::ServiceError;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/org", get(settings))
        .route("/org/policy", post(save_policy))
        .route("/org/settings/remember", post(save_remember))
        .route("/org/audit", get(audit_page))
        .route("/org/audit.csv", get(audit_csv))
}

fn require_admin(c: &Current) -> Result<(), WebError> {
    if c.is_admin() {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

fn settings_page(
    c: &Current,
    csrf: &CsrfToken,
    p: &Policy,
    preview: Option<Vec<String>>,
    notice: Option<String>,
    error: Option<String>,
) -> OrgSettingsPage {
    OrgSettingsPage {
        chrome: chrome(Some(c), csrf),
        tab: "settings",
        org_name: c.org.name.clone(),
        required: p.required_since.is_some(),
        grace_days: p.grace_days,
        allow_email: p.methods.email,
        allow_authenticator: p.methods.authenticator,
        allow_key: p.methods.security_key,
        admin_keys: p.admin_keys_since.is_some(),
        admin_has_2fa: c.factors.two_factor_on(),
        preview,
        notice,
        error,
        locale_form: super::preferences::LocaleForm::organization(c),
        remember_days: c.org.remember_days,
    }
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

async fn settings(SignedIn(c): SignedIn, csrf: CsrfToken, Query(q): Query<NoticeQuery>) -> Result<Response, WebError> {
    require_admin(&c)?;
    let notice = match q.notice.as_deref() {
        Some("saved") => Some(t("web-org-notice-saved")),
        // From the organization's language and time-zone form (web/preferences.rs).
        Some("locale-saved") => Some(t("prefs-org-saved")),
        Some("remember-saved") => Some(t("web-org-notice-remember-saved")),
        _ => None,
    };
    Ok(render(&settings_page(&c, &csrf, &c.org.policy(), None, notice, None)))
}

#[derive(Deserialize)]
pub struct RememberForm {
    #[serde(default)]
    offered: String,
    #[serde(default)]
    days: String,
}

/// Settings -> "Remember this device": offered or not, and for how many days.
async fn save_remember(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<RememberForm>,
) -> Result<Response, WebError> {
    require_admin(&c)?;
    let days = match f.offered.as_str() {
        "on" => crate::domain::device::parse_remember_days(&f.days).and_then(|d| {
            // Offered means at least a day.
            if d == 0 {
                Err(Msg::new("device-remember-days-invalid").with("max", crate::domain::device::MAX_REMEMBER_DAYS))
            } else {
                Ok(d)
            }
        }),
        _ => Ok(0),
    };
    let result = match days {
        Ok(days) => admin::set_remember_days(&state, &c, days, &actor).await,
        Err(m) => Err(ServiceError::Invalid(m)),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/org?notice=remember-saved").into_response()),
        Err(e) => {
            let err = FormError::from_service(e)?;
            Ok(err.respond(render(&settings_page(&c, &csrf, &c.org.policy(), None, None, Some(err.message.clone())))))
        }
    }
}

#[derive(Deserialize)]
pub struct PolicyForm {
    #[serde(default)]
    required: String,
    #[serde(default)]
    grace_days: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    authenticator: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    admin_keys: String,
    #[serde(default)]
    confirmed: String,
}

impl PolicyForm {
    fn policy(&self) -> Result<Policy, ServiceError> {
        let grace_days = match self.grace_days.trim() {
            "" => 0,
            d => d
                .parse::<i64>()
                .ok()
                .filter(|d| (0..=365).contains(d))
                .ok_or_else(|| ServiceError::Invalid(Msg::new("web-org-error-grace-days")))?,
        };
        let methods = Methods {
            email: self.email == "on",
            authenticator: self.authenticator == "on",
            security_key: self.key == "on",
        };
        if methods == Methods::NONE {
            return Err(ServiceError::Invalid(Msg::new("web-org-error-no-method")));
        }
        let admin_keys_since = (self.admin_keys == "on").then_some(0);
        if admin_keys_since.is_some() && !methods.security_key {
            return Err(ServiceError::Invalid(Msg::new("web-org-error-admin-keys-method")));
        }
        Ok(Policy { required_since: (self.required == "on").then_some(0), grace_days, methods, admin_keys_since })
    }
}

async fn save_policy(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<PolicyForm>,
) -> Result<Response, WebError> {
    require_admin(&c)?;
    let result = match f.policy() {
        Ok(p) => admin::set_policy(&state, &c, p, f.confirmed == "yes", &actor).await.map(|o| (p, o)),
        Err(e) => Err(e),
    };
    match result {
        Ok((_, PolicyOutcome::Saved)) => Ok(Redirect::to("/org?notice=saved").into_response()),
        Ok((p, PolicyOutcome::Preview { affected })) => {
            Ok(render(&settings_page(&c, &csrf, &p, Some(affected), None, None)))
        }
        Err(e) => {
            let err = FormError::from_service(e)?;
            let page = settings_page(&c, &csrf, &c.org.policy(), None, None, Some(err.message.clone()));
            Ok(err.respond(render(&page)))
        }
    }
}

const PAGE_SIZE: i64 = 50;

/// Every event kind an admin can filter by, with its label.
#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    member: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    page: i64,
}

impl AuditQuery {
    fn link(&self, path: &str, page: i64) -> String {
        let q = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("member", &self.member)
            .append_pair("kind", &self.kind)
            .append_pair("page", &page.to_string())
            .finish();
        format!("{path}?{q}")
    }

    fn filters(&self) -> (Option<&str>, Option<&str>) {
        let member = Some(self.member.trim()).filter(|m| !m.is_empty());
        let kind = AuditKind::parse(&self.kind).map(AuditKind::as_str);
        (member, kind)
    }
}

async fn audit_page(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    require_admin(&c)?;
    // Far beyond any real trail; keeps `page * PAGE_SIZE` from overflowing.
    let page = q.page.clamp(0, 1_000_000);
    let (member, kind) = q.filters();
    let rows = admin::audit_log(&state, &c, member, kind, PAGE_SIZE + 1, page * PAGE_SIZE).await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    let events = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|(r, email)| {
            (
                crate::i18n::time(r.at),
                AuditKind::label_of(&r.kind).to_string(),
                email.unwrap_or_default(),
                r.ip.unwrap_or_default(),
                device_words(r.user_agent.as_deref()),
                r.user_agent.unwrap_or_default(),
                r.detail.unwrap_or_default(),
            )
        })
        .collect();
    Ok(render(&OrgAuditPage {
        chrome: chrome(Some(&c), &csrf),
        tab: "audit",
        org_name: c.org.name.clone(),
        member: q.member.clone(),
        kind: q.kind.clone(),
        kinds: AuditKind::ALL.iter().map(|k| (k.as_str(), k.label().to_string())).collect(),
        events,
        csv_link: q.link("/org/audit.csv", 0),
        prev_link: (page > 0).then(|| q.link("/org/audit", page - 1)),
        next_link: more.then(|| q.link("/org/audit", page + 1)),
    }))
}

/// "Chrome 131 on Windows" for an event's browser; nothing for an event without one.
fn device_words(user_agent: Option<&str>) -> String {
    match user_agent {
        Some(ua) if !ua.is_empty() => crate::domain::device::name(ua).to_string(),
        _ => String::new(),
    }
}

/// A CSV field, quoted, with formula-starting characters neutralised for spreadsheets.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A moment in UTC as ISO 8601: "2026-12-01T02:14:00Z".
fn utc_iso(unix: i64) -> String {
    jiff::Timestamp::from_second(unix).map(|ts| ts.to_string()).unwrap_or_else(|_| unix.to_string())
}

async fn audit_csv(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    require_admin(&c)?;
    let (member, kind) = q.filters();
    let rows = admin::audit_log(&state, &c, member, kind, 100_000, 0).await?;
    // Times for spreadsheets and scripts, in ISO 8601: in UTC, and in the reader's zone.
    let locale = crate::i18n::current();
    let mut out = String::from("time,local_time,event,member,client_address,browser,user_agent,detail\r\n");
    for (r, email) in rows {
        let fields = [
            utc_iso(r.at),
            locale.iso(r.at),
            r.kind,
            email.unwrap_or_default(),
            r.ip.unwrap_or_default(),
            device_words(r.user_agent.as_deref()),
            r.user_agent.unwrap_or_default(),
            r.detail.unwrap_or_default(),
        ];
        out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    let disposition = format!("attachment; filename=\"latchkey-audit-{}.csv\"", c.org.domain);
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        out,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(super::csv_field("a\"b"), "\"a\"\"b\"");
        assert_eq!(super::csv_field("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
        assert_eq!(super::csv_field("\t=1+1"), "\"'\t=1+1\"");
        assert_eq!(super::csv_field("\r=1+1"), "\"'\r=1+1\"");
        assert_eq!(super::csv_field("plain"), "\"plain\"");
    }
}
