//! The `salama` command: `serve` runs the gateway, `check` validates a config and its flows.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tracing::{info, warn};

use crate::config::{LogFormat, Overrides, Settings};
use crate::engine::Gateway;
use crate::flow::Kind;
use crate::helpline::Helplines;
use crate::i18n::gsm::screen_cost;

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
    /// Check the config, the locales and every flow, and print what each helpline shows.
    Check {
        /// Config file [default: salama.toml]
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

pub fn run() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Serve {
            config,
            bind,
            redis,
        } => {
            let settings = Settings::load(
                config.as_deref(),
                Overrides {
                    bind,
                    redis_url: redis,
                },
            )?;
            init_logging(settings.log.format);
            serve(settings)
        }
        Command::Check { config } => {
            check(&Settings::load(config.as_deref(), Overrides::default())?)
        }
    }
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    let gateway = Gateway::from_settings(&settings).context("cannot start")?;
    if settings.redis.url.is_none() {
        warn!(
            "no Redis URL (redis.url, SALAMA__REDIS__URL or --redis): using the embedded in-memory store; sessions and remembered languages are lost when the gateway stops and are not shared between instances"
        );
    }
    if gateway.pseudonyms_are_ephemeral() {
        warn!("no SALAMA__PRIVACY__PSEUDONYM_SECRET: made an ephemeral one for this run");
    }
    if gateway.africastalking_token.is_none() {
        warn!(
            "no SALAMA__CHANNELS__AFRICASTALKING__TOKEN: Africa's Talking callbacks are not authenticated"
        );
    }
    for helpline in gateway.helplines.iter() {
        info!(helpline = %helpline.id, locales = ?helpline.flow.locales, nodes = helpline.flow.nodes.len(), "flow loaded");
    }
    info!(store = gateway.store.kind(), "store");
    let bind = settings.bind.clone();
    let runtime = tokio::runtime::Runtime::new()?;
    runtime
        .block_on(crate::http::serve(
            Arc::new(gateway),
            &bind,
            settings.ussd.max_body_bytes,
        ))
        .with_context(|| format!("cannot serve on {bind}"))
}

fn check(settings: &Settings) -> anyhow::Result<()> {
    let (helplines, catalog) = Helplines::load(settings)?;
    for helpline in helplines.iter() {
        let flow = &helpline.flow;
        let screens = flow
            .nodes
            .iter()
            .filter(|n| !matches!(n.kind, Kind::Switch { .. }))
            .count();
        let longest = flow
            .all_pages()
            .map(|(_, _, p)| screen_cost(&p.shown).max(screen_cost(&p.hinted)))
            .max()
            .unwrap_or(0);
        let pages = flow.all_pages().count();
        println!(
            "helpline {}: locales {}, {} screens, {} pages in all, longest page {} characters",
            helpline.id,
            flow.locales.join(", "),
            screens,
            pages,
            longest
        );
    }
    for (locale, reason) in catalog.needing_review() {
        println!("locale {locale} needs review: {reason}");
    }
    println!("ok");
    Ok(())
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("SALAMA_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}
