//! The cases service: cases opened by a flow's escalation or by triage, paged as the helpline's
//! policy says when their timers come due, taken and answered by counsellors' SMS commands,
//! relayed between counsellor and survivor, closed, and their contact details purged. The USSD
//! and SMS paths (`engine`), the admin API and the console all go through [`Cases`]; it queues
//! its SMS through the outbox service and knows nothing of the engine.
//!
//! Several gateways can run this at once and any may crash: a timer is claimed with a lease (a
//! gateway that dies leaves it to come due again), pages go through the outbox under ids made of
//! the case, round, level and counsellor (a page computed twice is queued once), and every case
//! change is written only if the case is still at the version it was read at.
//!
//! On Redis with replicas, the writes whose loss with a killed master would lose what she was
//! promised or told us wait for a replica to have them (`store::redis::replicas`, issue 10): a
//! case opened or merged (she was told "a counsellor will contact you"; lost, no one is paged),
//! her answers and note on it, and her quick exit ending a relay (lost, the counsellor's next SMS
//! reaches her phone). The others do not, because their loss only makes the helpline do a step
//! again: a timer's claim or a paging step (the timer comes due again and the page, under the
//! same id, is queued once), an acknowledgement, a pass or a close (the case is paged again), the
//! SMS question asked (asked again), her return ending "she left" (set again by her next SMS).
//!
//! Where to look: `open.rs` (a case opened or merged, the timers taken, closed cases purged),
//! `paging.rs` (a timer come due: page the next level, tell her, give up), `counsellor.rs` (a
//! counsellor's SMS: one small function per command), `actions.rs` (acknowledge, close, pass,
//! reassign, re-page, reveal: what the commands, the admin API and the console do to a case),
//! `relay.rs` (her SMS to the counsellor who holds her case), `reach.rs` (how she may be reached:
//! her answers, the SMS question, who is on call, her note), `exit.rs` (her quick exit's clean-up
//! and the relay it ends), `board.rs` (what the console, the admin API and `/metrics` read),
//! `words.rs` (the texts counsellors read, the audit trail's lines). The worker is [`worker::run`].

mod actions;
mod board;
mod counsellor;
mod exit;
mod open;
mod paging;
mod reach;
mod relay;
mod words;
pub mod worker;

pub use actions::Outcome;
pub(crate) use exit::{Exit, ExitSession};
pub use open::Contact;
pub(crate) use reach::Answers;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::clock::Clock;
use crate::config::{EscalationSettings, RetentionSettings};
use crate::escalation::case::Case;
use crate::escalation::rota::Rota;
use crate::helpline::Helplines;
use crate::i18n::Catalog;
use crate::metrics::Metrics;
use crate::outbox::Outbox;
use crate::phone::E164;
use crate::privacy::Opener;
use crate::store::{CaseWrite, Replicated, Store, StoreError};

/// The cases service, built once at startup and shared by the engine, the admin API, the
/// console and its own worker.
pub struct Cases {
    store: Arc<Store>,
    opener: Opener,
    outbox: Arc<Outbox>,
    helplines: Arc<Helplines>,
    rota: Rota,
    /// Messages built at run time (pages, commands' answers).
    catalog: Arc<Catalog>,
    settings: Settings,
    metrics: Arc<Metrics>,
    clock: Arc<Clock>,
    /// Wakes the worker when a case changes here, instead of waiting for its next pass.
    wake: tokio::sync::Notify,
    /// Quick exits whose clean-up failed (the store was down): the worker retries them.
    pending_exits: Mutex<Vec<Exit>>,
}

/// What the cases service shares with the rest of the gateway.
pub struct Parts {
    pub store: Arc<Store>,
    pub opener: Opener,
    pub outbox: Arc<Outbox>,
    pub helplines: Arc<Helplines>,
    pub catalog: Arc<Catalog>,
    pub metrics: Arc<Metrics>,
    pub clock: Arc<Clock>,
}

/// The cases service's own settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub escalation: EscalationSettings,
    pub retention: RetentionSettings,
    /// How long her language is remembered (her quick exit's clean-up keeps it).
    pub remember_ttl: Duration,
    /// The console simulator's number range: no case opens for it.
    pub test_numbers: Option<String>,
}

