//! The outbox in the embedded store, with the rules of the Redis scripts
//! (see [`crate::store::outbox`]). Finished messages and dead letters are kept up to a count, the
//! oldest dropped first: the embedded store has no expiry to lean on.

use std::collections::{HashMap, VecDeque};

use crate::store::outbox::{Backlog, Claim, Claimed, DEAD_LETTERS_KEPT, DeadLetter, Enqueue, Priority};

/// Sent, delivered, failed and cancelled messages kept (for delivery reports).
pub const FINISHED_KEPT: usize = 10_000;

#[derive(Default)]
pub struct OutboxTable {
    messages: HashMap<String, Message>,
    /// (priority, id) -> due time or lease end.
    due: HashMap<String, u64>,
    refs: HashMap<String, String>,
    /// Finished and dead ids, oldest first, for pruning.
    finished: VecDeque<String>,
    dead: VecDeque<String>,
}

struct Message {
    enqueued: Enqueue,
    state: &'static str,
    attempt: u64,
    tries: u32,
    started: u64,
    again: bool,
    error: String,
    dead_at: u64,
    provider_ref: Option<String>,
}

impl OutboxTable {
    pub fn enqueue(&mut self, message: &Enqueue) -> bool {
        if self.messages.contains_key(&message.id) {
            return false;
        }
        let record = Message {
            enqueued: message.clone(),
            state: "queued",
            attempt: 0,
            tries: 0,
            started: 0,
            again: false,
            error: String::new(),
            dead_at: 0,
            provider_ref: None,
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

    pub fn claim(&mut self, now_ms: u64, lease_ms: u64) -> Claim {
        self.due.retain(|id, _| self.messages.get(id).is_some_and(|m| matches!(m.state, "queued" | "sending")));
        let first = |priority: Priority| {
            self.due
                .iter()
                .filter(|(id, at)| **at <= now_ms && self.messages[*id].enqueued.priority == priority)
                .min_by_key(|(id, at)| (**at, (*id).clone()))
                .map(|(id, _)| id.clone())
        };
        let Some(id) = first(Priority::Page).or_else(|| first(Priority::Reply)) else {
            return Claim::Idle { next_due_ms: self.due.values().min().copied() };
        };
        let m = self.messages.get_mut(&id).expect("due ids are messages");
        if m.state == "sending" && m.started == m.attempt {
            m.again = true;
        }
        m.state = "sending";
        m.attempt += 1;
        m.tries += 1;
        self.due.insert(id.clone(), now_ms + lease_ms);
        let e = &m.enqueued;
        Claim::Message(Box::new(Claimed {
            id,
            priority: e.priority,
            helpline: e.helpline.clone(),
            provider: e.provider.clone(),
            fallback: e.fallback.clone(),
            to: e.to.clone(),
            body: e.body.clone(),
            attempt: m.attempt,
            tries: m.tries,
            again: m.again,
            sender: e.sender.clone(),
        }))
    }

    /// The message, when `attempt` is its current claim.
    fn held(&mut self, id: &str, attempt: u64) -> Option<&mut Message> {
        self.messages.get_mut(id).filter(|m| m.state == "sending" && m.attempt == attempt)
    }

    pub fn start(&mut self, id: &str, attempt: u64, lease_end_ms: u64) -> bool {
        let Some(m) = self.held(id, attempt) else { return false };
        m.started = attempt;
        self.due.insert(id.to_owned(), lease_end_ms);
        true
    }

    pub fn sent(&mut self, id: &str, attempt: u64, provider: &str, provider_id: &str) -> bool {
        let Some(m) = self.held(id, attempt) else { return false };
        m.state = "sent";
        m.enqueued.to.clear();
        m.enqueued.body.clear();
        let reference = format!("{provider}:{provider_id}");
        m.provider_ref = Some(reference.clone());
        self.due.remove(id);
        self.refs.insert(reference, id.to_owned());
        self.finished(id);
        true
    }

    pub fn retry(&mut self, id: &str, attempt: u64, due_ms: u64, error: &str) -> bool {
        let Some(m) = self.held(id, attempt) else { return false };
        m.state = "queued";
        m.error = error.into();
        self.due.insert(id.to_owned(), due_ms);
        true
    }

    pub fn requeue(&mut self, id: &str, attempt: u64, now_ms: u64) -> bool {
        let Some(m) = self.held(id, attempt).filter(|m| m.started != attempt) else { return false };
        m.state = "queued";
        m.tries -= 1;
        self.due.insert(id.to_owned(), now_ms);
        true
    }

    pub fn dead(&mut self, id: &str, attempt: u64, now_ms: u64, error: &str) -> bool {
        let Some(m) = self.held(id, attempt) else { return false };
        m.state = "dead";
        m.error = error.into();
        m.dead_at = now_ms;
        self.due.remove(id);
        self.dead.push_back(id.to_owned());
        while self.dead.len() > DEAD_LETTERS_KEPT {
            let oldest = self.dead.pop_front().expect("longer than the limit");
            self.forget(&oldest);
        }
        true
    }

    /// Counts a message as finished, and drops the oldest beyond [`FINISHED_KEPT`].
    fn finished(&mut self, id: &str) {
        self.finished.push_back(id.to_owned());
        while self.finished.len() > FINISHED_KEPT {
            let oldest = self.finished.pop_front().expect("longer than the limit");
            self.forget(&oldest);
        }
    }

    fn forget(&mut self, id: &str) {
        if let Some(m) = self.messages.get(id).filter(|m| !matches!(m.state, "queued" | "sending")) {
            if let Some(reference) = &m.provider_ref {
                self.refs.remove(reference);
            }
            self.messages.remove(id);
        }
    }

    /// Messages that still name `owner` (the erasure test).
    pub fn owned_by(&self, owner: &str) -> usize {
        self.messages.values().filter(|m| m.enqueued.owner.as_deref() == Some(owner)).count()
    }

    /// Messages held, whatever their state (for the bound test).
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    pub fn delivery(&mut self, provider: &str, provider_id: &str, state: &str) -> Option<String> {
        let id = self.refs.get(&format!("{provider}:{provider_id}"))?.clone();
        let message = self.messages.get_mut(&id)?;
        if message.state != "dead" {
            message.state = match state {
                "delivered" => "delivered",
                "failed" => "failed",
                "sent" => "sent",
                _ => "unknown",
            };
        }
        Some(id)
    }

    pub fn dead_letters(&self, limit: usize) -> Vec<DeadLetter> {
        let mut dead: Vec<DeadLetter> = self
            .dead
            .iter()
            .filter_map(|id| self.messages.get(id).filter(|m| m.state == "dead").map(|m| (id, m)))
            .map(|(id, m)| DeadLetter {
                id: id.clone(),
                helpline: m.enqueued.helpline.clone(),
                provider: m.enqueued.provider.clone(),
                tries: m.tries,
                error: m.error.clone(),
                at_ms: m.dead_at,
            })
            .collect();
        dead.sort_by(|a, b| b.at_ms.cmp(&a.at_ms).then(a.id.cmp(&b.id)));
        dead.dedup_by(|a, b| a.id == b.id);
        dead.truncate(limit);
        dead
    }

    pub fn revive(&mut self, id: Option<&str>, now_ms: u64) -> usize {
        let ids: Vec<String> = self
            .messages
            .iter()
            .filter(|(key, m)| m.state == "dead" && !m.enqueued.to.is_empty() && id.is_none_or(|id| id == *key))
            .map(|(key, _)| key.clone())
            .collect();
        for id in &ids {
            let message = self.messages.get_mut(id).expect("listed above");
            message.state = "queued";
            message.tries = 0;
            self.due.insert(id.clone(), now_ms);
            self.dead.retain(|d| d != id);
        }
        ids.len()
    }

    pub fn state(&self, id: &str) -> Option<String> {
        self.messages.get(id).map(|m| m.state.to_owned())
    }

    pub fn cancel(&mut self, owner: &str, erase: bool) -> usize {
        let mut cancelled = Vec::new();
        for (id, m) in self.messages.iter_mut().filter(|(_, m)| m.enqueued.owner.as_deref() == Some(owner)) {
            if matches!(m.state, "queued" | "sending") {
                m.state = "cancelled";
                self.due.remove(id);
                cancelled.push(id.clone());
            }
            if m.state == "cancelled" || erase {
                m.enqueued.to.clear();
                m.enqueued.body.clear();
            }
            if erase {
                m.enqueued.owner = None;
            }
        }
        for id in &cancelled {
            self.finished(id);
        }
        cancelled.len()
    }
}
