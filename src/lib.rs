//! # Salama
//!
//! An SMS/USSD helpline gateway for survivors of technology-facilitated gender-based violence.
//! A request travels one way through these modules (nothing below calls up):
//!
//! - [`http`]: the actix-web routes (USSD, SMS, admin), body limits, access log, health, metrics.
//! - [`channels`]: one file per provider: parse and authenticate its webhooks, render its replies,
//!   send through its API.
//! - [`engine`]: one contact end to end: a USSD hop (`engine/ussd.rs`), an SMS and a delivery
//!   report (`engine/sms.rs`), SMS queued (`engine/queue.rs`); cases in `engine/cases/` (opening,
//!   paging when timers come due, counsellors' commands and the relay, the worker); erasure.
//! - [`outbox`]: the outbox service: `queue_sms`, and the workers that send what it holds (the
//!   guarantees are written in `store::outbox`).
//! - [`escalation`]: the rota, the paging policy, case records, counsellor commands, triage (pure).
//! - [`helpline`]: the helplines served, each with its compiled flow, found by service code or number.
//! - [`flow`]: flow files, their compiler and checks, and the pure `step` function.
//! - [`i18n`]: Fluent locales with fallback chains, GSM-7 rules, transliteration, pagination, SMS parts.
//! - [`store`]: every key and script, by domain (sessions, outbox, cases, subscribers); Redis
//!   (scripts in `src/store/lua/`), or the embedded store for the demo; one contract suite for both.
//! - [`privacy`]: pseudonyms, encryption at rest, redaction. [`phone`]: E.164 numbers that print masked.
//! - [`clock`]: the time every service reads, which tests move forward.
//! - [`config`]: settings from `salama.toml` and `SALAMA__` variables. [`metrics`]: counters.
//! - [`cli`]: `serve`, `check`, `simulate`, `triage`, `rota`, `outbox`, `report`, `keys`.

pub mod channels;
pub mod cli;
pub mod clock;
pub mod config;
pub mod engine;
pub mod escalation;
pub mod flow;
pub mod helpline;
pub mod http;
pub mod i18n;
pub mod metrics;
pub mod outbox;
pub mod phone;
pub mod privacy;
pub mod store;
