//! Infobip: SMS in and delivery reports as JSON (`results[]`, numbers without `+`, `receivedAt`
//! with a `+0000` offset), and the SMS API (reference/protocols.md §4). Infobip does not sign
//! forwarded messages, so callbacks carry the channel's `?token=`.

use serde::Deserialize;

use super::registry::{self, Entry};
use super::{
    ChannelError, DeliveryReport, DeliveryState, Outgoing, Provider, ProviderName, SendError, SendFuture, SmsIn,
    Webhook, check_provider_id, check_text, parse_number, token_matches,
};
use crate::privacy::{ExposeSecret, SecretString};

/// Messages (or delivery reports) one request may carry: Infobip batches up to 100. A longer
/// batch is refused whole, before anything is queued.
pub const MAX_RESULTS: usize = 100;

fn at_most_max(n: usize) -> Result<(), ChannelError> {
    if n > MAX_RESULTS {
        return Err(ChannelError::Malformed(format!(
            "results holds {n} messages; at most {MAX_RESULTS} in one request"
        )));
    }
    Ok(())
}

pub const NAME: ProviderName = ProviderName::new("infobip");

pub const ENTRY: Entry = Entry { name: NAME, secrets: &["api_key", "token"], build };

/// `[channels.infobip]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// API key (environment only).
    #[serde(deserialize_with = "crate::privacy::optional_secret")]
    pub api_key: Option<SecretString>,
    /// The account's own base URL, such as `https://xxxxx.api.infobip.com`.
    pub base_url: String,
    pub sender: Option<String>,
    /// The `?token=` every callback URL must carry (environment only).
    #[serde(deserialize_with = "crate::privacy::optional_secret")]
    pub token: Option<SecretString>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { api_key: None, base_url: "https://api.infobip.com".into(), sender: None, token: None }
    }
}

pub struct Infobip {
    settings: Settings,
}

fn build(section: config::Value) -> Result<Box<dyn Provider>, String> {
    Ok(Box::new(Infobip { settings: registry::settings(NAME, section)? }))
}

impl Provider for Infobip {
    fn name(&self) -> ProviderName {
        NAME
    }

    fn authenticate(&self, request: &Webhook<'_>) -> Result<(), ChannelError> {
        if token_matches(self.settings.token.as_ref(), request.query) { Ok(()) } else { Err(ChannelError::Forbidden) }
    }

    fn parse_sms(&self, request: &Webhook<'_>) -> Result<Vec<SmsIn>, ChannelError> {
        parse_sms(request.body)
    }

    fn parse_delivery(&self, request: &Webhook<'_>) -> Result<Vec<DeliveryReport>, ChannelError> {
        parse_delivery(request.body)
    }

    fn send<'a>(&'a self, http: &'a reqwest::Client, out: &'a Outgoing<'a>) -> SendFuture<'a> {
        Box::pin(send(http, &self.settings, out))
    }

    fn warnings(&self) -> Vec<&'static str> {
        match self.settings.token {
            None => vec!["no SALAMA__CHANNELS__INFOBIP__TOKEN: Infobip callbacks are not authenticated"],
            Some(_) => vec![],
        }
    }
}

#[derive(Deserialize)]
struct Inbound {
    results: Option<Vec<InboundResult>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InboundResult {
    message_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    text: Option<String>,
    received_at: Option<String>,
}

/// Parses forwarded SMS; one request may carry several.
pub fn parse_sms(body: &[u8]) -> Result<Vec<SmsIn>, ChannelError> {
    let inbound: Inbound =
        serde_json::from_slice(body).map_err(|e| ChannelError::Malformed(format!("not Infobip's JSON: {e}")))?;
    let results = inbound.results.ok_or_else(|| ChannelError::Malformed("results is missing".into()))?;
    at_most_max(results.len())?;
    results
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let missing = |field: &str| ChannelError::Malformed(format!("results[{i}].{field} is missing"));
            let id = r.message_id.ok_or_else(|| missing("messageId"))?;
            check_provider_id(&id, "messageId")?;
            if let Some(at) = &r.received_at
                && chrono::DateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S%.3f%z").is_err()
            {
                return Err(ChannelError::Malformed(format!(
                    "results[{i}].receivedAt is not like 2016-10-06T09:28:39.220+0000"
                )));
            }
            let text = r.text.unwrap_or_default();
            check_text(&text)?;
            Ok(SmsIn {
                provider: NAME,
                provider_id: id,
                from: parse_number(&r.from.ok_or_else(|| missing("from"))?, "from")?,
                to: r.to.ok_or_else(|| missing("to"))?,
                text,
            })
        })
        .collect()
}

#[derive(Deserialize)]
struct Reports {
    results: Option<Vec<Report>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    message_id: Option<String>,
    status: Option<Status>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    group_name: Option<String>,
    #[serde(default)]
    name: String,
}

