//! The Recovery Key from Manage Account -> Security and Credentials: "Regenerate Recovery Key"
//! and "Download".

use super::factor::{password, recovery_key};
use super::sessions::Current;
use super::{guard, notify, Result, ServiceError};
use crate::clock::format_utc;
use crate::domain::audit::AuditKind;
use crate::domain::recovery_key::RecoveryKey;
use crate::mail;
use crate::state::AppState;
use crate::store::audit::Actor;

/// "Regenerate Recovery Key": needs the password; the old key stops working.
pub async fn regenerate(state: &AppState, c: &Current, password: &str, actor: &Actor) -> Result<RecoveryKey> {
    if !c.factors.two_factor_on() {
        return Err(ServiceError::Invalid("Turn on two-factor authentication first.".into()));
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
            return Err(ServiceError::Invalid(
                "This Recovery Key is no longer yours to download: a newer one replaced it.".into(),
            ));
        }
        guard::audit(tx, AuditKind::RecoveryKeyDownloaded, &c.user, actor, "", now)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(text(key, &c.user.email, &c.org.name, &state.settings.link("/login"), now))
}

/// The text of the downloaded file.
pub fn text(key: &RecoveryKey, email: &str, org: &str, login_url: &str, now: i64) -> String {
    format!(
        "Latchkey Recovery Key\r\n\r\nAccount: {email}\r\nOrganization: {org}\r\nCreated: {}\r\n\r\nRecovery Key: {}\r\n\r\n\
         How to use it: if you cannot get a verification code by email, log in at {login_url} with your password, \
         choose \"Use your Recovery Key\" and type this key. It works once; you then get a new one.\r\n\r\n\
         Keep this file as safe as your password. Anyone with it and your password can sign in as you.\r\n",
        format_utc(now),
        key.display()
    )
}
