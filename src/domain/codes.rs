//! One-time codes sent by email: their form, and when one may still be used or resent.

use rand::Rng;

use super::text::Msg;

/// A 6-digit code as the user typed it (spaces and dashes ignored).
#[derive(Clone, PartialEq, Eq)]
pub struct OneTimeCode(String);

impl std::fmt::Debug for OneTimeCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OneTimeCode(..)")
    }
}

/// Why a typed code was refused (`Msg::from`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    Malformed,
}

impl From<CodeError> for Msg {
    fn from(e: CodeError) -> Self {
        match e {
            CodeError::Malformed => Msg::new("domain-code-malformed"),
        }
    }
}

/// In the reader's language (English outside a request).
impl std::fmt::Display for CodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", Msg::from(self.clone()))
    }
}

impl std::error::Error for CodeError {}

pub const DIGITS: usize = 6;

impl OneTimeCode {
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        if digits.len() == DIGITS && digits.chars().all(|c| c.is_ascii_digit()) {
            Ok(Self(digits))
        } else {
            Err(CodeError::Malformed)
        }
    }

    /// A new code, uniform over all 10^6 values.
    pub fn generate(rng: &mut impl Rng) -> Self {
        Self(format!("{:06}", rng.gen_range(0..1_000_000u32)))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// What the person reads when the hourly cap on codes stopped one: nothing was sent, and when
/// to ask again.
pub fn capped(retry_after: i64) -> Msg {
    Msg::new("domain-code-capped").wait("wait", retry_after)
}

/// What is known about the latest code of one purpose for one account.
#[derive(Debug, Clone, Copy)]
pub struct CodeState {
    pub expires_at: i64,
    pub attempts: i64,
    pub used: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeVerdict {
    /// The code may be compared with what the user typed.
    Usable,
    Used,
    Expired,
    /// Too many wrong tries on this code: a new one must be sent.
    TooManyTries,
}

/// Whether a code in `state` may still be tried at `now`, allowing `max_tries` wrong tries.
pub fn verdict(state: CodeState, now: i64, max_tries: i64) -> CodeVerdict {
    if state.used {
        CodeVerdict::Used
    } else if now >= state.expires_at {
        CodeVerdict::Expired
    } else if state.attempts >= max_tries {
        CodeVerdict::TooManyTries
    } else {
        CodeVerdict::Usable
    }
}

/// Seconds to wait before another code may be sent, if the last one was sent at `sent_at`.
pub fn resend_wait(sent_at: Option<i64>, now: i64, cooldown: i64) -> Option<i64> {
    let wait = sent_at? + cooldown - now;
    (wait > 0).then_some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn codes_are_six_digits_with_spaces_and_dashes_ignored() {
        assert_eq!(OneTimeCode::parse(" 123 456 ").unwrap().expose(), "123456");
        assert_eq!(OneTimeCode::parse("123-456").unwrap().expose(), "123456");
        for bad in ["", "12345", "1234567", "12345a", "１２３４５６", "123 45"] {
            assert_eq!(OneTimeCode::parse(bad), Err(CodeError::Malformed), "{bad}");
        }
    }

    #[test]
    fn generated_codes_keep_leading_zeros_and_cover_the_range() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let codes: Vec<String> = (0..2000).map(|_| OneTimeCode::generate(&mut rng).0).collect();
        assert!(codes.iter().all(|c| c.len() == 6 && OneTimeCode::parse(c).is_ok()));
        assert!(codes.iter().any(|c| c.starts_with('0')));
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert!(distinct.len() > 1990, "codes repeat too often: {}", distinct.len());
    }

    #[test]
    fn a_code_expires_is_used_once_and_allows_five_wrong_tries() {
        let s = CodeState { expires_at: 1600, attempts: 0, used: false };
        assert_eq!(verdict(s, 1000, 5), CodeVerdict::Usable);
        assert_eq!(verdict(s, 1600, 5), CodeVerdict::Expired);
        assert_eq!(verdict(CodeState { attempts: 4, ..s }, 1000, 5), CodeVerdict::Usable);
        assert_eq!(verdict(CodeState { attempts: 5, ..s }, 1000, 5), CodeVerdict::TooManyTries);
        assert_eq!(verdict(CodeState { used: true, ..s }, 1000, 5), CodeVerdict::Used);
    }

    #[test]
    fn a_new_code_waits_for_the_cooldown() {
        assert_eq!(resend_wait(None, 1000, 30), None);
        assert_eq!(resend_wait(Some(990), 1000, 30), Some(20));
        assert_eq!(resend_wait(Some(970), 1000, 30), None);
    }
}
