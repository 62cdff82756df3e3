//! Providers' wire formats, one file each: authenticate and parse what they send, render what
//! they expect back, and send SMS through their APIs. Nothing here knows about menus or sessions.
//!
//! Every provider implements [`Provider`] (and [`Ussd`] when it carries USSD) and has one line
//! in [`registry::KNOWN`]; `http` routes its webhooks by name, the outbox sends through it by
//! name. Adding a provider is its file here, its fixtures under `tests/fixtures/<name>/` (the
//! table test `tests/it/providers.rs` runs every one) and that line.

pub mod africastalking;
pub mod console;
mod form;
pub mod infobip;
mod provider;
pub mod registry;
pub mod twilio;

use subtle::ConstantTimeEq;

pub use provider::{Answer, Headers, Hook, Provider, SendFuture, Ussd, Webhook};
pub use registry::{ChannelSections, ProviderName, Providers};

use crate::phone::E164;

/// Longest SMS text accepted inbound (Twilio's limit is 1600 characters).
pub const MAX_SMS_BYTES: usize = 4096;

/// One SMS a survivor (or a counsellor) sent.
#[derive(Debug, Clone)]
pub struct SmsIn {
    pub provider: ProviderName,
    /// The provider's id for the message: the dedupe key.
    pub provider_id: String,
    pub from: E164,
    /// The helpline's number or short code it was sent to.
    pub to: String,
    pub text: String,
}

/// What a delivery report says happened to a message we sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    /// On its way (accepted, queued, buffered by the network).
    Sent,
    Delivered,
    /// Not delivered, and the provider will not try again.
    Failed,
    /// A status this version does not know: kept, logged, not refused.
    Unknown,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Sent => "sent",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
            DeliveryState::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone)]
pub struct DeliveryReport {
    pub provider: ProviderName,
    /// The id the provider gave when it accepted the message (or ours, where it echoes it).
    pub provider_id: String,
    pub state: DeliveryState,
    /// The provider's own word, for the log.
    pub status: String,
}

/// One SMS to send.
pub struct Outgoing<'a> {
    /// Our outbox id; providers that can carry a reference get it.
    pub id: &'a str,
    pub to: &'a E164,
    pub body: &'a str,
    /// A sender name instead of the provider's configured one (a helpline's neutral sender).
    pub sender: Option<&'a str>,
}

/// Why a send failed, and whether trying again can help.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum SendError {
    #[error("{0} (will retry)")]
    Retryable(String),
    #[error("{0} (permanent)")]
    Permanent(String),
}

impl SendError {
    /// From an HTTP failure: no answer, a 5xx or a 429 (the provider asks us to slow down, not
    /// to give up) are worth another try; any other refusal is about the message itself.
    pub fn from_status(status: u16, what: &str) -> SendError {
        if status == 429 || status >= 500 {
            SendError::Retryable(format!("{what}: HTTP {status}"))
        } else {
            SendError::Permanent(format!("{what}: HTTP {status}"))
        }
    }

    pub fn from_transport(error: &reqwest::Error) -> SendError {
        // The error's text can hold the URL but never a number or text of ours.
        SendError::Retryable(format!("no answer: {}", if error.is_timeout() { "timeout" } else { "connection failed" }))
    }
}

/// A number from a provider, or a 400 that says which field was wrong.
pub fn parse_number(raw: &str, field: &str) -> Result<E164, ChannelError> {
    E164::parse(raw, None).map_err(|e| ChannelError::Malformed(format!("{field}: {e}")))
}

/// A provider's id (of a message or a USSD session) goes into Redis keys: keep it plain.
pub fn check_provider_id(id: &str, field: &str) -> Result<(), ChannelError> {
    let plain = id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    if id.is_empty() || id.len() > 128 || !plain {
        return Err(ChannelError::Malformed(format!("{field} must be 1-128 characters of A-Z a-z 0-9 - _ . :")));
    }
    Ok(())
}

/// A text from a provider, bounded.
pub fn check_text(text: &str) -> Result<(), ChannelError> {
    if text.len() > MAX_SMS_BYTES {
        return Err(ChannelError::Malformed(format!("the text is longer than {MAX_SMS_BYTES} bytes")));
    }
    Ok(())
}

/// One USSD request, in Salama's terms.
#[derive(Debug)]
pub struct UssdHop {
    pub provider: &'static str,
    /// The provider's session id, already checked to be safe in a Redis key.
    pub session_id: String,
    pub service_code: String,
    pub number: E164,
    /// Every input of the session so far, joined by `*` (empty on the first request).
    pub text: String,
}

/// How a USSD session ended, as the provider reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    /// The survivor left or timed out on a screen that waited for input.
    Incomplete,
    /// The session reached an end screen.
    Success,
    /// The provider ended it because of an error on our side.
    Failed,
    /// A status this version does not know; counted, not refused.
    Other,
}

impl SessionEnd {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionEnd::Incomplete => "incomplete",
            SessionEnd::Success => "success",
            SessionEnd::Failed => "failed",
            SessionEnd::Other => "other",
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ChannelError {
    #[error("the token in the callback URL is missing or wrong")]
    Forbidden,
    #[error("{0}")]
    Malformed(String),
}

/// Checks the `?token=` of a callback URL in constant time. With no token configured every
/// request passes (the demo); a deployment sets one per channel.
pub fn token_matches(expected: Option<&crate::privacy::SecretString>, query: &str) -> bool {
    use crate::privacy::ExposeSecret;
    let Some(expected) = expected.map(|t| t.expose_secret()) else {
        return true;
    };
    // Read in place: every hop is authenticated, and collecting the pairs cost it 0.4 µs.
    let given = form::pairs(query.as_bytes()).find(|(k, _)| k == "token").map(|(_, v)| v);
    let given = given.as_deref().unwrap_or("");
    // ConstantTimeEq on slices of different lengths returns false without comparing bytes; the
    // length of the token is not the secret.
    bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_must_match_exactly_when_one_is_configured() {
        let secret = Some(crate::privacy::SecretString::from("s3cret"));
        let expected = secret.as_ref();
        assert!(token_matches(expected, "token=s3cret"));
        assert!(token_matches(expected, "a=1&token=s3cret"));
        assert!(!token_matches(expected, "token=s3cre"));
        assert!(!token_matches(expected, ""));
        assert!(!token_matches(expected, "token=S3CRET"));
        assert!(token_matches(None, ""));
    }
}
