//! A subscriber's keys as a whole in the embedded store: erasure, the block list, the rate limit.

use std::time::Instant;

use super::MemoryStore;

impl MemoryStore {
    /// `prefix` is `salama:{u:<pseudonym>}`: every key under it is in one shard.
    pub fn erase_prefix(&self, prefix: &str) -> usize {
        let mut entries = self.shard(prefix);
        let before = entries.map.len() + entries.transcripts.len();
        entries.map.retain(|k, _| !k.starts_with(prefix) || k.ends_with(":blocked"));
        entries.transcripts.retain(|k, _| !k.starts_with(prefix));
        entries.rates.retain(|pseudonym, _| !prefix.contains(&format!("{{u:{pseudonym}}}")));
        before - entries.map.len() - entries.transcripts.len()
    }

    pub fn set_blocked(&self, pseudonym: &str, blocked: bool) {
        let key = format!("salama:{{u:{pseudonym}}}:blocked");
        let mut entries = self.shard(&key);
        if blocked {
            entries.set(&key, b"1".to_vec(), std::time::Duration::from_secs(100 * 365 * 24 * 3600));
            self.blocked().insert(pseudonym.to_owned());
        } else {
            entries.remove(&key);
            self.blocked().remove(pseudonym);
        }
    }

    pub fn blocked_list(&self) -> Vec<String> {
        self.blocked().iter().cloned().collect()
    }

    pub fn rate_allow(&self, pseudonym: &str, per_minute: u32, burst: u32) -> bool {
        // Her shard, by her hash tag: erasure finds the entry where her other keys are.
        let mut entries = self.shard(&format!("{{u:{pseudonym}}}"));
        let now = Instant::now();
        let interval = std::time::Duration::from_millis(60_000 / u64::from(per_minute.max(1)));
        let tat = entries.rates.get(pseudonym).copied().filter(|t| *t > now).unwrap_or(now);
        if tat > now + interval * burst {
            return false;
        }
        // A sender whose allowance is full again needs no entry: drop those now and then.
        if entries.rates.len() >= 4096 {
            entries.rates.retain(|_, tat| *tat > now);
        }
        entries.rates.insert(pseudonym.to_owned(), tat + interval);
        true
    }
}
