//! The HTTP surface: routes, body limits, the access log, health and metrics.
//!
//! Every provider's webhooks go through the one handler in [`webhook`], which hands raw bodies
//! to `channels`: only they know the providers' field names. The routes are the public
//! interface aggregators are configured with; a provider's name is their last segment.

mod admin;
mod webhook;

use std::cell::Cell;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, LazyLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use actix_web::HttpMessage;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::middleware::{Next, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use tracing::{debug, info, warn};

use crate::channels::ChannelError;
use crate::config::HttpSettings;
use crate::engine::Gateway;

/// Largest SMS webhook body: Infobip batches up to 100 delivery reports in one request.
const SMS_MAX_BODY_BYTES: usize = 256 * 1024;

/// Adds Salama's routes to an actix app (used by `serve` and by the tests). Runs on each actix
/// worker's thread as it starts, which gets its own Redis connection there. A channel not in
/// `channels.enabled` has no routes at all (`Providers::webhooks`).
pub fn routes(gateway: Arc<Gateway>, max_body_bytes: usize) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        gateway.store.drive_here();
        // Each USSD provider's route by its own name, ahead of the pattern below: actix matches a
        // `{provider}` pattern with a regex on every request, 5% of a hop's CPU (issue 13).
        // The gateway through a count of this worker's own: `web::Data` clones the one `Arc` all
        // workers share on every request, and its count's cache line travels between the cores.
        let here = Rc::new(gateway.clone());
        for name in gateway.providers.iter().filter(|p| p.ussd().is_some()).map(|p| p.name().as_str()) {
            if gateway.providers.webhooks(name).is_some() {
                let here = here.clone();
                let hop = move |req: actix_web::HttpRequest, body: web::Bytes| {
                    let gateway = here.clone();
                    async move { webhook::ussd_at(name, req, body, &gateway).await }
                };
                cfg.route(&format!("/v1/ussd/{name}"), web::post().to(hop));
            }
        }
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
                    .route("/outbox", web::get().to(admin::outbox))
                    .route("/erase", web::post().to(admin::erase))
                    .route("/blocked", web::get().to(admin::blocked))
                    .route("/blocked", web::post().to(admin::block))
                    .route("/blocked/remove", web::post().to(admin::unblock))
                    .route("/report", web::get().to(admin::report)),
            )
            .configure(crate::console::routes)
            .route("/healthz", web::get().to(healthz))
            .route("/readyz", web::get().to(readyz))
            .route("/metrics", web::get().to(metrics));
    }
}

/// Runs the server until SIGTERM (graceful) or SIGINT, within `limits`: at most
/// `max_connections` open at once (more wait in the backlog), and every request answered or
/// cut off within `request_timeout_secs`, its body included.
pub async fn serve(
    gateway: Arc<Gateway>,
    bind: &str,
    max_body_bytes: usize,
    limits: &HttpSettings,
) -> std::io::Result<()> {
    let deadline = Duration::from_secs(limits.request_timeout_secs);
    let (threads, share) = limits.threads_and_share();
    let server = HttpServer::new(move || {
        App::new()
            .wrap(from_fn(move |req, next| edge(deadline, req, next)))
            .configure(routes(gateway.clone(), max_body_bytes))
    })
    .workers(threads)
    .max_connections(share)
    .client_request_timeout(Duration::from_secs(5))
    .client_disconnect_timeout(Duration::from_secs(1))
    .bind(bind)?;
    info!(bind, threads, max_connections = threads * share, "listening");
    server.run().await
}

