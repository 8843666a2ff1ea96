//! ID token signatures. `jsonwebtoken` writes and reads the JWS and JWK formats; the signatures
//! themselves are ring's (RS256 and ES256): constant-time code from BoringSSL, already linked for
//! TLS, and about four times faster at RSA signing than the pure-Rust `rsa` crate on this
//! machine (0.65 ms against 2.4 ms; docs/BENCHMARKS.md). ring cannot generate RSA keys, so the
//! `rsa` crate makes those, once per key.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{Error, ErrorKind};
use jsonwebtoken::jwk::{EllipticCurve, ThumbprintHash};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use ring::rand::SystemRandom;
use ring::signature::{self as sig, KeyPair};
use serde::{Deserialize, Serialize};

/// The algorithms ID tokens are signed with: RS256 (the default of OpenID Connect) and ES256.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Alg {
    RS256,
    ES256,
}

impl Alg {
    pub const ALL: [Alg; 2] = [Alg::RS256, Alg::ES256];

    pub fn as_str(self) -> &'static str {
        match self {
            Alg::RS256 => "RS256",
            Alg::ES256 => "ES256",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    fn jwt(self) -> Algorithm {
        match self {
            Alg::RS256 => Algorithm::RS256,
            Alg::ES256 => Algorithm::ES256,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("signing key: {0}")]
pub struct JoseError(String);

impl From<Error> for JoseError {
    fn from(e: Error) -> Self {
        JoseError(e.to_string())
    }
}

/// A new private key: PKCS#1 DER for RSA (2048 bits), PKCS#8 DER for P-256.
pub fn generate(alg: Alg) -> Result<Vec<u8>, JoseError> {
    install();
    match alg {
        Alg::RS256 => {
            use rsa::pkcs1::EncodeRsaPrivateKey;
            let key = rsa::PrivateKey::new(&mut getrandom::SysRng, 2048).map_err(|e| JoseError(e.to_string()))?;
            Ok(key.to_pkcs1_der().map_err(|e| JoseError(e.to_string()))?.as_bytes().to_vec())
        }
        Alg::ES256 => {
            let doc = sig::EcdsaKeyPair::generate_pkcs8(&sig::ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
                .map_err(|_| JoseError("cannot generate a P-256 key".into()))?;
            Ok(doc.as_ref().to_vec())
        }
    }
}

/// The public JWK of a private key, with its `kid` (the RFC 7638 thumbprint) and `use`/`alg`.
pub fn public_jwk(alg: Alg, private_der: &[u8]) -> Result<(String, serde_json::Value), JoseError> {
    install();
    let key = encoding_key(alg, private_der);
    let mut jwk = jsonwebtoken::jwk::Jwk::from_encoding_key(&key, alg.jwt())?;
    let kid = jwk.thumbprint(ThumbprintHash::SHA256)?;
    jwk.common.key_id = Some(kid.clone());
    jwk.common.public_key_use = Some(jsonwebtoken::jwk::PublicKeyUse::Signature);
    let value = serde_json::to_value(&jwk).map_err(|e| JoseError(e.to_string()))?;
    Ok((kid, value))
}

fn encoding_key(alg: Alg, der: &[u8]) -> EncodingKey {
    match alg {
        Alg::RS256 => EncodingKey::from_rsa_der(der),
        Alg::ES256 => EncodingKey::from_ec_der(der),
    }
}

/// A key that signs: its id, algorithm and private key.
#[derive(Clone)]
pub struct Signer {
    pub kid: String,
    pub alg: Alg,
    key: EncodingKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({}, {})", self.kid, self.alg.as_str())
    }
}

impl Signer {
    pub fn new(kid: String, alg: Alg, private_der: &[u8]) -> Self {
        Signer { kid, alg, key: encoding_key(alg, private_der) }
    }

    /// A compact JWS of `claims`, with `kid` in its header.
    pub fn sign<T: Serialize>(&self, claims: &T) -> Result<String, JoseError> {
        install();
        let mut header = jsonwebtoken::Header::new(self.alg.jwt());
        header.kid = Some(self.kid.clone());
        Ok(jsonwebtoken::encode(&header, claims, &self.key)?)
    }
}

/// Checks a token's signature against published JWKs (by `kid`) and returns its claims; `exp`
/// and `aud` are not checked here (an expired ID token is still a fine `id_token_hint`).
pub fn verify_signature<T: for<'de> Deserialize<'de>>(token: &str, jwks: &[serde_json::Value]) -> Option<T> {
    install();
    let header = jsonwebtoken::decode_header(token).ok()?;
    let kid = header.kid?;
    let jwk = jwks.iter().find(|j| j["kid"].as_str() == Some(kid.as_str()))?;
    let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(jwk.clone()).ok()?;
    let key = DecodingKey::from_jwk(&jwk).ok()?;
    let alg = match header.alg {
        Algorithm::RS256 | Algorithm::ES256 => header.alg,
        _ => return None,
    };
    let mut v = jsonwebtoken::Validation::new(alg);
    v.validate_exp = false;
    v.validate_aud = false;
    v.required_spec_claims.clear();
    jsonwebtoken::decode::<T>(token, &key, &v).ok().map(|d| d.claims)
}

/// The signing keys a process holds: the current signer of each algorithm and the published
/// JWKs, as last read from the database, with the time they were read (the service reads them
/// again when they are older than it allows, so a rotation by another process is seen).
#[derive(Clone, Default)]
pub struct KeyRing {
    inner: std::sync::Arc<std::sync::RwLock<Option<Loaded>>>,
}

/// One reading of the keys.
#[derive(Clone)]
pub struct Loaded {
    pub read_at: std::time::Instant,
    pub signers: Vec<Signer>,
    pub jwks: Vec<serde_json::Value>,
}

impl KeyRing {
    /// The keys read less than `max_age` ago, if any.
    pub fn fresh(&self, max_age: std::time::Duration) -> Option<Loaded> {
        let guard = self.inner.read().ok()?;
        guard.as_ref().filter(|l| l.read_at.elapsed() < max_age).cloned()
    }

    pub fn store(&self, loaded: Loaded) {
        if let Ok(mut guard) = self.inner.write() {
            *guard = Some(loaded);
        }
    }

    /// Forgets the keys (after a rotation in this process).
    pub fn clear(&self) {
        if let Ok(mut guard) = self.inner.write() {
            *guard = None;
        }
    }
}

// ring as jsonwebtoken's crypto provider.

static RING: CryptoProvider = CryptoProvider {
    signer_factory,
    verifier_factory,
    key_utils: KeyUtils {
        rsa_pub_components_from_private_key: rsa_components_of_private,
        rsa_pub_components_from_public_key: |_| Err(ErrorKind::UnsupportedAlgorithm.into()),
        ec_pub_components_from_private_key: ec_components_of_private,
        ed_pub_components_from_private_key: |_, _| Err(ErrorKind::UnsupportedAlgorithm.into()),
        compute_digest: |data, hash| match hash {
            ThumbprintHash::SHA256 => Ok(ring::digest::digest(&ring::digest::SHA256, data).as_ref().to_vec()),
            ThumbprintHash::SHA384 => Ok(ring::digest::digest(&ring::digest::SHA384, data).as_ref().to_vec()),
            ThumbprintHash::SHA512 => Ok(ring::digest::digest(&ring::digest::SHA512, data).as_ref().to_vec()),
            _ => Err(ErrorKind::UnsupportedAlgorithm.into()),
        },
    },
};

/// Makes ring jsonwebtoken's provider for this process (once; later calls change nothing).
pub fn install() {
    let _ = RING.install_default();
}

fn rsa_pair(der: &[u8]) -> Result<sig::RsaKeyPair, Error> {
    sig::RsaKeyPair::from_der(der).map_err(|e| ErrorKind::InvalidRsaKey(e.to_string()).into())
}

fn ec_pair(der: &[u8]) -> Result<sig::EcdsaKeyPair, Error> {
    sig::EcdsaKeyPair::from_pkcs8(&sig::ECDSA_P256_SHA256_FIXED_SIGNING, der, &SystemRandom::new())
        .map_err(|_| ErrorKind::InvalidEcdsaKey.into())
}

fn rsa_components_of_private(der: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let pair = rsa_pair(der)?;
    let c: sig::RsaPublicKeyComponents<Vec<u8>> = pair.public().into();
    Ok((c.n, c.e))
}

fn ec_components_of_private(der: &[u8], alg: Algorithm) -> Result<(EllipticCurve, Vec<u8>, Vec<u8>), Error> {
    if alg != Algorithm::ES256 {
        return Err(ErrorKind::UnsupportedAlgorithm.into());
    }
    let point = ec_pair(der)?.public_key().as_ref().to_vec();
    // An uncompressed point: 0x04, x, y.
    match point.as_slice() {
        [4, rest @ ..] if rest.len() == 64 => Ok((EllipticCurve::P256, rest[..32].to_vec(), rest[32..].to_vec())),
        _ => Err(ErrorKind::InvalidEcdsaKey.into()),
    }
}

enum RingSigner {
    Rsa(sig::RsaKeyPair),
    Ec(sig::EcdsaKeyPair),
}

impl signature::Signer<Vec<u8>> for RingSigner {
    fn try_sign(&self, msg: &[u8]) -> Result<Vec<u8>, signature::Error> {
        let rng = SystemRandom::new();
        match self {
            RingSigner::Rsa(pair) => {
                let mut out = vec![0; pair.public().modulus_len()];
                pair.sign(&sig::RSA_PKCS1_SHA256, &rng, msg, &mut out).map_err(|_| signature::Error::new())?;
                Ok(out)
            }
            RingSigner::Ec(pair) => Ok(pair.sign(&rng, msg).map_err(|_| signature::Error::new())?.as_ref().to_vec()),
        }
    }
}

impl JwtSigner for RingSigner {
    fn algorithm(&self) -> Algorithm {
        match self {
            RingSigner::Rsa(_) => Algorithm::RS256,
            RingSigner::Ec(_) => Algorithm::ES256,
        }
    }
}

fn signer_factory(alg: &Algorithm, key: &EncodingKey) -> Result<Box<dyn JwtSigner>, Error> {
    match alg {
        Algorithm::RS256 => Ok(Box::new(RingSigner::Rsa(rsa_pair(key.as_bytes())?))),
        Algorithm::ES256 => Ok(Box::new(RingSigner::Ec(ec_pair(key.as_bytes())?))),
        _ => Err(ErrorKind::UnsupportedAlgorithm.into()),
    }
}

struct RingVerifier {
    alg: Algorithm,
    key: DecodingKey,
}

impl signature::Verifier<Vec<u8>> for RingVerifier {
    fn verify(&self, msg: &[u8], signature: &Vec<u8>) -> Result<(), signature::Error> {
        use jsonwebtoken::DecodingKeyKind;
        let ok = match (self.alg, self.key.kind()) {
            (Algorithm::RS256, DecodingKeyKind::RsaModulusExponent { n, e }) => {
                sig::RsaPublicKeyComponents { n, e }.verify(&sig::RSA_PKCS1_2048_8192_SHA256, msg, signature).is_ok()
            }
            (Algorithm::ES256, DecodingKeyKind::SecretOrDer(point)) => {
                sig::UnparsedPublicKey::new(&sig::ECDSA_P256_SHA256_FIXED, point).verify(msg, signature).is_ok()
            }
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(signature::Error::new())
        }
    }
}

impl JwtVerifier for RingVerifier {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }
}

fn verifier_factory(alg: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>, Error> {
    match alg {
        Algorithm::RS256 | Algorithm::ES256 => Ok(Box::new(RingVerifier { alg: *alg, key: key.clone() })),
        _ => Err(ErrorKind::UnsupportedAlgorithm.into()),
    }
}

/// base64url without padding (JOSE's encoding), for the tests and the thumbprints.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Claims {
        sub: String,
    }

    #[test]
    fn tokens_signed_with_each_algorithm_verify_against_the_published_key_only() {
        for alg in Alg::ALL {
            let der = generate(alg).unwrap();
            let (kid, jwk) = public_jwk(alg, &der).unwrap();
            assert_eq!(jwk["kid"], kid.as_str());
            assert_eq!(jwk["alg"], alg.as_str());
            assert!(jwk.get("d").is_none(), "no private part is published");
            let token = Signer::new(kid.clone(), alg, &der).sign(&Claims { sub: "u1".into() }).unwrap();
            let claims: Claims = verify_signature(&token, std::slice::from_ref(&jwk)).unwrap();
            assert_eq!(claims.sub, "u1");
            // Another key with the same kid does not verify it.
            let (_, mut other) = public_jwk(alg, &generate(alg).unwrap()).unwrap();
            other["kid"] = kid.as_str().into();
            assert!(verify_signature::<Claims>(&token, &[other]).is_none());
            // A changed payload does not verify.
            let mut parts: Vec<&str> = token.split('.').collect();
            let forged = b64(br#"{"sub":"u2"}"#);
            parts[1] = &forged;
            assert!(verify_signature::<Claims>(&parts.join("."), &[jwk]).is_none());
        }
    }

    #[test]
    fn an_unsigned_token_is_refused() {
        let der = generate(Alg::ES256).unwrap();
        let (kid, jwk) = public_jwk(Alg::ES256, &der).unwrap();
        let header = b64(format!(r#"{{"alg":"none","kid":"{kid}"}}"#).as_bytes());
        let token = format!("{header}.{}.", b64(br#"{"sub":"u1"}"#));
        assert!(verify_signature::<Claims>(&token, &[jwk]).is_none());
    }
}
