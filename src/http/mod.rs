//! The HTTP surface: routes, body limits, the access log, health and metrics.
//!
//! Every provider's webhooks go through the one handler in [`webhook`], which hands raw bodies
//! to `channels`: only they know the providers' field names. The routes are the public
//! interface aggregators are configured with; a provider's name is their last segment.

mod admin;
mod webhook;

use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::{Next, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use tracing::info;

use crate::channels::ChannelError;
use crate::engine::Gateway;

/// Largest SMS webhook body: Infobip batches up to 100 delivery reports in one request.
const SMS_MAX_BODY_BYTES: usize = 256 * 1024;

/// Adds Salama's routes to an actix app (used by `serve` and by the tests).
pub fn routes(gateway: Arc<Gateway>, max_body_bytes: usize) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(web::Data::from(gateway))
            .app_data(web::PayloadConfig::new(max_body_bytes))
            // `/v1/ussd/africastalking`, `/v1/sms/twilio/status`...: a name no provider with
            // webhooks has, or another provider's delivery path, is a 404.
            .route("/v1/ussd/{provider}", web::post().to(webhook::ussd))
            .route("/v1/ussd/{provider}/events", web::post().to(webhook::ussd_event))
            .service(
                web::scope("/v1/sms")
                    .app_data(web::PayloadConfig::new(SMS_MAX_BODY_BYTES))
                    .route("/{provider}", web::post().to(webhook::sms))
                    .route("/{provider}/{hook}", web::post().to(webhook::delivery)),
            )
            .service(
                web::scope("/v1/admin")
                    .app_data(web::JsonConfig::default().limit(16 * 1024))
                    .route("/cases", web::get().to(admin::cases))
                    .route("/cases/{code}", web::get().to(admin::case))
                    .route("/cases/{code}/ack", web::post().to(admin::ack))
                    .route("/cases/{code}/close", web::post().to(admin::close))
                    .route("/oncall", web::get().to(admin::on_call))
                    .route("/erase", web::post().to(admin::erase))
                    .route("/blocked", web::get().to(admin::blocked))
                    .route("/blocked", web::post().to(admin::block))
                    .route("/blocked/remove", web::post().to(admin::unblock))
                    .route("/report", web::get().to(admin::report)),
            )
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

pub(crate) fn refused(error: ChannelError) -> HttpResponse {
    let mut response = match error {
        ChannelError::Forbidden => HttpResponse::Forbidden(),
        ChannelError::Malformed(_) => HttpResponse::BadRequest(),
    };
    // A parser's message can quote the field it choked on, a number among them.
    info!(reason = %crate::privacy::redact_numbers(&error.to_string()), "webhook refused");
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
