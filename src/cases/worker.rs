//! The cases worker: the escalation timers, the purge of closed cases' contact details, and
//! the quick exits' clean-ups left undone.

use std::sync::Arc;
use std::time::Duration;

use tracing::error;

use super::Cases;
use crate::store::Waiter;

/// Longest wait without a wake-up; also how late a closed case's purge can run.
const MAX_WAIT: Duration = Duration::from_secs(30);

/// Runs until the process stops. Between passes it waits on the store (a blocking pop on Redis,
/// woken when any gateway opens a case) until the next timer comes due, or is woken here when
/// this gateway changes a case: no polling. A lease a lost gateway left is a timer like any other.
pub async fn run(cases: Arc<Cases>) {
    let mut waiter = Waiter::default();
    loop {
        cases.retry_exits().await;
        if let Err(e) = cases.purge_due(cases.clock.now()).await {
            cases.metrics.store_error();
            error!(error = %e, "retention: the purge failed; trying again");
        }
        let wait = match cases.escalate_due(cases.clock.now()).await {
            Ok(0) => match cases.store.cases().next_due().await {
                Ok(next) => next.map_or(MAX_WAIT, |at| Duration::from_millis(at.saturating_sub(cases.clock.now_ms()))),
                Err(_) => Duration::from_secs(1),
            },
            Ok(_) => continue,
            Err(e) => {
                cases.metrics.store_error();
                error!(error = %e, "escalation: the store failed; trying again in a second");
                Duration::from_secs(1)
            }
        };
        let store = cases.store.cases();
        tokio::select! {
            () = cases.wake.notified() => {}
            () = store.wait(&mut waiter, wait.clamp(Duration::from_millis(10), MAX_WAIT)) => {}
        }
    }
}
