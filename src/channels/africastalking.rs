//! Africa's Talking: USSD (form-encoded requests, `CON `/`END ` plain-text answers), SMS in,
//! delivery reports, and the messaging API (reference/protocols.md §1 and §2). Authenticated by
//! the `?token=` of the callback URL, since Africa's Talking signs nothing.

use serde::Deserialize;

use super::registry::{self, Entry};
use super::{
    Answer, ChannelError, DeliveryReport, DeliveryState, Outgoing, Provider, ProviderName, SendError, SendFuture,
    SessionEnd, SmsIn, Ussd, UssdHop, Webhook, check_provider_id, check_text, parse_number, token_matches,
};
use crate::phone::E164;
use crate::privacy::{ExposeSecret, SecretString};

pub const NAME: ProviderName = ProviderName::new("africastalking");

pub const ENTRY: Entry = Entry { name: NAME, secrets: &["token", "api_key"], build };

/// `[channels.africastalking]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// The `?token=` every callback URL must carry (environment only).
    #[serde(deserialize_with = "crate::privacy::optional_secret")]
    pub token: Option<SecretString>,
    /// The app's username (`sandbox` in the sandbox).
    pub username: Option<String>,
    /// API key (environment only).
    #[serde(deserialize_with = "crate::privacy::optional_secret")]
    pub api_key: Option<SecretString>,
    pub base_url: String,
    /// Sender id or short code SMS are sent from; none: the account's default.
    pub sender_id: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            token: None,
            username: None,
            api_key: None,
            base_url: "https://api.africastalking.com".into(),
            sender_id: None,
        }
    }
}

pub struct AfricasTalking {
    settings: Settings,
}

fn build(section: config::Value) -> Result<Box<dyn Provider>, String> {
    Ok(Box::new(AfricasTalking { settings: registry::settings(NAME, section)? }))
}

impl Provider for AfricasTalking {
    fn name(&self) -> ProviderName {
        NAME
    }

    /// Africa's Talking signs nothing: every callback URL carries the channel's `?token=`.
    fn authenticate(&self, request: &Webhook<'_>) -> Result<(), ChannelError> {
        if token_matches(self.settings.token.as_ref(), request.query) { Ok(()) } else { Err(ChannelError::Forbidden) }
    }

    fn parse_sms(&self, request: &Webhook<'_>) -> Result<Vec<SmsIn>, ChannelError> {
        parse_sms(request.body).map(|sms| vec![sms])
    }

    fn parse_delivery(&self, request: &Webhook<'_>) -> Result<Vec<DeliveryReport>, ChannelError> {
        parse_delivery(request.body).map(|report| vec![report])
    }

    fn send<'a>(&'a self, http: &'a reqwest::Client, out: &'a Outgoing<'a>) -> SendFuture<'a> {
        Box::pin(send(http, &self.settings, out))
    }

    fn ussd(&self) -> Option<&dyn Ussd> {
        Some(self)
    }

    fn warnings(&self) -> Vec<&'static str> {
        match self.settings.token {
            None => {
                vec!["no SALAMA__CHANNELS__AFRICASTALKING__TOKEN: Africa's Talking callbacks are not authenticated"]
            }
            Some(_) => vec![],
        }
    }
}

impl Ussd for AfricasTalking {
    fn parse_hop(&self, request: &Webhook<'_>) -> Result<UssdHop, ChannelError> {
        parse_ussd(request.body)
    }

    fn render_screen(&self, text: &str, end: bool) -> Answer {
        Answer { content_type: "text/plain; charset=utf-8", body: render_ussd(text, end) }
    }

    fn parse_session_end(&self, request: &Webhook<'_>) -> Result<SessionEnd, ChannelError> {
        parse_session_end(request.body)
    }
}

/// Longest `text` accepted: a session is at most 180 s of short inputs.
const MAX_TEXT: usize = 2048;

