//! Settings: `salama.toml`, then `SALAMA__…` environment variables (`__` between levels, such as
//! `SALAMA__REDIS__URL`), then command-line flags. Checked here, with errors that say what to fix.
//!
//! Secrets (the pseudonym secret, callback tokens) are read from the environment only: a config
//! file that holds one is refused, so that none ends up committed next to the demo config.
//! [`secrets`] lists them. Each provider's `[channels.<name>]` section is the provider's own
//! (`channels::registry`); here it is only checked to read.
//!
//! - `sections.rs`: the small sections (redis, ussd, privacy, outbox, escalation...).
//! - `helpline.rs`: the `[helplines.<id>]` tables.
//! - `channels.rs`: `channels.enabled` and the test network's exception.
//! - `limits.rs`: the HTTP server's limits.

pub mod channels;
mod helpline;
mod limits;
pub mod secrets;
mod sections;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use helpline::HelplineSettings;
pub use limits::HttpSettings;
pub use sections::*;

use crate::channels::ChannelSections;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default = "default_bind")]
    pub bind: String,
    #[serde(default)]
    pub redis: RedisSettings,
    #[serde(default = "default_flows_dir")]
    pub flows_dir: PathBuf,
    #[serde(default = "default_locales_dir")]
    pub locales_dir: PathBuf,
    #[serde(default)]
    pub http: HttpSettings,
    #[serde(default)]
    pub ussd: UssdSettings,
    #[serde(default)]
    pub privacy: PrivacySettings,
    #[serde(default)]
    pub channels: ChannelSections,
    #[serde(default)]
    pub outbox: OutboxSettings,
    #[serde(default)]
    pub escalation: EscalationSettings,
    #[serde(default)]
    pub admin: AdminSettings,
    #[serde(default)]
    pub abuse: AbuseSettings,
    #[serde(default)]
    pub retention: RetentionSettings,
    #[serde(default)]
    pub log: LogSettings,
    #[serde(default)]
    pub console: crate::console::ConsoleSettings,
    pub helplines: BTreeMap<String, HelplineSettings>,
}

/// What the command line says, which wins over everything else.
#[derive(Debug, Default)]
pub struct Overrides {
    pub bind: Option<String>,
    pub redis_url: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no config file at {0}; run from the project folder (it has salama.toml) or pass --config FILE")]
    Missing(PathBuf),
    #[error("{path}: {reason}")]
    Invalid { path: PathBuf, reason: String },
}

/// Where `serve` looks without `--config`.
pub const DEFAULT_PATH: &str = "salama.toml";

impl Settings {
    /// Loads the file (or `salama.toml`), the environment and the overrides; relative folders
    /// are taken from the config file's folder, so `--config /etc/salama/salama.toml` works.
    pub fn load(path: Option<&Path>, overrides: Overrides) -> Result<Settings, ConfigError> {
        let path = path.unwrap_or(Path::new(DEFAULT_PATH));
        if !path.is_file() {
            return Err(ConfigError::Missing(path.to_owned()));
        }
        let invalid = |reason: String| ConfigError::Invalid { path: path.to_owned(), reason };
        secrets::refuse_in_file(path).map_err(invalid)?;
        let mut builder = config::Config::builder()
            .add_source(config::File::from(path).format(config::FileFormat::Toml))
            .add_source(config::Environment::with_prefix("SALAMA").prefix_separator("__").separator("__"));
        if let Some(bind) = overrides.bind {
            builder = builder.set_override("bind", bind).map_err(|e| invalid(e.to_string()))?;
        }
        if let Some(url) = overrides.redis_url {
            builder = builder.set_override("redis.url", url).map_err(|e| invalid(e.to_string()))?;
        }
        let mut settings: Settings =
            builder.build().and_then(|c| c.try_deserialize()).map_err(|e| invalid(e.to_string()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        settings.flows_dir = base.join(&settings.flows_dir);
        settings.redis.ca_file = settings.redis.ca_file.map(|f| base.join(f));
        settings.escalation.rota_file = base.join(&settings.escalation.rota_file);
        settings.locales_dir = base.join(&settings.locales_dir);
        settings.console.users_file = base.join(&settings.console.users_file);
        // An empty variable (`SALAMA__REDIS__URL=`) means unset; secrets read empty as unset
        // where they are deserialized (`privacy::optional_secret`).
        if settings.redis.url.as_deref() == Some("") {
            settings.redis.url = None;
        }
        settings.check().map_err(invalid)?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), String> {
        self.console.check()?;
        if self.helplines.is_empty() {
            return Err("no [helplines.<id>] table: a gateway needs at least one helpline".into());
        }
        if self.ussd.session_ttl_secs < 180 {
            return Err("ussd.session_ttl_secs must be at least 180, the providers' session length".into());
        }
        self.channels.check()?;
        self.http.check()?;
        // A lease that runs out while its send may still be answered would let a second worker
        // send the message while the first one's answer is on its way.
        if self.outbox.send_timeout_secs == 0 {
            return Err("outbox.send_timeout_secs must be at least 1".into());
        }
        // The lease also covers the writes around the send (START, a replica's WAIT, SENT).
        if self.outbox.lease_secs < 2 * self.outbox.send_timeout_secs + 10 {
            return Err(format!(
                "outbox.lease_secs must be at least twice outbox.send_timeout_secs ({} s) plus 10 s, longer than a provider call and its records may take",
                self.outbox.send_timeout_secs
            ));
        }
        let mut codes = BTreeMap::new();
        let mut sms_numbers = BTreeMap::new();
        for (id, helpline) in &self.helplines {
            if !(40..=182).contains(&helpline.screen_limit) {
                return Err(format!("helplines.{id}.screen_limit must be between 40 and 182 (the USSD ceiling)"));
            }
            if helpline.service_codes.is_empty() {
                return Err(format!("helplines.{id}.service_codes is empty"));
            }
            for code in &helpline.service_codes {
                if let Some(other) = codes.insert(code.clone(), id) {
                    return Err(format!("service code {code} belongs to both helplines.{other} and helplines.{id}"));
                }
            }
            for number in &helpline.sms_numbers {
                if let Some(other) = sms_numbers.insert(number.clone(), id) {
                    return Err(format!("SMS number {number} belongs to both helplines.{other} and helplines.{id}"));
                }
            }
            if !(1..=10).contains(&helpline.sms_max_segments) {
                return Err(format!("helplines.{id}.sms_max_segments must be between 1 and 10"));
            }
        }
        Ok(())
    }

    pub fn flow_path(&self, helpline: &HelplineSettings) -> PathBuf {
        let file =
            if helpline.flow.ends_with(".toml") { helpline.flow.clone() } else { format!("{}.toml", helpline.flow) };
        self.flows_dir.join(file)
    }
}

fn default_bind() -> String {
    "127.0.0.1:8080".into()
}
fn default_flows_dir() -> PathBuf {
    "flows".into()
}
fn default_locales_dir() -> PathBuf {
    "locales".into()
}
