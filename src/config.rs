//! Settings: `salama.toml`, then `SALAMA__…` environment variables (`__` between levels, such as
//! `SALAMA__REDIS__URL`), then command-line flags. Checked here, with errors that say what to fix.
//!
//! Secrets (the pseudonym secret, callback tokens) are read from the environment only: a config
//! file that holds one is refused, so that none ends up committed next to the demo config.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

mod channels;
mod limits;
pub use limits::HttpSettings;

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
    pub channels: ChannelSettings,
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
    /// Keys that encrypt numbers and texts at rest, `id:hex64[,id:hex64]`; the first seals
    /// (environment only).
    pub encryption_keys: Option<String>,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        PrivacySettings { pseudonym_secret: None, remember_days: 365, encryption_keys: None }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelSettings {
    /// The providers whose webhooks are served (`africastalking` also carries USSD); the others'
    /// routes do not exist. With Redis, each must have its callback secret.
    #[serde(default = "channels::all_providers", deserialize_with = "list_or_commas")]
    pub enabled: Vec<String>,
    /// Serve enabled channels without their callback secret on Redis: for a closed test network
    /// only, never where a provider (or anyone else) can reach the gateway.
    #[serde(default)]
    pub allow_unauthenticated_test_network: bool,
    #[serde(default)]
    pub africastalking: AfricasTalkingSettings,
    #[serde(default)]
    pub twilio: TwilioSettings,
    #[serde(default)]
    pub infobip: InfobipSettings,
}

/// Providers SMS can be sent through.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Africastalking,
    Twilio,
    Infobip,
}

