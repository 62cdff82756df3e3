//! The outbox's records and the rules both backends follow.
//!
//! **In one sentence:** every message is held by one worker at a time under a lease of its own,
//! and a message whose worker is lost is sent again, so nothing is lost; it can reach its
//! recipient twice only when the worker was lost after its request had left and before the
//! provider's answer was recorded, and that second send is counted (and marked on a page).
//!
//! A message moves `queued` -> `sending` (claimed: its own lease, and a new `attempt` number)
//! -> `sent` -> `delivered` or `failed` (delivery reports); or back to `queued` (a retryable
//! error, due later; or released unstarted at shutdown); or to `dead` (a permanent error, or its
//! tries used up). A worker records `started` right before its request leaves
//! ([`Outbox::start`]). A claim whose lease ran out is claimed again: if its send had not
//! started nothing can have gone out; if it had, the provider may have it, and the next claim
//! says so (`again`), so the worker counts it and marks a page "sent again".
//!
//! SENT, RETRY, DEAD and REQUEUE carry the attempt they finish: a worker whose lease ran out
//! and whose message was claimed again cannot overwrite what the newer attempt does.
//! `salama outbox retry` ([`Outbox::revive`]) takes only dead letters.
//!
//! On Redis with replicas, ENQUEUE and START return once a replica has them (or did not confirm
//! in time, counted): a master lost with its last writes cannot lose a message it accepted, nor
//! make a send that had begun look as if it had not (see `store::redis::replicas`).
//!
//! Pages to counsellors wait in a queue of their own, claimed before replies to survivors.

use std::time::Duration;

use super::{Store, StoreError};

/// The tag every outbox key shares: one slot.
pub(crate) const OUTBOX: &str = "salama:{outbox}";

/// Dead letters and their ids kept at most (the oldest go first); each also expires after
/// `outbox.retention_days`.
pub const DEAD_LETTERS_KEPT: usize = 10_000;

/// `salama:{outbox}:msg:<id>`: one message (hash: `state`, `kind`, `attempt`, `tries`,
/// `started`, `again`, `helpline`, `provider`, `fallback`, `sender`, sealed `to` and `body`,
/// then `error`, `dead_at`, `sent_by`, `provider_id`).
pub(crate) fn message_key(id: &str) -> String {
    format!("{OUTBOX}:msg:{id}")
}

/// Which queue a message waits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// A page or any message to a counsellor: claimed first.
    Page,
    /// A message to a survivor.
    Reply,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Page => "page",
            Priority::Reply => "reply",
        }
    }
}

/// One SMS to put in the outbox.
#[derive(Debug, Clone)]
pub struct Enqueue {
    /// Derived from what caused it (an inbound message id and a part), so that a retried cause
    /// enqueues nothing new.
    pub id: String,
    pub priority: Priority,
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
    pub priority: Priority,
    pub helpline: String,
    pub provider: String,
    pub fallback: Option<String>,
    pub to: Vec<u8>,
    pub body: Vec<u8>,
    /// This claim's number, never reused for the message: what SENT, RETRY, DEAD and REQUEUE
    /// carry.
    pub attempt: u64,
    /// Tries since it was queued (or revived), including this one: for the backoff and the
    /// give-up.
    pub tries: u32,
    /// An earlier attempt had started sending and its outcome is unknown: this send may be a
    /// duplicate.
    pub again: bool,
    pub sender: Option<String>,
}

/// What a claim found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    Message(Box<Claimed>),
    /// Nothing due; the earliest due time (or lease end) when there is one.
    Idle {
        next_due_ms: Option<u64>,
    },
}

/// What putting a message in the outbox did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queued {
    /// Queued, on a replica too when the outbox's master has one.
    New,
    /// Queued on the master, but its replica did not confirm it in time (counted): should that
    /// master be lost before its replica catches up, the message is lost with it.
    Unreplicated,
    /// That id was already there: nothing written.
    Already,
}

/// What recording a send's start found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Started {
    /// Recorded, on a replica too when the outbox's master has one: send.
    Recorded,
    /// Recorded on the master, but its replica did not confirm it in time: send (a page held
    /// back while a replica recovers is worse), and count it. Should that master be lost before
    /// its replica catches up, the message can go a second time without the "sent again" mark.
    Unreplicated,
    /// The claim is no longer this worker's (claimed again, or cancelled): do not send.
    Refused,
}

/// A message that will not be sent without a person's say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    pub id: String,
    pub helpline: String,
    pub provider: String,
    pub tries: u32,
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

/// The outbox's operations: `store.outbox()`.
pub struct Outbox<'a>(pub(super) &'a Store);

