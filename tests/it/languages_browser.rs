//! Bahasa Indonesia end to end in a real headless Chromium, and every page on a phone's
//! screen (390 CSS pixels wide) in both languages: nothing scrolls sideways.

use std::path::{Path, PathBuf};

use crate::common::authenticator::{decode_qr, oath_code, parse_uri};
use crate::common::webdriver::{Chrome, Options};
use crate::common::{Backend, TestApp, PASSWORD};

const ADA: &str = "ada@acme.example";

fn shot(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("screens").join(format!("{name}.png"))
}

/// The Recovery Key line of a downloaded Indonesian Recovery Key file.
fn key_in_file(file: &str) -> String {
    file.lines()
        .find_map(|l| l.strip_prefix("Kunci Pemulihan: "))
        .unwrap_or_else(|| panic!("no key in {file}"))
        .trim()
        .to_string()
}

async fn done_with_the_recovery_key(chrome: &Chrome) {
    chrome.click(&chrome.find("input[name=saved]").await).await;
    chrome.click(&chrome.find("form[action='/account/recovery-key/saved'] button[type=submit]").await).await;
    chrome.wait_for_path("/account/security?notice=recovery-key-saved").await;
}

async fn log_in(chrome: &Chrome, url: &str) {
    chrome.goto(&format!("{url}/login")).await;
    chrome.type_into(&chrome.find("input#email").await, ADA).await;
    chrome.type_into(&chrome.find("input#password").await, PASSWORD).await;
    chrome.click(&chrome.find_named("Masuk").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_does_the_whole_two_factor_flow_in_bahasa_indonesia() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.create_org_localized("Acme Support", "acme.example", Some("id"), "Asia/Jakarta").await;
    app.create_user(ADA, Some(PASSWORD), true).await;
    let chrome = Chrome::start_with(Options { languages: Some("id"), ..Options::default() }).await;
    let downloads = tempfile::tempdir().unwrap();
    chrome.allow_downloads(downloads.path()).await;

    log_in(&chrome, &app.url).await;
    chrome.wait_for_path("/account").await;
    assert_eq!(chrome.script("return document.documentElement.lang").await, "id");
    chrome.click(&chrome.find("button[popovertarget]").await).await;
    chrome.click(&chrome.find_named("Kelola Akun").await).await;
    chrome.click(&chrome.find_named("Keamanan dan Kredensial").await).await;
    chrome.wait_for_path("/account/security").await;
    assert!(chrome.source().await.contains(" WIB, "), "session times in WIB");
    chrome.screenshot(&shot("id-security")).await;

    // Email codes, the code arriving in Indonesian.
    chrome.click(&chrome.find_named("Aktifkan Autentikasi Dua Faktor").await).await;
    chrome.click(&chrome.find_named("Kirim kode verifikasi").await).await;
    let mail = app.sink.wait_for(ADA, "Kode verifikasi Anda").await;
    chrome.type_into(&chrome.find("input#code").await, &mail.code()).await;
    chrome.click(&chrome.find_named("Lanjutkan").await).await;
    chrome.find("p.recovery-key code").await;
    chrome.screenshot(&shot("id-recovery-key")).await;
    chrome.click(&chrome.find_named("Unduh").await).await;
    let file = chrome.downloaded(downloads.path()).await;
    let key = key_in_file(&file);
    assert!(file.contains(" WIB, ") && chrome.source().await.contains(&key), "{file}");
    done_with_the_recovery_key(&chrome).await;

    // The authenticator app: "Siapkan", confirmed with the password and an emailed code.
    chrome.click(&chrome.find_named("Siapkan").await).await;
    chrome.wait_for_path("/account/authenticator/setup").await;
    chrome.click(&chrome.find_named("Kirim kode verifikasi").await).await;
    chrome.wait_for_text("Kami telah mengirim kode verifikasi ke").await;
    let code = app.sink.wait_for_nth(ADA, "Kode verifikasi Anda", 2).await.code();
    chrome.type_into(&chrome.find("input[type=password]").await, PASSWORD).await;
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    chrome.click(&chrome.find_named("Siapkan aplikasi autentikator").await).await;
    let qr = chrome.find("img.qr-code, .qr img").await;
    let uri = parse_uri(&decode_qr(&chrome.element_screenshot(&qr).await));
    chrome.screenshot(&shot("id-authenticator-setup")).await;
    chrome.type_into(&chrome.find("input#code").await, &oath_code(&uri.secret, app.state.clock.now())).await;
    chrome.click(&chrome.find_named("Verifikasi").await).await;
    chrome.wait_for_text("Aplikasi autentikator berhasil disiapkan.").await;
    chrome.screenshot(&shot("id-authenticator-done")).await;

    // Log out, and in again with the app.
    chrome.goto(&format!("{}/account", app.url)).await;
    chrome.click(&chrome.find("button[popovertarget]").await).await;
    chrome.click(&chrome.find_named("Keluar").await).await;
    chrome.wait_for_path("/login?notice=signed-out").await;
    app.state.clock.advance(30);
    log_in(&chrome, &app.url).await;
    chrome.wait_for_path("/login/verify").await;
    chrome.screenshot(&shot("id-second-step")).await;
    chrome.type_into(&chrome.find("input#code").await, &oath_code(&uri.secret, app.state.clock.now())).await;
    chrome.click(&chrome.find_named("Lanjutkan").await).await;
    chrome.wait_for_path("/account").await;
    assert_eq!(chrome.script("return document.documentElement.lang").await, "id");
    chrome.quit().await;
}

/// The subject of the code's email in `lang`.
fn code_subject(lang: &str) -> &'static str {
    if lang == "id" {
        "Kode verifikasi Anda"
    } else {
        "Your verification code"
    }
}

