//! Password hashing with argon2id on a pool of its own threads, one per core, with a bounded
//! queue in front: under overload a sign-in is refused at once (503) instead of waiting.
//!
//! The hashing threads run at a lower CPU priority (nice 19 on Linux), so that when they keep
//! every core busy, the short requests (pages, codes) still get the CPU when they need it.
//! Work whose caller has gone (the client hung up while it queued) is skipped.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

use argon2::password_hash::{Output, ParamsString, PasswordHash, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::rngs::OsRng;
use subtle::ConstantTimeEq;
use tokio::sync::oneshot;

use crate::config::Argon2Params;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Too many hashes are already waiting; the caller answers 503 with Retry-After.
    #[error("too many sign-ins are being processed")]
    Overloaded,
    #[error("password hashing failed: {0}")]
    Failed(String),
}

/// How much lower than the request threads the hashing threads run (Linux nice levels).
pub const HASHING_NICENESS: i32 = 19;

type Job = Box<dyn FnOnce(&mut Engine) + Send>;

/// Hashes and checks passwords. Cheap to clone; all clones share the same threads and queue.
#[derive(Clone)]
pub struct PasswordHasher {
    inner: Arc<Inner>,
}

struct Inner {
    jobs: Sender<Job>,
    /// Calls admitted and not finished: running, or waiting for a thread.
    admitted: AtomicUsize,
    /// Most calls admitted at once: the threads plus the queue.
    capacity: usize,
    /// Checked when the account does not exist (or has no password yet), so that an unknown
    /// email costs the same as a wrong password.
    dummy_hash: String,
}

/// The argon2id instance for the given parameters.
pub fn argon2_for(p: Argon2Params) -> Result<Argon2<'static>, HashError> {
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params_for(p)?))
}

fn params_for(p: Argon2Params) -> Result<Params, HashError> {
    Params::new(p.memory_kib, p.iterations, p.parallelism, None)
        .map_err(|e| HashError::Failed(format!("invalid argon2 parameters: {e}")))
}

/// One hashing thread's argon2id, with its working memory kept from one hash to the next:
/// allocating (and page-faulting) 19 MiB per hash costs time, and freed blocks of that size
/// fragment the allocator's arenas until the process holds hundreds of MiB.
pub struct Engine {
    argon2: Argon2<'static>,
    params: Params,
    memory: Vec<Block>,
}

impl Engine {
    pub fn new(p: Argon2Params) -> Result<Self, HashError> {
        Ok(Self { argon2: argon2_for(p)?, params: params_for(p)?, memory: Vec::new() })
    }

    fn raw(&mut self, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), HashError> {
        if self.memory.is_empty() {
            // Taken at the first hash, so an idle service does not hold it.
            self.memory = vec![Block::default(); self.params.block_count()];
        }
        self.argon2
            .hash_password_into_with_memory(password, salt, out, &mut self.memory)
            .map_err(|e| HashError::Failed(e.to_string()))
    }

    /// The PHC string for `password` under a new random salt.
    pub fn hash(&mut self, password: &str) -> Result<String, HashError> {
        let failed = |e: argon2::password_hash::Error| HashError::Failed(e.to_string());
        let salt = SaltString::generate(&mut OsRng);
        let mut salt_buf = [0u8; 64];
        let salt_raw = salt.as_salt().decode_b64(&mut salt_buf).map_err(failed)?;
        let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
        self.raw(password.as_bytes(), salt_raw, &mut out)?;
        let phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&self.params).map_err(failed)?,
            salt: Some(salt.as_salt()),
            hash: Some(Output::new(&out).map_err(failed)?),
        };
        Ok(phc.to_string())
    }

    /// Whether `password` matches the PHC string `phc`. A hash made with other parameters (an
    /// older configuration) is checked with its own, on freshly allocated memory.
    pub fn verify(&mut self, password: &str, phc: &str) -> Result<bool, HashError> {
        let parsed = PasswordHash::new(phc).map_err(|e| HashError::Failed(e.to_string()))?;
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return Err(HashError::Failed("the stored password hash has no salt or no hash".into()));
        };
        let same_params = Params::try_from(&parsed).is_ok_and(|p| {
            p.m_cost() == self.params.m_cost()
                && p.t_cost() == self.params.t_cost()
                && p.p_cost() == self.params.p_cost()
        });
        let ours = parsed.algorithm == Algorithm::Argon2id.ident()
            && parsed.version == Some(Version::V0x13.into())
            && same_params
            && expected.len() == Params::DEFAULT_OUTPUT_LEN;
        if !ours {
            return Ok(self.argon2.verify_password(password.as_bytes(), &parsed).is_ok());
        }
        let mut salt_buf = [0u8; 64];
        let salt_raw = salt.decode_b64(&mut salt_buf).map_err(|e| HashError::Failed(e.to_string()))?;
        let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
        self.raw(password.as_bytes(), salt_raw, &mut out)?;
        Ok(bool::from(out.ct_eq(expected.as_bytes())))
    }
}

