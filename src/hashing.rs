//! Password hashing with argon2id, off the async threads, with a bounded number in flight and a
//! bounded queue in front: under overload a sign-in is refused at once (503) instead of waiting.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;
use tokio::sync::Semaphore;

use crate::config::Argon2Params;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Too many hashes are already waiting; the caller answers 503 with Retry-After.
    #[error("too many sign-ins are being processed")]
    Overloaded,
    #[error("password hashing failed: {0}")]
    Failed(String),
}

/// Hashes and checks passwords. Cheap to clone; all clones share the same limits.
#[derive(Clone)]
pub struct PasswordHasher {
    inner: Arc<Inner>,
}

struct Inner {
    argon2: Argon2<'static>,
    slots: Semaphore,
    /// Calls waiting for or holding a slot; more than `capacity` are refused.
    pending: AtomicUsize,
    capacity: usize,
    /// Checked when the account does not exist (or has no password yet), so that an unknown
    /// email costs the same as a wrong password.
    dummy_hash: String,
}

impl PasswordHasher {
    pub fn new(p: Argon2Params, concurrency: usize, queue: usize) -> Result<Self, HashError> {
        let params = Params::new(p.memory_kib, p.iterations, p.parallelism, None)
            .map_err(|e| HashError::Failed(format!("invalid argon2 parameters: {e}")))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let dummy_hash = hash_with(&argon2, "latchkey dummy password")?;
        Ok(Self {
            inner: Arc::new(Inner {
                argon2,
                slots: Semaphore::new(concurrency),
                pending: AtomicUsize::new(0),
                capacity: concurrency + queue,
                dummy_hash,
            }),
        })
    }

    /// The PHC string for a new password.
    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let password = password.to_string();
        self.run(move |inner| hash_with(&inner.argon2, &password)).await
    }

    /// Whether `password` matches `stored`; with `None` the dummy hash is checked (and fails).
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, HashError> {
        let password = password.to_string();
        let stored = stored.map(str::to_string);
        self.run(move |inner| {
            let (phc, real) = match &stored {
                Some(s) => (s.as_str(), true),
                None => (inner.dummy_hash.as_str(), false),
            };
            let parsed = PasswordHash::new(phc).map_err(|e| HashError::Failed(e.to_string()))?;
            let ok = inner.argon2.verify_password(password.as_bytes(), &parsed).is_ok();
            Ok(ok && real)
        })
        .await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Inner) -> Result<T, HashError> + Send + 'static,
    ) -> Result<T, HashError> {
        let inner = self.inner.clone();
        let _pending = Pending::enter(&inner)?;
        let _permit = inner.slots.acquire().await.map_err(|_| HashError::Failed("hashing pool closed".into()))?;
        let worker = inner.clone();
        tokio::task::spawn_blocking(move || work(&worker))
            .await
            .map_err(|e| HashError::Failed(format!("hashing task failed: {e}")))?
    }
}

/// Counts a call as pending for as long as it lives.
struct Pending<'a>(&'a Inner);

impl<'a> Pending<'a> {
    fn enter(inner: &'a Inner) -> Result<Self, HashError> {
        if inner.pending.fetch_add(1, Ordering::AcqRel) >= inner.capacity {
            inner.pending.fetch_sub(1, Ordering::AcqRel);
            return Err(HashError::Overloaded);
        }
        Ok(Self(inner))
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        self.0.pending.fetch_sub(1, Ordering::AcqRel);
    }
}

fn hash_with(argon2: &Argon2<'_>, password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Failed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hasher(concurrency: usize, queue: usize) -> PasswordHasher {
        let p = Argon2Params { memory_kib: 1024, iterations: 1, parallelism: 1 };
        PasswordHasher::new(p, concurrency, queue).unwrap()
    }

    #[tokio::test]
    async fn a_hash_is_an_argon2id_phc_string_that_verifies() {
        let h = hasher(1, 4);
        let phc = h.hash("correct horse battery").await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"), "{phc}");
        assert!(h.verify("correct horse battery", Some(&phc)).await.unwrap());
        assert!(!h.verify("correct horse batterY", Some(&phc)).await.unwrap());
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies_even_with_the_dummy_password() {
        let h = hasher(1, 4);
        assert!(!h.verify("latchkey dummy password", None).await.unwrap());
    }

    #[tokio::test]
    async fn work_beyond_the_queue_is_refused_at_once() {
        // One slot and a queue of one: two calls may be pending, the third is refused.
        let h = hasher(1, 1);
        let held = h.inner.slots.acquire().await.unwrap();
        let spawn = |h: PasswordHasher| tokio::spawn(async move { h.hash("correct horse battery").await });
        let first = spawn(h.clone());
        let second = spawn(h.clone());
        while h.inner.pending.load(Ordering::Acquire) < 2 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(h.hash("x").await, Err(HashError::Overloaded)));
        drop(held);
        assert!(first.await.unwrap().is_ok());
        assert!(second.await.unwrap().is_ok());
        assert_eq!(h.inner.pending.load(Ordering::Acquire), 0);
    }
}
