//! USSD sessions and SMS conversations: their keys, what a hop loads and what it saves.
//!
//! A USSD session lives under the subscriber's tag (`salama:{u:<pseudonym>}:ussd:<id>`, the id
//! a hash of the provider and its session id) so that a hop's load (session and block, or
//! language and block) is one MGET and its save one write.

use std::time::Duration;

use super::{Store, StoreError};
use crate::flow::session::fnv1a;

/// The keys one USSD hop reads and writes.
#[derive(Debug, Clone)]
pub struct SessionKeys {
    pub session: String,
    pub locale: String,
    pub blocked: String,
    /// Where versions before the hashed key kept this session (`...:ussd:<provider>:<id>`). Set
    /// by the quick exit only, so that it deletes that copy too while old and new instances run
    /// side by side during an upgrade.
    pub earlier: Option<String>,
}

impl SessionKeys {
    /// The session's key holds 16 hex digits of a hash of `provider` and `session_id` rather than
    /// both: a key of a fixed 65 bytes, whatever the length of a provider's ids, keeps a session
    /// with a note within 256 bytes of Redis memory (issue 13), and two sessions of one
    /// subscriber never meet by chance in 64 bits.
    pub fn new(pseudonym: &str, provider: &str, session_id: &str) -> Self {
        let mut id = [0u8; 16];
        hex::encode_to_slice(fnv1a(&[provider.as_bytes(), b":", session_id.as_bytes()]).to_be_bytes(), &mut id)
            .expect("16 hex digits for 8 bytes");
        let id = std::str::from_utf8(&id).expect("hex digits are ASCII");
        // `concat`: one allocation of the exact size each, without `format!`'s machinery (a hop).
        SessionKeys {
            session: ["salama:{u:", pseudonym, "}:ussd:", id].concat(),
            locale: ["salama:{u:", pseudonym, "}:locale"].concat(),
            blocked: ["salama:{u:", pseudonym, "}:blocked"].concat(),
            earlier: None,
        }
    }

    /// The session's id: the hash at the end of its key.
    pub fn id(&self) -> &str {
        &self.session[self.session.len() - 16..]
    }

    /// The same keys, with the key an earlier version kept the session under (see `earlier`).
    pub fn with_earlier(self, pseudonym: &str, provider: &str, session_id: &str) -> Self {
        let earlier = ["salama:{u:", pseudonym, "}:ussd:", provider, ":", session_id].concat();
        SessionKeys { earlier: Some(earlier), ..self }
    }
}

/// The keys one inbound SMS reads and writes.
#[derive(Debug, Clone)]
pub struct SmsKeys {
    pub session: String,
    pub seen: String,
    pub transcript: String,
    pub locale: String,
    pub blocked: String,
}

impl SmsKeys {
    /// `message_id` must already be checked by the channel.
    pub fn new(pseudonym: &str, helpline: &str, provider: &str, message_id: &str) -> Self {
        let user = format!("salama:{{u:{pseudonym}}}");
        SmsKeys {
            session: format!("{user}:sms:{helpline}"),
            seen: format!("{user}:seen:{provider}:{message_id}"),
            transcript: format!("{user}:transcript:{helpline}"),
            locale: format!("{user}:locale"),
            blocked: format!("{user}:blocked"),
        }
    }
}

/// What an inbound SMS finds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct LoadedSms {
    pub session: Option<Vec<u8>>,
    /// This very message was already handled (a provider's retry).
    pub seen: bool,
    pub locale: Option<String>,
    /// The number is on the block list.
    pub blocked: bool,
}

/// What an inbound SMS writes, in one atomic step that also marks it seen.
#[derive(Debug)]
pub struct SmsSave<'a> {
    /// The sealed session, or `None` to delete it and the transcript (quick exit).
    pub session: Option<&'a [u8]>,
    pub ttl: Duration,
    pub seen_ttl: Duration,
    /// A sealed free text to keep for the counsellor.
    pub transcript: Option<&'a [u8]>,
    pub remember: Option<&'a str>,
    pub remember_ttl: Duration,
}

/// What a hop finds: the session, her remembered language, the block list.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    pub session: Option<Vec<u8>>,
    /// Read only by [`Sessions::remembered`] and [`Sessions::load_with_language`]: a stored
    /// session knows the language it began in, and reading hers on every hop cost Redis a
    /// third key (issue 13).
    pub locale: Option<String>,
    /// The number is on the block list.
    pub blocked: bool,
}

/// What a hop writes: the session and the language, in one round trip; never a session moved
/// backwards (undone at once on Redis, see `redis/sessions.rs`).
#[derive(Debug)]
pub struct SessionSave<'a> {
    /// Hop count of the new state; a stored state with as many hops or more is left alone.
    pub hops: u16,
    /// The encoded session, or `None` to delete it (quick exit).
    pub session: Option<&'a [u8]>,
    pub ttl: Duration,
    /// A language to remember for the subscriber.
    pub remember: Option<&'a str>,
    pub remember_ttl: Duration,
}

/// What [`Sessions::save_unless_blocked`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    Written,
    /// Not written: the store held something other than the state the hop stepped from (a
    /// newer hop, another instance's, nothing after an erasure or a flush). The caller loads.
    Stale,
    /// Her number is on the block list: the hop keeps nothing, and her session is deleted.
    Blocked,
}

