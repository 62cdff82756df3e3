//! The outbox page: how many SMS wait and since when, and the dead letters with their reason
//! and a retry button (what `salama outbox list|retry` does).

use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::data;
use super::i18n::t;
use super::layout::{self, csrf, waited};
use super::{Role, acting, audit, see_other, signed};
use crate::engine::Gateway;

pub async fn page(req: HttpRequest, gateway: web::Data<Gateway>) -> HttpResponse {
    let who = match signed(&req, &gateway) {
        Ok(who) => who,
        Err(to_login) => return *to_login,
    };
    let lang = who.lang;
    let (backlog, dead) = match data::outbox(&gateway).await {
        Ok(found) => found,
        Err(e) => {
            gateway.metrics.store_error();
            tracing::error!(error = %e, "console: the store failed");
            return HttpResponse::ServiceUnavailable().body("store unavailable; try again");
        }
    };
    let now = gateway.clock.now_ms();
    let body = html! {
        @if req.query_string().contains("done=retried") { p.flash role="status" { (t(lang, "done-retried")) } }
        table id="backlog" {
            tr { th { (t(lang, "due-now")) } td { (backlog.due_now) } }
            tr { th { (t(lang, "pending")) } td { (backlog.pending) } }
            tr { th { (t(lang, "oldest-waiting")) } td {
                @match backlog.oldest_due_ms { Some(at) => (waited(now.saturating_sub(at) / 1000)), None => "—" }
            } }
        }
        h2 { (t(lang, "dead-letters")) " (" (dead.len()) ")" }
        @if dead.is_empty() { p { (t(lang, "no-dead-letters")) } } @else {
            table id="dead" {
                tr { th { "id" } th { (t(lang, "helpline")) } th { (t(lang, "attempts")) } th { (t(lang, "reason")) } th {} }
                @for l in &dead {
                    tr data-id=(l.id) {
                        td { code { (l.id) } br; span.note { (waited(now.saturating_sub(l.at_ms) / 1000)) } }
                        td { (l.helpline) " · " (l.provider) } td { (l.tries) } td { (l.error) }
                        td { @if who.role == Role::Supervisor {
                            form method="post" action="/console/outbox/retry" {
                                (csrf(&who)) input type="hidden" name="id" value=(l.id);
                                button type="submit" { (t(lang, "retry")) }
                            }
                        } }
                    }
                }
            }
        }
    };
    layout::page(&who, t(lang, "nav-outbox"), html! {}, body)
}

#[derive(Deserialize)]
pub struct RetryForm {
    #[serde(default)]
    csrf: String,
    id: String,
}

pub async fn retry(req: HttpRequest, form: web::Form<RetryForm>, gateway: web::Data<Gateway>) -> HttpResponse {
    let who = match acting(&req, &gateway, &form.csrf, Role::Supervisor) {
        Ok(who) => who,
        Err(refused) => return *refused,
    };
    // Ids go into a key: the outbox's own alphabet only.
    let plain = !form.id.is_empty() && form.id.len() <= 200;
    if !plain || !form.id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b)) {
        return HttpResponse::BadRequest().body("not a message id");
    }
    match data::retry(&gateway, &form.id).await {
        Ok(n) => {
            audit(&who.user, "retried a dead letter", &format!("{} ({n} queued)", form.id));
            see_other("/console/outbox?done=retried")
        }
        Err(e) => {
            gateway.metrics.store_error();
            tracing::error!(error = %e, "console: the store failed");
            HttpResponse::ServiceUnavailable().body("store unavailable; try again")
        }
    }
}
