//! Which language a page is in. Before sign-in: the language chosen with the sign-in page's
//! switcher (a cookie), else the browser's `Accept-Language`, else English. Signed in: the
//! member's own choice, else the organization's default, else the same as before sign-in
//! (`i18n::Locale::for_person`). Times are in UTC until the person is known.

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::extract::CsrfForm;
use crate::i18n::{self, Lang, Locale, Zone};
use crate::service::sessions::Current;
use crate::state::AppState;

/// The language chosen before sign-in (the switcher), and set at sign-in to the person's own.
pub const LANG_COOKIE: &str = "latchkey_lang";

/// What the browser asks for (the cookie first), kept for the signed-in person's fallback.
#[derive(Clone, Copy, Debug)]
pub struct BrowserLang(pub Option<Lang>);

/// Runs on every request (forward-auth checks included), so it reads the one cookie it needs
/// without parsing the others.
pub fn browser_lang(headers: &HeaderMap) -> Option<Lang> {
    let chosen = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(LANG_COOKIE).and_then(|rest| rest.strip_prefix('=')))
        .and_then(Lang::parse);
    chosen.or_else(|| {
        headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language)
    })
}

/// Answers each request in its browser's language (until a signed-in person's own replaces
/// it, see `adopt`), and says which one it was in `Content-Language`.
pub async fn locale(mut req: Request, next: Next) -> Response {
    let browser = browser_lang(req.headers());
    req.extensions_mut().insert(BrowserLang(browser));
    let (mut res, lang) = i18n::scope(browser, async move {
        let res = next.run(req).await;
        (res, i18n::current_lang())
    })
    .await;
    if !res.headers().contains_key(header::CONTENT_LANGUAGE) {
        res.headers_mut().insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.code()));
    }
    res
}

/// The signed-in person's locale, for the rest of this request.
pub fn adopt(browser: Option<BrowserLang>, c: &Current) {
    i18n::set(crate::service::locale_of(&c.user, Some(&c.org), browser.and_then(|b| b.0)));
}

/// The cookie that keeps a language for the pages before sign-in (a year; not a secret).
pub fn lang_cookie(state: &AppState, lang: Lang) -> Cookie<'static> {
    Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.public_url.scheme() == "https")
        .max_age(time::Duration::days(365))
        .build()
}

/// The switcher (a page's form, under the pages' CSRF layer).
pub fn routes() -> Router<AppState> {
    Router::new().route("/language", post(choose))
}

/// The script's texts: a static file (no cookies, no form token), beside `/static/app.js`.
pub fn static_routes() -> Router<AppState> {
    Router::new().route("/static/messages/{file}", get(script_messages))
}

/// The texts `static/app.js` shows, by its names, from the translations. `{n}`, `{wait}` and
/// `{reason}` are filled in by the script; the countdown's words are the server's own
/// (duration-*, resend-wait), so the sentence reads the same when the script takes over.
fn script_texts(l: &Locale) -> serde_json::Map<String, serde_json::Value> {
    let mut texts = vec![
        ("wait-second", l.tn("duration-seconds", "n", 1)),
        ("wait-seconds", l.t1("duration-seconds", "n", "{n}")),
        ("wait-minute", l.tn("duration-minutes", "n", 1)),
        ("wait-minutes", l.t1("duration-minutes", "n", "{n}")),
        ("wait-hour", l.tn("duration-hours", "n", 1)),
        ("wait-hours", l.t1("duration-hours", "n", "{n}")),
        ("resend-in", l.t1("resend-wait", "wait", "{wait}")),
        ("key-failed-reason", l.t1("js-key-failed-reason", "reason", "{reason}")),
    ];
    for name in [
        "resend-now",
        "key-unsupported",
        "key-prompt",
        "key-prompt-create",
        "passkey-prompt",
        "checking",
        "key-cancelled",
        "key-registered",
        "key-failed",
        "no-answer",
    ] {
        texts.push((name, l.t(&format!("js-{name}"))));
    }
    texts.into_iter().map(|(k, v)| (k.to_string(), serde_json::Value::String(v))).collect()
}

/// `GET /static/messages/<lang>.js`: the script's texts in one language, cached as the other
/// static files are; its `Content-Language` is its own, whatever the browser asked for.
async fn script_messages(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let Some(lang) = file.strip_suffix(".js").and_then(Lang::parse).filter(|l| file == format!("{}.js", l.code()))
    else {
        return super::error::WebError::NotFound.into_response();
    };
    let texts = serde_json::Value::Object(script_texts(&Locale::new(lang, Zone::utc())));
    let body = format!("window.latchkeyMessages = {texts};\n");
    let headers = [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CONTENT_LANGUAGE, lang.code())];
    (headers, body).into_response()
}

#[derive(Deserialize)]
struct Choice {
    lang: String,
    /// The sign-in page's sealed continuation (an application's request), kept across.
    #[serde(default, rename = "continue")]
    continue_to: String,
}

/// The sign-in page's language switcher.
async fn choose(
    axum::extract::State(state): axum::extract::State<AppState>,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<Choice>,
) -> Response {
    // Back to "Log in", the one page with the switcher: never an address the form names.
    let back = match form.continue_to.as_str() {
        "" => "/login".to_string(),
        sealed => {
            let q = url::form_urlencoded::Serializer::new(String::new()).append_pair("continue", sealed).finish();
            format!("/login?{q}")
        }
    };
    let back = back.as_str();
    match Lang::parse(&form.lang) {
        Some(lang) => (jar.add(lang_cookie(&state, lang)), Redirect::to(back)).into_response(),
        None => Redirect::to(back).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_comes_before_the_browsers_preference() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("id-ID,id;q=0.9"));
        assert_eq!(browser_lang(&h), Some(Lang::Id));
        h.insert(header::COOKIE, HeaderValue::from_static("latchkey_language=id; latchkey_lang=en"));
        assert_eq!(browser_lang(&h), Some(Lang::En));
        h.insert(header::COOKIE, HeaderValue::from_static("latchkey_lang=fr; other=1"));
        assert_eq!(browser_lang(&h), Some(Lang::Id), "an unknown choice falls back to the browser's");
    }
}
