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

/// Everything a request handler or a use case needs. One reference count to clone: axum clones
/// the state for every extractor and middleware layer of every request.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What `AppState` holds.
pub struct Shared {
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
    /// The WebAuthn relying party (security keys and passkeys); None when the public URL's
    /// host is an IP address.
    pub webauthn: Option<webauthn_rs::Webauthn>,
}
