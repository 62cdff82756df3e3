//! The providers this build knows ([`KNOWN`]) and the ones a gateway runs with ([`Providers`]).
//!
//! A provider owns its settings: `[channels.<name>]` is kept raw here ([`ChannelSections`]) and
//! handed to the provider's `build`, which reads it into its own typed settings. So `config`
//! names no provider, and the list of secret settings takes each provider's from [`Entry`].

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::{Provider, africastalking, console, infobip, twilio};
use crate::config::channels;

/// What the registry knows of a provider before any settings are read.
pub struct Entry {
    pub name: ProviderName,
    /// Keys of its `[channels.<name>]` section that are secrets: environment only.
    pub secrets: &'static [&'static str],
    /// Builds it from its section (an empty one when the config has none).
    pub build: fn(config::Value) -> Result<Box<dyn Provider>, String>,
}

/// Every provider this build knows. Adding one is a line here.
pub const KNOWN: &[Entry] = &[africastalking::ENTRY, twilio::ENTRY, infobip::ENTRY, console::ENTRY];

/// What a message goes out through when the helpline names no provider and it came in by none
/// (pages to counsellors, a case's SMS to her).
pub const DEFAULT: ProviderName = KNOWN[0].name;

/// A provider's name, one of [`KNOWN`]: what messages and outbox records carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProviderName(&'static str);

impl ProviderName {
    /// For a provider's own `NAME` constant; anything else comes through [`ProviderName::of`].
    pub const fn new(name: &'static str) -> ProviderName {
        ProviderName(name)
    }

    /// The known provider called `name`.
    pub fn of(name: &str) -> Option<ProviderName> {
        KNOWN.iter().map(|e| e.name).find(|n| n.0 == name)
    }

    pub const fn as_str(self) -> &'static str {
        self.0
    }

    /// Every known name, for error messages.
    pub fn known() -> String {
        KNOWN.iter().map(|e| e.name.0).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for ProviderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// Reads a provider's section into its typed settings; an unknown key is refused (a typo is not
/// a default).
pub fn settings<T: DeserializeOwned>(name: ProviderName, section: config::Value) -> Result<T, String> {
    section.try_deserialize().map_err(|e| format!("channels.{name}: {e}"))
}

/// `[channels]`: the `[channels.<name>]` sections as read from the file and the environment,
/// each its provider's to parse, and the two settings of their own (`config::channels`).
/// `Debug` shows the names only: the sections hold secrets.
#[derive(Clone, Deserialize)]
#[serde(try_from = "BTreeMap<String, config::Value>")]
pub struct ChannelSections {
    sections: BTreeMap<String, config::Value>,
    /// The providers whose webhooks are served (`africastalking` also carries USSD); the
    /// others' routes do not exist. With Redis, each must have its callback secret.
    pub enabled: Vec<String>,
    /// Serve enabled channels without their callback secret on Redis: for a closed test
    /// network only, never where a provider (or anyone else) can reach the gateway.
    pub allow_unauthenticated_test_network: bool,
}

impl Default for ChannelSections {
    fn default() -> Self {
        ChannelSections {
            sections: BTreeMap::new(),
            enabled: channels::all_providers(),
            allow_unauthenticated_test_network: false,
        }
    }
}

impl TryFrom<BTreeMap<String, config::Value>> for ChannelSections {
    type Error = String;

    fn try_from(mut sections: BTreeMap<String, config::Value>) -> Result<Self, String> {
        let enabled = match sections.remove(channels::ENABLED) {
            Some(value) => channels::read_enabled(value)?,
            None => channels::all_providers(),
        };
        let allow = sections.remove(channels::ALLOW_UNAUTHENTICATED).map(channels::read_allow).transpose()?;
        Ok(ChannelSections { sections, enabled, allow_unauthenticated_test_network: allow.unwrap_or(false) })
    }
}

impl fmt::Debug for ChannelSections {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.sections.keys()).finish()
    }
}

impl ChannelSections {
    /// Sets one key of a provider's section, as `SALAMA__CHANNELS__<NAME>__<KEY>` would.
    pub fn set(&mut self, provider: &str, key: &str, value: impl Into<config::Value>) {
        let section = self
            .sections
            .entry(provider.to_owned())
            .or_insert_with(|| config::Map::<String, config::Value>::new().into());
        if let config::ValueKind::Table(table) = &mut section.kind {
            table.insert(key.to_owned(), value.into());
        }
    }

