//! What the commands check before they run, and how they say what is wrong: `check` refuses
//! whatever `serve` would refuse, names the file and line where it can, and every subcommand
//! refuses a helpline or locale name the config does not know.

use std::net::ToSocketAddrs;
use std::path::Path;

use anyhow::{Context, bail};

use crate::config::Settings;
use crate::engine::Gateway;

/// Builds the gateway exactly as `serve` does (flows, locales, rota, triage lexicons, the Redis
/// URL and, with Redis, the secrets), without connecting to anything, then checks what `serve`
/// only warns about but a launch must not carry: counsellors whose number cannot be paged.
pub fn preflight(settings: &Settings) -> anyhow::Result<()> {
    settings.bind.to_socket_addrs().map_err(|e| {
        anyhow::anyhow!("bind {:?} is not an address to listen on, such as 0.0.0.0:8080: {e}", settings.bind)
    })?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    // The Redis connection is lazy: nothing is dialled, but it must be made inside a runtime.
    let gateway = runtime
        .block_on(async { Gateway::from_settings(settings) })
        .map_err(|e| anyhow::anyhow!(locate(&e.to_string())))?;
    channels_authenticated(settings)?;
    let rota_file = &settings.escalation.rota_file;
    if let Some(c) = gateway.cases.rota().counsellors.iter().find(|c| c.phone.is_none()) {
        let text = std::fs::read_to_string(rota_file).unwrap_or_default();
        let at = line_of(&text, &format!("{:?}", c.id))
            .and_then(|id_line| line_after(&text, id_line, "phone"))
            .map_or_else(String::new, |n| format!(":{n}"));
        bail!(
            "{}{at}: counsellor {:?} has no valid phone number (E.164, such as +254712345678): pages cannot reach them",
            rota_file.display(),
            c.id
        );
    }
    Ok(())
}

/// With Redis (a deployment), every enabled channel must authenticate its callbacks, unless the
/// config says this is a closed test network. `serve` and `check` refuse the same way.
pub fn channels_authenticated(settings: &Settings) -> anyhow::Result<()> {
    let channels = &settings.channels;
    if settings.redis.url.is_none() || channels.allow_unauthenticated_test_network {
        return Ok(());
    }
    let providers = crate::channels::Providers::build(channels, false).map_err(anyhow::Error::msg)?;
    let unauthenticated: Vec<_> = providers
        .iter()
        .filter(|p| p.has_webhooks() && channels.is_enabled(p.name().as_str()) && !p.warnings().is_empty())
        .collect();
    if unauthenticated.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = unauthenticated.iter().map(|p| p.name().as_str()).collect();
    let warnings: Vec<&str> = unauthenticated.iter().flat_map(|p| p.warnings()).collect();
    bail!(
        "channels {} are enabled with no callback secret: anyone could post messages as a provider ({}). Set the secret, or narrow channels.enabled (SALAMA__CHANNELS__ENABLED=africastalking) to the providers you use; on a closed test network only, set channels.allow_unauthenticated_test_network = true",
        names.join(", "),
        warnings.join("; ")
    )
}

/// `check --store`: every sealed record in the gateways' Redis opens under a configured key.
pub fn sealed_records(settings: &Settings) -> anyhow::Result<()> {
    if settings.redis.url.is_none() {
        bail!("`salama check --store` reads the gateways' Redis: set redis.url, SALAMA__REDIS__URL");
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let gateway = runtime.block_on(async { Gateway::from_settings(settings) })?;
    let (readable, unreadable, keys) = runtime.block_on(gateway.records.unreadable_records())?;
    println!("store: {readable} sealed record(s) open, {unreadable} do not");
    if unreadable > 0 {
        bail!(
            "{unreadable} sealed record(s) in Redis open under no configured key (they name key(s) {}): put those keys back in SALAMA__PRIVACY__ENCRYPTION_KEYS, after the first",
            keys.join(", ")
        );
    }
    Ok(())
}

/// `name` must be one of `known`, or the command stops and lists them.
pub fn known_name(what: &str, name: &str, known: &[String]) -> anyhow::Result<()> {
    if known.iter().any(|k| k == name) {
        return Ok(());
    }
    bail!("unknown {what} {name:?}: the config knows {}", known.join(", "))
}

/// Locales that have a triage lexicon (`<locales_dir>/<lang>/triage.toml`).
pub fn triage_locales(locales_dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut locales: Vec<String> = std::fs::read_dir(locales_dir)
        .with_context(|| format!("cannot read locales_dir {}", locales_dir.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("triage.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    locales.sort();
    Ok(locales)
}

/// `"...: <file>: <reason>"` becomes `"...: <file>:<line>: <reason>"` when the reason names
/// no line and quotes a value (`"Mars/Base"`) found in the file: the last quoted value is the
/// most precise one ("schedule "x": time_zone "Mars/Base" is not an IANA zone").
pub fn locate(message: &str) -> String {
    let parts: Vec<&str> = message.split(": ").collect();
    let Some(i) = parts.iter().position(|p| Path::new(p).is_file()) else { return message.to_owned() };
    let reason = parts[i + 1..].join(": ");
    let Ok(text) = std::fs::read_to_string(parts[i]) else { return message.to_owned() };
    if reason.contains("line ") {
        return message.to_owned();
    }
    let quoted = reason.split('"').skip(1).step_by(2).filter_map(|v| line_of(&text, &format!("\"{v}\""))).last();
    match quoted {
        Some(n) => format!("{}:{n}: {reason}", parts[..=i].join(": ")),
        None => message.to_owned(),
    }
}

/// The 1-based number of the first line holding `needle`.
fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

/// The first line after line `from` that sets `key` (`phone = ...`).
fn line_after(text: &str, from: usize, key: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(from)
        .find(|(_, l)| l.trim_start().strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('=')))
        .map(|(i, _)| i + 1)
}

/// An error and its causes for the terminal, each said once: a message that already quotes its
/// cause (`#[error("...: {0}")]` with `#[from]`) is not followed by the cause again ("X: X").
pub fn error_text(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain().map(ToString::to_string) {
        if !text.contains(&cause) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&cause);
        }
    }
    text
}
