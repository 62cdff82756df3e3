//! What keeps a survivor's number and words out of reach of whoever reads the Redis data.
//!
//! - Pseudonyms name a subscriber in keys: HMAC-SHA256 of the E.164 number under a server secret,
//!   so the same number always gives the same key (a remembered language works across sessions
//!   and instances), while nobody holding the data but not the secret can go back to the number.
//! - [`Sealer`] encrypts what must be kept (a number to text back, a session holding free text)
//!   with XChaCha20-Poly1305; each record names its key, so a new key can be rolled in while
//!   old records stay readable.

use chacha20poly1305::aead::{Aead, AeadInOut, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, KeyInit, Mac};
use rand::Rng;
use sha2::Sha256;

use crate::phone::E164;

/// A secret setting: `Debug` prints `[REDACTED]`, and only `expose_secret()` reads it.
pub use secrecy::{ExposeSecret, SecretString};

/// Deserializes an optional secret; an empty value (`SALAMA__ADMIN__TOKEN=`) means unset.
pub fn optional_secret<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    let value: Option<String> = serde::Deserialize::deserialize(d)?;
    Ok(value.filter(|v| !v.is_empty()).map(SecretString::from))
}

/// Shortest secret accepted: 32 bytes, the HMAC-SHA256 block size's half and its output size.
pub const MIN_SECRET_LEN: usize = 32;

#[derive(Clone)]
pub struct Pseudonymizer {
    mac: Hmac<Sha256>,
    /// The secret was made at startup and dies with the process (the embedded demo).
    pub ephemeral: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("the pseudonym secret must be at least {MIN_SECRET_LEN} bytes; generate one with `openssl rand -hex 32`")]
pub struct ShortSecret;

impl Pseudonymizer {
    pub fn new(secret: &[u8]) -> Result<Self, ShortSecret> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(ShortSecret);
        }
        let mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|_| ShortSecret)?;
        Ok(Pseudonymizer { mac, ephemeral: false })
    }

    /// A random secret for a process that keeps nothing after it stops.
    pub fn ephemeral() -> Self {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).expect("the operating system's random source is unavailable");
        Pseudonymizer { ephemeral: true, ..Self::new(&secret).expect("32 bytes") }
    }

    /// 128 bits of the HMAC as hex: short enough for keys, far from any collision.
    pub fn of(&self, number: &E164) -> String {
        let mut mac = self.mac.clone();
        mac.update(number.as_str().as_bytes());
        let digest = mac.finalize().into_bytes();
        // Into a buffer, not through `hex::encode`'s iterator of chars: a hop makes one.
        let mut pseudonym = [0u8; 32];
        hex::encode_to_slice(&digest[..16], &mut pseudonym).expect("32 hex digits for 16 bytes");
        std::str::from_utf8(&pseudonym).expect("hex digits are ASCII").to_owned()
    }
}

/// Encrypts records at rest under named keys; the first key seals, all of them open.
pub struct Sealer {
    keys: Vec<(String, XChaCha20Poly1305)>,
    /// The keys were made at startup and die with the process (the embedded demo).
    pub ephemeral: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error(
        "encryption keys are `id:hex` pairs separated by commas, each key 64 hex digits (`openssl rand -hex 32`); {0}"
    )]
    Format(String),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("the record names key {0:?}, which is not configured")]
    UnknownKey(String),
    #[error("the record is damaged or was sealed for another place")]
    Damaged,
}

const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

