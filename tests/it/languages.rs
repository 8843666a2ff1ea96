//! English and Bahasa Indonesia, and local time: which language a page is in (the member's
//! choice, the organization's default, the browser's, English), the sign-in page's switcher,
//! emails in the recipient's language, and times in the reader's zone.

use crate::common::authenticator::{decode_qr, oath_code, parse_uri};
use crate::common::browser::{csrf_of, Browser};
use crate::common::two_factor::shown_key;
use crate::common::{TestApp, PASSWORD};
use crate::on_both_backends;

const ADA: &str = "ada@acme.example";
/// Subjects of the Indonesian emails (locales/id/mail.ftl).
const SUBJECT_CODE_ID: &str = "Kode verifikasi Anda";
const SUBJECT_TFA_ON_ID: &str = "Autentikasi dua faktor aktif";

on_both_backends!(
    a_member_of_an_indonesian_organization_turns_on_two_factor_and_signs_in_with_an_app_in_bahasa_indonesia,
    the_browsers_language_chooses_the_sign_in_pages_language_and_the_switcher_overrides_it,
    a_members_own_choice_overrides_the_organizations_default_in_pages_and_emails,
    an_admin_sets_the_organizations_language_and_time_zone,
    a_language_or_time_zone_that_does_not_exist_is_refused_with_a_message,
    the_audit_export_keeps_utc_and_adds_the_local_time,
    the_first_run_set_up_is_in_the_browsers_language_and_sets_the_organizations_defaults,
    a_member_held_at_the_two_factor_set_up_can_change_their_language,
);

/// Acme Support, whose members read Bahasa Indonesia in Jakarta's time, and Ada in it.
async fn indonesian_org(app: &TestApp) {
    app.create_org_localized("Acme Support", "acme.example", Some("id"), "Asia/Jakarta").await;
    app.create_user(ADA, Some(PASSWORD), true).await;
}

fn lang_of(body: &str) -> &str {
    let at = body.find("<html lang=\"").expect("an html element with lang") + 12;
    &body[at..at + body[at..].find('"').unwrap()]
}

