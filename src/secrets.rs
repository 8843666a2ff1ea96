//! Secrets at rest: random tokens and their hashes, keyed hashes, and the AEAD key that
//! encrypts what must be read back (queued mail bodies, later TOTP secrets).

use std::io::Write;
use std::path::Path;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::RngCore;
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

use crate::config::KeySource;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("The secret key must be 32 bytes written as base64 or hex (for example: openssl rand -base64 32).")]
    BadKey,
    #[error("Cannot read the secret key file {0}: {1}.")]
    Read(String, std::io::Error),
    #[error("Cannot create the secret key file {0}: {1}.")]
    Create(String, std::io::Error),
}

#[derive(Debug, thiserror::Error)]
#[error("stored data could not be decrypted with the configured secret key")]
pub struct DecryptError;

/// The 32-byte key for secrets at rest. Sub-keys for each use are derived from it.
#[derive(Clone)]
pub struct SecretKey {
    aead: XChaCha20Poly1305,
    mac_key: [u8; 32],
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl SecretKey {
    pub fn from_bytes(key: &[u8; 32]) -> Self {
        let derive = |label: &[u8]| -> [u8; 32] {
            let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
            m.update(label);
            m.finalize().into_bytes().into()
        };
        Self { aead: XChaCha20Poly1305::new(&derive(b"latchkey aead v1").into()), mac_key: derive(b"latchkey mac v1") }
    }

    /// Reads the key from where the settings say, generating it once on the embedded default.
    pub fn load(source: &KeySource) -> Result<Self, KeyError> {
        match source {
            KeySource::Inline(text) => Self::parse(text.expose_secret()),
            KeySource::File(path) => Self::parse(&read(path)?),
            KeySource::Generated(path) if path.exists() => Self::parse(&read(path)?),
            KeySource::Generated(path) => {
                let mut raw = [0u8; 32];
                OsRng.fill_bytes(&mut raw);
                write_private(path, &STANDARD.encode(raw))
                    .map_err(|e| KeyError::Create(path.display().to_string(), e))?;
                tracing::info!(path = %path.display(), "generated the secret key for data at rest");
                Ok(Self::from_bytes(&raw))
            }
        }
    }

    fn parse(text: &str) -> Result<Self, KeyError> {
        let t = text.trim();
        let raw = hex::decode(t).ok().or_else(|| STANDARD.decode(t).ok()).ok_or(KeyError::BadKey)?;
        let raw: [u8; 32] = raw.try_into().map_err(|_| KeyError::BadKey)?;
        Ok(Self::from_bytes(&raw))
    }

    /// Encrypts `plain` under a fresh random nonce; the result is base64 text for a TEXT column.
    pub fn encrypt(&self, plain: &[u8]) -> String {
        let mut nonce = [0u8; 24];
        OsRng.fill_bytes(&mut nonce);
        // Encryption with a valid key and nonce cannot fail for in-memory buffers.
        let ct = self.aead.encrypt(XNonce::from_slice(&nonce), plain).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        STANDARD.encode(out)
    }

    pub fn decrypt(&self, stored: &str) -> Result<Vec<u8>, DecryptError> {
        let raw = STANDARD.decode(stored).map_err(|_| DecryptError)?;
        if raw.len() < 24 {
            return Err(DecryptError);
        }
        let (nonce, ct) = raw.split_at(24);
        self.aead.decrypt(XNonce::from_slice(nonce), ct).map_err(|_| DecryptError)
    }

    /// Seals `plain` for `purpose` (encrypted and authenticated, bound to the purpose) as
    /// URL-safe text: for state a browser carries from one page to the next, which it can
    /// neither read nor change.
    pub fn seal(&self, purpose: &str, plain: &[u8]) -> String {
        let mut nonce = [0u8; 24];
        OsRng.fill_bytes(&mut nonce);
        let payload = chacha20poly1305::aead::Payload { msg: plain, aad: purpose.as_bytes() };
        let ct = self.aead.encrypt(XNonce::from_slice(&nonce), payload).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        URL_SAFE_NO_PAD.encode(out)
    }

    /// Opens what `seal` made for the same purpose.
    pub fn open(&self, purpose: &str, sealed: &str) -> Result<Vec<u8>, DecryptError> {
        let raw = URL_SAFE_NO_PAD.decode(sealed).map_err(|_| DecryptError)?;
        if raw.len() < 24 {
            return Err(DecryptError);
        }
        let (nonce, ct) = raw.split_at(24);
        let payload = chacha20poly1305::aead::Payload { msg: ct, aad: purpose.as_bytes() };
        self.aead.decrypt(XNonce::from_slice(nonce), payload).map_err(|_| DecryptError)
    }

    /// A keyed hash (HMAC-SHA-256, hex) for short secrets such as codes, which a plain hash
    /// would not protect against a dictionary of all values.
    pub fn keyed_hash(&self, purpose: &str, value: &[u8]) -> String {
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&self.mac_key).unwrap_or_else(|_| unreachable!());
        m.update(purpose.as_bytes());
        m.update(&[0]);
        m.update(value);
        hex::encode(m.finalize().into_bytes())
    }
}