/// Parses a USSD request body. By hand rather than through serde: it runs on every hop, and
/// serde's form deserializer cost a hop about a microsecond (issue 13). As serde did, a field
/// given twice is refused and one it does not know is skipped (`networkCode`: nothing needs it).
pub fn parse_ussd(body: &[u8]) -> Result<UssdHop, ChannelError> {
    let (mut session_id, mut service_code, mut phone_number, mut text) = (None, None, None, None);
    for (name, value) in super::form::pairs(body) {
        let field = match &*name {
            "sessionId" => &mut session_id,
            "serviceCode" => &mut service_code,
            "phoneNumber" => &mut phone_number,
            "text" => &mut text,
            _ => continue,
        };
        if field.replace(value).is_some() {
            return Err(ChannelError::Malformed(format!("{name} is given twice")));
        }
    }
    let missing = |field: &str| ChannelError::Malformed(format!("{field} is missing"));
    let session_id = session_id.ok_or_else(|| missing("sessionId"))?.into_owned();
    check_provider_id(&session_id, "sessionId")?;
    let service_code = service_code.ok_or_else(|| missing("serviceCode"))?.into_owned();
    if service_code.is_empty() || service_code.len() > 32 {
        return Err(ChannelError::Malformed("serviceCode must be 1-32 characters".into()));
    }
    let number = E164::parse(&phone_number.ok_or_else(|| missing("phoneNumber"))?, None)
        .map_err(|e| ChannelError::Malformed(format!("phoneNumber: {e}")))?;
    // The first request carries an empty text; some simulators leave it out.
    let text = text.map(|t| t.into_owned()).unwrap_or_default();
    if text.len() > MAX_TEXT {
        return Err(ChannelError::Malformed(format!("text is longer than {MAX_TEXT} bytes")));
    }
    Ok(UssdHop { provider: NAME.as_str(), session_id, service_code, number, text })
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

#[derive(Deserialize)]
struct SmsForm {
    from: Option<String>,
    to: Option<String>,
    text: Option<String>,
    id: Option<String>,
    date: Option<String>,
    // linkId: only for premium short codes, which reply through the content API; not used.
}

/// Parses an incoming SMS. `date` comes as `2017-05-03T06:04:45Z` or `2017-05-03 06:04:45`.
pub fn parse_sms(body: &[u8]) -> Result<SmsIn, ChannelError> {
    let form: SmsForm = serde_urlencoded::from_bytes(body)
        .map_err(|e| ChannelError::Malformed(format!("not a form-encoded SMS: {e}")))?;
    let missing = |field: &str| ChannelError::Malformed(format!("{field} is missing"));
    let id = form.id.ok_or_else(|| missing("id"))?;
    check_provider_id(&id, "id")?;
    let date = form.date.ok_or_else(|| missing("date"))?;
    let date_ok = ["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .any(|format| chrono::NaiveDateTime::parse_from_str(&date, format).is_ok());
    if !date_ok {
        return Err(ChannelError::Malformed("date is not 2017-05-03T06:04:45Z nor 2017-05-03 06:04:45".into()));
    }
    let text = form.text.ok_or_else(|| missing("text"))?;
    check_text(&text)?;
    Ok(SmsIn {
        provider: NAME,
        provider_id: id,
        from: parse_number(&form.from.ok_or_else(|| missing("from"))?, "from")?,
        to: form.to.ok_or_else(|| missing("to"))?,
        text,
    })
}

#[derive(Deserialize)]
struct DeliveryForm {
    id: Option<String>,
    status: Option<String>,
    // phoneNumber, networkCode, failureReason, retryCount: nothing here needs them.
}

/// The six documented statuses; any other is accepted as `Unknown` (the caller logs it).
pub fn parse_delivery(body: &[u8]) -> Result<DeliveryReport, ChannelError> {
    let form: DeliveryForm = serde_urlencoded::from_bytes(body)
        .map_err(|e| ChannelError::Malformed(format!("not a form-encoded delivery report: {e}")))?;
    let id = form.id.ok_or_else(|| ChannelError::Malformed("id is missing".into()))?;
    check_provider_id(&id, "id")?;
    let status = form.status.ok_or_else(|| ChannelError::Malformed("status is missing".into()))?;
    let state = match status.as_str() {
        "Sent" | "Submitted" | "Buffered" => DeliveryState::Sent,
        "Success" => DeliveryState::Delivered,
        "Rejected" | "Failed" => DeliveryState::Failed,
        _ => DeliveryState::Unknown,
    };
    Ok(DeliveryReport { provider: NAME, provider_id: id, state, status })
}

#[derive(Deserialize)]
struct SendResponse {
    #[serde(rename = "SMSMessageData")]
    data: SendData,
}

#[derive(Deserialize)]
struct SendData {
    #[serde(rename = "Recipients", default)]
    recipients: Vec<Recipient>,
    #[serde(rename = "Message", default)]
    message: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Recipient {
    status_code: u16,
    status: String,
    #[serde(default)]
    message_id: String,
}

/// Per-recipient codes worth another try: 405 InsufficientBalance (someone tops up), 500
/// InternalServerError, 501 GatewayError. The rest (invalid number, blacklisted, unsupported)
/// would fail the same way again.
const RETRYABLE_CODES: [u16; 3] = [405, 500, 501];

/// Sends one SMS. Success is HTTP 201 *and* the recipient's status `Success`.
pub async fn send(client: &reqwest::Client, settings: &Settings, out: &Outgoing<'_>) -> Result<String, SendError> {
    let (Some(username), Some(api_key)) = (&settings.username, &settings.api_key) else {
        return Err(SendError::Permanent("channels.africastalking.username and api_key are not configured".into()));
    };
    let mut form =
        vec![("username", username.as_str()), ("to", out.to.as_str()), ("message", out.body), ("bulkSMSMode", "1")];
    let api_key = api_key.expose_secret();
    if let Some(from) = out.sender.or(settings.sender_id.as_deref()) {
        form.push(("from", from));
    }
    let response = client
        .post(format!("{}/version1/messaging", settings.base_url.trim_end_matches('/')))
        .header("apiKey", api_key)
        .header("Accept", "application/json")
        .form(&form)
        .send()
        .await
        .map_err(|e| SendError::from_transport(&e))?;
    let status = response.status().as_u16();
    if status != 201 {
        return Err(SendError::from_status(status, "Africa's Talking"));
    }
    let body: SendResponse =
        response.json().await.map_err(|_| SendError::Retryable("Africa's Talking: unreadable answer".into()))?;
    let Some(recipient) = body.data.recipients.first() else {
        let said = crate::privacy::redact_numbers(&body.data.message);
        return Err(SendError::Permanent(format!("Africa's Talking: no recipient accepted ({said})")));
    };
    match recipient.status.as_str() {
        "Success" => Ok(recipient.message_id.clone()),
        _ if RETRYABLE_CODES.contains(&recipient.status_code) => {
            Err(SendError::Retryable(format!("Africa's Talking: {} ({})", recipient.status, recipient.status_code)))
        }
        _ => Err(SendError::Permanent(format!("Africa's Talking: {} ({})", recipient.status, recipient.status_code))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_first_request_has_an_empty_text_and_a_masked_number() {
        let hop = parse_ussd(
            b"sessionId=ATUid_1&serviceCode=%2A384%2A1234%23&phoneNumber=%2B254711000111&networkCode=63902&text=",
        )
        .unwrap();
        assert_eq!(
            (hop.session_id.as_str(), hop.service_code.as_str(), hop.text.as_str()),
            ("ATUid_1", "*384*1234#", "")
        );
        assert_eq!(hop.number.as_str(), "+254711000111");
        assert!(!format!("{hop:?}").contains("711000111"), "a hop prints without the number");
    }

    #[test]
    fn an_sms_with_either_date_format_is_accepted() {
        let body = "linkId=03090445075804249226&text=Msg&to=21512&id=ec9adc86-51d5-4bc8-8eb0-d8ab0bb53dc3&date=2017-05-03T06%3A04%3A45Z&from=%2B254791541111";
        let sms = parse_sms(body.as_bytes()).unwrap();
        assert_eq!(
            (sms.provider_id.as_str(), sms.to.as_str(), sms.text.as_str()),
            ("ec9adc86-51d5-4bc8-8eb0-d8ab0bb53dc3", "21512", "Msg")
        );
        assert_eq!(sms.from.as_str(), "+254791541111");
        assert!(parse_sms(body.replace("2017-05-03T06%3A04%3A45Z", "2017-05-03+06%3A04%3A45").as_bytes()).is_ok());
        let bad_date = parse_sms(body.replace("2017-05-03T06%3A04%3A45Z", "yesterday").as_bytes());
        assert!(matches!(bad_date, Err(ChannelError::Malformed(m)) if m.starts_with("date")));
        let no_text = parse_sms(body.replace("text=Msg&", "").as_bytes());
        assert_eq!(no_text.err(), Some(ChannelError::Malformed("text is missing".into())));
    }

    #[test]
    fn all_six_delivery_statuses_map_and_an_unknown_one_is_accepted() {
        let cases = [
            ("Sent", DeliveryState::Sent),
            ("Submitted", DeliveryState::Sent),
            ("Buffered", DeliveryState::Sent),
            ("Rejected", DeliveryState::Failed),
            ("Success", DeliveryState::Delivered),
            ("Failed", DeliveryState::Failed),
            ("Expired", DeliveryState::Unknown),
        ];
        for (status, state) in cases {
            let body = format!("id=ATXid_1&status={status}&phoneNumber=%2B254711000111&networkCode=63902&retryCount=0");
            assert_eq!(parse_delivery(body.as_bytes()).unwrap().state, state, "{status}");
        }
    }

    #[test]
    fn a_field_given_twice_or_missing_is_refused_and_an_unknown_one_skipped() {
        let body = "sessionId=ATUid_1&serviceCode=%2A384%23&phoneNumber=%2B254711000111&text=1";
        let twice = parse_ussd(format!("{body}&text=2").as_bytes());
        assert_eq!(twice.err(), Some(ChannelError::Malformed("text is given twice".into())));
        let missing = parse_ussd(body.replace("sessionId=ATUid_1&", "").as_bytes());
        assert_eq!(missing.err(), Some(ChannelError::Malformed("sessionId is missing".into())));
        assert_eq!(parse_ussd(format!("{body}&networkCode=63902&x").as_bytes()).unwrap().text, "1");
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
