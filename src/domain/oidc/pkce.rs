//! PKCE (RFC 7636) with S256 only: the challenge is BASE64URL(SHA-256(verifier)).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A challenge as S256 makes it: 43 characters of base64url (256 bits).
pub(super) fn valid_challenge(c: &str) -> bool {
    c.len() == 43 && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The S256 challenge of a verifier.
pub fn challenge_of(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Whether `verifier` is well formed (43 to 128 unreserved characters, RFC 7636 §4.1) and
/// matches `challenge`, compared in constant time.
pub fn verifier_matches(challenge: &str, verifier: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    well_formed && bool::from(challenge_of(verifier).as_bytes().ct_eq(challenge.as_bytes()))
}
