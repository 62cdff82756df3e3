//! The settings of each section but the helplines and the providers: the sections' own
//! types and defaults, read by serde. [`super::Settings`] checks what spans sections.

use std::path::PathBuf;

use serde::Deserialize;

use crate::privacy::SecretString;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RedisSettings {
    /// `redis://`, `rediss://` or `redis+unix://`; a cluster by its seed nodes,
    /// `redis+cluster://[:password@]host:port,host:port` (`rediss+cluster://` with TLS); none: the
    /// embedded store.
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
    #[serde(deserialize_with = "crate::privacy::optional_secret")]
    pub pseudonym_secret: Option<SecretString>,
    /// How long a subscriber's language is remembered.
    pub remember_days: u64,
    /// Keys that encrypt numbers and texts at rest, `id:hex64[,id:hex64]`; the first seals
    /// (environment only).
    #[serde(deserialize_with = "crate::privacy::optional_secret")]
    pub encryption_keys: Option<SecretString>,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        PrivacySettings { pseudonym_secret: None, remember_days: 365, encryption_keys: None }
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
    #[serde(default, deserialize_with = "crate::privacy::optional_secret")]
    pub token: Option<SecretString>,
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
    /// How long a worker holds a message while sending it; at least twice `send_timeout_secs` plus 10 s.
    pub lease_secs: u64,
    /// Longest wait on a provider's API for one send.
    pub send_timeout_secs: u64,
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
            send_timeout_secs: 15,
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
