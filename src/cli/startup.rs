//! What `serve` does once the gateway is built and before its workers run.

use std::sync::Arc;
use std::time::Duration;

use tracing::{info, warn};

use crate::config::LogFormat;
use crate::engine::Gateway;

/// Longest pause between two tries of a store that does not answer at startup.
const STORE_PAUSE_MAX: Duration = Duration::from_secs(10);

/// Starts the outbox and escalation workers once the store answers. A gateway started before
/// its Redis (compose, systemd) waits here with one warning and a growing pause, instead of
/// every worker logging an error a second; webhooks are answered meanwhile and /readyz says 503.
pub async fn start_workers(gateway: Arc<Gateway>, workers: usize) -> Vec<tokio::task::JoinHandle<()>> {
    let mut pause = Duration::from_millis(250);
    let mut waited = false;
    while let Err(e) = gateway.store.ping().await {
        if !waited {
            warn!(error = %e, "the store does not answer; the workers wait for it, trying again with a growing pause (up to {} s)", STORE_PAUSE_MAX.as_secs());
        }
        waited = true;
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(STORE_PAUSE_MAX);
    }
    if waited {
        info!("the store answers; the workers start");
    }
    tokio::spawn(crate::cases::worker::run(gateway.cases.clone()));
    (0..workers).map(|_| tokio::spawn(crate::outbox::worker::run(gateway.outbox.clone()))).collect()
}

/// After the server stopped (SIGTERM): the outbox workers finish the sends they started and
/// give back what they claimed but had not started, within `grace`.
pub async fn stop_workers(
    gateway: &Gateway,
    workers: tokio::task::JoinHandle<Vec<tokio::task::JoinHandle<()>>>,
    grace: Duration,
) {
    gateway.outbox.stop();
    let done = async {
        for worker in workers.await.unwrap_or_default() {
            let _ = worker.await;
        }
    };
    match tokio::time::timeout(grace, done).await {
        Ok(()) => info!("the outbox workers stopped; every claimed message was sent or given back"),
        Err(_) => warn!(
            "the outbox workers did not stop within {} s; their claims come due again after their lease",
            grace.as_secs()
        ),
    }
}

/// Text or JSON lines on stdout, at the level `SALAMA_LOG` names (info by default).
pub fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("SALAMA_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    // Colour only for a person at a terminal: a file, journald or `docker logs` gets plain text.
    let colour = std::io::IsTerminal::is_terminal(&std::io::stdout()) && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(colour);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}
