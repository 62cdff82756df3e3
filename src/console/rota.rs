//! The rota page: who is on call now per schedule, the next seven days with the hours nobody
//! covers highlighted, the overrides in force, and what `salama rota gaps` reports.

use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;

use super::data;
use super::i18n::t;
use super::layout;
use super::signed;
use crate::engine::Gateway;

const DAYS: u32 = 7;

pub async fn page(req: HttpRequest, gateway: web::Data<Gateway>) -> HttpResponse {
    let who = match signed(&req, &gateway) {
        Ok(who) => who,
        Err(to_login) => return *to_login,
    };
    let lang = who.lang;
    let (schedules, gaps, no_phone) = data::rota(&gateway, chrono::Utc::now(), DAYS);
    let when = |t: &chrono::DateTime<chrono_tz::Tz>| t.format("%a %d %b %H:%M").to_string();
    let body = html! {
        h2 { (t(lang, "rota-checks")) }
        @if gaps.is_empty() && no_phone.is_empty() { p.flash { (t(lang, "no-gaps")) } }
        ul id="gaps" {
            @for g in &gaps {
                li.gap { (g.schedule) ": " (t(lang, "nobody-on-call")) " "
                    (g.start.format("%a %d %b %H:%M UTC")) " → " (g.end.format("%a %d %b %H:%M UTC")) }
            }
            @for c in &no_phone { li.gap { (c) ": " (t(lang, "no-valid-phone")) } }
        }
        @for s in &schedules {
            section.schedule data-schedule=(s.id) {
                h2 { (s.id) " · " (s.helpline) }
                p { strong { (t(lang, "on-call-now")) ": " }
                    @if s.now.is_empty() { span.gap { (t(lang, "nobody-on-call")) } } @else { (s.now.join(", ")) } }
                @if !s.overrides.is_empty() {
                    h3 { (t(lang, "overrides")) }
                    ul { @for o in &s.overrides { li { (when(&o.start)) " → " (when(&o.end)) ": " (o.names.join(", ")) } } }
                }
                h3 { (t(lang, "next-days")) }
                table {
                    tr { th { (t(lang, "from")) } th { (t(lang, "to")) } th { (t(lang, "on-call")) } }
                    @for w in &s.week {
                        tr class=[w.gap.then_some("gap")] {
                            td { (when(&w.start)) } td { (when(&w.end)) }
                            td { @if w.gap { (t(lang, "gap")) ": " } (w.names.join(", ")) }
                        }
                    }
                }
            }
        }
        p.note { (t(lang, "rota-note")) }
    };
    layout::page(&who, t(lang, "nav-rota"), html! {}, body)
}
