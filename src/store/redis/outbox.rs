//! The outbox on Redis (rules: [`crate::store::outbox`]); keys under `salama:{outbox}:`.

use std::sync::LazyLock;
use std::time::Duration;

use redis::Script;

use super::{RedisStore, timed};
use crate::store::StoreError;
use crate::store::outbox::{Backlog, Claimed, DeadLetter, Enqueue, LOST_WORKER, OUTBOX, message_key};

static ENQUEUE: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/enqueue.lua")));
static CLAIM: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/claim.lua")));
static SENT: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/sent.lua")));
static RETRY: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/retry.lua")));
static DEAD: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/dead.lua")));
static DELIVERY: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/delivery.lua")));
static REQUEUE: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/requeue.lua")));
static CANCEL_OWNER: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/cancel_owner.lua")));

impl RedisStore {
    pub(in crate::store) async fn outbox_enqueue(&self, m: &Enqueue) -> Result<bool, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = ENQUEUE.key(message_key(&m.id));
        let owner = m.owner.as_deref().unwrap_or_default();
        invocation.key(format!("{OUTBOX}:due")).key(format!("{OUTBOX}:owner:{owner}"));
        invocation.arg(&m.id).arg(m.due_ms).arg(owner);
        invocation.arg("state").arg("queued").arg("attempts").arg(0);
        invocation.arg("sender").arg(m.sender.as_deref().unwrap_or_default());
        invocation.arg("helpline").arg(&m.helpline).arg("provider").arg(&m.provider);
        invocation.arg("fallback").arg(m.fallback.as_deref().unwrap_or(""));
        invocation.arg("to").arg(&m.to).arg("body").arg(&m.body);
        let written: i64 = timed(invocation.invoke_async(&mut c)).await?;
        Ok(written == 1)
    }

    pub(in crate::store) async fn outbox_claim(
        &self,
        now_ms: u64,
        lease_ms: u64,
        limit: usize,
    ) -> Result<Vec<Claimed>, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = CLAIM.key(format!("{OUTBOX}:due"));
        invocation.key(format!("{OUTBOX}:dead")).arg(now_ms).arg(lease_ms).arg(limit).arg(format!("{OUTBOX}:msg:"));
        invocation.arg(LOST_WORKER);
        type Row = (String, u32, String, String, String, Vec<u8>, Vec<u8>, String);
        let rows: Vec<Row> = timed(invocation.invoke_async(&mut c)).await?;
        Ok(rows
            .into_iter()
            .map(|(id, attempts, helpline, provider, fallback, to, body, sender)| Claimed {
                id,
                helpline,
                provider,
                fallback: Some(fallback).filter(|f| !f.is_empty()),
                to,
                body,
                attempts,
                sender: Some(sender).filter(|s| !s.is_empty()),
            })
            .collect())
    }

    pub(in crate::store) async fn outbox_sent(
        &self,
        id: &str,
        provider: &str,
        provider_id: &str,
        keep: Duration,
    ) -> Result<(), StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = SENT.key(message_key(id));
        invocation.key(format!("{OUTBOX}:due")).key(format!("{OUTBOX}:ref:{provider}:{provider_id}"));
        invocation.arg(id).arg(provider).arg(provider_id).arg(keep.as_secs().max(1));
        timed(invocation.invoke_async::<i64>(&mut c)).await.map(drop)
    }

    pub(in crate::store) async fn outbox_retry(&self, id: &str, due_ms: u64, error: &str) -> Result<(), StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = RETRY.key(message_key(id));
        invocation.key(format!("{OUTBOX}:due")).arg(id).arg(due_ms).arg(error);
        timed(invocation.invoke_async::<i64>(&mut c)).await.map(drop)
    }

    pub(in crate::store) async fn outbox_dead(
        &self,
        id: &str,
        now_ms: u64,
        error: &str,
        keep: Duration,
    ) -> Result<(), StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = DEAD.key(message_key(id));
        invocation.key(format!("{OUTBOX}:due")).key(format!("{OUTBOX}:dead"));
        invocation.arg(id).arg(now_ms).arg(error).arg(keep.as_secs().max(1));
        timed(invocation.invoke_async::<i64>(&mut c)).await.map(drop)
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
            let (helpline, provider, attempts, error, at): Fields = timed(
                redis::cmd("HMGET")
                    .arg(message_key(&id))
                    .arg(&["helpline", "provider", "attempts", "error", "dead_at"])
                    .query_async(&mut c),
            )
            .await?;
            letters.push(DeadLetter {
                id,
                helpline: helpline.unwrap_or_default(),
                provider: provider.unwrap_or_default(),
                attempts: attempts.unwrap_or(0),
                error: error.unwrap_or_default(),
                at_ms: at.unwrap_or(0),
            });
        }
        Ok(letters)
    }

    pub(in crate::store) async fn outbox_requeue(&self, id: Option<&str>, now_ms: u64) -> Result<usize, StoreError> {
        let mut c = self.connection.clone();
        let ids: Vec<String> = match id {
            Some(id) => vec![id.to_owned()],
            None => {
                timed(redis::cmd("ZRANGE").arg(format!("{OUTBOX}:dead")).arg(0).arg(-1).query_async(&mut c)).await?
            }
        };
        let mut invocation = REQUEUE.key(format!("{OUTBOX}:due"));
        invocation.key(format!("{OUTBOX}:dead")).arg(now_ms).arg(format!("{OUTBOX}:msg:"));
        for id in &ids {
            invocation.arg(id);
        }
        timed(invocation.invoke_async(&mut c)).await
    }

    pub(in crate::store) async fn outbox_backlog(&self, now_ms: u64) -> Result<Backlog, StoreError> {
        let mut c = self.connection.clone();
        let due = format!("{OUTBOX}:due");
        let (due_now, pending, oldest, dead): (usize, usize, Vec<(String, u64)>, usize) = timed(
            redis::pipe()
                .cmd("ZCOUNT")
                .arg(&due)
                .arg("-inf")
                .arg(now_ms)
                .cmd("ZCARD")
                .arg(&due)
                .cmd("ZRANGE")
                .arg(&due)
                .arg(0)
                .arg(0)
                .arg("WITHSCORES")
                .cmd("ZCARD")
                .arg(format!("{OUTBOX}:dead"))
                .query_async(&mut c),
        )
        .await?;
        let oldest_due_ms = oldest.first().map(|(_, at)| *at).filter(|at| *at <= now_ms);
        Ok(Backlog { due_now, pending, oldest_due_ms, dead })
    }

    pub(in crate::store) async fn outbox_state(&self, id: &str) -> Result<Option<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("HGET").arg(message_key(id)).arg("state").query_async(&mut c)).await
    }

    pub(in crate::store) async fn outbox_cancel(&self, owner: &str, erase: bool) -> Result<usize, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = CANCEL_OWNER.key(format!("{OUTBOX}:owner:{owner}"));
        invocation.key(format!("{OUTBOX}:due")).arg(format!("{OUTBOX}:msg:")).arg(if erase { "1" } else { "0" });
        timed(invocation.invoke_async(&mut c)).await
    }
}
