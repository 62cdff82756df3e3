//! Cases and their timers, as both backends keep them (keys under `salama:{esc}:`, one slot):
//! `case:<id>` (hash), `log:<id>` (audit trail), `timers` (ids by due time), `open` (ids),
//! `code:<code>` and `for:<pseudonym>:<helpline>` (an open case by its code, by its survivor),
//! `by:<pseudonym>` (every case that named her), `all` (every case), `purge` (when to drop a
//! closed case's contact details). The keys are built here only; callers name a case by its id,
//! its code, or her pseudonym and helpline.

use std::collections::HashMap;

use super::{Replicated, Store, StoreError};

/// What opening a case did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    Created(String),
    /// She already had an open case on this helpline: it was updated (and raised if the new
    /// urgency is higher) instead.
    Merged(String),
    /// The new code is in use by an open case: draw another.
    CodeTaken,
}

/// Opens a case, or merges into her open one.
#[derive(Debug)]
pub struct CaseOpen {
    pub id: String,
    pub code: String,
    /// Her pseudonym: her open case on this helpline is found by it, and every case that names
    /// her is found again for erasure.
    pub pseudonym: String,
    pub helpline: String,
    pub urgency_rank: u8,
    pub urgency: String,
    pub due_ms: u64,
    /// Every field of the new case.
    pub fields: Vec<(&'static str, Vec<u8>)>,
    /// What a merge updates (her latest safe-contact answers).
    pub updates: Vec<(&'static str, Vec<u8>)>,
    pub log_created: String,
    pub log_raised: String,
    pub log_updated: String,
}

/// What a case's timer does after a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    Keep,
    Clear,
    At(u64),
}

/// A change to a case, applied only if the case is still at `version`.
#[derive(Debug)]
pub struct CaseWrite {
    pub id: String,
    pub version: u64,
    pub fields: Vec<(&'static str, Vec<u8>)>,
    pub timer: Timer,
    /// The case leaves the open ones: its code and her open-case handle are released.
    pub close: Option<Release>,
    pub log: Vec<String>,
}

/// What a closing case gives up: its code, and her (pseudonym, helpline) handle.
#[derive(Debug, Clone)]
pub struct Release {
    pub code: String,
    pub pseudonym: String,
    pub helpline: String,
}

pub const PREFIX: &str = "salama:{esc}:";

/// A case's audit trail keeps its latest this many lines (the Lua scripts say 200 too): a
/// survivor, or someone replaying her path, cannot grow it without end.
pub const LOG_LINES: usize = 200;

/// The key suffix of an open case's code.
pub(crate) fn code_key(code: &str) -> String {
    format!("code:{code}")
}

/// Cases Redis lists in `all`; beyond it the oldest closed cases go with their trail (the
/// case_open script says 100 000 too).
pub const CASES_KEPT: usize = 100_000;

/// The key suffix of her open case on a helpline.
pub(crate) fn survivor_key(pseudonym: &str, helpline: &str) -> String {
    format!("for:{pseudonym}:{helpline}")
}

/// Cases' operations: `store.cases()`.
pub struct Cases<'a>(pub(super) &'a Store);

impl Cases<'_> {
    /// Opens a case, or merges into her open one on the same helpline; returns once a Redis
    /// replica has it too, where the cases' master has one (see `redis/replicas.rs`).
    pub async fn open(&self, open: &CaseOpen) -> Result<(Opened, Replicated), StoreError> {
        match self.0 {
            Store::Memory(m) => Ok((m.open_case(open), Replicated::Yes)),
            Store::Redis(r) => r.case_open(open).await,
        }
    }

