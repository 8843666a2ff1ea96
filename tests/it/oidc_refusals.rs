//! What the provider refuses, and how: a request that cannot go back safely gets a page and no
//! redirect; a known client's bad request goes back with an error; codes work once, for their
//! client, redirect URI and verifier, within 60 s; another organization's member is not signed
//! in; no return parameter leads anywhere unregistered. Both databases.

use crate::common::browser::hidden;
use crate::common::rp::{code_in, error_in, tokens_of, AppOptions, Rp, CALLBACK};
use crate::common::{TestApp, PASSWORD};
use crate::oidc::ADA;
use crate::on_both_backends;
use openidconnect::PkceCodeChallenge;

fn authorize_query(client_id: &str, redirect: &str, extra: &str) -> String {
    let r: String = url::form_urlencoded::byte_serialize(redirect.as_bytes()).collect();
    let challenge = PkceCodeChallenge::new_random_sha256().0;
    format!(
        "/oauth/authorize?response_type=code&scope=openid&client_id={client_id}&redirect_uri={r}&state=st\
         &code_challenge={}&code_challenge_method=S256{extra}",
        challenge.as_str()
    )
}

async fn a_request_that_cannot_go_back_safely_gets_a_page_and_never_a_redirect(app: TestApp) {
    app.with_member(ADA, true).await;
    let (client_id, _) =
        app.register_app("acme.example", "Acme Console", AppOptions { public: true, ..Default::default() }).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let altered = [
        "http://localhost:9/cb/",
        "http://localhost:9/cb?x=1",
        "http://localhost:9/CB",
        "http://localhost:09/cb",
        "http://127.0.0.1:9/cb",
        "https://localhost:9/cb",
        "http://localhost:9/cb#f",
        "http://localhost:9/cb%2F..%2Fevil",
        "https://evil.example/cb",
        "//evil.example/cb",
        "",
    ];
    for redirect in altered {
        let page = b.get(&authorize_query(&client_id, redirect, "")).await;
        assert_eq!(page.status, 400, "{redirect:?}");
        assert!(page.header("location").is_none(), "{redirect:?} must not be redirected to");
        page.assert_has("This sign-in cannot continue");
    }
    let unknown = b.get(&authorize_query("no-such-client", CALLBACK, "")).await;
    assert_eq!(unknown.status, 400);
    unknown.assert_has("not registered with Latchkey");
    // The registered one, exactly, goes back with a code.
    let ok = b.get(&authorize_query(&client_id, CALLBACK, "")).await;
    assert!(ok.location().as_str().starts_with(&format!("{CALLBACK}?code=")));
}

async fn a_known_clients_bad_request_goes_back_with_an_error_and_its_state(app: TestApp) {
    app.with_member(ADA, true).await;
    let (public, _) =
        app.register_app("acme.example", "Acme Mobile", AppOptions { public: true, ..Default::default() }).await;
    let mut b = app.browser();
    let cb: String = url::form_urlencoded::byte_serialize(CALLBACK.as_bytes()).collect();
    let cases = [
        (format!("response_type=token&scope=openid&state=st&client_id={public}&redirect_uri={cb}"), "unsupported_response_type"),
        (format!("response_type=code&scope=openid&state=st&client_id={public}&redirect_uri={cb}"), "invalid_request"),
        (format!("response_type=code&scope=email&state=st&client_id={public}&redirect_uri={cb}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"), "invalid_scope"),
        (format!("response_type=code&scope=openid&state=st&client_id={public}&redirect_uri={cb}&code_challenge=abc&code_challenge_method=plain"), "invalid_request"),
        (format!("response_type=code&scope=openid&state=st&client_id={public}&redirect_uri={cb}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&request=eyJ"), "request_not_supported"),
    ];
    for (query, error) in cases {
        let back = b.get(&format!("/oauth/authorize?{query}")).await.location();
        assert_eq!(error_in(&back), error, "{query}");
        assert!(back.query_pairs().any(|(k, v)| k == "state" && v == "st"), "{back}");
        assert!(back.query_pairs().any(|(k, v)| k == "iss" && v == app.url), "{back}");
    }
    // An application may post the request: it is the same request.
    let form =
        [("response_type", "token"), ("client_id", public.as_str()), ("redirect_uri", CALLBACK), ("scope", "openid")];
    let posted = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = posted.post(format!("{}/oauth/authorize", app.url)).form(&form).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert!(res.headers()["location"].to_str().unwrap().starts_with("/oauth/authorize?response_type=token"));
}

