//! The Recovery Key from Manage Account -> Security and Credentials: "Regenerate Recovery Key"
//! and "Download".

use super::factor::{password, recovery_key};
use super::sessions::Current;
use super::{guard, notify, Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::domain::recovery_key::RecoveryKey;
use crate::domain::text::Msg;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::Actor;

/// "Regenerate Recovery Key": needs the password; the old key stops working.
pub async fn regenerate(state: &AppState, c: &Current, password: &str, actor: &Actor) -> Result<RecoveryKey> {
    if !c.factors.two_factor_on() {
        return Err(ServiceError::Invalid(Msg::new("service-rk-turn-on-first")));
    }
    password::confirm(state, c, password, actor).await?;
    let now = state.clock.now();
    let key = state.db.tx(|tx| {
        let key = recovery_key::issue(tx, state, c.user.id, now)?;
        guard::audit(tx, AuditKind::RecoveryKeyRegenerated, &c.user, actor, "", now)?;
        notify(tx, state, &c.user, actor, now, mail::recovery_key_regenerated)?;
        Ok::<_, ServiceError>(key)
    })?;
    state.mailer.wake.notify_one();
    Ok(key)
}

/// The Recovery Key file for "Download": only for the user's current key (the page posts it
/// back, and nothing else is served).
pub async fn file(state: &AppState, c: &Current, key: &RecoveryKey, actor: &Actor) -> Result<String> {
    let now = state.clock.now();
    state.db.tx(|tx| {
        if !recovery_key::is_current(tx, state, c.user.id, key)? {
            return Err(ServiceError::Invalid(Msg::new("service-rk-not-yours")));
        }
        guard::audit(tx, AuditKind::RecoveryKeyDownloaded, &c.user, actor, "", now)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(text(key, &c.user.email, &c.org.name, &state.settings.link("/login"), now))
}

/// The text of the downloaded file, in the language and time zone of the member's request.
pub fn text(key: &RecoveryKey, email: &str, org: &str, login_url: &str, now: i64) -> String {
    let l = crate::i18n::current();
    let line = |m: Msg| l.msg(&m);
    format!(
        "{}\r\n\r\n{}\r\n{}\r\n{}\r\n\r\n{}\r\n\r\n{}\r\n\r\n{}\r\n",
        line(Msg::new("service-rk-file-title")),
        line(Msg::new("service-rk-file-account").with("email", email)),
        line(Msg::new("service-rk-file-org").with("org", org)),
        line(Msg::new("service-rk-file-created").with("when", crate::i18n::time(now))),
        line(Msg::new("service-rk-file-key").with("key", key.display())),
        line(Msg::new("service-rk-file-how").with("url", login_url)),
        line(Msg::new("service-rk-file-keep")),
    )
}
