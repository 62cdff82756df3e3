//! Africa's Talking USSD routes.

use actix_web::{HttpRequest, HttpResponse, web};

use super::refused;
use crate::channels::{ChannelError, africastalking, token_matches};
use crate::engine::Gateway;

pub async fn africastalking(req: HttpRequest, body: web::Bytes, gateway: web::Data<Gateway>) -> HttpResponse {
    if !token_matches(gateway.channels.africastalking.token.as_deref(), req.query_string()) {
        return refused(ChannelError::Forbidden);
    }
    let hop = match africastalking::parse_ussd(&body) {
        Ok(hop) => hop,
        Err(e) => return refused(e),
    };
    let reply = gateway.ussd(&hop).await;
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(africastalking::render_ussd(&reply.text, reply.end))
}

pub async fn africastalking_events(req: HttpRequest, body: web::Bytes, gateway: web::Data<Gateway>) -> HttpResponse {
    if !token_matches(gateway.channels.africastalking.token.as_deref(), req.query_string()) {
        return refused(ChannelError::Forbidden);
    }
    match africastalking::parse_session_end(&body) {
        Ok(end) => {
            gateway.metrics.session_end(end);
            HttpResponse::Ok().content_type("text/plain").body("OK")
        }
        Err(e) => refused(e),
    }
}