impl Provider {
    pub const ALL: [Provider; 3] = [Provider::Africastalking, Provider::Twilio, Provider::Infobip];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Africastalking => "africastalking",
            Provider::Twilio => "twilio",
            Provider::Infobip => "infobip",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AfricasTalkingSettings {
    /// The `?token=` every callback URL must carry (environment only).
    pub token: Option<String>,
    /// The app's username (`sandbox` in the sandbox).
    pub username: Option<String>,
    /// API key (environment only).
    pub api_key: Option<String>,
    pub base_url: String,
    /// Sender id or short code SMS are sent from; none: the account's default.
    pub sender_id: Option<String>,
}

impl Default for AfricasTalkingSettings {
    fn default() -> Self {
        AfricasTalkingSettings {
            token: None,
            username: None,
            api_key: None,
            base_url: "https://api.africastalking.com".into(),
            sender_id: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TwilioSettings {
    pub account_sid: Option<String>,
    /// Auth token: checks webhook signatures and authenticates sends (environment only).
    pub auth_token: Option<String>,
    pub base_url: String,
    /// The inbound webhook URL exactly as configured in Twilio (`https://host/v1/sms/twilio`):
    /// signatures are computed over it, and the status callback is this URL + `/status`.
    pub public_url: Option<String>,
    /// Number or sender SMS are sent from.
    pub from: Option<String>,
    /// Answer inbound SMS in the webhook's TwiML instead of through the outbox.
    pub reply_with_twiml: bool,
}

impl Default for TwilioSettings {
    fn default() -> Self {
        TwilioSettings {
            account_sid: None,
            auth_token: None,
            base_url: "https://api.twilio.com".into(),
            public_url: None,
            from: None,
            reply_with_twiml: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InfobipSettings {
    /// API key (environment only).
    pub api_key: Option<String>,
    /// The account's own base URL, such as `https://xxxxx.api.infobip.com`.
    pub base_url: String,
    pub sender: Option<String>,
    /// The `?token=` every callback URL must carry (environment only).
    pub token: Option<String>,
}

impl Default for InfobipSettings {
    fn default() -> Self {
        InfobipSettings { api_key: None, base_url: "https://api.infobip.com".into(), sender: None, token: None }
    }
}

/// Cases and paging.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EscalationSettings {
    /// The rota: counsellors, schedules, policies.
    pub rota_file: PathBuf,
    /// How often an unanswered case pages the supervisors again.
    pub supervisor_repeat_minutes: u64,
    /// How long a gateway holds a case's timer while it handles it.
    pub lease_secs: u64,
}

impl Default for EscalationSettings {
    fn default() -> Self {
        EscalationSettings { rota_file: "rota.toml".into(), supervisor_repeat_minutes: 30, lease_secs: 30 }
    }
}

/// Abuse of the line.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AbuseSettings {
    /// SMS a sender may send a minute, steadily; shared by every gateway on the Redis.
    pub sms_per_minute: u32,
    /// SMS a sender may send at once above that.
    pub sms_burst: u32,
}

impl Default for AbuseSettings {
    fn default() -> Self {
        AbuseSettings { sms_per_minute: 10, sms_burst: 10 }
    }
}

/// What is kept, and for how long.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionSettings {
    /// Days after a case closes before its contact details and note are dropped.
    pub case_contact_days: u64,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        RetentionSettings { case_contact_days: 30 }
    }
}

/// The admin API under `/v1/admin/`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AdminSettings {
    /// Bearer token (environment only); unset: the admin API is off.
    pub token: Option<String>,
}

/// The outbox: every SMS to send, and the workers that send it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutboxSettings {
    /// Sending tasks per gateway; 0 sends nothing (messages wait in the store).
    pub workers: usize,
    /// Tries before a message goes to the dead letters.
    pub max_attempts: u32,
    /// Wait before the first retry; it doubles each time, up to `max_backoff_secs`.
    pub backoff_ms: u64,
    pub max_backoff_secs: u64,
    /// How long a worker holds a message while sending it; longer than the HTTP timeout.
    pub lease_secs: u64,
    /// How long sent and dead messages are kept for delivery reports and `outbox list`.
    pub retention_days: u64,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        OutboxSettings {
            workers: 2,
            max_attempts: 8,
            backoff_ms: 1000,
            max_backoff_secs: 300,
            lease_secs: 60,
            retention_days: 7,
        }
    }
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
    /// Numbers or short codes survivors text; an SMS belongs to the helpline it was sent to.
    #[serde(default, deserialize_with = "list_or_commas")]
    pub sms_numbers: Vec<String>,
    /// Provider replies are sent through; none: the one the message came in by.
    pub sms_provider: Option<Provider>,
    /// Tried when the first provider fails with an error worth retrying.
    pub sms_fallback: Option<Provider>,
    /// Per locale, words that start the SMS flow in that locale (`HELP`, `MSAADA`, `AIDE`).
    #[serde(default)]
    pub keywords: BTreeMap<String, Vec<String>>,
    /// How long an SMS conversation is kept after its last message.
    #[serde(default = "default_sms_session_hours")]
    pub sms_session_hours: u64,
    /// Transliterate SMS to GSM-7 (cheaper, fewer parts) instead of sending UCS-2.
    #[serde(default)]
    pub sms_transliterate: bool,
    /// Longest SMS in parts; a longer text is sent as several messages.
    #[serde(default = "default_sms_max_segments")]
    pub sms_max_segments: usize,
    /// Sender name for SMS to survivors, such as "INFO" (neutral mode); none: the provider's.
    pub neutral_sender: Option<String>,
    /// The first SMS of a conversation names neither violence nor the helpline.
    #[serde(default = "default_true")]
    pub neutral_first_sms: bool,
    /// Per locale, words that end everything at once (quick exit): `en = ["STOP"]`.
    #[serde(default)]
    pub exit_keywords: BTreeMap<String, Vec<String>>,
    /// Per locale, words that erase everything kept for the number: `sw = ["FUTA"]`.
    #[serde(default)]
    pub erase_keywords: BTreeMap<String, Vec<String>>,
    /// The helpline's local time: survivors' safe call times are in it.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
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
fn default_sms_session_hours() -> u64 {
    24
}
fn default_sms_max_segments() -> usize {
    3
}
fn default_time_zone() -> String {
    "UTC".into()
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
        Either::Text(text) => text.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect(),
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
        refuse_secrets_in_file(path).map_err(invalid)?;
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
        // An empty variable (`SALAMA__REDIS__URL=`) means unset.
        let c = &mut settings.channels;
        for value in [
            &mut settings.redis.url,
            &mut settings.privacy.pseudonym_secret,
            &mut settings.privacy.encryption_keys,
            &mut c.africastalking.token,
            &mut c.africastalking.api_key,
            &mut c.twilio.auth_token,
            &mut c.infobip.api_key,
            &mut c.infobip.token,
            &mut settings.admin.token,
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
            return Err("ussd.session_ttl_secs must be at least 180, the providers' session length".into());
        }
        let twilio = &self.channels.twilio;
        if twilio.auth_token.is_some() && twilio.public_url.is_none() {
            return Err("channels.twilio.public_url is needed with an auth token: Twilio signs the URL it calls".into());
        }
        self.http.check()?;
        if let Some(name) = self.channels.enabled.iter().find(|n| Provider::from_name(n).is_none()) {
            return Err(format!(
                "channels.enabled: unknown provider {name:?}; the providers are africastalking, twilio, infobip"
            ));
        }
        if self.outbox.lease_secs < 30 {
            return Err("outbox.lease_secs must be at least 30, longer than a provider call may take".into());
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

/// Secrets belong in the environment; a file that holds one is refused before anything else.
fn refuse_secrets_in_file(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| e.to_string())?;
    for (dotted, variable) in [
        ("privacy.pseudonym_secret", "SALAMA__PRIVACY__PSEUDONYM_SECRET"),
        ("privacy.encryption_keys", "SALAMA__PRIVACY__ENCRYPTION_KEYS"),
        ("channels.africastalking.token", "SALAMA__CHANNELS__AFRICASTALKING__TOKEN"),
        ("channels.africastalking.api_key", "SALAMA__CHANNELS__AFRICASTALKING__API_KEY"),
        ("channels.twilio.auth_token", "SALAMA__CHANNELS__TWILIO__AUTH_TOKEN"),
        ("channels.infobip.api_key", "SALAMA__CHANNELS__INFOBIP__API_KEY"),
        ("channels.infobip.token", "SALAMA__CHANNELS__INFOBIP__TOKEN"),
        ("admin.token", "SALAMA__ADMIN__TOKEN"),
    ] {
        if has_key(&table, dotted) {
            return Err(format!("{dotted} is a secret: remove it from the file and set {variable} in the environment"));
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
