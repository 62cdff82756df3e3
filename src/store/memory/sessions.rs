//! USSD sessions and SMS conversations in the embedded store, with the rules `store/sessions.rs`
//! states (`tests/it/store_contract/` holds both stores to them).

use super::{Entries, MemoryStore, TRANSCRIPT_LIMIT};
use crate::store::sessions::{
    Checked, Expected, Loaded, LoadedSms, SessionKeys, SessionSave, SmsKeys, SmsSave, stored_hops,
};

impl MemoryStore {
    pub fn load_sms(&self, keys: &SmsKeys) -> LoadedSms {
        let entries = self.shard(&keys.session);
        LoadedSms {
            session: entries.get(&keys.session).cloned(),
            seen: entries.get(&keys.seen).is_some(),
            locale: entries.get(&keys.locale).and_then(|v| String::from_utf8(v.clone()).ok()),
            blocked: entries.get(&keys.blocked).is_some(),
        }
    }

    pub fn save_sms(&self, keys: &SmsKeys, save: &SmsSave) -> bool {
        let mut entries = self.shard(&keys.session);
        if entries.get(&keys.seen).is_some() {
            return false;
        }
        entries.set(&keys.seen, b"1".to_vec(), save.seen_ttl);
        match save.session {
            None => {
                entries.remove(&keys.session);
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

    pub fn transcript(&self, keys: &SmsKeys) -> Vec<Vec<u8>> {
        let entries = self.shard(&keys.transcript);
        entries.transcripts.get(&keys.transcript).cloned().unwrap_or_default()
    }

    pub fn load(&self, keys: &SessionKeys, session: bool, locale: bool) -> Loaded {
        let entries = self.shard(&keys.session);
        Loaded {
            session: session.then(|| entries.get(&keys.session).cloned()).flatten(),
            locale: locale.then(|| entries.get(&keys.locale).and_then(|v| String::from_utf8(v.clone()).ok())).flatten(),
            blocked: entries.get(&keys.blocked).is_some(),
        }
    }

    pub fn save(&self, keys: &SessionKeys, save: &SessionSave) -> bool {
        save_in(&mut self.shard(&keys.session), keys, save)
    }

    pub fn save_unless_blocked(&self, keys: &SessionKeys, save: &SessionSave, expected: Expected) -> Checked {
        let mut entries = self.shard(&keys.session);
        if entries.get(&keys.blocked).is_some() {
            entries.remove(&keys.session);
            return Checked::Blocked;
        }
        let session = entries.get(&keys.session).map(Vec::as_slice);
        let holds = match expected {
            Expected::Session(kept) => session == Some(kept),
            Expected::Begun(language) => {
                session.is_none() && entries.get(&keys.locale).map(Vec::as_slice) == language.map(str::as_bytes)
            }
        };
        if !holds {
            return Checked::Stale;
        }
        save_in(&mut entries, keys, save);
        Checked::Written
    }
}

/// A save under its shard's lock: `save` alone, or after the block list's check.
fn save_in(entries: &mut Entries, keys: &SessionKeys, save: &SessionSave) -> bool {
    let Some(session) = save.session else {
        entries.remove(&keys.session);
        keys.earlier.iter().for_each(|earlier| entries.remove(earlier));
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
