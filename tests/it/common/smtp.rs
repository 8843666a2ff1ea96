//! A real SMTP server (Python's aiosmtpd, tests/support/smtp_sink.py) per test, and the mail
//! it received.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SmtpSink {
    pub port: u16,
    pub dir: PathBuf,
    child: Child,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Mail {
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Mail {
    /// The first link in the text part that carries a token.
    pub fn link(&self) -> String {
        self.text
            .split_whitespace()
            .find(|w| w.starts_with("http") && w.contains("token="))
            .unwrap_or_else(|| panic!("no link in mail: {}", self.text))
            .to_string()
    }

    /// The 6-digit code the message carries.
    pub fn code(&self) -> String {
        self.text
            .split_whitespace()
            .find(|w| w.len() == 6 && w.chars().all(|c| c.is_ascii_digit()))
            .unwrap_or_else(|| panic!("no code in mail: {}", self.text))
            .to_string()
    }

    /// The link's path and query, for the test browser.
    pub fn link_path(&self) -> String {
        let link = self.link();
        let after_scheme = link.split_once("://").map(|(_, r)| r).unwrap_or(&link);
        after_scheme[after_scheme.find('/').unwrap_or(0)..].to_string()
    }
}

impl SmtpSink {
    /// Starts the server on `port` (0: any free port) writing into `dir`.
    pub fn start(dir: PathBuf, port: u16) -> Self {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(&dir)
            .arg(port.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 must be installed to run the SMTP sink");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the SMTP sink did not start (is aiosmtpd installed?): {line:?}"));
        SmtpSink { port, dir, child }
    }

    /// Every message received so far, in order.
    pub fn all(&self) -> Vec<Mail> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return vec![];
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        paths.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
    }

    /// Messages to `to` whose subject contains `subject`.
    pub fn find(&self, to: &str, subject: &str) -> Vec<Mail> {
        self.all().into_iter().filter(|m| m.to.iter().any(|t| t == to) && m.subject.contains(subject)).collect()
    }

    /// Waits (up to 20 s) for the `n`-th message to `to` whose subject contains `subject`.
    pub async fn wait_for_nth(&self, to: &str, subject: &str, n: usize) -> Mail {
        let start = Instant::now();
        loop {
            let found = self.find(to, subject);
            if found.len() >= n {
                return found[n - 1].clone();
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!(
                    "no mail #{n} to {to} about {subject:?}; got: {:?}",
                    self.all().iter().map(|m| (&m.to, &m.subject)).collect::<Vec<_>>()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn wait_for(&self, to: &str, subject: &str) -> Mail {
        self.wait_for_nth(to, subject, 1).await
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
