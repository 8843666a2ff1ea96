//! What a person is in an organization, and the small rules on names.

use super::text::Msg;

/// A user's role in their organization. Stored by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Member,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Role::Admin),
            "member" => Some(Role::Member),
            _ => None,
        }
    }
}

/// A stored role that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(pub String);

impl TryFrom<String> for Role {
    type Error = UnknownRole;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Role::parse(&s).ok_or(UnknownRole(s))
    }
}

impl Role {
    /// What the pages call it.
    pub fn label(self) -> Msg {
        match self {
            Role::Admin => Msg::new("domain-role-admin"),
            Role::Member => Msg::new("domain-role-member"),
        }
    }
}

/// Why a name was refused, in words a user can act on (`Msg::from`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// The organization's name is empty.
    Empty,
    /// The organization's name is too long.
    TooLong,
    /// A person's name is too long.
    PersonTooLong,
}

impl From<NameError> for Msg {
    fn from(e: NameError) -> Self {
        match e {
            NameError::Empty => Msg::new("domain-name-org-empty"),
            NameError::TooLong => Msg::new("domain-name-org-too-long"),
            NameError::PersonTooLong => Msg::new("domain-name-person-too-long"),
        }
    }
}

/// In the reader's language (English outside a request: the command line).
impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", Msg::from(self.clone()))
    }
}

impl std::error::Error for NameError {}

/// An organization's display name: trimmed, 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgName(String);

impl OrgName {
    pub fn parse(input: &str) -> Result<Self, NameError> {
        let name: String = input.trim().chars().filter(|c| !c.is_control()).collect();
        match name.chars().count() {
            0 => Err(NameError::Empty),
            n if n > 100 => Err(NameError::TooLong),
            _ => Ok(Self(name)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's display name (told to applications as `name`): trimmed, at most 100
/// characters, no control or invisible reordering characters; empty means none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(Option<String>);

/// `input` trimmed, without control characters and the invisible ones that reorder or hide text
/// (bidi overrides, zero-width characters), which could make a name read as another's.
pub fn visible_text(input: &str) -> String {
    let invisible = |c: &char| {
        c.is_control()
            || matches!(*c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    };
    input.trim().chars().filter(|c| !invisible(c)).collect()
}

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, NameError> {
        let name = visible_text(input);
        match name.chars().count() {
            0 => Ok(Self(None)),
            n if n > 100 => Err(NameError::PersonTooLong),
            _ => Ok(Self(Some(name))),
        }
    }

    pub fn as_option(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_names_are_trimmed_bounded_and_may_be_empty() {
        assert_eq!(PersonName::parse("  Ada Lovelace ").unwrap().as_option(), Some("Ada Lovelace"));
        assert_eq!(PersonName::parse(" ").unwrap().as_option(), None);
        assert_eq!(PersonName::parse("Ada\u{202E}ecalevoL").unwrap().as_option(), Some("AdaecalevoL"));
        assert_eq!(PersonName::parse(&"x".repeat(101)), Err(NameError::PersonTooLong));
    }

    #[test]
    fn roles_round_trip_by_name() {
        for r in [Role::Admin, Role::Member] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("owner"), None);
    }

    #[test]
    fn organization_names_are_trimmed_and_bounded() {
        assert_eq!(OrgName::parse("  Acme Support ").unwrap().as_str(), "Acme Support");
        assert_eq!(OrgName::parse(" \t").unwrap_err(), NameError::Empty);
        assert_eq!(OrgName::parse(&"x".repeat(101)).unwrap_err(), NameError::TooLong);
        assert_eq!(OrgName::parse("Acme\u{0}Co").unwrap().as_str(), "AcmeCo");
    }
}
