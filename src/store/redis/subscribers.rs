//! A subscriber's keys as a whole on Redis: erasure, the block list, the rate limit.

use std::sync::LazyLock;

use redis::Script;

use super::{RedisStore, timed};
use crate::store::StoreError;

static RATE: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/rate.lua")));

impl RedisStore {
    pub(in crate::store) async fn erase_subscriber(&self, pseudonym: &str) -> Result<usize, StoreError> {
        let mut c = self.connection.clone();
        let pattern = format!("salama:{{u:{pseudonym}}}:*");
        let mut cursor = 0u64;
        let mut erased = 0;
        loop {
            let (next, keys): (u64, Vec<String>) = timed(
                redis::cmd("SCAN").arg(cursor).arg("MATCH").arg(&pattern).arg("COUNT").arg(1000).query_async(&mut c),
            )
            .await?;
            if !keys.is_empty() {
                let blocked = format!("salama:{{u:{pseudonym}}}:blocked");
                let keys: Vec<&String> = keys.iter().filter(|k| **k != blocked).collect(); // the block list stays
                if !keys.is_empty() {
                    erased += timed(redis::cmd("DEL").arg(&keys).query_async::<usize>(&mut c)).await?;
                }
            }
            if next == 0 {
                return Ok(erased);
            }
            cursor = next;
        }
    }

    pub(in crate::store) async fn set_blocked(&self, pseudonym: &str, blocked: bool) -> Result<(), StoreError> {
        let mut c = self.connection.clone();
        let key = format!("salama:{{u:{pseudonym}}}:blocked");
        let mut pipe = redis::pipe();
        if blocked {
            pipe.cmd("SET").arg(&key).arg("1").cmd("SADD").arg("salama:{abuse}:blocked").arg(pseudonym);
        } else {
            pipe.cmd("DEL").arg(&key).cmd("SREM").arg("salama:{abuse}:blocked").arg(pseudonym);
        }
        timed(pipe.query_async::<()>(&mut c)).await
    }

    pub(in crate::store) async fn blocked(&self) -> Result<Vec<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("SMEMBERS").arg("salama:{abuse}:blocked").query_async(&mut c)).await
    }

    pub(in crate::store) async fn rate_allow(
        &self,
        pseudonym: &str,
        per_minute: u32,
        burst: u32,
    ) -> Result<bool, StoreError> {
        let mut c = self.connection.clone();
        let mut invocation = RATE.key(format!("salama:{{u:{pseudonym}}}:rate"));
        invocation.arg(60_000 / per_minute.max(1)).arg(burst);
        let allowed: i64 = timed(invocation.invoke_async(&mut c)).await?;
        Ok(allowed == 1)
    }
}