impl Sealer {
    /// Parses `id:hex[,id:hex...]`, as in `SALAMA__PRIVACY__ENCRYPTION_KEYS=k2:ab12...,k1:cd34...`.
    pub fn from_spec(spec: &str) -> Result<Self, KeyError> {
        let mut keys = Vec::new();
        // Errors name a key by its place in the list, never by any part of the value.
        for (n, pair) in spec.split(',').map(str::trim).filter(|p| !p.is_empty()).enumerate() {
            let n = n + 1;
            let (id, hex) = pair.split_once(':').ok_or_else(|| KeyError::Format(format!("key {n} has no `:`")))?;
            if id.is_empty() || id.len() > 16 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(KeyError::Format(format!("the id of key {n} must be 1-16 letters or digits")));
            }
            let bytes = hex::decode(hex)
                .ok()
                .filter(|b| b.len() == 32)
                .ok_or_else(|| KeyError::Format(format!("key {n} is not 64 hex digits after its id")))?;
            let cipher =
                XChaCha20Poly1305::new_from_slice(&bytes).map_err(|_| KeyError::Format("bad key length".into()))?;
            keys.push((id.to_owned(), cipher));
        }
        if keys.is_empty() {
            return Err(KeyError::Format("no key given".into()));
        }
        Ok(Sealer { keys, ephemeral: false })
    }

    /// A random key for a process that keeps nothing after it stops.
    pub fn ephemeral() -> Self {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).expect("the operating system's random source is unavailable");
        let cipher = XChaCha20Poly1305::new_from_slice(&key).expect("32 bytes");
        Sealer { keys: vec![("tmp".into(), cipher)], ephemeral: true }
    }

    /// `[id length][id][nonce][ciphertext and tag]`; `context` (the record's key or id) is bound
    /// as associated data, so a record copied elsewhere does not open.
    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> Vec<u8> {
        self.seal_after(&[], plaintext, context)
    }

    /// [`seal`](Self::seal)'s record after `clear`, which stays readable (a session's hop count,
    /// which the store compares). One buffer, encrypted in place: a hop seals a session.
    pub fn seal_after(&self, clear: &[u8], plaintext: &[u8], context: &[u8]) -> Vec<u8> {
        let (id, cipher) = &self.keys[0];
        let nonce = fresh_nonce();
        let mut out = Vec::with_capacity(clear.len() + 1 + id.len() + NONCE_LEN + plaintext.len() + TAG_LEN);
        out.extend_from_slice(clear);
        out.push(id.len() as u8);
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(nonce.as_slice());
        let body = out.len();
        out.extend_from_slice(plaintext);
        let tag =
            cipher.encrypt_inout_detached(&nonce, context, (&mut out[body..]).into()).expect("encryption cannot fail");
        out.extend_from_slice(tag.as_slice());
        out
    }

    /// The id of the key a record names (for a log line about a record that does not open).
    /// Only an id a key could have (1-16 letters or digits, as `from_spec` requires): the bytes of
    /// a damaged or never-sealed record could be her number or her words, and never reach a log.
    pub fn key_id(sealed: &[u8]) -> String {
        let id_len = sealed.first().copied().unwrap_or(0) as usize;
        match sealed.get(1..1 + id_len) {
            Some(id) if (1..=16).contains(&id.len()) && id.iter().all(u8::is_ascii_alphanumeric) => {
                String::from_utf8_lossy(id).into_owned()
            }
            _ => "?".into(),
        }
    }

    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<Vec<u8>, SealError> {
        let id_len = *sealed.first().ok_or(SealError::Damaged)? as usize;
        let id = sealed.get(1..1 + id_len).ok_or(SealError::Damaged)?;
        let nonce = sealed.get(1 + id_len..1 + id_len + NONCE_LEN).ok_or(SealError::Damaged)?;
        let body = &sealed[1 + id_len + NONCE_LEN..];
        let (_, cipher) = self
            .keys
            .iter()
            .find(|(k, _)| k.as_bytes() == id)
            .ok_or_else(|| SealError::UnknownKey(String::from_utf8_lossy(id).into_owned()))?;
        let nonce = XNonce::try_from(nonce).map_err(|_| SealError::Damaged)?;
        cipher.decrypt(&nonce, Payload { msg: body, aad: context }).map_err(|_| SealError::Damaged)
    }
}

/// A random nonce from this thread's CSPRNG (ChaCha, seeded and reseeded from the operating
/// system): drawing each one from the OS cost a system call per sealed record, so one per hop.
fn fresh_nonce() -> XNonce {
    let mut bytes = [0u8; NONCE_LEN];
    rand::rng().fill_bytes(&mut bytes);
    XNonce::from(bytes)
}

