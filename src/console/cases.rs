//! The case board (open cases by urgency and waiting time, reloaded when it changes), a case's
//! page with its trail, and the actions: reassign, re-page, close, reveal her number.

use std::time::Duration;

use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::data::{self, CaseRow, Outcome};
use super::i18n::{Lang, t};
use super::layout::{csrf, page, waited};
use super::{Role, Signed, acting, audit, see_other, signed};
use crate::engine::Gateway;
use crate::escalation::case::Answer;

/// Reloads the board when the server says it changed; without EventSource, every 3 s.
const LIVE_JS: &str = "(function(){var b=document.getElementById('board');if(!b)return;\
if(!window.EventSource){setTimeout(function(){location.reload()},3000);return}\
var s=new EventSource('/console/cases/events?since='+b.getAttribute('data-print'));\
s.onmessage=function(){s.close();location.reload()}})();";

pub async fn live_js() -> HttpResponse {
    HttpResponse::Ok().content_type("text/javascript").insert_header(("Cache-Control", "max-age=3600")).body(LIVE_JS)
}

fn failed(gateway: &Gateway, e: impl std::fmt::Display) -> HttpResponse {
    gateway.metrics.store_error();
    tracing::error!(error = %e, "console: the store failed");
    HttpResponse::ServiceUnavailable().content_type("text/plain").body("store unavailable; try again")
}

#[derive(Deserialize)]
pub struct Flash {
    done: Option<String>,
}

pub async fn board(req: HttpRequest, flash: web::Query<Flash>, gateway: web::Data<Gateway>) -> HttpResponse {
    let who = match signed(&req, &gateway) {
        Ok(who) => who,
        Err(to_login) => return *to_login,
    };
    let (rows, print) = match (data::open_cases(&gateway).await, data::board_fingerprint(&gateway).await) {
        (Ok(rows), Ok(print)) => (rows, print),
        (Err(e), _) | (_, Err(e)) => return failed(&gateway, e),
    };
    let lang = who.lang;
    let head = html! {
        script src="/console/live.js" defer {}
        noscript { meta http-equiv="refresh" content="5"; }
    };
    let body = html! {
        (flash_line(lang, flash.done.as_deref()))
        div id="board" data-print=(print) {
            @if rows.is_empty() { p { (t(lang, "no-open-cases")) } } @else { (table(lang, &rows)) }
        }
        p.note { (t(lang, "board-live")) }
    };
    page(&who, t(lang, "nav-cases"), head, body)
}

fn flash_line(lang: Lang, done: Option<&str>) -> Markup {
    let key = match done {
        Some("closed") => "done-closed",
        Some("repaged") => "done-repaged",
        Some("reassigned") => "done-reassigned",
        Some("retried") => "done-retried",
        _ => return html! {},
    };
    html! { p.flash role="status" { (t(lang, key)) } }
}

