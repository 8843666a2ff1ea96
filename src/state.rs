//! The state every request handler and use case shares. It sits below `service/` and `web/`
//! (it names only the database, the settings, the key, the hasher, the mailer, the clock and the
//! signing keys' cache);
//! `app.rs` builds it and wires everything together.

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Settings;
use crate::hashing::PasswordHasher;
use crate::mail::worker::Mailer;
use crate::secrets::SecretKey;
use crate::store::Db;

/// Everything a request handler or a use case needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub db: Db,
    pub key: SecretKey,
    pub hasher: PasswordHasher,
    pub mailer: Mailer,
    pub clock: Clock,
    /// Session activity waiting to be written (see `store::touches`).
    pub touches: crate::store::touches::Touches,
    /// The ID token signing keys as last read (see `service::oidc::keys`).
    pub keys: crate::jose::KeyRing,
}
