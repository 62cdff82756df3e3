//! Cases and their timers in the embedded store, with the rules of the Redis scripts.

use std::collections::HashMap;

use crate::store::cases::{CaseOpen, CaseWrite, LOG_LINES, Opened, Timer, code_key, survivor_key};

/// Cases the embedded store keeps; beyond it the oldest closed ones go, with their trail.
pub const CASES_KEPT: usize = 10_000;

/// Cases, with the rules of the Redis scripts (see [`crate::store::cases`]).
#[derive(Default)]
pub struct CaseTable {
    cases: HashMap<String, HashMap<String, Vec<u8>>>,
    logs: HashMap<String, Vec<String>>,
    timers: HashMap<String, u64>,
    open: std::collections::BTreeSet<String>,
    /// `code:<code>` and `for:<pseudonym>:<helpline>` to a case id.
    keys: HashMap<String, String>,
    by: HashMap<String, std::collections::BTreeSet<String>>,
    all: Vec<String>,
    purge: HashMap<String, u64>,
}

impl CaseTable {
    pub fn open(&mut self, o: &CaseOpen) -> Opened {
        let survivor = survivor_key(&o.pseudonym, &o.helpline);
        if let Some(existing) = self.keys.get(&survivor).cloned() {
            let case = self.cases.entry(existing.clone()).or_default();
            for (k, v) in &o.updates {
                case.insert((*k).to_owned(), v.clone());
            }
            let rank: u8 = text(case, "urgency_rank").parse().unwrap_or(0);
            let log = self.logs.entry(existing.clone()).or_default();
            if o.urgency_rank > rank {
                case.insert("urgency".into(), o.urgency.as_bytes().to_vec());
                case.insert("urgency_rank".into(), o.urgency_rank.to_string().into_bytes());
                let state = text(case, "state");
                if state != "acknowledged" && state != "closed" {
                    for (k, v) in [("state", "open"), ("next_level", "0"), ("next_round", "0")] {
                        case.insert(k.into(), v.as_bytes().to_vec());
                    }
                    self.timers.insert(existing.clone(), o.due_ms);
                }
                log.push(o.log_raised.clone());
            } else {
                log.push(o.log_updated.clone());
            }
            trim(log);
            bump(case);
            return Opened::Merged(existing);
        }
        let code_key = code_key(&o.code);
        if self.keys.contains_key(&code_key) {
            return Opened::CodeTaken;
        }
        let mut case: HashMap<String, Vec<u8>> = o.fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        case.insert("version".into(), b"1".to_vec());
        self.cases.insert(o.id.clone(), case);
        self.keys.insert(survivor, o.id.clone());
        self.keys.insert(code_key, o.id.clone());
        self.open.insert(o.id.clone());
        self.by.entry(o.pseudonym.clone()).or_default().insert(o.id.clone());
        self.all.push(o.id.clone());
        self.timers.insert(o.id.clone(), o.due_ms);
        self.logs.entry(o.id.clone()).or_default().push(o.log_created.clone());
        if self.all.len() > CASES_KEPT {
            self.prune();
        }
        Opened::Created(o.id.clone())
    }

    pub fn get(&self, id: &str) -> Option<HashMap<String, Vec<u8>>> {
        self.cases.get(id).cloned()
    }

    pub fn lookup(&self, key: &str) -> Option<String> {
        self.keys.get(key).cloned()
    }

    pub fn write(&mut self, w: &CaseWrite) -> bool {
        let Some(case) = self.cases.get_mut(&w.id) else { return false };
        if text(case, "version").parse::<u64>().ok() != Some(w.version) {
            return false;
        }
        let log = self.logs.entry(w.id.clone()).or_default();
        log.extend(w.log.iter().cloned());
        trim(log);
        for (k, v) in &w.fields {
            case.insert((*k).to_owned(), v.clone());
        }
        bump(case);
        match w.timer {
            Timer::Keep => {}
            Timer::Clear => {
                self.timers.remove(&w.id);
            }
            Timer::At(ms) => {
                self.timers.insert(w.id.clone(), ms);
            }
        }
        if let Some(release) = &w.close {
            self.open.remove(&w.id);
            for key in [code_key(&release.code), survivor_key(&release.pseudonym, &release.helpline)] {
                if self.keys.get(&key) == Some(&w.id) {
                    self.keys.remove(&key);
                }
            }
        }
        true
    }