async fn a_code_works_once_for_its_client_redirect_and_verifier_within_a_minute(app: TestApp) {
    app.with_member(ADA, true).await;
    let (client_id, secret) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let (other_id, other_secret) = app.register_app("acme.example", "Acme Reports", AppOptions::default()).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let other = Rp::discover(&app, &other_id, other_secret.as_deref(), false).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;

    // A second use of a code is refused and ends what the first use gave.
    let started = rp.start(&["email"], &[]);
    let code = rp.code_for(&mut b, &started).await;
    let verifier = started.verifier.secret().clone();
    let (access, refresh) = tokens_of(&rp.exchange(&code, started.verifier).await.unwrap());
    let again = rp.exchange(&code, openidconnect::PkceCodeVerifier::new(verifier)).await.unwrap_err();
    assert!(again.contains("invalid_grant"), "{again}");
    assert!(rp.userinfo(&access).await.is_err(), "revoked by the replay");
    assert!(rp.refresh(&refresh).await.is_err());
    assert!(app.texts("SELECT kind FROM audit_events").await.contains(&Some("token_replay".into())));

    // Another client cannot use it, and its owner still can.
    let started = rp.start(&["email"], &[]);
    let code = rp.code_for(&mut b, &started).await;
    let stolen = other.exchange(&code, openidconnect::PkceCodeVerifier::new(started.verifier.secret().clone())).await;
    assert!(stolen.unwrap_err().contains("invalid_grant"));
    assert!(rp.exchange(&code, started.verifier).await.is_ok());

    // A wrong verifier uses the code up.
    let started = rp.start(&["email"], &[]);
    let code = rp.code_for(&mut b, &started).await;
    let wrong = rp.exchange(&code, PkceCodeChallenge::new_random_sha256().1).await.unwrap_err();
    assert!(wrong.contains("invalid_grant"), "{wrong}");
    assert!(rp.exchange(&code, started.verifier).await.is_err());

    // Another redirect_uri than the request's.
    let started = rp.start(&["email"], &[]);
    let code = rp.code_for(&mut b, &started).await;
    let http = reqwest::Client::new();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "http://localhost:9/other"),
        ("code_verifier", started.verifier.secret().as_str()),
    ];
    let res = http
        .post(format!("{}/oauth/token", app.url))
        .basic_auth(&client_id, secret.as_deref())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["error"], "invalid_grant");

    // A code lives 60 seconds.
    let started = rp.start(&["email"], &[]);
    let code = rp.code_for(&mut b, &started).await;
    app.state.clock.advance(61);
    assert!(rp.exchange(&code, started.verifier).await.unwrap_err().contains("invalid_grant"));

    // Malformed token requests get JSON errors.
    for (form, error) in [
        (vec![("grant_type", "password")], "unsupported_grant_type"),
        (vec![("grant_type", "authorization_code")], "invalid_request"),
        (vec![], "invalid_request"),
    ] {
        let res = http
            .post(format!("{}/oauth/token", app.url))
            .basic_auth(&client_id, secret.as_deref())
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 400);
        assert_eq!(res.json::<serde_json::Value>().await.unwrap()["error"], error);
    }
}