impl PasswordHasher {
    /// Starts `concurrency` hashing threads; `queue` more calls may wait for one.
    pub fn new(p: Argon2Params, concurrency: usize, queue: usize) -> Result<Self, HashError> {
        let dummy_hash = hash_with(&argon2_for(p)?, "latchkey dummy password")?;
        let (jobs, rx) = channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let threads = concurrency.max(1);
        for n in 0..threads {
            let (rx, engine) = (rx.clone(), Engine::new(p)?);
            std::thread::Builder::new()
                .name(format!("latchkey-hash-{n}"))
                .spawn(move || worker(&rx, engine))
                .map_err(|e| HashError::Failed(format!("cannot start a hashing thread: {e}")))?;
        }
        let inner = Inner { jobs, admitted: AtomicUsize::new(0), capacity: threads + queue, dummy_hash };
        Ok(Self { inner: Arc::new(inner) })
    }

    /// A place among the hashes running or waiting, or `Overloaded` at once when there is none.
    /// Sign-in asks for it before any other work, so that what is refused costs next to nothing.
    pub fn admit(&self) -> Result<Admission, HashError> {
        let inner = &self.inner;
        if inner.admitted.fetch_add(1, Ordering::AcqRel) >= inner.capacity {
            inner.admitted.fetch_sub(1, Ordering::AcqRel);
            return Err(HashError::Overloaded);
        }
        Ok(Admission { inner: inner.clone() })
    }

    /// The PHC string for a new password.
    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        self.admit()?.hash(password).await
    }

    /// Whether `password` matches `stored`; with `None` the dummy hash is checked (and fails).
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, HashError> {
        self.admit()?.verify(password, stored).await
    }
}

/// An admitted hashing call; its place is given back when it is dropped.
pub struct Admission {
    inner: Arc<Inner>,
}

impl Drop for Admission {
    fn drop(&mut self) {
        self.inner.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Admission {
    pub async fn hash(self, password: &str) -> Result<String, HashError> {
        let password = password.to_string();
        self.run(move |engine| engine.hash(&password)).await
    }

    pub async fn verify(self, password: &str, stored: Option<&str>) -> Result<bool, HashError> {
        let password = password.to_string();
        let (phc, real) = match stored {
            Some(s) => (s.to_string(), true),
            None => (self.inner.dummy_hash.clone(), false),
        };
        self.run(move |engine| Ok(engine.verify(&password, &phc)? && real)).await
    }

    async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce(&mut Engine) -> Result<T, HashError> + Send + 'static,
    ) -> Result<T, HashError> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |engine| {
            // The caller gave up while this waited (the client went away): save the work.
            if !tx.is_closed() {
                let _ = tx.send(work(engine));
            }
        });
        self.inner.jobs.send(job).map_err(|_| HashError::Failed("hashing threads stopped".into()))?;
        rx.await.map_err(|_| HashError::Failed("a hashing thread stopped".into()))?
    }
}

fn worker(rx: &Mutex<Receiver<Job>>, mut engine: Engine) {
    lower_priority();
    loop {
        // The lock is held only while waiting for the next job, never while hashing.
        let job = match rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(&mut engine),
            Err(_) => return, // every PasswordHasher is gone
        }
    }
}

