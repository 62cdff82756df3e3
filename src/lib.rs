//! # Salama
//!
//! An SMS/USSD helpline gateway for survivors of technology-facilitated gender-based violence.
//! A request travels one way through these modules (nothing below calls up):
//!
//! - [`http`]: the actix-web routes, body limits, access log, health and metrics.
//! - [`channels`]: one file per provider: parse and authenticate its webhooks, render its replies.
//! - [`engine`]: one contact end to end: load the session, step the flow, save, apply effects.
//! - [`helpline`]: the helplines served, each with its compiled flow, found by service code.
//! - [`flow`]: flow files, their compiler and checks, and the pure `step` function.
//! - [`i18n`]: Fluent locales with fallback chains, GSM-7 rules, transliteration, pagination.
//! - [`store`]: every key and script; Redis, or the embedded store for the demo.
//! - [`privacy`]: pseudonyms of phone numbers. [`phone`]: E.164 numbers that print masked.
//! - [`config`]: settings from `salama.toml` and `SALAMA__` variables. [`metrics`]: counters.

pub mod channels;
pub mod cli;
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
