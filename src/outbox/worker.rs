//! A worker: takes one due message at a time; when nothing is due it waits on the store (a
//! blocking pop on Redis) until a message is queued or the next one comes due, instead of
//! polling. At shutdown it finishes the send it started, or gives its claim back.

use std::sync::Arc;
use std::time::Duration;

use tracing::error;

use super::{Outbox, Turn};
use crate::store::Waiter;

/// Longest wait without a wake-up: a wake-up lost with a restarted Redis costs at most this.
const MAX_WAIT: Duration = Duration::from_secs(30);

/// Runs one worker until [`Outbox::stop`].
pub async fn run(outbox: Arc<Outbox>) {
    let mut waiter = Waiter::default();
    let mut stopping = outbox.stopping.subscribe();
    while !outbox.is_stopping() {
        let wait = match outbox.turn(outbox.clock.now_ms()).await {
            Ok(Turn::Took) => continue,
            Ok(Turn::Idle { next_due_ms }) => {
                let until = next_due_ms
                    .map_or(MAX_WAIT, |due| Duration::from_millis(due.saturating_sub(outbox.clock.now_ms())));
                until.clamp(Duration::from_millis(10), MAX_WAIT)
            }
            Err(e) => {
                error!(error = %e, "outbox: the store failed; trying again in a second");
                tokio::select! {
                    _ = stopping.changed() => {}
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
                continue;
            }
        };
        let queue = outbox.store.outbox();
        tokio::select! {
            _ = stopping.changed() => {}
            () = queue.wait(&mut waiter, wait) => {}
        }
    }
}
