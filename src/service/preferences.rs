//! The language and time zone a member reads pages and emails in (Manage Account -> Profile),
//! and their organization's defaults (the admin's settings; at its creation: accounts).

pub use super::accounts::{parse_language, parse_zone};
use super::Result;
use crate::i18n::{Lang, Locale, Zone};
use crate::service::sessions::Current;
use crate::state::AppState;
use crate::store::{orgs, users};

/// The member's own language and time zone (None: the organization's).
pub async fn set_own(state: &AppState, c: &Current, language: Option<Lang>, zone: Option<&Zone>) -> Result<()> {
    let (language, zone) = (language.map(Lang::code), zone.map(Zone::name));
    state.db.write(|conn| users::set_locale(conn, c.user.id, language, zone))?;
    Ok(())
}

/// The organization's default language (None: each browser's) and time zone. The caller
/// checks that its person may (an admin of `org_id`, or the operator).
pub async fn set_org_defaults(state: &AppState, org_id: i64, language: Option<Lang>, zone: &Zone) -> Result<()> {
    state.db.write(|conn| orgs::set_locale(conn, org_id, language.map(Lang::code), zone.name()))?;
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
