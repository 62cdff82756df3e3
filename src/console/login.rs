//! Sign-in, sign-out and the language choice.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::i18n::{Lang, t};
use super::layout::{respond, shell};
use super::sessions::{COOKIE, LOGIN_COOKIE, cookie, same_token, token};
use super::{audit, see_other, signed};
use crate::engine::Gateway;

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

pub async fn form(req: HttpRequest, query: web::Query<LangQuery>, gateway: web::Data<Gateway>) -> HttpResponse {
    if signed(&req, &gateway).is_ok() {
        return see_other("/console/cases");
    }
    let lang = Lang::parse(query.lang.as_deref().unwrap_or("en"));
    login_page(&gateway, lang, StatusCode::OK, None)
}

/// The sign-in form, with a fresh login CSRF token in a cookie of its own.
fn login_page(gateway: &Gateway, lang: Lang, status: StatusCode, error: Option<&str>) -> HttpResponse {
    let csrf = token();
    let body = html! {
        p.note {
            @for l in Lang::ALL { a href={ "/console/login?lang=" (l.code()) } { (l.name()) } " " }
        }
        @if let Some(error) = error { p.error role="alert" { (error) } }
        form method="post" action="/console/login" {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="lang" value=(lang.code());
            p { label { (t(lang, "user-name")) br; input name="user" autocomplete="username" required; } }
            p { label { (t(lang, "password")) br; input type="password" name="password" autocomplete="current-password" required; } }
            button type="submit" { (t(lang, "sign-in")) }
        }
    };
    let mut response = respond(status, shell(None, lang, t(lang, "sign-in"), html! {}, body));
    let value = cookie(LOGIN_COOKIE, &csrf, 3600, gateway.console.secure);
    if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&value) {
        response.headers_mut().append(actix_web::http::header::SET_COOKIE, v);
    }
    response
}

#[derive(Deserialize)]
pub struct Login {
    user: String,
    password: String,
    csrf: String,
    #[serde(default)]
    lang: String,
}

pub async fn submit(req: HttpRequest, form: web::Form<Login>, gateway: web::Data<Gateway>) -> HttpResponse {
    let lang = Lang::parse(&form.lang);
    let expected = super::cookie(&req, LOGIN_COOKIE).unwrap_or_default();
    if !same_token(&form.csrf, &expected) {
        audit(&form.user, "sign-in refused: bad CSRF token", "/console/login");
        return login_page(&gateway, lang, StatusCode::FORBIDDEN, Some(t(lang, "csrf-refused")));
    }
    let address = req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
    let keys = [format!("user:{}", form.user), format!("addr:{address}")];
    let console = &gateway.console;
    if console.sessions.locked(&keys) {
        audit(&form.user, "sign-in refused: too many failures", &address);
        return login_page(&gateway, lang, StatusCode::TOO_MANY_REQUESTS, Some(t(lang, "login-locked")));
    }
    let (path, user, password) = (console.settings.users_file.clone(), form.user.clone(), form.password.clone());
    // argon2 takes tens of milliseconds of CPU: off the server's threads.
    let verified = web::block(move || super::accounts::verify(&path, &user, &password)).await.ok().flatten();
    let Some(user) = verified else {
        console.sessions.failed(&keys);
        audit(&form.user, "sign-in failed", &address);
        return login_page(&gateway, lang, StatusCode::UNAUTHORIZED, Some(t(lang, "login-failed")));
    };
    console.sessions.succeeded(&keys[0]);
    let session = console.sessions.start(&user.name, lang);
    audit(&user.name, "signed in", &address);
    let max_age = console.settings.session_minutes * 60;
    HttpResponse::SeeOther()
        .insert_header(("Location", "/console/cases"))
        .append_header(("Set-Cookie", cookie(COOKIE, &session, max_age, console.secure)))
        .append_header(("Set-Cookie", cookie(LOGIN_COOKIE, "", 0, console.secure)))
        .finish()
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(req: HttpRequest, form: web::Form<CsrfOnly>, gateway: web::Data<Gateway>) -> HttpResponse {
    let who = match super::acting(&req, &gateway, &form.csrf, super::Role::Viewer) {
        Ok(who) => who,
        Err(refused) => return *refused,
    };
    gateway.console.sessions.end(&who.token);
    audit(&who.user, "signed out", "");
    HttpResponse::SeeOther()
        .insert_header(("Location", "/console/login"))
        .append_header(("Set-Cookie", cookie(COOKIE, "", 0, gateway.console.secure)))
        .finish()
}

#[derive(Deserialize)]
pub struct LangForm {
    #[serde(default)]
    csrf: String,
    lang: String,
    #[serde(default)]
    back: String,
}

pub async fn language(req: HttpRequest, form: web::Form<LangForm>, gateway: web::Data<Gateway>) -> HttpResponse {
    let who = match super::acting(&req, &gateway, &form.csrf, super::Role::Viewer) {
        Ok(who) => who,
        Err(refused) => return *refused,
    };
    gateway.console.sessions.set_lang(&who.token, Lang::parse(&form.lang));
    // Back to the page it was chosen on: a console path only, never elsewhere.
    let plain = form.back.bytes().all(|b| b.is_ascii_alphanumeric() || b"/-_.".contains(&b));
    let back = if form.back.starts_with("/console/") && plain { form.back.as_str() } else { "/console/cases" };
    see_other(back)
}
