//! A Recovery Key used as the proof for a change leaves a key behind while two-factor
//! authentication stays on: removing the authenticator app (email codes remain) and an admin's
//! confirmation of a member's reset each show a new key, as a sign-in with the key does.

use crate::common::authenticator::set_up;
use crate::common::two_factor::{enable, shown_key, start_sign_in};
use crate::common::{TestApp, PASSWORD};
use crate::on_both_backends;

const ADA: &str = "ada@acme.example";
const BOSS: &str = "boss@acme.example";

on_both_backends!(
    removing_the_app_with_the_recovery_key_shows_a_new_one,
    an_admin_confirming_a_reset_with_their_recovery_key_gets_a_new_one,
);

async fn keys_of(app: &TestApp, user_id: i64) -> usize {
    app.texts(&format!("SELECT key_hash FROM recovery_keys WHERE user_id = {user_id}")).await.len()
}

async fn removing_the_app_with_the_recovery_key_shows_a_new_one(app: TestApp) {
    let id = app.with_member(ADA, true).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let old = enable(&app, &mut b, ADA).await;
    set_up(&app, &mut b).await;
    b.get("/account/authenticator/remove").await;
    let page = b.post("/account/authenticator/remove", &[("password", PASSWORD), ("recovery_key", &old)]).await;
    page.assert_has("Your authenticator app is removed. You used your Recovery Key, so it no longer works.");
    let new = shown_key(&page.body);
    assert_ne!(new, old);
    assert_eq!(keys_of(&app, id).await, 1, "two-factor authentication by email stays on, with a key");
    b.post("/account/recovery-key/saved", &[("key", &new), ("saved", "yes")])
        .await
        .assert_has("Two-factor authentication is on");
    b.post("/logout", &[]).await;

    let mut c = app.browser();
    start_sign_in(&app, &mut c, ADA).await;
    c.get("/login/recovery").await;
    assert_eq!(c.post("/login/recovery", &[("recovery_key", &old)]).await.status, 400, "the used key is gone");
    c.post("/login/recovery", &[("recovery_key", &new)]).await.assert_has("Here is your new one.");
}

async fn an_admin_confirming_a_reset_with_their_recovery_key_gets_a_new_one(app: TestApp) {
    let ada = app.with_member(ADA, true).await;
    let mut member = app.browser();
    member.sign_in(ADA, PASSWORD).await;
    enable(&app, &mut member, ADA).await;
    let boss = app.create_admin(BOSS).await;
    let mut b = app.browser();
    b.sign_in(BOSS, PASSWORD).await;
    let old = enable(&app, &mut b, BOSS).await;
    b.get(&format!("/org/members/{ada}")).await;
    let page =
        b.post(&format!("/org/members/{ada}/reset-2fa"), &[("password", PASSWORD), ("recovery_key", &old)]).await;
    page.assert_has("Two-factor authentication of ada@acme.example is reset. You confirmed with your Recovery Key");
    let new = shown_key(&page.body);
    assert_ne!(new, old);
    assert_eq!(keys_of(&app, boss).await, 1, "the admin keeps two-factor authentication and a key");
    assert_eq!(keys_of(&app, ada).await, 0, "the member's was reset");
    b.get("/account/security").await;
    let download = b.post("/account/recovery-key/download", &[("key", &new)]).await;
    assert_eq!(download.status, 200, "the new key is the admin's current one");
    download.assert_has(&new);
}
