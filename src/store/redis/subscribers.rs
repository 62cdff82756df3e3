//! A subscriber's keys as a whole on Redis: erasure, the block list, the rate limit.

use std::sync::LazyLock;

use redis::Script;

use super::connection::KeyScan;
use super::{RedisStore, timed};
use crate::store::StoreError;

/// Everyone blocked, for `salama blocked`.
const BLOCKED: &str = "salama:{abuse}:blocked";

static RATE: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("../lua/rate.lua")));

impl RedisStore {
    pub(in crate::store) async fn erase_subscriber(&self, pseudonym: &str) -> Result<usize, StoreError> {
        let mut c = self.connection.clone();
        let user = format!("salama:{{u:{pseudonym}}}");
        let blocked = format!("{user}:blocked");
        // Her keys share her hash tag, so they all sit on the node of that one slot.
        let mut scan = KeyScan::slot_of(c.shared(), user.clone(), format!("{user}:*"));
        let mut erased = 0;
        while let Some(keys) = scan.next().await? {
            let keys: Vec<&String> = keys.iter().filter(|k| **k != blocked).collect(); // the block list stays
            if !keys.is_empty() {
                erased += timed(redis::cmd("DEL").arg(&keys).query_async::<usize>(&mut c)).await?;
            }
        }
        Ok(erased)
    }

    /// Two commands, not one script: her flag sits in her slot, the list of everyone blocked in
    /// `{abuse}`'s. The list is written first when blocking and last when unblocking, so a
    /// failure between the two leaves her listed, never blocked unlisted; repeating is harmless.
    pub(in crate::store) async fn set_blocked(&self, pseudonym: &str, blocked: bool) -> Result<(), StoreError> {
        let mut c = self.connection.clone();
        let key = format!("salama:{{u:{pseudonym}}}:blocked");
        if blocked {
            timed(redis::cmd("SADD").arg(BLOCKED).arg(pseudonym).query_async::<i64>(&mut c)).await?;
            timed(redis::cmd("SET").arg(&key).arg("1").query_async::<()>(&mut c)).await
        } else {
            timed(redis::cmd("DEL").arg(&key).query_async::<i64>(&mut c)).await?;
            timed(redis::cmd("SREM").arg(BLOCKED).arg(pseudonym).query_async::<i64>(&mut c)).await.map(drop)
        }
    }

    pub(in crate::store) async fn blocked(&self) -> Result<Vec<String>, StoreError> {
        let mut c = self.connection.clone();
        timed(redis::cmd("SMEMBERS").arg(BLOCKED).query_async(&mut c)).await
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
