//! Email: what each message says (text and HTML parts from one template pair), how it is
//! queued (encrypted, in the caller's transaction) and how the worker sends it.

pub mod transport;
pub mod worker;

use askama::Template;
use serde::{Deserialize, Serialize};

use crate::secrets::SecretKey;
use crate::store::{outbox, Conn};

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
    /// The message's link, logged by the local outbox so a person trying Latchkey can follow it.
    pub link: Option<String>,
}

/// A message before it is rendered.
pub struct Mail {
    pub subject: String,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    pub link: Option<Link>,
    pub after: Vec<String>,
    pub org_name: String,
}

impl Mail {
    pub fn render(&self) -> Result<Body, askama::Error> {
        let text = TextPart {
            greeting: &self.greeting,
            paragraphs: &self.paragraphs,
            link: &self.link,
            after: &self.after,
            org_name: &self.org_name,
        }
        .render()?;
        let html = HtmlPart {
            subject: &self.subject,
            greeting: &self.greeting,
            paragraphs: &self.paragraphs,
            link: &self.link,
            after: &self.after,
            org_name: &self.org_name,
        }
        .render()?;
        Ok(Body {
            text,
            html,
            link: self.link.as_ref().map(|l| l.url.clone()),
        })
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
pub async fn queue(
    conn: &mut Conn,
    key: &SecretKey,
    to: &str,
    mail: &Mail,
    now: i64,
) -> Result<i64, QueueError> {
    let body = mail.render()?;
    let json = serde_json::to_vec(&body).map_err(|e| askama::Error::Custom(Box::new(e)))?;
    Ok(outbox::enqueue(conn, to, &mail.subject, &key.encrypt(&json), now).await?)
}

/// Where a message was sent from, for notices about security changes.
pub struct Origin<'a> {
    pub when: &'a str,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

impl Origin<'_> {
    fn lines(&self) -> Vec<String> {
        vec![
            format!("Time: {}", self.when),
            format!("Client address: {}", self.ip),
            format!("Browser: {}", self.user_agent),
        ]
    }
}

const NOT_YOU: &str =
    "If this was not you, reset your password now and tell your organization's administrator.";

pub fn verify_email(org: &str, url: String, valid_for: &str) -> Mail {
    Mail {
        subject: "Verify your email address".into(),
        greeting: "Hello,".into(),
        paragraphs: vec!["Confirm that this email address is yours to finish setting up your account.".into()],
        link: Some(Link { label: "Verify email address".into(), url }),
        after: vec![format!("The link works once, for {valid_for}. If you did not ask for it, you can ignore this email.")],
        org_name: org.into(),
    }
}

pub fn reset_password(org: &str, url: String, valid_for: &str) -> Mail {
    Mail {
        subject: "Reset your password".into(),
        greeting: "Hello,".into(),
        paragraphs: vec!["Someone asked to reset the password of your account. Choose a new password here:".into()],
        link: Some(Link { label: "Choose a new password".into(), url }),
        after: vec![
            format!("The link works once, for {valid_for}. Setting a new password signs out every session of your account."),
            "If you did not ask for this, ignore this email: your password stays as it is.".into(),
        ],
        org_name: org.into(),
    }
}

pub fn invitation(org: &str, url: String, valid_for: &str) -> Mail {
    Mail {
        subject: format!("You are invited to {org}"),
        greeting: "Hello,".into(),
        paragraphs: vec![format!(
            "An account was created for you at {org}. Choose your password to start using it."
        )],
        link: Some(Link {
            label: "Choose your password".into(),
            url,
        }),
        after: vec![format!("The link works once, for {valid_for}.")],
        org_name: org.into(),
    }
}

pub fn password_changed(org: &str, origin: &Origin<'_>) -> Mail {
    let mut paragraphs = vec!["The password of your account was changed.".to_string()];
    paragraphs.extend(origin.lines());
    Mail {
        subject: "Your password was changed".into(),
        greeting: "Hello,".into(),
        paragraphs,
        link: None,
        after: vec![NOT_YOU.into()],
        org_name: org.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_parts_carry_the_link_and_html_is_escaped() {
        let m = invitation(
            "Acme <Support>",
            "http://x.example/reset-password?token=abc&x=1".into(),
            "7 days",
        );
        let b = m.render().unwrap();
        assert!(b
            .text
            .contains("http://x.example/reset-password?token=abc&x=1"));
        assert!(b.text.contains("Acme <Support>"));
        assert!(
            b.html.contains("Acme &#60;Support&#62;") || b.html.contains("Acme &lt;Support&gt;"),
            "{}",
            b.html
        );
        assert!(
            b.html.contains("token=abc&#38;x=1") || b.html.contains("token=abc&amp;x=1"),
            "{}",
            b.html
        );
        assert_eq!(
            b.link.as_deref(),
            Some("http://x.example/reset-password?token=abc&x=1")
        );
    }

    #[test]
    fn a_notice_says_when_and_from_where() {
        let o = Origin {
            when: "2026-11-28 10:00:00 UTC",
            ip: "203.0.113.9",
            user_agent: "Firefox",
        };
        let b = password_changed("Acme", &o).render().unwrap();
        assert!(
            b.text.contains("203.0.113.9")
                && b.text.contains("Firefox")
                && b.text.contains("2026-11-28")
        );
        assert!(b.link.is_none());
    }
}