/// Fails with the page's address when its content is wider than the phone's screen.
async fn fits(chrome: &Chrome, what: &str) {
    chrome.wait_loaded().await;
    let widths = chrome
        .script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth]",
        )
        .await;
    let (scroll, client) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
    let url = chrome.url().await;
    chrome.screenshot(&shot(&format!("phone-{what}"))).await;
    assert!(scroll <= client, "{what} ({url}) is {scroll} px wide on a {client} px screen");
}

async fn every_page_fits_a_phone_in(lang: &'static str) {
    use crate::common::org::{admin, BOSS};
    let app = TestApp::spawn(Backend::Sqlite).await;
    let chrome = Chrome::start_with(Options { phone: true, languages: Some(lang) }).await;
    let url = app.url.clone();
    let go = |path: &str| format!("{url}{path}");

    // The first-run set-up, before any organization exists.
    let link = latchkey::service::setup::setup_link_if_needed(&app.state).await.unwrap().expect("a setup link");
    chrome.goto(&go(&link[link.find("/setup").unwrap()..])).await;
    fits(&chrome, &format!("{lang}-setup")).await;

    app.create_org_localized("Acme Support", "acme.example", None, "Asia/Jakarta").await;
    // A long address, and sessions from a browser with a long user agent, widen the tables.
    let long = "ada.lovelace.the.first.programmer@acme.example";
    app.create_user(long, Some(PASSWORD), true).await;
    let mut other = crate::common::browser::Browser::with_header(
        &app.url,
        Some(("user-agent", "Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.135 Mobile Safari/537.36")),
    );
    other.sign_in(long, PASSWORD).await;
    admin(&app).await;

    for (what, path) in [
        ("login", "/login"),
        ("forgot", "/forgot-password"),
        ("reset-invalid", "/reset-password?token=nope"),
        ("verify-invalid", "/verify-email?token=nope"),
        ("not-found", "/no-such-page"),
        ("authorize-refused", "/oauth/authorize?client_id=nope"),
        ("not-me-invalid", "/not-me?token=nope"),
    ] {
        chrome.goto(&go(path)).await;
        fits(&chrome, &format!("{lang}-{what}")).await;
    }
    // "Choose a new password", from the link a reset mails.
    let mut anonymous = crate::common::browser::Browser::new(&app.url);
    anonymous.get("/forgot-password").await;
    anonymous.post("/forgot-password", &[("email", long)]).await;
    let reset = app.sink.wait_for(long, "Reset your password").await;
    chrome.goto(&go(&reset.link_path())).await;
    fits(&chrome, &format!("{lang}-reset")).await;

    // A member: every page of Manage Account, with two-factor authentication on.
    chrome.goto(&go("/login")).await;
    chrome.type_into(&chrome.find("input#email").await, long).await;
    chrome.type_into(&chrome.find("input#password").await, PASSWORD).await;
    chrome.click(&chrome.find("form[action='/login'] button[type=submit]").await).await;
    chrome.wait_for_path("/account").await;
    for (what, path) in
        [("profile", "/account"), ("security", "/account/security"), ("enable", "/account/two-factor/enable")]
    {
        chrome.goto(&go(path)).await;
        fits(&chrome, &format!("{lang}-{what}")).await;
    }
    // The Sessions table, stacked: one block per session, each cell led by its column's name.
    chrome.goto(&go("/account/security")).await;
    chrome.script("document.getElementById('sessions-h').scrollIntoView()").await;
    chrome.screenshot(&shot(&format!("phone-{lang}-sessions"))).await;
    let label = "var td = document.querySelector('#sessions-h ~ table td[data-label]'); \
                 return td ? getComputedStyle(td, '::before').content : ''";
    let label = chrome.script(label).await;
    assert!(label.as_str().is_some_and(|c| c.len() > 4), "the cells name their columns: {label}");
    chrome.goto(&go("/account/two-factor/enable")).await;
    chrome.click(&chrome.find("form[action='/account/two-factor/enable/send'] button").await).await;
    let code = app.sink.wait_for(long, code_subject(lang)).await.code();
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    chrome.click(&chrome.find("form[action='/account/two-factor/enable/confirm'] button[type=submit]").await).await;
    chrome.find("p.recovery-key code").await;
    fits(&chrome, &format!("{lang}-recovery-key")).await;
    done_with_the_recovery_key(&chrome).await;
    fits(&chrome, &format!("{lang}-security-2fa-on")).await;
    chrome.click(&chrome.find("form[action='/account/authenticator/setup'] button").await).await;
    fits(&chrome, &format!("{lang}-authenticator-confirm")).await;
    // Confirmed with the password and an emailed code: the QR code's page.
    chrome.click(&chrome.find("form[action='/account/authenticator/setup/send'] button").await).await;
    chrome.find("p.notice[role=status]").await;
    let code = app.sink.wait_for_nth(long, code_subject(lang), 2).await.code();
    chrome.type_into(&chrome.find("input[type=password]").await, PASSWORD).await;
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    chrome.click(&chrome.find("form[action='/account/authenticator/setup'] button[type=submit]").await).await;
    chrome.find(".qr img").await;
    fits(&chrome, &format!("{lang}-authenticator-qr")).await;
    for (what, path) in
        [("disable", "/account/two-factor/disable"), ("authenticator-remove", "/account/authenticator/remove")]
    {
        chrome.goto(&go(path)).await;
        fits(&chrome, &format!("{lang}-{what}")).await;
    }

    // The second step, and its Recovery Key page.
    chrome.goto(&go("/account")).await;
    chrome.click(&chrome.find("button[popovertarget]").await).await;
    chrome.click(&chrome.find("form[action='/logout'] button").await).await;
    chrome.wait_for_path("/login?notice=signed-out").await;
    fits(&chrome, &format!("{lang}-signed-out")).await;
    chrome.type_into(&chrome.find("input#email").await, long).await;
    chrome.type_into(&chrome.find("input#password").await, PASSWORD).await;
    chrome.click(&chrome.find("form[action='/login'] button[type=submit]").await).await;
    chrome.wait_for_path("/login/verify").await;
    fits(&chrome, &format!("{lang}-second-step")).await;
    chrome.goto(&go("/login/recovery")).await;
    fits(&chrome, &format!("{lang}-second-step-recovery")).await;

    // The admin's pages, in a fresh browser.
    chrome.quit().await;
    let chrome = Chrome::start_with(Options { phone: true, languages: Some(lang) }).await;
    app.state.clock.advance(31);
    chrome.goto(&go("/login")).await;
    chrome.type_into(&chrome.find("input#email").await, BOSS).await;
    chrome.type_into(&chrome.find("input#password").await, PASSWORD).await;
    chrome.click(&chrome.find("form[action='/login'] button[type=submit]").await).await;
    chrome.wait_for_path("/login/verify").await;
    // The admin turned two-factor on through an English browser; this code follows the phone's.
    let code = app.sink.wait_for_nth(BOSS, code_subject(lang), if lang == "en" { 2 } else { 1 }).await.code();
    chrome.type_into(&chrome.find("input#code").await, &code).await;
    chrome.click(&chrome.find("form[action='/login/verify'] button[type=submit]").await).await;
    chrome.wait_for_path("/account").await;
    let ada = app.texts(&format!("SELECT CAST(id AS TEXT) FROM users WHERE email = '{long}'")).await;
    let member = format!("/org/members/{}", ada[0].clone().unwrap());
    for (what, path) in [
        ("org-settings", "/org"),
        ("org-members", "/org/members"),
        ("org-member", member.as_str()),
        ("org-audit", "/org/audit"),
        ("org-applications", "/org/applications"),
    ] {
        chrome.goto(&go(path)).await;
        fits(&chrome, &format!("{lang}-{what}")).await;
    }
    chrome.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_in_english() {
    every_page_fits_a_phone_in("en").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_in_bahasa_indonesia() {
    every_page_fits_a_phone_in("id").await;
}
