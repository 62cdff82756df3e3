//! Which channels are served, and which of them nothing authenticates: the two keys of
//! `[channels]` that are not a provider's own section.

use crate::channels::ChannelSections;
use crate::channels::registry::KNOWN;

/// Keys of `[channels]` that are settings of their own, not a provider's section.
pub const ENABLED: &str = "enabled";
pub const ALLOW_UNAUTHENTICATED: &str = "allow_unauthenticated_test_network";

/// Every known provider's name: what `channels.enabled` is by default.
pub fn all_providers() -> Vec<String> {
    KNOWN.iter().map(|e| e.name.as_str().to_owned()).collect()
}

/// `channels.enabled` as a list, or as one string of names between commas (the environment).
pub fn read_enabled(value: config::Value) -> Result<Vec<String>, String> {
    let names = match value.kind {
        config::ValueKind::String(text) => {
            text.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
        }
        _ => value.try_deserialize::<Vec<String>>().map_err(|e| format!("channels.enabled: {e}"))?,
    };
    if let Some(name) = names.iter().find(|n| !KNOWN.iter().any(|e| e.name.as_str() == n.as_str())) {
        let known = all_providers().join(", ");
        return Err(format!("channels.enabled: unknown provider {name:?}; the providers are {known}"));
    }
    Ok(names)
}

/// `channels.allow_unauthenticated_test_network`: `true` in the file or in the environment.
pub fn read_allow(value: config::Value) -> Result<bool, String> {
    value.try_deserialize::<bool>().map_err(|e| format!("channels.{ALLOW_UNAUTHENTICATED}: {e}"))
}

impl ChannelSections {
    pub fn is_enabled(&self, provider: &str) -> bool {
        self.enabled.iter().any(|p| p == provider)
    }
}