async fn a_member_of_an_indonesian_organization_turns_on_two_factor_and_signs_in_with_an_app_in_bahasa_indonesia(
    app: TestApp,
) {
    indonesian_org(&app).await;
    let mut b = app.browser();
    let home = b.sign_in(ADA, PASSWORD).await;
    assert_eq!(lang_of(&home.body), "id", "{}", home.body);
    assert_eq!(home.header("content-language").as_deref(), Some("id"));
    home.assert_has("Kelola Akun");

    let security = b.get("/account/security").await;
    security.assert_has("Keamanan dan Kredensial");
    security.assert_has("Aktifkan Autentikasi Dua Faktor");
    assert!(security.has(" WIB, "), "the session's times are in WIB: {}", security.body);
    assert!(!security.has("Enable Two-Factor Authentication"));

    // Email 2FA: the code arrives in Indonesian.
    b.get("/account/two-factor/enable").await.assert_has("Kirim kode verifikasi");
    b.post("/account/two-factor/enable/send", &[]).await.assert_has("Kode Verifikasi");
    let mail = app.sink.wait_for(ADA, SUBJECT_CODE_ID).await;
    assert!(mail.text.contains("Jangan berikan kode ini"), "{}", mail.text);
    let shown = b.post("/account/two-factor/enable/confirm", &[("code", &mail.code())]).await;
    shown.assert_has("Kunci Pemulihan");
    shown.assert_has("Unduh");
    let key = shown_key(&shown.body);

    // The Recovery Key file is in Indonesian, with its time in WIB.
    let client = reqwest::Client::builder().cookie_provider(b.jar.clone()).build().unwrap();
    let csrf = csrf_of(&shown.body).unwrap();
    let file = client
        .post(format!("{}/account/recovery-key/download", app.url))
        .form(&[("key", key.as_str()), ("csrf", &csrf)])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(file.contains(&key) && file.contains("Kunci Pemulihan") && file.contains(" WIB, "), "{file}");
    b.post("/account/recovery-key/saved", &[("key", &key), ("saved", "yes")]).await;

    let on = app.sink.wait_for(ADA, SUBJECT_TFA_ON_ID).await;
    assert!(on.text.contains(" WIB, ") && on.html.contains(" WIB, "), "{}", on.text);
    assert!(on.html.contains("lang=\"id\""), "{}", on.html);

    // The authenticator app, from the QR code, with a code from oathtool.
    let confirm = b.post("/account/authenticator/setup", &[]).await;
    confirm.assert_has("Kata Sandi");
    let code = crate::common::two_factor::codes_sent(&app, ADA);
    assert_eq!(code, 0, "the English subject is never used for Ada");
    let before = app.sink.find(ADA, SUBJECT_CODE_ID).len();
    b.post("/account/authenticator/setup/send", &[]).await;
    let code = app.sink.wait_for_nth(ADA, SUBJECT_CODE_ID, before + 1).await.code();
    let setup = b.post("/account/authenticator/setup", &[("password", PASSWORD), ("code", &code)]).await;
    setup.assert_has("Kode Verifikasi");
    let (_, _, png) = b.get_bytes("/account/authenticator/qr.png").await;
    let uri = parse_uri(&decode_qr(&png));
    let done =
        b.post("/account/authenticator/verify", &[("code", &oath_code(&uri.secret, app.state.clock.now()))]).await;
    done.assert_has("Aplikasi autentikator berhasil disiapkan.");
    assert_eq!(lang_of(&done.body), "id");

    // Log out, and in with the app: the second step speaks Indonesian too.
    b.post("/logout", &[]).await;
    let step = b.sign_in(ADA, PASSWORD).await;
    assert_eq!(step.path, "/login/verify", "{}", step.body);
    assert_eq!(lang_of(&step.body), "id", "{}", step.body);
    step.assert_has("Lanjutkan");
    app.state.clock.advance(30);
    let signed_in = b.post("/login/verify", &[("code", &oath_code(&uri.secret, app.state.clock.now()))]).await;
    assert_eq!(signed_in.path, "/account", "{}", signed_in.body);
    signed_in.assert_has("Kelola Akun");
}

async fn the_browsers_language_chooses_the_sign_in_pages_language_and_the_switcher_overrides_it(app: TestApp) {
    let mut english = app.browser();
    let page = english.get("/login").await;
    assert_eq!(lang_of(&page.body), "en");
    page.assert_has("Log in");

    let mut indonesian = Browser::with_header(&app.url, Some(("accept-language", "id-ID,id;q=0.9,en;q=0.8")));
    let page = indonesian.get("/login").await;
    assert_eq!(lang_of(&page.body), "id");
    page.assert_has("Masuk");
    page.assert_has("Lupa kata sandi?");
    assert!(!page.has(">Log in<"));

    // The switcher: English chosen in an Indonesian browser, kept in a cookie.
    let switched = indonesian.post("/language", &[("lang", "en")]).await;
    assert_eq!(switched.path, "/login");
    assert_eq!(lang_of(&switched.body), "en");
    assert_eq!(indonesian.cookie("latchkey_lang").as_deref(), Some("en"));
    assert_eq!(lang_of(&indonesian.get("/forgot-password").await.body), "en");

    // It goes back to "Log in" only, keeping where the sign-in was going.
    let elsewhere = english.post("/language", &[("lang", "id"), ("back", "//evil.example/")]).await;
    assert_eq!(elsewhere.path, "/login");
    assert_eq!(lang_of(&elsewhere.body), "id");
    let onward = english.post("/language", &[("lang", "en"), ("continue", "sealed+value")]).await;
    assert_eq!(onward.path, "/login?continue=sealed%2Bvalue");

    // The script's texts come in the page's language, as a static file without cookies.
    let (status, kind, js) = english.get_bytes("/static/messages/id.js").await;
    assert_eq!((status, kind.as_deref()), (200, Some("text/javascript; charset=utf-8")));
    let js = String::from_utf8(js).unwrap();
    assert!(js.starts_with("window.latchkeyMessages = {") && js.contains("detik"), "{js}");
    assert_eq!(english.get_bytes("/static/messages/fr.js").await.0, 404);
}