/// Every request's way in and out: its body's deadline, then the access log. One middleware
/// rather than two, because each boxes every request's future once more (issue 13).
///
/// Answers 408 and closes the connection when a request's body has not all arrived within
/// `deadline` of its headers: a client trickling its body holds a connection no longer than that.
pub async fn edge(
    deadline: Duration,
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let started = tokio::time::Instant::now();
    let late = Rc::new(Cell::new(false));
    let body = Deadline { body: req.take_payload(), until: started + deadline, timer: None, late: late.clone() };
    req.set_payload(Payload::from(
        Box::pin(body) as Pin<Box<dyn futures_core::Stream<Item = Result<web::Bytes, PayloadError>>>>
    ));
    let response = next.call(req).await?;
    let response = if late.get() {
        let mut timeout = HttpResponse::RequestTimeout();
        timeout.force_close().content_type("text/plain");
        response.into_response(timeout.body("the request body did not arrive in time")).map_into_right_body()
    } else {
        response.map_into_left_body()
    };
    access_log(response.status().as_u16(), response.request(), started.elapsed());
    Ok(response)
}

/// A request body that fails once its deadline passes.
struct Deadline {
    body: Payload,
    until: tokio::time::Instant,
    /// Armed only when the body is not all there at once: a hop's body comes with its headers,
    /// and a timer armed and cleared on every request cost a hop 2% of its CPU (issue 13).
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    late: Rc<Cell<bool>>,
}

impl futures_core::Stream for Deadline {
    type Item = Result<web::Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Poll::Ready(next) = Pin::new(&mut this.body).poll_next(cx) {
            return Poll::Ready(next);
        }
        let timer = this.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(this.until)));
        if timer.as_mut().poll(cx).is_ready() {
            this.late.set(true);
            let late = std::io::Error::new(std::io::ErrorKind::TimedOut, "the body did not arrive in time");
            return Poll::Ready(Some(Err(PayloadError::Io(late))));
        }
        Poll::Pending
    }
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
    HttpResponse::Ok().content_type(crate::metrics::CONTENT_TYPE).body(gateway.metrics_text().await)
}

/// Requests are counted and one line a minute says how many, how many were refused (4xx) or
/// failed (5xx) and the slowest; each request gets a line of its own at debug level, and a failed
/// one at warn. A line per request cost a `write` per hop (issue 13). Never the query string (it
/// carries the callback token, and some providers put numbers there) and never the body.
fn access_log(status: u16, request: &actix_web::HttpRequest, took: Duration) {
    let (method, path, ms) = (request.method(), request.path(), took.as_millis() as u64);
    if status >= 500 {
        warn!(%method, path, status, ms, "request");
    } else {
        debug!(%method, path, status, ms, "request");
    }
    ACCESS.count(status, ms);
}

/// The access log's counts since its last line.
struct AccessCounts {
    requests: AtomicU64,
    refused: AtomicU64,
    failed: AtomicU64,
    slowest_ms: AtomicU64,
    /// Seconds after `EPOCH` when the current minute began.
    since: AtomicU64,
}

static ACCESS: AccessCounts = AccessCounts {
    requests: AtomicU64::new(0),
    refused: AtomicU64::new(0),
    failed: AtomicU64::new(0),
    slowest_ms: AtomicU64::new(0),
    since: AtomicU64::new(0),
};
static EPOCH: LazyLock<Instant> = LazyLock::new(Instant::now);
const ACCESS_LOG_SECS: u64 = 60;

impl AccessCounts {
    fn count(&self, status: u16, ms: u64) {
        self.requests.fetch_add(1, Relaxed);
        match status {
            400..=499 => self.refused.fetch_add(1, Relaxed),
            500.. => self.failed.fetch_add(1, Relaxed),
            _ => 0,
        };
        self.slowest_ms.fetch_max(ms, Relaxed);
        let (now, since) = (EPOCH.elapsed().as_secs(), self.since.load(Relaxed));
        // One request per minute wins the swap and writes the line.
        if now >= since + ACCESS_LOG_SECS && self.since.compare_exchange(since, now, Relaxed, Relaxed).is_ok() {
            let (requests, refused) = (self.requests.swap(0, Relaxed), self.refused.swap(0, Relaxed));
            let (failed, slowest_ms) = (self.failed.swap(0, Relaxed), self.slowest_ms.swap(0, Relaxed));
            info!(requests, refused, failed, slowest_ms, seconds = now - since, "requests");
        }
    }
}
