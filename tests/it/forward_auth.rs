//! `/auth/forward` as a proxy calls it: 200 with the headers that name the member, 401 with a
//! Location for nginx, 302 for Traefik and Caddy; back to the page after the sign-in (and the
//! two-factor set-up where a host requires it), only on configured domains. Both databases.

use crate::common::two_factor::{codes_sent, member_with_two_factor, next_code, shown_key};
use crate::common::{Browser, TestApp, PASSWORD};
use crate::oidc::ADA;
use crate::on_both_backends;
use latchkey::config::SettingsArgs;

const PAGE: &str = "https://console.acme.example/reports?week=3";
const STRICT: &str = "https://reports.acme.example/q1";

fn configure(a: &mut SettingsArgs) {
    a.forward_auth_domains = Some("acme.example".into());
    a.forward_auth_require_2fa = Some("reports.acme.example".into());
}

/// Asks as Traefik or Caddy would (`X-Forwarded-*`) for `url`, with the session `cookie`.
async fn ask(app: &TestApp, url: &str, cookie: Option<&str>, method: &str) -> reqwest::Response {
    let u = url::Url::parse(url).unwrap();
    let uri = &url[u.origin().ascii_serialization().len()..];
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut req = http
        .get(format!("{}/auth/forward", app.url))
        .header("x-forwarded-proto", u.scheme())
        .header("x-forwarded-host", u.host_str().unwrap())
        .header("x-forwarded-uri", uri)
        .header("x-forwarded-method", method);
    if let Some(c) = cookie {
        req = req.header("cookie", format!("latchkey_session={c}"));
    }
    req.send().await.unwrap()
}

fn login_for(app: &TestApp, page: &str) -> String {
    let rd: String = url::form_urlencoded::byte_serialize(page.as_bytes()).collect();
    format!("{}/login?rd={rd}", app.url)
}

async fn a_signed_in_member_passes_with_headers_and_others_are_sent_to_sign_in(app: TestApp) {
    app.with_member(ADA, true).await;
    let res = ask(&app, PAGE, None, "GET").await;
    assert_eq!(res.status().as_u16(), 302);
    assert_eq!(res.headers()["location"], login_for(&app, PAGE).as_str());
    assert_eq!(ask(&app, PAGE, None, "POST").await.status().as_u16(), 401, "a form post is not redirected");
    // nginx: 401 with the Location its error_page uses.
    let http = reqwest::Client::new();
    let res = http.get(format!("{}/auth/forward", app.url)).header("x-original-url", PAGE).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 401);
    assert_eq!(res.headers()["location"], login_for(&app, PAGE).as_str());
    // A host outside the configured domains is never returned to.
    let res = ask(&app, "https://evil.example/x", None, "GET").await;
    assert_eq!(res.headers()["location"], format!("{}/login", app.url).as_str());

    let mut b = app.browser();
    let login = b.get_url(&login_for(&app, PAGE)).await;
    login.assert_has("to continue to <strong>console.acme.example</strong>");
    let cont = crate::common::browser::hidden(&login.body, "continue").unwrap();
    let back = b.post("/login", &[("email", ADA), ("password", PASSWORD), ("continue", &cont)]).await;
    assert_eq!(back.location().as_str(), PAGE, "back at the page after signing in");
    let session = b.cookie("latchkey_session").unwrap();
    b.post("/account/name", &[("name", "Ada Lovelace")]).await;
    let res = ask(&app, PAGE, Some(&session), "GET").await;
    assert_eq!(res.status().as_u16(), 200);
    let h = res.headers();
    assert_eq!(
        (&h["remote-user"], &h["remote-email"], &h["remote-org"]),
        (&ADA.parse().unwrap(), &ADA.parse().unwrap(), &"acme.example".parse().unwrap())
    );
    assert_eq!(h["remote-name"], "Ada Lovelace");
    assert_eq!(h["remote-subject"].len(), 32);
    // Signed out: sent to sign in again.
    b.post("/logout", &[]).await;
    assert_eq!(ask(&app, PAGE, Some(&session), "GET").await.status().as_u16(), 302);
}

async fn a_host_that_requires_two_factor_sends_a_member_through_the_set_up_and_back(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let session = b.cookie("latchkey_session").unwrap();
    assert_eq!(ask(&app, PAGE, Some(&session), "GET").await.status().as_u16(), 200);
    let res = ask(&app, STRICT, Some(&session), "GET").await;
    assert_eq!(res.status().as_u16(), 302, "the password alone is not enough here");
    let login = b.get_url(res.headers()["location"].to_str().unwrap()).await;
    let cont = crate::common::browser::hidden(&login.body, "continue").unwrap();
    let held = b.post("/login", &[("email", ADA), ("password", PASSWORD), ("continue", &cont)]).await;
    assert_eq!(held.path, "/account/two-factor/required");
    held.assert_has("reports.acme.example requires two-factor authentication");
    b.get("/account/two-factor/enable").await;
    let before = codes_sent(&app, ADA);
    b.post("/account/two-factor/enable/send", &[]).await;
    let code = next_code(&app, ADA, before).await;
    let key = shown_key(&b.post("/account/two-factor/enable/confirm", &[("code", &code)]).await.body);
    let done = b.post("/account/recovery-key/saved", &[("key", &key), ("saved", "yes")]).await;
    assert_eq!(done.location().as_str(), STRICT);
    let session = b.cookie("latchkey_session").unwrap();
    assert_eq!(ask(&app, STRICT, Some(&session), "GET").await.status().as_u16(), 200);
}

async fn a_member_with_two_factor_gives_it_again_for_a_strict_host_after_a_password_only_session(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    // A session that had only the password (two-factor authentication came later elsewhere).
    let mut b = Browser::new(&app.url);
    let before = codes_sent(&app, ADA);
    b.sign_in(ADA, PASSWORD).await;
    let code = next_code(&app, ADA, before).await;
    b.post("/login/verify", &[("code", &code)]).await;
    let session = b.cookie("latchkey_session").unwrap();
    assert_eq!(ask(&app, STRICT, Some(&session), "GET").await.status().as_u16(), 200, "two factors given");
    app.exec("UPDATE sessions SET authn = 'pwd'").await;
    let res = ask(&app, STRICT, Some(&session), "GET").await;
    assert_eq!(res.status().as_u16(), 302);
    let login = b.get_url(res.headers()["location"].to_str().unwrap()).await;
    login.assert_has(&format!("value=\"{ADA}\""));
    let cont = crate::common::browser::hidden(&login.body, "continue").unwrap();
    let before = codes_sent(&app, ADA);
    b.post("/login", &[("email", ADA), ("password", PASSWORD), ("continue", &cont)]).await;
    let code = next_code(&app, ADA, before).await;
    let back = b.post("/login/verify", &[("code", &code)]).await;
    assert_eq!(back.location().as_str(), STRICT);
}

on_both_backends!(
    with configure;
    a_signed_in_member_passes_with_headers_and_others_are_sent_to_sign_in,
    a_host_that_requires_two_factor_sends_a_member_through_the_set_up_and_back,
    a_member_with_two_factor_gives_it_again_for_a_strict_host_after_a_password_only_session,
);
