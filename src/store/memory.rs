//! The embedded store: a map in this process, with Redis's expiry and save rules.
//!
//! For the demo and tests only: it is lost when the process stops and is not shared between
//! instances.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use super::cases::{CaseOpen, CaseWrite, Opened, Timer};
use super::outbox::LOST_WORKER;
use super::{Claimed, DeadLetter, Enqueue, Loaded, LoadedSms, SessionKeys, SessionSave, SmsKeys, SmsSave, stored_hops};

#[derive(Default)]
pub struct MemoryStore {
    // std Mutexes: every critical section is a few map operations and never awaits.
    entries: Mutex<Entries>,
    outbox: Mutex<Outbox>,
    cases: Mutex<Cases>,
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
    pub(super) fn outbox(&self) -> std::sync::MutexGuard<'_, Outbox> {
        self.outbox.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn cases(&self) -> std::sync::MutexGuard<'_, Cases> {
        self.cases.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn load_sms(&self, keys: &SmsKeys) -> LoadedSms {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        LoadedSms {
            session: entries.get(&keys.session).cloned(),
            seen: entries.get(&keys.seen).is_some(),
            locale: entries.get(&keys.locale).and_then(|v| String::from_utf8(v.clone()).ok()),
            blocked: entries.get(&keys.blocked).is_some(),
        }
    }

    /// Same rule as the Redis script in [`super::redis`].
    pub fn save_sms(&self, keys: &SmsKeys, save: &SmsSave) -> bool {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.get(&keys.seen).is_some() {
            return false;
        }
        entries.set(&keys.seen, b"1".to_vec(), save.seen_ttl);
        match save.session {
            None => {
                entries.map.remove(&keys.session);
                entries.transcripts.remove(&keys.transcript);
            }
            Some(session) => entries.set(&keys.session, session.to_vec(), save.ttl),
        }
        if let Some(text) = save.transcript {
            let list = entries.transcripts.entry(keys.transcript.clone()).or_default();
            list.push(text.to_vec());
            let excess = list.len().saturating_sub(TRANSCRIPT_LIMIT);
            list.drain(..excess);
        }
        if let Some(locale) = save.remember {
            entries.set(&keys.locale, locale.as_bytes().to_vec(), save.remember_ttl);
        }
        true
    }

    /// Deletes every key that starts with `prefix`, but the block list; returns how many.
    pub fn erase_prefix(&self, prefix: &str) -> usize {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let before = entries.map.len() + entries.transcripts.len();
        entries.map.retain(|k, _| !k.starts_with(prefix) || k.ends_with(":blocked"));
        entries.transcripts.retain(|k, _| !k.starts_with(prefix));
        before - entries.map.len() - entries.transcripts.len()
    }

    pub fn set_blocked(&self, pseudonym: &str, blocked: bool) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let key = format!("salama:{{u:{pseudonym}}}:blocked");
        if blocked {
            entries.set(&key, b"1".to_vec(), std::time::Duration::from_secs(100 * 365 * 24 * 3600));
            entries.blocked.insert(pseudonym.to_owned());
        } else {
            entries.map.remove(&key);
            entries.blocked.remove(pseudonym);
        }
    }

    pub fn blocked_list(&self) -> Vec<String> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.blocked.iter().cloned().collect()
    }

    /// GCRA, as the Redis script.
    pub fn rate_allow(&self, pseudonym: &str, per_minute: u32, burst: u32) -> bool {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let interval = std::time::Duration::from_millis(60_000 / u64::from(per_minute.max(1)));
        let tat = entries.rates.get(pseudonym).copied().filter(|t| *t > now).unwrap_or(now);
        if tat > now + interval * burst {
            return false;
        }
        entries.rates.insert(pseudonym.to_owned(), tat + interval);
        true
    }

    pub fn transcript(&self, keys: &SmsKeys) -> Vec<Vec<u8>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.transcripts.get(&keys.transcript).cloned().unwrap_or_default()
    }

    pub fn load(&self, keys: &SessionKeys) -> Loaded {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        Loaded {
            session: entries.get(&keys.session).cloned(),
            locale: entries.get(&keys.locale).and_then(|v| String::from_utf8(v.clone()).ok()),
            blocked: entries.get(&keys.blocked).is_some(),
        }
    }

    /// Same rule as the Redis script in [`super::redis`].
    pub fn save(&self, keys: &SessionKeys, save: &SessionSave) -> bool {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let Some(session) = save.session else {
            entries.map.remove(&keys.session);
            return true;
        };
        if entries.get(&keys.session).and_then(|v| stored_hops(v)).is_some_and(|hops| hops >= save.hops) {
            return false;
        }
        entries.set(&keys.session, session.to_vec(), save.ttl);
        if let Some(locale) = save.remember {
            entries.set(&keys.locale, locale.as_bytes().to_vec(), save.remember_ttl);
        }
        true
    }
}

