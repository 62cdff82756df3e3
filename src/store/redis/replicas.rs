//! A write confirmed on a replica before the outbox acts on it (issue 10). Redis replicates
//! asynchronously: a master killed right after a write may be replaced by a replica that never
//! got it. For a message just queued that would be an SMS answered 200 for (or a page the case
//! records as sent) lost; for a message's START, a send the new master does not know had begun,
//! sent a second time without the "sent again" mark. So after ENQUEUE and START the outbox asks
//! the master that holds its slot to `WAIT` for one replica, and goes on only once one has it.
//! SENT, RETRY and DEAD are not waited for: losing one makes the message go again after its
//! lease, marked and counted as the rules say, and waiting would not change what the worker does.
//!
//! `WAIT 1` on a master without replicas would block for its whole timeout, so the outbox first
//! asks that master (`INFO replication`, at most every [`RECHECK`]) whether it has any; a single
//! Redis without replicas is never sent `WAIT`. A replica that does not confirm within
//! [`WAIT_FOR`] is behind or gone: the outbox goes on (an SMS held back while a replica recovers
//! is worse than the small chance of losing it with its master in that time), the write is
//! counted, and for [`RECHECK`] the outbox does not wait again, so a lagging replica slows one
//! write, not every one. (A replica that has just made a full sync gets nothing until its first
//! acknowledgement, up to a second: writes then are rightly counted as unconfirmed.)
//!
//! A `WAIT` blocks the connection it comes on (a web worker's own, or the workers' shared one),
//! and what else is sent on it waits too: a replica's round trip each time, [`WAIT_FOR`] once
//! per [`RECHECK`] at worst while a replica is behind (under the 800 ms a command may take).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::connection::Node;
use super::driven::Driven;
use super::timed;
use crate::store::StoreError;

/// Longest a write waits for a replica to confirm it: far above a healthy replica's lag (well
/// under a millisecond on one network), far below a send's lease or a provider's webhook timeout.
pub const WAIT_FOR: Duration = Duration::from_millis(500);

/// How often the master is asked whether it has replicas, and how long the outbox stops
/// waiting after a replica did not confirm in time.
pub const RECHECK: Duration = Duration::from_secs(10);

/// What the outbox knows of its master's replicas.
#[derive(Default)]
pub struct Replicas {
    state: Mutex<Known>,
}

#[derive(Default, Clone, Copy)]
struct Known {
    /// Whether the master had a replica when last asked, and when to ask again.
    any: bool,
    ask_after: Option<Instant>,
    /// Until then a replica is known to be behind: sends do not wait.
    behind_until: Option<Instant>,
}

/// Whether a write is on a replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replicated {
    /// On a replica, or there is none to lose it to.
    Yes,
    /// Only on the master: its replica did not confirm in time.
    No,
}

impl Replicas {
    /// Waits until a replica has every write made so far on `c` to the master of `key`'s slot.
    /// `c` must be the clone that made the write: `WAIT` counts the writes of the connection it
    /// comes on.
    pub async fn confirm(&self, c: &mut Driven, key: &str) -> Result<Replicated, StoreError> {
        let now = Instant::now();
        let known = *self.state.lock().unwrap_or_else(|e| e.into_inner());
        let any = match known.ask_after {
            Some(after) if now < after => known.any,
            _ => self.ask(c, key, now).await?,
        };
        if !any {
            return Ok(Replicated::Yes);
        }
        if known.behind_until.is_some_and(|until| now < until) {
            return Ok(Replicated::No);
        }
        let mut wait = redis::cmd("WAIT");
        wait.arg(1).arg(WAIT_FOR.as_millis() as u64);
        let acks: i64 = timed(c.on_node(&wait, &Node::SlotOf(key.to_owned()))).await?;
        if acks >= 1 {
            return Ok(Replicated::Yes);
        }
        tracing::warn!(
            wait_ms = WAIT_FOR.as_millis() as u64,
            "outbox: no Redis replica confirmed a write; going on, and not waiting again for {} s",
            RECHECK.as_secs()
        );
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.behind_until = Some(now + RECHECK);
        state.ask_after = None; // the replica may be gone: ask again next time
        Ok(Replicated::No)
    }

    /// Asks the master of `key`'s slot how many replicas it has.
    async fn ask(&self, c: &mut Driven, key: &str, now: Instant) -> Result<bool, StoreError> {
        let mut info = redis::cmd("INFO");
        info.arg("replication");
        let text: String = timed(c.on_node(&info, &Node::SlotOf(key.to_owned()))).await?;
        let any = connected_replicas(&text) > 0;
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.any = any;
        state.ask_after = Some(now + RECHECK);
        Ok(any)
    }
}

/// `connected_slaves:<n>` from `INFO replication`; 0 when absent.
fn connected_replicas(info: &str) -> usize {
    info.lines().find_map(|l| l.trim().strip_prefix("connected_slaves:")?.parse().ok()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::connected_replicas;

    #[test]
    fn the_replica_count_is_read_from_info_replication() {
        let master = "# Replication\r\nrole:master\r\nconnected_slaves:1\r\nslave0:ip=127.0.0.1,port=7004\r\n";
        assert_eq!(connected_replicas(master), 1);
        assert_eq!(connected_replicas("# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"), 0);
        assert_eq!(connected_replicas("garbage"), 0);
    }
}