/// What a hop that did not load stepped from, for [`Sessions::save_unless_blocked`] to find in
/// the store before its save may stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected<'a> {
    /// The sealed state a hop saved.
    Session(&'a [u8]),
    /// No session yet, and her remembered language as the first hop read it (`None`: none).
    Begun(Option<&'a str>),
}

/// The hop count at the front of an encoded session (see [`crate::flow::session`]).
pub(crate) fn stored_hops(bytes: &[u8]) -> Option<u16> {
    Some(u16::from_be_bytes([*bytes.first()?, *bytes.get(1)?]))
}

/// Sessions' operations: `store.sessions()`.
pub struct Sessions<'a>(pub(super) &'a Store);

impl Sessions<'_> {
    /// Her remembered language and the block list, in one round trip: all that the first hop
    /// of a session needs, and what a hop whose session was lost reads to rebuild it.
    pub async fn remembered(&self, keys: &SessionKeys) -> Result<Loaded, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.load(keys, false, true)),
            Store::Redis(r) => r.load(keys, false, true).await,
        }
    }

    /// The session and the block list, in one round trip: what a hop that continues a session
    /// needs.
    pub async fn load(&self, keys: &SessionKeys) -> Result<Loaded, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.load(keys, true, false)),
            Store::Redis(r) => r.load(keys, true, false).await,
        }
    }

    /// The session, her remembered language and the block list, in one round trip: the second
    /// request of a session begins one from her language, unless it is a retry whose session
    /// (which may have just remembered that language) is stored.
    pub async fn load_with_language(&self, keys: &SessionKeys) -> Result<Loaded, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.load(keys, true, true)),
            Store::Redis(r) => r.load(keys, true, true).await,
        }
    }

    /// Writes a hop's result atomically; `Ok(false)` when a newer state was already stored (a
    /// retried or reordered request), in which case nothing was written.
    pub async fn save(&self, keys: &SessionKeys, save: &SessionSave<'_>) -> Result<bool, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.save(keys, save)),
            Store::Redis(r) => r.save(keys, save).await,
        }
    }

    /// Writes a hop's result and reads the block list in the same round trip, for a hop that
    /// continues a session without loading it: the gateway kept what it stepped from
    /// (`engine::kept`). The save stands only when she is not blocked and the store holds what
    /// the hop expects (`expected`); otherwise nothing of it stays (the store is the truth) and
    /// the caller loads, or, for a blocked number, refuses her and her session is deleted.
    /// `save` holds a session: a quick exit goes through `save`.
    pub async fn save_unless_blocked(
        &self,
        keys: &SessionKeys,
        save: &SessionSave<'_>,
        expected: Expected<'_>,
    ) -> Result<Checked, StoreError> {
        debug_assert!(save.session.is_some(), "a step saves a session");
        match self.0 {
            Store::Memory(m) => Ok(m.save_unless_blocked(keys, save, expected)),
            Store::Redis(r) => r.save_unless_blocked(keys, save, expected).await,
        }
    }

    /// The SMS conversation, whether this message was seen, and the language: one round trip.
    pub async fn load_sms(&self, keys: &SmsKeys) -> Result<LoadedSms, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.load_sms(keys)),
            Store::Redis(r) => r.load_sms(keys).await,
        }
    }

    /// Saves an SMS's result and marks it seen; `Ok(false)` when another request handled the same
    /// message first, in which case nothing was written.
    pub async fn save_sms(&self, keys: &SmsKeys, save: &SmsSave<'_>) -> Result<bool, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.save_sms(keys, save)),
            Store::Redis(r) => r.save_sms(keys, save).await,
        }
    }

    /// The sealed free texts kept for a conversation, oldest first.
    pub async fn transcript(&self, keys: &SmsKeys) -> Result<Vec<Vec<u8>>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.transcript(keys)),
            Store::Redis(r) => r.transcript(keys).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_key_is_65_bytes_and_names_its_provider_and_id_by_hash_only() {
        let pseudonym = "0123456789abcdef0123456789abcdef";
        let at = SessionKeys::new(pseudonym, "africastalking", "ATUid_5f2c0123456789abcdef0123456789ab");
        assert_eq!(at.session.len(), 65, "{}", at.session);
        assert!(at.session.starts_with("salama:{u:0123456789abcdef0123456789abcdef}:ussd:"));
        assert!(!at.session.contains("ATUid") && !at.session.contains("africastalking"));
        assert_eq!(
            at.session,
            SessionKeys::new(pseudonym, "africastalking", "ATUid_5f2c0123456789abcdef0123456789ab").session
        );
        assert_ne!(
            at.session,
            SessionKeys::new(pseudonym, "infobip", "ATUid_5f2c0123456789abcdef0123456789ab").session
        );
        assert_ne!(
            at.session,
            SessionKeys::new(pseudonym, "africastalking", "ATUid_5f2c0123456789abcdef0123456789ac").session
        );
        assert_eq!(SessionKeys::new(pseudonym, "africastalking", "s").session.len(), 65);
    }
}
