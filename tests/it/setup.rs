//! First-run setup through the one-time link.

use crate::common::{TestApp, PASSWORD};
use crate::on_both_backends;
use latchkey::service::setup::setup_link_if_needed;

on_both_backends!(
    the_setup_link_creates_the_first_organization_and_its_admin_once,
    setup_explains_what_is_wrong_with_the_form
);

fn path_of(link: &str) -> String {
    link.split_once("://").map(|(_, r)| r[r.find('/').unwrap()..].to_string()).unwrap()
}

async fn the_setup_link_creates_the_first_organization_and_its_admin_once(app: TestApp) {
    let link = setup_link_if_needed(&app.state).await.unwrap().expect("a fresh database gets a setup link");
    let mut b = app.browser();
    let form = b.get(&path_of(&link)).await;
    assert_eq!(form.status, 200);
    form.assert_has("Set up Latchkey");
    let token = link.split("token=").nth(1).unwrap();
    let fields = [
        ("token", token),
        ("org_name", "Acme Support"),
        ("domain", "acme.example"),
        ("email", "Admin@Acme.Example"),
        ("password", PASSWORD),
        ("confirm", PASSWORD),
    ];
    let done = b.post("/setup", &fields).await;
    assert_eq!(done.path, "/account/security");
    done.assert_has("Security and Credentials");
    done.assert_has("admin@acme.example");

    // The link is used up, and no new one is printed now that an organization exists.
    let again = b.get(&path_of(&link)).await;
    assert_eq!(again.status, 410);
    again.assert_has("This link is not valid any more");
    assert!(setup_link_if_needed(&app.state).await.unwrap().is_none());
    let user_id: Vec<Option<String>> = app.texts("SELECT role FROM users").await;
    assert_eq!(user_id, vec![Some("admin".to_string())]);
}

async fn setup_explains_what_is_wrong_with_the_form(app: TestApp) {
    let link = setup_link_if_needed(&app.state).await.unwrap().unwrap();
    let token = link.split("token=").nth(1).unwrap().to_string();
    let mut b = app.browser();
    b.get(&path_of(&link)).await;
    let cases = [
        ("acme.example", "admin@other.example", PASSWORD, "Use an email address at acme.example"),
        ("acme", "admin@acme", PASSWORD, "Enter a domain like example.com."),
        ("acme.example", "admin@acme.example", "password1", "among the most common"),
        ("acme.example", "admin@acme.example", "short", "at least 8 characters"),
    ];
    for (domain, email, password, message) in cases {
        let f = [
            ("token", token.as_str()),
            ("org_name", "Acme"),
            ("domain", domain),
            ("email", email),
            ("password", password),
            ("confirm", password),
        ];
        let page = b.post("/setup", &f).await;
        assert_eq!(page.status, 400, "{message}");
        page.assert_has(message);
        page.assert_has(&format!("value=\"{email}\""));
    }
    // Nothing was created and the link still works.
    assert_eq!(app.texts("SELECT name FROM organizations").await.len(), 0);
    assert_eq!(b.get(&path_of(&link)).await.status, 200);
    assert_eq!(app.browser().get("/setup?token=nonsense").await.status, 410);
}
