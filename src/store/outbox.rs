//! The outbox's records and the rules both backends follow.
//!
//! A message moves `queued` -> `sending` (claimed, with a lease) -> `sent` -> `delivered` or
//! `failed` (delivery reports), or back to `queued` (a retryable error, due later), or to `dead`
//! (a permanent error, attempts used up, or a lost worker).
//!
//! How a message is not sent twice: a worker claims it (`sending`, and its due time pushed to the
//! end of the lease) *before* calling the provider, and records the answer right after. If the
//! worker dies between the two, the claim outlives the lease and the next claim finds the
//! message still `sending`: it may or may not have reached the provider, so it is not sent again
//! but put in the dead letters with that reason, for a person to check and `salama outbox retry`.
//! A second copy of a text on a survivor's phone can be worse than a late one. A worker killed
//! before it claimed leaves the message `queued`, and it is sent after restart, once.

use std::time::Duration;

use super::{Store, StoreError};

/// The tag every outbox key shares: one slot.
pub(crate) const OUTBOX: &str = "salama:{outbox}";

/// `salama:{outbox}:msg:<id>`: one message (hash: `state`, `attempts`, `helpline`, `provider`,
/// `fallback`, `sender`, sealed `to` and `body`, then `error`, `dead_at`, `sent_by`,
/// `provider_id`).
pub(crate) fn message_key(id: &str) -> String {
    format!("{OUTBOX}:msg:{id}")
}

/// One SMS to put in the outbox.
#[derive(Debug, Clone)]
pub struct Enqueue {
    /// Derived from what caused it (an inbound message id and a part), so that a retried cause
    /// enqueues nothing new.
    pub id: String,
    pub helpline: String,
    pub provider: String,
    pub fallback: Option<String>,
    /// The number, sealed under the message id.
    pub to: Vec<u8>,
    /// The text, sealed under the message id.
    pub body: Vec<u8>,
    pub due_ms: u64,
    /// The survivor's pseudonym, for a message to her: her quick exit or erasure cancels it.
    pub owner: Option<String>,
    /// A sender name to use instead of the provider's configured one (neutral mode).
    pub sender: Option<String>,
}

/// A message a worker now holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: String,
    pub helpline: String,
    pub provider: String,
    pub fallback: Option<String>,
    pub to: Vec<u8>,
    pub body: Vec<u8>,
    /// Including this one.
    pub attempts: u32,
    pub sender: Option<String>,
}

/// A message that will not be sent without a person's say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    pub id: String,
    pub helpline: String,
    pub provider: String,
    pub attempts: u32,
    pub error: String,
    pub at_ms: u64,
}

/// How much the outbox holds (for the console and `/metrics`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backlog {
    /// Messages due now and not yet taken by a worker.
    pub due_now: usize,
    /// Every message still to send: due now, waiting for a retry, or being sent.
    pub pending: usize,
    /// When the longest-waiting message due now became due.
    pub oldest_due_ms: Option<u64>,
    /// Messages in the dead letters.
    pub dead: usize,
}

/// Why a claimed `sending` message is dead.
pub const LOST_WORKER: &str =
    "outcome unknown: a worker stopped while sending it; check the provider's log before `salama outbox retry`";

/// The outbox's operations: `store.outbox()`.
pub struct Outbox<'a>(pub(super) &'a Store);

impl Outbox<'_> {
    /// Puts a message in the outbox; `Ok(false)` when that id is already there.
    pub async fn enqueue(&self, message: &Enqueue) -> Result<bool, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.outbox().enqueue(message)),
            Store::Redis(r) => r.outbox_enqueue(message).await,
        }
    }

    /// Claims up to `limit` due messages for `lease_ms`; puts the ones a lost worker held in the
    /// dead letters (see the module's doc).
    pub async fn claim(&self, now_ms: u64, lease_ms: u64, limit: usize) -> Result<Vec<Claimed>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.outbox().claim(now_ms, lease_ms, limit)),
            Store::Redis(r) => r.outbox_claim(now_ms, lease_ms, limit).await,
        }
    }

    /// Records a provider's acceptance; the sealed number and text are dropped, as nothing needs
    /// them any more.
    pub async fn sent(&self, id: &str, provider: &str, provider_id: &str, keep: Duration) -> Result<(), StoreError> {
        match self.0 {
            Store::Memory(m) => {
                m.outbox().sent(id, provider, provider_id);
                Ok(())
            }
            Store::Redis(r) => r.outbox_sent(id, provider, provider_id, keep).await,
        }
    }

    /// Back to `queued`, due at `due_ms`.
    pub async fn retry(&self, id: &str, due_ms: u64, error: &str) -> Result<(), StoreError> {
        match self.0 {
            Store::Memory(m) => {
                m.outbox().retry(id, due_ms, error);
                Ok(())
            }
            Store::Redis(r) => r.outbox_retry(id, due_ms, error).await,
        }
    }

    /// Into the dead letters, for a person to look at.
    pub async fn dead(&self, id: &str, now_ms: u64, error: &str, keep: Duration) -> Result<(), StoreError> {
        match self.0 {
            Store::Memory(m) => {
                m.outbox().dead(id, now_ms, error);
                Ok(())
            }
            Store::Redis(r) => r.outbox_dead(id, now_ms, error, keep).await,
        }
    }

    /// Applies a delivery report; returns our id when the message is known.
    pub async fn delivery(&self, provider: &str, provider_id: &str, state: &str) -> Result<Option<String>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.outbox().delivery(provider, provider_id, state)),
            Store::Redis(r) => r.outbox_delivery(provider, provider_id, state).await,
        }
    }

    /// The newest dead letters first.
    pub async fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.outbox().dead_letters(limit)),
            Store::Redis(r) => r.outbox_dead_letters(limit).await,
        }
    }

    /// Puts one dead letter (or all of them) back in the queue, due now, with fresh attempts.
    pub async fn requeue(&self, id: Option<&str>, now_ms: u64) -> Result<usize, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.outbox().requeue(id, now_ms)),
            Store::Redis(r) => r.outbox_requeue(id, now_ms).await,
        }
    }

    /// How many messages wait to be sent, and since when.
    pub async fn backlog(&self, now_ms: u64) -> Result<Backlog, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.outbox().backlog(now_ms)),
            Store::Redis(r) => r.outbox_backlog(now_ms).await,
        }
    }

    /// A message's state (`queued`, `sending`, `sent`, `delivered`, `failed`, `dead`,
    /// `cancelled`).
    pub async fn state(&self, id: &str) -> Result<Option<String>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.outbox().state(id)),
            Store::Redis(r) => r.outbox_state(id).await,
        }
    }

    /// Cancels her queued SMS (quick exit); with `erase`, also drops the sealed number and text of
    /// every message of hers still kept (erasure). Returns how many were cancelled.
    pub async fn cancel(&self, owner: &str, erase: bool) -> Result<usize, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.outbox().cancel(owner, erase)),
            Store::Redis(r) => r.outbox_cancel(owner, erase).await,
        }
    }
}
