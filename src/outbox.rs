//! The workers that send what the outbox holds: claim due messages, open them, send through the
//! helpline's provider (or its fallback), record the answer. How a message is never sent twice
//! is written in [`crate::store::outbox`].

use std::sync::Arc;
use std::time::Duration;

use tracing::{error, info, warn};

use crate::channels::{Outgoing, SendError};
use crate::engine::Gateway;
use crate::phone::E164;
use crate::store::{Claimed, StoreError};

/// Messages one claim takes.
const BATCH: usize = 10;
/// Wait when nothing is due.
const IDLE: Duration = Duration::from_millis(200);

/// Runs one worker until the process stops.
pub async fn run(gateway: Arc<Gateway>) {
    loop {
        match gateway.send_due(gateway.clock.now_ms()).await {
            Ok(0) => {
                tokio::select! {
                    () = gateway.wake_outbox.notified() => {}
                    () = tokio::time::sleep(IDLE) => {}
                }
            }
            Ok(_) => {}
            Err(e) => {
                gateway.metrics.store_error();
                error!(error = %e, "outbox: the store failed; trying again in a second");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

impl Gateway {
    /// Claims and sends what is due at `now_ms`; returns how many messages it took.
    pub async fn send_due(&self, now_ms: u64) -> Result<usize, StoreError> {
        let claimed = self.store.outbox().claim(now_ms, self.outbox.lease_secs * 1000, BATCH).await?;
        for message in &claimed {
            self.send_claimed(message, now_ms).await?;
        }
        Ok(claimed.len())
    }

    async fn send_claimed(&self, message: &Claimed, now_ms: u64) -> Result<(), StoreError> {
        let keep = Duration::from_secs(self.outbox.retention_days * 24 * 3600);
        let id = message.id.as_str();
        let opened = self
            .sealer
            .open(&message.to, id.as_bytes())
            .ok()
            .and_then(|to| E164::parse(std::str::from_utf8(&to).ok()?, None).ok())
            .zip(self.sealer.open(&message.body, id.as_bytes()).ok().and_then(|b| String::from_utf8(b).ok()));
        let Some((to, body)) = opened else {
            error!(id, "outbox: cannot open the message (is its key still in SALAMA__PRIVACY__ENCRYPTION_KEYS?)");
            return self.store.outbox().dead(id, now_ms, "cannot open the sealed number or text", keep).await;
        };
        let provider = self.providers.sender(pick_provider(message));
        let out = Outgoing { id, to: &to, body: &body, sender: message.sender.as_deref() };
        let result = match provider {
            Some(provider) => provider.send(&self.http, &out).await,
            None => Err(SendError::Permanent(format!("unknown provider {:?}", message.provider))),
        };
        let provider = provider.map_or("?", |p| p.name().as_str());
        let attempt = message.attempts;
        match result {
            Ok(provider_id) => {
                self.metrics.sms_sent();
                self.page_accepted(id).await;
                info!(id, provider, attempt, "outbox: sent");
                self.store.outbox().sent(id, provider, &provider_id, keep).await
            }
            Err(SendError::Retryable(reason)) if attempt < self.outbox.max_attempts => {
                let wait = self.backoff(attempt);
                warn!(id, provider, attempt, reason, wait_ms = wait, "outbox: send failed; will retry");
                self.store.outbox().retry(id, now_ms + wait, &reason).await
            }
            Err(e) => {
                self.metrics.sms_dead();
                error!(id, provider, attempt, error = %e, "outbox: gave up; the message is in the dead letters (salama outbox list)");
                self.store.outbox().dead(id, now_ms, &e.to_string(), keep).await
            }
        }
    }

    /// Doubles from `backoff_ms` with each attempt, up to `max_backoff_secs`.
    fn backoff(&self, attempt: u32) -> u64 {
        let doubled = self.outbox.backoff_ms.saturating_mul(1 << attempt.saturating_sub(1).min(30));
        doubled.min(self.outbox.max_backoff_secs * 1000)
    }
}

/// Odd attempts go through the helpline's provider, even ones through its fallback when it has
/// one: a provider that is down does not hold her messages back.
fn pick_provider(message: &Claimed) -> &str {
    match &message.fallback {
        Some(fallback) if message.attempts.is_multiple_of(2) => fallback,
        _ => &message.provider,
    }
}
