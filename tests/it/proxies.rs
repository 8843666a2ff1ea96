//! Real reverse proxies (Debian's nginx with `auth_request`, and Caddy with `forward_auth`) in
//! front of Latchkey (login.acme.test) and of a small application (app.acme.test): an
//! unauthenticated request goes to the sign-in page, the emailed code, and back to the
//! application's page, where the upstream sees `Remote-User`. The session cookie covers
//! acme.test (`--cookie-domain`).

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::browser::{csrf_of, hidden};
use crate::common::process::free_port;
use crate::common::two_factor::{codes_sent, enable, next_code};
use crate::common::{Backend, Browser, TestApp, PASSWORD};
use crate::oidc::ADA;

/// A proxy process, stopped when dropped.
struct Proxy {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn binary(var: &str, default: &str) -> String {
    let bin = std::env::var(var).unwrap_or_else(|_| default.into());
    assert!(std::path::Path::new(&bin).exists(), "{bin} is missing: run scripts/test.sh, which installs it");
    bin
}

async fn wait_for(port: u16, dir: &std::path::Path, log: &str) {
    let start = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        let why = std::fs::read_to_string(dir.join(log)).unwrap_or_default();
        assert!(start.elapsed() < Duration::from_secs(15), "the proxy did not start: {why}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Starts nginx on `port` with the two servers; waits until it answers.
async fn start_nginx(port: u16, latchkey: &str, upstream: SocketAddr) -> Proxy {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display();
    let conf = format!(
        r#"
daemon off;
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 64; }}
http {{
  access_log {d}/access.log;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  server {{
    listen 127.0.0.1:{port};
    server_name login.acme.test;
    location / {{
      proxy_pass {latchkey};
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
    }}
  }}
  server {{
    listen 127.0.0.1:{port};
    server_name app.acme.test;
    location = /latchkey-auth {{
      internal;
      proxy_pass {latchkey}/auth/forward?org=acme.example;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Original-URL $scheme://$host:$server_port$request_uri;
    }}
    location / {{
      auth_request /latchkey-auth;
      auth_request_set $latchkey_user $upstream_http_remote_user;
      auth_request_set $latchkey_email $upstream_http_remote_email;
      auth_request_set $latchkey_name $upstream_http_remote_name;
      auth_request_set $latchkey_org $upstream_http_remote_org;
      auth_request_set $latchkey_org_name $upstream_http_remote_org_name;
      auth_request_set $latchkey_subject $upstream_http_remote_subject;
      auth_request_set $latchkey_location $upstream_http_location;
      error_page 401 =302 $latchkey_location;
      proxy_set_header Remote-User $latchkey_user;
      proxy_set_header Remote-Email $latchkey_email;
      proxy_set_header Remote-Name $latchkey_name;
      proxy_set_header Remote-Org $latchkey_org;
      proxy_set_header Remote-Org-Name $latchkey_org_name;
      proxy_set_header Remote-Subject $latchkey_subject;
      proxy_pass http://{upstream};
    }}
  }}
}}
"#
    );
    let path = dir.path().join("nginx.conf");
    std::fs::write(&path, conf).unwrap();
    let child = Command::new(binary("NGINX", "/usr/sbin/nginx"))
        .arg("-c")
        .arg(&path)
        .arg("-p")
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    wait_for(port, dir.path(), "error.log").await;
    Proxy { child, _dir: dir }
}

/// Starts Caddy on `port` with the same two sites, `forward_auth` in front of the application.
async fn start_caddy(port: u16, latchkey: &str, upstream: SocketAddr) -> Proxy {
    let dir = tempfile::tempdir().unwrap();
    let backend = latchkey.trim_start_matches("http://");
    let conf = format!(
        r#"{{
  admin off
  auto_https off
}}
http://login.acme.test:{port} {{
  reverse_proxy {backend}
}}
http://app.acme.test:{port} {{
  forward_auth {backend} {{
    uri /auth/forward?org=acme.example
    copy_headers Remote-User Remote-Email Remote-Name Remote-Org Remote-Org-Name Remote-Subject
  }}
  reverse_proxy {upstream}
}}
"#
    );
    let path = dir.path().join("Caddyfile");
    std::fs::write(&path, conf).unwrap();
    let log = std::fs::File::create(dir.path().join("caddy.log")).unwrap();
    let child = Command::new(binary("CADDY", "/usr/bin/caddy"))
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(&path)
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    wait_for(port, dir.path(), "caddy.log").await;
    Proxy { child, _dir: dir }
}

