//! Known and remembered devices, and the alerts they decide: a browser that completed a sign-in
//! of an account is known to it (no new-device alert; its guesses count against the account, not
//! the client address); "Remember this device" at a second step lets it skip the second step for
//! the organization's days. A new device's sign-in, and a right password whose second step then
//! failed repeatedly or was given up, mail the person with a "This wasn't me" link.

use std::time::Duration;

use super::{guard, new_link, recipient, Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::domain::device::{remembered_until, still_remembered};
use crate::mail::{self, Origin};
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::devices::{self, DeviceRow};
use crate::store::links::Purpose;
use crate::store::orgs::OrgRow;
use crate::store::pending::{self, Unfinished};
use crate::store::users::{self, UserRow};
use crate::store::{throttle, Conn};

/// Wrong second factors in one sign-in from an unknown device before its person is alerted.
pub const FAILURES_BEFORE_ALERT: i64 = 3;
/// Alerts (new device, unfinished sign-in) one account is mailed in an hour at most: a kiosk that
/// clears its cookies, or someone with the password starting sign-ins over and over, cannot
/// flood the mailbox (the audit log keeps every one).
pub const ALERTS_PER_HOUR: i64 = 10;
/// Devices unused for this long are deleted (their cookie has expired in the browser).
pub const DEVICE_LIFETIME: i64 = 400 * 86_400;
/// How many devices the pages list (the most recently used).
const LISTED: i64 = 50;
/// How long a "This wasn't me" link works.
pub const NOT_ME_TTL: Duration = Duration::from_secs(7 * 86_400);
/// The page the link opens.
pub const NOT_ME_PATH: &str = "/not-me";

/// This browser's row for the user, when it sent a device token and is known to the account.
pub(crate) fn of_browser(conn: &mut Conn, user_id: i64, actor: &Actor) -> Result<Option<DeviceRow>> {
    match &actor.device {
        Some(hash) => Ok(devices::find(conn, user_id, hash)?),
        None => Ok(None),
    }
}

/// Whether the browser's device is remembered now: remembered at a second step, within the
/// organization's days (which may have been shortened or turned off since).
pub(crate) fn remembered_now(device: Option<&DeviceRow>, org: Option<&OrgRow>, now: i64) -> bool {
    let days = org.map_or(0, |o| o.remember_days);
    device.is_some_and(|d| still_remembered(d.remembered_at, days, now))
}

/// A completed sign-in, in its transaction: the browser becomes (or stays) known to the account,
/// is remembered when the person ticked "Remember this device" (and the organization offers it),
/// and a browser new to an account that already had one recorded gets the new-device alert (the
/// first recorded one is not news: a new account's, or an account's first after the upgrade
/// that brought devices).
pub(crate) fn signed_in(
    conn: &mut Conn,
    state: &AppState,
    (user, org): (&UserRow, Option<&OrgRow>),
    actor: &Actor,
    remember: bool,
    now: i64,
) -> Result<()> {
    let remember = remember && org.is_some_and(|o| o.remember_days > 0);
    let new = match &actor.device {
        Some(hash) => devices::seen(&mut *conn, user.id, hash, (&actor.ip, &actor.user_agent), remember, now)?,
        // A client that keeps no cookie is new every time.
        None => true,
    };
    if remember && actor.device.is_some() {
        let days = org.map_or(0, |o| o.remember_days).to_string();
        guard::audit(conn, AuditKind::DeviceRemembered, user, actor, &days, now)?;
    }
    if new && !devices::first_for_account(&mut *conn, user.id)? {
        let origin = Origin { when: now, ip: &actor.ip, user_agent: &actor.user_agent };
        let detail = if alert(conn, state, user, &origin, mail::new_device)? { "" } else { "not mailed: hourly cap" };
        guard::audit(conn, AuditKind::NewDeviceAlerted, user, actor, detail, now)?;
    }
    Ok(())
}

/// Mails `user` an alert with a new "This wasn't me" link, unless the account's hourly cap on
/// alerts holds (false then).
fn alert(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    origin: &Origin<'_>,
    make: fn(&crate::i18n::Locale, &str, &Origin<'_>, String, i64) -> mail::Mail,
) -> Result<bool> {
    let sent =
        throttle::count(&mut *conn, &format!("alerts:acct:{}", user.id), 3600, origin.when.max(state.clock.now()))?;
    if sent > ALERTS_PER_HOUR {
        tracing::info!(user_id = user.id, "security alert not mailed: the account's hourly cap on alerts");
        return Ok(false);
    }
    let to = recipient(&mut *conn, user, false)?;
    let url = new_link(&mut *conn, state, Purpose::NotMe, Some(user.id), NOT_ME_TTL, NOT_ME_PATH)?;
    let m = make(&to.locale, &to.org_name, origin, url, NOT_ME_TTL.as_secs() as i64);
    mail::queue(conn, &state.key, &user.email, &m, state.clock.now())?;
    Ok(true)
}

/// A wrong second factor in a pending sign-in (in the transaction that counted it): after
/// `FAILURES_BEFORE_ALERT` of them from a browser the account does not know, its person is told,
/// once per sign-in.
pub(crate) fn second_step_failed(
    conn: &mut Conn,
    state: &AppState,
    user: &UserRow,
    token_hash: &str,
    now: i64,
) -> Result<()> {
    let Some(p) = pending::record_failure(&mut *conn, token_hash)? else { return Ok(()) };
    if p.failures < FAILURES_BEFORE_ALERT || p.alerted != 0 || known(&mut *conn, &p)? {
        return Ok(());
    }
    if pending::mark_alerted(&mut *conn, token_hash)? {
        unfinished(conn, state, user, &p, "second step failed", now)?;
    }
    Ok(())
}

fn known(conn: &mut Conn, p: &Unfinished) -> Result<bool> {
    Ok(match &p.device_hash {
        Some(hash) => devices::find(conn, p.user_id, hash)?.is_some(),
        None => false,
    })
}

/// The "Someone entered your password but did not complete two-factor authentication" alert.
fn unfinished(conn: &mut Conn, state: &AppState, user: &UserRow, p: &Unfinished, why: &str, now: i64) -> Result<()> {
    let origin = Origin { when: p.created_at, ip: &p.ip, user_agent: &p.user_agent };
    let mailed = alert(&mut *conn, state, user, &origin, mail::unfinished_sign_in)?;
    let actor = Actor { ip: p.ip.clone(), user_agent: p.user_agent.clone(), ..Actor::default() };
    let detail = if mailed { why.to_string() } else { format!("{why}; not mailed: hourly cap") };
    guard::audit(conn, AuditKind::IncompleteSignInAlerted, user, &actor, &detail, now)
}

/// Ends the expired pending sign-ins (housekeeping, in every process: each row goes to one) and
/// alerts the people whose sign-in from an unknown browser was given up after a right password.
/// How many were alerted. An alert that cannot be made is logged; the rows end all the same.
pub fn end_abandoned(state: &AppState) -> Result<u64> {
    let now = state.clock.now();
    let alerted = state.db.tx(|tx| {
        let mut alerted = 0;
        for p in pending::take_expired(&mut *tx, now)? {
            if p.alerted != 0 || known(&mut *tx, &p)? {
                continue;
            }
            let Some(user) = users::by_id(&mut *tx, p.user_id)? else { continue };
            if user.disabled_at.is_some() {
                continue;
            }
            match unfinished(&mut *tx, state, &user, &p, "second step abandoned", now) {
                Ok(()) => alerted += 1,
                Err(e @ ServiceError::Store(_)) => return Err(e),
                Err(e) => tracing::warn!(error = %e, user_id = user.id, "an unfinished sign-in's alert failed"),
            }
        }
        Ok::<_, ServiceError>(alerted)
    })?;
    if alerted > 0 {
        state.mailer.wake.notify_one();
    }
    Ok(alerted)
}

/// A device as the pages show it.
#[derive(Debug, Clone)]
pub struct DeviceView {
    pub id: i64,
    /// The user agent as the browser sent it (`domain::device::name` says it for people).
    pub user_agent: String,
    pub first_ip: String,
    pub first_seen_at: i64,
    pub last_used_at: i64,
    /// Until when it skips the second step; None: it does not (known only).
    pub remembered_until: Option<i64>,
}

/// The user's devices (the most recently used), remembered or known.
pub(crate) fn listed(conn: &mut Conn, user_id: i64, org: &OrgRow, now: i64) -> Result<Vec<DeviceView>> {
    Ok(devices::of_user(conn, user_id, LISTED)?
        .into_iter()
        .map(|d| DeviceView {
            id: d.id,
            remembered_until: d
                .remembered_at
                .filter(|_| still_remembered(d.remembered_at, org.remember_days, now))
                .map(|at| remembered_until(at, org.remember_days)),
            user_agent: d.user_agent,
            first_ip: d.first_ip,
            first_seen_at: d.first_seen_at,
            last_used_at: d.last_used_at,
        })
        .collect())
}

/// Forgets one device (`Some(id)`) or all of them, of `target`, as `actor` asked; an audit
/// event says how many and why. NotFound when the one device is not the target's.
pub(crate) fn forget(
    conn: &mut Conn,
    target: &UserRow,
    which: Option<i64>,
    actor: &Actor,
    why: &str,
    now: i64,
) -> Result<u64> {
    let n = match which {
        Some(id) if devices::forget(&mut *conn, target.id, id)? => 1,
        Some(_) => return Err(ServiceError::NotFound),
        None => devices::forget_all(&mut *conn, target.id, None)?,
    };
    if n > 0 {
        let detail = format!("{n} by {why}");
        guard::audit(conn, AuditKind::DeviceForgotten, target, actor, &detail, now)?;
    }
    Ok(n)
}

/// Every device of `target` forgotten, but the browser making the change (`actor`'s), which
/// stays known and is no longer remembered: a password change.
pub(crate) fn forget_all_but_this(conn: &mut Conn, target: &UserRow, actor: &Actor, why: &str, now: i64) -> Result<()> {
    let n = devices::forget_all(&mut *conn, target.id, actor.device.as_deref())?;
    if n > 0 {
        let detail = format!("{n} by {why}");
        guard::audit(conn, AuditKind::DeviceForgotten, target, actor, &detail, now)?;
    }
    Ok(())
}

/// "Forget" one of the member's devices (`Some(id)`), or "Forget all devices".
pub async fn forget_mine(
    state: &AppState,
    c: &super::sessions::Current,
    which: Option<i64>,
    actor: &Actor,
) -> Result<u64> {
    let now = state.clock.now();
    state.db.tx(|tx| forget(tx, &c.user, which, actor, "the member", now))
}

/// The user's devices stop being remembered (they stay known): the ways in they were proved
/// with, or the member's role, changed.
pub(crate) fn unremember(conn: &mut Conn, user_id: i64) -> Result<()> {
    devices::unremember_user(conn, user_id)?;
    Ok(())
}

/// Every member's devices stop being remembered: the organization's policy changed (a device
/// remembered after a method it no longer allows must not skip what it now asks), or it
/// stopped offering "Remember this device" (turning it on again brings none back).
pub(crate) fn unremember_org(conn: &mut Conn, org_id: i64) -> Result<()> {
    devices::unremember_org(conn, org_id)?;
    Ok(())
}
