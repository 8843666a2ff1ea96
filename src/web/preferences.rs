//! The language and time-zone forms: a member's own (Manage Account -> Profile) and the
//! organization's defaults (its settings page), both drawn by `templates/locale_form.html`.

use axum_extra::extract::cookie::Cookie;
use axum_extra::extract::CookieJar;

use super::locale::{lang_cookie, LANG_COOKIE};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{Client, CsrfForm, SignedIn};
use super::FormError;
use crate::i18n::{self, Lang, Zone};
use crate::service::preferences::{self, parse_language, parse_zone};
use crate::service::sessions::Current;
use crate::service::ServiceError;
use crate::state::AppState;

/// Indonesia's three zones, listed first; then every zone of the tz database.
const FIRST_ZONES: [&str; 3] = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"];

/// The choices a language and time-zone form offers, with the current ones selected.
#[derive(Debug, Clone)]
pub struct LocaleForm {
    pub action: &'static str,
    /// The first option of each list: what "no choice" means here.
    pub language_default: String,
    pub zone_default: Option<String>,
    /// (code, name, selected)
    pub languages: Vec<(&'static str, &'static str, bool)>,
    /// (name, selected), Indonesia's first.
    pub first_zones: Vec<(String, bool)>,
    pub zones: Vec<(String, bool)>,
    pub language_selected_default: bool,
}

impl LocaleForm {
    fn new(action: &'static str, language: Option<&str>, zone: Option<&str>) -> Self {
        let language = language.and_then(Lang::parse);
        let zone = zone.and_then(Zone::parse).map(|z| z.name().to_string());
        let picked = |z: &str| zone.as_deref() == Some(z);
        Self {
            action,
            language_default: String::new(),
            zone_default: None,
            languages: Lang::ALL.iter().map(|l| (l.code(), l.name(), language == Some(*l))).collect(),
            first_zones: FIRST_ZONES.iter().map(|z| (z.to_string(), picked(z))).collect(),
            zones: Zone::all()
                .iter()
                .filter(|z| !FIRST_ZONES.contains(&z.as_str()))
                .map(|z| (z.clone(), picked(z)))
                .collect(),
            language_selected_default: language.is_none(),
        }
    }

    /// A list without a "no choice" option shows the zone in use: a stored name the database no
    /// longer knows reads as UTC, as the pages do, rather than the list's first zone, which the
    /// browser would select and a save would store.
    fn with_a_zone_selected(mut self) -> Self {
        let selected = self.first_zones.iter().chain(&self.zones).any(|(_, s)| *s);
        if !selected {
            if let Some(utc) = self.zones.iter_mut().find(|(z, _)| z == "UTC") {
                utc.1 = true;
            }
        }
        self
    }

    /// The member's own form: "no choice" is the organization's default.
    pub fn own(c: &Current) -> Self {
        let l = i18n::current();
        let org_lang = c.org.language.as_deref().and_then(Lang::parse);
        let mut form = Self::new("/account/profile/locale", c.user.language.as_deref(), c.user.time_zone.as_deref());
        form.language_default = match org_lang {
            Some(lang) => l.t1("prefs-language-default", "lang", lang.name()),
            None => l.t("prefs-language-browser"),
        };
        form.zone_default = Some(l.t1("prefs-zone-default", "zone", &c.org.time_zone));
        form
    }

    /// The first-run set-up's fields: the page's language and `zone` chosen to begin with.
    pub fn setup(language: &str, zone: &str) -> Self {
        let mut form = Self::new("/setup", Some(language), Some(zone));
        form.language_default = i18n::t("prefs-org-language-browser");
        form.with_a_zone_selected()
    }

    /// The organization's form: "no choice" of language is each browser's; a zone is required.
    pub fn organization(c: &Current) -> Self {
        let mut form = Self::new("/org/settings/locale", c.org.language.as_deref(), Some(&c.org.time_zone));
        form.language_default = i18n::t("prefs-org-language-browser");
        form.with_a_zone_selected()
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/account/profile/locale", post(save_own)).route("/org/settings/locale", post(save_org))
}

#[derive(Deserialize)]
struct Choice {
    #[serde(default)]
    language: String,
    #[serde(default)]
    time_zone: String,
}

async fn save_own(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    jar: CookieJar,
    CsrfForm(f): CsrfForm<Choice>,
) -> Result<Response, WebError> {
    let lang = match (parse_language(&f.language), parse_zone(&f.time_zone)) {
        (Ok(lang), Ok(zone)) => preferences::set_own(&state, &c, lang, zone.as_ref()).await.map(|()| lang),
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    // The switcher's cookie follows the choice (it speaks for this browser before sign-in);
    // "the default" gives the browser its own language back.
    let jar = match &lang {
        Ok(Some(lang)) => jar.add(lang_cookie(&state, *lang)),
        Ok(None) => jar.remove(Cookie::build(LANG_COOKIE).path("/")),
        Err(_) => jar,
    };
    let page = respond(lang.map(|_| ()), "/account?notice=locale-saved", "/account")?;
    Ok((jar, page).into_response())
}

async fn save_org(
    State(state): State<AppState>,
    SignedIn(c): SignedIn,
    Client(actor): Client,
    CsrfForm(f): CsrfForm<Choice>,
) -> Result<Response, WebError> {
    if !c.is_admin() {
        return Err(WebError::NotFound);
    }
    let saved = match (parse_language(&f.language), parse_zone(&f.time_zone)) {
        (Ok(lang), Ok(Some(zone))) => preferences::set_org_defaults(&state, &c, lang, &zone, &actor).await,
        (Ok(_), Ok(None)) => Err(ServiceError::Invalid(crate::i18n::Msg::new("prefs-zone-unknown").with("zone", ""))),
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    respond(saved, "/org?notice=locale-saved", "/org")
}

/// Saved: back to the page, which now speaks the new language. Refused (only a hand-made
/// form can name an unknown language or zone): the reason, with the way back.
fn respond(saved: Result<(), ServiceError>, done: &str, back: &str) -> Result<Response, WebError> {
    match saved {
        Ok(()) => Ok(Redirect::to(done).into_response()),
        Err(e) => {
            let err = FormError::from_service(e)?;
            let page = super::pages::MessagePage::plain(&i18n::t("prefs-language"), &err.message)
                .with_link(back, &i18n::t("prefs-back"));
            Ok(err.respond(page.html().into_response()))
        }
    }
}
