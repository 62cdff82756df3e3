//! Reports: cases whose survivors agreed to anonymous use, by week, helpline, category and
//! urgency. A count under `console.report_min_cell` is shown as "<N", here and in the CSV: a
//! small count in a small place can name her.

use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;

use super::data;
use super::i18n::t;
use super::layout;
use super::{audit, signed};
use crate::engine::Gateway;

/// A count as shown: itself, or `<min` when it is under the threshold.
pub fn cell(count: usize, min: usize) -> String {
    if count < min { format!("<{min}") } else { count.to_string() }
}

pub async fn page(req: HttpRequest, gateway: web::Data<Gateway>) -> HttpResponse {
    let who = match signed(&req, &gateway) {
        Ok(who) => who,
        Err(to_login) => return *to_login,
    };
    let lang = who.lang;
    let min = gateway.console.settings.report_min_cell;
    let rows = match data::report(&gateway).await {
        Ok(rows) => rows,
        Err(e) => {
            gateway.metrics.store_error();
            tracing::error!(error = %e, "console: the store failed");
            return HttpResponse::ServiceUnavailable().body("store unavailable; try again");
        }
    };
    let body = html! {
        p { a href="/console/reports.csv" download="salama-report.csv" { (t(lang, "csv")) } }
        p.note { (t(lang, "report-note")) " " (min) }
        @if rows.is_empty() { p { (t(lang, "no-report")) } } @else {
            table id="report" {
                tr { th { (t(lang, "week")) } th { (t(lang, "helpline")) } th { (t(lang, "category")) } th { (t(lang, "urgency")) } th { (t(lang, "cases")) } }
                @for ((week, helpline, category, urgency), n) in &rows {
                    tr { td { (week) } td { (helpline) } td { (category) } td { (t(lang, urgency)) } td { (cell(*n, min)) } }
                }
            }
        }
    };
    layout::page(&who, t(lang, "nav-reports"), html! {}, body)
}

pub async fn csv(req: HttpRequest, gateway: web::Data<Gateway>) -> HttpResponse {
    let who = match signed(&req, &gateway) {
        Ok(who) => who,
        Err(to_login) => return *to_login,
    };
    let min = gateway.console.settings.report_min_cell;
    match data::report(&gateway).await {
        Ok(rows) => {
            audit(&who.user, "exported the report", "");
            let mut text = String::from("week,helpline,category,urgency,cases\n");
            for ((week, helpline, category, urgency), n) in rows {
                text.push_str(&format!("{week},{helpline},{category},{urgency},{}\n", cell(n, min)));
            }
            HttpResponse::Ok()
                .content_type("text/csv; charset=utf-8")
                .insert_header(("Content-Disposition", "attachment; filename=\"salama-report.csv\""))
                .insert_header(("Cache-Control", "no-store"))
                .body(text)
        }
        Err(e) => {
            gateway.metrics.store_error();
            tracing::error!(error = %e, "console: the store failed");
            HttpResponse::ServiceUnavailable().body("store unavailable; try again")
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn small_counts_are_suppressed() {
        assert_eq!(super::cell(4, 5), "<5");
        assert_eq!(super::cell(5, 5), "5");
        assert_eq!(super::cell(0, 1), "<1");
    }
}
