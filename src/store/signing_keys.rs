//! The keys that sign ID tokens, shared by every process: each private key encrypted with the
//! secret key, its public JWK, and its generation per algorithm (the newest signs).

use super::conn::query;
use super::{Conn, Result};

#[derive(Debug, Clone)]
pub struct KeyRow {
    pub kid: String,
    pub alg: String,
    pub generation: i64,
    /// Encrypted with the secret key.
    pub private_key: String,
    pub public_jwk: String,
    pub created_at: i64,
    pub retired_at: Option<i64>,
}

impl crate::store::conn::FromRow for KeyRow {
    fn from_row(r: &crate::store::conn::Row<'_>) -> crate::store::Result<Self> {
        Ok(Self {
            kid: r.get("kid")?,
            alg: r.get("alg")?,
            generation: r.get("generation")?,
            private_key: r.get("private_key")?,
            public_jwk: r.get("public_jwk")?,
            created_at: r.get("created_at")?,
            retired_at: r.get("retired_at")?,
        })
    }
}

const COLUMNS: &str = "kid, alg, generation, private_key, public_jwk, created_at, retired_at";

/// Stores a key as generation `generation` of its algorithm, unless another process stored
/// one first; true when this one was stored.
pub fn insert(conn: &mut Conn, row: &KeyRow) -> Result<bool> {
    let r = query(
        "INSERT INTO signing_keys (kid, alg, generation, private_key, public_jwk, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    )
    .bind(&row.kid)
    .bind(&row.alg)
    .bind(row.generation)
    .bind(&row.private_key)
    .bind(&row.public_jwk)
    .bind(row.created_at)
    .execute(conn)?;
    Ok(r == 1)
}

/// The newest key of each algorithm that is not retired: the ones that sign.
pub fn current(conn: &mut Conn) -> Result<Vec<KeyRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM signing_keys k WHERE retired_at IS NULL \
         AND generation = (SELECT MAX(generation) FROM signing_keys o WHERE o.alg = k.alg) ORDER BY alg"
    );
    query(&sql).fetch_all(conn)
}

/// The keys to publish: every key not retired, or retired after `retired_after`.
pub fn published(conn: &mut Conn, retired_after: i64) -> Result<Vec<KeyRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM signing_keys WHERE retired_at IS NULL OR retired_at > $1 ORDER BY alg, generation DESC"
    );
    query(&sql).bind(retired_after).fetch_all(conn)
}

/// The newest generation of an algorithm (0 when it has no key).
pub fn newest_generation(conn: &mut Conn, alg: &str) -> Result<i64> {
    let n: Option<i64> = query("SELECT MAX(generation) FROM signing_keys WHERE alg = $1").bind(alg).scalar(conn)?;
    Ok(n.unwrap_or(0))
}

/// Retires every key of `alg` older than `generation`.
pub fn retire_before(conn: &mut Conn, alg: &str, generation: i64, now: i64) -> Result<u64> {
    let r = query("UPDATE signing_keys SET retired_at = $3 WHERE alg = $1 AND generation < $2 AND retired_at IS NULL")
        .bind(alg)
        .bind(generation)
        .bind(now)
        .execute(conn)?;
    Ok(r)
}
