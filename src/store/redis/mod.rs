//! The Redis backend: the connection, its timeouts, and re-sealing. Each domain's operations are
//! in a file of their own (`sessions`, `outbox`, `cases`, `subscribers`), their scripts in
//! `src/store/lua/`.

mod cases;
mod connection;
mod driven;
mod outbox;
mod replicas;
mod sessions;
mod subscribers;

use std::sync::LazyLock;
use std::time::Duration;

use redis::Script;

pub use connection::Connection;
use connection::KeyScan;

use super::StoreError;
use super::cases::PREFIX;
use super::outbox::OUTBOX;

/// Longest a survivor waits on Redis in one call. Africa's Talking gives the whole hop 15 s,
/// and a survivor on a shared phone should not stare at a spinner: fail fast, show the fallback.
const CALL_TIMEOUT: Duration = Duration::from_secs(2);

/// Longest one command waits for its answer (on a cluster, one node's answer; a MOVED and a
/// retry during a failover still fit in `CALL_TIMEOUT`).
const RESPONSE_TIMEOUT: Duration = Duration::from_millis(800);

/// Longest one blocking pop waits: the workers wake at least this often anyway.
const MAX_BLOCK: Duration = Duration::from_secs(30);

/// A sealed value found by `reseal_all`: (kind, field or index, value, context, bytes kept in
/// clear at the front).
type SealedRecord = (&'static str, String, Vec<u8>, Vec<u8>, usize);

/// What re-sealing did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Resealed {
    pub resealed: usize,
    pub current: usize,
    /// Records no configured key opens.
    pub unreadable: usize,
}

/// Re-seals one record: `Ok(Some(new))`, `Ok(None)` when already current, `Err` when unreadable.
pub type Reseal<'a> = &'a (dyn Fn(&[u8], &[u8]) -> Result<Option<Vec<u8>>, ()> + Sync);

static REPLACE_IF_SAME: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/replace_if_same.lua")));

pub struct RedisStore {
    connection: driven::Driven,
    /// Where the outbox and escalation workers open their own waiting connections.
    url: String,
    ca_pem: Option<Vec<u8>>,
    /// Whether the masters of the outbox's slot and of the cases' have replicas, and whether
    /// they keep up (boxed: the store is one variant of `Store`, beside a box).
    outbox_replicas: Box<replicas::Replicas>,
    case_replicas: Box<replicas::Replicas>,
}

impl RedisStore {
    /// One Redis (`redis://`, `rediss://`, `redis+unix://`) or a cluster by its seed nodes
    /// (`redis+cluster://h1:p1,h2:p2`, `rediss+cluster://`); see [`connection`].
    pub fn open(url: &str, ca_pem: Option<Vec<u8>>) -> Result<Self, StoreError> {
        // Checked here, once, so that a bad URL is refused at startup and not on a worker.
        let first = Connection::open(url, ca_pem.clone(), RESPONSE_TIMEOUT)?;
        let (own_url, own_ca) = (url.to_owned(), ca_pem.clone());
        let connection =
            driven::Driven::new(first, move || Connection::open(&own_url, own_ca.clone(), RESPONSE_TIMEOUT));
        Ok(RedisStore {
            connection,
            url: url.to_owned(),
            ca_pem,
            outbox_replicas: Box::new(replicas::Replicas::of("outbox")),
            case_replicas: Box::new(replicas::Replicas::of("cases")),
        })
    }

    /// This thread gets a connection of its own (see [`driven`]).
    pub fn drive_here(&self) {
        self.connection.drive_here();
    }

