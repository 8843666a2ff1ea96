//! A small W3C WebDriver client for the end-to-end test: Debian's chromedriver driving
//! Debian's headless Chromium.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Chrome {
    driver: Child,
    http: reqwest::Client,
    session: String,
    base: String,
    _profile: tempfile::TempDir,
}

/// How a test's browser is set up.
#[derive(Default)]
pub struct Options {
    /// A phone's screen: 390 CSS pixels wide (an iPhone 14's), touch, a mobile user agent.
    pub phone: bool,
    /// The languages the browser asks for (`Accept-Language`), e.g. "id".
    pub languages: Option<&'static str>,
}

impl Chrome {
    pub async fn start() -> Self {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(options: Options) -> Self {
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        assert!(
            std::path::Path::new(&driver_bin).exists(),
            "{driver_bin} is missing: run scripts/test.sh, which installs chromium and chromium-driver"
        );
        let port = super::process::free_port();
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let start = Instant::now();
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(start.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        // Several downloads from one site need the "automatic downloads" permission granted.
        if let Some(languages) = options.languages {
            args.push(format!("--lang={languages}"));
        }
        let mut prefs = json!({"profile.default_content_setting_values.automatic_downloads": 1, "download.prompt_for_download": false});
        let mut chrome_options = json!({"binary": binary, "args": args});
        if let Some(languages) = options.languages {
            prefs["intl.accept_languages"] = json!(languages);
        }
        if options.phone {
            chrome_options["mobileEmulation"] =
                json!({"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0, "touch": true}});
        }
        chrome_options["prefs"] = prefs;
        let caps =
            json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": chrome_options}}});

        let res: Value = http.post(format!("{base}/session")).json(&caps).send().await.unwrap().json().await.unwrap();
        let session =
            res["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no WebDriver session: {res}")).to_string();
        Chrome { driver, http, session, base, _profile: profile }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut req = self.http.request(method, url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        if let Some(err) = v["value"].get("error") {
            panic!("WebDriver {path}: {err} {}", v["value"]["message"]);
        }
        v["value"].clone()
    }

    pub async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({"url": url}))).await;
    }

    pub async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None).await.as_str().unwrap().to_string()
    }

    pub async fn source(&self) -> String {
        self.call(reqwest::Method::GET, "/source", None).await.as_str().unwrap().to_string()
    }

    /// Finds an element by CSS selector, waiting up to 10 s for it to appear.
    pub async fn find(&self, css: &str) -> String {
        self.find_by("css selector", css).await
    }

    /// Finds a button or link by its visible text.
    pub async fn find_named(&self, text: &str) -> String {
        self.find_by("xpath", &format!("//*[self::button or self::a][normalize-space()='{text}']")).await
    }

    async fn find_by(&self, using: &str, value: &str) -> String {
        let start = Instant::now();
        loop {
            let url = format!("{}/session/{}/element", self.base, self.session);
            let v: Value = self
                .http
                .post(url)
                .json(&json!({"using": using, "value": value}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if let Some(id) = v["value"][ELEMENT].as_str() {
                return id.to_string();
            }
            assert!(start.elapsed() < Duration::from_secs(10), "no element {value}: {}", self.source().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, element: &str) {
        self.call(reqwest::Method::POST, &format!("/element/{element}/click"), Some(json!({}))).await;
    }

    pub async fn type_into(&self, element: &str, text: &str) {
        self.call(reqwest::Method::POST, &format!("/element/{element}/value"), Some(json!({"text": text}))).await;
    }

    /// The element's accessible name, as the browser computes it for assistive technology.
    pub async fn accessible_name(&self, element: &str) -> String {
        self.call(reqwest::Method::GET, &format!("/element/{element}/computedlabel"), None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn wait_for_path(&self, path: &str) {
        let start = Instant::now();
        while !self.url().await.ends_with(path) {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "still at {} instead of {path}: {}",
                self.url().await,
                self.source().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Lets the browser save downloads into `dir` without asking.
    pub async fn allow_downloads(&self, dir: &std::path::Path) {
        let url = format!("{}/session/{}/goog/cdp/execute", self.base, self.session);
        let params = json!({"cmd": "Browser.setDownloadBehavior", "params": {"behavior": "allow", "downloadPath": dir.display().to_string()}});
        let v: Value = self.http.post(url).json(&params).send().await.unwrap().json().await.unwrap();
        assert!(v["value"].get("error").is_none(), "cannot allow downloads: {v}");
    }

    /// Waits for a downloaded text file in `dir`, returns its text and removes it (so that the
    /// next download, which may get the same name, is seen too).
    pub async fn downloaded(&self, dir: &std::path::Path) -> String {
        let start = Instant::now();
        loop {
            let files: Vec<std::path::PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
            if let Some(path) = files.into_iter().find(|p| p.extension().is_some_and(|x| x == "txt")) {
                let text = std::fs::read_to_string(&path).unwrap();
                if !text.is_empty() {
                    std::fs::remove_file(&path).unwrap();
                    return text;
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no download in {}: {}",
                dir.display(),
                self.source().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A PNG screenshot of one element.
    pub async fn element_screenshot(&self, element: &str) -> Vec<u8> {
        use base64::Engine;
        let b64 = self.call(reqwest::Method::GET, &format!("/element/{element}/screenshot"), None).await;
        base64::engine::general_purpose::STANDARD.decode(b64.as_str().unwrap()).unwrap()
    }

    pub async fn screenshot(&self, path: &std::path::Path) {
        use base64::Engine;
        let b64 = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD.decode(b64.as_str().unwrap()).unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// Adds a virtual authenticator through the WebDriver WebAuthn extension: a platform
    /// authenticator (CTAP2, internal) that keeps discoverable credentials and verifies its
    /// user. Its id.
    pub async fn add_virtual_authenticator(&self) -> String {
        let options = json!({
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": true,
            "hasUserVerification": true,
            "isUserConsenting": true,
            "isUserVerified": true
        });
        let id = self.call(reqwest::Method::POST, "/webauthn/authenticator", Some(options)).await;
        id.as_str().unwrap_or_else(|| panic!("no virtual authenticator: {id}")).to_string()
    }

    /// Whether the virtual authenticator's user verification succeeds (the person's fingerprint
    /// or PIN). While it fails, the login page's passkey autofill cannot complete on its own.
    pub async fn set_user_verified(&self, authenticator: &str, verified: bool) {
        let path = format!("/webauthn/authenticator/{authenticator}/uv");
        self.call(reqwest::Method::POST, &path, Some(json!({"isUserVerified": verified}))).await;
    }

    /// The credentials a virtual authenticator holds.
    pub async fn credentials(&self, authenticator: &str) -> Vec<Value> {
        let path = format!("/webauthn/authenticator/{authenticator}/credentials");
        self.call(reqwest::Method::GET, &path, None).await.as_array().cloned().unwrap_or_default()
    }

    /// Runs a script in the page and returns its value.
    pub async fn script(&self, js: &str) -> Value {
        self.call(reqwest::Method::POST, "/execute/sync", Some(json!({"script": js, "args": []}))).await
    }

    /// Waits until the page (after a navigation a script started) has loaded.
    pub async fn wait_loaded(&self) {
        let start = Instant::now();
        while self.script("return document.readyState").await != "complete" {
            assert!(start.elapsed() < Duration::from_secs(10), "the page did not load: {}", self.url().await);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the page's text contains `text`.
    pub async fn wait_for_text(&self, text: &str) {
        let start = Instant::now();
        while !self.source().await.contains(text) {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no {text:?} on {}: {}",
                self.url().await,
                self.source().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn quit(mut self) {
        let _ = self.http.delete(format!("{}/session/{}", self.base, self.session)).send().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Chrome {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
