//! Providers' wire formats, one file each: parse and authenticate what they send, render what
//! they expect back. Nothing here knows about menus or sessions.

pub mod africastalking;

use subtle::ConstantTimeEq;

use crate::phone::E164;

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
pub fn token_matches(expected: Option<&str>, query: &str) -> bool {
    let Some(expected) = expected else {
        return true;
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let given = pairs
        .iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    // ConstantTimeEq on slices of different lengths returns false without comparing bytes; the
    // length of the token is not the secret.
    bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

/// A provider's session id goes into a Redis key: keep it short and plain.
pub fn check_session_id(id: &str) -> Result<(), ChannelError> {
    let plain = id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    if id.is_empty() || id.len() > 128 || !plain {
        return Err(ChannelError::Malformed(
            "sessionId must be 1-128 characters of A-Z a-z 0-9 - _ . :".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_must_match_exactly_when_one_is_configured() {
        assert!(token_matches(Some("s3cret"), "token=s3cret"));
        assert!(token_matches(Some("s3cret"), "a=1&token=s3cret"));
        assert!(!token_matches(Some("s3cret"), "token=s3cre"));
        assert!(!token_matches(Some("s3cret"), ""));
        assert!(!token_matches(Some("s3cret"), "token=S3CRET"));
        assert!(token_matches(None, ""));
    }
}