    pub fn claim(&mut self, now_ms: u64, lease_ms: u64, limit: usize) -> Vec<String> {
        let mut due: Vec<(u64, String)> =
            self.timers.iter().filter(|(_, at)| **at <= now_ms).map(|(id, at)| (*at, id.clone())).collect();
        due.sort();
        due.truncate(limit);
        for (_, id) in &due {
            self.timers.insert(id.clone(), now_ms + lease_ms);
        }
        due.into_iter().map(|(_, id)| id).collect()
    }

    pub fn open_ids(&self) -> Vec<String> {
        self.open.iter().cloned().collect()
    }

    pub fn log(&self, id: &str) -> Vec<String> {
        self.logs.get(id).cloned().unwrap_or_default()
    }

    pub fn of(&self, pseudonym: &str) -> Vec<String> {
        self.by.get(pseudonym).map(|s| s.iter().cloned().collect()).unwrap_or_default()
    }

    pub fn all(&self) -> Vec<String> {
        self.all.clone()
    }

    pub fn anonymize(&mut self, id: &str) {
        let Some(case) = self.cases.get_mut(id) else { return };
        let (who, helpline) = (text(case, "pseudonym"), text(case, "helpline"));
        for field in ["number", "note", "outcome", "pseudonym"] {
            case.insert(field.into(), Vec::new());
        }
        bump(case);
        if let Some(set) = self.by.get_mut(&who) {
            set.remove(id);
            if set.is_empty() {
                self.by.remove(&who);
            }
        }
        let survivor = survivor_key(&who, &helpline);
        if self.keys.get(&survivor).is_some_and(|c| c == id) {
            self.keys.remove(&survivor);
        }
    }

    /// Drops the oldest closed cases beyond [`CASES_KEPT`], as the Redis script trims `all`.
    fn prune(&mut self) {
        let excess = self.all.len().saturating_sub(CASES_KEPT);
        let old: Vec<String> = self.all[..excess]
            .iter()
            .filter(|id| self.cases.get(*id).is_some_and(|c| text(c, "state") == "closed"))
            .cloned()
            .collect();
        for id in &old {
            self.cases.remove(id);
            self.logs.remove(id);
            self.purge.remove(id);
        }
        self.all.retain(|id| self.cases.contains_key(id));
    }

    pub fn next_due(&self) -> Option<u64> {
        self.timers.values().min().copied()
    }

    /// Cases held (for the bound test).
    pub fn len(&self) -> usize {
        self.cases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// Every key that names a pseudonym (for the erasure test): `by` and `for:` entries.
    pub fn keys_naming(&self, pseudonym: &str) -> usize {
        self.keys.keys().filter(|k| k.contains(pseudonym)).count() + usize::from(self.by.contains_key(pseudonym))
    }

    pub fn purge_at(&mut self, id: &str, at_ms: u64) {
        self.purge.insert(id.to_owned(), at_ms);
    }

    pub fn purge_due(&mut self, now_ms: u64, limit: usize) -> Vec<String> {
        let mut due: Vec<String> =
            self.purge.iter().filter(|(_, at)| **at <= now_ms).map(|(id, _)| id.clone()).collect();
        due.sort();
        due.truncate(limit);
        for id in &due {
            self.purge.remove(id);
        }
        due
    }
}

fn text(case: &HashMap<String, Vec<u8>>, field: &str) -> String {
    case.get(field).map(|v| String::from_utf8_lossy(v).into_owned()).unwrap_or_default()
}

fn bump(case: &mut HashMap<String, Vec<u8>>) {
    let version: u64 = text(case, "version").parse().unwrap_or(0);
    case.insert("version".into(), (version + 1).to_string().into_bytes());
}

/// A case's audit trail keeps its latest [`LOG_LINES`] lines, as the Redis scripts do.
fn trim(log: &mut Vec<String>) {
    if log.len() > LOG_LINES {
        log.drain(..log.len() - LOG_LINES);
    }
}
