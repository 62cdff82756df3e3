//! Cases end to end: opened by a flow's escalation, paged as the helpline's policy says when
//! their timers come due, taken and answered by counsellors' SMS commands, and relayed between
//! counsellor and survivor.
//!
//! Several gateways can run this at once and any may crash: a timer is claimed with a lease (a
//! gateway that dies leaves it to come due again), pages go through the outbox under ids made of
//! the case, round, level and counsellor (a page computed twice is queued once), and every case
//! change is written only if the case is still at the version it was read at.
//!
//! Where to look: [`open`] (a case opened or merged, from a flow's escalation or triage),
//! [`paging`] (a timer come due: page the next level, tell her, give up), [`counsellor`] (a
//! counsellor's ACK, PASS, CLOSE, CALL and replies, relayed both ways), [`reach`] (how she may
//! be reached: her answers, the SMS question, who is on call, her note), [`exit`] (her quick
//! exit's clean-up and the relay it ends), [`words`] (the texts counsellors read, in their
//! language). The worker is [`run`].

mod counsellor;
mod exit;
mod open;
mod paging;
mod reach;
mod words;

pub(crate) use exit::{Exit, ExitSession};
pub use open::Contact;
pub(crate) use reach::Answers;

use std::sync::Arc;
use std::time::Duration;

use tracing::error;

use crate::engine::Gateway;
use crate::escalation::case::Case;
use crate::store::Waiter;

/// Timers one pass takes.
const BATCH: usize = 10;
/// Longest wait without a wake-up; also how late a closed case's purge can run.
const MAX_WAIT: Duration = Duration::from_secs(30);

/// Runs the escalation timers, and the purge of closed cases' contact details, until the
/// process stops. Between passes it waits on the store (a blocking pop on Redis, woken when any
/// gateway opens a case) until the next timer comes due, or is woken here when this gateway
/// changes a case: no polling. A lease a lost gateway left is a timer like any other.
pub async fn run(gateway: Arc<Gateway>) {
    let mut waiter = Waiter::default();
    loop {
        gateway.retry_exits().await;
        if let Err(e) = gateway.purge_due(gateway.clock.now()).await {
            gateway.metrics.store_error();
            error!(error = %e, "retention: the purge failed; trying again");
        }
        let wait = match gateway.escalate_due(gateway.clock.now()).await {
            Ok(0) => match gateway.store.cases().next_due().await {
                Ok(next) => {
                    next.map_or(MAX_WAIT, |at| Duration::from_millis(at.saturating_sub(gateway.clock.now_ms())))
                }
                Err(_) => Duration::from_secs(1),
            },
            Ok(_) => continue,
            Err(e) => {
                gateway.metrics.store_error();
                error!(error = %e, "escalation: the store failed; trying again in a second");
                Duration::from_secs(1)
            }
        };
        let cases = gateway.store.cases();
        tokio::select! {
            () = gateway.wake_escalation.notified() => {}
            () = cases.wait(&mut waiter, wait.clamp(Duration::from_millis(10), MAX_WAIT)) => {}
        }
    }
}

/// What acknowledging a case did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AckResult {
    Taken(Box<Case>),
    AlreadyTakenBy(String),
    NoCase,
}
