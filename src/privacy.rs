//! Pseudonyms: how the store names a subscriber without ever holding the number.
//!
//! A pseudonym is HMAC-SHA256 of the E.164 number under a server secret, so the same number
//! always gives the same key (a remembered language works across sessions and instances), while
//! nobody holding the Redis data but not the secret can go back to the number.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::phone::E164;

/// Shortest secret accepted: 32 bytes, the HMAC-SHA256 block size's half and its output size.
pub const MIN_SECRET_LEN: usize = 32;

#[derive(Clone)]
pub struct Pseudonymizer {
    mac: Hmac<Sha256>,
    /// The secret was made at startup and dies with the process (the embedded demo).
    pub ephemeral: bool,
}

#[derive(Debug, thiserror::Error)]
#[error(
    "the pseudonym secret must be at least {MIN_SECRET_LEN} bytes; generate one with `openssl rand -hex 32`"
)]
pub struct ShortSecret;

impl Pseudonymizer {
    pub fn new(secret: &[u8]) -> Result<Self, ShortSecret> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(ShortSecret);
        }
        let mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|_| ShortSecret)?;
        Ok(Pseudonymizer {
            mac,
            ephemeral: false,
        })
    }

    /// A random secret for a process that keeps nothing after it stops.
    pub fn ephemeral() -> Self {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).expect("the operating system's random source is unavailable");
        Pseudonymizer {
            ephemeral: true,
            ..Self::new(&secret).expect("32 bytes")
        }
    }

    /// 128 bits of the HMAC as hex: short enough for keys, far from any collision.
    pub fn of(&self, number: &E164) -> String {
        let mut mac = self.mac.clone();
        mac.update(number.as_str().as_bytes());
        let digest = mac.finalize().into_bytes();
        digest[..16].iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_number_gets_the_same_pseudonym_and_it_holds_no_digits_of_it() {
        let p = Pseudonymizer::new(&[7u8; 32]).unwrap();
        let n = E164::parse("+254712345678", None).unwrap();
        assert_eq!(p.of(&n), p.of(&n));
        assert_eq!(p.of(&n).len(), 32);
        assert!(!p.of(&n).contains("712345678"));
        let other = Pseudonymizer::new(&[8u8; 32]).unwrap();
        assert_ne!(
            p.of(&n),
            other.of(&n),
            "another secret gives another pseudonym"
        );
    }

    #[test]
    fn a_short_secret_is_refused() {
        assert!(Pseudonymizer::new(b"too short").is_err());
    }
}