/// The outbox, with the rules of the Redis scripts (see [`super::outbox`]).
#[derive(Default)]
pub struct Outbox {
    messages: HashMap<String, Message>,
    due: HashMap<String, u64>,
    refs: HashMap<String, String>,
}

struct Message {
    enqueued: Enqueue,
    state: String,
    attempts: u32,
    error: String,
    dead_at: u64,
}

impl Outbox {
    pub fn enqueue(&mut self, message: &Enqueue) -> bool {
        if self.messages.contains_key(&message.id) {
            return false;
        }
        let record = Message {
            enqueued: message.clone(),
            state: "queued".into(),
            attempts: 0,
            error: String::new(),
            dead_at: 0,
        };
        self.messages.insert(message.id.clone(), record);
        self.due.insert(message.id.clone(), message.due_ms);
        true
    }

    pub fn claim(&mut self, now_ms: u64, lease_ms: u64, limit: usize) -> Vec<Claimed> {
        let mut due: Vec<(u64, String)> =
            self.due.iter().filter(|(_, at)| **at <= now_ms).map(|(id, at)| (*at, id.clone())).collect();
        due.sort();
        let mut claimed = Vec::new();
        for (_, id) in due.into_iter().take(limit) {
            let Some(message) = self.messages.get_mut(&id) else {
                self.due.remove(&id);
                continue;
            };
            if message.state == "sending" {
                message.state = "dead".into();
                message.error = LOST_WORKER.into();
                message.dead_at = now_ms;
                self.due.remove(&id);
                continue;
            }
            message.state = "sending".into();
            message.attempts += 1;
            self.due.insert(id.clone(), now_ms + lease_ms);
            let e = &message.enqueued;
            claimed.push(Claimed {
                id,
                helpline: e.helpline.clone(),
                provider: e.provider.clone(),
                fallback: e.fallback.clone(),
                to: e.to.clone(),
                body: e.body.clone(),
                attempts: message.attempts,
                sender: e.sender.clone(),
            });
        }
        claimed
    }

    pub fn sent(&mut self, id: &str, provider: &str, provider_id: &str) {
        if let Some(message) = self.messages.get_mut(id) {
            message.state = "sent".into();
            message.enqueued.to.clear();
            message.enqueued.body.clear();
            self.due.remove(id);
            self.refs.insert(format!("{provider}:{provider_id}"), id.to_owned());
        }
    }

    pub fn retry(&mut self, id: &str, due_ms: u64, error: &str) {
        if let Some(message) = self.messages.get_mut(id) {
            message.state = "queued".into();
            message.error = error.into();
            self.due.insert(id.to_owned(), due_ms);
        }
    }

    pub fn dead(&mut self, id: &str, now_ms: u64, error: &str) {
        if let Some(message) = self.messages.get_mut(id) {
            message.state = "dead".into();
            message.error = error.into();
            message.dead_at = now_ms;
            self.due.remove(id);
        }
    }

    pub fn delivery(&mut self, provider: &str, provider_id: &str, state: &str) -> Option<String> {
        let id = self.refs.get(&format!("{provider}:{provider_id}"))?.clone();
        let message = self.messages.get_mut(&id)?;
        if message.state != "dead" {
            message.state = state.into();
        }
        Some(id)
    }

