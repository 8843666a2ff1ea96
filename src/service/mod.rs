//! The use cases, one function each: they take the state and parsed input, run one transaction
//! over store + domain, queue their mail and audit events, and return a typed outcome.

//!
//! Three levels, and calls go down only (tests/layers.rs keeps it so):
//! - shared: this module, `guard` (bounds on guessing, the audit helper), `sessions`,
//!   `accounts`, `org` (the organization's rules);
//! - one module per way in, under `factor`: the password, the emailed code, the authenticator
//!   app, the Recovery Key, and `factor::proof` over them;
//! - the use cases, which never call each other: `signin` (it drives `domain::signin`),
//!   `two_factor`, `authenticator`, `recovery_key`, `passwords`, `email_verification`, `admin`,
//!   `operator`, `setup`, `applications`, `oidc` (signing in to other applications).

pub mod accounts;
pub mod admin;
pub mod applications;
pub mod authenticator;
pub mod devices;
pub mod email_verification;
pub mod factor;
pub(crate) mod guard;
pub mod not_me;
pub mod oidc;
pub mod operator;
pub mod org;
pub mod passwords;
pub mod preferences;
pub mod recovery_key;
pub mod security_keys;
pub mod sessions;
pub mod setup;
pub mod signin;
pub mod two_factor;

use crate::domain::text::Msg;
use crate::hashing::HashError;
use crate::mail::QueueError;
use crate::store::StoreError;

/// Why a use case did not do what was asked. The variants a person reads say it as a message,
/// in the reader's language (`Display`; English outside a request: the command line, logs).
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input was refused; the message says why, in the user's words.
    #[error("{0}")]
    Invalid(Msg),
    /// Something that does not exist for this user (another organization's member, say).
    #[error("{}", Msg::new("service-not-found"))]
    NotFound,
    /// A single-use link that is unknown, used or expired.
    #[error("{}", Msg::new("service-link-invalid"))]
    LinkInvalid,
    /// Too many attempts; the caller answers 429 with Retry-After.
    #[error("{}", Msg::new("service-throttled").wait("wait", *retry_after))]
    Throttled { retry_after: i64 },
    /// A new code was asked for too soon after the last one, which still works.
    #[error("{}", Msg::new("service-cooldown").wait("wait", *retry_after))]
    Cooldown { retry_after: i64 },
    /// No code was sent: the account's hourly cap on codes holds.
    #[error("{}", crate::domain::codes::capped(*retry_after))]
    CodeCapped { retry_after: i64 },
    /// The pending sign-in is unknown or took too long; the person logs in again.
    #[error("{}", Msg::new("service-step-expired"))]
    StepExpired,
    /// Too much work in flight; the caller answers 503 with Retry-After.
    #[error("{}", Msg::new("service-overloaded"))]
    Overloaded,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    /// Refused input, with what the person is told (a domain rule's error, or a message).
    pub fn invalid(e: impl Into<Msg>) -> Self {
        ServiceError::Invalid(e.into())
    }
}

impl From<HashError> for ServiceError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Overloaded => ServiceError::Overloaded,
            HashError::Failed(m) => ServiceError::Internal(m),
        }
    }
}

impl From<QueueError> for ServiceError {
    fn from(e: QueueError) -> Self {
        match e {
            QueueError::Store(s) => ServiceError::Store(s),
            QueueError::Render(r) => ServiceError::Internal(r.to_string()),
        }
    }
}

impl From<crate::store::DbError> for ServiceError {
    fn from(e: crate::store::DbError) -> Self {
        ServiceError::Store(StoreError::from(e))
    }
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// How a check of something typed (a code, a key) came out, inside a transaction that goes on
/// either way: a refusal has been counted, so the caller commits and then gives it.
#[derive(Debug)]
#[must_use]
pub enum Checked<T = ()> {
    /// Accepted and used up; the caller goes on with what it proved.
    Accepted(T),
    /// Refused, with what the person is told.
    Refused(ServiceError),
    /// Refused as a wrong guess: compared, and counted against the limits (a sign-in's
    /// unfinished alert counts these, not refusals of what was never compared).
    Wrong(ServiceError),
}

impl<T> Checked<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Checked<U> {
        match self {
            Checked::Accepted(t) => Checked::Accepted(f(t)),
            Checked::Refused(e) => Checked::Refused(e),
            Checked::Wrong(e) => Checked::Wrong(e),
        }
    }
}

impl From<ServiceError> for Checked<()> {
    fn from(e: ServiceError) -> Self {
        Checked::Refused(e)
    }
}

