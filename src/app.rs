//! Builds the state (database, key, hasher, mailer) and the router; runs the server with a
//! graceful shutdown that lets requests in flight and the mail in hand finish.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};

use crate::clock::Clock;
use crate::config::Settings;
use crate::hashing::PasswordHasher;
use crate::mail::transport::Transport;
use crate::mail::worker::Mailer;
use crate::secrets::SecretKey;
use crate::store::Db;

pub use crate::state::AppState;

/// Why the service could not start, in one sentence.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("Cannot create the data folder {0}: {1}.")]
    DataDir(String, std::io::Error),
    #[error("Cannot open the database: {0}.")]
    Database(crate::store::StoreError),
    #[error("Cannot apply the database migrations: {0}.")]
    Migrate(crate::store::StoreError),
    #[error(transparent)]
    Key(#[from] crate::secrets::KeyError),
    #[error("Cannot set up mail: {0}.")]
    Mail(String),
    #[error("Cannot set up password hashing: {0}.")]
    Hasher(String),
    #[error("Cannot listen on {0}: {1}.")]
    Bind(SocketAddr, std::io::Error),
    #[error("{0}")]
    Other(String),
}

impl AppState {
    /// Opens the database (applying migrations), loads the key and sets up mail.
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        if settings.is_sqlite() || matches!(settings.secret_key, crate::config::KeySource::Generated(_)) {
            create_private_dir(&settings.data_dir)
                .map_err(|e| StartError::DataDir(settings.data_dir.display().to_string(), e))?;
        }
        let key = SecretKey::load(&settings.secret_key)?;
        let db = Db::connect(&settings.database_url, settings.database_max_connections, settings.database_timeout)
            .await
            .map_err(StartError::Database)?;
        db.migrate().await.map_err(StartError::Migrate)?;
        let hasher = PasswordHasher::new(settings.argon2, settings.hash_concurrency, settings.hash_queue)
            .map_err(|e| StartError::Hasher(e.to_string()))?;
        let transport = Transport::from_settings(&settings).map_err(StartError::Mail)?;
        let clock = Clock::default();
        let mailer = Mailer {
            db: db.clone(),
            key: key.clone(),
            transport,
            from: settings.mail_from.clone(),
            clock: clock.clone(),
            wake: Arc::new(Notify::new()),
        };
        let webauthn = crate::service::factor::security_key::relying_party(&settings.public_url);
        let state = Self::new(crate::state::Shared {
            webauthn,
            settings: Arc::new(settings),
            db,
            key,
            hasher,
            mailer,
            clock,
            touches: Default::default(),
            keys: Default::default(),
        });
        // The first start of a database makes its ID token signing keys (every later process
        // finds them there).
        crate::service::oidc::keys::ensure(&state)
            .await
            .map_err(|e| StartError::Other(format!("Cannot prepare the signing keys: {e}.")))?;
        Ok(state)
    }
}

/// Creates the data folder readable by its owner only (it holds the database and the key).
fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    if dir.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    crate::web::router(state)
}

/// A running server: its address, and how to stop it.
pub struct Server {
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Binds, then serves in the background together with the mail worker and housekeeping.
    pub async fn start(state: AppState, bind: SocketAddr) -> Result<Self, StartError> {
        let listener = TcpListener::bind(bind).await.map_err(|e| StartError::Bind(bind, e))?;
        Self::start_on(state, listener)
    }

    /// Serves on a listener that is already bound (tests bind port 0 first).
    pub fn start_on(state: AppState, listener: TcpListener) -> Result<Self, StartError> {
        let bind = state.settings.bind;
        let addr = listener.local_addr().map_err(|e| StartError::Bind(bind, e))?;
        let (stop, stopped) = watch::channel(false);
        let worker = tokio::spawn(state.mailer.clone().run(stopped.clone()));
        let housekeeping = tokio::spawn(crate::housekeeping::run(state.clone(), stopped.clone()));
        let touches = tokio::spawn(crate::service::sessions::write_touches(state.clone(), stopped.clone()));
        let outages = {
            let (db, clock, stop) = (state.db.clone(), state.clock.clone(), stopped.clone());
            tokio::spawn(async move { db.watch_outages(&clock, stop).await })
        };
        let app = router(state.clone());
        let limits = crate::serve::Limits {
            connections: state.settings.connection_limit,
            header_timeout: state.settings.header_timeout,
        };
        let task = tokio::spawn(async move {
            crate::serve::serve(listener, app, limits, stopped).await;
            let _ = worker.await;
            let _ = housekeeping.await;
            let _ = touches.await;
            let _ = outages.await;
            // Activity recorded by requests that finished after the task's last write.
            if let Err(e) = state.touches.flush(&state.db) {
                tracing::warn!(error = %e, "cannot record the last session activity");
            }
            state.db.close().await;
        });
        Ok(Self { addr, stop, task })
    }

    /// Stops accepting, lets requests in flight finish, stops the worker, closes the database.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully.
    pub async fn run_until_signal(self) {
        wait_for_signal().await;
        tracing::info!("shutting down: finishing requests in flight");
        self.shutdown().await;
        tracing::info!("stopped");
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM; stopping on Ctrl-C only");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
