//! The outbox service: [`queue_sms`](Outbox::queue_sms) puts an SMS in the store, and the
//! [`worker`]s send what is due through the helpline's provider (or its fallback) and record the
//! answer. The rules that make a message never lost, and sent twice only when a provider's
//! answer was lost in flight, are written in [`crate::store::outbox`]; this file follows them:
//! one message claimed at a time, `start` recorded (on a replica too, where Redis has one) right
//! before the request leaves, every answer recorded with the attempt it finishes.

mod queue;
pub mod worker;

pub use queue::Recipient;

use std::sync::Arc;
use std::time::Duration;

use tracing::{error, info, warn};

use crate::channels::{Outgoing, Providers, SendError};
use crate::clock::Clock;
use crate::config::OutboxSettings;
use crate::metrics::Metrics;
use crate::phone::E164;
use crate::privacy::Opener;
use crate::store::{Backlog, Claim, Claimed, DeadLetter, Priority, Started, Store, StoreError};

/// Put in front of a page sent again after a lost worker: the counsellor may have it already.
pub const AGAIN_MARK: &str = "(sent again) ";

/// The outbox service, shared by the engine (to queue) and the workers (to send).
pub struct Outbox {
    store: Arc<Store>,
    opener: Opener,
    clock: Arc<Clock>,
    metrics: Arc<Metrics>,
    /// The SMS providers, each with its settings: sends go through them by name.
    providers: Arc<Providers>,
    /// Told of each message a provider accepted.
    accepted: Option<Arc<dyn Accepted>>,
    settings: OutboxSettings,
    /// The console simulator's number range: nothing is ever sent to it.
    test_numbers: Option<String>,
    /// For the providers' APIs; one client, so connections are reused.
    http: reqwest::Client,
    /// Set once at shutdown: workers stop claiming and give back what they have not started.
    stopping: tokio::sync::watch::Sender<bool>,
}

/// What the outbox shares with the rest of the gateway.
pub struct Parts {
    pub store: Arc<Store>,
    pub opener: Opener,
    pub clock: Arc<Clock>,
    pub metrics: Arc<Metrics>,
    pub providers: Arc<Providers>,
    /// For the providers' APIs; one client, so connections are reused.
    pub http: reqwest::Client,
    /// Told of each message a provider accepted (the cases service times first pages by it).
    pub accepted: Option<Arc<dyn Accepted>>,
}

/// What hears of a message a provider accepted: the outbox knows no cases, so the cases service
/// (which makes the pages' ids) reads from the id whether it was a case's first page.
pub trait Accepted: Send + Sync {
    fn accepted<'a>(&'a self, id: &'a str, now_ms: u64) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send + 'a>>;
}

/// What one turn of a worker did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    /// A message was taken (sent, retried, dead or given back).
    Took,
    Idle {
        next_due_ms: Option<u64>,
    },
}

impl Outbox {
    pub fn new(parts: Parts, settings: OutboxSettings, test_numbers: Option<String>) -> Outbox {
        let Parts { store, opener, clock, metrics, providers, http, accepted } = parts;
        let (stopping, _) = tokio::sync::watch::channel(false);
        Outbox { store, opener, clock, metrics, providers, accepted, settings, test_numbers, http, stopping }
    }

    /// Whether `to` is in the console simulator's range.
    fn is_test_number(&self, to: &E164) -> bool {
        crate::phone::in_marked_range(to.as_str(), self.test_numbers.as_deref())
    }

    /// How long sent and dead messages (and her list of them) are kept.
    fn keep(&self) -> Duration {
        Duration::from_secs(self.settings.retention_days * 24 * 3600)
    }

    fn lease_ms(&self) -> u64 {
        self.settings.lease_secs * 1000
    }