async fn a_member_of_another_organization_is_not_signed_in_to_the_application(app: TestApp) {
    app.with_member(ADA, true).await;
    app.create_org("Globex", "globex.example").await;
    app.create_user("hank@globex.example", Some(PASSWORD), true).await;
    let (client_id, secret) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let mut b = app.browser();
    b.sign_in("hank@globex.example", PASSWORD).await;
    let started = rp.start(&["email"], &[]);
    let page = b.get_url(started.url.as_str()).await;
    assert_eq!(page.status, 200);
    page.assert_has("Acme Console belongs to another organization");
    assert!(page.header("location").is_none());
    let quiet = rp.start(&["email"], &[("prompt", "none")]);
    assert_eq!(error_in(&b.get_url(quiet.url.as_str()).await.location()), "login_required");
    // Signing in again from the page, as a member, goes back with a code.
    let login = page.body.split("href=\"/login?continue=").nth(1).unwrap().split('"').next().unwrap();
    let login = format!("/login?continue={login}");
    let form = b.get(&login).await;
    let cont = hidden(&form.body, "continue").unwrap();
    let back = b.post("/login", &[("email", ADA), ("password", PASSWORD), ("continue", &cont)]).await;
    let code = code_in(&back.location(), &started);
    let claims = rp.claims(&rp.exchange(&code, started.verifier).await.unwrap(), &started.nonce);
    assert_eq!(claims.email().unwrap().as_str(), ADA);
}

async fn no_return_parameter_leads_anywhere_unregistered(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = app.browser();
    // A page to return to on a domain that is not configured: ignored.
    for rd in ["https://evil.example/", "https://acme.example.evil.net/", "javascript:alert(1)", "//evil.example"] {
        let q: String = url::form_urlencoded::byte_serialize(rd.as_bytes()).collect();
        let page = b.get(&format!("/login?rd={q}")).await;
        assert!(!page.has("to continue to"), "{rd}");
        assert!(hidden(&page.body, "continue").is_none(), "{rd}");
    }
    let page = b.post("/login", &[("email", ADA), ("password", PASSWORD)]).await;
    assert_eq!(page.path, "/account");
    // A continuation that was changed (or made up) is refused with a page.
    for forged in ["AAAA", "bm90IHNlYWxlZA", &"A".repeat(200)] {
        let page = b.get(&format!("/continue?to={forged}")).await;
        assert_eq!(page.status, 400);
        assert!(page.header("location").is_none());
    }
    let forged = b.post("/login", &[("email", ADA), ("password", PASSWORD), ("continue", "AAAA")]).await;
    assert_eq!(forged.path, "/account", "signed in; the forged continuation is not followed");
    // A sealed continuation older than an hour has ended.
    let target = latchkey::service::oidc::continuation::Target::Page(format!("{}/account", app.url));
    let sealed = latchkey::service::oidc::continuation::seal(&app.state, target).0;
    app.state.clock.advance(3601);
    b.get(&format!("/continue?to={sealed}")).await.assert_has("took more than an hour");
}

