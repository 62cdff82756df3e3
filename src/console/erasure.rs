//! Erasure by number, for supervisors: a first form, a confirmation that says what will go,
//! then the erasure (what her erase keyword and the admin API do). The number is never logged.

use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::data;
use super::i18n::t;
use super::layout::{self, csrf};
use super::{Role, acting, audit, signed};
use crate::engine::Gateway;
use crate::phone::E164;

pub async fn page(req: HttpRequest, gateway: web::Data<Gateway>) -> HttpResponse {
    let who = match signed(&req, &gateway) {
        Ok(who) => who,
        Err(to_login) => return *to_login,
    };
    let lang = who.lang;
    if who.role != Role::Supervisor {
        return HttpResponse::Forbidden().content_type("text/plain").body(t(lang, "supervisors-only"));
    }
    let body = html! {
        p { (t(lang, "erase-intro")) }
        form method="post" action="/console/erase" {
            (csrf(&who))
            p { label { (t(lang, "number")) br; input name="number" inputmode="tel" autocomplete="off" required; } }
            button type="submit" { (t(lang, "erase-next")) }
        }
    };
    layout::page(&who, t(lang, "nav-erase"), html! {}, body)
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    csrf: String,
    number: String,
    #[serde(default)]
    confirm: String,
}

pub async fn submit(req: HttpRequest, form: web::Form<EraseForm>, gateway: web::Data<Gateway>) -> HttpResponse {
    let who = match acting(&req, &gateway, &form.csrf, Role::Supervisor) {
        Ok(who) => who,
        Err(refused) => return *refused,
    };
    let lang = who.lang;
    let Ok(number) = E164::parse(&form.number, None) else {
        let body = html! { p.error role="alert" { (t(lang, "bad-number")) } p { a href="/console/erase" { (t(lang, "back")) } } };
        let mut response = layout::page(&who, t(lang, "nav-erase"), html! {}, body);
        *response.status_mut() = actix_web::http::StatusCode::BAD_REQUEST;
        return response;
    };
    if form.confirm != "yes" {
        let body = html! {
            p.error { (t(lang, "erase-confirm")) " " strong { (number.to_string()) } }
            form method="post" action="/console/erase" {
                (csrf(&who))
                input type="hidden" name="number" value=(number.as_str());
                input type="hidden" name="confirm" value="yes";
                button type="submit" { (t(lang, "erase-now")) }
            }
            p { a href="/console/erase" { (t(lang, "cancel")) } }
        };
        return layout::page(&who, t(lang, "nav-erase"), html! {}, body);
    }
    match data::erase(&gateway, &number).await {
        Ok(records) => {
            audit(&who.user, "erased a survivor's data", &format!("{records} records"));
            let body = html! { p.flash role="status" { (t(lang, "erased")) " (" (records) ")" } };
            layout::page(&who, t(lang, "nav-erase"), html! {}, body)
        }
        Err(e) => {
            gateway.metrics.store_error();
            tracing::error!(error = %e, "console: the store failed");
            HttpResponse::ServiceUnavailable().body("store unavailable; nothing was erased for sure: try again")
        }
    }
}
