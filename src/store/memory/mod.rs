//! The embedded store: maps in this process, with Redis's expiry and save rules.
//!
//! For the demo and tests only: it is lost when the process stops and is not shared between
//! instances.
//!
//! Keyed entries live in shards chosen by the key's hash tag (`{u:<pseudonym>}`), as Redis
//! Cluster chooses slots: one operation on one subscriber's keys locks one shard, and hops of
//! different subscribers rarely wait for each other. Expired entries go a few at a time, on
//! each write (Redis's active expiry in small steps), instead of a sweep of the whole map under
//! the lock, which was the p99 tail (issue 13).

use std::collections::{BTreeSet, HashMap};
use std::hash::BuildHasher;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use indexmap::IndexMap;

mod cases;
mod outbox;
mod sessions;
mod subscribers;

pub use cases::{CASES_KEPT, CaseTable};
pub use outbox::{FINISHED_KEPT, OutboxTable};

/// Enough for two workers and the background tasks to rarely meet on one lock.
const SHARDS: usize = 16;
/// Entries looked at for expiry on each write: more than the one a write can add, so the map
/// stays near its live size.
const EXPIRE_STEP: usize = 4;
/// Entries a shard holds before remembered languages (kept a year) go early; losing one costs
/// her one screen (choose a language). Nothing else is dropped before its time.
const SHARD_CAPACITY: usize = 1 << 15;

type Hasher = foldhash::fast::RandomState;

#[derive(Default)]
pub struct MemoryStore {
    // std Mutexes: every critical section is a few map operations and never awaits.
    shards: [Mutex<Entries>; SHARDS],
    blocked: Mutex<BTreeSet<String>>,
    outbox: Mutex<OutboxTable>,
    cases: Mutex<CaseTable>,
    /// Picks shards; fixed for the life of the store.
    spread: Hasher,
    /// Wakes a waiting outbox worker when a message is queued.
    wake: tokio::sync::Notify,
    /// Wakes the escalation worker when a case opens.
    case_wake: tokio::sync::Notify,
}

/// Free texts kept per conversation, as in Redis (LTRIM).
pub const TRANSCRIPT_LIMIT: usize = 200;

#[derive(Default)]
struct Entries {
    /// By position too, so that expiry can walk it a few entries at a time.
    map: IndexMap<String, (Vec<u8>, Instant), Hasher>,
    // Transcripts do not expire here: the embedded store lives as long as the demo process.
    transcripts: HashMap<String, Vec<Vec<u8>>, Hasher>,
    rates: HashMap<String, Instant, Hasher>,
    /// Where expiry goes on.
    cursor: usize,
}

impl Entries {
    fn get(&self, key: &str) -> Option<&Vec<u8>> {
        self.map.get(key).filter(|(_, expires)| *expires > Instant::now()).map(|(v, _)| v)
    }

    fn set(&mut self, key: &str, value: Vec<u8>, ttl: Duration) {
        let now = Instant::now();
        self.expire_some(now);
        match self.map.get_mut(key) {
            Some(entry) => *entry = (value, now + ttl),
            None => {
                self.map.insert(key.to_owned(), (value, now + ttl));
            }
        }
    }

    fn remove(&mut self, key: &str) {
        self.map.swap_remove(key);
    }

    fn expire_some(&mut self, now: Instant) {
        let full = self.map.len() >= SHARD_CAPACITY;
        for _ in 0..EXPIRE_STEP {
            if self.cursor >= self.map.len() {
                self.cursor = 0;
            }
            let Some((key, (_, expires))) = self.map.get_index(self.cursor) else { return };
            if *expires <= now || (full && key.ends_with(":locale")) {
                // The last entry moves here; it is looked at next.
                self.map.swap_remove_index(self.cursor);
            } else {
                self.cursor += 1;
            }
        }
    }
}

impl MemoryStore {
    pub(super) fn enqueue(&self, message: &crate::store::Enqueue) -> bool {
        let new = self.outbox().enqueue(message);
        self.wake.notify_one();
        new
    }

    /// Keys and entries that name `text` (a pseudonym), in every map (the erasure test).
    pub fn entries_naming(&self, text: &str) -> usize {
        let mut n = 0;
        for shard in &self.shards {
            let e = shard.lock().unwrap_or_else(|e| e.into_inner());
            n += e.map.keys().chain(e.transcripts.keys()).chain(e.rates.keys()).filter(|k| k.contains(text)).count();
        }
        n += self.blocked().iter().filter(|k| k.contains(text)).count();
        n + self.cases().keys_naming(text) + self.outbox().owned_by(text)
    }

