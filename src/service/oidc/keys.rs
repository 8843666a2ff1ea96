//! The keys that sign ID tokens: made at a database's first start (one RS256 and one ES256),
//! stored encrypted with the secret key and shared by every process through the database;
//! rotated by `latchkey signing-key rotate`. A process keeps what it read for `CACHE` at most,
//! and a retired key stays published until every token it may have signed has expired.

use std::time::Duration;

use super::super::{Result, ServiceError};
use crate::domain::audit::AuditKind;
use crate::domain::text::Msg;
use crate::jose::{self, Alg, Loaded, Signer};
use crate::state::AppState;
use crate::store::audit::{self, Actor, Event};
use crate::store::signing_keys::{self, KeyRow};
use crate::store::Conn;

/// How long a process signs with the keys it read before reading them again.
const CACHE: Duration = Duration::from_secs(30);

/// How long a retired key stays published: the longest token life the settings allow (an hour,
/// whatever the current one: it may have been longer when the key signed), plus the cache, plus a
/// minute for clocks that differ.
fn keep_published() -> i64 {
    3600 + CACHE.as_secs() as i64 + 60
}

fn internal(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(e.to_string())
}

/// The private key `der` of `alg` as generation `generation`, encrypted for storage.
fn new_row(state: &AppState, alg: Alg, der: &[u8], generation: i64, now: i64) -> Result<KeyRow> {
    let (kid, jwk) = jose::public_jwk(alg, der).map_err(internal)?;
    Ok(KeyRow {
        kid,
        alg: alg.as_str().to_string(),
        generation,
        private_key: state.key.encrypt(der),
        public_jwk: jwk.to_string(),
        created_at: now,
        retired_at: None,
    })
}

/// Makes the first key of each algorithm that has none. Two processes starting at once each
/// make one; the database keeps the first stored.
pub async fn ensure(state: &AppState) -> Result<()> {
    jose::install();
    let now = state.clock.now();
    let have: Vec<String> = state.db.read(signing_keys::current)?.into_iter().map(|k| k.alg).collect();
    for alg in Alg::ALL.into_iter().filter(|a| !have.iter().any(|h| h == a.as_str())) {
        let der = jose::generate(alg).map_err(internal)?;
        let row = new_row(state, alg, &der, 1, now)?;
        state.db.write(|conn| {
            if signing_keys::insert(conn, &row)? {
                tracing::info!(kid = %row.kid, alg = alg.as_str(), "made an ID token signing key");
            }
            Ok::<_, ServiceError>(())
        })?;
    }
    Ok(())
}

/// `latchkey signing-key rotate`: a new current key of each algorithm; the previous ones are
/// retired (still published until the tokens they signed have expired). The new key ids.
pub async fn rotate(state: &AppState, actor: &Actor) -> Result<Vec<String>> {
    let now = state.clock.now();
    // Generated before the transaction: an RSA key takes a moment, and SQLite has one writer.
    let mut made = Vec::new();
    for alg in Alg::ALL {
        made.push((alg, jose::generate(alg).map_err(internal)?));
    }
    let kids = state.db.tx(|tx| {
        let mut kids = Vec::new();
        for (alg, der) in made {
            let generation = signing_keys::newest_generation(tx, alg.as_str())? + 1;
            let row = new_row(state, alg, &der, generation, now)?;
            if !signing_keys::insert(tx, &row)? {
                return Err(ServiceError::Invalid(Msg::new("service-keys-rotation-race")));
            }
            signing_keys::retire_before(tx, alg.as_str(), generation, now)?;
            kids.push(row.kid);
        }
        let detail = format!("new keys {}", kids.join(", "));
        let e = Event { kind: AuditKind::SigningKeyRotated, user_id: None, org_id: None, actor, detail: &detail };
        audit::record(tx, e, now)?;
        Ok::<_, ServiceError>(kids)
    })?;
    state.keys.clear();
    Ok(kids)
}

/// The keys as this process knows them, read again when older than `CACHE`.
async fn loaded(state: &AppState) -> Result<Loaded> {
    if let Some(l) = state.keys.fresh(CACHE) {
        return Ok(l);
    }
    state.db.read(|conn| {
        let l = read(conn, state)?;
        state.keys.store(l.clone());
        Ok(l)
    })
}

fn read(conn: &mut Conn, state: &AppState) -> Result<Loaded> {
    let now = state.clock.now();
    let mut signers = Vec::new();
    for row in signing_keys::current(&mut *conn)? {
        let Some(alg) = Alg::parse(&row.alg) else { continue };
        let der = state.key.decrypt(&row.private_key).map_err(internal)?;
        signers.push(Signer::new(row.kid, alg, &der));
    }
    let jwks = signing_keys::published(&mut *conn, now - keep_published())?
        .into_iter()
        .filter_map(|row| serde_json::from_str(&row.public_jwk).ok())
        .collect();
    Ok(Loaded { read_at: std::time::Instant::now(), signers, jwks })
}

/// The current signer of `alg`.
pub async fn signer(state: &AppState, alg: Alg) -> Result<Signer> {
    let l = loaded(state).await?;
    l.signers.into_iter().find(|s| s.alg == alg).ok_or_else(|| internal(format!("no {} signing key", alg.as_str())))
}

/// The JWKS document's keys.
pub async fn jwks(state: &AppState) -> Result<Vec<serde_json::Value>> {
    Ok(loaded(state).await?.jwks)
}
