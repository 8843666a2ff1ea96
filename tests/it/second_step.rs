//! The second step tells the truth about codes: each new sign-in gets its own code, the
//! cooldown holds only "Resend code" within one sign-in, the hourly cap says so, and the page
//! says "We sent a verification code" only while a code sent for this sign-in works. Over real
//! SMTP.

use crate::common::authenticator::set_up;
use crate::common::two_factor::{codes_sent, member_with_two_factor, next_code};
use crate::common::{Backend, TestApp, PASSWORD};
use crate::on_both_backends;

const ADA: &str = "ada@acme.example";

on_both_backends!(
    logging_in_again_at_once_mails_a_new_code_that_works,
    email_instead_right_after_an_email_sign_in_mails_a_code_at_once,
    resend_within_one_sign_in_waits_for_the_cooldown_and_says_so_once,
    a_used_confirmation_code_does_not_hold_back_the_next_one,
);

/// The seconds the resend countdown says (the test clock runs on with the real one, so a
/// second may pass between the send and the page).
fn countdown_seconds(body: &str) -> i64 {
    let at = body.find("You can ask for a new code in ").expect("a countdown") + "You can ask for a new code in ".len();
    let rest = &body[at..];
    assert!(rest[..rest.find('.').unwrap()].ends_with("seconds"), "{}", &rest[..40.min(rest.len())]);
    rest[..rest.find(' ').unwrap()].parse().unwrap()
}

/// The one countdown sentence of the resend form, as the server renders it.
fn countdowns(body: &str) -> usize {
    body.matches("You can ask for a new code in").count() + body.matches("You can ask for a new code now").count()
}

async fn logging_in_again_at_once_mails_a_new_code_that_works(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    for round in 0..3 {
        // No clock advance: agents log out and in again within seconds.
        let before = codes_sent(&app, ADA);
        let mut b = app.browser();
        let page = b.sign_in(ADA, PASSWORD).await;
        assert_eq!(page.path, "/login/verify", "round {round}");
        page.assert_has("We sent a verification code to <strong>a***@acme.example</strong>");
        assert_eq!(countdowns(&page.body), 1, "one countdown: {}", page.body);
        assert!((28..=30).contains(&countdown_seconds(&page.body)), "{}", page.body);
        let code = next_code(&app, ADA, before).await;
        assert_eq!(codes_sent(&app, ADA), before + 1, "exactly one code for this sign-in");
        assert_eq!(b.post("/login/verify", &[("code", &code)]).await.path, "/account", "round {round}");
        b.post("/logout", &[]).await;
    }
}

async fn email_instead_right_after_an_email_sign_in_mails_a_code_at_once(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    let mut b = app.browser();
    let before = codes_sent(&app, ADA);
    b.sign_in(ADA, PASSWORD).await;
    let code = next_code(&app, ADA, before).await;
    b.post("/login/verify", &[("code", &code)]).await;
    set_up(&app, &mut b).await;
    b.post("/logout", &[]).await;

    // An email sign-in, finished; then at once an app sign-in that asks for email instead.
    let mut first = app.browser();
    let page = first.sign_in(ADA, PASSWORD).await;
    page.assert_has("Authenticator app code");
    let before = codes_sent(&app, ADA);
    let email = first.post("/login/verify/switch", &[("method", "email")]).await;
    email.assert_has("We sent a verification code");
    let code = next_code(&app, ADA, before).await;
    assert_eq!(first.post("/login/verify", &[("code", &code)]).await.path, "/account");
    first.post("/logout", &[]).await;

    let mut second = app.browser();
    second.sign_in(ADA, PASSWORD).await.assert_has("Send a code to my email instead");
    let before = codes_sent(&app, ADA);
    let page = second.post("/login/verify/switch", &[("method", "email")]).await;
    assert_eq!(page.path, "/login/verify");
    page.assert_has("We sent a verification code to <strong>a***@acme.example</strong>");
    assert!(!page.has("Too many"), "{}", page.body);
    let code = next_code(&app, ADA, before).await;
    assert_eq!(codes_sent(&app, ADA), before + 1);
    // Back to the app and to email again: the code sent for this sign-in still works, so no
    // second one goes out.
    second.post("/login/verify/switch", &[("method", "app")]).await.assert_has("Authenticator app code");
    second.post("/login/verify/switch", &[("method", "email")]).await.assert_has("We sent a verification code");
    assert_eq!(codes_sent(&app, ADA), before + 1);
    assert_eq!(second.post("/login/verify", &[("code", &code)]).await.path, "/account");
}

async fn resend_within_one_sign_in_waits_for_the_cooldown_and_says_so_once(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    let mut b = app.browser();
    let before = codes_sent(&app, ADA);
    b.sign_in(ADA, PASSWORD).await;
    let first = next_code(&app, ADA, before).await;
    app.state.clock.advance(10);
    let early = b.post("/login/verify/resend", &[]).await;
    assert_eq!(early.status, 429);
    assert!((18..=20).contains(&countdown_seconds(&early.body)), "{}", early.body);
    assert_eq!(countdowns(&early.body), 1, "the cooldown is said once: {}", early.body);
    early.assert_has("We sent a verification code");
    assert_eq!(codes_sent(&app, ADA), before + 1, "nothing more was sent");
    app.state.clock.advance(20);
    let resent = b.post("/login/verify/resend", &[]).await;
    assert_eq!(resent.status, 200);
    assert!((28..=30).contains(&countdown_seconds(&resent.body)), "{}", resent.body);
    let second = next_code(&app, ADA, before + 1).await;
    if first != second {
        b.post("/login/verify", &[("code", &first)]).await.assert_has("The code is not correct.");
    }
    assert_eq!(b.post("/login/verify", &[("code", &second)]).await.path, "/account");
}

