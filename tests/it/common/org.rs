//! Steps shared by the organization-admin tests.

use super::two_factor::enable;
use super::{Browser, TestApp, PASSWORD};

pub const BOSS: &str = "boss@acme.example";

/// The admin of `acme.example`, signed in with email two-factor authentication on.
pub async fn admin(app: &TestApp) -> Browser {
    app.create_admin(BOSS).await;
    let mut b = app.browser();
    assert_eq!(b.sign_in(BOSS, PASSWORD).await.path, "/account");
    enable(app, &mut b, BOSS).await;
    b
}

/// Requires two-factor authentication through the settings page, confirming the preview.
/// Returns the preview page.
pub async fn require(b: &mut Browser, grace_days: u32, email: bool, authenticator: bool) -> super::browser::Page {
    b.get("/org").await.assert_has("Require Two-Factor Authentication");
    let grace = grace_days.to_string();
    let mut fields = vec![("required", "on"), ("grace_days", grace.as_str())];
    if email {
        fields.push(("email", "on"));
    }
    if authenticator {
        fields.push(("authenticator", "on"));
    }
    let preview = b.post("/org/policy", &fields).await;
    preview.assert_has("Check before saving");
    fields.push(("confirmed", "yes"));
    b.post("/org/policy", &fields).await.assert_has("The policy is saved.");
    preview
}
