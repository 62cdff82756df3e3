//! Which channels are served, and which of them nothing authenticates.

use super::{AfricasTalkingSettings, ChannelSettings, InfobipSettings, Provider, TwilioSettings};

impl Default for ChannelSettings {
    fn default() -> Self {
        ChannelSettings {
            enabled: all_providers(),
            allow_unauthenticated_test_network: false,
            africastalking: AfricasTalkingSettings::default(),
            twilio: TwilioSettings::default(),
            infobip: InfobipSettings::default(),
        }
    }
}

pub(super) fn all_providers() -> Vec<String> {
    Provider::ALL.iter().map(|p| p.as_str().to_owned()).collect()
}

impl ChannelSettings {
    pub fn is_enabled(&self, provider: Provider) -> bool {
        self.enabled.iter().any(|p| p == provider.as_str())
    }

    /// Enabled channels whose callbacks nothing authenticates, with the variable that fixes each.
    pub fn unauthenticated(&self) -> Vec<(Provider, &'static str)> {
        let missing = [
            (Provider::Africastalking, self.africastalking.token.is_none(), "SALAMA__CHANNELS__AFRICASTALKING__TOKEN"),
            (Provider::Twilio, self.twilio.auth_token.is_none(), "SALAMA__CHANNELS__TWILIO__AUTH_TOKEN"),
            (Provider::Infobip, self.infobip.token.is_none(), "SALAMA__CHANNELS__INFOBIP__TOKEN"),
        ];
        missing.into_iter().filter(|(p, none, _)| *none && self.is_enabled(*p)).map(|(p, _, v)| (p, v)).collect()
    }
}