async fn a_used_confirmation_code_does_not_hold_back_the_next_one(app: TestApp) {
    member_with_two_factor(&app, ADA).await;
    let mut b = app.browser();
    let before = codes_sent(&app, ADA);
    b.sign_in(ADA, PASSWORD).await;
    let code = next_code(&app, ADA, before).await;
    b.post("/login/verify", &[("code", &code)]).await;
    set_up(&app, &mut b).await;
    // Removing the app with an emailed code uses that code up ...
    let before = codes_sent(&app, ADA);
    b.post("/account/authenticator/remove/send", &[]).await;
    let code = next_code(&app, ADA, before).await;
    let removed = b.post("/account/authenticator/remove", &[("password", PASSWORD), ("code", &code)]).await;
    assert_eq!(removed.path, "/account/security?notice=authenticator-removed", "{}", removed.body);
    // ... and a new one can be sent at once: a used code does not count towards the cooldown.
    let page = b.get("/account/two-factor/disable").await;
    page.assert_has("Send verification code");
    assert!(!page.has("We sent a verification code"), "no code that works was sent: {}", page.body);
    let sent = b.post("/account/two-factor/disable/send", &[]).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    sent.assert_has("We sent a verification code");
    let code = next_code(&app, ADA, before + 1).await;
    let off = b.post("/account/two-factor/disable", &[("password", PASSWORD), ("code", &code)]).await;
    assert_eq!(off.path, "/account/security?notice=two-factor-off");
}

async fn hourly_cap_says_so_and_sends_nothing(backend: Backend) {
    let app = TestApp::spawn_with(backend, |a| a.codes_per_hour = Some(3)).await;
    member_with_two_factor(&app, ADA).await; // code 1 (turning 2FA on)
    for _ in 0..2 {
        let before = codes_sent(&app, ADA);
        let mut b = app.browser();
        b.sign_in(ADA, PASSWORD).await.assert_has("We sent a verification code");
        next_code(&app, ADA, before).await; // codes 2 and 3
    }
    let before = codes_sent(&app, ADA);
    let mut b = app.browser();
    let page = b.sign_in(ADA, PASSWORD).await;
    assert_eq!(page.path, "/login/verify");
    page.assert_has("No code was sent: this account has been sent as many codes as it can get in an hour.");
    assert!(!page.has("We sent a verification code"), "{}", page.body);
    assert_eq!(countdowns(&page.body), 1, "{}", page.body);
    let again = b.post("/login/verify/resend", &[]).await;
    assert_eq!(again.status, 429);
    again.assert_has("No code was sent");
    assert_eq!(countdowns(&again.body), 1, "{}", again.body);
    let typed = b.post("/login/verify", &[("code", "123456")]).await;
    assert_eq!(typed.status, 429);
    typed.assert_has("No code was sent: this account has been sent as many codes as it can get in an hour.");
    assert_eq!(countdowns(&typed.body), 1, "{}", typed.body);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(codes_sent(&app, ADA), before, "nothing was sent");
    // The Recovery Key still works while the cap holds.
    b.get("/login/recovery").await.assert_has("Recovery Key");
}

/// When the cap is reached by "Resend code", the code already sent for this sign-in keeps
/// working, and the page goes on saying so.
async fn a_capped_resend_keeps_the_code_that_works(backend: Backend) {
    let app = TestApp::spawn_with(backend, |a| a.codes_per_hour = Some(3)).await;
    member_with_two_factor(&app, ADA).await; // code 1
    let mut b = app.browser();
    let before = codes_sent(&app, ADA);
    b.sign_in(ADA, PASSWORD).await; // code 2
    next_code(&app, ADA, before).await;
    app.state.clock.advance(31);
    b.post("/login/verify/resend", &[]).await; // code 3, the last this hour
    let code = next_code(&app, ADA, before + 1).await;
    app.state.clock.advance(31);
    let capped = b.post("/login/verify/resend", &[]).await;
    assert_eq!(capped.status, 429);
    capped.assert_has("No code was sent: this account has been sent as many codes as it can get in an hour.");
    capped.assert_has("We sent a verification code");
    // A double "Send a code to my email instead" on the email step sends nothing either.
    b.post("/login/verify/switch", &[("method", "email")]).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(codes_sent(&app, ADA), before + 2);
    assert_eq!(b.post("/login/verify", &[("code", &code)]).await.path, "/account");
}

mod a_capped_resend_keeps_the_code_that_works {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        super::a_capped_resend_keeps_the_code_that_works(crate::common::Backend::Sqlite).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        super::a_capped_resend_keeps_the_code_that_works(crate::common::Backend::Postgres).await
    }
}

mod the_hourly_cap_says_so_and_sends_nothing {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        super::hourly_cap_says_so_and_sends_nothing(crate::common::Backend::Sqlite).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        super::hourly_cap_says_so_and_sends_nothing(crate::common::Backend::Postgres).await
    }
}
