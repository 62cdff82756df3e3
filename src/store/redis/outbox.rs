//! The outbox on Redis (rules: [`crate::store::outbox`]); keys under `salama:{outbox}:`: `msg:<id>`,
//! the queues `due:page` and `due` (replies; ids by due time or lease end), `dead`, `wake` (a list
//! workers block on), `owner:<pseudonym>`, `ref:<provider>:<provider id>`.

use std::sync::LazyLock;
use std::time::Duration;

use redis::Script;

use super::driven::Driven;
use super::{RedisStore, timed};
use crate::store::outbox::{
    Backlog, Claim, Claimed, DEAD_LETTERS_KEPT, DeadLetter, Enqueue, OUTBOX, Priority, Queued, Started, Waiter,
    message_key,
};
use crate::store::{Replicated, StoreError};

static ENQUEUE: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/enqueue.lua")));
static CLAIM: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/claim.lua")));
static START: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/start.lua")));
static SENT: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/sent.lua")));
static RETRY: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/retry.lua")));
static RELEASE: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/release.lua")));
static DEAD: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/dead.lua")));
static DELIVERY: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/delivery.lua")));
static REVIVE: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/revive.lua")));
static CANCEL_OWNER: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/cancel_owner.lua")));

/// Replies wait in `due` (the one queue of earlier versions, so that what they queued is sent),
/// pages in `due:page`.
fn queue_key(priority: Priority) -> String {
    match priority {
        Priority::Page => format!("{OUTBOX}:due:page"),
        Priority::Reply => format!("{OUTBOX}:due"),
    }
}

impl RedisStore {
    pub(in crate::store) async fn outbox_enqueue(&self, m: &Enqueue, keep: Duration) -> Result<Queued, StoreError> {
        let mut c = self.connection.clone();
        let master = self.outbox_replicas.before(&mut c, &message_key(&m.id)).await?;
        let mut invocation = ENQUEUE.key(message_key(&m.id));
        let owner = m.owner.as_deref().unwrap_or_default();
        invocation.key(queue_key(m.priority)).key(format!("{OUTBOX}:owner:{owner}")).key(format!("{OUTBOX}:wake"));
        invocation.arg(&m.id).arg(m.due_ms).arg(owner).arg(keep.as_secs().max(1));
        invocation.arg("state").arg("queued").arg("kind").arg(m.priority.as_str()).arg("attempt").arg(0);
        invocation.arg("tries").arg(0).arg("sender").arg(m.sender.as_deref().unwrap_or_default());
        invocation.arg("helpline").arg(&m.helpline).arg("provider").arg(&m.provider);
        invocation.arg("fallback").arg(m.fallback.as_deref().unwrap_or(""));
        invocation.arg("to").arg(&m.to).arg("body").arg(&m.body);
        let written: i64 = timed(invocation.invoke_async(&mut c)).await?;
        if written != 1 {
            return Ok(Queued::Already);
        }
        Ok(match self.outbox_replicas.confirm(&mut c, &message_key(&m.id), &master).await? {
            Replicated::Yes => Queued::New,
            Replicated::No => Queued::Unreplicated,
        })
    }

