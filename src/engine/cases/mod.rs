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

/// Timers one pass takes.
const BATCH: usize = 10;
const IDLE: Duration = Duration::from_millis(200);

/// Runs the escalation timers, and the purge of closed cases' contact details, until the
/// process stops.
pub async fn run(gateway: Arc<Gateway>) {
    loop {
        gateway.retry_exits().await;
        if let Err(e) = gateway.purge_due(gateway.clock.now()).await {
            gateway.metrics.store_error();
            error!(error = %e, "retention: the purge failed; trying again");
        }
        match gateway.escalate_due(gateway.clock.now()).await {
            Ok(0) => {
                tokio::select! {
                    () = gateway.wake_escalation.notified() => {}
                    () = tokio::time::sleep(IDLE) => {}
                }
            }
            Ok(_) => {}
            Err(e) => {
                gateway.metrics.store_error();
                error!(error = %e, "escalation: the store failed; trying again in a second");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
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
