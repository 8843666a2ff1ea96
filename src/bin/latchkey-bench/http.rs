//! A small HTTP/1.1 client over one keep-alive connection (hyper's connection API): as little
//! work on the client side as possible, since the harness shares the machine with the server.

use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE, COOKIE, HOST, LOCATION, RETRY_AFTER, SET_COOKIE};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// One connection to the server; reconnects when the server closed it.
pub struct Conn {
    addr: SocketAddr,
    host: HeaderValue,
    sender: Option<SendRequest<Full<Bytes>>>,
}

/// What the harness looks at in a response.
pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub retry_after: bool,
    /// `name=value` of every Set-Cookie.
    pub cookies: Vec<(String, String)>,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn redirects_to(&self, path: &str) -> bool {
        self.status == StatusCode::SEE_OTHER && self.location.as_deref() == Some(path)
    }
}

impl Conn {
    pub fn new(addr: SocketAddr) -> Self {
        let host = HeaderValue::from_str(&addr.to_string()).unwrap_or(HeaderValue::from_static("localhost"));
        Self { addr, host, sender: None }
    }

    async fn sender(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, Error> {
        if self.sender.as_ref().is_none_or(|s| s.is_closed()) {
            let stream = TcpStream::connect(self.addr).await?;
            stream.set_nodelay(true)?;
            let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
            tokio::spawn(async move {
                let _ = conn.await;
            });
            self.sender = Some(sender);
        }
        let sender = self.sender.as_mut().ok_or("no connection")?;
        sender.ready().await?;
        Ok(sender)
    }

    pub async fn get(&mut self, path: &str, cookies: &str) -> Result<Reply, Error> {
        self.send(Method::GET, path, cookies, Bytes::new()).await
    }

    pub async fn post(&mut self, path: &str, cookies: &str, form: String) -> Result<Reply, Error> {
        self.send(Method::POST, path, cookies, Bytes::from(form)).await
    }

    /// A request with headers of its own (a proxy's, an application's Authorization).
    pub async fn request(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&'static str, &str)],
        body: Bytes,
    ) -> Result<Reply, Error> {
        let extra: Vec<(HeaderName, HeaderValue)> = headers
            .iter()
            .map(|(n, v)| Ok((HeaderName::from_static(n), HeaderValue::from_str(v)?)))
            .collect::<Result<_, Error>>()?;
        self.send_with(method, path, "", &extra, body).await
    }

    async fn send(&mut self, method: Method, path: &str, cookies: &str, body: Bytes) -> Result<Reply, Error> {
        self.send_with(method, path, cookies, &[], body).await
    }

    async fn send_with(
        &mut self,
        method: Method,
        path: &str,
        cookies: &str,
        headers: &[(HeaderName, HeaderValue)],
        body: Bytes,
    ) -> Result<Reply, Error> {
        let mut req = Request::builder().method(method.clone()).uri(path).header(HOST, self.host.clone());
        if !cookies.is_empty() {
            req = req.header(COOKIE, cookies);
        }
        for (n, v) in headers {
            req = req.header(n, v);
        }
        if method == Method::POST {
            req = req.header(CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        let req = req.body(Full::new(body))?;
        let res = match self.sender().await?.send_request(req).await {
            Ok(res) => res,
            Err(e) => {
                self.sender = None;
                return Err(e.into());
            }
        };
        let status = res.status();
        let headers = res.headers();
        let location = headers.get(LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
        let retry_after = headers.contains_key(RETRY_AFTER);
        let cookies = headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let headers = headers.clone();
        let body = res.into_body().collect().await?.to_bytes();
        Ok(Reply { status, location, retry_after, cookies, headers, body })
    }
}

/// The value of the hidden `csrf` field in a page.
pub fn csrf_field(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let at = text.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let end = text[at..].find('"')?;
    Some(text[at..at + end].to_string())
}

/// Percent-encodes a form value (emails carry `@`, codes and tokens are plain).
pub fn form_value(v: &str) -> String {
    url::form_urlencoded::byte_serialize(v.as_bytes()).collect()
}
