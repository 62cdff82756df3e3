//! The admin API: open cases (never a raw number), a case's timeline, who is on call,
//! acknowledge and close. A bearer token from `SALAMA__ADMIN__TOKEN`; without one the API is off.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;
use subtle::ConstantTimeEq;

use crate::engine::{AckResult, Gateway};
use crate::escalation::case::Case;
use crate::privacy::ExposeSecret;

/// `Some(refusal)` unless the request carries the admin token.
fn refused(req: &HttpRequest, gateway: &Gateway) -> Option<HttpResponse> {
    let Some(token) = &gateway.admin_token else {
        return Some(HttpResponse::NotFound().body("the admin API is off: set SALAMA__ADMIN__TOKEN"));
    };
    let given = req
        .headers()
        .get("Authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if bool::from(given.as_bytes().ct_eq(token.expose_secret().as_bytes())) {
        None
    } else {
        Some(
            HttpResponse::Unauthorized().insert_header(("WWW-Authenticate", "Bearer")).body("a bearer token is needed"),
        )
    }
}

/// What the API shows of a case: no number, no note.
fn summary(case: &Case) -> serde_json::Value {
    json!({
        "code": case.code,
        "helpline": case.helpline,
        "urgency": case.urgency.as_str(),
        "category": case.category,
        "locale": case.locale,
        "channel": case.channel,
        "state": case.state.as_str(),
        "assigned": case.assigned,
        "call_safe": case.call_safe.label(),
        "call_time": case.call_time,
        "sms_safe": case.sms_safe.label(),
        "created_ms": case.created_ms,
    })
}

fn failed(gateway: &Gateway, e: impl std::fmt::Display) -> HttpResponse {
    gateway.metrics.store_error();
    tracing::error!(error = %e, "admin API: the store failed");
    HttpResponse::ServiceUnavailable().body("store unavailable")
}

pub async fn cases(req: HttpRequest, gateway: web::Data<Gateway>) -> HttpResponse {
    if let Some(denied) = refused(&req, &gateway) {
        return denied;
    }
    match gateway.cases.all_open().await {
        Ok(open) => HttpResponse::Ok().json(json!({ "cases": open.iter().map(summary).collect::<Vec<_>>() })),
        Err(e) => failed(&gateway, e),
    }
}

pub async fn case(req: HttpRequest, code: web::Path<String>, gateway: web::Data<Gateway>) -> HttpResponse {
    if let Some(denied) = refused(&req, &gateway) {
        return denied;
    }
    let case = match gateway.cases.case_by_code(&code).await {
        Ok(Some(case)) => case,
        Ok(None) => return HttpResponse::NotFound().body(format!("no open case {code}")),
        Err(e) => return failed(&gateway, e),
    };
    match gateway.cases.timeline(&case).await {
        Ok(timeline) => HttpResponse::Ok().json(json!({ "case": summary(&case), "timeline": timeline })),
        Err(e) => failed(&gateway, e),
    }
}

pub async fn on_call(req: HttpRequest, gateway: web::Data<Gateway>) -> HttpResponse {
    if let Some(denied) = refused(&req, &gateway) {
        return denied;
    }
    let now = gateway.clock.now();
    let rota = gateway.cases.rota();
    let schedules: Vec<_> = (0..rota.schedules.len())
        .map(|i| {
            let s = &rota.schedules[i];
            let people: Vec<_> = rota
                .on_call(i, now)
                .iter()
                .map(|c| json!({"id": rota.counsellors[*c].id, "name": rota.counsellors[*c].name}))
                .collect();
            json!({"schedule": s.id, "helpline": s.helpline, "on_call": people})
        })
        .collect();
    HttpResponse::Ok().json(json!({ "schedules": schedules }))
}

#[derive(Deserialize)]
pub struct AckBody {
    counsellor: String,
}

pub async fn ack(
    req: HttpRequest,
    code: web::Path<String>,
    body: web::Json<AckBody>,
    gateway: web::Data<Gateway>,
) -> HttpResponse {
    if let Some(denied) = refused(&req, &gateway) {
        return denied;
    }
    if gateway.cases.rota().by_id(&body.counsellor).is_none() {
        return HttpResponse::BadRequest().body(format!("no counsellor {:?} in the rota", body.counsellor));
    }
    match gateway.cases.ack(&code, &body.counsellor).await {
        Ok(AckResult::Taken(case)) => HttpResponse::Ok().json(summary(&case)),
        Ok(AckResult::AlreadyTakenBy(name)) => HttpResponse::Conflict().body(format!("already taken by {name}")),
        Ok(AckResult::NoCase) => HttpResponse::NotFound().body(format!("no open case {code}")),
        Err(e) => failed(&gateway, e),
    }
}

#[derive(Deserialize)]
pub struct CloseBody {
    #[serde(default)]
    outcome: String,
    by: String,
}