/// Status groups: 1 PENDING, 2 UNDELIVERABLE, 3 DELIVERED, 4 EXPIRED, 5 REJECTED.
pub fn parse_delivery(body: &[u8]) -> Result<Vec<DeliveryReport>, ChannelError> {
    let reports: Reports =
        serde_json::from_slice(body).map_err(|e| ChannelError::Malformed(format!("not Infobip's JSON: {e}")))?;
    let results = reports.results.ok_or_else(|| ChannelError::Malformed("results is missing".into()))?;
    at_most_max(results.len())?;
    results
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let id =
                r.message_id.ok_or_else(|| ChannelError::Malformed(format!("results[{i}].messageId is missing")))?;
            check_provider_id(&id, "messageId")?;
            let status = r.status.ok_or_else(|| ChannelError::Malformed(format!("results[{i}].status is missing")))?;
            let group = status.group_name.unwrap_or_default();
            let state = match group.as_str() {
                "PENDING" => DeliveryState::Sent,
                "DELIVERED" => DeliveryState::Delivered,
                "UNDELIVERABLE" | "EXPIRED" | "REJECTED" => DeliveryState::Failed,
                _ => DeliveryState::Unknown,
            };
            Ok(DeliveryReport { provider: NAME, provider_id: id, state, status: format!("{group} {}", status.name) })
        })
        .collect()
}

#[derive(Deserialize)]
struct SendResponse {
    #[serde(default)]
    messages: Vec<SentMessage>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SentMessage {
    message_id: Option<String>,
    status: SentStatus,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SentStatus {
    group_id: u32,
    #[serde(default)]
    name: String,
}

/// Sends one SMS. Our outbox id travels as Infobip's `messageId`, so delivery reports name it.
pub async fn send(client: &reqwest::Client, settings: &Settings, out: &Outgoing<'_>) -> Result<String, SendError> {
    let Some(api_key) = &settings.api_key else {
        return Err(SendError::Permanent("channels.infobip.api_key is not configured".into()));
    };
    let mut message = serde_json::json!({
        "destinations": [{"to": out.to.as_str().trim_start_matches('+'), "messageId": out.id}],
        "text": out.body,
    });
    if let Some(sender) = out.sender.or(settings.sender.as_deref()) {
        message["from"] = sender.into();
    }
    let response = client
        .post(format!("{}/sms/2/text/advanced", settings.base_url.trim_end_matches('/')))
        .header("Authorization", format!("App {}", api_key.expose_secret()))
        .header("Accept", "application/json")
        .json(&serde_json::json!({ "messages": [message] }))
        .send()
        .await
        .map_err(|e| SendError::from_transport(&e))?;
    let status = response.status().as_u16();
    if !response.status().is_success() {
        return Err(SendError::from_status(status, "Infobip"));
    }
    let sent: SendResponse =
        response.json().await.map_err(|_| SendError::Retryable("Infobip: unreadable answer".into()))?;
    let Some(first) = sent.messages.first() else {
        return Err(SendError::Retryable("Infobip: no message in the answer".into()));
    };
    match first.status.group_id {
        1 | 3 => Ok(first.message_id.clone().unwrap_or_else(|| out.id.to_owned())),
        _ => Err(SendError::Permanent(format!("Infobip: {}", first.status.name))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INBOUND: &str = r#"{"results":[{"messageId":"817790313235066447","from":"385916242493","to":"385921004026",
      "text":"QUIZ Correct answer is Paris","cleanText":"Correct answer is Paris","keyword":"QUIZ",
      "receivedAt":"2016-10-06T09:28:39.220+0000","smsCount":1,
      "price":{"pricePerMessage":0,"currency":"EUR"},"callbackData":"callbackData"}],
     "messageCount":1,"pendingMessageCount":0}"#;

    #[test]
    fn the_reference_inbound_payload_parses() {
        let messages = parse_sms(INBOUND.as_bytes()).unwrap();
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0].from.as_str(), "+385916242493", "the + is added back");
        assert_eq!(messages[0].text, "QUIZ Correct answer is Paris");
        assert!(parse_sms(INBOUND.replace("+0000", "Z").as_bytes()).is_err(), "receivedAt is checked");
        assert!(parse_sms(b"{}").is_err());
        assert!(parse_sms(b"not json").is_err());
    }

    #[test]
    fn delivery_groups_map() {
        let report = |group: &str| {
            format!(
                r#"{{"results":[{{"messageId":"m1","status":{{"groupId":3,"groupName":"{group}","id":5,"name":"X"}}}}]}}"#
            )
        };
        let state = |group| parse_delivery(report(group).as_bytes()).unwrap()[0].state;
        assert_eq!(state("DELIVERED"), DeliveryState::Delivered);
        assert_eq!(state("PENDING"), DeliveryState::Sent);
        assert_eq!(state("REJECTED"), DeliveryState::Failed);
        assert_eq!(state("SOMETHING_NEW"), DeliveryState::Unknown);
    }
}
