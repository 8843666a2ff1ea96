//! Forward-auth's rules: which URL a reverse proxy says was asked for, whether Latchkey may send
//! a person back to it after signing in (only on the domains it was configured for: never an
//! open redirect), and whether its host requires two-factor authentication.

use url::Url;

/// What a proxy tells about the original request, as received.
#[derive(Debug, Clone, Default)]
pub struct ProxyHeaders<'a> {
    /// nginx: `X-Original-URL` (set with `proxy_set_header X-Original-URL $scheme://$http_host$request_uri`).
    pub original_url: Option<&'a str>,
    /// Traefik and Caddy: `X-Forwarded-Proto`, `-Host` and `-Uri`.
    pub proto: Option<&'a str>,
    pub host: Option<&'a str>,
    pub uri: Option<&'a str>,
}

/// The URL the person asked for, if the headers say it completely.
pub fn original_url(h: &ProxyHeaders<'_>) -> Option<Url> {
    let url = match (h.original_url, h.proto, h.host) {
        (Some(u), _, _) => Url::parse(u).ok()?,
        (None, Some(proto), Some(host)) => {
            let uri = h.uri.unwrap_or("/");
            if !uri.starts_with('/') || uri.starts_with("//") {
                return None;
            }
            Url::parse(&format!("{proto}://{host}{uri}")).ok()?
        }
        _ => return None,
    };
    matches!(url.scheme(), "http" | "https").then_some(url)
}

/// Whether `host` is `domain` or one of its subdomains.
pub fn covered(host: &str, domain: &str) -> bool {
    let (host, domain) = (host.to_ascii_lowercase(), domain.to_ascii_lowercase());
    host == domain || host.ends_with(&format!(".{domain}"))
}

/// Whether Latchkey may send a person to `url` after signing in: http(s), no credentials in it,
/// and a host that is Latchkey's own or under a configured domain.
pub fn may_return_to(url: &Url, own_host: &str, domains: &[String]) -> bool {
    let Some(host) = url.host_str() else { return false };
    matches!(url.scheme(), "http" | "https")
        && url.username().is_empty()
        && url.password().is_none()
        && (host.eq_ignore_ascii_case(own_host) || domains.iter().any(|d| covered(host, d)))
}

/// Whether a host requires two-factor authentication (it is, or is under, a listed name).
pub fn requires_two_factor(host: &str, listed: &[String]) -> bool {
    listed.iter().any(|d| covered(host, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_original_url_comes_from_nginx_or_from_the_forwarded_headers() {
        let nginx = ProxyHeaders { original_url: Some("https://app.acme.example/r?x=1"), ..Default::default() };
        assert_eq!(original_url(&nginx).unwrap().as_str(), "https://app.acme.example/r?x=1");
        let traefik = ProxyHeaders {
            proto: Some("https"),
            host: Some("app.acme.example"),
            uri: Some("/reports?week=3"),
            ..Default::default()
        };
        assert_eq!(original_url(&traefik).unwrap().as_str(), "https://app.acme.example/reports?week=3");
        let no_uri = ProxyHeaders { uri: None, ..traefik.clone() };
        assert_eq!(original_url(&no_uri).unwrap().as_str(), "https://app.acme.example/");
        // A URI that would change the host, or another scheme, is not taken.
        assert!(original_url(&ProxyHeaders { uri: Some("//evil.example/x"), ..traefik.clone() }).is_none());
        assert!(original_url(&ProxyHeaders { uri: Some("@evil.example/x"), ..traefik.clone() }).is_none());
        assert!(
            original_url(&ProxyHeaders { original_url: Some("javascript:alert(1)"), ..Default::default() }).is_none()
        );
        assert!(original_url(&ProxyHeaders::default()).is_none());
    }

    #[test]
    fn people_are_sent_back_only_to_configured_domains() {
        let domains = vec!["acme.example".to_string()];
        let ok = |u: &str| may_return_to(&Url::parse(u).unwrap(), "login.acme.example", &domains);
        assert!(ok("https://app.acme.example/x"));
        assert!(ok("https://acme.example/"));
        assert!(ok("https://LOGIN.acme.example/account"));
        assert!(!ok("https://acme.example.evil.net/"));
        assert!(!ok("https://evilacme.example/"));
        assert!(!ok("https://user:pw@app.acme.example/"));
        assert!(!ok("ftp://app.acme.example/"));
        assert!(!may_return_to(&Url::parse("https://app.acme.example/").unwrap(), "login.acme.example", &[]));
    }

    #[test]
    fn hosts_listed_for_two_factor_include_their_subdomains() {
        let listed = vec!["reports.acme.example".to_string()];
        assert!(requires_two_factor("reports.acme.example", &listed));
        assert!(requires_two_factor("eu.reports.acme.example", &listed));
        assert!(!requires_two_factor("console.acme.example", &listed));
    }
}
