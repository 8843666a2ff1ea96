//! The authorization endpoint and every return to it: a request is checked (the client and its
//! redirect URI first: until both hold, nothing is sent to the redirect URI), sealed, and
//! decided by `domain::oidc::decide` for the browser's session: on the first request, after
//! the sign-in, after a set-up and after a consent. The same road serves forward-auth's pages.

use super::super::sessions::Current;
use super::super::{Result, ServiceError};
use super::continuation::{self, Target, Unusable};
use super::issuer;
use crate::domain::audit::AuditKind;
use crate::domain::forward;
use crate::domain::oidc::{
    self, AppFacts, AuthRequest, Decision, ErrorCode, OidcError, RawRequest, Scopes, SessionFacts,
};
use crate::domain::policy::Requirement;
use crate::domain::signin::Continuation;
use crate::domain::text::Msg;
use crate::secrets::new_token;
use crate::state::AppState;
use crate::store::apps::{self, AppRow};
use crate::store::audit::{self, Actor, Event};
use crate::store::grants::{self, NewCode};
use crate::store::{consents, sessions};

/// How long an authorization code lives (RFC 6749 §4.1.2 recommends at most ten minutes).
pub const CODE_LIFETIME: i64 = 60;

/// Where the browser goes next.
pub enum Next {
    /// To the application (with a code or an error), or to the page behind the proxy.
    Redirect(String),
    /// "Log in", to continue afterwards: `to` names where to, `hint` is the email to fill in.
    LogIn { continuation: Continuation, to: String, hint: Option<String> },
    /// Two-factor authentication must be set up first; the session goes on afterwards.
    SetUp,
    /// The member's consent is asked.
    Consent(ConsentAsk),
    /// Signed in as a member of another organization than the application's.
    WrongOrganization { app: String, continuation: Continuation, cancel: String },
}

/// What the consent page shows.
pub struct ConsentAsk {
    pub app: String,
    /// What the application wants, in plain words, in the reader's language.
    pub disclosures: Vec<String>,
    pub continuation: Continuation,
    /// Where "Cancel" goes: back to the application with `access_denied`.
    pub cancel: String,
}

fn refuse(why: Msg) -> ServiceError {
    ServiceError::Invalid(why)
}

/// The redirect that carries an error back to the application.
pub fn error_redirect(state: &AppState, redirect_uri: &str, e: &OidcError, req_state: Option<&str>) -> String {
    let iss = issuer(state);
    let mut params = vec![("error", e.code.as_str()), ("error_description", e.description.as_str())];
    if let Some(s) = req_state {
        params.push(("state", s));
    }
    params.push(("iss", iss.as_str()));
    oidc::response_url(redirect_uri, &params)
}

/// `/oauth/authorize`: checks the request and decides it for the session, if any.
pub async fn begin(state: &AppState, raw: &RawRequest, current: Option<&Current>, actor: &Actor) -> Result<Next> {
    let client_id = raw
        .client_id
        .as_deref()
        .filter(|c| !c.is_empty())
        .ok_or_else(|| refuse(Msg::new("service-oidc-no-client-id")))?;
    let app = app_of(state, client_id).await?;
    let Some(redirect_uri) = raw.redirect_uri.as_deref().filter(|u| !u.is_empty()) else {
        return Err(refuse(Msg::new("service-oidc-no-redirect")));
    };
    if !state.db.read(|conn| apps::has_uri(conn, app.id, "redirect", redirect_uri))? {
        return Err(refuse(Msg::new("service-oidc-unregistered-redirect")));
    }
    let public = app.secret_hash.is_none();
    match AuthRequest::parse(raw, client_id, redirect_uri, public, state.clock.now()) {
        Ok(req) => resolve(state, Target::Authorize(req), current, actor).await,
        Err(e) => {
            let s = raw.state.as_deref().filter(|s| s.len() <= oidc::MAX_STATE);
            Ok(Next::Redirect(error_redirect(state, redirect_uri, &e, s)))
        }
    }
}

async fn app_of(state: &AppState, client_id: &str) -> Result<AppRow> {
    let app = state.db.read(|conn| apps::by_client_id(conn, client_id))?;
    app.ok_or_else(|| refuse(Msg::new("service-oidc-unknown-client")))
}

/// Back from a step (the sign-in, a set-up): the sealed continuation, decided again. One that
/// cannot be used is forgotten by the session that kept it, so that it is not tried again.
pub async fn resume(state: &AppState, sealed: &str, current: Option<&Current>, actor: &Actor) -> Result<Next> {
    match open(state, sealed) {
        Ok(target) => resolve(state, target, current, actor).await,
        Err(e) => {
            if let Some(c) = current.filter(|c| c.session.continue_to.as_deref() == Some(sealed)) {
                done_with_session(state, c).await?;
            }
            Err(e)
        }
    }
}

