//! Every piece of state Salama keeps, behind one type with two backends: Redis for deployments,
//! and an embedded in-memory store with the same behaviour for the demo and for tests.
//!
//! The operations are grouped by domain, each with its records and keys in one file:
//! [`sessions`] (USSD sessions, SMS conversations), [`outbox`] (SMS to send), [`cases`]
//! (escalations and their timers), [`subscribers`] (erasure, block list, rate limit). Call them
//! as `store.outbox().enqueue(..)`. Each domain is implemented once per backend
//! (`redis/<domain>.rs` with its scripts in `lua/`, `memory/<domain>.rs`), and one contract
//! suite (tests/it/store_contract/) runs every rule on both.
//!
//! Keys are hash-tagged so that one script touches one Redis Cluster slot: a subscriber's keys
//! share `{u:<pseudonym>}`, the outbox's share `{outbox}`, the cases' `{esc}` (her index keys in
//! the outbox and the cases carry her pseudonym under those tags, not hers). The one operation
//! that writes two slots, blocking a sender (her flag and the `{abuse}` list), is two commands in
//! a safe order. On a cluster (`redis+cluster://`, [`redis::Connection`]) scans visit every master.
//!
//! | key | holds | lives |
//! |---|---|---|
//! | `salama:{u:<pseudonym>}:locale` | the subscriber's language (`en`; `en <session id>` when a USSD session chose it, see `engine::language_code`) | `privacy.remember_days` |
//! | `salama:{u:<pseudonym>}:ussd:<hash of provider and session id>` | one USSD session, sealed | `ussd.session_ttl_secs` |
//! | `salama:{u:<pseudonym>}:sms:<helpline>` | the SMS conversation, sealed | `sms_session_hours` |
//! | `salama:{u:<pseudonym>}:transcript:<helpline>` | her free texts, each sealed | `sms_session_hours` |
//! | `salama:{u:<pseudonym>}:seen:<provider>:<message id>` | an inbound SMS was handled | 24 h |
//! | `salama:{outbox}:msg:<id>` | one SMS to send: number and text sealed, state, attempts | until sent, then `outbox.retention_days` |
//! | `salama:{outbox}:due:page`, `due` | ids by the time they are due (or their lease ends); pages, then replies | while queued or held |
//! | `salama:{outbox}:dead` | dead letters by time | trimmed to `outbox.retention_days` and 10 000 |
//! | `salama:{outbox}:wake` | wake-ups the workers block on | at most 64 |
//! | `salama:{outbox}:ref:<provider>:<provider id>` | our id for a provider's id (delivery reports) | `outbox.retention_days` |
//! | `salama:{esc}:case:<id>` | a case: state, urgency, answers; her number and note sealed | |
//! | `salama:{esc}:log:<id>` | the case's audit trail | its newest 200 lines; with the case |
//! | `salama:{esc}:timers` | case ids by the time their acknowledgement is due | |
//! | `salama:{esc}:open`, `code:<code>`, `for:<pseudonym>:<helpline>` | open cases, by code, by survivor | until closed |
//! | `salama:{esc}:by:<pseudonym>`, `all`, `purge` | cases by survivor (erasure), all cases (reports), when to drop contact details | until erased; the newest 100 000 (older closed cases go); until purged |
//! | `salama:{esc}:wake` | wake-ups the escalation workers block on | at most 64 |
//! | `salama:{outbox}:owner:<pseudonym>` | her messages in the outbox (quick exit, erasure) | `outbox.retention_days` after her last |
//! | `salama:{u:<pseudonym>}:blocked`, `salama:{abuse}:blocked` | the block list | until unblocked |
//! | `salama:{u:<pseudonym>}:rate` | the sender's rate limit (GCRA) | a minute |
//!
//! DESIGN.md sketches the session key as `salama:{s:<provider>:<session>}`. It sits under the
//! subscriber's tag instead, so that a hop's load (session or language, and the block mark) is
//! one MGET and its save (session + language) one round trip, both on a single slot. The number
//! itself appears in no key.

pub mod cases;
pub mod memory;
pub mod outbox;
pub mod redis;
pub mod sessions;
pub mod subscribers;

pub use cases::{CaseOpen, CaseWrite, Opened, Release, Timer};
pub use outbox::{Backlog, Claim, Claimed, DeadLetter, Enqueue, Priority, Queued, Started, Waiter};
pub use sessions::{Checked, Expected, Loaded, LoadedSms, SessionKeys, SessionSave, SmsKeys, SmsSave};

use std::time::Duration;

/// Whether a write is also on a Redis replica, for the writes that wait for one (the outbox's
/// ENQUEUE and START, a case opened, her answers on it, her exit): see `redis/replicas.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replicated {
    /// On a replica, or there is none to lose it to (a single Redis, the embedded store).
    Yes,
    /// Only on the master: its replica did not confirm in time.
    No,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{0} is not a Redis URL; use redis://host:port, rediss://host:port (TLS), redis+unix:///path/to/redis.sock, or redis+cluster://host:port,host:port,... (rediss+cluster:// with TLS) for a Redis Cluster"
    )]
    Url(String),
    #[error("Redis: {0}")]
    Redis(#[from] ::redis::RedisError),
    #[error("Redis did not answer within {0:?}")]
    Timeout(Duration),
    /// A record changed under every one of several tries; trying again later will do.
    #[error("{0}; try again")]
    Busy(&'static str),
    /// A write's master was replaced before a replica confirmed it: it may be lost with the old
    /// one, so the caller must not say it was done (see `redis/replicas.rs`).
    #[error("the Redis master was replaced before a replica confirmed a write")]
    MasterReplaced,
}

pub enum Store {
    /// Boxed: its tables are large beside a Redis connection handle.
    Memory(Box<memory::MemoryStore>),
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
            None => Store::Memory(Box::default()),
        })
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Store::Memory(_) => "embedded",
            Store::Redis(_) => "redis",
        }
    }

    /// USSD sessions and SMS conversations.
    pub fn sessions(&self) -> sessions::Sessions<'_> {
        sessions::Sessions(self)
    }

    /// The SMS waiting to be sent, and what became of them.
    pub fn outbox(&self) -> outbox::Outbox<'_> {
        outbox::Outbox(self)
    }

    /// Cases, their timers and their audit trail.
    pub fn cases(&self) -> cases::Cases<'_> {
        cases::Cases(self)
    }

    /// A subscriber's keys as a whole: erasure, the block list, the rate limit.
    pub fn subscribers(&self) -> subscribers::Subscribers<'_> {
        subscribers::Subscribers(self)
    }

    /// Called by each actix worker as it starts: its hops then use a Redis connection driven
    /// on its own thread, with no hand-off between threads on each call.
    pub fn drive_here(&self) {
        if let Store::Redis(r) = self {
            r.drive_here();
        }
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Store::Memory(_) => Ok(()),
            Store::Redis(r) => r.ping().await,
        }
    }
}
