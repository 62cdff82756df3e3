//! A write confirmed on a replica before Salama acts on it (issue 10). Redis replicates
//! asynchronously: a master killed right after a write may be replaced by a replica that never
//! got it. For a message just queued that would be an SMS answered 200 for (or a page the case
//! records as sent) lost; for a message's START, a send the new master does not know had begun,
//! sent a second time without the "sent again" mark; for a case just opened, a survivor told "a
//! counsellor will contact you" whom no one is paged for. So after those writes the store asks
//! the master that holds their slot to `WAIT` for one replica, and goes on only once one has it.
//! Which writes wait is said where they are made (`outbox.rs`, `cases.rs`, `cases::Cases`): those
//! whose loss would lose a message, a page or her answers; not those whose loss only makes a
//! worker do its step again (a SENT, a case's paging step, a timer's claim).
//!
//! `WAIT 1` on a master without replicas would block for its whole timeout, so the store first
//! asks that master (`INFO replication`, before the write, at most every [`ID_FRESH`]) whether it
//! has any; a single
//! Redis without replicas is never sent `WAIT`. A replica that does not confirm within
//! [`WAIT_FOR`] is behind or gone: the store goes on (an SMS or a case held back while a replica
//! recovers is worse than the small chance of losing it with its master in that time), the write
//! is counted by the caller, and for [`RECHECK`] no write on that master waits again, so a
//! lagging replica slows one write, not every one. (A replica that has just made a full sync gets
//! nothing until its first acknowledgement, up to a second: writes then are rightly counted as
//! unconfirmed.) The outbox (`{outbox}`) and the cases (`{esc}`) each keep their own
//! [`Replicas`]: on a cluster their slots may be on different masters.
//!
//! A `WAIT` blocks the connection it comes on (a web worker's own, or the workers' shared one),
//! and what else is sent on it waits too: a replica's round trip each time. When a replica stops,
//! every write in the first [`WAIT_FOR`] sends a `WAIT` of its own before the first one times
//! out and writes stop waiting for [`RECHECK`]; on a busy connection those queue one behind the
//! other, and commands behind them can pass the call timeout: for about a second a hop may get
//! the emergency screen and a webhook a 503 (its provider retries), a send its lease. Nothing
//! is lost; one `WAIT` in flight per connection would shorten it (not done).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::connection::Node;
use super::driven::Driven;
use super::timed;
use crate::store::{Replicated, StoreError};

/// Longest a write waits for a replica to confirm it: far above a healthy replica's lag (well
/// under a millisecond on one network), far below a send's lease or a provider's webhook timeout.
pub const WAIT_FOR: Duration = Duration::from_millis(500);

/// How long writes stop waiting after a replica did not confirm one in time.
pub const RECHECK: Duration = Duration::from_secs(10);

/// How often, at most, the master is asked (before a write) for its replicas and replication id:
/// well under the time a cluster takes to replace a master (`cluster-node-timeout`, 15 s by
/// default), so the id a write is checked against is never one from before a completed failover.
pub const ID_FRESH: Duration = Duration::from_secs(1);

/// What the store knows of the replicas of the master that holds one slot.
pub struct Replicas {
    /// Whose writes these are (`outbox`, `cases`), for the log.
    of: &'static str,
    state: Mutex<Known>,
}

#[derive(Default, Clone)]
struct Known {
    /// Whether the master had a replica when last asked, its replication id then (a replica
    /// promoted in its place has another), and when that was.
    any: bool,
    replid: String,
    asked_at: Option<Instant>,
    /// Until then a replica is known to be behind: writes do not wait.
    behind_until: Option<Instant>,
    /// Redis refuses `INFO` or `WAIT` to this user (an ACL, a managed service): writes go on as
    /// on a single Redis, never failed for it.
    refused: bool,
}

impl Replicas {
    pub fn of(of: &'static str) -> Self {
        Replicas { of, state: Mutex::default() }
    }

    /// The replication id of the master of `key`'s slot, to hand to [`Replicas::confirm`]: call
    /// it before the write. Asked again when older than [`ID_FRESH`], so that a write made on a
    /// replica promoted since is not taken for one made on the master it replaced.
    pub async fn before(&self, c: &mut Driven, key: &str) -> Result<String, StoreError> {
        let now = Instant::now();
        let known = self.known();
        if known.refused {
            return Ok(String::new());
        }
        match known.asked_at {
            Some(at) if now.duration_since(at) < ID_FRESH => Ok(known.replid),
            _ => Ok(self.ask(c, key, now).await?.1),
        }
    }

