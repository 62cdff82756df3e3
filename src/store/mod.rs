//! Every piece of state Salama keeps, behind one type with two backends: Redis for deployments,
//! and an embedded in-memory store with the same behaviour for the demo and for tests.
//!
//! Keys (all hash-tagged by subscriber, so one script touches one Redis Cluster slot):
//!
//! | key | holds | lives |
//! |---|---|---|
//! | `salama:{u:<pseudonym>}:locale` | the subscriber's language | `privacy.remember_days` |
//! | `salama:{u:<pseudonym>}:ussd:<provider>:<session id>` | one USSD session ([`crate::flow::Session`]) | `ussd.session_ttl_secs` |
//!
//! DESIGN.md sketches the session key as `salama:{s:<provider>:<session>}`. It sits under the
//! subscriber's tag instead, so that a hop's load (session + language) is one MGET and its save
//! (session + language) one script, both on a single slot. The number itself appears in no key.

pub mod memory;
pub mod redis;

use std::time::Duration;

/// The keys one USSD hop reads and writes.
#[derive(Debug, Clone)]
pub struct SessionKeys {
    pub session: String,
    pub locale: String,
}

impl SessionKeys {
    /// `session_id` must already be checked by the channel (short, no spaces or braces).
    pub fn new(pseudonym: &str, provider: &str, session_id: &str) -> Self {
        SessionKeys {
            session: format!("salama:{{u:{pseudonym}}}:ussd:{provider}:{session_id}"),
            locale: format!("salama:{{u:{pseudonym}}}:locale"),
        }
    }
}

/// What a hop finds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    pub session: Option<Vec<u8>>,
    pub locale: Option<String>,
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

    /// The remembered language alone: the first hop of a session needs nothing else.
    pub async fn remembered_locale(&self, keys: &SessionKeys) -> Result<Option<String>, StoreError> {
        match self {
            Store::Memory(m) => Ok(m.load(keys).locale),
            Store::Redis(r) => r.remembered_locale(keys).await,
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