/// The one place a service opens a sealed record. A record no configured key opens is not
/// silently dropped: it is counted (`salama_undecryptable_records_total`) and logged once per
/// key id, since after a key rotation done wrong every conversation would otherwise restart, and
/// every queued SMS die, without a word.
#[derive(Clone)]
pub struct Opener {
    sealer: std::sync::Arc<Sealer>,
    metrics: std::sync::Arc<crate::metrics::Metrics>,
}

impl Opener {
    pub fn new(sealer: std::sync::Arc<Sealer>, metrics: std::sync::Arc<crate::metrics::Metrics>) -> Opener {
        Opener { sealer, metrics }
    }

    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> Vec<u8> {
        self.sealer.seal(plaintext, context)
    }

    pub fn seal_after(&self, clear: &[u8], plaintext: &[u8], context: &[u8]) -> Vec<u8> {
        self.sealer.seal_after(clear, plaintext, context)
    }

    /// The record opened, or `None` (counted, and logged once per key id); `what` names the
    /// kind of record in that log line, never its content.
    pub fn open(&self, what: &'static str, sealed: &[u8], context: &[u8]) -> Option<Vec<u8>> {
        match self.sealer.open(sealed, context) {
            Ok(clear) => Some(clear),
            Err(e) => {
                let key = Sealer::key_id(sealed);
                if self.metrics.undecryptable(&key) {
                    tracing::error!(what, key, error = %e, "a record no configured key opens (is key {key} still in SALAMA__PRIVACY__ENCRYPTION_KEYS?); further ones under this key are only counted in salama_undecryptable_records_total");
                }
                None
            }
        }
    }

    /// A sealed text, opened (`None` when it does not open, counted as above, or is not UTF-8).
    pub fn open_text(&self, what: &'static str, sealed: &[u8], context: &[u8]) -> Option<String> {
        String::from_utf8(self.open(what, sealed, context)?).ok()
    }
}

/// Text from outside (a provider's error message) with every run of six or more digits
/// replaced, so a number it quotes cannot reach a log line.
pub fn redact_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Digits, and single spaces between them ("+254 712 345 678").
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let kept = run.trim_end();
        if kept.chars().filter(char::is_ascii_digit).count() >= 6 {
            out.push_str("[number]");
        } else {
            out.push_str(kept);
        }
        out.push_str(&run[kept.len()..]);
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() || (c == ' ' && !run.is_empty() && !run.ends_with(' ')) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

impl Sealer {
    /// The record sealed again under the first key; `Ok(None)` when it already is.
    pub fn reseal(&self, sealed: &[u8], context: &[u8]) -> Result<Option<Vec<u8>>, SealError> {
        let current = self.keys[0].0.as_bytes();
        if sealed.get(1..1 + current.len()) == Some(current) && sealed.first() == Some(&(current.len() as u8)) {
            return Ok(None);
        }
        let plain = self.open(sealed, context)?;
        Ok(Some(self.seal(&plain, context)))
    }
}

