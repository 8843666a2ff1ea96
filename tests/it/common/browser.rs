//! A cookie-keeping HTTP client that fills in the form token like a browser would.

use reqwest::header::HeaderMap;
use reqwest::redirect::Policy;

pub struct Browser {
    client: reqwest::Client,
    base: String,
    csrf: Option<String>,
    pub jar: std::sync::Arc<reqwest::cookie::Jar>,
}

#[derive(Debug)]
pub struct Page {
    pub status: u16,
    /// The path of the final URL, after redirects.
    pub path: String,
    pub body: String,
    pub headers: HeaderMap,
}

impl Page {
    pub fn has(&self, text: &str) -> bool {
        self.body.contains(text)
    }

    #[track_caller]
    pub fn assert_has(&self, text: &str) {
        assert!(self.has(text), "page {} ({}) lacks {text:?}:\n{}", self.path, self.status, self.body);
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
    }

    /// Where the app sends the browser to another site: a redirect's Location (not followed),
    /// or, after one of the app's forms, the link of its "Continuing to" page (a browser follows
    /// its refresh: `form-action 'self'` forbids a form's redirects to leave the site).
    #[track_caller]
    pub fn location(&self) -> url::Url {
        let onward =
            self.body.split("<a id=\"onward\" href=\"").nth(1).and_then(|rest| rest.split('"').next()).map(unescape);
        let loc = self
            .header("location")
            .or(onward)
            .unwrap_or_else(|| panic!("no redirect from {} ({}):\n{}", self.path, self.status, self.body));
        url::Url::parse(&loc).unwrap_or_else(|_| panic!("not an absolute redirect: {loc}"))
    }
}

/// An HTML attribute's text as the browser reads it (character references decoded).
pub fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(end) = tail.find(';') else { break };
        let name = &tail[1..end];
        let ch = match name {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "lt" => Some('<'),
            "gt" => Some('>'),
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16).ok().and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => out.push(c),
            None => out.push_str(&tail[..=end]),
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The value of a hidden field in a page, if it has one.
pub fn hidden(body: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker)? + marker.len();
    Some(body[start..start + body[start..].find('"')?].to_string())
}

/// The value of the hidden `csrf` field in a page, if it has a form.
pub fn csrf_of(body: &str) -> Option<String> {
    let start = body.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(body[start..start + body[start..].find('"')?].to_string())
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Self::with_header(base, None)
    }

    /// A browser whose every request carries `header` (e.g. a proxy's X-Forwarded-For).
    pub fn with_header(base: &str, header: Option<(&str, &str)>) -> Self {
        Self::build(base, header, None)
    }

    /// A browser that says it is `user_agent` (the tests' own name otherwise).
    pub fn with_user_agent(base: &str, user_agent: &str) -> Self {
        let mut b = Self::build(base, None, None);
        b.client = Self::client(base, None, None, user_agent, b.jar.clone());
        b
    }

    /// A browser for `base`, whose host name it finds at `addr` (a name no DNS knows).
    pub fn resolving(base: &str, addr: std::net::SocketAddr) -> Self {
        Self::build(base, None, Some(addr))
    }

    fn build(base: &str, header: Option<(&str, &str)>, addr: Option<std::net::SocketAddr>) -> Self {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let client = Self::client(base, header, addr, "latchkey-tests/1.0", jar.clone());
        Browser { client, base: base.to_string(), csrf: None, jar }
    }

    fn client(
        base: &str,
        header: Option<(&str, &str)>,
        addr: Option<std::net::SocketAddr>,
        user_agent: &str,
        jar: std::sync::Arc<reqwest::cookie::Jar>,
    ) -> reqwest::Client {
        let mut headers = HeaderMap::new();
        if let Some((name, value)) = header {
            headers.insert(
                reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                reqwest::header::HeaderValue::from_str(value).unwrap(),
            );
        }
        // Redirects are followed within the app only: one to an application (a redirect URI
        // with a code) is where a test looks at it, not a request to make.
        let origin = url::Url::parse(base).unwrap().origin();
        let policy = Policy::custom(move |attempt| {
            if attempt.previous().len() >= 8 || attempt.url().origin() != origin {
                attempt.stop()
            } else {
                attempt.follow()
            }
        });
        let mut builder = reqwest::Client::builder();
        if let Some(addr) = addr {
            builder = builder.resolve(url::Url::parse(base).unwrap().host_str().unwrap(), addr);
        }
        builder.default_headers(headers).cookie_provider(jar).redirect(policy).user_agent(user_agent).build().unwrap()
    }

    async fn page(&mut self, res: reqwest::Response) -> Page {
        let status = res.status().as_u16();
        let path = res.url()[url::Position::BeforePath..].to_string();
        let headers = res.headers().clone();
        let body = res.text().await.unwrap();
        if let Some(token) = csrf_of(&body) {
            self.csrf = Some(token);
        }
        Page { status, path, body, headers }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let res = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        self.page(res).await
    }

    /// A GET of an absolute URL (a link an application built).
    pub async fn get_url(&mut self, url: &str) -> Page {
        let res = self.client.get(url).send().await.unwrap();
        self.page(res).await
    }

    /// The raw body of a GET (for images).
    pub async fn get_bytes(&mut self, path: &str) -> (u16, Option<String>, Vec<u8>) {
        let res = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        let status = res.status().as_u16();
        let kind = res.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_string);
        (status, kind, res.bytes().await.unwrap().to_vec())
    }

    /// Posts a form with the form token of the last page that had one.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.clone().unwrap_or_default();
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", &csrf));
        self.post_raw(path, &form, None).await
    }

    /// Posts exactly these fields (no token added), optionally with an Origin header.
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)], origin: Option<&str>) -> Page {
        let mut req = self.client.post(format!("{}{path}", self.base)).form(fields);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let res = req.send().await.unwrap();
        self.page(res).await
    }

    /// Opens "Log in" and signs in.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        self.get("/login").await;
        self.post("/login", &[("email", email), ("password", password)]).await
    }

    /// A copy of this browser as it is now (its cookies, for every path of the sign-in, and its
    /// form token), that goes on with its own cookie jar: what happens in one does not show in
    /// the other.
    pub fn copy(&self) -> Browser {
        use reqwest::cookie::CookieStore;
        let mut other = Browser::new(&self.base);
        let url: url::Url = format!("{}/login", self.base).parse().unwrap();
        if let Some(header) = self.jar.cookies(&url) {
            for kv in header.to_str().unwrap().split("; ") {
                if let Some((name, value)) = kv.split_once('=') {
                    other.set_cookie(name, value);
                }
            }
        }
        other.csrf = self.csrf.clone();
        other
    }

    /// The value of a cookie this browser holds for the app.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookie_at(name, "/")
    }

    /// The value of a cookie this browser would send to `path`.
    pub fn cookie_at(&self, name: &str, path: &str) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let url: url::Url = format!("{}{path}", self.base).parse().unwrap();

        let header = self.jar.cookies(&url)?;
        header.to_str().ok()?.split("; ").find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_string))
    }

    /// Sets a cookie (to present another browser's session).
    pub fn set_cookie(&self, name: &str, value: &str) {
        let url: url::Url = self.base.parse().unwrap();
        self.jar.add_cookie_str(&format!("{name}={value}; Path=/"), &url);
    }
}
