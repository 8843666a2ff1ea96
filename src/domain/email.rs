//! Email addresses and organization domains, parsed once at the edge.

use std::fmt;

use super::text::Msg;

/// Why an email address or a domain was refused, in words a user can act on (`Msg::from`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailError {
    Empty,
    TooLong,
    Malformed,
    BadDomain,
}

impl From<EmailError> for Msg {
    fn from(e: EmailError) -> Self {
        match e {
            EmailError::Empty => Msg::new("domain-email-empty"),
            EmailError::TooLong => Msg::new("domain-email-too-long"),
            EmailError::Malformed => Msg::new("domain-email-malformed"),
            EmailError::BadDomain => Msg::new("domain-email-bad-domain"),
        }
    }
}

/// In the reader's language (English outside a request: the command line).
impl fmt::Display for EmailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Msg::from(self.clone()))
    }
}

impl std::error::Error for EmailError {}

/// A syntactically valid email address, stored lower-cased so that one mailbox is one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(EmailError::Malformed)?;
        if local.is_empty() || local.len() > 64 || local.contains('@') {
            return Err(EmailError::Malformed);
        }
        let local_ok = local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        if !local_ok || local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(EmailError::Malformed);
        }
        let domain = Domain::parse(domain).map_err(|_| EmailError::Malformed)?;
        Ok(Self(format!("{}@{}", local.to_ascii_lowercase(), domain.0)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the `@`, which decides the organization the address belongs to.
    pub fn domain(&self) -> Domain {
        let d = self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
        Domain(d.to_string())
    }

    /// The address with most of the local part hidden, for pages that say where a mail went.
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.rsplit_once('@').unwrap_or((&self.0, ""));
        let first: String = local.chars().take(1).collect();
        format!("{first}***@{domain}")
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An email domain an organization owns, lower-cased, without a trailing dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Domain(String);

impl Domain {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let d = input.trim().trim_end_matches('.').to_ascii_lowercase();
        if d.is_empty() || d.len() > 253 || !d.contains('.') {
            return Err(EmailError::BadDomain);
        }
        let labels_ok = d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        if labels_ok {
            Ok(Self(d))
        } else {
            Err(EmailError::BadDomain)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_trimmed_and_lower_cased() {
        let e = EmailAddress::parse("  Ada.Lovelace@ACME.Example ").unwrap();
        assert_eq!(e.as_str(), "ada.lovelace@acme.example");
        assert_eq!(e.domain().as_str(), "acme.example");
    }

    #[test]
    fn malformed_addresses_are_refused_with_a_reason() {
        assert_eq!(EmailAddress::parse(""), Err(EmailError::Empty));
        for bad in [
            "ada",
            "@acme.example",
            "ada@",
            "ada@localhost",
            "a b@acme.example",
            "ada..l@acme.example",
            "ada@-acme.example",
            ".ada@acme.example",
        ] {
            assert_eq!(EmailAddress::parse(bad), Err(EmailError::Malformed), "{bad}");
        }
        let long = format!("{}@acme.example", "a".repeat(250));
        assert_eq!(EmailAddress::parse(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn a_plus_tag_is_a_valid_address() {
        assert!(EmailAddress::parse("ada+test@acme.example").is_ok());
    }

    #[test]
    fn masking_keeps_the_first_letter_and_the_domain() {
        let e = EmailAddress::parse("ada@acme.example").unwrap();
        assert_eq!(e.masked(), "a***@acme.example");
    }

    #[test]
    fn domains_need_a_dot_and_clean_labels() {
        assert_eq!(Domain::parse("Acme.Example.").unwrap().as_str(), "acme.example");
        assert!(Domain::parse("acme").is_err());
        assert!(Domain::parse("acme..example").is_err());
        assert!(Domain::parse("ac_me.example").is_err());
    }
}