    /// A case's fields (with `version`), or `None`.
    pub async fn get(&self, id: &str) -> Result<Option<HashMap<String, Vec<u8>>>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.cases().get(id)),
            Store::Redis(r) => r.case_get(id).await,
        }
    }

    /// The open case with this code (any case).
    pub async fn by_code(&self, code: &str) -> Result<Option<String>, StoreError> {
        self.lookup(&code_key(&code.to_uppercase())).await
    }

    /// Her open case on a helpline.
    pub async fn open_for(&self, pseudonym: &str, helpline: &str) -> Result<Option<String>, StoreError> {
        self.lookup(&survivor_key(pseudonym, helpline)).await
    }

    async fn lookup(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.cases().lookup(key)),
            Store::Redis(r) => r.case_lookup(key).await,
        }
    }

    /// Applies a change if the case is still at the version it was read at.
    pub async fn write(&self, write: &CaseWrite) -> Result<bool, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.cases().write(write)),
            Store::Redis(r) => r.case_write(write).await,
        }
    }

    /// [`Cases::write`], returning once a Redis replica has it too, where the cases' master has
    /// one: for a write whose loss with its master would lose her answers. `None` when the case
    /// had changed and nothing was written.
    pub async fn write_replicated(&self, write: &CaseWrite) -> Result<Option<Replicated>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.cases().write(write).then_some(Replicated::Yes)),
            Store::Redis(r) => r.case_write_replicated(write).await,
        }
    }

    /// Case ids whose timer is due, each held for `lease_ms` so one gateway handles it.
    pub async fn claim(&self, now_ms: u64, lease_ms: u64, limit: usize) -> Result<Vec<String>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.cases().claim(now_ms, lease_ms, limit)),
            Store::Redis(r) => r.case_claim(now_ms, lease_ms, limit).await,
        }
    }

    /// When the earliest timer comes due (or its lease ends).
    pub async fn next_due(&self) -> Result<Option<u64>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.cases().next_due()),
            Store::Redis(r) => r.case_next_due().await,
        }
    }

    /// Waits until a case is opened (by any gateway) or `timeout` passes, without polling.
    pub async fn wait(&self, waiter: &mut super::Waiter, timeout: std::time::Duration) {
        match self.0 {
            Store::Memory(m) => m.wait_cases(timeout).await,
            Store::Redis(r) => r.block_on(waiter, &format!("{PREFIX}wake"), timeout).await,
        }
    }

    /// The ids of the open cases.
    pub async fn open_ids(&self) -> Result<Vec<String>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.cases().open_ids()),
            Store::Redis(r) => r.cases_open().await,
        }
    }

    /// A case's audit trail, oldest first.
    pub async fn log(&self, id: &str) -> Result<Vec<String>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.cases().log(id)),
            Store::Redis(r) => r.case_log(id).await,
        }
    }

    /// Every case that named this survivor.
    pub async fn of(&self, pseudonym: &str) -> Result<Vec<String>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.cases().of(pseudonym)),
            Store::Redis(r) => r.cases_of(pseudonym).await,
        }
    }

    /// Every case ever opened (for reports).
    pub async fn all(&self) -> Result<Vec<String>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.cases().all()),
            Store::Redis(r) => r.cases_all().await,
        }
    }

    /// Drops a case's contact details (number, note, who she is); the case stays as a statistic.
    pub async fn anonymize(&self, id: &str) -> Result<(), StoreError> {
        match self.0 {
            Store::Memory(m) => {
                m.cases().anonymize(id);
                Ok(())
            }
            Store::Redis(r) => r.case_anonymize(id).await,
        }
    }

    /// When a closed case's contact details are to be dropped.
    pub async fn purge_at(&self, id: &str, at_ms: u64) -> Result<(), StoreError> {
        match self.0 {
            Store::Memory(m) => {
                m.cases().purge_at(id, at_ms);
                Ok(())
            }
            Store::Redis(r) => r.case_purge_at(id, at_ms).await,
        }
    }

    /// Cases whose contact details are due to be dropped; taken off the list.
    pub async fn purge_due(&self, now_ms: u64, limit: usize) -> Result<Vec<String>, StoreError> {
        match self.0 {
            Store::Memory(m) => Ok(m.cases().purge_due(now_ms, limit)),
            Store::Redis(r) => r.case_purge_due(now_ms, limit).await,
        }
    }
}
