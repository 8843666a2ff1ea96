//! The provider across processes and under bursts: a code from one process is exchanged at
//! another; the signing keys made by two processes starting at once are one set; twenty
//! exchanges of one code (or refreshes of one token) released together, alternating between two
//! processes on PostgreSQL or at one app on SQLite, give tokens once, and the replays revoke them.

use std::sync::Arc;

use tokio::sync::Barrier;

use crate::common::burst::Apps;
use crate::common::rp::{tokens_of, AppOptions, Rp, CALLBACK};
use crate::common::{Backend, Browser, TestApp, PASSWORD};
use crate::oidc::ADA;

async fn jwks(url: &str) -> serde_json::Value {
    reqwest::get(format!("{url}/oauth/jwks")).await.unwrap().json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_keys_codes_and_grants() {
    // Two processes start at once on a new database: one set of keys comes out.
    let first_db = crate::common::fresh_pg_database().await;
    let (a, b) = tokio::join!(
        TestApp::spawn_on(Backend::Postgres, Some(first_db.clone()), |_| {}),
        TestApp::spawn_on(Backend::Postgres, Some(first_db), |_| {}),
    );
    assert_eq!(jwks(&a.url).await, jwks(&b.url).await);
    assert_eq!(jwks(&a.url).await["keys"].as_array().unwrap().len(), 2);
    assert_eq!(a.texts("SELECT kid FROM signing_keys").await.len(), 2);

    a.with_member(ADA, true).await;
    let (client_id, secret) = a.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let on_a = Rp::discover(&a, &client_id, secret.as_deref(), false).await;
    let mut browser = a.browser();
    browser.sign_in(ADA, PASSWORD).await;
    let started = on_a.start(&["email"], &[]);
    let code = on_a.code_for(&mut browser, &started).await;
    let http = reqwest::Client::new();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", started.verifier.secret().as_str()),
    ];
    let res = http
        .post(format!("{}/oauth/token", b.url))
        .basic_auth(&client_id, secret.as_deref())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "a code from A is good at B");
    let tokens: serde_json::Value = res.json().await.unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    let info = http.get(format!("{}/oauth/userinfo", a.url)).bearer_auth(access).send().await.unwrap();
    assert_eq!(info.json::<serde_json::Value>().await.unwrap()["email"], ADA, "B's token is good at A");
    // A rotation on A is seen by B's JWKS (within its 30-second cache; a fresh read here).
    latchkey::service::oidc::keys::rotate(&a.state, &latchkey::store::audit::Actor::cli()).await.unwrap();
    b.state.keys.clear();
    assert_eq!(jwks(&b.url).await["keys"].as_array().unwrap().len(), 4);
}

/// Releases `n` token requests with `form` together, alternating between the apps; the statuses.
async fn burst(
    apps: &Apps,
    client: (&str, Option<&str>),
    form: Vec<(&'static str, String)>,
    n: usize,
) -> Vec<(u16, serde_json::Value)> {
    let barrier = Arc::new(Barrier::new(n));
    let mut tasks = Vec::new();
    for i in 0..n {
        let url = format!("{}/oauth/token", apps.url(i));
        let (id, secret) = (client.0.to_string(), client.1.map(str::to_string));
        let (form, barrier) = (form.clone(), barrier.clone());
        let http = reqwest::Client::new();
        tasks.push(tokio::spawn(async move {
            // A kept-alive connection first, so the requests leave together.
            let _ = http.get(url.replace("/oauth/token", "/healthz")).send().await;
            barrier.wait().await;
            let res = http.post(url).basic_auth(id, secret).form(&form).send().await.unwrap();
            (res.status().as_u16(), res.json::<serde_json::Value>().await.unwrap_or_default())
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

async fn one_code_released_twenty_times_gives_tokens_once(backend: Backend) {
    let apps = Apps::start(backend, |_| {}).await;
    let app = apps.first();
    app.with_member(ADA, true).await;
    let (client_id, secret) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let rp = Rp::discover(app, &client_id, secret.as_deref(), false).await;
    let mut b = Browser::new(&app.url);
    b.sign_in(ADA, PASSWORD).await;
    let started = rp.start(&["email", "offline_access"], &[]);
    let code = rp.code_for(&mut b, &started).await;
    let form = vec![
        ("grant_type", "authorization_code".to_string()),
        ("code", code),
        ("redirect_uri", CALLBACK.to_string()),
        ("code_verifier", started.verifier.secret().clone()),
    ];
    let results = burst(&apps, (&client_id, secret.as_deref()), form, 20).await;
    let won: Vec<_> = results.iter().filter(|(s, _)| *s == 200).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    assert!(results.iter().all(|(s, v)| *s == 200 || (*s == 400 && v["error"] == "invalid_grant")), "{results:?}");
    // The replays revoked what the one success gave.
    let access = won[0].1["access_token"].as_str().unwrap().to_string();
    let res =
        reqwest::Client::new().get(format!("{}/oauth/userinfo", app.url)).bearer_auth(&access).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 401);

    // Twenty refreshes of one refresh token: one new pair, then the grant is revoked.
    let started = rp.start(&["email", "offline_access"], &[]);
    let (_, refresh) = tokens_of(&rp.exchange(&rp.code_for(&mut b, &started).await, started.verifier).await.unwrap());
    let form = vec![("grant_type", "refresh_token".to_string()), ("refresh_token", refresh.secret().clone())];
    let results = burst(&apps, (&client_id, secret.as_deref()), form, 20).await;
    let won: Vec<_> = results.iter().filter(|(s, _)| *s == 200).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    let newer = won[0].1["refresh_token"].as_str().unwrap();
    assert!(rp.refresh(&openidconnect::RefreshToken::new(newer.into())).await.is_err(), "the replays ended the grant");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_code_released_twenty_times_gives_tokens_once_on_sqlite() {
    one_code_released_twenty_times_gives_tokens_once(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_code_released_twenty_times_at_two_processes_gives_tokens_once_on_postgres() {
    one_code_released_twenty_times_gives_tokens_once(Backend::Postgres).await
}