pub async fn close(
    req: HttpRequest,
    code: web::Path<String>,
    body: web::Json<CloseBody>,
    gateway: web::Data<Gateway>,
) -> HttpResponse {
    if let Some(denied) = refused(&req, &gateway) {
        return denied;
    }
    match gateway.cases.case_by_code(&code).await {
        Ok(Some(case)) => match gateway.cases.close(&case, &body.by, &body.outcome).await {
            Ok(true) => HttpResponse::Ok().json(json!({"code": case.code, "state": "closed"})),
            Ok(false) => HttpResponse::Conflict().body("the case changed meanwhile; read it again"),
            Err(e) => failed(&gateway, e),
        },
        Ok(None) => HttpResponse::NotFound().body(format!("no open case {code}")),
        Err(e) => failed(&gateway, e),
    }
}

#[derive(Deserialize)]
pub struct NumberBody {
    number: String,
}

fn number_of(body: &NumberBody) -> Result<crate::phone::E164, Box<HttpResponse>> {
    crate::phone::E164::parse(&body.number, None)
        .map_err(|e| Box::new(HttpResponse::BadRequest().body(format!("number: {e}"))))
}

/// Erases everything kept for a number (what the survivor's erase keyword does).
pub async fn erase(req: HttpRequest, body: web::Json<NumberBody>, gateway: web::Data<Gateway>) -> HttpResponse {
    if let Some(denied) = refused(&req, &gateway) {
        return denied;
    }
    let number = match number_of(&body) {
        Ok(n) => n,
        Err(bad) => return *bad,
    };
    match gateway.erase(&number).await {
        Ok(records) => HttpResponse::Ok().json(json!({ "erased": records })),
        Err(e) => failed(&gateway, e),
    }
}

/// The outbox: what waits to be sent and the newest dead letters with their reason (no number,
/// no text: they stay sealed). What `salama outbox list` shows, also for the embedded store.
pub async fn outbox(req: HttpRequest, gateway: web::Data<Gateway>) -> HttpResponse {
    if let Some(denied) = refused(&req, &gateway) {
        return denied;
    }
    let found = match gateway.outbox.backlog().await {
        Ok(backlog) => gateway.outbox.dead_letters(100).await.map(|dead| (backlog, dead)),
        Err(e) => Err(e),
    };
    match found {
        Ok((backlog, dead)) => HttpResponse::Ok().json(json!({
            "store": gateway.store.kind(),
            "due_now": backlog.due_now,
            "pending": backlog.pending,
            "oldest_due_ms": backlog.oldest_due_ms,
            "dead": backlog.dead,
            "dead_letters": dead.iter().map(|l| json!({
                "id": l.id, "helpline": l.helpline, "provider": l.provider,
                "attempts": l.tries, "error": l.error, "at_ms": l.at_ms,
            })).collect::<Vec<_>>(),
        })),
        Err(e) => failed(&gateway, e),
    }
}

/// The block list, by pseudonym (the numbers themselves are not kept).
pub async fn blocked(req: HttpRequest, gateway: web::Data<Gateway>) -> HttpResponse {
    if let Some(denied) = refused(&req, &gateway) {
        return denied;
    }
    match gateway.records.blocked().await {
        Ok(list) => HttpResponse::Ok().json(json!({ "blocked": list })),
        Err(e) => failed(&gateway, e),
    }
}

pub async fn block(req: HttpRequest, body: web::Json<NumberBody>, gateway: web::Data<Gateway>) -> HttpResponse {
    set_blocked(req, body, gateway, true).await
}

pub async fn unblock(req: HttpRequest, body: web::Json<NumberBody>, gateway: web::Data<Gateway>) -> HttpResponse {
    set_blocked(req, body, gateway, false).await
}

async fn set_blocked(
    req: HttpRequest,
    body: web::Json<NumberBody>,
    gateway: web::Data<Gateway>,
    on: bool,
) -> HttpResponse {
    if let Some(denied) = refused(&req, &gateway) {
        return denied;
    }
    let number = match number_of(&body) {
        Ok(n) => n,
        Err(bad) => return *bad,
    };
    match gateway.records.set_blocked(&number, on).await {
        Ok(pseudonym) => HttpResponse::Ok().json(json!({ "pseudonym": pseudonym, "blocked": on })),
        Err(e) => failed(&gateway, e),
    }
}

/// Counts of cases whose survivors agreed to anonymous use.
pub async fn report(req: HttpRequest, gateway: web::Data<Gateway>) -> HttpResponse {
    if let Some(denied) = refused(&req, &gateway) {
        return denied;
    }
    match gateway.cases.report().await {
        Ok(counts) => {
            let rows: Vec<_> = counts
                .into_iter()
                .map(|((helpline, urgency, category, state), cases)| {
                    json!({"helpline": helpline, "urgency": urgency, "category": category, "state": state, "cases": cases})
                })
                .collect();
            HttpResponse::Ok().json(json!({ "report": rows }))
        }
        Err(e) => failed(&gateway, e),
    }
}
