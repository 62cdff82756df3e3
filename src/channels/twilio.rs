//! Twilio: SMS in (form-encoded, signed with `X-Twilio-Signature`), status callbacks, TwiML
//! replies, and the Messages API (reference/protocols.md §3).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha1::Sha1;

use super::registry::{self, Entry};
use super::{
    Answer, ChannelError, DeliveryReport, DeliveryState, Hook, Outgoing, Provider, ProviderName, SendError, SendFuture,
    SmsIn, Webhook, check_provider_id, check_text, parse_number,
};
use crate::privacy::{ExposeSecret, SecretString};

pub const NAME: ProviderName = ProviderName::new("twilio");

pub const ENTRY: Entry = Entry { name: NAME, secrets: &["auth_token"], build };

/// The signature header Twilio sends.
pub const SIGNATURE_HEADER: &str = "X-Twilio-Signature";

/// `[channels.twilio]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub account_sid: Option<String>,
    /// Auth token: checks webhook signatures and authenticates sends (environment only).
    #[serde(deserialize_with = "crate::privacy::optional_secret")]
    pub auth_token: Option<SecretString>,
    pub base_url: String,
    /// The inbound webhook URL exactly as configured in Twilio (`https://host/v1/sms/twilio`):
    /// signatures are computed over it, and the status callback is this URL + `/status`.
    pub public_url: Option<String>,
    /// Number or sender SMS are sent from.
    pub from: Option<String>,
    /// Answer inbound SMS in the webhook's TwiML instead of through the outbox.
    pub reply_with_twiml: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            account_sid: None,
            auth_token: None,
            base_url: "https://api.twilio.com".into(),
            public_url: None,
            from: None,
            reply_with_twiml: false,
        }
    }
}

pub struct Twilio {
    settings: Settings,
}

fn build(section: config::Value) -> Result<Box<dyn Provider>, String> {
    let settings: Settings = registry::settings(NAME, section)?;
    if settings.auth_token.is_some() && settings.public_url.is_none() {
        return Err("channels.twilio.public_url is needed with an auth token: Twilio signs the URL it calls".into());
    }
    Ok(Box::new(Twilio { settings }))
}

impl Provider for Twilio {
    fn name(&self) -> ProviderName {
        NAME
    }

    fn delivery_path(&self) -> &'static str {
        "status"
    }

    /// The signature over every POSTed parameter. Without an auth token configured (the demo)
    /// nothing is checked.
    fn authenticate(&self, request: &Webhook<'_>) -> Result<(), ChannelError> {
        let params = params(request.body)?;
        let Some(token) = &self.settings.auth_token else { return Ok(()) };
        // The URL Twilio signed: the configured public one (what Twilio was told), not what this
        // process sees behind a proxy.
        let Some(public) = &self.settings.public_url else { return Err(ChannelError::Forbidden) };
        let suffix = if request.hook == Hook::Delivery { "/status" } else { "" };
        let mut url = format!("{}{suffix}", public.trim_end_matches('/'));
        if !request.query.is_empty() {
            url.push('?');
            url.push_str(request.query);
        }
        let header = request.header(SIGNATURE_HEADER).unwrap_or("");
        if signature_is_valid(token.expose_secret(), &url, &params, header) {
            Ok(())
        } else {
            Err(ChannelError::Forbidden)
        }
    }

    fn parse_sms(&self, request: &Webhook<'_>) -> Result<Vec<SmsIn>, ChannelError> {
        parse_sms(&params(request.body)?).map(|sms| vec![sms])
    }

    fn parse_delivery(&self, request: &Webhook<'_>) -> Result<Vec<DeliveryReport>, ChannelError> {
        parse_status(&params(request.body)?).map(|report| vec![report])
    }

    fn replies_inline(&self) -> bool {
        self.settings.reply_with_twiml
    }

    fn render_reply(&self, reply: Option<&str>) -> Answer {
        Answer { content_type: "text/xml", body: render_twiml(reply) }
    }

    fn send<'a>(&'a self, http: &'a reqwest::Client, out: &'a Outgoing<'a>) -> SendFuture<'a> {
        Box::pin(send(http, &self.settings, out))
    }

    fn warnings(&self) -> Vec<&'static str> {
        match self.settings.auth_token {
            None => vec![
                "no SALAMA__CHANNELS__TWILIO__AUTH_TOKEN: Twilio webhooks are not authenticated and nothing can be sent through Twilio",
            ],
            Some(_) => vec![],
        }
    }
}