    /// Workers stop claiming; each finishes the send it started or gives its claim back.
    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }

    fn is_stopping(&self) -> bool {
        *self.stopping.borrow()
    }

    /// What waits to be sent now, and since when (the admin API, the console, `/metrics`).
    pub async fn backlog(&self) -> Result<Backlog, StoreError> {
        self.store.outbox().backlog(self.clock.now_ms()).await
    }

    /// The newest dead letters first, each with its reason (number and text stay sealed).
    pub async fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        self.store.outbox().dead_letters(limit).await
    }

    /// Puts one dead letter (or all of them) back in its queue, due now, with fresh tries;
    /// returns how many.
    pub async fn revive(&self, id: Option<&str>) -> Result<usize, StoreError> {
        self.store.outbox().revive(id, self.clock.now_ms()).await
    }

    /// Cancels her queued SMS (her quick exit); with `erase`, also drops what is kept of every
    /// message of hers (her erasure). Returns how many were cancelled.
    pub async fn cancel(&self, pseudonym: &str, erase: bool) -> Result<usize, StoreError> {
        self.store.outbox().cancel(pseudonym, erase).await
    }

    /// Claims and sends, one message at a time, whatever is due at `now_ms`; returns how many
    /// messages it took (tests drive the outbox with this).
    pub async fn send_due(&self, now_ms: u64) -> Result<usize, StoreError> {
        let mut took = 0;
        while self.turn(now_ms).await? == Turn::Took {
            took += 1;
        }
        Ok(took)
    }

    /// Claims the message due first and sends it.
    pub async fn turn(&self, now_ms: u64) -> Result<Turn, StoreError> {
        match self.store.outbox().claim(now_ms, self.lease_ms()).await? {
            Claim::Idle { next_due_ms } => Ok(Turn::Idle { next_due_ms }),
            Claim::Message(message) => {
                self.send_claimed(&message, now_ms).await?;
                Ok(Turn::Took)
            }
        }
    }

    async fn send_claimed(&self, message: &Claimed, now_ms: u64) -> Result<(), StoreError> {
        let (id, attempt) = (message.id.as_str(), message.attempt);
        let outbox = self.store.outbox();
        let Some((to, mut body)) = self.open(message) else {
            return outbox
                .dead(id, attempt, now_ms, "cannot open the sealed number or text", self.keep())
                .await
                .map(drop);
        };
        if self.is_stopping() {
            return outbox.requeue(id, attempt, now_ms).await.map(drop);
        }
        if message.again && message.priority == Priority::Page {
            body.insert_str(0, AGAIN_MARK);
        }
        let provider = self.providers.sender(pick_provider(message));
        let out = Outgoing { id, to: &to, body: &body, sender: message.sender.as_deref() };
        match outbox.start(id, attempt, now_ms, self.lease_ms()).await? {
            Started::Recorded => {}
            Started::Unreplicated => self.metrics.unreplicated("started"),
            Started::Refused => {
                warn!(
                    id,
                    attempt, "outbox: the claim passed to another worker (or was cancelled) before sending; not sent"
                );
                return Ok(());
            }
        }
        let result = match provider {
            Some(provider) => provider.send(&self.http, &out).await,
            None => Err(SendError::Permanent(format!("unknown provider {:?}", message.provider))),
        };
        self.record(message, provider.map_or("?", |p| p.name().as_str()), result, now_ms).await
    }

    /// Writes the provider's answer, with the attempt it finishes.
    async fn record(
        &self,
        message: &Claimed,
        provider: &str,
        result: Result<String, SendError>,
        now: u64,
    ) -> Result<(), StoreError> {
        let (id, attempt, tries) = (message.id.as_str(), message.attempt, message.tries);
        let outbox = self.store.outbox();
        let recorded = match result {
            Ok(provider_id) => {
                self.metrics.sms_sent();
                if message.again {
                    self.metrics.sent_again(message.priority == Priority::Page);
                }
                info!(id, provider, attempt, again = message.again, "outbox: sent");
                if let Some(accepted) = &self.accepted {
                    accepted.accepted(id, self.clock.now_ms()).await;
                }
                outbox.sent(id, attempt, provider, &provider_id, self.keep()).await?
            }
            Err(SendError::Retryable(reason)) if tries < self.settings.max_attempts => {
                let wait = self.backoff(tries);
                warn!(id, provider, attempt, reason, wait_ms = wait, "outbox: send failed; will retry");
                outbox.retry(id, attempt, now + wait, &reason).await?
            }
            Err(e) => {
                self.metrics.sms_dead();
                error!(id, provider, attempt, error = %e, "outbox: gave up; the message is in the dead letters (salama outbox list)");
                outbox.dead(id, attempt, now, &e.to_string(), self.keep()).await?
            }
        };
        if !recorded {
            self.metrics.claim_lost();
            warn!(id, attempt, "outbox: the answer was not recorded: the message was cancelled or claimed again");
        }
        Ok(())
    }

    /// The number and text, or `None` when they do not open (counted, and logged once per key
    /// id, by the [`Opener`]).
    fn open(&self, message: &Claimed) -> Option<(E164, String)> {
        let context = message.id.as_bytes();
        let to = self.opener.open_text("an outbox message's number", &message.to, context)?;
        let body = self.opener.open_text("an outbox message's text", &message.body, context)?;
        Some((E164::parse(&to, None).ok()?, body))
    }

    /// Doubles from `backoff_ms` with each try, up to `max_backoff_secs`.
    fn backoff(&self, tries: u32) -> u64 {
        let doubled = self.settings.backoff_ms.saturating_mul(1 << tries.saturating_sub(1).min(30));
        doubled.min(self.settings.max_backoff_secs * 1000)
    }
}

/// Odd tries go through the helpline's provider, even ones through its fallback when it has
/// one: a provider that is down does not hold her messages back.
fn pick_provider(message: &Claimed) -> &str {
    match &message.fallback {
        Some(fallback) if message.tries.is_multiple_of(2) => fallback,
        _ => &message.provider,
    }
}