    /// Every sealed record, sealed again under the first key (`salama keys rotate`): sessions,
    /// transcripts, outbox messages and cases. Each is written back only if unchanged meanwhile.
    pub async fn reseal_all(&self, reseal: Reseal<'_>) -> Result<Resealed, StoreError> {
        let mut c = self.connection.clone();
        let mut done = Resealed::default();
        let mut scan = KeyScan::everywhere(c.shared(), "salama:*".to_owned()).await?;
        while let Some(keys) = scan.next().await? {
            for key in keys {
                let mut records: Vec<SealedRecord> = Vec::new();
                if key.contains(":ussd:") || key.contains(":sms:") {
                    let value: Option<Vec<u8>> = timed(redis::cmd("GET").arg(&key).query_async(&mut c)).await?;
                    let clear = if key.contains(":ussd:") { 2 } else { 0 };
                    records.extend(value.map(|v| ("string", String::new(), v, key.as_bytes().to_vec(), clear)));
                } else if key.contains(":transcript:") {
                    let items: Vec<Vec<u8>> =
                        timed(redis::cmd("LRANGE").arg(&key).arg(0).arg(-1).query_async(&mut c)).await?;
                    for (i, item) in items.into_iter().enumerate() {
                        records.push(("list", i.to_string(), item, key.as_bytes().to_vec(), 0));
                    }
                } else if let Some(id) =
                    key.strip_prefix(&format!("{OUTBOX}:msg:")).or_else(|| key.strip_prefix(&format!("{PREFIX}case:")))
                {
                    for field in ["to", "body", "number", "note", "outcome"] {
                        let value: Option<Vec<u8>> =
                            timed(redis::cmd("HGET").arg(&key).arg(field).query_async(&mut c)).await?;
                        if let Some(v) = value.filter(|v| !v.is_empty()) {
                            records.push(("hash", field.to_owned(), v, id.as_bytes().to_vec(), 0));
                        }
                    }
                }
                for (kind, field, value, context, clear) in records {
                    if value.len() <= clear {
                        continue;
                    }
                    match reseal(&value[clear..], &context) {
                        Ok(Some(sealed)) => {
                            let mut new = value[..clear].to_vec();
                            new.extend(sealed);
                            let mut invocation = REPLACE_IF_SAME.key(&key);
                            invocation.arg(kind).arg(&field).arg(&value).arg(new);
                            let replaced: i64 = timed(invocation.invoke_async(&mut c)).await?;
                            done.resealed += usize::from(replaced == 1);
                        }
                        Ok(None) => done.current += 1,
                        Err(()) => done.unreadable += 1,
                    }
                }
            }
        }
        Ok(done)
    }

    /// BLPOP on a wake list (its key in one slot, `{outbox}` or `{esc}`), on the worker's own
    /// connection (made on first use, and again after an error) with a response timeout longer
    /// than the block: one command per wait instead of one every 200 ms.
    pub(in crate::store) async fn block_on(&self, waiter: &mut super::Waiter, list: &str, timeout: Duration) {
        let timeout = timeout.min(MAX_BLOCK);
        if waiter.connection.is_none() {
            match Connection::open(&self.url, self.ca_pem.clone(), MAX_BLOCK + Duration::from_secs(5)) {
                Ok(connection) => waiter.connection = Some(connection),
                Err(e) => {
                    tracing::warn!(error = %e, "cannot open a connection to wait on; sleeping instead");
                    tokio::time::sleep(timeout.min(Duration::from_secs(1))).await;
                    return;
                }
            }
        }
        let Some(connection) = waiter.connection.as_mut() else { return };
        let mut command = redis::cmd("BLPOP");
        command.arg(list).arg(timeout.as_secs_f64().max(0.01));
        let pop = command.query_async::<redis::Value>(connection);
        // A margin over Redis's own timeout, for a server that went away mid-wait.
        match tokio::time::timeout(timeout + Duration::from_secs(2), pop).await {
            Ok(Ok(_)) => {}
            Ok(Err(_)) | Err(_) => {
                waiter.connection = None;
                tokio::time::sleep(timeout.min(Duration::from_secs(1))).await;
            }
        }
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("PING").query_async::<String>(&mut c)).await.map(drop)
    }
}

async fn timed<T>(call: impl Future<Output = redis::RedisResult<T>>) -> Result<T, StoreError> {
    match tokio::time::timeout(CALL_TIMEOUT, call).await {
        Ok(result) => Ok(result?),
        Err(_) => Err(StoreError::Timeout(CALL_TIMEOUT)),
    }
}