async fn a_members_own_choice_overrides_the_organizations_default_in_pages_and_emails(app: TestApp) {
    indonesian_org(&app).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let profile = b.get("/account").await;
    profile.assert_has("Bawaan organisasi Anda (Bahasa Indonesia)");
    let saved = b.post("/account/profile/locale", &[("language", "en"), ("time_zone", "Asia/Makassar")]).await;
    assert_eq!(saved.path, "/account?notice=locale-saved");
    assert_eq!(lang_of(&saved.body), "en");
    saved.assert_has("Your language and time zone are saved.");
    saved.assert_has("Manage Account");
    assert_eq!(b.cookie("latchkey_lang").as_deref(), Some("en"), "the browser keeps it for \"Log in\"");
    assert!(b.get("/account/security").await.has(" WITA, "), "times in Makassar's zone");

    // Emails follow the member's own language too.
    b.get("/account/two-factor/enable").await;
    b.post("/account/two-factor/enable/send", &[]).await;
    let mail = app.sink.wait_for(ADA, "Your verification code").await;
    assert!(mail.text.contains("Never give it to anyone"), "{}", mail.text);

    // Back to the organization's default: the browser's own choice is forgotten too.
    let back = b.post("/account/profile/locale", &[("language", ""), ("time_zone", "")]).await;
    assert_eq!(lang_of(&back.body), "id");
    assert_eq!(b.cookie("latchkey_lang"), None);
    assert!(b.get("/account/security").await.has(" WIB, "));
}

async fn an_admin_sets_the_organizations_language_and_time_zone(app: TestApp) {
    app.create_org("Acme Support", "acme.example").await;
    app.create_admin("boss@acme.example").await;
    app.create_user(ADA, Some(PASSWORD), true).await;
    let mut admin = app.browser();
    admin.sign_in("boss@acme.example", PASSWORD).await;
    let settings = admin.get("/org").await;
    settings.assert_has("Language and time zone");
    assert!(settings.has("<option selected>UTC</option>"), "new organizations of the CLI start in UTC");
    let saved = admin.post("/org/settings/locale", &[("language", "id"), ("time_zone", "Asia/Jakarta")]).await;
    assert_eq!(saved.path, "/org?notice=locale-saved");
    assert_eq!(lang_of(&saved.body), "id", "the admin has no language of their own");
    saved.assert_has("Bahasa dan zona waktu organisasi telah disimpan.");
    let recorded = app.texts("SELECT detail FROM audit_events WHERE kind = 'org_locale_changed'").await;
    assert_eq!(recorded, vec![Some("language=id time_zone=Asia/Jakarta".to_string())]);

    let mut member = app.browser();
    let home = member.sign_in(ADA, PASSWORD).await;
    assert_eq!(lang_of(&home.body), "id");
    assert!(member.get("/account/security").await.has(" WIB, "));

    // Only admins can change it.
    let refused = member.post("/org/settings/locale", &[("language", "en"), ("time_zone", "UTC")]).await;
    assert_eq!(refused.status, 404);
    assert_eq!(lang_of(&member.get("/account").await.body), "id");
}

async fn a_language_or_time_zone_that_does_not_exist_is_refused_with_a_message(app: TestApp) {
    app.with_member(ADA, true).await;
    let mut b = app.browser();
    b.sign_in(ADA, PASSWORD).await;
    let zone = b.post("/account/profile/locale", &[("language", "en"), ("time_zone", "Asia/Atlantis")]).await;
    assert_eq!(zone.status, 400);
    zone.assert_has("&#34;Asia/Atlantis&#34; is not a time zone.");
    let lang = b.post("/account/profile/locale", &[("language", "xx"), ("time_zone", "")]).await;
    assert_eq!(lang.status, 400);
    lang.assert_has("Choose one of the languages: en (English) or id (Bahasa Indonesia).");
    assert_eq!(app.texts("SELECT language FROM users").await, vec![None], "nothing was saved");
}