/// Every POSTed parameter, in order: all of them are signed.
fn params(body: &[u8]) -> Result<Vec<(String, String)>, ChannelError> {
    serde_urlencoded::from_bytes(body)
        .map_err(|e| ChannelError::Malformed(format!("not a form-encoded Twilio request: {e}")))
}

/// Checks `X-Twilio-Signature`: HMAC-SHA1 under the auth token of the URL Twilio called followed
/// by every POSTed parameter, sorted by name, as `name` + `value`. Every parameter counts, known
/// or not (Twilio adds parameters without notice), so the caller passes them all.
///
/// Twilio may sign the URL with or without the default port, so both are tried (as twilio-python
/// does). <https://www.twilio.com/docs/usage/webhooks/webhooks-security>
pub fn signature_is_valid(token: &str, url: &str, params: &[(String, String)], header: &str) -> bool {
    let Ok(given) = BASE64.decode(header.trim()) else { return false };
    url_variants(url).iter().any(|url| {
        let mut mac = Hmac::<Sha1>::new_from_slice(token.as_bytes()).expect("HMAC takes any key length");
        mac.update(signed_string(url, params).as_bytes());
        mac.verify_slice(&given).is_ok() // constant time
    })
}

/// The signature Twilio would send (for tests and for the simulator).
pub fn signature(token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(token.as_bytes()).expect("HMAC takes any key length");
    mac.update(signed_string(url, params).as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

fn signed_string(url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut out = url.to_owned();
    for (name, value) in sorted {
        out.push_str(name);
        out.push_str(value);
    }
    out
}

/// The URL as given, and with the scheme's default port added or removed.
fn url_variants(url: &str) -> Vec<String> {
    let mut variants = vec![url.to_owned()];
    for (scheme, port) in [("https://", ":443"), ("http://", ":80")] {
        let Some(rest) = url.strip_prefix(scheme) else { continue };
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        match host.strip_suffix(port) {
            Some(bare) => variants.push(format!("{scheme}{bare}{path}")),
            None if !host.contains(':') => variants.push(format!("{scheme}{host}{port}{path}")),
            None => {}
        }
    }
    variants
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Parses an incoming SMS from its POSTed parameters.
pub fn parse_sms(params: &[(String, String)]) -> Result<SmsIn, ChannelError> {
    let required =
        |name: &str| param(params, name).ok_or_else(|| ChannelError::Malformed(format!("{name} is missing")));
    let id = required("MessageSid")?;
    check_provider_id(id, "MessageSid")?;
    required("AccountSid")?;
    let text = param(params, "Body").unwrap_or("").to_owned();
    check_text(&text)?;
    Ok(SmsIn {
        provider: NAME,
        provider_id: id.to_owned(),
        from: parse_number(required("From")?, "From")?,
        to: required("To")?.to_owned(),
        text,
    })
}

/// Parses a status callback. `queued`, `accepted` and `scheduled` never come back (Twilio sends
/// no callback for the first status) but are mapped anyway.
pub fn parse_status(params: &[(String, String)]) -> Result<DeliveryReport, ChannelError> {
    let id = param(params, "MessageSid").ok_or_else(|| ChannelError::Malformed("MessageSid is missing".into()))?;
    check_provider_id(id, "MessageSid")?;
    let status =
        param(params, "MessageStatus").ok_or_else(|| ChannelError::Malformed("MessageStatus is missing".into()))?;
    let state = match status {
        "queued" | "accepted" | "scheduled" | "sending" | "sent" => DeliveryState::Sent,
        "delivered" | "read" => DeliveryState::Delivered,
        "failed" | "undelivered" | "canceled" => DeliveryState::Failed,
        _ => DeliveryState::Unknown,
    };
    Ok(DeliveryReport { provider: NAME, provider_id: id.to_owned(), state, status: status.to_owned() })
}

/// The webhook's answer: the reply in TwiML, or an empty `<Response/>` when replies go through
/// the outbox.
pub fn render_twiml(reply: Option<&str>) -> String {
    match reply {
        Some(text) => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>{}</Message></Response>",
            xml_escape(text)
        ),
        None => "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>".into(),
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

#[derive(Deserialize)]
struct Sent {
    sid: String,
}

#[derive(Deserialize)]
struct Refusal {
    code: Option<u32>,
    message: Option<String>,
}

/// Error codes that say the message can never go through as it is: 21610 the recipient sent
/// STOP, 21211 invalid To, 21408 region not enabled, 21612 unreachable route, 21614 not a mobile.
/// 20429 (too many requests) is worth a retry; HTTP status decides the rest.
const PERMANENT_CODES: [u32; 5] = [21610, 21211, 21408, 21612, 21614];

/// Sends one SMS through the Messages API.
pub async fn send(client: &reqwest::Client, settings: &Settings, out: &Outgoing<'_>) -> Result<String, SendError> {
    let (Some(sid), Some(token), Some(from)) = (&settings.account_sid, &settings.auth_token, &settings.from) else {
        return Err(SendError::Permanent("channels.twilio.account_sid, auth_token and from are not configured".into()));
    };
    let from = out.sender.unwrap_or(from).to_owned();
    let mut form = vec![("To", out.to.as_str().to_owned()), ("From", from), ("Body", out.body.to_owned())];
    if let Some(public) = &settings.public_url {
        form.push(("StatusCallback", format!("{}/status", public.trim_end_matches('/'))));
    }
    let response = client
        .post(format!("{}/2010-04-01/Accounts/{sid}/Messages.json", settings.base_url.trim_end_matches('/')))
        .basic_auth(sid, Some(token.expose_secret()))
        .header("Accept", "application/json")
        .form(&form)
        .send()
        .await
        .map_err(|e| SendError::from_transport(&e))?;
    let status = response.status().as_u16();
    if response.status().is_success() {
        let sent: Sent = response.json().await.map_err(|_| SendError::Retryable("Twilio: unreadable answer".into()))?;
        return Ok(sent.sid);
    }
    let refusal: Option<Refusal> = response.json().await.ok();
    let code = refusal.as_ref().and_then(|r| r.code);
    let what = format!(
        "Twilio error {}{}",
        code.map_or("?".into(), |c| c.to_string()),
        refusal
            .and_then(|r| r.message)
            .map(|m| format!(": {}", crate::privacy::redact_numbers(&m.chars().take(80).collect::<String>())))
            .unwrap_or_default()
    );
    match code {
        Some(c) if PERMANENT_CODES.contains(&c) => Err(SendError::Permanent(what)),
        Some(20429) => Err(SendError::Retryable(what)),
        _ => Err(SendError::from_status(status, &what)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";

    /// The four vectors of reference/protocols.md §3.3 (twilio-python's tests and Twilio's docs).
    #[test]
    fn the_reference_signature_vectors_verify() {
        let call = params(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ]);
        assert_eq!(signature("12345", URL, &call), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assert!(signature_is_valid("12345", URL, &call, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));

        let with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
        assert_eq!(signature("12345", with_port, &call), "kvajT1Ptam85bY51eRf/AJRuM3w=");
        assert!(signature_is_valid("12345", URL, &call, "kvajT1Ptam85bY51eRf/AJRuM3w="), "signed with :443");
        assert!(signature_is_valid("12345", with_port, &call, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), "signed without it");

        let repeated = params(&[("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")]);
        assert_eq!(signature("12345", URL, &repeated), "IK+Dwps556ElfBT0I3Rgjkr1wJU=");

        let older = params(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]);
        assert!(signature_is_valid("12345", URL, &older, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
    }

    #[test]
    fn a_changed_parameter_token_or_url_fails_the_signature() {
        let call = params(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ]);
        let good = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
        let mut tampered = call.clone();
        tampered[2].1 = "9999".into();
        assert!(!signature_is_valid("12345", URL, &tampered, good));
        let mut extra = call.clone();
        extra.push(("NewParam".into(), "x".into()));
        assert!(!signature_is_valid("12345", URL, &extra, good), "an unknown parameter is signed too");
        assert!(!signature_is_valid("54321", URL, &call, good));
        assert!(!signature_is_valid("12345", "https://mycompany.com/other.php", &call, good));
        assert!(!signature_is_valid("12345", URL, &call, "not base64!"));
    }

    #[test]
    fn statuses_map_and_twiml_escapes_text() {
        let report =
            parse_status(&params(&[("MessageSid", "SM1"), ("MessageStatus", "undelivered"), ("ErrorCode", "30003")]))
                .unwrap();
        assert_eq!(report.state, DeliveryState::Failed);
        assert_eq!(
            parse_status(&params(&[("MessageSid", "SM1"), ("MessageStatus", "new-thing")])).unwrap().state,
            DeliveryState::Unknown
        );
        assert!(parse_status(&params(&[("MessageStatus", "sent")])).is_err());
        assert_eq!(
            render_twiml(Some("1 < 2 & \"ok\"")),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>1 &lt; 2 &amp; &quot;ok&quot;</Message></Response>"
        );
    }
}
