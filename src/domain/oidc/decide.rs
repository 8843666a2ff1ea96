//! What an authorization request leads to for the session (if any) of the browser that made it:
//! one pure decision, taken on the first request and again after each step (a sign-in, a
//! set-up, a consent), so there is one place that says when a code is issued.

use super::{AuthRequest, ErrorCode};
use crate::domain::authn::Authn;

/// What the application requires, and whose it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppFacts {
    pub org_id: i64,
    /// "Require two-factor authentication" for this application.
    pub require_2fa: bool,
    /// A third-party application: members consent to what it learns.
    pub third_party: bool,
}

/// The browser's session, as far as the decision needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionFacts {
    pub org_id: i64,
    /// When the person signed in (the session began).
    pub auth_time: i64,
    pub authn: Authn,
    /// Whether the account has a second factor at all.
    pub has_two_factor: bool,
    /// Whether the account has a security key or passkey.
    pub has_security_key: bool,
    /// Held by the organization's policy to the two-factor set-up.
    pub held: bool,
    /// When the member consented to (at least) the scopes asked, for this application.
    pub consented_at: Option<i64>,
}

/// The next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Sign in (again): no session, `prompt=login`, `max_age` passed, or a second factor that
    /// this session did not give.
    LogIn,
    /// Set up two-factor authentication first (the policy holds the member, or the application
    /// needs two factors and the account has none, or a security key and the account has
    /// none).
    SetUpTwoFactor,
    /// The session is of another organization's member.
    WrongOrganization,
    /// Ask the member's consent.
    Consent,
    /// Issue a code.
    Issue,
    /// `prompt=none` and something above needed the person: this error goes back.
    Fail(ErrorCode),
}

/// The one decision. `session`: the browser's signed-in session, if any.
pub fn decide(req: &AuthRequest, app: AppFacts, session: Option<SessionFacts>, now: i64) -> Decision {
    let quiet = |d: Decision, code: ErrorCode| if req.prompt.none { Decision::Fail(code) } else { d };
    let Some(s) = session else {
        return quiet(Decision::LogIn, ErrorCode::LoginRequired);
    };
    if s.org_id != app.org_id {
        return quiet(Decision::WrongOrganization, ErrorCode::LoginRequired);
    }
    // Signed in after the request was made: fresh, whatever prompt and max_age say. Times are
    // whole seconds, so a session begun in the request's second counts as after it (the sign-in
    // the request leads to can never be earlier, and a decision taken again must not loop).
    let fresh = s.auth_time >= req.created_at;
    let too_old = req.max_age.is_some_and(|m| s.auth_time.saturating_add(m) < now);
    if !fresh && (req.prompt.login || too_old) {
        return quiet(Decision::LogIn, ErrorCode::LoginRequired);
    }
    if s.held {
        return quiet(Decision::SetUpTwoFactor, ErrorCode::InteractionRequired);
    }
    if (app.require_2fa || req.two_factor) && !s.authn.two_factor() {
        return if s.has_two_factor {
            // The account has a second factor this session did not give: sign in with it.
            quiet(Decision::LogIn, ErrorCode::LoginRequired)
        } else {
            quiet(Decision::SetUpTwoFactor, ErrorCode::InteractionRequired)
        };
    }
    // A remembered device carries a second factor proved earlier: an application that asks for
    // one at the sign-in itself (`max_age`, `acr_values`) gets a second step.
    if req.asks_fresh_second_factor() && s.authn.two_factor() && !s.authn.fresh_second_factor() {
        return quiet(Decision::LogIn, ErrorCode::LoginRequired);
    }
    if req.phishing_resistant && !s.authn.phishing_resistant() {
        return if s.has_security_key {
            quiet(Decision::LogIn, ErrorCode::LoginRequired)
        } else {
            quiet(Decision::SetUpTwoFactor, ErrorCode::InteractionRequired)
        };
    }
    // `prompt=consent` asks again, unless the consent was given after the request was made.
    let consent_due = match s.consented_at {
        None => app.third_party || req.prompt.consent,
        Some(at) => req.prompt.consent && at < req.created_at,
    };
    if consent_due {
        return quiet(Decision::Consent, ErrorCode::ConsentRequired);
    }
    Decision::Issue
}