fn table(lang: Lang, rows: &[CaseRow]) -> Markup {
    html! {
        table {
            tr {
                th { (t(lang, "urgency")) } th { (t(lang, "code")) } th { (t(lang, "waiting")) }
                th { (t(lang, "helpline")) " · " (t(lang, "channel")) " · " (t(lang, "language")) }
                th { (t(lang, "state")) } th { (t(lang, "paged")) } th { (t(lang, "acknowledged-by")) }
            }
            @for r in rows {
                tr class=(r.urgency.as_str()) data-code=(r.code) {
                    td { strong { (t(lang, r.urgency.as_str())) } }
                    td { a href={ "/console/cases/" (r.code) } { (r.code) } }
                    td { (waited(r.waiting_secs)) }
                    td { (r.helpline) " · " (r.channel) " · " (r.locale) }
                    td { (t(lang, r.state.as_str())) }
                    td { (r.paged.join(", ")) @if let Some(at) = &r.paged_at { br; span.note { (at) } } }
                    td { @if r.assigned.is_empty() { "—" } @else { (r.assigned) } }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct Since {
    #[serde(default)]
    since: String,
}

/// Server-sent events: one `change` as soon as the open cases differ from `since` (checked
/// twice a second), a comment every 15 s to keep the connection, and an end after 10 minutes
/// (the browser reconnects).
pub async fn events(req: HttpRequest, since: web::Query<Since>, gateway: web::Data<Gateway>) -> HttpResponse {
    if let Err(to_login) = signed(&req, &gateway) {
        return *to_login;
    }
    let start = (gateway, since.into_inner().since, 0u32, false);
    let stream = futures_util::stream::unfold(start, |(gateway, since, mut ticks, done)| async move {
        if done || ticks > 1200 {
            return None;
        }
        loop {
            if ticks > 0 {
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            ticks += 1;
            if data::board_fingerprint(&gateway).await.is_ok_and(|print| print != since) {
                let event = Bytes::from_static(b"retry: 2000\ndata: change\n\n");
                return Some((Ok::<_, actix_web::Error>(event), (gateway, since, ticks, true)));
            }
            if ticks % 30 == 0 || ticks > 1200 {
                return Some((Ok(Bytes::from_static(b": ping\n\n")), (gateway, since, ticks, false)));
            }
        }
    });
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(stream)
}

pub async fn detail(
    req: HttpRequest,
    code: web::Path<String>,
    flash: web::Query<Flash>,
    gateway: web::Data<Gateway>,
) -> HttpResponse {
    let who = match signed(&req, &gateway) {
        Ok(who) => who,
        Err(to_login) => return *to_login,
    };
    case_page(&who, &gateway, &code, flash.done.as_deref(), None).await
}

async fn case_page(
    who: &Signed,
    gateway: &Gateway,
    code: &str,
    done: Option<&str>,
    number: Option<&str>,
) -> HttpResponse {
    let lang = who.lang;
    let (row, timeline) = match data::case(gateway, code).await {
        Ok(Some(found)) => found,
        Ok(None) => return HttpResponse::NotFound().content_type("text/plain").body(t(lang, "no-such-case")),
        Err(e) => return failed(gateway, e),
    };
    let yes_no = |a: Answer| {
        t(
            lang,
            match a {
                Answer::Yes => "yes",
                Answer::No => "no",
                Answer::NotAsked => "not-asked",
            },
        )
    };
    let body = html! {
        (flash_line(lang, done))
        p { a href="/console/cases" { "← " (t(lang, "nav-cases")) } }
        table {
            tr { th { (t(lang, "urgency")) } td class=(row.urgency.as_str()) { (t(lang, row.urgency.as_str())) " · " (row.category) } }
            tr { th { (t(lang, "state")) } td { (t(lang, row.state.as_str())) } }
            tr { th { (t(lang, "waiting")) } td { (waited(row.waiting_secs)) } }
            tr { th { (t(lang, "helpline")) } td { (row.helpline) " · " (row.channel) " · " (row.locale) } }
            tr { th { (t(lang, "paged")) } td { (row.paged.join(", ")) } }
            tr { th { (t(lang, "acknowledged-by")) } td { @if row.assigned.is_empty() { "—" } @else { (row.assigned) } } }
            tr { th { (t(lang, "call-safe")) } td { (yes_no(row.call_safe)) " " (row.call_time) } }
            tr { th { (t(lang, "sms-safe")) } td { (yes_no(row.sms_safe)) } }
            tr { th { (t(lang, "number")) } td id="number" {
                @if let Some(n) = number { strong { (n) } br; span.note { (t(lang, "reveal-logged")) } } @else { "••••••" }
            } }
        }
        @if who.role == Role::Supervisor { (actions(who, gateway, &row)) } @else { p.note { (t(lang, "viewer-note")) } }
        h2 { (t(lang, "timeline")) }
        ol id="timeline" { @for line in &timeline { li { (line) } } }
    };
    let mut response = page(who, &format!("{} {}", t(lang, "case"), row.code), html! {}, body);
    response
        .headers_mut()
        .insert(actix_web::http::header::CACHE_CONTROL, actix_web::http::header::HeaderValue::from_static("no-store"));
    response
}

fn actions(who: &Signed, gateway: &Gateway, row: &CaseRow) -> Markup {
    let lang = who.lang;
    let to = |action: &str| format!("/console/cases/{}/{action}", row.code);
    html! {
        h2 { (t(lang, "actions")) }
        form method="post" action=(to("reassign")) {
            (csrf(who))
            select name="counsellor" aria-label=(t(lang, "reassign-to")) {
                @for (id, name) in data::counsellors(gateway, &row.helpline) { option value=(id) { (name) } }
            }
            " " button type="submit" { (t(lang, "reassign")) }
        }
        form method="post" action=(to("repage")) { (csrf(who)) button type="submit" { (t(lang, "repage")) } }
        form method="post" action=(to("close")) {
            (csrf(who))
            input name="outcome" placeholder=(t(lang, "outcome")) maxlength="200";
            " " button type="submit" { (t(lang, "close")) }
        }
        form method="post" action=(to("reveal")) {
            (csrf(who))
            @if row.call_safe != Answer::Yes { p.note { (t(lang, "reveal-unsafe")) } }
            button type="submit" { (t(lang, "reveal")) }
        }
    }
}

#[derive(Deserialize)]
pub struct ActForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    counsellor: String,
    #[serde(default)]
    outcome: String,
}

pub async fn act(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<ActForm>,
    gateway: web::Data<Gateway>,
) -> HttpResponse {
    let who = match acting(&req, &gateway, &form.csrf, Role::Supervisor) {
        Ok(who) => who,
        Err(refused) => return *refused,
    };
    let (code, action) = path.into_inner();
    let by = who.user.as_str();
    let result = match action.as_str() {
        "reveal" => {
            return match data::reveal(&gateway, &code, by).await {
                Ok(number) => {
                    audit(by, "revealed her number", &code);
                    let shown = number.unwrap_or_else(|| t(who.lang, "no-number").to_owned());
                    case_page(&who, &gateway, &code, None, Some(&shown)).await
                }
                Err(e) => failed(&gateway, e),
            };
        }
        "reassign" => data::reassign(&gateway, &code, &form.counsellor, by).await,
        "repage" => data::repage(&gateway, &code, by).await,
        "close" => data::close(&gateway, &code, form.outcome.trim(), by).await,
        _ => return HttpResponse::NotFound().finish(),
    };
    match result {
        Ok(Outcome::Done) => {
            audit(by, &action, &code);
            match action.as_str() {
                "close" => see_other("/console/cases?done=closed"),
                "repage" => see_other(&format!("/console/cases/{code}?done=repaged")),
                _ => see_other(&format!("/console/cases/{code}?done=reassigned")),
            }
        }
        Ok(Outcome::NoCase) => HttpResponse::NotFound().content_type("text/plain").body(t(who.lang, "no-such-case")),
        Ok(Outcome::NoCounsellor) => {
            HttpResponse::BadRequest().content_type("text/plain").body(t(who.lang, "no-counsellor"))
        }
        Ok(Outcome::Changed) => HttpResponse::Conflict().content_type("text/plain").body(t(who.lang, "case-changed")),
        Err(e) => failed(&gateway, e),
    }
}
