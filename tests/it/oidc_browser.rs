//! End to end in headless Chromium: a small demo application (an axum server in the test, a
//! relying party made with the `openidconnect` crate) signs its users in through Latchkey: once
//! as a member with email two-factor authentication, once as a member the organization's policy
//! holds to the set-up first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::common::rp::{AppOptions, Rp, Started};
use crate::common::two_factor::member_with_two_factor;
use crate::common::webdriver::Chrome;
use crate::common::{Backend, TestApp, PASSWORD};
use crate::oidc::ADA;
use latchkey::domain::policy::{Methods, Policy};
use latchkey::service::operator;
use latchkey::store::audit::Actor;

/// The demo application's memory: sign-ins under way (by its own cookie) and who is signed in.
#[derive(Clone)]
struct Demo {
    rp: Arc<Rp>,
    pending: Arc<Mutex<HashMap<String, Started>>>,
    signed_in: Arc<Mutex<HashMap<String, String>>>,
}

fn demo_cookie(h: &HeaderMap) -> Option<String> {
    let cookies = h.get(header::COOKIE)?.to_str().ok()?;
    cookies.split("; ").find_map(|kv| kv.strip_prefix("demo=")).map(str::to_string)
}

async fn home(State(d): State<Demo>, h: HeaderMap) -> Response {
    if let Some(who) = demo_cookie(&h).and_then(|c| d.signed_in.lock().unwrap().get(&c).cloned()) {
        return Html(format!("<h1>Acme Console</h1><p id=\"who\">Signed in as {who}</p>")).into_response();
    }
    let started = d.rp.start(&["email", "profile"], &[]);
    let url = started.url.to_string();
    let id = latchkey::secrets::random_hex(16);
    d.pending.lock().unwrap().insert(id.clone(), started);
    ([(header::SET_COOKIE, format!("demo={id}; Path=/; HttpOnly"))], Redirect::to(&url)).into_response()
}

async fn callback(State(d): State<Demo>, h: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let id = demo_cookie(&h).expect("the demo's cookie");
    let started = d.pending.lock().unwrap().remove(&id).expect("a sign-in under way");
    assert_eq!(q.get("state"), Some(started.state.secret()), "the state comes back");
    let tokens = d.rp.exchange(&q["code"], started.verifier).await.expect("tokens for the code");
    let claims = d.rp.claims(&tokens, &started.nonce);
    let amr: Vec<String> = claims.auth_method_refs().unwrap().iter().map(|a| a.to_string()).collect();
    let who = format!("{} ({})", claims.email().unwrap().as_str(), amr.join(" "));
    d.signed_in.lock().unwrap().insert(id, who);
    Redirect::to("/").into_response()
}

/// Starts the demo application on localhost; its base URL.
async fn start_demo(app: &TestApp) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
    let (client_id, secret) =
        app.register_app_at("acme.example", "Acme Console", AppOptions::default(), &format!("{base}/cb")).await;
    let mut rp = Rp::discover(app, &client_id, secret.as_deref(), false).await;
    rp.client = rp.client.set_redirect_uri(openidconnect::RedirectUrl::new(format!("{base}/cb")).unwrap());
    let demo = Demo { rp: Arc::new(rp), pending: Default::default(), signed_in: Default::default() };
    let router = axum::Router::new()
        .route("/", axum::routing::get(home))
        .route("/cb", axum::routing::get(callback))
        .with_state(demo);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base
}

async fn type_credentials(chrome: &Chrome, email: &str) {
    chrome.find("input#email").await;
    assert!(chrome.source().await.contains("to continue to <strong>Acme Console</strong>"));
    chrome.type_into(&chrome.find("input#email").await, email).await;
    chrome.type_into(&chrome.find("input#password").await, PASSWORD).await;
    chrome.click(&chrome.find_named("Log in").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_with_email_two_factor_signs_in_to_the_demo_application() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    member_with_two_factor(&app, ADA).await;
    let demo = start_demo(&app).await;
    let chrome = Chrome::start().await;
    app.state.clock.advance(31);
    chrome.goto(&format!("{demo}/")).await;
    type_credentials(&chrome, ADA).await;
    chrome.wait_for_path("/login/verify").await;
    let code = app.sink.wait_for_nth(ADA, "Your verification code", 2).await.code();
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    chrome.click(&chrome.find_named("Continue").await).await;
    chrome.find("p#who").await;
    assert!(chrome.url().await.starts_with(&demo), "back at the demo: {}", chrome.url().await);
    assert!(chrome.source().await.contains(&format!("Signed in as {ADA} (pwd otp mfa)")), "{}", chrome.source().await);
    chrome.screenshot(&std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("demo-application.png")).await;
    chrome.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_held_by_the_policy_sets_up_two_factor_then_reaches_the_demo_application() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.with_member(ADA, true).await;
    let policy = Policy { required_since: Some(0), grace_days: 0, methods: Methods::ALL, admin_keys_since: None };
    operator::set_policy_for_domain(&app.state, "acme.example", policy, &Actor::cli()).await.unwrap();
    let demo = start_demo(&app).await;
    let chrome = Chrome::start().await;
    chrome.goto(&format!("{demo}/")).await;
    type_credentials(&chrome, ADA).await;
    chrome.wait_for_path("/account/two-factor/required").await;
    assert!(chrome.source().await.contains("Then you go on to Acme Console."));
    chrome.click(&chrome.find_named("Use email codes").await).await;
    chrome.click(&chrome.find_named("Send verification code").await).await;
    let code = app.sink.wait_for(ADA, "Your verification code").await.code();
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    chrome.click(&chrome.find_named("Continue").await).await;
    chrome.find_named("Download").await;
    chrome.click(&chrome.find("input[name=saved]").await).await;
    chrome.click(&chrome.find_named("Done").await).await;
    chrome.find("p#who").await;
    assert!(chrome.source().await.contains(&format!("Signed in as {ADA} (pwd otp mfa)")), "{}", chrome.source().await);
    chrome.quit().await;
}