    /// Every section names a known provider and reads as its settings.
    pub fn check(&self) -> Result<(), String> {
        if let Some(unknown) = self.sections.keys().find(|name| ProviderName::of(name).is_none()) {
            return Err(format!("[channels.{unknown}]: no such provider (known: {})", ProviderName::known()));
        }
        KNOWN.iter().try_for_each(|entry| (entry.build)(self.section(entry.name)).map(drop))
    }

    fn section(&self, name: ProviderName) -> config::Value {
        self.sections.get(name.0).cloned().unwrap_or_else(|| config::Map::<String, config::Value>::new().into())
    }
}

/// The providers a gateway runs with, built once at startup from their sections.
pub struct Providers {
    list: Vec<Box<dyn Provider>>,
    /// The one that sends everything instead (the console, on the embedded store).
    stand_in: Option<usize>,
    /// `channels.enabled`: the providers whose webhooks exist.
    enabled: Vec<String>,
}

impl Providers {
    /// Builds every known provider; on the embedded store one that [`Provider::stands_in`]
    /// takes every SMS. On Redis it never does: a helpline must name it.
    pub fn build(sections: &ChannelSections, embedded: bool) -> Result<Providers, String> {
        let list =
            KNOWN.iter().map(|entry| (entry.build)(sections.section(entry.name))).collect::<Result<Vec<_>, _>>()?;
        let stand_in = if embedded { list.iter().position(|p| p.stands_in()) } else { None };
        Ok(Providers { list, stand_in, enabled: sections.enabled.clone() })
    }

    /// The provider whose webhooks `/v1/.../<name>` are, if it is in `channels.enabled`.
    pub fn webhooks(&self, name: &str) -> Option<&dyn Provider> {
        let enabled = self.enabled.iter().any(|e| e == name);
        self.iter().find(|p| enabled && p.name().as_str() == name && p.has_webhooks())
    }

    /// What an SMS for `name` goes out through: that provider, or the stand-in.
    pub fn sender(&self, name: &str) -> Option<&dyn Provider> {
        match self.stand_in {
            Some(i) => Some(self.list[i].as_ref()),
            None => self.iter().find(|p| p.name().as_str() == name),
        }
    }

    /// The provider that sends everything in this run, if one does.
    pub fn stand_in(&self) -> Option<&dyn Provider> {
        self.stand_in.map(|i| self.list[i].as_ref())
    }

    pub fn iter(&self) -> impl Iterator<Item = &dyn Provider> {
        self.list.iter().map(|p| p.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found_back() {
        for entry in KNOWN {
            assert_eq!(ProviderName::of(entry.name.as_str()), Some(entry.name));
            assert_eq!(KNOWN.iter().filter(|e| e.name == entry.name).count(), 1, "{}", entry.name);
        }
        assert_eq!(ProviderName::of("nexmo"), None);
    }

    #[test]
    fn an_unknown_section_or_key_is_refused_and_debug_hides_values() {
        let mut sections = ChannelSections::default();
        sections.set("twilio", "from", "+254700000100");
        assert!(sections.check().is_ok());
        sections.set("twilio", "form", "+254700000100");
        assert!(sections.check().unwrap_err().contains("form"), "a typo is refused");
        let mut unknown = ChannelSections::default();
        unknown.set("nexmo", "api_key", "k");
        assert!(unknown.check().unwrap_err().contains("nexmo"));
        let mut secret = ChannelSections::default();
        secret.set("infobip", "api_key", "very-secret-key");
        assert!(!format!("{secret:?}").contains("very-secret-key"));
    }

    #[test]
    fn the_console_stands_in_on_the_embedded_store_only() {
        let mut sections = ChannelSections::default();
        sections.set("console", "stand_in", true);
        let embedded = Providers::build(&sections, true).unwrap();
        assert_eq!(embedded.sender("infobip").unwrap().name().as_str(), "console");
        let redis = Providers::build(&sections, false).unwrap();
        assert_eq!(redis.sender("infobip").unwrap().name().as_str(), "infobip");
        assert_eq!(redis.sender("console").unwrap().name().as_str(), "console", "named explicitly");
        assert!(redis.webhooks("console").is_none(), "the console takes no webhooks");
    }
}