    pub(in crate::store) async fn outbox_claim(&self, now_ms: u64, lease_ms: u64) -> Result<Claim, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = CLAIM.key(queue_key(Priority::Page));
        invocation.key(queue_key(Priority::Reply)).arg(now_ms).arg(lease_ms).arg(format!("{OUTBOX}:msg:"));
        let row: Vec<Vec<u8>> = timed(invocation.invoke_async(&mut c)).await?;
        let text = |i: usize| String::from_utf8_lossy(row.get(i).map_or(&[][..], |v| v.as_slice())).into_owned();
        if row.first().is_none_or(|id| id.is_empty()) {
            return Ok(Claim::Idle { next_due_ms: text(1).parse::<f64>().ok().map(|t| t as u64) });
        }
        let optional = |s: String| Some(s).filter(|s| !s.is_empty());
        Ok(Claim::Message(Box::new(Claimed {
            id: text(0),
            attempt: text(1).parse().unwrap_or(0),
            tries: text(2).parse().unwrap_or(0),
            priority: if text(3) == "page" { Priority::Page } else { Priority::Reply },
            helpline: text(4),
            provider: text(5),
            fallback: optional(text(6)),
            to: row.get(7).cloned().unwrap_or_default(),
            body: row.get(8).cloned().unwrap_or_default(),
            sender: optional(text(9)),
            again: text(10) == "1",
        })))
    }

    /// START, then, where the outbox's master has replicas, a wait for one of them to have it
    /// (see [`super::replicas`]).
    pub(in crate::store) async fn outbox_start(
        &self,
        id: &str,
        attempt: u64,
        lease_end_ms: u64,
    ) -> Result<Started, StoreError> {
        let mut c = self.connection.clone();
        let master = self.outbox_replicas.before(&mut c, &message_key(id)).await?;
        if !self.outbox_script(&mut c, &START, id, attempt, &[&lease_end_ms.to_string()]).await? {
            return Ok(Started::Refused);
        }
        Ok(match self.outbox_replicas.confirm(&mut c, &message_key(id), &master).await? {
            Replicated::Yes => Started::Recorded,
            Replicated::No => Started::Unreplicated,
        })
    }

    /// RETRY and REQUEUE: a script that checks the attempt, on the message alone.
    pub(in crate::store) async fn outbox_finish(
        &self,
        what: &str,
        id: &str,
        attempt: u64,
        args: &[&str],
    ) -> Result<bool, StoreError> {
        let script = if what == "retry" { &*RETRY } else { &*RELEASE };
        self.outbox_script(&mut self.connection.clone(), script, id, attempt, args).await
    }

    async fn outbox_script(
        &self,
        c: &mut Driven,
        script: &Script,
        id: &str,
        attempt: u64,
        args: &[&str],
    ) -> Result<bool, StoreError> {
        let mut invocation = script.key(message_key(id));
        invocation.arg(format!("{OUTBOX}:")).arg(attempt).arg(id);
        for arg in args {
            invocation.arg(*arg);
        }
        Ok(timed(invocation.invoke_async::<i64>(c)).await? == 1)
    }

    pub(in crate::store) async fn outbox_sent(
        &self,
        id: &str,
        attempt: u64,
        provider: &str,
        provider_id: &str,
        keep: Duration,
    ) -> Result<bool, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = SENT.key(message_key(id));
        invocation.key(format!("{OUTBOX}:ref:{provider}:{provider_id}")).arg(format!("{OUTBOX}:")).arg(attempt);
        invocation.arg(id).arg(provider).arg(provider_id).arg(keep.as_secs().max(1));
        Ok(timed(invocation.invoke_async::<i64>(&mut c)).await? == 1)
    }

    pub(in crate::store) async fn outbox_dead(
        &self,
        id: &str,
        attempt: u64,
        now_ms: u64,
        error: &str,
        keep: Duration,
    ) -> Result<bool, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = DEAD.key(message_key(id));
        invocation.key(format!("{OUTBOX}:dead")).arg(format!("{OUTBOX}:")).arg(attempt).arg(id).arg(now_ms);
        invocation.arg(error).arg(keep.as_secs().max(1)).arg(DEAD_LETTERS_KEPT);
        Ok(timed(invocation.invoke_async::<i64>(&mut c)).await? == 1)
    }

    pub(in crate::store) async fn outbox_delivery(
        &self,
        provider: &str,
        provider_id: &str,
        state: &str,
    ) -> Result<Option<String>, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = DELIVERY.key(format!("{OUTBOX}:ref:{provider}:{provider_id}"));
        invocation.arg(format!("{OUTBOX}:msg:")).arg(state);
        timed(invocation.invoke_async(&mut c)).await
    }

    pub(in crate::store) async fn outbox_dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        let mut c = self.connection.clone();
        let ids: Vec<String> = timed(
            redis::cmd("ZREVRANGE")
                .arg(format!("{OUTBOX}:dead"))
                .arg(0)
                .arg(limit.saturating_sub(1))
                .query_async(&mut c),
        )
        .await?;
        let mut letters = Vec::new();
        for id in ids {
            type Fields = (Option<String>, Option<String>, Option<u32>, Option<String>, Option<u64>);
            let (helpline, provider, tries, error, at): Fields = timed(
                redis::cmd("HMGET")
                    .arg(message_key(&id))
                    .arg(&["helpline", "provider", "tries", "error", "dead_at"])
                    .query_async(&mut c),
            )
            .await?;
            letters.push(DeadLetter {
                id,
                helpline: helpline.unwrap_or_default(),
                provider: provider.unwrap_or_default(),
                tries: tries.unwrap_or(0),
                error: error.unwrap_or_default(),
                at_ms: at.unwrap_or(0),
            });
        }
        Ok(letters)
    }

    pub(in crate::store) async fn outbox_revive(&self, id: Option<&str>, now_ms: u64) -> Result<usize, StoreError> {
        let mut c = self.connection.clone();
        let ids: Vec<String> = match id {
            Some(id) => vec![id.to_owned()],
            None => {
                timed(redis::cmd("ZRANGE").arg(format!("{OUTBOX}:dead")).arg(0).arg(-1).query_async(&mut c)).await?
            }
        };
        let mut invocation = REVIVE.key(format!("{OUTBOX}:dead"));
        invocation.arg(format!("{OUTBOX}:")).arg(now_ms);
        for id in &ids {
            invocation.arg(id);
        }
        timed(invocation.invoke_async(&mut c)).await
    }

    /// The backlog over both queues, pages and replies.
    pub(in crate::store) async fn outbox_backlog(&self, now_ms: u64) -> Result<Backlog, StoreError> {
        let mut c = self.connection.clone();
        let mut pipe = redis::pipe();
        for due in [format!("{OUTBOX}:due:page"), format!("{OUTBOX}:due")] {
            pipe.cmd("ZCOUNT").arg(&due).arg("-inf").arg(now_ms).cmd("ZCARD").arg(&due);
            pipe.cmd("ZRANGE").arg(&due).arg(0).arg(0).arg("WITHSCORES");
        }
        pipe.cmd("ZCARD").arg(format!("{OUTBOX}:dead"));
        type Oldest = Vec<(String, u64)>;
        let (page_now, pages, page_oldest, now, all, oldest, dead): (
            usize,
            usize,
            Oldest,
            usize,
            usize,
            Oldest,
            usize,
        ) = timed(pipe.query_async(&mut c)).await?;
        let first = |q: Oldest| q.first().map(|(_, at)| *at).filter(|at| *at <= now_ms);
        Ok(Backlog {
            due_now: page_now + now,
            pending: pages + all,
            oldest_due_ms: first(page_oldest).into_iter().chain(first(oldest)).min(),
            dead,
        })
    }

    pub(in crate::store) async fn outbox_state(&self, id: &str) -> Result<Option<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("HGET").arg(message_key(id)).arg("state").query_async(&mut c)).await
    }

    pub(in crate::store) async fn outbox_cancel(&self, owner: &str, erase: bool) -> Result<usize, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = CANCEL_OWNER.key(format!("{OUTBOX}:owner:{owner}"));
        invocation.arg(format!("{OUTBOX}:")).arg(if erase { "1" } else { "0" });
        timed(invocation.invoke_async(&mut c)).await
    }

    pub(in crate::store) async fn outbox_wait(&self, waiter: &mut Waiter, timeout: Duration) {
        self.block_on(waiter, &format!("{OUTBOX}:wake"), timeout).await
    }
}