async fn introspection_answers_for_live_tokens_to_confidential_clients_of_the_organization(app: TestApp) {
    app.with_member(ADA, true).await;
    app.create_org("Globex", "globex.example").await;
    let (client_id, secret) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let (public, _) =
        app.register_app("acme.example", "Acme Mobile", AppOptions { public: true, ..Default::default() }).await;
    let (globex, globex_secret) = app.register_app("globex.example", "Globex Reports", AppOptions::default()).await;
    let o = AppOptions { third_party: true, ..Default::default() };
    let (outsider, outsider_secret) = app.register_app("acme.example", "Partner Reports", o).await;
    let rp = Rp::discover(&app, &client_id, secret.as_deref(), false).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let started = rp.start(&["email"], &[]);
    let (access, _) = tokens_of(&rp.exchange(&rp.code_for(&mut b, &started).await, started.verifier).await.unwrap());
    let http = reqwest::Client::new();
    let introspect = |id: String, secret: Option<String>| {
        let req = http.post(format!("{}/oauth/introspect", app.url)).form(&[("token", access.secret().as_str())]);
        let req = match secret {
            Some(s) => req.basic_auth(id, Some(s)),
            None => req.form(&[("token", access.secret().as_str()), ("client_id", id.as_str())]),
        };
        async move {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, v) = introspect(client_id.clone(), secret.clone()).await;
    assert_eq!(
        (status, &v["active"], &v["username"], &v["client_id"]),
        (200, &true.into(), &ADA.into(), &client_id.clone().into())
    );
    assert_eq!(
        introspect(globex, globex_secret).await.1["active"],
        false,
        "another organization's client learns nothing"
    );
    assert_eq!(introspect(outsider, outsider_secret).await.1["active"], false, "nor a third-party application");
    assert_eq!(introspect(public, None).await.0, 400, "a public client may not introspect");
    // Without the email scope, the email is not told.
    let started = rp.start(&[], &[]);
    let (narrow, _) = tokens_of(&rp.exchange(&rp.code_for(&mut b, &started).await, started.verifier).await.unwrap());
    let res = http
        .post(format!("{}/oauth/introspect", app.url))
        .basic_auth(&client_id, secret.as_deref())
        .form(&[("token", narrow.secret().as_str())])
        .send()
        .await
        .unwrap();
    let v: serde_json::Value = res.json().await.unwrap();
    assert_eq!((&v["active"], v.get("username")), (&true.into(), None), "{v}");
    b.post("/logout", &[]).await;
    assert_eq!(introspect(client_id, secret).await.1["active"], false, "ended with the session");
}

async fn a_confidential_client_needs_pkce_or_a_nonce_and_a_public_one_may_send_an_empty_secret(app: TestApp) {
    app.with_member(ADA, true).await;
    let (client_id, _) = app.register_app("acme.example", "Acme Console", AppOptions::default()).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let cb: String = url::form_urlencoded::byte_serialize(CALLBACK.as_bytes()).collect();
    let bare =
        format!("/oauth/authorize?response_type=code&scope=openid&client_id={client_id}&redirect_uri={cb}&state=st");
    assert_eq!(error_in(&b.get(&bare).await.location()), "invalid_request");
    let with_nonce = b.get(&format!("{bare}&nonce=n1")).await.location();
    assert!(with_nonce.query_pairs().any(|(k, _)| k == "code"), "{with_nonce}");
    // Some libraries send a public client's id with an empty secret in HTTP Basic.
    let (public, _) =
        app.register_app("acme.example", "Acme Mobile", AppOptions { public: true, ..Default::default() }).await;
    let rp = Rp::discover(&app, &public, None, false).await;
    let started = rp.start(&["email"], &[]);
    let code = rp.code_for(&mut b, &started).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", started.verifier.secret().as_str()),
    ];
    let res = reqwest::Client::new()
        .post(format!("{}/oauth/token", app.url))
        .basic_auth(&public, Some(""))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    // Userinfo without a token: 401 and the challenge, without an error code (RFC 6750 §3.1).
    let res = reqwest::get(format!("{}/oauth/userinfo", app.url)).await.unwrap();
    assert_eq!(res.status().as_u16(), 401);
    assert_eq!(res.headers()["www-authenticate"], "Bearer realm=\"latchkey\"");
}

on_both_backends!(
    a_confidential_client_needs_pkce_or_a_nonce_and_a_public_one_may_send_an_empty_secret,
    a_request_that_cannot_go_back_safely_gets_a_page_and_never_a_redirect,
    a_known_clients_bad_request_goes_back_with_an_error_and_its_state,
    a_code_works_once_for_its_client_redirect_and_verifier_within_a_minute,
    a_member_of_another_organization_is_not_signed_in_to_the_application,
    no_return_parameter_leads_anywhere_unregistered,
    introspection_answers_for_live_tokens_to_confidential_clients_of_the_organization,
);
