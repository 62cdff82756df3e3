//! The embedded store: a map in this process, with Redis's expiry and save rules.
//!
//! For the demo and tests only: it is lost when the process stops and is not shared between
//! instances.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use super::{Loaded, SessionKeys, SessionSave, stored_hops};

#[derive(Default)]
pub struct MemoryStore {
    // A std Mutex: every critical section is a few map operations and never awaits.
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, (Vec<u8>, Instant)>,
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
    pub fn load(&self, keys: &SessionKeys) -> Loaded {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        Loaded {
            session: entries.get(&keys.session).cloned(),
            locale: entries.get(&keys.locale).and_then(|v| String::from_utf8(v.clone()).ok()),
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
