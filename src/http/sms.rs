//! SMS routes: inbound messages and delivery reports of each provider.
//!
//! A message is answered 200 only once it is stored (conversation saved, reply in the outbox);
//! when the store fails the answer is 503, so the provider keeps the message and retries.

use actix_web::{HttpRequest, HttpResponse, web};
use tracing::error;

use super::refused;
use crate::channels::{ChannelError, africastalking, infobip, token_matches, twilio};
use crate::engine::{Gateway, SmsOutcome};
use crate::store::StoreError;

pub async fn africastalking(req: HttpRequest, body: web::Bytes, gateway: web::Data<Gateway>) -> HttpResponse {
    if !token_matches(gateway.channels.africastalking.token.as_deref(), req.query_string()) {
        return refused(ChannelError::Forbidden);
    }
    match africastalking::parse_sms(&body) {
        Ok(sms) => stored(gateway.sms(&sms, false).await.map(drop), ok_text),
        Err(e) => refused(e),
    }
}

pub async fn africastalking_delivery(req: HttpRequest, body: web::Bytes, gateway: web::Data<Gateway>) -> HttpResponse {
    if !token_matches(gateway.channels.africastalking.token.as_deref(), req.query_string()) {
        return refused(ChannelError::Forbidden);
    }
    match africastalking::parse_delivery(&body) {
        Ok(report) => stored(gateway.delivery(&report).await, ok_text),
        Err(e) => refused(e),
    }
}

pub async fn twilio(req: HttpRequest, body: web::Bytes, gateway: web::Data<Gateway>) -> HttpResponse {
    let params = match twilio_params(&req, &body, &gateway, "") {
        Ok(params) => params,
        Err(e) => return refused(e),
    };
    let sms = match twilio::parse_sms(&params) {
        Ok(sms) => sms,
        Err(e) => return refused(e),
    };
    let inline = gateway.channels.twilio.reply_with_twiml;
    match gateway.sms(&sms, inline).await {
        Ok(SmsOutcome::Handled { reply, .. }) => twiml(reply.as_deref()),
        Ok(_) => twiml(None),
        Err(e) => unavailable(e),
    }
}

pub async fn twilio_status(req: HttpRequest, body: web::Bytes, gateway: web::Data<Gateway>) -> HttpResponse {
    let params = match twilio_params(&req, &body, &gateway, "/status") {
        Ok(params) => params,
        Err(e) => return refused(e),
    };
    match twilio::parse_status(&params) {
        Ok(report) => stored(gateway.delivery(&report).await, || twiml(None)),
        Err(e) => refused(e),
    }
}

pub async fn infobip(req: HttpRequest, body: web::Bytes, gateway: web::Data<Gateway>) -> HttpResponse {
    if !token_matches(gateway.channels.infobip.token.as_deref(), req.query_string()) {
        return refused(ChannelError::Forbidden);
    }
    let messages = match infobip::parse_sms(&body) {
        Ok(messages) => messages,
        Err(e) => return refused(e),
    };
    for sms in &messages {
        if let Err(e) = gateway.sms(sms, false).await {
            return unavailable(e); // the handled ones are seen: Infobip's retry skips them
        }
    }
    ok_text()
}

pub async fn infobip_delivery(req: HttpRequest, body: web::Bytes, gateway: web::Data<Gateway>) -> HttpResponse {
    if !token_matches(gateway.channels.infobip.token.as_deref(), req.query_string()) {
        return refused(ChannelError::Forbidden);
    }
    let reports = match infobip::parse_delivery(&body) {
        Ok(reports) => reports,
        Err(e) => return refused(e),
    };
    for report in &reports {
        if let Err(e) = gateway.delivery(report).await {
            return unavailable(e);
        }
    }
    ok_text()
}

/// Every POSTed parameter, in order, once the signature over all of them is checked. Without an
/// auth token configured (the demo) nothing is checked.
fn twilio_params(
    req: &HttpRequest,
    body: &[u8],
    gateway: &Gateway,
    suffix: &str,
) -> Result<Vec<(String, String)>, ChannelError> {
    let params: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|e| ChannelError::Malformed(format!("not a form-encoded Twilio request: {e}")))?;
    let settings = &gateway.channels.twilio;
    let Some(token) = &settings.auth_token else { return Ok(params) };
    // The URL Twilio signed: the configured public one (what Twilio was told), not what this
    // process sees behind a proxy.
    let Some(public) = &settings.public_url else { return Err(ChannelError::Forbidden) };
    let mut url = format!("{}{suffix}", public.trim_end_matches('/'));
    if !req.query_string().is_empty() {
        url.push('?');
        url.push_str(req.query_string());
    }
    let header = req.headers().get(twilio::SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    if twilio::signature_is_valid(token, &url, &params, header) { Ok(params) } else { Err(ChannelError::Forbidden) }
}

fn stored(result: Result<(), StoreError>, ok: impl FnOnce() -> HttpResponse) -> HttpResponse {
    match result {
        Ok(()) => ok(),
        Err(e) => unavailable(e),
    }
}

fn unavailable(error: StoreError) -> HttpResponse {
    error!(error = %error, "store failed; answered 503 so the provider retries");
    HttpResponse::ServiceUnavailable().content_type("text/plain").body("store unavailable, retry later")
}

fn ok_text() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("OK")
}

fn twiml(reply: Option<&str>) -> HttpResponse {
    HttpResponse::Ok().content_type("text/xml").body(twilio::render_twiml(reply))
}
