//! Salama's integration tests, one binary (linking one ~200 MB test binary instead of eleven).
//! Each module is one side of the gateway, named for what it checks.

/// Shared by every module: a private redis-server, the demo settings, a USSD client. Kept at
/// tests/support/ because the benches include it too.
#[path = "../support/mod.rs"]
mod support;

/// The `salama` binary as an operator runs it.
mod cli;
/// The gateway on a Redis Cluster, and a master failed over under load.
mod cluster;
/// The supervisor console over HTTP and in headless Chromium.
mod console;
/// The crisis path: quick exit first, triage on every SMS, how she may be reached, relay end.
mod crisis;
/// The container files run as plain commands: entrypoint, health checks, compose settings.
mod deploy;
/// Erasure leaves no key naming her; the CLOSE outcome sealed.
mod erasure;
/// Cases against a real Redis: paging, acknowledgement, relay, timers, the admin API.
mod escalation;
/// The fault test: kill -9, a slow provider with two gateways, a Redis restart; counted.
mod faults;
/// The shipped flows and the flow checks; the replay a rebuilt session relies on.
mod flows;
/// What one client can hold: a trickled body, the connection cap, an oversized batch.
mod limits;
/// `/metrics` after a run: each step moves its metric, the text parses, no number or text in it.
mod metrics;
/// The real binary killed mid-send (the reply goes out exactly once after a restart), and stopped
/// with SIGTERM (the send in flight is finished).
mod outbox_kill;
/// A worker lost before or after its send started.
mod outbox_leases;
/// No phone number or survivor text in any log line.
mod privacy_logs;
/// Every provider's fixtures, table-driven: parsing, answers, authentication, sends.
mod providers;
/// Quick exit, neutral mode, erasure, retention, key rotation, blocks, rate limits, consent.
mod safety;
/// SMS end to end with each provider's API mocked.
mod sms;
/// The store's contract: every rule of every domain, on Redis and on the embedded store.
mod store_contract;
/// Triage against the labelled evaluation set.
mod triage;
/// The USSD routes over HTTP on the embedded store.
mod ussd_http;
/// USSD against a private Redis: keys, TTLs, round trips, outages.
mod ussd_redis;
