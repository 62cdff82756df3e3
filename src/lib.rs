//! # Salama
//!
//! An SMS/USSD helpline gateway for survivors of technology-facilitated gender-based violence.
//! A request travels one way through these modules (nothing below calls up: `http` and `console`
//! → `engine` → `records` → `cases` → `outbox` → the pure modules → `store`); docs/architecture.md
//! draws the way, lists the services, and says where each behaviour lives:
//!
//! - [`http`]: the actix-web routes, body limits, access log, health, metrics; one webhook
//!   handler for every provider (`http/webhook.rs`), the admin API (`http/admin.rs`).
//! - [`channels`]: the `Provider` trait and its registry, one file per provider (Africa's
//!   Talking, Twilio, Infobip, and the demo's console): authenticate and parse its webhooks,
//!   render its answers, send through its API, read its own `[channels.<name>]` settings.
//! - [`engine`]: `Gateway`, which builds every service once at startup and holds them, and the
//!   USSD and SMS paths: a USSD hop (`engine/ussd.rs`), an SMS and a delivery report
//!   (`engine/sms.rs`), each handing its effects to the services.
//! - [`records`]: what is kept for a number: pseudonym, block list, erasure, resealing.
//! - [`cases`]: the cases service and its worker: opening, paging when timers come due,
//!   acknowledging, the counsellors' commands (one small function each) and the relay, closing,
//!   the retention purge, her quick exit's clean-up; what the console, the admin API and
//!   `/metrics` read of cases.
//! - [`outbox`]: the outbox service: `queue_sms`, and the workers that send what it holds (the
//!   guarantees are written in `store::outbox`).
//! - [`escalation`]: the rota, the paging policy, case records, counsellor commands, triage (pure).
//! - [`helpline`]: the helplines served, each with its compiled flow, found by service code or number.
//! - [`flow`]: flow files, their compiler and checks, and the pure `step` function.
//! - [`i18n`]: Fluent locales with fallback chains, GSM-7 rules, transliteration, pagination, SMS parts.
//! - [`store`]: every key and script, by domain (sessions, outbox, cases, subscribers); Redis
//!   (scripts in `src/store/lua/`), or the embedded store for the demo; one contract suite for both.
//! - [`privacy`]: pseudonyms, encryption at rest (`Opener`: the one place a record is opened), redaction, secret settings. [`phone`]: E.164 numbers that print masked.
//! - [`clock`]: the time every service reads, which tests move forward.
//! - [`config`]: settings from `salama.toml` and `SALAMA__` variables; the one list of secret
//!   settings (`config/secrets.rs`). [`metrics`]: counters.
//! - [`console`]: the supervisors' pages under `/console/` (cases, rota, outbox, reports,
//!   erasure, simulator) and their accounts.
//! - [`cli`]: `serve`, `check`, `simulate`, `triage`, `rota`, `outbox`, `report`, `keys`.

pub mod cases;
pub mod channels;
pub mod cli;
pub mod clock;
pub mod config;
pub mod console;
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
pub mod records;
pub mod store;
