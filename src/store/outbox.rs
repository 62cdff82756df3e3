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

/// How much the outbox holds (for the console).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backlog {
    /// Messages due now and not yet taken by a worker.
    pub due_now: usize,
    /// Every message still to send: due now, waiting for a retry, or being sent.
    pub pending: usize,
    /// When the longest-waiting message due now became due.
    pub oldest_due_ms: Option<u64>,
}

/// Why a claimed `sending` message is dead.
pub const LOST_WORKER: &str =
    "outcome unknown: a worker stopped while sending it; check the provider's log before `salama outbox retry`";