/// A continuation a form brought back, if it is one Latchkey made (an expired one is kept: the
/// person is then told the sign-in took too long); a forged one is dropped.
pub fn genuine(state: &AppState, sealed: &str) -> bool {
    !matches!(continuation::open(state, sealed), Err(Unusable::Invalid))
}

/// Whether the application behind a continuation asked for a second factor at the sign-in
/// itself (`max_age`, `acr_values`): a remembered device then does not skip the second step.
pub fn asks_fresh_second_factor(state: &AppState, sealed: &str) -> bool {
    matches!(continuation::open(state, sealed), Ok(Target::Authorize(req)) if req.asks_fresh_second_factor())
}

fn open(state: &AppState, sealed: &str) -> Result<Target> {
    continuation::open(state, sealed).map_err(|u| match u {
        Unusable::Expired => refuse(Msg::new("service-oidc-expired")),
        Unusable::Invalid => refuse(Msg::new("service-oidc-invalid")),
    })
}

/// Decides a continuation for the session, and carries out what it says.
pub async fn resolve(state: &AppState, target: Target, current: Option<&Current>, actor: &Actor) -> Result<Next> {
    match target {
        Target::Page(url) => page(state, url, current).await,
        Target::Authorize(req) => authorize(state, req, current, actor).await,
    }
}

