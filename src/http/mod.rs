//! The HTTP surface: routes, body limits, the access log, health and metrics.
//!
//! Handlers hand raw bodies to `channels`, which alone know the providers' field names.

use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::{Next, from_fn};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use tracing::info;

use crate::channels::{ChannelError, africastalking, token_matches};
use crate::engine::Gateway;

/// Adds Salama's routes to an actix app (used by `serve` and by the tests).
pub fn routes(gateway: Arc<Gateway>, max_body_bytes: usize) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(web::Data::from(gateway))
            .app_data(web::PayloadConfig::new(max_body_bytes))
            .route("/v1/ussd/africastalking", web::post().to(ussd_africastalking))
            .route("/v1/ussd/africastalking/events", web::post().to(ussd_africastalking_events))
            .route("/healthz", web::get().to(healthz))
            .route("/readyz", web::get().to(readyz))
            .route("/metrics", web::get().to(metrics));
    }
}

/// Runs the server until SIGTERM (graceful) or SIGINT.
pub async fn serve(gateway: Arc<Gateway>, bind: &str, max_body_bytes: usize) -> std::io::Result<()> {
    let server = HttpServer::new(move || {
        App::new().wrap(from_fn(access_log)).configure(routes(gateway.clone(), max_body_bytes))
    })
    .bind(bind)?;
    info!(bind, "listening");
    server.run().await
}

async fn ussd_africastalking(req: HttpRequest, body: web::Bytes, gateway: web::Data<Gateway>) -> HttpResponse {
    if !token_matches(gateway.africastalking_token.as_deref(), req.query_string()) {
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

async fn ussd_africastalking_events(req: HttpRequest, body: web::Bytes, gateway: web::Data<Gateway>) -> HttpResponse {
    if !token_matches(gateway.africastalking_token.as_deref(), req.query_string()) {
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

fn refused(error: ChannelError) -> HttpResponse {
    let mut response = match error {
        ChannelError::Forbidden => HttpResponse::Forbidden(),
        ChannelError::Malformed(_) => HttpResponse::BadRequest(),
    };
    info!(reason = %error, "webhook refused");
    response.content_type("text/plain").body(error.to_string())
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// Ready when the store answers; flows are compiled before the server starts at all.
async fn readyz(gateway: web::Data<Gateway>) -> HttpResponse {
    let helplines = gateway.helplines.len();
    match gateway.store.ping().await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({"store": gateway.store.kind(), "helplines": helplines, "ready": true})),
        Err(e) => HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({"store": gateway.store.kind(), "helplines": helplines, "ready": false, "error": e.to_string()})),
    }
}

async fn metrics(gateway: web::Data<Gateway>) -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(gateway.metrics.render())
}

/// One line per request: method, path, status, time. Never the query string (it carries the
/// callback token, and some providers put numbers there) and never the body.
pub async fn access_log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let response = next.call(req).await?;
    info!(method, path, status = response.status().as_u16(), ms = started.elapsed().as_millis() as u64, "request");
    Ok(response)
}