fn read(path: &Path) -> Result<String, KeyError> {
    std::fs::read_to_string(path).map_err(|e| KeyError::Read(path.display().to_string(), e))
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

/// A new random token of 256 bits (URL-safe text) and the hash that is stored in its place.
pub fn new_token() -> (String, String) {
    let mut raw = [0u8; 32];
    OsRng.fill_bytes(&mut raw);
    let token = URL_SAFE_NO_PAD.encode(raw);
    let hash = hash_token(&token);
    (token, hash)
}

/// The stored form of a high-entropy token: SHA-256, hex. Tokens of 256 random bits need no key.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Random hex for identifiers that are not secrets (request ids).
pub fn random_hex(bytes: usize) -> String {
    let mut raw = vec![0u8; bytes];
    OsRng.fill_bytes(&mut raw);
    hex::encode(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_data_reads_back_and_differs_each_time() {
        let k = SecretKey::from_bytes(&[7; 32]);
        let a = k.encrypt(b"hello");
        assert_ne!(a, k.encrypt(b"hello"));
        assert_eq!(k.decrypt(&a).unwrap(), b"hello");
        assert!(!a.contains("hello"));
    }

    #[test]
    fn another_key_or_a_changed_byte_cannot_decrypt() {
        let k = SecretKey::from_bytes(&[7; 32]);
        let other = SecretKey::from_bytes(&[8; 32]);
        let a = k.encrypt(b"hello");
        assert!(other.decrypt(&a).is_err());
        let mut raw = STANDARD.decode(&a).unwrap();
        raw[30] ^= 1;
        assert!(k.decrypt(&STANDARD.encode(raw)).is_err());
        assert!(k.decrypt("not base64!").is_err());
    }

    #[test]
    fn sealed_text_opens_only_for_its_purpose_and_unchanged() {
        let k = SecretKey::from_bytes(&[7; 32]);
        let sealed = k.seal("continue", b"to the app");
        assert!(sealed.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(k.open("continue", &sealed).unwrap(), b"to the app");
        assert!(k.open("other", &sealed).is_err());
        assert!(SecretKey::from_bytes(&[8; 32]).open("continue", &sealed).is_err());
        let mut raw = URL_SAFE_NO_PAD.decode(&sealed).unwrap();
        raw[30] ^= 1;
        assert!(k.open("continue", &URL_SAFE_NO_PAD.encode(raw)).is_err());
    }

    #[test]
    fn keyed_hashes_depend_on_key_and_purpose() {
        let k = SecretKey::from_bytes(&[7; 32]);
        let h = k.keyed_hash("email-code", b"123456");
        assert_eq!(h, k.keyed_hash("email-code", b"123456"));
        assert_ne!(h, k.keyed_hash("other", b"123456"));
        assert_ne!(h, SecretKey::from_bytes(&[8; 32]).keyed_hash("email-code", b"123456"));
    }

    #[test]
    fn tokens_are_256_bits_and_stored_as_their_hash() {
        let (t, h) = new_token();
        assert_eq!(URL_SAFE_NO_PAD.decode(&t).unwrap().len(), 32);
        assert_eq!(h, hash_token(&t));
        assert_eq!(h.len(), 64);
    }

    #[test]
    fn a_generated_key_file_is_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        let src = KeySource::Generated(path.clone());
        let k1 = SecretKey::load(&src).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let k2 = SecretKey::load(&src).unwrap();
        assert_eq!(k2.decrypt(&k1.encrypt(b"x")).unwrap(), b"x");
    }

    #[test]
    fn a_short_key_is_refused() {
        let src = KeySource::Inline("c2hvcnQ=".to_string().into());
        assert!(matches!(SecretKey::load(&src), Err(KeyError::BadKey)));
    }
}