/// "24 hours", "7 days": a lifetime in the words an email uses, in English. A message for a
/// person names it as a value instead (`Msg::lifetime`), said in the reader's language.
pub fn lifetime_words(d: std::time::Duration) -> String {
    let s = d.as_secs();
    match s {
        s if s % 86_400 == 0 => plural(s / 86_400, "day"),
        s if s % 3_600 == 0 => plural(s / 3_600, "hour"),
        s if s % 60 == 0 => plural(s / 60, "minute"),
        s => plural(s, "second"),
    }
}

fn plural(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

use crate::i18n::Locale;
use crate::mail::{Mail, Origin};
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::orgs::OrgRow;
use crate::store::users::UserRow;
use crate::store::{links, Conn};

/// Creates a single-use link for `purpose` and returns its URL (`path?token=...`).
pub(crate) fn new_link(
    conn: &mut Conn,
    state: &AppState,
    purpose: links::Purpose,
    user_id: Option<i64>,
    ttl: std::time::Duration,
    path: &str,
) -> Result<String> {
    let (token, hash) = crate::secrets::new_token();
    let now = state.clock.now();
    links::insert(conn, purpose, &hash, user_id, now, now + ttl.as_secs() as i64)?;
    Ok(state.settings.link(&format!("{path}?token={token}")))
}

/// Who an email is for: the language and zone it is said in (their choice, their
/// organization's; for a change they made themselves, then what their browser asks for),
/// and their organization's name.
pub(crate) struct Recipient {
    pub locale: Locale,
    pub org_name: String,
}

/// `user`'s locale and organization. `own_request`: the user is the one making the request
/// (their browser's language is then the last fallback; an admin's is not).
pub(crate) fn recipient(conn: &mut Conn, user: &UserRow, own_request: bool) -> Result<Recipient> {
    recipient_in(conn, user, None, own_request)
}

/// The same, with the user's organization when the caller has read it already.
pub(crate) fn recipient_in(
    conn: &mut Conn,
    user: &UserRow,
    org: Option<&OrgRow>,
    own_request: bool,
) -> Result<Recipient> {
    let read;
    let org = match org {
        Some(o) => Some(o),
        None => {
            read = crate::store::orgs::by_id(&mut *conn, user.org_id)?;
            read.as_ref()
        }
    };
    let browser = if own_request { crate::i18n::browser() } else { None };
    let locale = locale_of(user, org, browser);
    Ok(Recipient { locale, org_name: org.map(|o| o.name.clone()).unwrap_or_default() })
}

/// A person's locale: their own language and zone, else their organization's, else the
/// language `browser` asked for (English, UTC).
pub fn locale_of(user: &UserRow, org: Option<&OrgRow>, browser: Option<crate::i18n::Lang>) -> Locale {
    Locale::for_person(
        (user.language.as_deref(), user.time_zone.as_deref()),
        (org.and_then(|o| o.language.as_deref()), org.map(|o| o.time_zone.as_str())),
        browser,
    )
}

/// Queues a security notice to the user about a change they made, in the caller's transaction.
pub(crate) fn notify(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    actor: &Actor,
    now: i64,
    make: fn(&Locale, &str, &Origin<'_>) -> Mail,
) -> Result<()> {
    notify_as(conn, state, user, actor, now, make, true)
}

/// The same, about a change an admin (or the operator) made to the user's account.
pub(crate) fn notify_from_admin(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    actor: &Actor,
    now: i64,
    make: fn(&Locale, &str, &Origin<'_>) -> Mail,
) -> Result<()> {
    notify_as(conn, state, user, actor, now, make, false)
}

fn notify_as(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    actor: &Actor,
    now: i64,
    make: fn(&Locale, &str, &Origin<'_>) -> Mail,
    own_request: bool,
) -> Result<()> {
    let to = recipient(&mut *conn, user, own_request)?;
    let origin = Origin { when: now, ip: &actor.ip, user_agent: &actor.user_agent };
    crate::mail::queue(conn, &state.key, &user.email, &make(&to.locale, &to.org_name, &origin), now)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[test]
    fn lifetimes_are_said_in_whole_units() {
        assert_eq!(super::lifetime_words(Duration::from_secs(86_400)), "1 day");
        assert_eq!(super::lifetime_words(Duration::from_secs(7 * 86_400)), "7 days");
        assert_eq!(super::lifetime_words(Duration::from_secs(3_600)), "1 hour");
        assert_eq!(super::lifetime_words(Duration::from_secs(90 * 60)), "90 minutes");
        assert_eq!(super::lifetime_words(Duration::from_secs(61)), "61 seconds");
    }
}
