//! The embedded store: a map in this process, with Redis's expiry and save rules.
//!
//! For the demo and tests only: it is lost when the process stops and is not shared between
//! instances.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

mod cases;
mod outbox;
mod sessions;
mod subscribers;

pub use cases::{CASES_KEPT, CaseTable};
pub use outbox::{FINISHED_KEPT, OutboxTable};

#[derive(Default)]
pub struct MemoryStore {
    // std Mutexes: every critical section is a few map operations and never awaits.
    entries: Mutex<Entries>,
    outbox: Mutex<OutboxTable>,
    cases: Mutex<CaseTable>,
    /// Wakes a waiting outbox worker when a message is queued.
    wake: tokio::sync::Notify,
    /// Wakes the escalation worker when a case opens.
    case_wake: tokio::sync::Notify,
}

/// Free texts kept per conversation, as in Redis (LTRIM).
pub const TRANSCRIPT_LIMIT: usize = 200;

#[derive(Default)]
struct Entries {
    map: HashMap<String, (Vec<u8>, Instant)>,
    // Transcripts do not expire here: the embedded store lives as long as the demo process.
    transcripts: HashMap<String, Vec<Vec<u8>>>,
    blocked: std::collections::BTreeSet<String>,
    rates: HashMap<String, Instant>,
    writes: u64,
}

impl Entries {
    fn get(&self, key: &str) -> Option<&Vec<u8>> {
        self.map.get(key).filter(|(_, expires)| *expires > Instant::now()).map(|(v, _)| v)
    }

    fn set(&mut self, key: &str, value: Vec<u8>, ttl: std::time::Duration) {
        self.writes += 1;
        if self.writes.is_multiple_of(1024) {
            let now = Instant::now();
            self.map.retain(|_, (_, expires)| *expires > now);
        }
        self.map.insert(key.to_owned(), (value, Instant::now() + ttl));
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
        let e = self.entries();
        let mut n = e.map.keys().chain(e.transcripts.keys()).chain(e.rates.keys()).filter(|k| k.contains(text)).count();
        n += e.blocked.iter().filter(|k| k.contains(text)).count();
        drop(e);
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

    pub(super) fn outbox(&self) -> std::sync::MutexGuard<'_, OutboxTable> {
        self.outbox.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn cases(&self) -> std::sync::MutexGuard<'_, CaseTable> {
        self.cases.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}