/// Lowers this thread's CPU priority (Linux keeps a nice value per thread).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority take plain integers and only affect the calling thread.
    unsafe {
        let tid = libc::gettid();
        if libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, HASHING_NICENESS) != 0 {
            tracing::warn!("cannot lower the priority of a password hashing thread");
        }
    }
}

/// A PHC string made the plain way (fresh memory per hash), for one-off hashes.
pub fn hash_with(argon2: &Argon2<'_>, password: &str) -> Result<String, HashError> {
    use argon2::password_hash::PasswordHasher as _;
    let salt = SaltString::generate(&mut OsRng);
    argon2
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Failed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;

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

    #[test]
    fn reused_memory_hashes_agree_with_the_plain_argon2id_both_ways() {
        let p = Argon2Params { memory_kib: 1024, iterations: 1, parallelism: 1 };
        let mut engine = Engine::new(p).unwrap();
        let plain = argon2_for(p).unwrap();
        let ours = engine.hash("correct horse battery").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(plain.verify_password(b"correct horse battery", &parsed).is_ok());
        assert!(plain.verify_password(b"correct horse batterY", &parsed).is_err());
        let theirs = hash_with(&plain, "correct horse battery").unwrap();
        assert!(engine.verify("correct horse battery", &theirs).unwrap());
        assert!(!engine.verify("Correct horse battery", &theirs).unwrap());
        // A hash made under other parameters (an older configuration) still verifies.
        let older = hash_with(&argon2_for(Argon2Params { memory_kib: 2048, ..p }).unwrap(), "old pw").unwrap();
        assert!(engine.verify("old pw", &older).unwrap());
        assert!(!engine.verify("old pW", &older).unwrap());
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies_even_with_the_dummy_password() {
        let h = hasher(1, 4);
        assert!(!h.verify("latchkey dummy password", None).await.unwrap());
    }

    #[tokio::test]
    async fn work_beyond_the_queue_is_refused_at_once() {
        // One thread and a queue of one: two calls may be admitted, the next is refused at
        // once; when one finishes, there is room again.
        let h = hasher(1, 1);
        let first = h.admit().unwrap();
        let second = h.admit().unwrap();
        assert!(matches!(h.admit(), Err(HashError::Overloaded)));
        assert!(matches!(h.hash("correct horse battery").await, Err(HashError::Overloaded)));
        assert!(first.hash("correct horse battery").await.is_ok());
        assert!(h.hash("correct horse battery").await.is_ok());
        drop(second);
        assert_eq!(h.inner.admitted.load(Ordering::Acquire), 0);
    }

    #[tokio::test]
    async fn work_whose_caller_went_away_is_skipped() {
        let h = hasher(1, 4);
        let gate = Arc::new(Barrier::new(2));
        let g = gate.clone();
        let hold: Job = Box::new(move |_| {
            g.wait();
            g.wait();
        });
        assert!(h.inner.jobs.send(hold).is_ok());
        gate.wait();
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let d = done.clone();
        let call = h.admit().unwrap().run(move |_| {
            d.store(true, std::sync::atomic::Ordering::SeqCst);
            Ok(())
        });
        // Queue the call, then drop it as a request would be dropped when its client hangs up.
        let abandoned = tokio::time::timeout(std::time::Duration::from_millis(20), call).await;
        assert!(abandoned.is_err());
        gate.wait();
        assert!(h.hash("correct horse battery").await.is_ok()); // runs after the abandoned one
        assert!(!done.load(std::sync::atomic::Ordering::SeqCst));
    }

    #[tokio::test]
    async fn hashing_threads_run_at_a_lower_priority() {
        let h = hasher(1, 1);
        let nice = h
            .admit()
            .unwrap()
            .run(|_| {
                // SAFETY: getpriority only reads the calling thread's nice value.
                Ok(unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) })
            })
            .await
            .unwrap();
        // SAFETY: as above, for this thread.
        let mine = unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) };
        assert_eq!(nice, (mine + HASHING_NICENESS).min(19));
    }
}
