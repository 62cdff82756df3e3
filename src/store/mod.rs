//! Every piece of state Salama keeps, behind one type with two backends: Redis for deployments,
//! and an embedded in-memory store with the same behaviour for the demo and for tests.
//!
//! Keys are hash-tagged so that one script touches one Redis Cluster slot: a subscriber's keys
//! share `{u:<pseudonym>}`, the outbox's share `{outbox}`.
//!
//! | key | holds | lives |
//! |---|---|---|
//! | `salama:{u:<pseudonym>}:locale` | the subscriber's language | `privacy.remember_days` |
//! | `salama:{u:<pseudonym>}:ussd:<provider>:<session id>` | one USSD session, sealed | `ussd.session_ttl_secs` |
//! | `salama:{u:<pseudonym>}:sms:<helpline>` | the SMS conversation, sealed | `sms_session_hours` |
//! | `salama:{u:<pseudonym>}:transcript:<helpline>` | her free texts, each sealed | `sms_session_hours` |
//! | `salama:{u:<pseudonym>}:seen:<provider>:<message id>` | an inbound SMS was handled | 24 h |
//! | `salama:{outbox}:msg:<id>` | one SMS to send: number and text sealed, state, attempts | until sent, then `outbox.retention_days` |
//! | `salama:{outbox}:due` | ids by the time they are due (or their lease ends) | |
//! | `salama:{outbox}:dead` | dead letters by time | |
//! | `salama:{outbox}:ref:<provider>:<provider id>` | our id for a provider's id (delivery reports) | `outbox.retention_days` |
//! | `salama:{esc}:case:<id>` | a case: state, urgency, answers; her number and note sealed | |
//! | `salama:{esc}:log:<id>` | the case's audit trail | |
//! | `salama:{esc}:timers` | case ids by the time their acknowledgement is due | |
//! | `salama:{esc}:open`, `code:<code>`, `for:<pseudonym>:<helpline>` | open cases, by code, by survivor | until closed |
//! | `salama:{esc}:by:<pseudonym>`, `all`, `purge` | cases by survivor (erasure), all cases (reports), when to drop contact details | |
//! | `salama:{outbox}:owner:<pseudonym>` | her messages in the outbox (quick exit, erasure) | |
//! | `salama:{u:<pseudonym>}:blocked`, `salama:{abuse}:blocked` | the block list | until unblocked |
//! | `salama:{u:<pseudonym>}:rate` | the sender's rate limit (GCRA) | a minute |
//!
//! DESIGN.md sketches the session key as `salama:{s:<provider>:<session>}`. It sits under the
//! subscriber's tag instead, so that a hop's load (session + language) is one MGET and its save
//! (session + language) one script, both on a single slot. The number itself appears in no key.

pub mod cases;
pub mod memory;
pub mod outbox;
pub mod redis;

pub use cases::{CaseOpen, CaseWrite, Opened, Timer};
pub use outbox::{Backlog, Claimed, DeadLetter, Enqueue};

use std::collections::HashMap;
use std::time::Duration;

/// The keys one USSD hop reads and writes.
#[derive(Debug, Clone)]
pub struct SessionKeys {
    pub session: String,
    pub locale: String,
    pub blocked: String,
}

impl SessionKeys {
    /// `session_id` must already be checked by the channel (short, no spaces or braces).
    pub fn new(pseudonym: &str, provider: &str, session_id: &str) -> Self {
        SessionKeys {
            session: format!("salama:{{u:{pseudonym}}}:ussd:{provider}:{session_id}"),
            locale: format!("salama:{{u:{pseudonym}}}:locale"),
            blocked: format!("salama:{{u:{pseudonym}}}:blocked"),
        }
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

/// What a hop finds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    pub session: Option<Vec<u8>>,
    pub locale: Option<String>,
    /// The number is on the block list.
    pub blocked: bool,
}

/// What a hop writes, in one atomic step.
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

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{0} is not a Redis URL; use redis://host:port, rediss://host:port (TLS) or redis+unix:///path/to/redis.sock"
    )]
    Url(String),
    #[error("Redis: {0}")]
    Redis(#[from] ::redis::RedisError),
    #[error("Redis did not answer within {0:?}")]
    Timeout(Duration),
}

pub enum Store {
    Memory(memory::MemoryStore),
    Redis(redis::RedisStore),
}

