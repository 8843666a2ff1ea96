//! A software authenticator for the tests: webauthn-authenticator-rs's soft passkey (a P-256
//! key per credential, user verification reported), driven the way a browser drives one: the
//! page's options in, the answer out as the JSON the page's script would post.
//!
//! The soft passkey keeps no user handle and cannot find its credentials without an allow
//! list; for "Sign in with a passkey" this wrapper plays the part of a discoverable credential:
//! it remembers the user handle it was registered with, names its own credential in the
//! request, and returns the handle beside the signed answer (the handle is not part of what is
//! signed, in WebAuthn as here).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use url::Url;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse};

use super::browser::{hidden, unescape};

pub struct SoftKey {
    authenticator: WebauthnAuthenticator<SoftPasskey>,
    pub origin: Url,
    /// The credential ID and user handle of the last registration.
    pub credential_id: Option<String>,
    pub user_handle: Option<String>,
}

/// A ceremony a page offers: its id, and the options in its `data-options` attribute.
pub struct Offered {
    pub ceremony: String,
    pub options: String,
}

impl Offered {
    /// The ceremony of a page's form (`ceremony`, or `key_ceremony` on a confirmation page).
    pub fn on(body: &str) -> Offered {
        let ceremony = hidden(body, "ceremony")
            .or_else(|| hidden(body, "key_ceremony"))
            .unwrap_or_else(|| panic!("no ceremony on the page: {body}"));
        let start = body.find("data-options=\"").expect("no data-options on the page") + 14;
        let end = start + body[start..].find('"').unwrap();
        Offered { ceremony, options: unescape(&body[start..end]) }
    }
}

impl SoftKey {
    /// A key used from pages at `origin` (http://localhost:PORT in the tests).
    pub fn new(origin: &str) -> Self {
        SoftKey {
            authenticator: WebauthnAuthenticator::new(SoftPasskey::new(true)),
            origin: Url::parse(origin).unwrap(),
            credential_id: None,
            user_handle: None,
        }
    }

    /// The answer to a registration's options, as the page posts it.
    pub fn register(&mut self, options: &str) -> String {
        let options: CreationChallengeResponse = serde_json::from_str(options).unwrap();
        self.user_handle = Some(URL_SAFE_NO_PAD.encode(options.public_key.user.id.as_ref() as &[u8]));
        let answer = self.authenticator.do_registration(self.origin.clone(), options).expect("the soft key registers");
        self.credential_id = Some(answer.id.clone());
        serde_json::to_string(&answer).unwrap()
    }

    /// The answer to an assertion's options, signed for `origin`.
    pub fn sign_at(&mut self, origin: &Url, options: &str) -> String {
        let options: RequestChallengeResponse = serde_json::from_str(options).unwrap();
        let answer = self.authenticator.do_authentication(origin.clone(), options).expect("the soft key signs");
        serde_json::to_string(&answer).unwrap()
    }

    pub fn sign(&mut self, options: &str) -> String {
        let origin = self.origin.clone();
        self.sign_at(&origin, options)
    }

    /// The answer to a passkey sign-in (no allow list): as a discoverable credential answers.
    pub fn sign_discoverable(&mut self, options: &str) -> String {
        let mut v: serde_json::Value = serde_json::from_str(options).unwrap();
        let id = self.credential_id.clone().expect("registered first");
        v["publicKey"]["allowCredentials"] = serde_json::json!([{ "type": "public-key", "id": id }]);
        let signed = self.sign(&v.to_string());
        let mut answer: serde_json::Value = serde_json::from_str(&signed).unwrap();
        answer["response"]["userHandle"] = self.user_handle.clone().into();
        answer.to_string()
    }
}