    /// Waits until a replica has every write made so far on `c` to the master of `key`'s slot.
    /// `c` must be the clone that made the write: `WAIT` counts the writes of the connection it
    /// comes on. `replid`: what [`Replicas::before`] returned before the write.
    ///
    /// A `WAIT` broken by a killed master is sent again by the cluster client to the replica
    /// that took over, where it counts nothing (and, with no replica left, confirms nothing):
    /// so an unconfirmed write is checked against the master's replication id, and when the
    /// master was replaced since before the write, the write may be lost with the old one:
    /// [`StoreError::MasterReplaced`], and the caller promises nothing. (Where the new master
    /// has a replica of its own, the resent `WAIT` is confirmed at once: a gap this does not
    /// close, with two or more replicas per master.)
    pub async fn confirm(&self, c: &mut Driven, key: &str, replid: &str) -> Result<Replicated, StoreError> {
        let now = Instant::now();
        let known = self.known();
        if !known.any {
            return Ok(Replicated::Yes);
        }
        if known.behind_until.is_some_and(|until| now < until) {
            return Ok(Replicated::No);
        }
        let mut wait = redis::cmd("WAIT");
        wait.arg(1).arg(WAIT_FOR.as_millis() as u64);
        let acks: i64 = match timed(c.on_node(&wait, &Node::SlotOf(key.to_owned()))).await {
            Err(e) if refused(&e) => {
                self.refuse(&e);
                return Ok(Replicated::Yes);
            }
            acks => acks?,
        };
        if acks >= 1 {
            return Ok(Replicated::Yes);
        }
        let (any, replid_now) = self.ask(c, key, now).await?;
        if replid_now != replid {
            tracing::warn!("{}: the Redis master was replaced before a replica confirmed a write", self.of);
            return Err(StoreError::MasterReplaced);
        }
        if !any {
            return Ok(Replicated::Yes); // its replica left meanwhile: it is the only copy now
        }
        tracing::warn!(
            wait_ms = WAIT_FOR.as_millis() as u64,
            "{}: no Redis replica confirmed a write; going on, and not waiting again for {} s",
            self.of,
            RECHECK.as_secs()
        );
        self.state.lock().unwrap_or_else(|e| e.into_inner()).behind_until = Some(now + RECHECK);
        Ok(Replicated::No)
    }

    /// Stops asking for good, once: a write must never fail because its confirmation cannot be
    /// asked for (with `INFO` refused, every SMS and case would).
    fn refuse(&self, e: &StoreError) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if !state.refused {
            (state.refused, state.any) = (true, false);
            tracing::error!(error = %e, "{}: Redis refuses INFO or WAIT to this user, so writes are not confirmed on a replica and a killed master may lose the last of them; allow both (ACL: +info +wait)", self.of);
        }
    }

    fn known(&self) -> Known {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Asks the master of `key`'s slot how many replicas it has, and its replication id.
    async fn ask(&self, c: &mut Driven, key: &str, now: Instant) -> Result<(bool, String), StoreError> {
        let mut info = redis::cmd("INFO");
        info.arg("replication");
        let text: String = match timed(c.on_node(&info, &Node::SlotOf(key.to_owned()))).await {
            Err(e) if refused(&e) => {
                self.refuse(&e);
                return Ok((false, String::new()));
            }
            text => text?,
        };
        let (any, replid) = (connected_replicas(&text) > 0, field(&text, "master_replid").unwrap_or_default());
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        (state.any, state.replid, state.asked_at) = (any, replid.clone(), Some(now));
        Ok((any, replid))
    }
}

/// Whether Redis refused the command itself (no permission, a command a managed service does not
/// offer) rather than failing for the moment (a connection lost, a failover, a timeout).
fn refused(e: &StoreError) -> bool {
    use redis::{ErrorKind, ServerErrorKind};
    matches!(e, StoreError::Redis(e) if matches!(
        e.kind(),
        ErrorKind::Server(ServerErrorKind::NoPerm | ServerErrorKind::ResponseError) | ErrorKind::Extension
    ))
}

/// `connected_slaves:<n>` from `INFO replication`; 0 when absent.
fn connected_replicas(info: &str) -> usize {
    field(info, "connected_slaves").and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// One `name:value` line of an `INFO` answer.
fn field(info: &str, name: &str) -> Option<String> {
    info.lines().find_map(|l| Some(l.trim().strip_prefix(name)?.strip_prefix(':')?.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::{connected_replicas, field};

    #[test]
    fn the_replica_count_is_read_from_info_replication() {
        let master = "# Replication\r\nrole:master\r\nconnected_slaves:1\r\nslave0:ip=127.0.0.1,port=7004\r\n";
        assert_eq!(connected_replicas(master), 1);
        assert_eq!(connected_replicas("# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"), 0);
        assert_eq!(connected_replicas("garbage"), 0);
        let id = "master_replid:8f0c5e2b6a7d1f3c9e4b2a6d8c0e1f3a5b7c9d2e";
        assert_eq!(field(&format!("role:master\r\n{id}\r\nmaster_replid2:0\r\n"), "master_replid").unwrap(), &id[14..]);
    }
}
