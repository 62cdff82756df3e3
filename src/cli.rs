//! The `salama` command: `serve` runs the gateway, `check` validates a config and its flows.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tracing::{info, warn};

use crate::config::{Overrides, Settings};
use crate::engine::Gateway;
use crate::flow::Kind;
use crate::flow::review::{ContactStatus, content_report};
use crate::helpline::Helplines;
use crate::i18n::gsm::{screen_cost, segments, split_sms};

mod checks;
mod outbox;
mod probe;
mod startup;
mod triage;

pub use checks::{error_text, known_name};

#[derive(Parser)]
#[command(
    name = "salama",
    version,
    about = "SMS/USSD helpline gateway for survivors of technology-facilitated gender-based violence"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the gateway.
    Serve {
        /// Config file [default: salama.toml]
        #[arg(long)]
        config: Option<PathBuf>,
        /// Address to listen on, such as 0.0.0.0:8080
        #[arg(long)]
        bind: Option<String>,
        /// Redis URL; without one anywhere, the embedded in-memory store is used
        #[arg(long)]
        redis: Option<String>,
    },
    /// Dial a helpline in the terminal: one input per line, on the embedded store.
    Simulate {
        /// Config file [default: salama.toml]
        #[arg(long)]
        config: Option<PathBuf>,
        /// USSD code to dial
        #[arg(long, default_value = "*384*1234#")]
        code: String,
        /// The caller's number
        #[arg(long, default_value = "+254711000111")]
        number: String,
    },
    /// Read messages (one a line) from stdin and print each one's urgency and reasons as JSON.
    Triage {
        /// The messages' language; without it, each is read in every language
        #[arg(long)]
        locale: Option<String>,
        /// Instead, measure triage on a labelled set (`label<TAB>concept<TAB>message`, the language
        /// from --locale or the file name, as en.tsv): recall, confusion matrix, per concept
        #[arg(long, value_name = "FILE")]
        report: Vec<PathBuf>,
        /// Config file [default: salama.toml] (for locales_dir)
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Counts of cases whose survivors agreed to anonymous use (the others are left out).
    Report {
        /// Config file [default: salama.toml]
        #[arg(long)]
        config: Option<PathBuf>,
        /// Redis URL
        #[arg(long)]
        redis: Option<String>,
    },
    /// Encryption keys: `rotate` seals every record again under the first key.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
        /// Config file [default: salama.toml]
        #[arg(long, global = true)]
        config: Option<PathBuf>,
        /// Redis URL
        #[arg(long, global = true)]
        redis: Option<String>,
    },
    /// Who is on call now, and the hours nobody covers.
    Rota {
        #[command(subcommand)]
        action: RotaAction,
        /// Config file [default: salama.toml]
        #[arg(long, global = true)]
        config: Option<PathBuf>,
    },
    /// The outbox's dead letters: list them, or queue them again.
    Outbox {
        #[command(subcommand)]
        action: OutboxAction,
        /// Config file [default: salama.toml]
        #[arg(long, global = true)]
        config: Option<PathBuf>,
        /// Redis URL
        #[arg(long, global = true)]
        redis: Option<String>,
    },
    /// Ask a running gateway whether it is ready (GET /readyz): exit 0 when it is, 1 otherwise.
    /// For health checks where no curl is installed (the container image).
    Probe {
        /// What to ask [default: http://<bind>/readyz, the bind address of the config]
        #[arg(long)]
        url: Option<String>,
        /// Config file [default: salama.toml] (for the bind address)
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Console accounts: add, passwd, disable, list (users in console.users_file).
    Users {
        #[command(subcommand)]
        action: crate::console::accounts::UsersAction,
        /// Config file [default: salama.toml]
        #[arg(long, global = true)]
        config: Option<PathBuf>,
    },
    /// Check the config, the locales and every flow, and print what each helpline shows.
    Check {
        /// Config file [default: salama.toml]
        #[arg(long)]
        config: Option<PathBuf>,
        /// Also print every screen of every helpline in every language, with its path and pages
        #[arg(long)]
        screens: bool,
        /// Also read every sealed record in the configured Redis and report those no configured
        /// key opens (after a key rotation); nothing is written
        #[arg(long)]
        store: bool,
        /// Redis URL (as `serve --redis`): check the secrets Redis needs, and the store with `--store`
        #[arg(long)]
        redis: Option<String>,
    },
}

