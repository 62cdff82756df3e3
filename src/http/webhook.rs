//! The one webhook handler every provider's routes share: find the provider by the route's
//! name, let it authenticate and parse the request, hand the result to the engine, and answer
//! in the provider's format. Provider field names stay in `channels`.
//!
//! An SMS is answered 200 only once it is stored (conversation saved, reply in the outbox);
//! when the store fails the answer is 503, so the provider keeps the message and retries.

use actix_web::http::header::HeaderMap;
use actix_web::{HttpRequest, HttpResponse, web};
use tracing::error;

use super::refused;
use crate::channels::{Answer, Headers, Hook, Provider, Webhook};
use crate::engine::{Gateway, SmsOutcome};
use crate::store::StoreError;

/// `POST /v1/sms/<provider>`: messages in.
pub async fn sms(req: HttpRequest, body: web::Bytes, gateway: web::Data<Gateway>) -> HttpResponse {
    let Some(provider) = provider(&req, &gateway) else { return not_found() };
    let request = Webhook { hook: Hook::Sms, query: req.query_string(), headers: req.headers(), body: &body };
    let messages = match provider.authenticate(&request).and_then(|()| provider.parse_sms(&request)) {
        Ok(messages) => messages,
        Err(e) => return refused(e),
    };
    let inline = provider.replies_inline();
    let mut reply = None;
    for sms in &messages {
        match gateway.sms(sms, inline).await {
            Ok(SmsOutcome::Handled { reply: Some(text), .. }) if inline => reply = Some(text),
            Ok(_) => {}
            // The handled ones are seen: the provider's retry skips them.
            Err(e) => return unavailable(e),
        }
    }
    answer(provider.render_reply(reply.as_deref()))
}

/// `POST /v1/sms/<provider>/<delivery path>`: delivery reports.
pub async fn delivery(req: HttpRequest, body: web::Bytes, gateway: web::Data<Gateway>) -> HttpResponse {
    let Some(provider) = provider(&req, &gateway) else { return not_found() };
    if req.match_info().get("hook") != Some(provider.delivery_path()) {
        return not_found();
    }
    let request = Webhook { hook: Hook::Delivery, query: req.query_string(), headers: req.headers(), body: &body };
    let reports = match provider.authenticate(&request).and_then(|()| provider.parse_delivery(&request)) {
        Ok(reports) => reports,
        Err(e) => return refused(e),
    };
    for report in &reports {
        if let Err(e) = gateway.delivery(report).await {
            return unavailable(e);
        }
    }
    answer(provider.render_reply(None))
}

/// `POST /v1/ussd/<provider>`, for a name no enabled USSD provider has: the enabled ones have
/// routes of their own ([`ussd_at`]).
pub async fn ussd(req: HttpRequest, body: web::Bytes, gateway: web::Data<Gateway>) -> HttpResponse {
    match req.match_info().get("provider").map(str::to_owned) {
        Some(name) => ussd_at(&name, req, body, &gateway).await,
        None => not_found(),
    }
}

/// `POST /v1/ussd/<name>`: one screen.
pub async fn ussd_at(name: &str, req: HttpRequest, body: web::Bytes, gateway: &Gateway) -> HttpResponse {
    let Some((provider, ussd)) = gateway.providers.webhooks(name).and_then(|p| Some((p, p.ussd()?))) else {
        return not_found();
    };
    let request = Webhook { hook: Hook::Ussd, query: req.query_string(), headers: req.headers(), body: &body };
    let hop = match provider.authenticate(&request).and_then(|()| ussd.parse_hop(&request)) {
        Ok(hop) => hop,
        Err(e) => return refused(e),
    };
    let reply = gateway.ussd(&hop).await;
    answer(ussd.render_screen(&reply.text, reply.end))
}

/// `POST /v1/ussd/<provider>/events`: a session ended; counted by how.
pub async fn ussd_event(req: HttpRequest, body: web::Bytes, gateway: web::Data<Gateway>) -> HttpResponse {
    let Some((provider, ussd)) = provider(&req, &gateway).and_then(|p| Some((p, p.ussd()?))) else {
        return not_found();
    };
    let request = Webhook { hook: Hook::UssdEvent, query: req.query_string(), headers: req.headers(), body: &body };
    match provider.authenticate(&request).and_then(|()| ussd.parse_session_end(&request)) {
        Ok(end) => {
            gateway.metrics.session_end(end);
            answer(Answer::ok())
        }
        Err(e) => refused(e),
    }
}

/// The provider the route names, if it takes webhooks.
fn provider<'g>(req: &HttpRequest, gateway: &'g Gateway) -> Option<&'g dyn Provider> {
    gateway.providers.webhooks(req.match_info().get("provider")?)
}

impl Headers for HeaderMap {
    fn header(&self, name: &str) -> Option<&str> {
        self.get(name)?.to_str().ok()
    }
}

fn answer(answer: Answer) -> HttpResponse {
    HttpResponse::Ok().content_type(answer.content_type).body(answer.body)
}

fn not_found() -> HttpResponse {
    HttpResponse::NotFound().finish()
}

fn unavailable(error: StoreError) -> HttpResponse {
    error!(error = %error, "store failed; answered 503 so the provider retries");
    HttpResponse::ServiceUnavailable().content_type("text/plain").body("store unavailable, retry later")
}
