//! Email: what each message says (text and HTML parts from one template pair), how it is
//! queued (encrypted, in the caller's transaction) and how the worker sends it.

mod messages;
pub mod transport;
pub mod worker;

use askama::Template;
use serde::{Deserialize, Serialize};

use crate::secrets::SecretKey;
use crate::store::{outbox, Conn};

pub use messages::*;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

/// One email, as the templates show it.
#[derive(Debug, Clone, Template)]
#[template(path = "mail/message.txt")]
struct TextPart<'a> {
    greeting: &'a str,
    code: &'a Option<String>,
    paragraphs: &'a [String],
    link: &'a Option<Link>,
    after: &'a [String],
    org_name: &'a str,
}

#[derive(Debug, Clone, Template)]
#[template(path = "mail/message.html")]
struct HtmlPart<'a> {
    subject: &'a str,
    greeting: &'a str,
    code: &'a Option<String>,
    paragraphs: &'a [String],
    link: &'a Option<Link>,
    after: &'a [String],
    org_name: &'a str,
}

/// The content of a queued message. It is stored encrypted, since links and codes are secrets.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Body {
    pub text: String,
    pub html: String,
    /// The message's link or code, logged by the local outbox so that a person trying
    /// Latchkey on one machine can follow the flow.
    pub action: Option<String>,
}

/// A message before it is rendered.
pub struct Mail {
    pub subject: String,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    /// A one-time code, shown large after the paragraphs.
    pub code: Option<String>,
    pub link: Option<Link>,
    pub after: Vec<String>,
    pub org_name: String,
}

impl Mail {
    pub fn render(&self) -> Result<Body, askama::Error> {
        let text = TextPart {
            greeting: &self.greeting,
            code: &self.code,
            paragraphs: &self.paragraphs,
            link: &self.link,
            after: &self.after,
            org_name: &self.org_name,
        }
        .render()?;
        let html = HtmlPart {
            subject: &self.subject,
            greeting: &self.greeting,
            code: &self.code,
            paragraphs: &self.paragraphs,
            link: &self.link,
            after: &self.after,
            org_name: &self.org_name,
        }
        .render()?;
        let action = self.link.as_ref().map(|l| l.url.clone()).or_else(|| self.code.clone());
        Ok(Body { text, html, action })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("could not render the email: {0}")]
    Render(#[from] askama::Error),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Queues a message in the caller's transaction; the worker sends it after the commit.
pub fn queue(conn: &mut Conn, key: &SecretKey, to: &str, mail: &Mail, now: i64) -> Result<i64, QueueError> {
    Ok(outbox::enqueue(conn, to, &mail.subject, &seal(key, mail)?, now)?)
}

/// The message's body rendered and encrypted, as the outbox stores it.
pub fn seal(key: &SecretKey, mail: &Mail) -> Result<String, QueueError> {
    let body = mail.render()?;
    let json = serde_json::to_vec(&body).map_err(|e| askama::Error::Custom(Box::new(e)))?;
    Ok(key.encrypt(&json))
}

/// Where a message was sent from, for notices about security changes.
pub struct Origin<'a> {
    pub when: &'a str,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

impl Origin<'_> {
    pub(crate) fn lines(&self) -> Vec<String> {
        vec![
            format!("Time: {}", self.when),
            format!("Client address: {}", self.ip),
            format!("Browser: {}", self.user_agent),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_parts_carry_the_link_and_html_is_escaped() {
        let m = invitation("Acme <Support>", "http://x.example/reset-password?token=abc&x=1".into(), "7 days");
        let b = m.render().unwrap();
        assert!(b.text.contains("http://x.example/reset-password?token=abc&x=1"));
        assert!(b.text.contains("Acme <Support>"));
        assert!(b.html.contains("Acme &#60;Support&#62;") || b.html.contains("Acme &lt;Support&gt;"), "{}", b.html);
        assert!(b.html.contains("token=abc&#38;x=1") || b.html.contains("token=abc&amp;x=1"), "{}", b.html);
        assert_eq!(b.action.as_deref(), Some("http://x.example/reset-password?token=abc&x=1"));
    }

    #[test]
    fn a_code_is_in_both_parts_and_in_the_local_outbox_line_but_never_in_the_subject() {
        let m = verification_code("Acme", "log in", "042917", "10 minutes");
        let b = m.render().unwrap();
        assert!(b.text.contains("042917") && b.html.contains("042917"));
        assert!(!m.subject.contains("042917"));
        assert_eq!(b.action.as_deref(), Some("042917"));
    }

    #[test]
    fn a_notice_says_when_and_from_where() {
        let o = Origin { when: "2026-11-28 10:00:00 UTC", ip: "203.0.113.9", user_agent: "Firefox" };
        let b = password_changed("Acme", &o).render().unwrap();
        assert!(b.text.contains("203.0.113.9") && b.text.contains("Firefox") && b.text.contains("2026-11-28"));
        assert!(b.action.is_none());
    }
}
