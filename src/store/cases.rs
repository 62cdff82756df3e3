//! Cases and their timers, as both backends keep them (keys under `salama:{esc}:`, one slot):
//! `case:<id>` (hash), `log:<id>` (audit trail), `timers` (ids by due time), `open` (ids),
//! `code:<code>` and `for:<pseudonym>:<helpline>` (an open case by its code, by its survivor).

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
    /// [`crate::escalation::case::Case::survivor_key`].
    pub survivor_key: String,
    /// Her pseudonym: every case that names her is found again for erasure.
    pub pseudonym: String,
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
    /// The case leaves the open ones: its code and survivor key are released.
    pub close: Option<(String, String)>,
    pub log: Vec<String>,
}

pub const PREFIX: &str = "salama:{esc}:";