    /// Cases the embedded store holds.
    pub fn cases_len(&self) -> usize {
        self.cases().len()
    }

    /// Messages the embedded outbox holds, whatever their state.
    pub fn outbox_len(&self) -> usize {
        self.outbox().len()
    }

    pub(super) fn open_case(&self, open: &crate::store::CaseOpen) -> crate::store::Opened {
        let opened = self.cases().open(open);
        self.case_wake.notify_one();
        opened
    }

    pub(super) async fn wait_cases(&self, timeout: std::time::Duration) {
        let _ = tokio::time::timeout(timeout, self.case_wake.notified()).await;
    }

    pub(super) async fn wait(&self, timeout: std::time::Duration) {
        let _ = tokio::time::timeout(timeout, self.wake.notified()).await;
    }

    pub(super) fn outbox(&self) -> MutexGuard<'_, OutboxTable> {
        self.outbox.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn cases(&self) -> MutexGuard<'_, CaseTable> {
        self.cases.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn blocked(&self) -> MutexGuard<'_, BTreeSet<String>> {
        self.blocked.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The shard of a key: by its hash tag (what is between the first `{` and the next `}`),
    /// or the whole key when it has none, as Redis Cluster does.
    fn shard(&self, key: &str) -> MutexGuard<'_, Entries> {
        self.shards[self.shard_index(key)].lock().unwrap_or_else(|e| e.into_inner())
    }

    fn shard_index(&self, key: &str) -> usize {
        let tag = key
            .split_once('{')
            .and_then(|(_, rest)| rest.split_once('}'))
            .map_or(key, |(tag, _)| if tag.is_empty() { key } else { tag });
        self.spread.hash_one(tag) as usize % SHARDS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YEAR: Duration = Duration::from_secs(365 * 24 * 3600);

    #[test]
    fn a_subscribers_keys_share_a_shard() {
        let store = MemoryStore::default();
        let shard = store.shard_index("salama:{u:ab12}:ussd:0123456789abcdef");
        assert_eq!(store.shard_index("salama:{u:ab12}:locale"), shard);
        assert_eq!(store.shard_index("salama:{u:ab12}"), shard, "erasure's prefix");
        let others: BTreeSet<usize> = (0..64).map(|i| store.shard_index(&format!("salama:{{u:{i}}}:locale"))).collect();
        assert!(others.len() > SHARDS / 2, "subscribers spread over the shards: {others:?}");
    }

    #[test]
    fn expired_entries_go_a_few_a_write_and_the_map_stays_near_its_live_size() {
        let mut entries = Entries::default();
        for i in 0..100 {
            entries.set(&format!("gone:{i}"), vec![1], Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(30));
        entries.set("live:0", vec![1], YEAR);
        assert!(entries.map.len() > 90, "no sweep of the whole map: {}", entries.map.len());
        for i in 1..100 {
            entries.set(&format!("live:{i}"), vec![1], YEAR);
        }
        assert_eq!(entries.map.len(), 100, "every expired entry went, every live one stayed");
        assert!(entries.map.keys().all(|k| k.starts_with("live:")));
        entries.set("live:7", vec![2], YEAR);
        assert_eq!((entries.map.len(), entries.get("live:7")), (100, Some(&vec![2])), "a write replaces");
    }

    #[test]
    fn a_full_shard_drops_remembered_languages_and_nothing_else() {
        let mut entries = Entries::default();
        for i in 0..SHARD_CAPACITY / 2 {
            entries.set(&format!("salama:{{u:{i}}}:blocked"), b"1".to_vec(), YEAR);
            entries.set(&format!("salama:{{u:{i}}}:locale"), b"sw".to_vec(), YEAR);
        }
        for i in 0..1000 {
            entries.set(&format!("salama:{{u:{i}}}:ussd:0123456789abcdef"), vec![0, 1], YEAR);
        }
        assert!(entries.map.len() <= SHARD_CAPACITY + 4, "bounded: {}", entries.map.len());
        let blocked = entries.map.keys().filter(|k| k.ends_with(":blocked")).count();
        let sessions = entries.map.keys().filter(|k| k.contains(":ussd:")).count();
        assert_eq!((blocked, sessions), (SHARD_CAPACITY / 2, 1000), "only languages went early");
    }
}