async fn the_audit_export_keeps_utc_and_adds_the_local_time(app: TestApp) {
    app.create_org_localized("Acme Support", "acme.example", Some("id"), "Asia/Jakarta").await;
    app.create_admin("boss@acme.example").await;
    let mut admin = app.browser();
    admin.sign_in("boss@acme.example", PASSWORD).await;
    let log = admin.get("/org/audit").await;
    assert!(log.has(" WIB, "), "{}", log.body);
    let (status, _, csv) = admin.get_bytes("/org/audit.csv").await;
    assert_eq!(status, 200);
    let csv = String::from_utf8(csv).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("time,local_time,event,member,client_address,browser,user_agent,detail"));
    let first = lines.next().expect("a row");
    let fields: Vec<&str> = first.split(',').collect();
    assert!(fields[0].starts_with('"') && fields[0].ends_with("Z\""), "UTC in ISO 8601: {first}");
    assert!(fields[1].ends_with("+07:00\""), "Jakarta's local time beside it: {first}");
}

async fn the_first_run_set_up_is_in_the_browsers_language_and_sets_the_organizations_defaults(app: TestApp) {
    let link = latchkey::service::setup::setup_link_if_needed(&app.state).await.unwrap().expect("a setup link");
    let path = link[link.find("/setup").unwrap()..].to_string();
    let mut b = Browser::with_header(&app.url, Some(("accept-language", "id")));
    let form = b.get(&path).await;
    assert_eq!(lang_of(&form.body), "id");
    form.assert_has("<option value=\"id\" lang=\"id\" selected>Bahasa Indonesia</option>");
    form.assert_has("<option selected>Asia/Jakarta</option>");
    let token = link.split("token=").nth(1).unwrap();
    let mut fields = vec![
        ("token", token),
        ("org_name", "Acme Support"),
        ("domain", "acme.example"),
        ("email", "boss@acme.example"),
        ("password", PASSWORD),
        ("confirm", PASSWORD),
        ("language", "id"),
        ("time_zone", "Asia/Atlantis"),
    ];
    let refused = b.post("/setup", &fields).await;
    assert_eq!(refused.status, 400);
    refused.assert_has("&#34;Asia/Atlantis&#34; bukan zona waktu.");
    fields[7].1 = "Asia/Jakarta";
    let done = b.post("/setup", &fields).await;
    assert_eq!(done.path, "/account/security");
    done.assert_has("Keamanan dan Kredensial");
    assert!(done.has(" WIB, "), "{}", done.body);
    assert_eq!(app.texts("SELECT language FROM organizations").await, vec![Some("id".to_string())]);
}

async fn a_member_held_at_the_two_factor_set_up_can_change_their_language(app: TestApp) {
    indonesian_org(&app).await;
    // The organization requires two-factor authentication from now on (no grace period).
    app.exec("UPDATE organizations SET require_2fa_since = 1, grace_days = 0").await;
    let mut b = app.browser();
    let held = b.sign_in(ADA, PASSWORD).await;
    assert_eq!(held.path, "/account/two-factor/required", "{}", held.body);
    assert_eq!(lang_of(&held.body), "id");
    let english = b.post("/account/profile/locale", &[("language", "en"), ("time_zone", "")]).await;
    assert!(english.path.starts_with("/account/two-factor/required"), "{}", english.path);
    assert_eq!(lang_of(&english.body), "en");
    english.assert_has("Set up two-factor authentication");
    assert_eq!(app.texts("SELECT language FROM users").await, vec![Some("en".to_string())]);
}
