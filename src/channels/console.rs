//! The console: a provider for the demo that prints each SMS to the terminal, marked as not
//! sent, instead of calling an API. With `stand_in = true` (the shipped `salama.toml`) it takes
//! every helpline's SMS on the embedded store, so `cargo run -- serve` and the README's `sms`
//! example show the reply. On Redis it stands in for nobody: a helpline must name it.
//!
//! It takes no webhooks. The number prints masked like everywhere else; the text is printed
//! because showing it is the console's whole job, and only here, never in the log.

use std::io::Write;

use serde::Deserialize;

use super::registry::{self, Entry};
use super::{ChannelError, DeliveryReport, Outgoing, Provider, ProviderName, SendFuture, SmsIn, Webhook};

pub const NAME: ProviderName = ProviderName::new("console");

pub const ENTRY: Entry = Entry { name: NAME, secrets: &[], build };

/// `[channels.console]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// On the embedded store, print every helpline's SMS here instead of sending them.
    pub stand_in: bool,
}

pub struct Console {
    settings: Settings,
}

fn build(section: config::Value) -> Result<Box<dyn Provider>, String> {
    Ok(Box::new(Console { settings: registry::settings(NAME, section)? }))
}

impl Provider for Console {
    fn name(&self) -> ProviderName {
        NAME
    }

    fn has_webhooks(&self) -> bool {
        false
    }

    fn authenticate(&self, _: &Webhook<'_>) -> Result<(), ChannelError> {
        Err(ChannelError::Forbidden)
    }

    fn parse_sms(&self, _: &Webhook<'_>) -> Result<Vec<SmsIn>, ChannelError> {
        Err(ChannelError::Malformed("the console takes no webhooks".into()))
    }

    fn parse_delivery(&self, _: &Webhook<'_>) -> Result<Vec<DeliveryReport>, ChannelError> {
        Err(ChannelError::Malformed("the console takes no webhooks".into()))
    }

    fn send<'a>(&'a self, _: &'a reqwest::Client, out: &'a Outgoing<'a>) -> SendFuture<'a> {
        let printed = render(out);
        Box::pin(async move {
            // One write of the whole block, so two workers' messages do not interleave.
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(printed.as_bytes()).and_then(|()| stdout.flush()).map_err(|e| {
                super::SendError::Retryable(format!("console: cannot write to the terminal: {}", e.kind()))
            })?;
            Ok(format!("console-{}", out.id))
        })
    }

    fn stands_in(&self) -> bool {
        self.settings.stand_in
    }
}

/// The block printed for one SMS: a header that says it was not sent, then the text.
pub fn render(out: &Outgoing<'_>) -> String {
    let from = out.sender.map(|s| format!(" from {s}")).unwrap_or_default();
    format!("\n----- console SMS, NOT SENT (demo): to {}{from} -----\n{}\n-----\n", out.to, out.body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phone::E164;

    #[test]
    fn the_block_says_not_sent_and_masks_the_number() {
        let to = E164::parse("+254711000111", None).unwrap();
        let out = Outgoing { id: "r-1", to: &to, body: "Hello. Reply 1 to continue.", sender: Some("INFO") };
        let block = render(&out);
        assert!(block.contains("console SMS, NOT SENT"));
        assert!(block.contains("Hello. Reply 1 to continue."));
        assert!(block.contains("from INFO"));
        assert!(!block.contains("711000111"), "the number prints masked: {block}");
    }
}