impl Store {
    /// Redis when a URL is given, the embedded store otherwise. Does not wait for Redis to be up:
    /// a gateway that starts during an outage still answers survivors (with the fallback screen).
    ///
    /// `ca_pem`: the CA to trust for `rediss://` instead of the public web roots.
    pub fn open(redis_url: Option<&str>, ca_pem: Option<Vec<u8>>) -> Result<Store, StoreError> {
        Ok(match redis_url {
            Some(url) => Store::Redis(redis::RedisStore::open(url, ca_pem)?),
            None => Store::Memory(memory::MemoryStore::default()),
        })
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Store::Memory(_) => "embedded",
            Store::Redis(_) => "redis",
        }
    }

    /// The remembered language and the block list: the first hop of a session needs nothing else.
    pub async fn load_first_hop(&self, keys: &SessionKeys) -> Result<Loaded, StoreError> {
        match self {
            Store::Memory(m) => Ok(Loaded { session: None, ..m.load(keys) }),
            Store::Redis(r) => r.load_first_hop(keys).await,
        }
    }

    /// The session and the remembered language, in one round trip.
    pub async fn load(&self, keys: &SessionKeys) -> Result<Loaded, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.load(keys)),
            Store::Redis(r) => r.load(keys).await,
        }
    }

    /// Writes a hop's result atomically; `Ok(false)` when a newer state was already stored (a
    /// retried or reordered request), in which case nothing was written.
    pub async fn save(&self, keys: &SessionKeys, save: &SessionSave<'_>) -> Result<bool, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.save(keys, save)),
            Store::Redis(r) => r.save(keys, save).await,
        }
    }

    /// The SMS conversation, whether this message was seen, and the language: one round trip.
    pub async fn load_sms(&self, keys: &SmsKeys) -> Result<LoadedSms, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.load_sms(keys)),
            Store::Redis(r) => r.load_sms(keys).await,
        }
    }

    /// Saves an SMS's result and marks it seen; `Ok(false)` when another request handled the same
    /// message first, in which case nothing was written.
    pub async fn save_sms(&self, keys: &SmsKeys, save: &SmsSave<'_>) -> Result<bool, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.save_sms(keys, save)),
            Store::Redis(r) => r.save_sms(keys, save).await,
        }
    }

    /// The sealed free texts kept for a conversation, oldest first.
    pub async fn transcript(&self, keys: &SmsKeys) -> Result<Vec<Vec<u8>>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.transcript(keys)),
            Store::Redis(r) => r.transcript(keys).await,
        }
    }

    /// Puts a message in the outbox; `Ok(false)` when that id is already there.
    pub async fn outbox_enqueue(&self, message: &Enqueue) -> Result<bool, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.outbox().enqueue(message)),
            Store::Redis(r) => r.outbox_enqueue(message).await,
        }
    }

    /// Claims up to `limit` due messages for `lease_ms`; puts the ones a lost worker held in the
    /// dead letters (see [`outbox`]).
    pub async fn outbox_claim(&self, now_ms: u64, lease_ms: u64, limit: usize) -> Result<Vec<Claimed>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.outbox().claim(now_ms, lease_ms, limit)),
            Store::Redis(r) => r.outbox_claim(now_ms, lease_ms, limit).await,
        }
    }

    /// Records a provider's acceptance; the sealed number and text are dropped, as nothing needs
    /// them any more.
    pub async fn outbox_sent(
        &self,
        id: &str,
        provider: &str,
        provider_id: &str,
        keep: Duration,
    ) -> Result<(), StoreError> {
        match self {
            Store::Memory(m) => {
                m.outbox().sent(id, provider, provider_id);
                Ok(())
            }
            Store::Redis(r) => r.outbox_sent(id, provider, provider_id, keep).await,
        }
    }

    /// Back to `queued`, due at `due_ms`.
    pub async fn outbox_retry(&self, id: &str, due_ms: u64, error: &str) -> Result<(), StoreError> {
        match self {
            Store::Memory(m) => {
                m.outbox().retry(id, due_ms, error);
                Ok(())
            }
            Store::Redis(r) => r.outbox_retry(id, due_ms, error).await,
        }
    }

    pub async fn outbox_dead(&self, id: &str, now_ms: u64, error: &str, keep: Duration) -> Result<(), StoreError> {
        match self {
            Store::Memory(m) => {
                m.outbox().dead(id, now_ms, error);
                Ok(())
            }
            Store::Redis(r) => r.outbox_dead(id, now_ms, error, keep).await,
        }
    }

    /// Applies a delivery report; returns our id when the message is known.
    pub async fn outbox_delivery(
        &self,
        provider: &str,
        provider_id: &str,
        state: &str,
    ) -> Result<Option<String>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.outbox().delivery(provider, provider_id, state)),
            Store::Redis(r) => r.outbox_delivery(provider, provider_id, state).await,
        }
    }

    /// The newest dead letters first.
    pub async fn outbox_dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.outbox().dead_letters(limit)),
            Store::Redis(r) => r.outbox_dead_letters(limit).await,
        }
    }

    /// Puts one dead letter (or all of them) back in the queue, due now, with fresh attempts.
    pub async fn outbox_requeue(&self, id: Option<&str>, now_ms: u64) -> Result<usize, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.outbox().requeue(id, now_ms)),
            Store::Redis(r) => r.outbox_requeue(id, now_ms).await,
        }
    }

    /// How many messages wait to be sent, and since when.
    pub async fn outbox_backlog(&self, now_ms: u64) -> Result<Backlog, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.outbox().backlog(now_ms)),
            Store::Redis(r) => r.outbox_backlog(now_ms).await,
        }
    }

    /// A message's state (`queued`, `sending`, `sent`, `delivered`, `failed`, `dead`).
    pub async fn outbox_state(&self, id: &str) -> Result<Option<String>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.outbox().state(id)),
            Store::Redis(r) => r.outbox_state(id).await,
        }
    }

    pub async fn case_open(&self, open: &CaseOpen) -> Result<Opened, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.cases().open(open)),
            Store::Redis(r) => r.case_open(open).await,
        }
    }

    /// A case's fields (with `version`), or `None`.
    pub async fn case_get(&self, id: &str) -> Result<Option<HashMap<String, Vec<u8>>>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.cases().get(id)),
            Store::Redis(r) => r.case_get(id).await,
        }
    }

    /// An open case's id by `code:<code>` or `for:<pseudonym>:<helpline>`.
    pub async fn case_lookup(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.cases().lookup(key)),
            Store::Redis(r) => r.case_lookup(key).await,
        }
    }

    /// Applies a change if the case is still at the version it was read at.
    pub async fn case_write(&self, write: &CaseWrite) -> Result<bool, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.cases().write(write)),
            Store::Redis(r) => r.case_write(write).await,
        }
    }

    /// Case ids whose timer is due, each held for `lease_ms` so one gateway handles it.
    pub async fn case_claim(&self, now_ms: u64, lease_ms: u64, limit: usize) -> Result<Vec<String>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.cases().claim(now_ms, lease_ms, limit)),
            Store::Redis(r) => r.case_claim(now_ms, lease_ms, limit).await,
        }
    }

    pub async fn cases_open(&self) -> Result<Vec<String>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.cases().open_ids()),
            Store::Redis(r) => r.cases_open().await,
        }
    }

    pub async fn case_log(&self, id: &str) -> Result<Vec<String>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.cases().log(id)),
            Store::Redis(r) => r.case_log(id).await,
        }
    }

    /// Cancels her queued SMS (quick exit); with `erase`, also drops the sealed number and text of
    /// every message of hers still kept (erasure). Returns how many were cancelled.
    pub async fn outbox_cancel(&self, owner: &str, erase: bool) -> Result<usize, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.outbox().cancel(owner, erase)),
            Store::Redis(r) => r.outbox_cancel(owner, erase).await,
        }
    }

    /// Deletes every key of a subscriber (sessions, language, transcripts, dedupe marks).
    pub async fn erase_subscriber(&self, pseudonym: &str) -> Result<usize, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.erase_prefix(&format!("salama:{{u:{pseudonym}}}"))),
            Store::Redis(r) => r.erase_subscriber(pseudonym).await,
        }
    }

    /// Puts a number (by pseudonym) on the block list, or takes it off.
    pub async fn set_blocked(&self, pseudonym: &str, blocked: bool) -> Result<(), StoreError> {
        match self {
            Store::Memory(m) => {
                m.set_blocked(pseudonym, blocked);
                Ok(())
            }
            Store::Redis(r) => r.set_blocked(pseudonym, blocked).await,
        }
    }

    pub async fn blocked(&self) -> Result<Vec<String>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.blocked_list()),
            Store::Redis(r) => r.blocked().await,
        }
    }

    /// GCRA: whether this sender may send one more message now (`per_minute` steady, `burst`
    /// at once). Shared by every gateway on the Redis.
    pub async fn rate_allow(&self, pseudonym: &str, per_minute: u32, burst: u32) -> Result<bool, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.rate_allow(pseudonym, per_minute, burst)),
            Store::Redis(r) => r.rate_allow(pseudonym, per_minute, burst).await,
        }
    }

    /// Every case that named this survivor.
    pub async fn cases_of(&self, pseudonym: &str) -> Result<Vec<String>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.cases().of(pseudonym)),
            Store::Redis(r) => r.cases_of(pseudonym).await,
        }
    }

    /// Every case ever opened (for reports).
    pub async fn cases_all(&self) -> Result<Vec<String>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.cases().all()),
            Store::Redis(r) => r.cases_all().await,
        }
    }

    /// Drops a case's contact details (number, note, who she is); the case stays as a statistic.
    pub async fn case_anonymize(&self, id: &str) -> Result<(), StoreError> {
        match self {
            Store::Memory(m) => {
                m.cases().anonymize(id);
                Ok(())
            }
            Store::Redis(r) => r.case_anonymize(id).await,
        }
    }

    /// When a closed case's contact details are to be dropped.
    pub async fn case_purge_at(&self, id: &str, at_ms: u64) -> Result<(), StoreError> {
        match self {
            Store::Memory(m) => {
                m.cases().purge_at(id, at_ms);
                Ok(())
            }
            Store::Redis(r) => r.case_purge_at(id, at_ms).await,
        }
    }

    /// Cases whose contact details are due to be dropped; taken off the list.
    pub async fn case_purge_due(&self, now_ms: u64, limit: usize) -> Result<Vec<String>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.cases().purge_due(now_ms, limit)),
            Store::Redis(r) => r.case_purge_due(now_ms, limit).await,
        }
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Store::Memory(_) => Ok(()),
            Store::Redis(r) => r.ping().await,
        }
    }
}

/// The hop count at the front of an encoded session (see [`crate::flow::session`]).
pub(crate) fn stored_hops(bytes: &[u8]) -> Option<u16> {
    Some(u16::from_be_bytes([*bytes.first()?, *bytes.get(1)?]))
}
