//! `[helplines.<id>]`: what one helpline serves, and how it answers SMS.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

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
    /// Provider replies are sent through (a name in `channels::registry`); none: the one the
    /// message came in by.
    pub sms_provider: Option<String>,
    /// Tried when the first provider fails with an error worth retrying.
    pub sms_fallback: Option<String>,
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
    /// The networks she uses let her answer an alphanumeric sender. Most do not (an alphanumeric
    /// sender is one-way on Safaricom, for one): without this, the first SMS names the number
    /// to send the answer to.
    #[serde(default)]
    pub neutral_sender_takes_replies: bool,
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
