//! Cases and their timers on Redis (layout: [`crate::store::cases`]). A case opened (or merged)
//! and a write asked for by [`crate::store::cases::Cases::write_replicated`] wait for a replica
//! of the cases' master to have them ([`super::replicas`]); the others do not.

use std::collections::HashMap;
use std::sync::LazyLock;

use redis::Script;

use super::driven::Driven;
use super::{RedisStore, timed};
use crate::store::cases::{CaseOpen, CaseWrite, Opened, PREFIX, Timer, code_key, survivor_key};
use crate::store::{Replicated, StoreError};

static CASE_OPEN: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/case_open.lua")));
static CASE_WRITE: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/case_write.lua")));
static CASE_CLAIM: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/case_claim.lua")));
static CASE_ANONYMIZE: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/case_anonymize.lua")));
static PURGE_DUE: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/purge_due.lua")));

impl RedisStore {
    pub(in crate::store) async fn case_open(&self, o: &CaseOpen) -> Result<(Opened, Replicated), StoreError> {
        let mut c = self.connection.clone();
        let master = self.case_replicas.before(&mut c, &format!("{PREFIX}timers")).await?;
        let mut invocation = CASE_OPEN.key(format!("{PREFIX}{}", survivor_key(&o.pseudonym, &o.helpline)));
        invocation
            .key(format!("{PREFIX}{}", code_key(&o.code)))
            .key(format!("{PREFIX}case:{}", o.id))
            .key(format!("{PREFIX}log:{}", o.id))
            .key(format!("{PREFIX}timers"))
            .key(format!("{PREFIX}open"))
            .key(format!("{PREFIX}by:{}", o.pseudonym))
            .key(format!("{PREFIX}all"));
        invocation.arg(&o.id).arg(o.urgency_rank).arg(&o.urgency).arg(o.due_ms);
        invocation.arg(&o.log_created).arg(&o.log_raised).arg(&o.log_updated).arg(PREFIX).arg(o.updates.len());
        for (k, v) in o.updates.iter().chain(&o.fields) {
            invocation.arg(*k).arg(v);
        }
        let (id, created): (String, i64) = timed(invocation.invoke_async(&mut c)).await?;
        let opened = match created {
            1 => Opened::Created(id),
            0 => Opened::Merged(id),
            _ => return Ok((Opened::CodeTaken, Replicated::Yes)), // nothing written
        };
        Ok((opened, self.case_replicas.confirm(&mut c, &format!("{PREFIX}timers"), &master).await?))
    }

    pub(in crate::store) async fn case_get(&self, id: &str) -> Result<Option<HashMap<String, Vec<u8>>>, StoreError> {
        let mut c = self.connection.clone();
        let fields: HashMap<String, Vec<u8>> =
            timed(redis::cmd("HGETALL").arg(format!("{PREFIX}case:{id}")).query_async(&mut c)).await?;
        Ok(Some(fields).filter(|f| !f.is_empty()))
    }

    pub(in crate::store) async fn case_lookup(&self, key: &str) -> Result<Option<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("GET").arg(format!("{PREFIX}{key}")).query_async(&mut c)).await
    }

    pub(in crate::store) async fn case_write(&self, w: &CaseWrite) -> Result<bool, StoreError> {
        self.case_write_on(&mut self.connection.clone(), w).await
    }

    /// A write, then (when made) a wait for a replica to have it: `None` when the case had
    /// changed and nothing was written.
    pub(in crate::store) async fn case_write_replicated(
        &self,
        w: &CaseWrite,
    ) -> Result<Option<Replicated>, StoreError> {
        let mut c = self.connection.clone();
        let master = self.case_replicas.before(&mut c, &format!("{PREFIX}timers")).await?;
        if !self.case_write_on(&mut c, w).await? {
            return Ok(None);
        }
        Ok(Some(self.case_replicas.confirm(&mut c, &format!("{PREFIX}timers"), &master).await?))
    }

    async fn case_write_on(&self, c: &mut Driven, w: &CaseWrite) -> Result<bool, StoreError> {
        let (code, survivor) = match &w.close {
            Some(r) => (code_key(&r.code), survivor_key(&r.pseudonym, &r.helpline)),
            None => (String::new(), String::new()),
        };
        let mut invocation = CASE_WRITE.key(format!("{PREFIX}case:{}", w.id));
        invocation
            .key(format!("{PREFIX}log:{}", w.id))
            .key(format!("{PREFIX}timers"))
            .key(format!("{PREFIX}open"))
            .key(format!("{PREFIX}{code}"))
            .key(format!("{PREFIX}{survivor}"));
        let timer = match w.timer {
            Timer::Keep => "keep".to_owned(),
            Timer::Clear => "clear".to_owned(),
            Timer::At(ms) => ms.to_string(),
        };
        invocation.arg(&w.id).arg(w.version).arg(timer).arg(if w.close.is_some() { "1" } else { "0" });
        invocation.arg(w.log.len());
        for line in &w.log {
            invocation.arg(line);
        }
        for (k, v) in &w.fields {
            invocation.arg(*k).arg(v);
        }
        let written: i64 = timed(invocation.invoke_async(c)).await?;
        Ok(written == 1)
    }

    pub(in crate::store) async fn case_claim(
        &self,
        now_ms: u64,
        lease_ms: u64,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = CASE_CLAIM.key(format!("{PREFIX}timers"));
        invocation.arg(now_ms).arg(lease_ms).arg(limit);
        timed(invocation.invoke_async(&mut c)).await
    }

    pub(in crate::store) async fn case_next_due(&self) -> Result<Option<u64>, StoreError> {
        let mut c = self.connection.clone();
        let first: Vec<(String, f64)> = timed(
            redis::cmd("ZRANGE").arg(format!("{PREFIX}timers")).arg(0).arg(0).arg("WITHSCORES").query_async(&mut c),
        )
        .await?;
        Ok(first.first().map(|(_, at)| *at as u64))
    }

    pub(in crate::store) async fn cases_open(&self) -> Result<Vec<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("SMEMBERS").arg(format!("{PREFIX}open")).query_async(&mut c)).await
    }

    pub(in crate::store) async fn case_log(&self, id: &str) -> Result<Vec<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("LRANGE").arg(format!("{PREFIX}log:{id}")).arg(0).arg(-1).query_async(&mut c)).await
    }

    pub(in crate::store) async fn cases_of(&self, pseudonym: &str) -> Result<Vec<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("SMEMBERS").arg(format!("{PREFIX}by:{pseudonym}")).query_async(&mut c)).await
    }

    pub(in crate::store) async fn cases_all(&self) -> Result<Vec<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("ZRANGE").arg(format!("{PREFIX}all")).arg(0).arg(-1).query_async(&mut c)).await
    }

    pub(in crate::store) async fn case_anonymize(&self, id: &str) -> Result<(), StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = CASE_ANONYMIZE.key(format!("{PREFIX}case:{id}"));
        invocation.arg(id).arg(PREFIX);
        timed(invocation.invoke_async::<i64>(&mut c)).await.map(drop)
    }

    pub(in crate::store) async fn case_purge_at(&self, id: &str, at_ms: u64) -> Result<(), StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("ZADD").arg(format!("{PREFIX}purge")).arg(at_ms).arg(id).query_async::<i64>(&mut c))
            .await
            .map(drop)
    }

    pub(in crate::store) async fn case_purge_due(&self, now_ms: u64, limit: usize) -> Result<Vec<String>, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = PURGE_DUE.key(format!("{PREFIX}purge"));
        invocation.arg(now_ms).arg(limit);
        timed(invocation.invoke_async(&mut c)).await
    }
}
