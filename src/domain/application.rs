//! Applications that sign their users in through Latchkey: their names and the URIs they may
//! be sent back to. Redirect URIs are matched exactly (RFC 9700 §2.1), so they are checked
//! once, here, when they are registered.

use url::Url;

use super::text::Msg;

/// An application's display name: trimmed, 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppName(String);

/// Why an application's name or URI was refused, in words an admin can act on (`Msg::from`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppError {
    EmptyName,
    LongName,
    NoRedirect,
    /// The URI as typed, in each of these.
    NotAbsolute(String),
    NotHttps(String),
    Fragment(String),
    Credentials(String),
    LongUri,
    Whitespace(String),
    NotCanonical {
        typed: String,
        canonical: String,
    },
}

impl From<AppError> for Msg {
    /// The URIs are quoted as Rust's `{:?}` writes them (escapes included).
    fn from(e: AppError) -> Self {
        let quoted = |s: &str| format!("{s:?}");
        match e {
            AppError::EmptyName => Msg::new("domain-app-empty-name"),
            AppError::LongName => Msg::new("domain-app-long-name"),
            AppError::NoRedirect => Msg::new("domain-app-no-redirect"),
            AppError::NotAbsolute(u) => Msg::new("domain-app-not-absolute").with("uri", quoted(&u)),
            AppError::NotHttps(u) => Msg::new("domain-app-not-https").with("uri", quoted(&u)),
            AppError::Fragment(u) => Msg::new("domain-app-fragment").with("uri", quoted(&u)),
            AppError::Credentials(u) => Msg::new("domain-app-credentials").with("uri", quoted(&u)),
            AppError::LongUri => Msg::new("domain-app-long-uri"),
            AppError::Whitespace(u) => Msg::new("domain-app-whitespace").with("uri", quoted(&u)),
            AppError::NotCanonical { typed, canonical } => {
                Msg::new("domain-app-not-canonical").with("typed", quoted(&typed)).with("canonical", quoted(&canonical))
            }
        }
    }
}

/// In the reader's language (English outside a request: the command line).
impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", Msg::from(self.clone()))
    }
}

impl std::error::Error for AppError {}

impl AppName {
    pub fn parse(input: &str) -> Result<Self, AppError> {
        // No control characters, nor invisible ones that could make a name read as another's
        // on a consent page.
        let name = super::account::visible_text(input);
        match name.chars().count() {
            0 => Err(AppError::EmptyName),
            n if n > 100 => Err(AppError::LongName),
            _ => Ok(Self(name)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A URI an application may be sent back to (after sign-in, or after logout), exactly as
/// registered: https, or http on a loopback host (native apps, RFC 8252 §7.3); no fragment,
/// no credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectUri(String);

impl RedirectUri {
    pub fn parse(input: &str) -> Result<Self, AppError> {
        let raw = input.trim();
        if raw.len() > 2000 {
            return Err(AppError::LongUri);
        }
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(AppError::Whitespace(raw.to_string()));
        }
        let url = Url::parse(raw).map_err(|_| AppError::NotAbsolute(raw.to_string()))?;
        let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
        match url.scheme() {
            "https" if url.host_str().is_some() => {}
            "http" if loopback => {}
            "http" | "https" => return Err(AppError::NotHttps(raw.to_string())),
            _ => return Err(AppError::NotHttps(raw.to_string())),
        }
        if url.fragment().is_some() || raw.contains('#') {
            return Err(AppError::Fragment(raw.to_string()));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(AppError::Credentials(raw.to_string()));
        }
        // Stored as typed, so only a URI that is already in its canonical form is taken (the
        // parser would otherwise quietly mend `\`, `https:///cb`, `127.1` or a Unicode host into
        // a different address from the one the admin reads).
        if url.as_str() != raw {
            return Err(AppError::NotCanonical { typed: raw.to_string(), canonical: url.as_str().to_string() });
        }
        Ok(Self(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How an application proves itself at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    /// A server-side application with a secret.
    Confidential,
    /// A browser or native application: no secret, PKCE only.
    Public,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_and_loopback_http_redirects_are_kept_exactly_as_typed() {
        for ok in [
            "https://console.acme.example/callback",
            "https://reports.acme.example:8443/oidc/cb?tenant=7",
            "http://localhost:8080/cb",
            "http://127.0.0.1/cb",
            "http://[::1]:9000/cb",
            "https://console.acme.example/",
        ] {
            assert_eq!(RedirectUri::parse(&format!(" {ok} ")).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn other_redirects_are_refused_with_the_reason() {
        assert!(matches!(RedirectUri::parse("/callback"), Err(AppError::NotAbsolute(_))));
        assert!(matches!(RedirectUri::parse("http://console.acme.example/cb"), Err(AppError::NotHttps(_))));
        assert!(matches!(RedirectUri::parse("javascript:alert(1)"), Err(AppError::NotHttps(_))));
        assert!(matches!(RedirectUri::parse("ftp://acme.example/cb"), Err(AppError::NotHttps(_))));
        assert!(matches!(RedirectUri::parse("https://acme.example/cb#x"), Err(AppError::Fragment(_))));
        assert!(matches!(RedirectUri::parse("https://u:p@acme.example/cb"), Err(AppError::Credentials(_))));
        for mended in [
            "https://evil.example\\@good.example/cb",
            "https:///cb",
            "http://127.1/cb",
            "http://[0:0:0:0:0:0:0:1]/cb",
            "https://bücher.example/cb",
            "https://console.acme.example",
            "https://console.acme.example/a/../cb",
        ] {
            assert!(matches!(RedirectUri::parse(mended), Err(AppError::NotCanonical { .. })), "{mended}");
        }
        for spaced in ["https://acme.example/c b", "https://acme.example/c\rb", "https://acme.example/\tcb"] {
            assert!(matches!(RedirectUri::parse(spaced), Err(AppError::Whitespace(_))), "{spaced:?}");
        }
        let long = format!("https://acme.example/{}", "a".repeat(2000));
        assert_eq!(RedirectUri::parse(&long), Err(AppError::LongUri));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(AppName::parse("  Agent Console ").unwrap().as_str(), "Agent Console");
        assert_eq!(AppName::parse(" \t"), Err(AppError::EmptyName));
        assert_eq!(AppName::parse(&"x".repeat(101)), Err(AppError::LongName));
        assert_eq!(AppName::parse("Acme\u{202E}stropeR").unwrap().as_str(), "AcmestropeR");
    }
}