#[derive(Subcommand)]
enum KeysAction {
    /// Put the new key first in SALAMA__PRIVACY__ENCRYPTION_KEYS (keep the old ones after it),
    /// then run this; once it reports nothing left under old keys, the old keys can go.
    Rotate,
}

#[derive(Subcommand)]
enum RotaAction {
    /// Who is on call on each schedule now.
    Now {
        #[arg(long)]
        helpline: Option<String>,
    },
    /// Hours in the coming days with nobody reachable on call, and counsellors without a valid phone.
    Gaps {
        #[arg(long, default_value_t = 14)]
        days: u32,
    },
}

#[derive(Subcommand)]
enum OutboxAction {
    /// Messages that will not be sent without a person's say, newest first.
    List {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Queue a dead letter again (or all of them), with fresh attempts.
    Retry {
        /// Message id, from `salama outbox list`
        id: Option<String>,
        #[arg(long)]
        all: bool,
    },
}

pub fn run() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Serve { config, bind, redis } => {
            let settings = Settings::load(config.as_deref(), Overrides { bind, redis_url: redis })?;
            startup::init_logging(settings.log.format);
            serve(settings)
        }
        Command::Simulate { config, code, number } => {
            let mut settings = Settings::load(config.as_deref(), Overrides::default())?;
            settings.redis.url = None;
            simulate(&settings, &code, &number)
        }
        Command::Outbox { action, config, redis } => {
            outbox::run(&Settings::load(config.as_deref(), Overrides { bind: None, redis_url: redis })?, action)
        }
        Command::Triage { locale, config, report } => {
            triage::run(&Settings::load(config.as_deref(), Overrides::default())?, locale.as_deref(), &report)
        }
        Command::Report { config, redis } => {
            report(&Settings::load(config.as_deref(), Overrides { bind: None, redis_url: redis })?)
        }
        Command::Keys { action: KeysAction::Rotate, config, redis } => {
            rotate_keys(&Settings::load(config.as_deref(), Overrides { bind: None, redis_url: redis })?)
        }
        Command::Rota { action, config } => rota(&Settings::load(config.as_deref(), Overrides::default())?, action),
        Command::Users { action, config } => {
            crate::console::accounts::run(&Settings::load(config.as_deref(), Overrides::default())?, action)
        }
        Command::Check { config, screens, store, redis } => {
            let settings = Settings::load(config.as_deref(), Overrides { bind: None, redis_url: redis })
                .map_err(|e| anyhow::anyhow!(checks::locate(&e.to_string())))?;
            check(&settings, screens)?;
            if store { checks::sealed_records(&settings) } else { Ok(()) }
        }
        Command::Probe { url, config } => probe::probe(url, config.as_deref()),
    }
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    // The Redis connection is made inside the runtime that will drive it.
    let gateway = runtime.block_on(async { Gateway::from_settings(&settings) }).context("cannot start")?;
    if settings.redis.url.is_none() {
        warn!(
            "no Redis URL (redis.url, SALAMA__REDIS__URL or --redis): using the embedded in-memory store; sessions and remembered languages are lost when the gateway stops and are not shared between instances"
        );
    }
    if gateway.records.keys_are_ephemeral() {
        warn!(
            "no SALAMA__PRIVACY__PSEUDONYM_SECRET or SALAMA__PRIVACY__ENCRYPTION_KEYS: made ephemeral ones for this run"
        );
    }
    checks::channels_authenticated(&settings)?;
    for warning in gateway.providers.iter().flat_map(|p| p.warnings()) {
        warn!("{warning}");
    }
    if let Some(console) = gateway.providers.stand_in() {
        warn!(
            provider = console.name().as_str(),
            "channels.console.stand_in on the embedded store: every SMS is printed to this terminal, marked NOT SENT, instead of going to a provider"
        );
    }
    for helpline in gateway.helplines.iter() {
        info!(helpline = %helpline.id, locales = ?helpline.flow.locales, nodes = helpline.flow.nodes.len(), "flow loaded");
    }
    info!(store = gateway.store.kind(), "store");
    let bind = settings.bind.clone();
    let gateway = Arc::new(gateway);
    let workers = settings.outbox.workers;
    info!(workers, "outbox workers");
    runtime
        .block_on(async {
            let started = tokio::spawn(startup::start_workers(gateway.clone(), workers));
            let served = crate::http::serve(gateway.clone(), &bind, settings.ussd.max_body_bytes, &settings.http).await;
            startup::stop_workers(&gateway, started, std::time::Duration::from_secs(20)).await;
            served
        })
        .with_context(|| format!("cannot serve on {bind}"))
}

