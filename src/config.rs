//! Settings: `salama.toml`, then `SALAMA__…` environment variables (`__` between levels, such as
//! `SALAMA__REDIS__URL`), then command-line flags. Checked here, with errors that say what to fix.
//!
//! Secrets (the pseudonym secret, callback tokens) are read from the environment only: a config
//! file that holds one is refused, so that none ends up committed next to the demo config.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

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
    pub ussd: UssdSettings,
    #[serde(default)]
    pub privacy: PrivacySettings,
    #[serde(default)]
    pub channels: ChannelSettings,
    #[serde(default)]
    pub log: LogSettings,
    pub helplines: BTreeMap<String, HelplineSettings>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RedisSettings {
    /// `redis://`, `rediss://` or `redis+unix://`; none: the embedded store.
    pub url: Option<String>,
    /// PEM file of the CA that signed the Redis server's TLS certificate, for `rediss://` to a
    /// server with a private CA; none: the public web roots.
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UssdSettings {
    /// How long a USSD session is kept: the providers' 180 s plus a margin.
    pub session_ttl_secs: u64,
    /// Largest request body accepted on a webhook.
    pub max_body_bytes: usize,
    /// The END screen for a service code no helpline uses.
    pub unknown_service_text: String,
}

impl Default for UssdSettings {
    fn default() -> Self {
        UssdSettings {
            session_ttl_secs: 240,
            max_body_bytes: 8 * 1024,
            unknown_service_text: "This service is not available.".into(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrivacySettings {
    /// HMAC secret for subscriber pseudonyms (environment only).
    pub pseudonym_secret: Option<String>,
    /// How long a subscriber's language is remembered.
    pub remember_days: u64,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        PrivacySettings {
            pseudonym_secret: None,
            remember_days: 365,
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ChannelSettings {
    #[serde(default)]
    pub africastalking: AfricasTalkingSettings,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AfricasTalkingSettings {
    /// The `?token=` every callback URL must carry (environment only).
    pub token: Option<String>,
}

#[derive(Debug, Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    #[serde(default)]
    pub format: LogFormat,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelplineSettings {
    /// The flow file, relative to `flows_dir` (`ke` or `ke.toml`).
    pub flow: String,
    /// USSD codes that reach this helpline, such as `*384*1234#`.
    #[serde(deserialize_with = "list_or_commas")]
    pub service_codes: Vec<String>,
    #[serde(default = "default_screen_limit")]
    pub screen_limit: usize,
    #[serde(default = "default_true")]
    pub transliterate: bool,
    /// Numbers shown on screens, as Fluent variables (`{ $police }`).
    #[serde(default)]
    pub contacts: BTreeMap<String, String>,
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
fn default_screen_limit() -> usize {
    160
}
fn default_true() -> bool {
    true
}

/// A list from TOML, or a comma-separated string from an environment variable.
fn list_or_commas<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        List(Vec<String>),
        Text(String),
    }
    Ok(match Either::deserialize(d)? {
        Either::List(list) => list,
        Either::Text(text) => text
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect(),
    })
}

/// What the command line says, which wins over everything else.
#[derive(Debug, Default)]
pub struct Overrides {
    pub bind: Option<String>,
    pub redis_url: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "no config file at {0}; run from the project folder (it has salama.toml) or pass --config FILE"
    )]
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
        let invalid = |reason: String| ConfigError::Invalid {
            path: path.to_owned(),
            reason,
        };
        refuse_secrets_in_file(path).map_err(invalid)?;
        let mut builder = config::Config::builder()
            .add_source(config::File::from(path).format(config::FileFormat::Toml))
            .add_source(
                config::Environment::with_prefix("SALAMA")
                    .prefix_separator("__")
                    .separator("__"),
            );
        if let Some(bind) = overrides.bind {
            builder = builder
                .set_override("bind", bind)
                .map_err(|e| invalid(e.to_string()))?;
        }
        if let Some(url) = overrides.redis_url {
            builder = builder
                .set_override("redis.url", url)
                .map_err(|e| invalid(e.to_string()))?;
        }
        let mut settings: Settings = builder
            .build()
            .and_then(|c| c.try_deserialize())
            .map_err(|e| invalid(e.to_string()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        settings.flows_dir = base.join(&settings.flows_dir);
        settings.redis.ca_file = settings.redis.ca_file.map(|f| base.join(f));
        settings.locales_dir = base.join(&settings.locales_dir);
        // An empty variable (`SALAMA__REDIS__URL=`) means unset.
        for value in [
            &mut settings.redis.url,
            &mut settings.privacy.pseudonym_secret,
            &mut settings.channels.africastalking.token,
        ] {
            if value.as_deref().is_some_and(str::is_empty) {
                *value = None;
            }
        }
        settings.check().map_err(invalid)?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), String> {
        if self.helplines.is_empty() {
            return Err("no [helplines.<id>] table: a gateway needs at least one helpline".into());
        }
        if self.ussd.session_ttl_secs < 180 {
            return Err(
                "ussd.session_ttl_secs must be at least 180, the providers' session length".into(),
            );
        }
        let mut codes = BTreeMap::new();
        for (id, helpline) in &self.helplines {
            if !(40..=182).contains(&helpline.screen_limit) {
                return Err(format!(
                    "helplines.{id}.screen_limit must be between 40 and 182 (the USSD ceiling)"
                ));
            }
            if helpline.service_codes.is_empty() {
                return Err(format!("helplines.{id}.service_codes is empty"));
            }
            for code in &helpline.service_codes {
                if let Some(other) = codes.insert(code.clone(), id) {
                    return Err(format!(
                        "service code {code} belongs to both helplines.{other} and helplines.{id}"
                    ));
                }
            }
        }
        Ok(())
    }

    pub fn flow_path(&self, helpline: &HelplineSettings) -> PathBuf {
        let file = if helpline.flow.ends_with(".toml") {
            helpline.flow.clone()
        } else {
            format!("{}.toml", helpline.flow)
        };
        self.flows_dir.join(file)
    }
}

/// Secrets belong in the environment; a file that holds one is refused before anything else.
fn refuse_secrets_in_file(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| e.to_string())?;
    for (dotted, variable) in [
        (
            "privacy.pseudonym_secret",
            "SALAMA__PRIVACY__PSEUDONYM_SECRET",
        ),
        (
            "channels.africastalking.token",
            "SALAMA__CHANNELS__AFRICASTALKING__TOKEN",
        ),
    ] {
        if has_key(&table, dotted) {
            return Err(format!(
                "{dotted} is a secret: remove it from the file and set {variable} in the environment"
            ));
        }
    }
    Ok(())
}

fn has_key(table: &toml::Table, dotted: &str) -> bool {
    let (parents, last) = dotted.rsplit_once('.').unwrap_or(("", dotted));
    let mut current = table;
    for part in parents.split('.').filter(|p| !p.is_empty()) {
        match current.get(part).and_then(toml::Value::as_table) {
            Some(inner) => current = inner,
            None => return false,
        }
    }
    current.contains_key(last)
}
