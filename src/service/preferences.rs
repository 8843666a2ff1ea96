//! The language and time zone a member reads pages and emails in (Manage Account -> Profile),
//! and their organization's defaults (the admin's settings; at its creation: accounts).

pub use super::accounts::{parse_language, parse_zone};
use super::{guard, Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::i18n::{Lang, Locale, Zone};
use crate::service::sessions::Current;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::{orgs, users};

/// The member's own language and time zone (None: the organization's).
pub async fn set_own(state: &AppState, c: &Current, language: Option<Lang>, zone: Option<&Zone>) -> Result<()> {
    let (language, zone) = (language.map(Lang::code), zone.map(Zone::name));
    state.db.write(|conn| users::set_locale(conn, c.user.id, language, zone))?;
    Ok(())
}

/// The organization's default language (None: each browser's) and time zone, by one of its
/// admins; recorded in the audit log ("language=id time_zone=Asia/Jakarta").
pub async fn set_org_defaults(
    state: &AppState,
    c: &Current,
    language: Option<Lang>,
    zone: &Zone,
    actor: &Actor,
) -> Result<()> {
    if !c.is_admin() {
        return Err(ServiceError::NotFound);
    }
    let now = state.clock.now();
    let detail = format!("language={} time_zone={}", language.map_or("browser", Lang::code), zone.name());
    state.db.tx(|tx| {
        orgs::set_locale(tx, c.org.id, language.map(Lang::code), zone.name())?;
        guard::audit(tx, AuditKind::OrgLocaleChanged, &c.user, actor, &detail, now)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(())
}

/// The locale of the person who owns `email` (their choice, their organization's, then the
/// browser's), once their password was accepted: the pages before their session (the second
/// step) and after it (Log in again) speak it too.
pub async fn locale_of(state: &AppState, email: &str, browser: Option<Lang>) -> Result<Option<Locale>> {
    let row = state.db.lookup(|conn| users::locale_of(conn, email))?;
    Ok(row.map(|(lang, zone, org_lang, org_zone)| {
        Locale::for_person((lang.as_deref(), zone.as_deref()), (org_lang.as_deref(), Some(&org_zone)), browser)
    }))
}
