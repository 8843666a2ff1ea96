//! The language and time zone a member reads pages and emails in (Manage Account -> Profile),
//! and their organization's defaults (the admin's settings, and its creation).

use super::{Result, ServiceError};
use crate::domain::text::Msg;
use crate::i18n::{Lang, Locale, Zone};
use crate::service::sessions::Current;
use crate::state::AppState;
use crate::store::{orgs, users};

/// An organization's defaults for its members: a language (None: each browser's) and a zone.
#[derive(Debug, Clone, Default)]
pub struct OrgDefaults {
    pub language: Option<Lang>,
    pub zone: Zone,
}

impl OrgDefaults {
    /// From the set-up form or the command line: "" for no language, and for UTC.
    pub fn parse(language: &str, zone: &str) -> Result<Self> {
        Ok(Self { language: parse_language(language)?, zone: parse_zone(zone)?.unwrap_or_default() })
    }
}

/// A language from a form: "" follows the default (the organization's, or the browser's).
pub fn parse_language(value: &str) -> Result<Option<Lang>> {
    match value.trim() {
        "" => Ok(None),
        v => Lang::parse(v).map(Some).ok_or_else(|| ServiceError::Invalid(Msg::new("prefs-language-unknown"))),
    }
}

/// A time zone from a form, by its IANA name: "" follows the organization's.
pub fn parse_zone(value: &str) -> Result<Option<Zone>> {
    match value.trim() {
        "" => Ok(None),
        v => Zone::parse(v)
            .map(Some)
            .ok_or_else(|| ServiceError::Invalid(Msg::new("prefs-zone-unknown").with("zone", v))),
    }
}

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