/// A gateway on the Redis the running gateways share, for the operator commands.
fn shared_gateway(settings: &Settings, command: &str) -> anyhow::Result<(tokio::runtime::Runtime, Gateway)> {
    if settings.redis.url.is_none() {
        anyhow::bail!("`salama {command}` needs the gateways' Redis: set redis.url, SALAMA__REDIS__URL or --redis");
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let gateway = runtime.block_on(async { Gateway::from_settings(settings) })?;
    Ok((runtime, gateway))
}

/// `salama report`.
fn report(settings: &Settings) -> anyhow::Result<()> {
    let (runtime, gateway) = shared_gateway(settings, "report")?;
    let counts = runtime.block_on(gateway.cases.report())?;
    println!("helpline\turgency\tcategory\tstate\tcases");
    for ((helpline, urgency, category, state), n) in counts {
        println!("{helpline}\t{urgency}\t{category}\t{state}\t{n}");
    }
    Ok(())
}

/// `salama keys rotate`.
fn rotate_keys(settings: &Settings) -> anyhow::Result<()> {
    let (runtime, gateway) = shared_gateway(settings, "keys rotate")?;
    let done = runtime.block_on(gateway.records.reseal_all())?;
    println!(
        "{} record(s) sealed again under the first key, {} already under it, {} no configured key opens",
        done.resealed, done.current, done.unreadable
    );
    Ok(())
}

/// `salama rota now|gaps`.
fn rota(settings: &Settings, action: RotaAction) -> anyhow::Result<()> {
    let ids: Vec<&str> = settings.helplines.keys().map(String::as_str).collect();
    let rota = crate::escalation::rota::Rota::load(&settings.escalation.rota_file, &ids)?;
    let now = chrono::Utc::now();
    match action {
        RotaAction::Now { helpline } => {
            if let Some(h) = &helpline {
                known_name("helpline", h, &settings.helplines.keys().cloned().collect::<Vec<_>>())?;
            }
            for (i, s) in rota.schedules.iter().enumerate() {
                if helpline.as_deref().is_some_and(|h| h != s.helpline) {
                    continue;
                }
                let names: Vec<String> = rota
                    .on_call(i, now)
                    .iter()
                    .map(|c| {
                        let c = &rota.counsellors[*c];
                        format!("{} ({}){}", c.name, c.id, if c.phone.is_none() { " NO VALID PHONE" } else { "" })
                    })
                    .collect();
                let local = now.with_timezone(&s.tz).format("%Y-%m-%d %H:%M %Z");
                let who = if names.is_empty() { "nobody".to_owned() } else { names.join(", ") };
                println!("{} [{}] at {local}: {who}", s.id, s.helpline);
            }
        }
        RotaAction::Gaps { days } => {
            let gaps = rota.gaps(now, days);
            for g in &gaps {
                let tz = rota.schedules.iter().find(|s| s.id == g.schedule).map(|s| s.tz);
                let show = |t: chrono::DateTime<chrono::Utc>| match tz {
                    Some(tz) => t.with_timezone(&tz).format("%a %Y-%m-%d %H:%M").to_string(),
                    None => t.to_rfc3339(),
                };
                println!("{}: nobody on call from {} to {}", g.schedule, show(g.start), show(g.end));
            }
            if gaps.is_empty() {
                println!("no gaps in the next {days} days");
            }
            for c in rota.counsellors.iter().filter(|c| c.phone.is_none()) {
                println!("counsellor {} has no valid phone: pages cannot reach them", c.id);
            }
        }
    }
    Ok(())
}

/// A USSD session in the terminal, through the same gateway code as the webhook.
fn simulate(settings: &Settings, code: &str, number: &str) -> anyhow::Result<()> {
    use std::io::BufRead;
    let codes: Vec<String> = settings.helplines.values().flat_map(|h| h.service_codes.clone()).collect();
    known_name("service code", code, &codes)?;
    let gateway = Gateway::from_settings(settings)?;
    let number = crate::phone::E164::parse(number, None).context("--number")?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let mut session = 1;
    let mut inputs: Vec<String> = Vec::new();
    let mut lines = std::io::stdin().lock().lines();
    loop {
        let hop = crate::channels::UssdHop {
            provider: "simulator",
            session_id: format!("sim-{session}"),
            service_code: code.to_owned(),
            number: number.clone(),
            text: inputs.join("*"),
        };
        let reply = runtime.block_on(gateway.ussd(&hop));
        println!("{}\n{}", reply.text, if reply.end { "-- session ended; Enter dials again --" } else { "> " });
        let Some(line) = lines.next() else {
            return Ok(());
        };
        if reply.end {
            session += 1;
            inputs.clear();
        } else {
            inputs.push(line?.trim().to_owned());
        }
    }
}

fn check(settings: &Settings, screens: bool) -> anyhow::Result<()> {
    use std::io::Write;
    // Written with writeln!, not println!: `salama check | head` closes the pipe early.
    let mut out = std::io::stdout().lock();
    checks::preflight(settings)?;
    let (helplines, catalog) = Helplines::load(settings)?;
    let ids: Vec<&str> = helplines.iter().map(|h| h.id.as_str()).collect();
    let rota = crate::escalation::rota::Rota::load(&settings.escalation.rota_file, &ids)?;
    writeln!(out, "rota: {} counsellors, {} schedules", rota.counsellors.len(), rota.schedules.len())?;
    for helpline in helplines.iter() {
        let flow = &helpline.flow;
        let screens = flow.nodes.iter().filter(|n| !matches!(n.kind, Kind::Switch { .. })).count();
        let longest =
            flow.all_pages().map(|(_, _, p)| screen_cost(&p.shown).max(screen_cost(&p.hinted))).max().unwrap_or(0);
        let pages = flow.all_pages().count();
        writeln!(
            out,
            "helpline {}: locales {}, {} screens, {} USSD pages in all, longest page {} characters",
            helpline.id,
            flow.locales.join(", "),
            screens,
            pages,
            longest
        )?;
        // Every SMS text, as the survivor would receive it: parts and encoding.
        for (node, name) in flow.nodes.iter().zip(&flow.names) {
            for (text, locale) in node.sms.iter().zip(&flow.locales) {
                let s = segments(text);
                let messages = split_sms(text, helpline.sms.max_segments).len();
                writeln!(out, "  sms {name} [{locale}]: {} part(s), {:?}, {messages} message(s)", s.count, s.encoding)?;
            }
        }
    }
    // The numbers a deployer must still confirm, and (`--screens`) every screen for a reviewer.
    let status = ContactStatus::load(&settings.locales_dir.join("contacts-status.toml")).map_err(anyhow::Error::msg)?;
    for h in helplines.iter() {
        let limit = settings.helplines.get(&h.id).map_or(0, |s| s.screen_limit);
        write!(out, "{}", content_report(&h.id, &h.flow, &h.contacts, limit, &status, screens))?;
    }
    for (locale, reason) in catalog.needing_review() {
        writeln!(out, "locale {locale} needs review: {reason}")?;
    }
    writeln!(out, "ok")?;
    Ok(())
}
