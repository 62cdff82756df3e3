//! The page shell: a narrow layout that reads on a cheap phone, one small inline stylesheet,
//! the menu, and the language choice. Every console response is `no-store` and framed by nobody.

use actix_web::HttpResponse;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::Signed;
use super::i18n::{Lang, t};

const STYLE: &str = "body{font:15px/1.4 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4}\
header{background:#3b2a55;color:#fff;padding:.4em .6em}header a{color:#fff;margin-right:.7em}\
nav{display:flex;flex-wrap:wrap;gap:.2em .6em}main{padding:.6em;max-width:60em;overflow-x:auto}\
table{border-collapse:collapse;width:100%;background:#fff}td,th{border:1px solid #ccc;padding:.25em .4em;text-align:left;vertical-align:top}\
.critical{background:#fbd5d5}.high{background:#fdebc8}.gap{background:#fbd5d5;font-weight:bold}\
.test{background:#fff3b0;padding:.2em .4em;border:1px dashed #a80}.note{color:#555;font-size:.9em}\
form.inline{display:inline}button{padding:.3em .7em;margin:.1em 0}input,select{padding:.25em;max-width:100%}\
.phone{width:15em;border:10px solid #222;border-radius:1.2em;padding:.6em;background:#cfe3cf;margin:.5em 0}\
.screen{font-family:monospace;white-space:pre-wrap;min-height:9em;background:#e9f5e9;padding:.4em;border:1px solid #9b9}\
.flash{background:#dff0d8;padding:.4em;border:1px solid #8b8}.error{background:#fbd5d5;padding:.4em;border:1px solid #c66}";

/// The security headers and `no-store` every console page carries.
pub fn respond(status: actix_web::http::StatusCode, body: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Frame-Options", "DENY"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .insert_header((
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'",
        ))
        .body(body.into_string())
}

/// A whole page for a signed-in user; `head_extra` goes in `<head>` (a refresh, a script).
pub fn page(who: &Signed, title: &str, head_extra: Markup, body: Markup) -> HttpResponse {
    respond(actix_web::http::StatusCode::OK, shell(Some(who), who.lang, title, head_extra, body))
}

pub fn shell(who: Option<&Signed>, lang: Lang, title: &str, head_extra: Markup, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Salama" }
                style { (PreEscaped(STYLE)) }
                (head_extra)
            }
            body {
                header {
                    @if let Some(who) = who {
                        nav {
                            a href="/console/cases" { (t(lang, "nav-cases")) }
                            a href="/console/rota" { (t(lang, "nav-rota")) }
                            a href="/console/outbox" { (t(lang, "nav-outbox")) }
                            a href="/console/reports" { (t(lang, "nav-reports")) }
                            @if who.role == super::Role::Supervisor {
                                a href="/console/erase" { (t(lang, "nav-erase")) }
                            }
                            a href="/console/simulator" { (t(lang, "nav-simulator")) }
                        }
                        div class="note" style="color:#ddd" {
                            (who.user) " (" (t(lang, who.role_key())) ") "
                            form.inline method="post" action="/console/lang" {
                                (csrf(who))
                                input type="hidden" name="back" value=(who.path);
                                select name="lang" aria-label=(t(lang, "language")) {
                                    @for l in Lang::ALL {
                                        option value=(l.code()) selected[l == lang] { (l.name()) }
                                    }
                                }
                                button type="submit" { (t(lang, "change")) }
                            }
                            " "
                            form.inline method="post" action="/console/logout" {
                                (csrf(who))
                                button type="submit" { (t(lang, "sign-out")) }
                            }
                        }
                    } @else {
                        strong { "Salama" }
                    }
                }
                main { h1 { (title) } (body) }
            }
        }
    }
}

/// The hidden CSRF field every form carries.
pub fn csrf(who: &Signed) -> Markup {
    html! { input type="hidden" name="csrf" value=(who.csrf); }
}

/// A duration in minutes (or hours) for people, such as "7 min" or "3 h 5 min".
pub fn waited(secs: u64) -> String {
    match secs {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

impl Signed {
    fn role_key(&self) -> &'static str {
        match self.role {
            super::Role::Supervisor => "role-supervisor",
            super::Role::Viewer => "role-viewer",
        }
    }
}
