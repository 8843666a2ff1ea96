//! "One admin always remains", when two admins act on each other at the same moment (on two
//! processes sharing PostgreSQL, and on SQLite), and the operator's way back from the command
//! line when no admin can act.

use std::sync::Arc;

use tokio::sync::Barrier;

use crate::common::burst::Apps;
use crate::common::process::{env, run, stderr, stdout};
use crate::common::{Backend, Browser, TestApp, PASSWORD};

const ANN: &str = "ann@acme.example";
const BOB: &str = "bob@acme.example";
const TRIALS: usize = 5;

async fn active_admins(app: &TestApp) -> usize {
    app.texts("SELECT email FROM users WHERE role = 'admin' AND disabled_at IS NULL").await.len()
}

/// Ann on the first app and Bob on the last, each signed in with the form for acting on the
/// other loaded.
async fn both_signed_in(apps: &Apps, ids: (i64, i64)) -> (Browser, Browser) {
    let mut ann = Browser::new(apps.url(0));
    let mut bob = Browser::new(apps.url(1));
    assert_eq!(ann.sign_in(ANN, PASSWORD).await.path, "/account");
    assert_eq!(bob.sign_in(BOB, PASSWORD).await.path, "/account");
    ann.get(&format!("/org/members/{}", ids.1)).await;
    bob.get(&format!("/org/members/{}", ids.0)).await;
    (ann, bob)
}

/// Ann and Bob post `fields` to `/org/members/OTHER/what` at the same moment.
/// Each answer as (status, path after redirects).
async fn at_once(
    ann: Browser,
    bob: Browser,
    ids: (i64, i64),
    what: &str,
    fields: [(&str, &str); 1],
) -> ((u16, String), (u16, String)) {
    let gate = Arc::new(Barrier::new(2));
    let go = |mut b: Browser, other: i64| {
        let (gate, path, fields) =
            (gate.clone(), format!("/org/members/{other}/{what}"), fields.map(|(k, v)| (k.to_string(), v.to_string())));
        tokio::spawn(async move {
            let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            gate.wait().await;
            let page = b.post(&path, &form).await;
            (page.status, page.path)
        })
    };
    let (a, b) = (go(ann, ids.1), go(bob, ids.0));
    (a.await.unwrap(), b.await.unwrap())
}

/// One answer is the change done (200 on the member's page); the other is refused: told it
/// would leave no admin (400), no longer an admin (404), or signed out by the winner's change
/// (back at "Log in").
#[track_caller]
fn assert_one_won(answers: &((u16, String), (u16, String))) {
    let won = |(status, path): &(u16, String)| *status == 200 && path.starts_with("/org/members/");
    let lost = |(status, path): &(u16, String)| matches!(status, 400 | 404) || path == "/login";
    let (a, b) = answers;
    assert!((won(a) && lost(b)) || (lost(a) && won(b)), "{answers:?}");
}

async fn two_admins(apps: &Apps) -> (i64, i64) {
    let app = apps.first();
    app.create_org("Acme Support", "acme.example").await;
    (app.create_admin(ANN).await, app.create_admin(BOB).await)
}

async fn two_admins_removing_each_other_at_once_leave_one(apps: Apps) {
    let ids = two_admins(&apps).await;
    let app = apps.first();
    for trial in 0..TRIALS {
        let (ann, bob) = both_signed_in(&apps, ids).await;
        let statuses = at_once(ann, bob, ids, "role", [("admin", "no")]).await;
        let left = active_admins(app).await;
        println!("remove admin, trial {trial}: answers {statuses:?}, {left} active admin(s) left");
        assert_eq!(left, 1, "exactly one of the two changes goes through");
        assert_one_won(&statuses);
        app.exec("UPDATE users SET role = 'admin'").await;
    }
}