impl Outbox<'_> {
    /// Puts a message in its queue and wakes a waiting worker; `keep`: how long her owner set
    /// lives. On Redis with replicas a new message is on a replica too before this returns (or
    /// its replica did not confirm in time): the caller answers 200, or records a page as sent,
    /// only once a master lost cannot take the message with it.
    pub async fn enqueue(&self, message: &Enqueue, keep: Duration) -> Result<Queued, StoreError> {
        match self.0 {
            Store::Memory(m) if m.enqueue(message) => Ok(Queued::New),
            Store::Memory(_) => Ok(Queued::Already),
            Store::Redis(r) => r.outbox_enqueue(message, keep).await,
        }
    }

    /// Claims the one message due first (pages before replies) for `lease_ms`.
    pub async fn claim(&self, now_ms: u64, lease_ms: u64) -> Result<Claim, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.outbox().claim(now_ms, lease_ms)),
            Store::Redis(r) => r.outbox_claim(now_ms, lease_ms).await,
        }
    }

    /// Records that the request for `attempt` is about to leave, and renews its lease. On Redis
    /// with replicas it returns once a replica has the record too (or did not confirm in time):
    /// a master lost with it cannot make the new master send the message as if for the first time.
    pub async fn start(&self, id: &str, attempt: u64, now_ms: u64, lease_ms: u64) -> Result<Started, StoreError> {
        match self.0 {
            Store::Memory(m) if m.outbox().start(id, attempt, now_ms + lease_ms) => Ok(Started::Recorded),
            Store::Memory(_) => Ok(Started::Refused),
            Store::Redis(r) => r.outbox_start(id, attempt, now_ms + lease_ms).await,
        }
    }

    /// Records a provider's acceptance; the sealed number and text are dropped, as nothing needs
    /// them any more. `Ok(false)`: refused, `attempt` is not the message's current claim.
    pub async fn sent(
        &self,
        id: &str,
        attempt: u64,
        provider: &str,
        provider_id: &str,
        keep: Duration,
    ) -> Result<bool, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.outbox().sent(id, attempt, provider, provider_id)),
            Store::Redis(r) => r.outbox_sent(id, attempt, provider, provider_id, keep).await,
        }
    }

    /// Back to `queued`, due at `due_ms`.
    pub async fn retry(&self, id: &str, attempt: u64, due_ms: u64, error: &str) -> Result<bool, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.outbox().retry(id, attempt, due_ms, error)),
            Store::Redis(r) => r.outbox_finish("retry", id, attempt, &[&due_ms.to_string(), error]).await,
        }
    }

    /// Into the dead letters, for a person to look at.
    pub async fn dead(
        &self,
        id: &str,
        attempt: u64,
        now_ms: u64,
        error: &str,
        keep: Duration,
    ) -> Result<bool, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.outbox().dead(id, attempt, now_ms, error)),
            Store::Redis(r) => r.outbox_dead(id, attempt, now_ms, error, keep).await,
        }
    }

    /// Gives back a claim whose send never started (a worker stopping): queued again, due now,
    /// the try not counted.
    pub async fn requeue(&self, id: &str, attempt: u64, now_ms: u64) -> Result<bool, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.outbox().requeue(id, attempt, now_ms)),
            Store::Redis(r) => r.outbox_finish("requeue", id, attempt, &[&now_ms.to_string()]).await,
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

    /// `salama outbox retry`: puts one dead letter (or all of them) back in its queue, due now,
    /// with fresh tries. Only dead letters: a message queued, being sent or sent is left alone.
    pub async fn revive(&self, id: Option<&str>, now_ms: u64) -> Result<usize, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.outbox().revive(id, now_ms)),
            Store::Redis(r) => r.outbox_revive(id, now_ms).await,
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
    /// every message of hers still kept, and the list of them (erasure). Returns how many were
    /// cancelled.
    pub async fn cancel(&self, owner: &str, erase: bool) -> Result<usize, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.outbox().cancel(owner, erase)),
            Store::Redis(r) => r.outbox_cancel(owner, erase).await,
        }
    }

    /// Waits until a message is queued (by any gateway) or `timeout` passes, without polling:
    /// a blocking pop on Redis, a notification in the embedded store.
    pub async fn wait(&self, waiter: &mut Waiter, timeout: Duration) {
        match self.0 {
            Store::Memory(m) => m.wait(timeout).await,
            Store::Redis(r) => r.outbox_wait(waiter, timeout).await,
        }
    }
}

/// A worker's own connection for waiting (a blocking pop would hold up a shared one).
#[derive(Default)]
pub struct Waiter {
    pub(super) connection: Option<super::redis::Connection>,
}