/// A key spec fragment fit for an error message.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_number_gets_the_same_pseudonym_and_it_holds_no_digits_of_it() {
        let p = Pseudonymizer::new(&[7u8; 32]).unwrap();
        let n = E164::parse("+254712345678", None).unwrap();
        assert_eq!(p.of(&n), p.of(&n));
        assert_eq!(p.of(&n).len(), 32);
        // Stored keys carry pseudonyms: the lowercase hex of the HMAC's first 16 bytes, always.
        let mut mac = Hmac::<Sha256>::new_from_slice(&[7u8; 32]).unwrap();
        mac.update(b"+254712345678");
        let expected: String = mac.finalize().into_bytes()[..16].iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(p.of(&n), expected);
        assert!(!p.of(&n).contains("712345678"));
        let other = Pseudonymizer::new(&[8u8; 32]).unwrap();
        assert_ne!(p.of(&n), other.of(&n), "another secret gives another pseudonym");
    }

    #[test]
    fn a_short_secret_is_refused() {
        assert!(Pseudonymizer::new(b"too short").is_err());
    }

    #[test]
    fn numbers_in_outside_text_are_redacted() {
        assert_eq!(
            redact_numbers("The 'To' number +254712345678 is not valid"),
            "The 'To' number +[number] is not valid"
        );
        assert_eq!(redact_numbers("To +254 712 345 678 failed"), "To +[number] failed");
        assert_eq!(redact_numbers("error 21610 at 12:30"), "error 21610 at 12:30");
    }

    const K1: &str = "k1:0101010101010101010101010101010101010101010101010101010101010101";
    const K2: &str = "k2:0202020202020202020202020202020202020202020202020202020202020202";

    #[test]
    fn a_sealed_record_opens_with_its_context_only_and_hides_the_text() {
        let sealer = Sealer::from_spec(K1).unwrap();
        let sealed = sealer.seal(b"+254712345678", b"record-1");
        assert!(!sealed.windows(9).any(|w| w == b"712345678"));
        assert_eq!(sealer.open(&sealed, b"record-1").unwrap(), b"+254712345678");
        assert_eq!(sealer.open(&sealed, b"record-2"), Err(SealError::Damaged));
        assert_ne!(sealer.seal(b"same", b"c"), sealer.seal(b"same", b"c"), "a fresh nonce each time");
    }

    #[test]
    fn a_record_sealed_after_clear_bytes_keeps_them_and_opens_after_them() {
        let sealer = Sealer::from_spec(K1).unwrap();
        let sealed = sealer.seal_after(&[0, 7], b"session", b"key");
        assert_eq!(sealed[..2], [0, 7]);
        assert_eq!(sealer.open(&sealed[2..], b"key").unwrap(), b"session");
        assert_eq!(sealer.open(&sealed[2..], b"other"), Err(SealError::Damaged));
        assert_eq!(sealed.len(), 2 + sealer.seal(b"session", b"key").len(), "the layout of a record sealed alone");
    }

    /// `.cargo/config.toml` picks Poly1305's portable backend: 3.4 times faster on records this
    /// short. `RUSTFLAGS` or `CARGO_ENCODED_RUSTFLAGS` in the environment silently drop it.
    #[test]
    #[allow(clippy::assertions_on_constants)] // a failing test, not a build that stops
    fn poly1305_is_built_with_its_portable_backend() {
        assert!(
            cfg!(poly1305_backend = "soft"),
            "RUSTFLAGS, CARGO_ENCODED_RUSTFLAGS or a target's rustflags replaced .cargo/config.toml's"
        );
    }

    #[test]
    fn a_new_key_seals_while_old_records_still_open() {
        let old = Sealer::from_spec(K1).unwrap().seal(b"old", b"c");
        let rolled = Sealer::from_spec(&format!("{K2},{K1}")).unwrap();
        assert_eq!(rolled.open(&old, b"c").unwrap(), b"old");
        assert_eq!(rolled.seal(b"new", b"c")[1..3], *b"k2");
        let resealed = rolled.reseal(&old, b"c").unwrap().unwrap();
        assert_eq!(Sealer::from_spec(K2).unwrap().open(&resealed, b"c").unwrap(), b"old");
        assert_eq!(rolled.reseal(&resealed, b"c"), Ok(None), "already under the new key");
        let without_k1 = Sealer::from_spec(K2).unwrap();
        assert_eq!(without_k1.open(&old, b"c"), Err(SealError::UnknownKey("k1".into())));
    }

    #[test]
    fn a_record_that_does_not_open_names_only_a_real_key_id() {
        assert_eq!(Sealer::key_id(&Sealer::from_spec(K1).unwrap().seal(b"x", b"c")), "k1");
        // A plain number stored where a sealed record should be: its first byte reads as a length.
        assert_eq!(Sealer::key_id(b"\x0c+254712345678"), "?");
        assert_eq!(Sealer::key_id(b"\x02k"), "?", "cut short");
        assert_eq!(Sealer::key_id(b""), "?");
    }

    #[test]
    fn bad_key_specs_are_refused_without_echoing_the_key() {
        for spec in ["", "k1", "k1:abcd", "bad id:0101010101010101010101010101010101010101010101010101010101010101"] {
            let e = Sealer::from_spec(spec).err().unwrap().to_string();
            assert!(!e.contains("abcd"), "{e}");
        }
    }

    proptest::proptest! {
        #[test]
        fn opening_any_bytes_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..100)) {
            let _ = Sealer::from_spec(K1).unwrap().open(&bytes, b"c");
        }
    }
}
