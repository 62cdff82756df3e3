//! Every read and write the console makes of cases, the outbox, the rota, reports and erasure,
//! in one place, each through its service (`gateway.cases`, `gateway.outbox`,
//! `gateway.records`): the pages never touch the store.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use crate::engine::{Gateway, Reply};
use crate::escalation::case::{Answer, Case, State};
use crate::flow::Urgency;
use crate::phone::E164;
use crate::store::{Backlog, DeadLetter, StoreError};

pub use crate::cases::Outcome;

/// A case as the board shows it: never her number or her note.
#[derive(Debug, Clone)]
pub struct CaseRow {
    pub code: String,
    pub helpline: String,
    pub channel: String,
    pub locale: String,
    pub category: String,
    pub urgency: Urgency,
    pub state: State,
    pub waiting_secs: u64,
    /// Counsellor ids paged last, and when (from the audit trail).
    pub paged: Vec<String>,
    pub paged_at: Option<String>,
    /// Who acknowledged it (empty: nobody yet).
    pub assigned: String,
    /// Yes, no, or not asked (a case opened before she was asked).
    pub call_safe: Answer,
    pub call_time: String,
    pub sms_safe: Answer,
}

fn row(case: &Case, timeline: &[String], now: u64) -> CaseRow {
    let paged_at = timeline
        .iter()
        .rev()
        .find(|l| l.split_once(' ').is_some_and(|(_, e)| e.starts_with("paged") || e.contains("supervisors paged")))
        .and_then(|l| l.split_once(' ').map(|(t, _)| t.to_owned()));
    CaseRow {
        code: case.code.clone(),
        helpline: case.helpline.clone(),
        channel: case.channel.clone(),
        locale: case.locale.clone(),
        category: case.category.clone(),
        urgency: case.urgency,
        state: case.state,
        waiting_secs: now.saturating_sub(case.created_ms) / 1000,
        paged: case.paged.clone(),
        paged_at,
        assigned: case.assigned.clone(),
        call_safe: case.call_safe,
        call_time: case.call_time.clone(),
        sms_safe: case.sms_safe,
    }
}

/// Open cases, most urgent first, then the longest waiting.
pub async fn open_cases(gateway: &Gateway) -> Result<Vec<CaseRow>, StoreError> {
    let now = gateway.clock.now_ms();
    let mut rows = Vec::new();
    for case in gateway.cases.all_open().await? {
        let timeline = gateway.cases.timeline(&case).await?;
        rows.push(row(&case, &timeline, now));
    }
    rows.sort_by(|a, b| b.urgency.cmp(&a.urgency).then(b.waiting_secs.cmp(&a.waiting_secs)));
    Ok(rows)
}

/// What changes the board: which cases are open, and their versions.
pub async fn board_fingerprint(gateway: &Gateway) -> Result<String, StoreError> {
    gateway.cases.fingerprint().await
}

/// A code as typed, upper-cased; anything that is not a code finds nothing (it goes into a key).
fn code_of(code: &str) -> Option<String> {
    let code = code.to_uppercase();
    crate::escalation::commands::is_code(&code).then_some(code)
}

/// An open case by its code.
async fn find(gateway: &Gateway, code: &str) -> Result<Option<Case>, StoreError> {
    match code_of(code) {
        Some(code) => gateway.cases.case_by_code(&code).await,
        None => Ok(None),
    }
}

/// An open case and its audit trail.
pub async fn case(gateway: &Gateway, code: &str) -> Result<Option<(CaseRow, Vec<String>)>, StoreError> {
    let Some(case) = find(gateway, code).await? else { return Ok(None) };
    let timeline = gateway.cases.timeline(&case).await?;
    Ok(Some((row(&case, &timeline, gateway.clock.now_ms()), timeline)))
}

/// Gives a case to another counsellor of the rota.
pub async fn reassign(gateway: &Gateway, code: &str, counsellor: &str, by: &str) -> Result<Outcome, StoreError> {
    if gateway.cases.rota().by_id(counsellor).is_none() {
        return Ok(Outcome::NoCounsellor);
    }
    let Some(code) = code_of(code) else { return Ok(Outcome::NoCase) };
    gateway.cases.reassign(&code, counsellor, by).await
}

/// Pages the case's next level now instead of waiting for its timer (a held case goes back
/// to paging).
pub async fn repage(gateway: &Gateway, code: &str, by: &str) -> Result<Outcome, StoreError> {
    let Some(code) = code_of(code) else { return Ok(Outcome::NoCase) };
    gateway.cases.repage(&code, by).await
}

pub async fn close(gateway: &Gateway, code: &str, outcome: &str, by: &str) -> Result<Outcome, StoreError> {
    let Some(case) = find(gateway, code).await? else { return Ok(Outcome::NoCase) };
    let closed = gateway.cases.close(&case, &format!("{by} (console)"), outcome).await?;
    Ok(if closed { Outcome::Done } else { Outcome::Changed })
}

/// Her number, opened for a supervisor; the case's trail records who saw it and when.
pub async fn reveal(gateway: &Gateway, code: &str, by: &str) -> Result<Option<String>, StoreError> {
    let Some(code) = code_of(code) else { return Ok(None) };
    gateway.cases.reveal(&code, by).await
}

