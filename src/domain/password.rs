//! The password rules: what a new password must be, checked before it is ever hashed.

use super::text::Msg;

/// Why a new password was refused, in words a user can act on (`Msg::from`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordError {
    TooShort,
    TooLong,
    TooCommon,
    SameAsEmail,
    Mismatch,
}

impl From<PasswordError> for Msg {
    fn from(e: PasswordError) -> Self {
        match e {
            PasswordError::TooShort => Msg::new("domain-password-too-short"),
            PasswordError::TooLong => Msg::new("domain-password-too-long"),
            PasswordError::TooCommon => Msg::new("domain-password-too-common"),
            PasswordError::SameAsEmail => Msg::new("domain-password-same-as-email"),
            PasswordError::Mismatch => Msg::new("domain-password-mismatch"),
        }
    }
}

/// In the reader's language (English outside a request: the command line).
impl std::fmt::Display for PasswordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", Msg::from(self.clone()))
    }
}

impl std::error::Error for PasswordError {}

pub const MIN_CHARS: usize = 8;
pub const MAX_BYTES: usize = 128;

const COMMON: &str = include_str!("common-passwords.txt");

/// A password a user chose that passed the rules. It is only ever hashed, never stored.
#[derive(Clone)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

impl NewPassword {
    /// Checks a chosen password (and its confirmation) against the rules for the given account.
    pub fn parse(password: &str, confirm: &str, email: &str) -> Result<Self, PasswordError> {
        if password.chars().count() < MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if password.len() > MAX_BYTES {
            return Err(PasswordError::TooLong);
        }
        let lower = password.to_lowercase();
        if COMMON.lines().any(|c| c == lower) {
            return Err(PasswordError::TooCommon);
        }
        let local = email.split('@').next().unwrap_or_default();
        if lower == email.to_lowercase() || (local.len() >= MIN_CHARS && lower == local.to_lowercase()) {
            return Err(PasswordError::SameAsEmail);
        }
        if password != confirm {
            return Err(PasswordError::Mismatch);
        }
        Ok(Self(password.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(p: &str) -> Result<NewPassword, PasswordError> {
        NewPassword::parse(p, p, "ada.lovelace@acme.example")
    }

    #[test]
    fn a_long_uncommon_password_is_accepted() {
        assert!(check("correct horse battery").is_ok());
    }

    #[test]
    fn short_long_and_common_passwords_are_refused() {
        assert_eq!(check("abc123").unwrap_err(), PasswordError::TooShort);
        assert_eq!(check(&"x".repeat(129)).unwrap_err(), PasswordError::TooLong);
        assert_eq!(check("Password123").unwrap_err(), PasswordError::TooCommon);
        assert_eq!(check("qwertyuiop").unwrap_err(), PasswordError::TooCommon);
    }

    #[test]
    fn length_counts_characters_but_the_cap_counts_bytes() {
        // Eight two-byte characters are enough; 65 of them (130 bytes) are too many.
        assert!(check("éééééééé").is_ok());
        assert_eq!(check(&"é".repeat(65)).unwrap_err(), PasswordError::TooLong);
    }

    #[test]
    fn the_email_address_is_not_a_password() {
        assert_eq!(check("ada.lovelace@acme.example").unwrap_err(), PasswordError::SameAsEmail);
        assert_eq!(check("Ada.Lovelace").unwrap_err(), PasswordError::SameAsEmail);
    }

    #[test]
    fn the_confirmation_must_match() {
        let r = NewPassword::parse("correct horse battery", "correct horse batery", "a@acme.example");
        assert_eq!(r.unwrap_err(), PasswordError::Mismatch);
    }

    #[test]
    fn the_common_list_is_lower_case_and_long_enough_to_matter() {
        assert!(COMMON.lines().all(|l| l == l.to_lowercase() && l.len() >= MIN_CHARS));
        assert!(COMMON.lines().count() > 80);
    }
}