/// What acknowledging a case did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AckResult {
    Taken(Box<Case>),
    AlreadyTakenBy(String),
    NoCase,
}

/// Timers one pass takes.
const BATCH: usize = 10;

impl Cases {
    pub fn new(parts: Parts, rota: Rota, settings: Settings) -> Cases {
        let Parts { store, opener, outbox, helplines, catalog, metrics, clock } = parts;
        Cases {
            store,
            opener,
            outbox,
            helplines,
            rota,
            catalog,
            settings,
            metrics,
            clock,
            wake: tokio::sync::Notify::new(),
            pending_exits: Mutex::new(Vec::new()),
        }
    }

    /// Who is on call, when, and by which policy each helpline's cases are paged.
    pub fn rota(&self) -> &Rota {
        &self.rota
    }

    /// Wakes the worker: a case's timer changed here.
    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }

    /// A number in the simulator's marked range (`console.test_numbers`): no case opens for it.
    pub fn is_test_number(&self, number: &E164) -> bool {
        crate::phone::in_marked_range(number.as_str(), self.settings.test_numbers.as_deref())
    }

    /// A case by its id, any state.
    pub async fn case(&self, id: &str) -> Result<Option<Case>, StoreError> {
        load(&self.store, id).await
    }

    /// An open case by its code.
    pub async fn case_by_code(&self, code: &str) -> Result<Option<Case>, StoreError> {
        match self.store.cases().by_code(code).await? {
            Some(id) => self.case(&id).await,
            None => Ok(None),
        }
    }

    /// Every open case (one read each: a helpline holds tens, not thousands).
    pub async fn all_open(&self) -> Result<Vec<Case>, StoreError> {
        let mut open = Vec::new();
        for id in self.store.cases().open_ids().await? {
            if let Some(case) = self.case(&id).await? {
                open.push(case);
            }
        }
        Ok(open)
    }

    /// A case write a replica did not confirm in time: counted by what it was
    /// (`salama_store_unreplicated_total{write}`).
    fn unreplicated(&self, replicated: Replicated, write: &'static str) {
        if replicated == Replicated::No {
            self.metrics.unreplicated(write);
        }
    }

    /// Writes a change to her case that must outlive its Redis master (her answers, her note,
    /// her exit): it waits for a replica, and `write` names it in the count of those no replica
    /// confirmed. Whether it was written (the case had not changed since it was read).
    pub(super) async fn write_kept(&self, change: &CaseWrite, write: &'static str) -> Result<bool, StoreError> {
        let Some(replicated) = self.store.cases().write_replicated(change).await? else { return Ok(false) };
        self.unreplicated(replicated, write);
        Ok(true)
    }

    /// A case's audit trail, oldest line first.
    pub async fn timeline(&self, case: &Case) -> Result<Vec<String>, StoreError> {
        self.store.cases().log(&case.id).await
    }
}

/// The one case loader: a case record read and parsed (the worker, the commands, the console
/// and the first-page timer all read cases through it).
async fn load(store: &Store, id: &str) -> Result<Option<Case>, StoreError> {
    Ok(store.cases().get(id).await?.and_then(|fields| Case::from_fields(id, fields)))
}

/// Times a case's first page: told by the outbox of each message a provider accepted, it records
/// how long after the case opened a first-level page went out (`salama_page_latency_seconds`).
pub struct FirstPages {
    pub store: Arc<Store>,
    pub metrics: Arc<Metrics>,
}

impl crate::outbox::Accepted for FirstPages {
    fn accepted<'a>(&'a self, id: &'a str, now_ms: u64) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send + 'a>> {
        Box::pin(async move {
            let Some(case_id) = paging::first_page_of(id) else { return };
            match load(&self.store, case_id).await {
                Ok(Some(case)) => {
                    let seconds = now_ms.saturating_sub(case.created_ms) as f64 / 1000.0;
                    self.metrics.page_accepted(case.urgency, seconds);
                }
                Ok(None) => {}
                Err(e) => {
                    self.metrics.store_error();
                    tracing::warn!(error = %e, "metrics: the store failed reading a paged case");
                }
            }
        })
    }
}