    pub fn dead_letters(&self, limit: usize) -> Vec<DeadLetter> {
        let mut dead: Vec<DeadLetter> = self
            .messages
            .iter()
            .filter(|(_, m)| m.state == "dead")
            .map(|(id, m)| DeadLetter {
                id: id.clone(),
                helpline: m.enqueued.helpline.clone(),
                provider: m.enqueued.provider.clone(),
                attempts: m.attempts,
                error: m.error.clone(),
                at_ms: m.dead_at,
            })
            .collect();
        dead.sort_by(|a, b| b.at_ms.cmp(&a.at_ms).then(a.id.cmp(&b.id)));
        dead.truncate(limit);
        dead
    }

    pub fn requeue(&mut self, id: Option<&str>, now_ms: u64) -> usize {
        let ids: Vec<String> = self
            .messages
            .iter()
            .filter(|(key, m)| m.state == "dead" && id.is_none_or(|id| id == key.as_str()))
            .map(|(key, _)| key.clone())
            .collect();
        for id in &ids {
            let message = self.messages.get_mut(id).expect("listed above");
            message.state = "queued".into();
            message.attempts = 0;
            self.due.insert(id.clone(), now_ms);
        }
        ids.len()
    }

    pub fn backlog(&self, now_ms: u64) -> super::Backlog {
        let due: Vec<u64> = self.due.values().copied().filter(|at| *at <= now_ms).collect();
        super::Backlog { due_now: due.len(), pending: self.due.len(), oldest_due_ms: due.into_iter().min() }
    }

    pub fn state(&self, id: &str) -> Option<String> {
        self.messages.get(id).map(|m| m.state.clone())
    }

    pub fn cancel(&mut self, owner: &str, erase: bool) -> usize {
        let mut cancelled = 0;
        for (id, m) in self.messages.iter_mut().filter(|(_, m)| m.enqueued.owner.as_deref() == Some(owner)) {
            if m.state == "queued" {
                m.state = "cancelled".into();
                self.due.remove(id);
                cancelled += 1;
            }
            if m.state == "cancelled" || (erase && m.state != "sending") {
                m.enqueued.to.clear();
                m.enqueued.body.clear();
            }
        }
        cancelled
    }
}

/// Cases, with the rules of the Redis scripts (see [`super::cases`]).
#[derive(Default)]
pub struct Cases {
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

impl Cases {
    pub fn open(&mut self, o: &CaseOpen) -> Opened {
        if let Some(existing) = self.keys.get(&o.survivor_key).cloned() {
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
            bump(case);
            return Opened::Merged(existing);
        }
        let code_key = format!("code:{}", o.code);
        if self.keys.contains_key(&code_key) {
            return Opened::CodeTaken;
        }
        let mut case: HashMap<String, Vec<u8>> = o.fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        case.insert("version".into(), b"1".to_vec());
        self.cases.insert(o.id.clone(), case);
        self.keys.insert(o.survivor_key.clone(), o.id.clone());
        self.keys.insert(code_key, o.id.clone());
        self.open.insert(o.id.clone());
        self.by.entry(o.pseudonym.clone()).or_default().insert(o.id.clone());
        self.all.push(o.id.clone());
        self.timers.insert(o.id.clone(), o.due_ms);
        self.logs.entry(o.id.clone()).or_default().push(o.log_created.clone());
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
        self.logs.entry(w.id.clone()).or_default().extend(w.log.iter().cloned());
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
        if let Some((code, survivor_key)) = &w.close {
            self.open.remove(&w.id);
            for key in [format!("code:{code}"), survivor_key.clone()] {
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
        let who = text(case, "pseudonym");
        for field in ["number", "note", "pseudonym"] {
            case.insert(field.into(), Vec::new());
        }
        bump(case);
        if let Some(set) = self.by.get_mut(&who) {
            set.remove(id);
        }
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