/// Counsellors a case can go to: (id, name).
pub fn counsellors(gateway: &Gateway, helpline: &str) -> Vec<(String, String)> {
    gateway
        .cases
        .rota()
        .counsellors
        .iter()
        .filter(|c| c.helplines.iter().any(|h| h == helpline))
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect()
}

/// One stretch of a schedule with the same people on call.
#[derive(Debug, Clone)]
pub struct Stretch {
    pub start: DateTime<chrono_tz::Tz>,
    pub end: DateTime<chrono_tz::Tz>,
    pub names: Vec<String>,
    /// Nobody with a valid phone is on call.
    pub gap: bool,
}

#[derive(Debug, Clone)]
pub struct ScheduleView {
    pub id: String,
    pub helpline: String,
    pub now: Vec<String>,
    pub week: Vec<Stretch>,
    pub overrides: Vec<Stretch>,
}

/// The rota: who is on call now, the next `days` hour by hour, the overrides, and what
/// `salama rota gaps` reports.
pub fn rota(
    gateway: &Gateway,
    now: DateTime<Utc>,
    days: u32,
) -> (Vec<ScheduleView>, Vec<crate::escalation::rota::Gap>, Vec<String>) {
    let rota = gateway.cases.rota();
    let name = |c: &usize| {
        let c = &rota.counsellors[*c];
        if c.phone.is_some() { c.name.clone() } else { format!("{} (!)", c.name) }
    };
    let mut views = Vec::new();
    for (i, s) in rota.schedules.iter().enumerate() {
        let mut week: Vec<Stretch> = Vec::new();
        let first = now - Duration::seconds(now.timestamp().rem_euclid(3600));
        for h in 0..i64::from(days) * 24 {
            let at = first + Duration::hours(h);
            let on = rota.on_call(i, at);
            let names: Vec<String> = on.iter().map(name).collect();
            let gap = !on.iter().any(|c| rota.counsellors[*c].phone.is_some());
            let end = (at + Duration::hours(1)).with_timezone(&s.tz);
            match week.last_mut() {
                Some(last) if last.names == names && last.gap == gap => last.end = end,
                _ => week.push(Stretch { start: at.with_timezone(&s.tz), end, names, gap }),
            }
        }
        let overrides = rota
            .overrides(i)
            .into_iter()
            .filter(|(_, end, _)| *end > now)
            .map(|(start, end, c)| Stretch {
                start: start.with_timezone(&s.tz),
                end: end.with_timezone(&s.tz),
                names: vec![name(&c)],
                gap: rota.counsellors[c].phone.is_none(),
            })
            .collect();
        views.push(ScheduleView {
            id: s.id.clone(),
            helpline: s.helpline.clone(),
            now: rota.on_call(i, now).iter().map(name).collect(),
            week,
            overrides,
        });
    }
    let no_phone = rota.counsellors.iter().filter(|c| c.phone.is_none()).map(|c| c.id.clone()).collect();
    (views, rota.gaps(now, days), no_phone)
}

pub async fn outbox(gateway: &Gateway) -> Result<(Backlog, Vec<DeadLetter>), StoreError> {
    Ok((gateway.outbox.backlog().await?, gateway.outbox.dead_letters(100).await?))
}

/// Queues a dead letter again; returns how many were.
pub async fn retry(gateway: &Gateway, id: &str) -> Result<usize, StoreError> {
    gateway.outbox.revive(Some(id)).await
}

/// (ISO week, helpline, category, urgency) -> cases whose survivors agreed to anonymous use.
pub type ReportKey = (String, String, String, String);

pub async fn report(gateway: &Gateway) -> Result<BTreeMap<ReportKey, usize>, StoreError> {
    let mut counts = BTreeMap::new();
    for case in gateway.cases.consented().await? {
        let week = DateTime::from_timestamp_millis(case.created_ms as i64)
            .map(|t| t.format("%G-W%V").to_string())
            .unwrap_or_default();
        *counts.entry((week, case.helpline, case.category, case.urgency.as_str().to_owned())).or_default() += 1;
    }
    Ok(counts)
}

/// Erases everything kept for a number; returns how many records went.
pub async fn erase(gateway: &Gateway, number: &E164) -> Result<usize, StoreError> {
    gateway.erase(number).await
}

/// One simulated USSD request, through the engine, from a test number.
pub async fn simulate_ussd(gateway: &Gateway, code: &str, number: &E164, session: &str, text: &str) -> Reply {
    let hop = crate::channels::UssdHop {
        provider: "simulator",
        session_id: session.to_owned(),
        service_code: code.to_owned(),
        number: number.clone(),
        text: text.to_owned(),
    };
    gateway.ussd(&hop).await
}

/// One simulated SMS to a helpline's number, answered inline (never through the outbox).
pub async fn simulate_sms(
    gateway: &Gateway,
    to: &str,
    number: &E164,
    text: &str,
) -> Result<Option<String>, StoreError> {
    let message = crate::channels::SmsIn {
        provider: crate::channels::registry::DEFAULT,
        provider_id: format!("sim-{}", super::sessions::token()),
        from: number.clone(),
        to: to.to_owned(),
        text: text.to_owned(),
    };
    Ok(match gateway.sms(&message, true).await? {
        crate::engine::SmsOutcome::Handled { reply, .. } => reply,
        _ => None,
    })
}
