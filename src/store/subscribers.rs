//! A subscriber's keys as a whole: erasure, the block list, the rate limit. Every key of hers
//! shares the tag `salama:{u:<pseudonym>}`; the block list is also kept as a set,
//! `salama:{abuse}:blocked`, so that an operator can list it.

use super::{Store, StoreError};

/// The prefix of every key of a subscriber.
pub(crate) fn prefix(pseudonym: &str) -> String {
    format!("salama:{{u:{pseudonym}}}")
}

/// Subscribers' operations: `store.subscribers()`.
pub struct Subscribers<'a>(pub(super) &'a Store);

impl Subscribers<'_> {
    /// Deletes every key of a subscriber (sessions, language, transcripts, dedupe marks), but her
    /// place on the block list.
    pub async fn erase(&self, pseudonym: &str) -> Result<usize, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.erase_prefix(&prefix(pseudonym))),
            Store::Redis(r) => r.erase_subscriber(pseudonym).await,
        }
    }

    /// Puts a number (by pseudonym) on the block list, or takes it off.
    pub async fn set_blocked(&self, pseudonym: &str, blocked: bool) -> Result<(), StoreError> {
        match self.0 {
            Store::Memory(m) => {
                m.set_blocked(pseudonym, blocked);
                Ok(())
            }
            Store::Redis(r) => r.set_blocked(pseudonym, blocked).await,
        }
    }

    /// The pseudonyms on the block list.
    pub async fn blocked(&self) -> Result<Vec<String>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.blocked_list()),
            Store::Redis(r) => r.blocked().await,
        }
    }

    /// GCRA: whether this sender may send one more message now (`per_minute` steady, `burst`
    /// at once). Shared by every gateway on the Redis.
    pub async fn rate_allow(&self, pseudonym: &str, per_minute: u32, burst: u32) -> Result<bool, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.rate_allow(pseudonym, per_minute, burst)),
            Store::Redis(r) => r.rate_allow(pseudonym, per_minute, burst).await,
        }
    }
}
