//! The locale of the request being answered. The web layer sets it once per request (from the
//! language cookie and `Accept-Language`, then from the signed-in person), so that every page,
//! inline error and error page below it speaks the same language without each handler passing
//! it on. Outside a request (the CLI, the mail worker, unit tests) it is English and UTC.
//! Emails use it only for what their recipient's own browser asked, as the last fallback.

use std::cell::RefCell;
use std::future::Future;

use super::{Lang, Locale};

struct Request {
    locale: Locale,
    /// What the browser asked for (the switcher's cookie, else `Accept-Language`).
    browser: Option<Lang>,
}

tokio::task_local! {
    static CURRENT: RefCell<Request>;
}

/// The request's locale (English and UTC outside one).
pub fn current() -> Locale {
    CURRENT.try_with(|c| c.borrow().locale.clone()).unwrap_or_default()
}

/// The request's language (English outside one), without copying the rest of its locale.
pub fn current_lang() -> Lang {
    CURRENT.try_with(|c| c.borrow().locale.lang).unwrap_or_default()
}

/// The language the request's browser asked for, if any (None outside a request).
pub fn browser() -> Option<Lang> {
    CURRENT.try_with(|c| c.borrow().browser).ok().flatten()
}

/// Replaces the request's locale (once the person signed in is known).
pub fn set(locale: Locale) {
    // Outside a request there is nothing to change.
    let _ = CURRENT.try_with(|c| c.borrow_mut().locale = locale);
}

/// Runs `f` (one request) in the language its browser asked for (`browser`; English if none).
pub async fn scope<F: Future>(browser: Option<Lang>, f: F) -> F::Output {
    let locale = Locale::new(browser.unwrap_or_default(), super::Zone::utc());
    CURRENT.scope(RefCell::new(Request { locale, browser }), f).await
}
