//! The outbox in the embedded store, with the rules of the Redis scripts.

use std::collections::HashMap;

use crate::store::outbox::{Backlog, Claimed, DeadLetter, Enqueue, LOST_WORKER};

/// The outbox, with the rules of the Redis scripts (see [`crate::store::outbox`]).
#[derive(Default)]
pub struct OutboxTable {
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

impl OutboxTable {
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

    pub fn backlog(&self, now_ms: u64) -> Backlog {
        let due: Vec<u64> = self.due.values().copied().filter(|at| *at <= now_ms).collect();
        let dead = self.messages.values().filter(|m| m.state == "dead").count();
        Backlog { due_now: due.len(), pending: self.due.len(), oldest_due_ms: due.into_iter().min(), dead }
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