async fn two_admins_disabling_each_other_at_once_leave_one(apps: Apps) {
    let ids = two_admins(&apps).await;
    let app = apps.first();
    for trial in 0..TRIALS {
        let (ann, bob) = both_signed_in(&apps, ids).await;
        let statuses = at_once(ann, bob, ids, "status", [("disabled", "yes")]).await;
        let left = active_admins(app).await;
        println!("disable, trial {trial}: answers {statuses:?}, {left} active admin(s) left");
        assert_eq!(left, 1, "exactly one of the two changes goes through");
        assert_one_won(&statuses);
        app.exec("UPDATE users SET disabled_at = NULL").await;
    }
}

mod two_admins_removing_each_other_at_once_leave_one {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        super::two_admins_removing_each_other_at_once_leave_one(super::apps(super::Backend::Sqlite).await).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_two_postgres_processes() {
        super::two_admins_removing_each_other_at_once_leave_one(super::apps(super::Backend::Postgres).await).await
    }
}

mod two_admins_disabling_each_other_at_once_leave_one {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        super::two_admins_disabling_each_other_at_once_leave_one(super::apps(super::Backend::Sqlite).await).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_two_postgres_processes() {
        super::two_admins_disabling_each_other_at_once_leave_one(super::apps(super::Backend::Postgres).await).await
    }
}

async fn apps(backend: Backend) -> Apps {
    Apps::start(backend, |_| {}).await
}

#[test]
fn the_command_line_makes_an_admin_and_enables_an_account_and_keeps_the_last_admin() {
    let dir = tempfile::tempdir().unwrap();
    let env = env(dir.path(), None, None);
    let ok = |args: &[&str], stdin: Option<&str>| {
        let o = run(&env, args, stdin);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        stdout(&o).trim().to_string()
    };
    ok(&["org", "create", "--name", "Acme Support", "--domain", "acme.example"], None);
    let pw = format!("{PASSWORD}\n");
    ok(&["user", "create", "--email", ANN, "--admin", "--password-stdin"], Some(&pw));
    ok(&["user", "create", "--email", BOB, "--password-stdin"], Some(&pw));

    let refused = run(&env, &["user", "set-role", ANN, "--member"], None);
    assert!(!refused.status.success());
    assert_eq!(
        stderr(&refused).trim(),
        "latchkey: ann@acme.example is the organization's last active admin: make someone else admin first."
    );
    assert_eq!(ok(&["user", "set-role", BOB, "--admin"], None), "bob@acme.example is now an admin.");
    assert_eq!(ok(&["user", "set-role", ANN, "--member"], None), "ann@acme.example is now a member.");
    assert_eq!(ok(&["user", "set-role", ANN, "--member"], None), "ann@acme.example is already a member.");
    let neither = run(&env, &["user", "set-role", ANN], None);
    assert!(!neither.status.success() && stderr(&neither).contains("--admin"), "{}", stderr(&neither));
    let unknown = run(&env, &["user", "enable", "eve@acme.example"], None);
    assert_eq!(stderr(&unknown).trim(), "latchkey: There is no account with the email eve@acme.example.");
    assert_eq!(ok(&["user", "enable", BOB], None), "bob@acme.example is not disabled.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_disabled_on_the_web_is_enabled_again_from_the_command_line() {
    let apps = apps(Backend::Sqlite).await;
    let ids = two_admins(&apps).await;
    let (mut ann, _) = both_signed_in(&apps, ids).await;
    ann.post(&format!("/org/members/{}/status", ids.1), &[("disabled", "yes")]).await.assert_has("Disabled");
    assert_eq!(Browser::new(apps.url(0)).sign_in(BOB, PASSWORD).await.status, 400);
    let env = env(&apps.first().state.settings.data_dir, None, None);
    let o = run(&env, &["user", "enable", BOB], None);
    assert_eq!(stdout(&o).trim(), "bob@acme.example is enabled and can sign in again.", "{}", stderr(&o));
    assert_eq!(Browser::new(apps.url(0)).sign_in(BOB, PASSWORD).await.path, "/account");
    let kinds = apps.first().audit_kinds(ids.1).await;
    assert_eq!(kinds.iter().filter(|k| *k == "member_enabled").count(), 1, "{kinds:?}");
}
