//! Real, independent authenticator clients: zbarimg (Debian's zbar-tools) reads the QR image,
//! oathtool (Debian's oathtool) computes the codes.

use std::process::Command;

use super::{Browser, TestApp};

/// What a QR code's otpauth URI says.
#[derive(Debug, Clone)]
pub struct KeyUri {
    pub label: String,
    pub secret: String,
    pub issuer: String,
    pub algorithm: String,
    pub digits: String,
    pub period: String,
}

/// Decodes a QR image with zbarimg.
pub fn decode_qr(png: &[u8]) -> String {
    let file = tempfile::Builder::new().suffix(".png").tempfile().unwrap();
    std::fs::write(file.path(), png).unwrap();
    let out = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(file.path())
        .output()
        .expect("zbarimg must be installed (Debian's zbar-tools; scripts/test.sh installs it)");
    assert!(out.status.success(), "zbarimg could not read the QR code");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

pub fn parse_uri(uri: &str) -> KeyUri {
    let url = url::Url::parse(uri).unwrap();
    assert_eq!((url.scheme(), url.host_str()), ("otpauth", Some("totp")), "{uri}");
    let q = |k: &str| url.query_pairs().find(|(n, _)| n == k).map(|(_, v)| v.into_owned()).unwrap_or_default();
    let label =
        percent_encoding::percent_decode_str(url.path().trim_start_matches('/')).decode_utf8().unwrap().into_owned();
    KeyUri {
        label,
        secret: q("secret"),
        issuer: q("issuer"),
        algorithm: q("algorithm"),
        digits: q("digits"),
        period: q("period"),
    }
}

/// The code oathtool computes for `secret` (base32) at Unix time `unix`.
pub fn oath_code(secret: &str, unix: i64) -> String {
    let out = Command::new("oathtool")
        .args(["--totp", "-b", secret, "--now", &format!("@{unix}")])
        .output()
        .expect("oathtool must be installed (Debian's oathtool; scripts/test.sh installs it)");
    assert!(out.status.success(), "oathtool failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Starts "Set Up" and reads the QR code the page serves; returns its URI's parts. With
/// two-factor authentication off, nothing more is asked.
pub async fn scan(b: &mut Browser) -> KeyUri {
    b.get("/account/security").await;
    let page = b.post("/account/authenticator/setup", &[]).await;
    page.assert_has("Verification Code");
    read_qr(b).await
}

/// "Set Up" for any account: when two-factor authentication is on, the page asks for the
/// password and a current second factor, given here as a code from the app with `app_secret`,
/// else as an emailed code.
pub async fn scan_confirmed(app: &TestApp, b: &mut Browser, app_secret: Option<&str>) -> KeyUri {
    b.get("/account/security").await;
    let page = b.post("/account/authenticator/setup", &[]).await;
    if page.has("To confirm, enter your password and a current second factor") {
        let started = match app_secret {
            Some(secret) => {
                let code = code_at(app, secret, 0);
                b.post("/account/authenticator/setup", &[("password", super::PASSWORD), ("app_code", &code)]).await
            }
            None => {
                let email = username_on(&page.body);
                let before = super::two_factor::codes_sent(app, &email);
                b.post("/account/authenticator/setup/send", &[]).await;
                let code = super::two_factor::next_code(app, &email, before).await;
                b.post("/account/authenticator/setup", &[("password", super::PASSWORD), ("code", &code)]).await
            }
        };
        started.assert_has("Verification Code");
    }
    read_qr(b).await
}

/// The account's email on a page that asks for the password (its hidden username field).
pub fn username_on(body: &str) -> String {
    let at = body.find("name=\"username\"").expect("a username field");
    let rest = &body[at..];
    let v = rest.find("value=\"").expect("its value") + 7;
    rest[v..v + rest[v..].find('"').unwrap()].to_string()
}

async fn read_qr(b: &mut Browser) -> KeyUri {
    let (status, kind, png) = b.get_bytes("/account/authenticator/qr.png").await;
    assert_eq!((status, kind.as_deref()), (200, Some("image/png")));
    parse_uri(&decode_qr(&png))
}

/// Sets up an app for a signed-in browser; returns the secret and the Recovery Key if one
/// was created (two-factor authentication was off).
pub async fn set_up(app: &TestApp, b: &mut Browser) -> (String, Option<String>) {
    let uri = scan_confirmed(app, b, None).await;
    let code = oath_code(&uri.secret, app.state.clock.now());
    let page = b.post("/account/authenticator/verify", &[("code", &code)]).await;
    page.assert_has("Authenticator app has been successfully set up");
    let key = page.has("<p class=\"recovery-key\">").then(|| super::two_factor::shown_key(&page.body));
    if let Some(k) = &key {
        b.post("/account/recovery-key/saved", &[("key", k), ("saved", "yes")]).await;
    }
    (uri.secret, key)
}

/// A code for a moment `offset_steps` steps from the app's now.
pub fn code_at(app: &TestApp, secret: &str, offset_steps: i64) -> String {
    oath_code(secret, app.state.clock.now() + offset_steps * 30)
}
