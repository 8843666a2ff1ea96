//! Guessing limits under bursts: 50 guesses at one account released together on kept-alive
//! connections, on SQLite and on two processes sharing PostgreSQL. Counted from the audit log:
//! exactly the limit is compared, a right guess lands only while under the limit (never after
//! the lock), and the losers of a legitimate double submit are not counted as failures.

use crate::common::burst::{burst, count, first, forms, Apps};
use crate::common::{authenticator, two_factor, Browser, PASSWORD};
use latchkey::config::SettingsArgs;

const ADA: &str = "ada@acme.example";
const BURST: usize = 50;

macro_rules! on_sqlite_and_two_postgres_processes {
    ([$settings:ident] $($name:ident),* $(,)?) => {
        $(
            mod $name {
                use crate::common::{burst::Apps, Backend};
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_sqlite() {
                    super::$name(Apps::start(Backend::Sqlite, super::$settings).await).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_two_postgres_processes() {
                    super::$name(Apps::start(Backend::Postgres, super::$settings).await).await
                }
            }
        )*
    };
}

on_sqlite_and_two_postgres_processes!(
    [settings]
    fifty_wrong_passwords_at_once_compare_exactly_the_limit,
    a_right_password_in_a_burst_lands_only_under_the_limit,
    fifty_wrong_app_codes_at_once_compare_exactly_the_limit,
    a_right_app_code_in_a_burst_lands_only_under_the_limit,
    fifty_wrong_emailed_codes_at_once_compare_exactly_the_limit,
    fifty_wrong_recovery_keys_at_once_compare_exactly_the_limit,
    the_losers_of_a_double_submitted_app_code_or_recovery_key_are_not_failures,
);
on_sqlite_and_two_postgres_processes!(
    [generous_account_limit]
    a_right_emailed_code_refused_after_its_tries_ran_out_gets_the_answer_any_guess_gets,
);

/// Room for a whole burst of sign-ins to wait for the hashing threads (the bound under test
/// is the guessing limit, not the overload one).
fn settings(a: &mut SettingsArgs) {
    a.hash_queue = Some(4 * BURST);
}

/// The account's second-step limit well above a code's own 5 tries, so that the code's tries
/// are what runs out.
fn generous_account_limit(a: &mut SettingsArgs) {
    settings(a);
    a.second_factor_failures_per_account = Some(100);
    a.second_factor_failures_per_address = Some(1000);
}

/// A browser on app `url` that has loaded `page` (its connection is open, it holds the form
/// token), carrying the pending sign-in `pending` if given.
async fn tab(url: &str, pending: Option<&str>, page: &str) -> Browser {
    let mut b = Browser::new(url);
    b.get("/login").await;
    if let Some(p) = pending {
        b.set_cookie("latchkey_pending", p);
    }
    b.get(page).await;
    b
}

async fn open_tabs(apps: &Apps, n: usize, pending: Option<&str>, page: &str) -> Vec<Browser> {
    let mut all = Vec::new();
    for i in 0..n {
        all.push(tab(apps.url(i), pending, page).await);
    }
    all
}

/// Distinct 6-digit codes, none of them in `right`.
fn wrong_codes(n: usize, right: &[String]) -> Vec<String> {
    (100_000..).map(|c: u32| c.to_string()).filter(|c| !right.contains(c)).take(n).collect()
}

/// The password's second step, started through the first app; the pending sign-in's cookie.
async fn pending_sign_in(apps: &Apps) -> String {
    let mut b = apps.first().browser();
    assert_eq!(b.sign_in(ADA, PASSWORD).await.path, "/login/verify");
    b.cookie_at("latchkey_pending", "/login/verify").unwrap()
}

/// A member with an authenticator app; its secret and the Recovery Key.
async fn member_with_app(apps: &Apps) -> (i64, String, String) {
    let app = apps.first();
    let id = app.with_member(ADA, true).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let (secret, key) = authenticator::set_up(app, &mut b).await;
    b.post("/logout", &[]).await;
    apps.advance(30);
    (id, secret, key.expect("the set-up turned two-factor authentication on"))
}

/// Every code the app would accept now or call skewed (steps -10..=10).
fn nearby_codes(apps: &Apps, secret: &str) -> Vec<String> {
    (-10..=10).map(|o| authenticator::code_at(apps.first(), secret, o)).collect()
}

async fn fifty_wrong_passwords_at_once_compare_exactly_the_limit(apps: Apps) {
    let id = apps.first().with_member(ADA, true).await;
    let tabs = open_tabs(&apps, BURST, None, "/login").await;
    let wrong: Vec<String> = (0..BURST).map(|i| format!("wrong password {i}")).collect();
    let pages = burst(tabs, "/login", forms("password", &wrong, None, &[("email", ADA)])).await;
    let events = apps.events(id).await;
    let compared = count(&events, "sign_in_failed", Some("wrong password"));
    let refused = pages.iter().filter(|p| p.status == 429).count();
    println!("passwords: {BURST} wrong at once, {compared} compared, {refused} refused with 429");
    assert_eq!(compared, 10, "the account allows 10 failures");
    assert_eq!(count(&events, "sign_in_locked", None), 1);
    assert_eq!(refused, BURST - 9, "the 10th failure locks; the rest are refused");
    assert!(pages.iter().all(|p| p.status == 400 || p.status == 429));
    let mut b = Browser::new(apps.url(1));
    assert_eq!(b.sign_in(ADA, PASSWORD).await.status, 429, "the right password is refused while locked");
}

async fn a_right_password_in_a_burst_lands_only_under_the_limit(apps: Apps) {
    let id = apps.first().with_member(ADA, true).await;
    // Nine wrong, one after the other: one failure is left before the lock.
    for i in 0..9 {
        assert_eq!(Browser::new(apps.url(i)).sign_in(ADA, "wrong password").await.status, 400);
    }
    let tabs = open_tabs(&apps, 6, None, "/login").await;
    let wrong: Vec<String> = (0..6).map(|i| format!("wrong password {i}")).collect();
    let pages = burst(tabs, "/login", forms("password", &wrong, Some((PASSWORD, 3)), &[("email", ADA)])).await;
    let events = apps.events(id).await;
    let compared = count(&events, "sign_in_failed", Some("wrong password"));
    let signed_in = pages.iter().filter(|p| p.path == "/account").count();
    println!("passwords: 9 wrong, then 6 at once with the right one: {compared} wrong compared, {signed_in} signed in");
    match first(&events, "sign_in") {
        Some(at) => {
            // The right one took the last attempt. Its success forgets the account's failures,
            // so a wrong one of the same burst that comes later is compared against a fresh
            // allowance: count only what came before the success.
            let before = count(&events[..at], "sign_in_failed", Some("wrong password"));
            assert_eq!((before, signed_in), (9, 1), "the last attempt was the right one");
            assert!(first(&events, "sign_in_locked").is_none_or(|lock| lock > at), "no success after the lock");
        }
        None => {
            assert_eq!((compared, signed_in), (10, 0), "the last attempt was a wrong one, and it locked");
            assert_eq!(count(&events, "sign_in_locked", None), 1);
        }
    }
    // Locked now or not, a burst after ten failures never signs in with the lock in place.
    for i in 0..10 {
        Browser::new(apps.url(i)).sign_in(ADA, "wrong password").await;
    }
    let tabs = open_tabs(&apps, 10, None, "/login").await;
    let right = vec![PASSWORD.to_string(); 10];
    let pages = burst(tabs, "/login", forms("password", &right, None, &[("email", ADA)])).await;
    assert!(pages.iter().all(|p| p.status == 429), "a right password after the lock is refused");
}

async fn fifty_wrong_app_codes_at_once_compare_exactly_the_limit(apps: Apps) {
    let (id, secret, _) = member_with_app(&apps).await;
    let pending = pending_sign_in(&apps).await;
    let tabs = open_tabs(&apps, BURST, Some(&pending), "/login/verify").await;
    let wrong = wrong_codes(BURST, &nearby_codes(&apps, &secret));
    let pages = burst(tabs, "/login/verify", forms("code", &wrong, None, &[("method", "app")])).await;
    let events = apps.events(id).await;
    let compared = count(&events, "authenticator_code_wrong", None);
    println!("app codes: {BURST} wrong at once, {compared} compared");
    assert_eq!(compared, 5, "the second step allows 5 failures");
    assert_eq!(count(&events, "second_factor_locked", None), 1);
    assert_eq!(pages.iter().filter(|p| p.status == 429).count(), BURST - 4);
    let mut b = tab(apps.url(1), Some(&pending), "/login/verify").await;
    let code = authenticator::code_at(apps.first(), &secret, 0);
    assert_eq!(b.post("/login/verify", &[("code", &code), ("method", "app")]).await.status, 429);
}

async fn a_right_app_code_in_a_burst_lands_only_under_the_limit(apps: Apps) {
    let (id, secret, _) = member_with_app(&apps).await;
    let pending = pending_sign_in(&apps).await;
    let tabs = open_tabs(&apps, BURST, Some(&pending), "/login/verify").await;
    let wrong = wrong_codes(BURST, &nearby_codes(&apps, &secret));
    let right = authenticator::code_at(apps.first(), &secret, 0);
    let pages = burst(tabs, "/login/verify", forms("code", &wrong, Some((&right, 0)), &[("method", "app")])).await;
    let events = apps.events(id).await;
    let signed_in = pages.iter().filter(|p| p.path == "/account").count();
    match first(&events, "authenticator_code_accepted") {
        Some(at) => {
            let before = events[..at].iter().filter(|(k, _)| k == "authenticator_code_wrong").count();
            println!("app codes: the right one among {BURST} landed after {before} wrong ones");
            assert!(before < 5, "a success only while under the limit");
            assert!(first(&events, "second_factor_locked").is_none_or(|lock| lock > at));
            assert_eq!(signed_in, 1);
        }
        None => {
            println!("app codes: the right one among {BURST} came after the lock");
            assert_eq!(count(&events, "authenticator_code_wrong", None), 5);
            assert_eq!(signed_in, 0);
        }
    }
    // Five wrong codes lock the second step; then a burst of right codes is refused.
    apps.advance(30);
    let pending = pending_sign_in(&apps).await;
    let mut b = tab(apps.url(0), Some(&pending), "/login/verify").await;
    for w in wrong.iter().take(5) {
        b.post("/login/verify", &[("code", w), ("method", "app")]).await;
    }
    let tabs = open_tabs(&apps, 10, Some(&pending), "/login/verify").await;
    let right = vec![authenticator::code_at(apps.first(), &secret, 0); 10];
    let pages = burst(tabs, "/login/verify", forms("code", &right, None, &[("method", "app")])).await;
    assert!(pages.iter().all(|p| p.status == 429), "a right code after the lock is refused");
}

/// A member with two-factor authentication by email, at the second step; the pending sign-in
/// and the code it mailed.
async fn member_with_email_codes(apps: &Apps) -> (i64, String, String) {
    let app = apps.first();
    let id = app.with_member(ADA, true).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    b.get("/account/two-factor/enable").await;
    b.post("/account/two-factor/enable/send", &[]).await;
    let enable = apps.codes(ADA, 1).await.remove(0);
    let page = b.post("/account/two-factor/enable/confirm", &[("code", &enable)]).await;
    let key = two_factor::shown_key(&page.body);
    b.post("/account/recovery-key/saved", &[("key", &key), ("saved", "yes")]).await;
    b.post("/logout", &[]).await;
    let pending = pending_sign_in(apps).await;
    let code = apps.codes(ADA, 2).await.into_iter().find(|c| *c != enable).unwrap_or(enable);
    (id, pending, code)
}

async fn fifty_wrong_emailed_codes_at_once_compare_exactly_the_limit(apps: Apps) {
    let (id, pending, code) = member_with_email_codes(&apps).await;
    let tabs = open_tabs(&apps, BURST, Some(&pending), "/login/verify").await;
    let wrong = wrong_codes(BURST, std::slice::from_ref(&code));
    let pages = burst(tabs, "/login/verify", forms("code", &wrong, None, &[("method", "email")])).await;
    let events = apps.events(id).await;
    let compared = count(&events, "email_code_wrong", Some("signin"));
    println!("emailed codes: {BURST} wrong at once, {compared} compared");
    assert_eq!(compared, 5);
    assert!(pages.iter().all(|p| !p.has("This code was already used")));
    // The right code now gets the same answer as any other guess would.
    let mut b = tab(apps.url(1), Some(&pending), "/login/verify").await;
    let right = b.post("/login/verify", &[("code", &code), ("method", "email")]).await;
    let mut c = tab(apps.url(0), Some(&pending), "/login/verify").await;
    let other = c.post("/login/verify", &[("code", &wrong[0]), ("method", "email")]).await;
    assert_eq!((right.status, other.status), (429, 429));
    assert_eq!(count(&apps.events(id).await, "email_code_wrong", None), 5, "nothing more was compared");
}

async fn fifty_wrong_recovery_keys_at_once_compare_exactly_the_limit(apps: Apps) {
    let (id, pending, _) = member_with_email_codes(&apps).await;
    let tabs = open_tabs(&apps, BURST, Some(&pending), "/login/recovery").await;
    let wrong: Vec<String> = (0..BURST).map(|i| format!("{:0>28}", i.to_string())).collect();
    let pages = burst(tabs, "/login/recovery", forms("recovery_key", &wrong, None, &[])).await;
    let events = apps.events(id).await;
    let compared = count(&events, "recovery_key_wrong", None);
    println!("Recovery Keys: {BURST} wrong at once, {compared} compared");
    assert_eq!(compared, 5);
    assert_eq!(count(&events, "second_factor_locked", None), 1);
    assert_eq!(pages.iter().filter(|p| p.status == 429).count(), BURST - 4);
}

async fn the_losers_of_a_double_submitted_app_code_or_recovery_key_are_not_failures(apps: Apps) {
    let (id, secret, key) = member_with_app(&apps).await;
    // Twenty clicks on "Continue" with the one right code, in one sign-in.
    let pending = pending_sign_in(&apps).await;
    let tabs = open_tabs(&apps, 20, Some(&pending), "/login/verify").await;
    let code = vec![authenticator::code_at(apps.first(), &secret, 0); 20];
    let pages = burst(tabs, "/login/verify", forms("code", &code, None, &[("method", "app")])).await;
    assert_eq!(pages.iter().filter(|p| p.path == "/account").count(), 1);
    assert!(pages.iter().all(|p| p.status != 429), "no loser is locked out");
    // The same with the Recovery Key (the app set-up created it).
    let pending = pending_sign_in(&apps).await;
    let tabs = open_tabs(&apps, 20, Some(&pending), "/login/recovery").await;
    let pages = burst(tabs, "/login/recovery", forms("recovery_key", &vec![key; 20], None, &[])).await;
    assert_eq!(pages.iter().filter(|p| p.has("Here is your new one.")).count(), 1);
    assert!(pages.iter().all(|p| p.status != 429), "no loser is locked out");
    let events = apps.events(id).await;
    let failures = ["authenticator_code_wrong", "recovery_key_wrong", "second_factor_locked"];
    assert_eq!(failures.iter().map(|k| count(&events, k, None)).sum::<usize>(), 0, "{events:?}");
}

async fn a_right_emailed_code_refused_after_its_tries_ran_out_gets_the_answer_any_guess_gets(apps: Apps) {
    let (id, pending, code) = member_with_email_codes(&apps).await;
    let tabs = open_tabs(&apps, BURST, Some(&pending), "/login/verify").await;
    let wrong = wrong_codes(BURST, std::slice::from_ref(&code));
    let pages =
        burst(tabs, "/login/verify", forms("code", &wrong, Some((&code, BURST / 2)), &[("method", "email")])).await;
    let events = apps.events(id).await;
    let compared = count(&events, "email_code_wrong", Some("signin"));
    let signed_in = pages.iter().filter(|p| p.path == "/account").count();
    println!("emailed code: the right one among {BURST}: {compared} wrong compared, {signed_in} signed in");
    assert!(compared <= 5, "a code allows 5 tries");
    assert_eq!(signed_in, count(&events, "email_code_accepted", Some("signin")));
    // The signed-in one, and those that came after it with the sign-in ended ("Log in" again).
    for p in pages.iter().filter(|p| p.path != "/account" && !p.path.starts_with("/login?")) {
        assert_eq!(p.status, 400);
        // "already used" only once the right code has signed in: nothing left to guess then.
        let after_success = signed_in == 1 && p.has("This code was already used.");
        assert!(
            p.has("The code is not correct.") || p.has("This code had too many wrong tries.") || after_success,
            "a refused guess says nothing of whether it was right: {}",
            p.body
        );
    }
}
