//! Where mail goes: an SMTP server (lettre), or, on the embedded default without SMTP, a local
//! outbox folder of .eml files with one log line per message.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use url::Url;

use super::Body;
use crate::config::Settings;

/// Why a message was not sent; `permanent` failures are not retried.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    pub permanent: bool,
}

impl SendError {
    fn transient(message: impl Into<String>) -> Self {
        Self { message: message.into(), permanent: false }
    }
    fn permanent(message: impl Into<String>) -> Self {
        Self { message: message.into(), permanent: true }
    }
}

#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(PathBuf),
}

enum TlsMode {
    None,
    StartTls,
    Implicit,
}

struct SmtpTarget {
    host: String,
    port: u16,
    tls: TlsMode,
    credentials: Option<Credentials>,
}

fn parse_smtp_url(text: &str) -> Result<SmtpTarget, String> {
    let url = Url::parse(text).map_err(|_| "not a URL like smtp://host:25".to_string())?;
    let host = url.host_str().ok_or("the URL names no host")?.to_string();
    let tls_param = url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.to_string());
    let (tls, default_port) = match (url.scheme(), tls_param.as_deref()) {
        ("smtps", _) => (TlsMode::Implicit, 465),
        ("smtp", None | Some("none")) => (TlsMode::None, 25),
        ("smtp", Some("starttls" | "required")) => (TlsMode::StartTls, 587),
        ("smtp", Some(other)) => return Err(format!("tls={other} is not one of none, starttls")),
        (other, _) => return Err(format!("the scheme {other}:// is not smtp:// or smtps://")),
    };
    let credentials = (!url.username().is_empty()).then(|| {
        let decode = |s: &str| percent_decode(s);
        Credentials::new(decode(url.username()), decode(url.password().unwrap_or_default()))
    });
    Ok(SmtpTarget { host, port: url.port().unwrap_or(default_port), tls, credentials })
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Checks an SMTP URL when the settings are loaded, so a typo is reported at start-up.
pub fn check_smtp_url(text: &str) -> Result<(), String> {
    parse_smtp_url(text).map(|_| ())
}

impl Transport {
    pub fn from_settings(s: &Settings) -> Result<Self, String> {
        let Some(url) = &s.smtp_url else {
            return Ok(Transport::Folder(s.data_dir.join("outbox")));
        };
        let t = parse_smtp_url(url.expose_secret())?;
        let tls_params = || TlsParameters::new(t.host.clone()).map_err(|e| format!("TLS set-up failed: {e}"));
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&t.host)
            .port(t.port)
            .timeout(Some(Duration::from_secs(20)));
        b = match t.tls {
            TlsMode::None => b.tls(Tls::None),
            TlsMode::StartTls => b.tls(Tls::Required(tls_params()?)),
            TlsMode::Implicit => b.tls(Tls::Wrapper(tls_params()?)),
        };
        if let Some(c) = t.credentials {
            b = b.credentials(c);
        }
        Ok(Transport::Smtp(b.build()))
    }

    pub async fn send(&self, id: i64, from: &str, to: &str, subject: &str, body: &Body) -> Result<(), SendError> {
        let message = build(from, to, subject, body)?;
        match self {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                let text = format!("SMTP: {e}");
                if e.is_permanent() {
                    SendError::permanent(text)
                } else {
                    SendError::transient(text)
                }
            }),
            Transport::Folder(dir) => {
                let path = dir.join(format!("{id:08}.eml"));
                let write = async {
                    tokio::fs::create_dir_all(dir).await?;
                    tokio::fs::write(&path, message.formatted()).await
                };
                write.await.map_err(|e| SendError::transient(format!("cannot write {}: {e}", path.display())))?;
                // The local outbox is for trying Latchkey on one machine: the log line carries
                // the link so the flow can be followed without a mail server.
                tracing::info!(to, subject, action = body.action.as_deref().unwrap_or("-"), file = %path.display(), "mail written to the local outbox");
                Ok(())
            }
        }
    }
}

fn build(from: &str, to: &str, subject: &str, body: &Body) -> Result<Message, SendError> {
    let from: Mailbox = from.parse().map_err(|e| SendError::permanent(format!("bad sender: {e}")))?;
    let to: Mailbox = to.parse().map_err(|e| SendError::permanent(format!("bad recipient: {e}")))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(body.text.clone()))
                .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(body.html.clone())),
        )
        .map_err(|e| SendError::permanent(format!("cannot build the message: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_choose_tls_and_port() {
        let t = parse_smtp_url("smtp://127.0.0.1:2525").unwrap();
        assert!(matches!(t.tls, TlsMode::None) && t.port == 2525 && t.credentials.is_none());
        let t = parse_smtp_url("smtp://user%40acme:p%26ss@mail.acme.example?tls=starttls").unwrap();
        assert!(matches!(t.tls, TlsMode::StartTls) && t.port == 587 && t.credentials.is_some());
        let t = parse_smtp_url("smtps://mail.acme.example").unwrap();
        assert!(matches!(t.tls, TlsMode::Implicit) && t.port == 465);
    }

    #[test]
    fn bad_smtp_urls_say_why() {
        assert!(check_smtp_url("mail.acme.example").unwrap_err().contains("not a URL"));
        assert!(check_smtp_url("http://mail.acme.example").unwrap_err().contains("http://"));
        assert!(check_smtp_url("smtp://mail.acme.example?tls=maybe").unwrap_err().contains("tls=maybe"));
    }

    #[test]
    fn credentials_are_percent_decoded() {
        assert_eq!(percent_decode("p%26s+s"), "p&s+s");
    }
}
