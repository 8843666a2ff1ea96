//! Email: what each message says (text and HTML parts from one template pair), how it is
//! queued (encrypted, in the caller's transaction) and how the worker sends it.

mod messages;
pub mod transport;
pub mod worker;

use askama::Template;
use serde::{Deserialize, Serialize};

use crate::i18n::Locale;
use crate::secrets::SecretKey;
use crate::store::{outbox, Conn};

pub use messages::*;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

/// One email, as the templates show it. Every word in it comes in already said in the
/// recipient's language: the templates hold none of their own.
#[derive(Debug, Clone, Template)]
#[template(path = "mail/message.txt")]
struct TextPart<'a> {
    greeting: &'a str,
    code: &'a Option<String>,
    paragraphs: &'a [String],
    link: &'a Option<Link>,
    after: &'a [String],
    footer: &'a str,
}

#[derive(Debug, Clone, Template)]
#[template(path = "mail/message.html")]
struct HtmlPart<'a> {
    lang: &'a str,
    subject: &'a str,
    greeting: &'a str,
    code: &'a Option<String>,
    paragraphs: &'a [String],
    link: &'a Option<Link>,
    link_hint: &'a str,
    after: &'a [String],
    footer: &'a str,
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

/// A message before it is rendered, said in its recipient's language.
pub struct Mail {
    /// The language it is written in (BCP 47, as `<html lang>` takes it).
    pub lang: &'static str,
    pub subject: String,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    /// A one-time code, shown large after the paragraphs.
    pub code: Option<String>,
    pub link: Option<Link>,
    pub after: Vec<String>,
    pub org_name: String,
    /// Under the link's button in the HTML part: what to do when the button does not work.
    pub link_hint: String,
    /// The closing line: who sends it, for which organization.
    pub footer: String,
}

impl Mail {
    pub fn render(&self) -> Result<Body, askama::Error> {
        let text = TextPart {
            greeting: &self.greeting,
            code: &self.code,
            paragraphs: &self.paragraphs,
            link: &self.link,
            after: &self.after,
            footer: &self.footer,
        }
        .render()?;
        let html = HtmlPart {
            lang: self.lang,
            subject: &self.subject,
            greeting: &self.greeting,
            code: &self.code,
            paragraphs: &self.paragraphs,
            link: &self.link,
            link_hint: &self.link_hint,
            after: &self.after,
            footer: &self.footer,
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
    /// When the change was made (Unix seconds), shown in the recipient's zone.
    pub when: i64,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

impl Origin<'_> {
    pub(crate) fn lines(&self, l: &Locale) -> Vec<String> {
        vec![
            l.t1("mail-origin-time", "time", l.time(self.when)),
            l.t1("mail-origin-ip", "ip", self.ip),
            l.t1("mail-origin-browser", "browser", l.msg(&crate::domain::device::name(self.user_agent))),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Msg, Zone};

    /// 2026-11-28 10:00:00 UTC.
    const NOV_28: i64 = 1_795_860_000;

    #[test]
    fn both_parts_carry_the_link_and_html_is_escaped() {
        let l = Locale::default();
        let m = invitation(&l, "Acme <Support>", "http://x.example/reset-password?token=abc&x=1".into(), 7 * 86_400);
        let b = m.render().unwrap();
        assert!(b.text.contains("http://x.example/reset-password?token=abc&x=1"));
        assert!(b.text.contains("Acme <Support>"));
        assert!(b.text.contains("The link works once, for 7 days."), "{}", b.text);
        assert!(b.html.contains("Acme &#60;Support&#62;") || b.html.contains("Acme &lt;Support&gt;"), "{}", b.html);
        assert!(b.html.contains("token=abc&#38;x=1") || b.html.contains("token=abc&amp;x=1"), "{}", b.html);
        assert!(b.html.contains(r#"<html lang="en">"#), "{}", b.html);
        assert_eq!(b.action.as_deref(), Some("http://x.example/reset-password?token=abc&x=1"));
    }

    #[test]
    fn a_code_is_in_both_parts_and_in_the_local_outbox_line_but_never_in_the_subject() {
        let l = Locale::default();
        let m = verification_code(&l, "Acme", &Msg::new("mail-code-purpose-sign-in"), "042917", 600);
        let b = m.render().unwrap();
        assert!(b.text.contains("042917") && b.html.contains("042917"));
        assert!(!m.subject.contains("042917"));
        assert_eq!(m.subject, "Your verification code");
        assert!(b.text.starts_with("Hello,\n\nUse this code to log in:\n"), "{}", b.text);
        assert!(b.text.contains("The code works once, for 10 minutes."), "{}", b.text);
        assert!(b.text.trim_end().ends_with("-- \nLatchkey, for Acme"), "{}", b.text);
        assert_eq!(b.action.as_deref(), Some("042917"));
    }

    #[test]
    fn a_notice_says_when_and_from_where() {
        let l = Locale::default();
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        let o = Origin { when: NOV_28, ip: "203.0.113.9", user_agent: firefox };
        let b = password_changed(&l, "Acme", &o).render().unwrap();
        assert!(b.text.contains("Client address: 203.0.113.9"), "{}", b.text);
        assert!(b.text.contains("Browser: Firefox 133 on Linux"), "{}", b.text);
        assert!(b.text.contains("Time: 10:00 UTC, 28 Nov 2026"), "{}", b.text);
        assert!(b.action.is_none());
    }

    #[test]
    fn an_email_is_said_in_its_recipients_language_and_zone() {
        let l = Locale::new(Lang::Id, Zone::parse("Asia/Jakarta").unwrap());
        let o = Origin { when: NOV_28, ip: "203.0.113.9", user_agent: "Firefox" };
        let m = password_changed(&l, "Acme", &o);
        assert_eq!(m.subject, "Kata sandi Anda telah diubah");
        assert_eq!(m.lang, "id");
        let b = m.render().unwrap();
        assert!(b.text.contains("Waktu: 17.00 WIB, 28 Nov 2026"), "{}", b.text);
        assert!(b.text.contains("WIB"), "{}", b.text);
        assert!(b.html.contains(r#"<html lang="id">"#), "{}", b.html);
        assert!(!b.text.contains("Hello"), "{}", b.text);
    }
}
