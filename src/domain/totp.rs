//! Authenticator apps (RFC 6238 TOTP, SHA-1, 6 digits, 30-second steps): the secret, the key
//! URI the QR code carries, and which time step a typed code belongs to.

use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};

use super::text::Msg;

pub const STEP: i64 = 30;
pub const DIGITS: usize = 6;
/// Steps either side of the current one that are accepted (network and typing delay).
pub const WINDOW: i64 = 1;
/// Steps either side that are searched to tell a wrong code from a device clock that is off.
pub const SKEW_SEARCH: i64 = 10;

/// A 160-bit TOTP secret.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret([u8; 20]);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(..)")
    }
}

impl TotpSecret {
    pub fn from_bytes(bytes: [u8; 20]) -> Self {
        Self(bytes)
    }

    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(Self)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// RFC 4648 base32 without padding, as authenticator apps expect it.
    pub fn base32(&self) -> String {
        base32(&self.0)
    }

    /// The base32 secret in groups of 4, for typing it into an app by hand.
    pub fn grouped(&self) -> String {
        let b = self.base32();
        let groups: Vec<&str> = b.as_bytes().chunks(4).filter_map(|g| std::str::from_utf8(g).ok()).collect();
        groups.join(" ")
    }

    /// The code for time step `step`.
    pub fn code_at_step(&self, step: i64) -> String {
        code(&self.0, DIGITS, step)
    }
}

fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The RFC 6238 code of `digits` digits for `secret` at time step `step` (SHA-1).
pub fn code(secret: &[u8], digits: usize, step: i64) -> String {
    let totp = TOTP::new_unchecked(Algorithm::SHA1, digits, 0, STEP as u64, secret.to_vec());
    totp.generate((step.max(0) * STEP) as u64)
}

/// The time step of a Unix time.
pub fn step_of(unix: i64) -> i64 {
    unix.div_euclid(STEP)
}

/// What a typed code means at a given time, for an account whose last accepted step is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotpCheck {
    /// Valid for this step, which has not been used yet: accept it and record the step.
    Accepted {
        step: i64,
    },
    /// Valid, but for a step already used (or older than one used): refuse it.
    Replayed,
    /// Valid only for a step `offset` steps away (beyond the window): the device clock is off.
    Skewed {
        offset: i64,
    },
    Wrong,
}

/// Checks `typed` against the steps around `now`. Every candidate is compared in constant time.
pub fn check(secret: &TotpSecret, typed: &str, now: i64, last_step: Option<i64>) -> TotpCheck {
    let current = step_of(now);
    let matches = |step: i64| -> bool { secret.code_at_step(step).as_bytes().ct_eq(typed.as_bytes()).into() };
    // Prefer the current step, then the one before, then the one after.
    for step in [current, current - 1, current + 1] {
        if matches(step) {
            return match last_step {
                Some(last) if step <= last => TotpCheck::Replayed,
                _ => TotpCheck::Accepted { step },
            };
        }
    }
    for distance in (WINDOW + 1)..=SKEW_SEARCH {
        for offset in [-distance, distance] {
            if matches(current + offset) {
                return TotpCheck::Skewed { offset };
            }
        }
    }
    TotpCheck::Wrong
}

/// "about 3 minutes behind", "about 90 seconds ahead": a device clock's error, as a message.
pub fn skew(offset_steps: i64) -> Msg {
    let seconds = offset_steps.abs() * STEP;
    let amount = if seconds < 120 {
        Msg::new("duration-seconds").with("n", seconds)
    } else {
        Msg::new("duration-minutes").with("n", (seconds + 30) / 60)
    };
    let said = if offset_steps < 0 { Msg::new("domain-totp-skew-behind") } else { Msg::new("domain-totp-skew-ahead") };
    said.with("amount", amount)
}

/// Everything but RFC 3986's unreserved characters is escaped (so `:` `@` `+` and spaces are).
const URI_COMPONENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn escape(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, URI_COMPONENT).to_string()
}

/// The key URI an authenticator app reads from the QR code (the de-facto `otpauth://` format).
pub fn key_uri(issuer: &str, account: &str, secret: &TotpSecret) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP}",
        escape(issuer),
        escape(account),
        secret.base32(),
        escape(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc_6238_appendix_b_sha1_vectors() {
        let vectors = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        for (t, expected) in vectors {
            assert_eq!(code(RFC_SECRET, 8, step_of(t)), expected, "T = {t}");
            // Six digits are the last six of the same truncated value.
            assert_eq!(code(RFC_SECRET, 6, step_of(t)), &expected[2..], "T = {t}");
        }
    }

    fn secret() -> TotpSecret {
        TotpSecret::from_slice(RFC_SECRET).unwrap()
    }

    #[test]
    fn the_base32_secret_matches_rfc_4648() {
        assert_eq!(secret().base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(secret().grouped(), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
    }

    #[test]
    fn codes_one_step_either_side_are_accepted() {
        let s = secret();
        let now = 1_234_567_890;
        let here = step_of(now);
        for step in [here - 1, here, here + 1] {
            assert_eq!(check(&s, &s.code_at_step(step), now, None), TotpCheck::Accepted { step });
        }
    }

    #[test]
    fn a_used_step_and_older_ones_are_replays() {
        let s = secret();
        let now = 1_234_567_890;
        let here = step_of(now);
        assert_eq!(check(&s, &s.code_at_step(here), now, Some(here)), TotpCheck::Replayed);
        assert_eq!(check(&s, &s.code_at_step(here - 1), now, Some(here)), TotpCheck::Replayed);
        assert_eq!(check(&s, &s.code_at_step(here + 1), now, Some(here)), TotpCheck::Accepted { step: here + 1 });
    }

    #[test]
    fn a_code_from_a_clock_that_is_off_is_recognised_with_its_offset() {
        let s = secret();
        let now = 1_234_567_890;
        let here = step_of(now);
        assert_eq!(check(&s, &s.code_at_step(here - 4), now, None), TotpCheck::Skewed { offset: -4 });
        assert_eq!(check(&s, &s.code_at_step(here + 10), now, None), TotpCheck::Skewed { offset: 10 });
        assert_eq!(check(&s, &s.code_at_step(here + 11), now, None), TotpCheck::Wrong);
        assert_eq!(skew(-4).to_string(), "about 2 minutes behind");
        assert_eq!(skew(3).to_string(), "about 90 seconds ahead");
    }

    #[test]
    fn a_wrong_code_is_wrong() {
        let s = secret();
        let now = 1_234_567_890;
        let mut wrong = s.code_at_step(step_of(now));
        wrong = if wrong == "000000" { "111111".into() } else { "000000".into() };
        let found = check(&s, &wrong, now, None);
        assert!(matches!(found, TotpCheck::Wrong | TotpCheck::Skewed { .. }));
    }

    #[test]
    fn the_key_uri_escapes_issuer_and_account() {
        let s = secret();
        let uri = key_uri("Acme Support", "ada+test@acme.example", &s);
        assert_eq!(
            uri,
            "otpauth://totp/Acme%20Support:ada%2Btest%40acme.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20Support&algorithm=SHA1&digits=6&period=30"
        );
        let odd = key_uri("Zürich: Büro", "a@b.example", &s);
        assert!(odd.starts_with("otpauth://totp/Z%C3%BCrich%3A%20B%C3%BCro:a%40b.example?"), "{odd}");
        assert!(odd.contains("&issuer=Z%C3%BCrich%3A%20B%C3%BCro&"));
    }
}