/// A page behind a proxy: signed in (with two factors where its host requires them), back there.
async fn page(state: &AppState, url: String, current: Option<&Current>) -> Result<Next> {
    let host = url::Url::parse(&url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
    let target = Target::Page(url.clone());
    let Some(c) = current else {
        return Ok(Next::LogIn { continuation: continuation::seal(state, target), to: host, hint: None });
    };
    let wants_2fa = forward::requires_two_factor(&host, &state.settings.forward_auth_require_2fa);
    if c.requirement == Requirement::EnrolNow
        || (wants_2fa && !c.session.authn.two_factor() && !c.factors.two_factor_on())
    {
        return set_up_first(state, c, target).await;
    }
    if wants_2fa && !c.session.authn.two_factor() {
        return Ok(Next::LogIn {
            continuation: continuation::seal(state, target),
            to: host,
            hint: Some(c.user.email.clone()),
        });
    }
    done_with_session(state, c).await?;
    Ok(Next::Redirect(url))
}

/// Keeps the continuation with the session and sends the member to the set-up.
async fn set_up_first(state: &AppState, c: &Current, target: Target) -> Result<Next> {
    let Continuation(sealed) = continuation::seal(state, target);
    state.db.write(|conn| sessions::set_continue(conn, c.session.id, Some(&sealed)))?;
    Ok(Next::SetUp)
}

/// The session's continuation is used: it is forgotten.
async fn done_with_session(state: &AppState, c: &Current) -> Result<()> {
    if c.session.continue_to.is_some() {
        state.db.write(|conn| sessions::set_continue(conn, c.session.id, None))?;
    }
    Ok(())
}

async fn authorize(state: &AppState, req: AuthRequest, current: Option<&Current>, actor: &Actor) -> Result<Next> {
    let app = app_of(state, &req.client_id).await?;
    let facts = AppFacts { org_id: app.org_id, require_2fa: app.require_2fa != 0, third_party: app.third_party != 0 };
    let session = match current {
        Some(c) => Some(session_facts(state, c, &app, req.scope).await?),
        None => None,
    };
    let now = state.clock.now();
    let fail = |code: ErrorCode, why: &str| {
        error_redirect(state, &req.redirect_uri, &OidcError::new(code, why), req.state.as_deref())
    };
    let sealed = || continuation::seal(state, Target::Authorize(req.clone()));
    Ok(match oidc::decide(&req, facts, session, now) {
        Decision::LogIn => Next::LogIn {
            continuation: sealed(),
            to: app.name.clone(),
            hint: current.map(|c| c.user.email.clone()).or_else(|| req.login_hint.clone()),
        },
        Decision::SetUpTwoFactor => match current {
            Some(c) => set_up_first(state, c, Target::Authorize(req)).await?,
            None => Next::Redirect(fail(ErrorCode::LoginRequired, "sign-in required")),
        },
        Decision::WrongOrganization => Next::WrongOrganization {
            app: app.name.clone(),
            continuation: sealed(),
            cancel: fail(ErrorCode::AccessDenied, "the account is not a member of the application's organization"),
        },
        Decision::Consent => Next::Consent(ConsentAsk {
            app: app.name.clone(),
            disclosures: req.scope.disclosures().iter().map(ToString::to_string).collect(),
            continuation: sealed(),
            cancel: fail(ErrorCode::AccessDenied, "the member did not consent"),
        }),
        Decision::Fail(code) => Next::Redirect(fail(code, "the person must take part in the sign-in")),
        Decision::Issue => match current {
            Some(c) => Next::Redirect(issue(state, &req, &app, c, actor).await?),
            None => Next::Redirect(fail(ErrorCode::LoginRequired, "sign-in required")),
        },
    })
}

async fn session_facts(state: &AppState, c: &Current, app: &AppRow, scope: Scopes) -> Result<SessionFacts> {
    let consented_at = match state.db.read(|conn| consents::of(conn, c.user.id, app.id))? {
        Some((granted, at)) if Scopes::parse(&granted).covers(scope) => Some(at),
        _ => None,
    };
    Ok(SessionFacts {
        org_id: c.org.id,
        auth_time: c.session.created_at,
        authn: c.session.authn,
        has_two_factor: c.factors.two_factor_on(),
        has_security_key: c.factors.security_key,
        held: c.requirement == Requirement::EnrolNow,
        consented_at,
    })
}

/// Issues a code for the session, in one transaction with its audit event; the redirect URL.
async fn issue(state: &AppState, req: &AuthRequest, app: &AppRow, c: &Current, actor: &Actor) -> Result<String> {
    let now = state.clock.now();
    let (code, code_hash) = new_token();
    let scope = req.scope.as_string();
    state.db.tx(|tx| {
        let new = NewCode {
            code_hash: &code_hash,
            application_id: app.id,
            user_id: c.user.id,
            session_id: c.session.id,
            redirect_uri: &req.redirect_uri,
            scope: &scope,
            nonce: req.nonce.as_deref(),
            code_challenge: req.challenge.as_deref(),
            auth_time: c.session.created_at,
            authn: &c.session.authn.as_str(),
            expires_at: now + CODE_LIFETIME,
        };
        grants::insert_code(tx, &new, now)?;
        let detail = format!("{} ({})", app.name, app.client_id);
        let e = Event {
            kind: AuditKind::AppSignIn,
            user_id: Some(c.user.id),
            org_id: Some(c.org.id),
            actor,
            detail: &detail,
        };
        audit::record(tx, e, now)?;
        if c.session.continue_to.is_some() {
            sessions::set_continue(tx, c.session.id, None)?;
        }
        Ok::<_, ServiceError>(())
    })?;
    let iss = issuer(state);
    let mut params = vec![("code", code.as_str())];
    if let Some(s) = &req.state {
        params.push(("state", s));
    }
    params.push(("iss", &iss));
    Ok(oidc::response_url(&req.redirect_uri, &params))
}

/// "Allow" or "Cancel" on the consent page.
pub async fn consent(state: &AppState, sealed: &str, allow: bool, current: &Current, actor: &Actor) -> Result<Next> {
    let target = open(state, sealed)?;
    let Target::Authorize(req) = &target else {
        return Err(refuse(Msg::new("service-oidc-nothing-to-consent")));
    };
    let app = app_of(state, &req.client_id).await?;
    if app.org_id != current.org.id {
        return resolve(state, target, Some(current), actor).await;
    }
    let now = state.clock.now();
    if !allow {
        let e = OidcError::new(ErrorCode::AccessDenied, "the member did not consent");
        return Ok(Next::Redirect(error_redirect(state, &req.redirect_uri, &e, req.state.as_deref())));
    }
    state.db.tx(|tx| {
        let before = consents::of(tx, current.user.id, app.id)?.map(|(s, _)| Scopes::parse(&s)).unwrap_or_default();
        let scope = before.union(req.scope).as_string();
        consents::grant(tx, current.user.id, app.id, &scope, now)?;
        let detail = format!("{} ({}): {scope}", app.name, app.client_id);
        let e = Event {
            kind: AuditKind::ConsentGiven,
            user_id: Some(current.user.id),
            org_id: Some(current.org.id),
            actor,
            detail: &detail,
        };
        audit::record(tx, e, now)?;
        Ok::<_, ServiceError>(())
    })?;
    resolve(state, target, Some(current), actor).await
}

/// What the sign-in page says it continues to, if the continuation can be used.
pub async fn destination(state: &AppState, sealed: &str) -> Result<Option<(String, Option<String>)>> {
    Ok(match continuation::open(state, sealed) {
        Ok(Target::Authorize(req)) => match state.db.read(|conn| apps::by_client_id(conn, &req.client_id))? {
            Some(app) => Some((app.name, req.login_hint)),
            None => None,
        },
        Ok(Target::Page(url)) => url::Url::parse(&url).ok().and_then(|u| u.host_str().map(|h| (h.to_string(), None))),
        Err(_) => None,
    })
}
