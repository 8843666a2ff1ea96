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
    ask_at(app, "/auth/forward", url, cookie, method).await
}

/// The same, at an address with the proxy's own query (`?org=`, `?require=2fa`).
async fn ask_at(app: &TestApp, endpoint: &str, url: &str, cookie: Option<&str>, method: &str) -> reqwest::Response {
    let u = url::Url::parse(url).unwrap();
    let uri = &url[u.origin().ascii_serialization().len()..];
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut req = http
        .get(format!("{}{endpoint}", app.url))
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

async fn the_proxys_own_settings_decide_and_a_host_that_cannot_be_read_is_not_let_off(app: TestApp) {
    app.with_member(ADA, true).await;
    app.create_org("Globex", "globex.example").await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let session = b.cookie("latchkey_session").unwrap();
    // ?require=2fa in the proxy's configuration: two factors, whatever the headers say.
    let res = ask_at(&app, "/auth/forward?require=2fa", PAGE, Some(&session), "GET").await;
    assert_eq!(res.status().as_u16(), 302);
    // ?org= names the organization whose members may pass; another's get 403.
    assert_eq!(
        ask_at(&app, "/auth/forward?org=acme.example", PAGE, Some(&session), "GET").await.status().as_u16(),
        200
    );
    assert_eq!(
        ask_at(&app, "/auth/forward?org=globex.example", PAGE, Some(&session), "GET").await.status().as_u16(),
        403
    );
    // With hosts listed as needing two factors, a host the headers do not give, or give
    // written another way, is not let through on a password alone.
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = http
        .get(format!("{}/auth/forward", app.url))
        .header("cookie", format!("latchkey_session={session}"))
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", "reports.acme.example")
        .header("x-forwarded-uri", "//x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 302, "an unreadable page is not a page that needs less");
    assert_eq!(ask(&app, "https://reports.acme.example./q1", Some(&session), "GET").await.status().as_u16(), 302);
    assert_eq!(ask(&app, "https://REPORTS.acme.example/q1", Some(&session), "GET").await.status().as_u16(), 302);
    // Every Remote-* header is always there, empty when there is nothing to say.
    let res = ask(&app, PAGE, Some(&session), "GET").await;
    assert_eq!(res.headers()["remote-name"], "");
}

on_both_backends!(
    with configure;
    the_proxys_own_settings_decide_and_a_host_that_cannot_be_read_is_not_let_off,
    a_signed_in_member_passes_with_headers_and_others_are_sent_to_sign_in,
    a_host_that_requires_two_factor_sends_a_member_through_the_set_up_and_back,
    a_member_with_two_factor_gives_it_again_for_a_strict_host_after_a_password_only_session,
);

/// With a cookie domain, the protected hosts get a forward-auth cookie of their own; the
/// session's cookie stays on Latchkey's host, and the forward-auth cookie opens no page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_protected_hosts_see_a_forward_auth_cookie_never_the_session_itself() {
    let app = TestApp::spawn_with(crate::common::Backend::Sqlite, |a| {
        let port = a.bind.clone().unwrap().rsplit(':').next().unwrap().to_string();
        a.public_url = Some(format!("http://login.acme.test:{port}"));
        a.cookie_domain = Some("acme.test".into());
    })
    .await;
    app.with_member(ADA, true).await;
    let direct: std::net::SocketAddr = app.url.trim_start_matches("http://").parse().unwrap();
    let base = format!("http://login.acme.test:{}", direct.port());
    let mut b = Browser::resolving(&base, direct);
    assert_eq!(b.sign_in(ADA, PASSWORD).await.path, "/account");
    let forward = b.cookie("latchkey_forward").expect("a forward-auth cookie");
    use reqwest::cookie::CookieStore;
    let on_app = b.jar.cookies(&"http://app.acme.test/".parse().unwrap()).unwrap();
    let on_app = on_app.to_str().unwrap().to_string();
    assert!(on_app.contains("latchkey_forward=") && !on_app.contains("latchkey_session="), "{on_app}");
    // It passes forward-auth ...
    let http = reqwest::Client::new();
    let res = http
        .get(format!("{}/auth/forward", app.url))
        .header("cookie", format!("latchkey_forward={forward}"))
        .header("x-forwarded-proto", "http")
        .header("x-forwarded-host", "app.acme.test")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    // ... and opens nothing else, even presented as a session cookie.
    let mut thief = Browser::resolving(&base, direct);
    thief.set_cookie("latchkey_session", &forward);
    assert_eq!(thief.get("/account").await.path, "/login");
    // Logging out removes both.
    b.post("/logout", &[]).await;
    assert!(b.cookie("latchkey_forward").is_none());
}