/// The protected application: says who nginx told it is signed in.
async fn start_upstream() -> SocketAddr {
    use axum::http::HeaderMap;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(|h: HeaderMap| async move {
        let get = |n: &str| h.get(n).and_then(|v| v.to_str().ok()).unwrap_or("none").to_string();
        let (who, org, email) = (get("remote-user"), get("remote-org"), get("remote-email"));
        format!("Weekly report for {who} of {org} ({email})")
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

#[derive(Clone, Copy)]
enum Kind {
    Nginx,
    Caddy,
}

async fn a_proxy_sends_a_visitor_through_sign_in_and_two_factor_back_to_the_application(backend: Backend, kind: Kind) {
    let port = free_port();
    let app = TestApp::spawn_with(backend, |a| {
        a.public_url = Some(format!("http://login.acme.test:{port}"));
        a.cookie_domain = Some("acme.test".into());
    })
    .await;
    app.create_org("Acme Support", "acme.example").await;
    app.create_user(ADA, Some(PASSWORD), true).await;
    // Set up straight at Latchkey, under its public name (the session cookie is acme.test's).
    let direct: SocketAddr = app.url.trim_start_matches("http://").parse().unwrap();
    let mut setup = Browser::resolving(&format!("http://login.acme.test:{}", direct.port()), direct);
    setup.sign_in(ADA, PASSWORD).await;
    enable(&app, &mut setup, ADA).await;
    let upstream = start_upstream().await;
    let _proxy = match kind {
        Kind::Nginx => start_nginx(port, &app.url, upstream).await,
        Kind::Caddy => start_caddy(port, &app.url, upstream).await,
    };

    // A browser that knows both names (they lead to nginx) and keeps cookies per domain.
    let at = SocketAddr::from(([127, 0, 0, 1], port));
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let http = reqwest::Client::builder()
        .resolve("login.acme.test", at)
        .resolve("app.acme.test", at)
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::limited(10))
        .build()
        .unwrap();
    let report = format!("http://app.acme.test:{port}/reports/weekly?team=7");
    // A client's own Remote-* headers never reach the application.
    let res = http.get(&report).header("remote-email", "forged@evil.example").send().await.unwrap();
    let login_url = res.url().clone();
    assert_eq!(login_url.host_str(), Some("login.acme.test"));
    assert!(login_url.path() == "/login" && login_url.query().unwrap().starts_with("rd="), "{login_url}");
    let body = res.text().await.unwrap();
    assert!(body.contains("to continue to <strong>app.acme.test</strong>"), "{body}");
    let (csrf, cont) = (csrf_of(&body).unwrap(), hidden(&body, "continue").unwrap());

    let before = codes_sent(&app, ADA);
    let login = format!("http://login.acme.test:{port}/login");
    let form = [("email", ADA), ("password", PASSWORD), ("continue", cont.as_str()), ("csrf", csrf.as_str())];
    let res = http.post(&login).form(&form).send().await.unwrap();
    assert_eq!(res.url().path(), "/login/verify");
    let csrf = csrf_of(&res.text().await.unwrap()).unwrap();
    let code = next_code(&app, ADA, before).await;
    let verify = format!("http://login.acme.test:{port}/login/verify");
    let res = http.post(&verify).form(&[("code", code.as_str()), ("csrf", csrf.as_str())]).send().await.unwrap();
    // The "Continuing to" page sends the browser on (a form's redirects may not leave the site).
    let onward = crate::common::browser::Page {
        status: res.status().as_u16(),
        path: res.url().path().to_string(),
        headers: res.headers().clone(),
        body: res.text().await.unwrap(),
    };
    onward.assert_has("Continuing to app.acme.test");
    let res = http.get(onward.location()).send().await.unwrap();
    assert_eq!(res.url().as_str(), report, "back at the application's page");
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.text().await.unwrap(), format!("Weekly report for {ADA} of acme.example ({ADA})"));
    // The forward-auth cookie is the domain's, and the next request goes straight through.
    let res = http
        .get(format!("http://app.acme.test:{port}/other"))
        .header("remote-email", "forged@evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.url().host_str(), Some("app.acme.test"));
    assert_eq!(res.text().await.unwrap(), format!("Weekly report for {ADA} of acme.example ({ADA})"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_auth_request_on_sqlite() {
    a_proxy_sends_a_visitor_through_sign_in_and_two_factor_back_to_the_application(Backend::Sqlite, Kind::Nginx).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_auth_request_on_postgres() {
    a_proxy_sends_a_visitor_through_sign_in_and_two_factor_back_to_the_application(Backend::Postgres, Kind::Nginx).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caddy_forward_auth_on_sqlite() {
    a_proxy_sends_a_visitor_through_sign_in_and_two_factor_back_to_the_application(Backend::Sqlite, Kind::Caddy).await
}
