//! The Recovery Key: 140 random bits written as 28 Crockford base32 symbols in groups of 4
//! (`7K3M-...`). Input is case-insensitive; spaces and dashes are ignored, and the letters
//! Crockford reads as digits (O as 0, I and L as 1) are accepted.

use super::text::Msg;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
pub const SYMBOLS: usize = 28;

#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryKey(String);

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(..)")
    }
}

/// Why a typed Recovery Key was refused (`Msg::from`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecoveryKeyError {
    Length,
    Symbol,
}

impl From<RecoveryKeyError> for Msg {
    fn from(e: RecoveryKeyError) -> Self {
        match e {
            RecoveryKeyError::Length => Msg::new("domain-recovery-key-length"),
            RecoveryKeyError::Symbol => Msg::new("domain-recovery-key-symbol"),
        }
    }
}

/// In the reader's language (English outside a request).
impl std::fmt::Display for RecoveryKeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", Msg::from(self.clone()))
    }
}

impl std::error::Error for RecoveryKeyError {}

impl RecoveryKey {
    /// A key from 28 random bytes (each contributes 5 bits, so every symbol is uniform).
    pub fn from_random(bytes: [u8; SYMBOLS]) -> Self {
        Self(bytes.iter().map(|b| ALPHABET[(b & 31) as usize] as char).collect())
    }

    pub fn parse(input: &str) -> Result<Self, RecoveryKeyError> {
        let mut out = String::with_capacity(SYMBOLS);
        for c in input.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
                return Err(RecoveryKeyError::Symbol);
            }
            out.push(c);
        }
        if out.len() == SYMBOLS {
            Ok(Self(out))
        } else {
            Err(RecoveryKeyError::Length)
        }
    }

    /// The canonical form (28 symbols, no separators): what is hashed.
    pub fn canonical(&self) -> &str {
        &self.0
    }

    /// The key as printed: groups of 4 joined by dashes.
    pub fn display(&self) -> String {
        let groups: Vec<&str> = self.0.as_bytes().chunks(4).filter_map(|g| std::str::from_utf8(g).ok()).collect();
        groups.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(seed: u8) -> RecoveryKey {
        let mut b = [0u8; SYMBOLS];
        for (i, x) in b.iter_mut().enumerate() {
            *x = seed.wrapping_mul(31).wrapping_add(i as u8 * 7);
        }
        RecoveryKey::from_random(b)
    }

    #[test]
    fn a_key_prints_in_seven_groups_of_four() {
        let d = key(3).display();
        assert_eq!(d.len(), 34);
        assert_eq!(d.split('-').count(), 7);
        assert!(d.split('-').all(|g| g.len() == 4));
    }

    #[test]
    fn lookalike_letters_are_read_as_digits() {
        let k = RecoveryKey::parse("oil0-0000-0000-0000-0000-0000-0000").unwrap();
        assert_eq!(k.canonical(), "0110000000000000000000000000");
    }

    #[test]
    fn wrong_lengths_and_symbols_are_refused_with_a_reason() {
        assert_eq!(RecoveryKey::parse("ABCD-EFGH"), Err(RecoveryKeyError::Length));
        assert_eq!(RecoveryKey::parse(&"U".repeat(28)), Err(RecoveryKeyError::Symbol));
        assert_eq!(RecoveryKey::parse(&format!("{}!", "A".repeat(27))), Err(RecoveryKeyError::Symbol));
        assert_eq!(RecoveryKey::parse(""), Err(RecoveryKeyError::Length));
    }

    /// Writes a key the way a person might: any case, lookalikes, spaces and dashes anywhere.
    fn scramble(canonical: &str, choices: &[u8]) -> String {
        let mut out = String::new();
        for (i, c) in canonical.chars().enumerate() {
            let r = choices[i % choices.len()];
            let c = match (c, r % 4) {
                ('0', 0) => 'o',
                ('0', 1) => 'O',
                ('1', 0) => 'l',
                ('1', 1) => 'I',
                (c, 2) => c.to_ascii_lowercase(),
                (c, _) => c,
            };
            out.push(c);
            match r % 5 {
                0 => out.push('-'),
                1 => out.push(' '),
                _ => {}
            }
        }
        out
    }

    proptest! {
        #[test]
        fn any_formatting_of_a_valid_key_parses_to_it(bytes in proptest::array::uniform28(any::<u8>()), choices in proptest::collection::vec(any::<u8>(), 1..40)) {
            let k = RecoveryKey::from_random(bytes);
            prop_assert_eq!(RecoveryKey::parse(&k.display()).unwrap(), k.clone());
            prop_assert_eq!(RecoveryKey::parse(&scramble(k.canonical(), &choices)).unwrap(), k);
        }

        #[test]
        fn nothing_else_parses(s in "\\PC{0,60}") {
            let significant: Vec<char> = s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
            let all_valid = significant.iter().all(|c| {
                let u = c.to_ascii_uppercase();
                c.is_ascii() && (ALPHABET.contains(&(u as u8)) || "OIL".contains(u))
            });
            let expected_ok = all_valid && significant.len() == SYMBOLS;
            prop_assert_eq!(RecoveryKey::parse(&s).is_ok(), expected_ok);
        }

        #[test]
        fn a_key_with_one_symbol_more_or_less_is_refused(bytes in proptest::array::uniform28(any::<u8>()), cut in 0usize..28) {
            let k = RecoveryKey::from_random(bytes);
            let mut shorter = k.canonical().to_string();
            shorter.remove(cut);
            prop_assert_eq!(RecoveryKey::parse(&shorter), Err(RecoveryKeyError::Length));
            prop_assert_eq!(RecoveryKey::parse(&format!("{}0", k.canonical())), Err(RecoveryKeyError::Length));
        }
    }
}
