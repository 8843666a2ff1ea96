//! Manage Account's list of the third-party applications a member consented to, and
//! withdrawing a consent (which also ends what the application holds).

use super::super::sessions::Current;
use super::super::{Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::domain::oidc::Scopes;
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event};
use crate::store::consents::{self, ConsentRow};
use crate::store::grants::{self, Which};

/// A consent as Manage Account lists it.
pub struct Consented {
    pub row: ConsentRow,
    /// What the application may know, in plain words, in the reader's language.
    pub disclosures: Vec<String>,
}

pub async fn list(state: &AppState, c: &Current) -> Result<Vec<Consented>> {
    let rows = state.db.lookup(|conn| consents::for_user(conn, c.user.id))?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let disclosures = Scopes::parse(&row.scope).disclosures().iter().map(ToString::to_string).collect();
            Consented { row, disclosures }
        })
        .collect())
}

/// "Withdraw": the application asks again next time, and its tokens stop working now. The
/// application's name.
pub async fn withdraw(state: &AppState, c: &Current, client_id: &str, actor: &Actor) -> Result<String> {
    let now = state.clock.now();
    let name = state.db.tx(|tx| {
        let rows = consents::for_user(tx, c.user.id)?;
        let Some(row) = rows.into_iter().find(|r| r.client_id == client_id) else {
            return Err(ServiceError::NotFound);
        };
        consents::withdraw(tx, c.user.id, row.application_id)?;
        let which = Which::Application { application_id: row.application_id };
        let revoked = grants::revoke_for_user(tx, c.user.id, which, now)?;
        let detail = format!("{} ({}); {revoked} grant(s) revoked", row.name, row.client_id);
        let e = Event {
            kind: AuditKind::ConsentWithdrawn,
            user_id: Some(c.user.id),
            org_id: Some(c.org.id),
            actor,
            detail: &detail,
        };
        audit::record(tx, e, now)?;
        Ok::<_, ServiceError>(row.name)
    })?;
    Ok(name)
}
