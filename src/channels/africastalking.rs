//! Africa's Talking USSD: form-encoded requests, `CON `/`END ` plain-text answers
//! (reference/protocols.md §1). Authenticated by the `?token=` of the callback URL, since
//! Africa's Talking signs nothing.

use serde::Deserialize;

use super::{ChannelError, SessionEnd, UssdHop, check_session_id};
use crate::phone::E164;

pub const PROVIDER: &str = "africastalking";

/// Longest `text` accepted: a session is at most 180 s of short inputs.
const MAX_TEXT: usize = 2048;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UssdForm {
    session_id: Option<String>,
    service_code: Option<String>,
    phone_number: Option<String>,
    text: Option<String>,
    // networkCode is sent too; nothing here needs it.
}

/// Parses a USSD request body.
pub fn parse_ussd(body: &[u8]) -> Result<UssdHop, ChannelError> {
    let form: UssdForm = serde_urlencoded::from_bytes(body)
        .map_err(|e| ChannelError::Malformed(format!("not a form-encoded USSD request: {e}")))?;
    let missing = |field: &str| ChannelError::Malformed(format!("{field} is missing"));
    let session_id = form.session_id.ok_or_else(|| missing("sessionId"))?;
    check_session_id(&session_id)?;
    let service_code = form.service_code.ok_or_else(|| missing("serviceCode"))?;
    if service_code.is_empty() || service_code.len() > 32 {
        return Err(ChannelError::Malformed(
            "serviceCode must be 1-32 characters".into(),
        ));
    }
    let number = E164::parse(
        &form.phone_number.ok_or_else(|| missing("phoneNumber"))?,
        None,
    )
    .map_err(|e| ChannelError::Malformed(format!("phoneNumber: {e}")))?;
    // The first request carries an empty text; some simulators leave it out.
    let text = form.text.unwrap_or_default();
    if text.len() > MAX_TEXT {
        return Err(ChannelError::Malformed(format!(
            "text is longer than {MAX_TEXT} bytes"
        )));
    }
    Ok(UssdHop {
        provider: PROVIDER,
        session_id,
        service_code,
        number,
        text,
    })
}

/// The answer body: `CON ` keeps the session open, `END ` closes it.
pub fn render_ussd(text: &str, end: bool) -> String {
    format!("{}{text}", if end { "END " } else { "CON " })
}

#[derive(Deserialize)]
struct EventForm {
    status: Option<String>,
}

/// Parses an end-of-session notification. Only the status is read: the notification also
/// carries the number and the last screen, which Salama does not keep.
pub fn parse_session_end(body: &[u8]) -> Result<SessionEnd, ChannelError> {
    let form: EventForm = serde_urlencoded::from_bytes(body)
        .map_err(|e| ChannelError::Malformed(format!("not a form-encoded notification: {e}")))?;
    Ok(match form.status.as_deref() {
        None => return Err(ChannelError::Malformed("status is missing".into())),
        Some("Incomplete") => SessionEnd::Incomplete,
        Some("Success") => SessionEnd::Success,
        Some("Failed") => SessionEnd::Failed,
        Some(_) => SessionEnd::Other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_first_request_has_an_empty_text_and_a_masked_number() {
        let hop = parse_ussd(b"sessionId=ATUid_1&serviceCode=%2A384%2A1234%23&phoneNumber=%2B254711000111&networkCode=63902&text=").unwrap();
        assert_eq!(
            (
                hop.session_id.as_str(),
                hop.service_code.as_str(),
                hop.text.as_str()
            ),
            ("ATUid_1", "*384*1234#", "")
        );
        assert_eq!(hop.number.as_str(), "+254711000111");
        assert!(
            !format!("{hop:?}").contains("711000111"),
            "a hop prints without the number"
        );
    }

    #[test]
    fn replies_start_with_con_or_end() {
        assert_eq!(render_ussd("Menu", false), "CON Menu");
        assert_eq!(render_ussd("Bye", true), "END Bye");
    }

    proptest! {
        #[test]
        fn any_body_is_parsed_or_refused_never_a_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse_ussd(&body);
            let _ = parse_session_end(&body);
        }

        #[test]
        fn any_field_values_are_parsed_or_refused_with_a_reason(
            session in "\\PC{0,140}", code in "\\PC{0,40}", number in "[+0-9 ()*#a-z-]{0,20}", text in "\\PC{0,100}",
        ) {
            let body = serde_urlencoded::to_string([("sessionId", &session), ("serviceCode", &code), ("phoneNumber", &number), ("text", &text)]).unwrap();
            match parse_ussd(body.as_bytes()) {
                Ok(hop) => {
                    prop_assert_eq!(hop.text, text);
                    prop_assert!(hop.number.as_str().starts_with('+'));
                }
                Err(ChannelError::Malformed(reason)) => prop_assert!(!reason.is_empty()),
                Err(other) => prop_assert!(false, "{other:?}"),
            }
        }
    }
}
