//! The supervisor console under `/console/`: server-rendered pages (maud, no JavaScript except
//! a few lines that reload the case board when it changes) for the people who run a shift:
//! cases, rota, outbox, reports, erasure, and a phone simulator for training.
//!
//! Every read and write of cases, outbox, rota, reports and erasure goes through [`data`], the
//! one file that knows the gateway's methods and the store. People sign in with accounts from
//! [`accounts`]; [`sessions`] holds their sign-ins, CSRF tokens and the login rate limit. Every
//! sign-in and every action is written to the log (`salama::console::audit`, never a number);
//! case actions also go to the case's own audit trail.

pub mod accounts;
mod cases;
mod data;
mod erasure;
pub mod i18n;
mod layout;
mod login;
mod outbox;
mod reports;
mod rota;
pub mod sessions;
mod settings;
mod simulator;

use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};

pub use accounts::Role;
pub use settings::ConsoleSettings;

use crate::engine::Gateway;
use i18n::Lang;
use sessions::Sessions;

/// The console's state, held by the gateway (one per process, shared by every worker).
pub struct Console {
    pub settings: ConsoleSettings,
    pub sessions: Sessions,
    /// Cookies carry `Secure`.
    pub secure: bool,
    /// What the simulator can dial: (helpline, USSD codes, SMS numbers).
    pub dial: Vec<(String, Vec<String>, Vec<String>)>,
}

impl Console {
    pub fn new(all: &crate::config::Settings) -> Console {
        let (settings, bind) = (&all.console, all.bind.as_str());
        let dial =
            all.helplines.iter().map(|(id, h)| (id.clone(), h.service_codes.clone(), h.sms_numbers.clone())).collect();
        let loopback = bind.starts_with("127.") || bind.starts_with("localhost:") || bind.starts_with("[::1]");
        Console {
            settings: settings.clone(),
            sessions: Sessions::new(
                Duration::from_secs(settings.session_minutes * 60),
                settings.max_failed_logins,
                Duration::from_secs(settings.lockout_minutes * 60),
            ),
            secure: settings.secure_cookies.unwrap_or(!loopback),
            dial,
        }
    }
}

/// The console's routes, under `/console`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/console")
            .app_data(web::FormConfig::default().limit(16 * 1024))
            .route("", web::get().to(home))
            .route("/", web::get().to(home))
            .route("/live.js", web::get().to(cases::live_js))
            .route("/login", web::get().to(login::form))
            .route("/login", web::post().to(login::submit))
            .route("/logout", web::post().to(login::logout))
            .route("/lang", web::post().to(login::language))
            .route("/cases", web::get().to(cases::board))
            .route("/cases/events", web::get().to(cases::events))
            .route("/cases/{code}", web::get().to(cases::detail))
            .route("/cases/{code}/{action}", web::post().to(cases::act))
            .route("/rota", web::get().to(rota::page))
            .route("/outbox", web::get().to(outbox::page))
            .route("/outbox/retry", web::post().to(outbox::retry))
            .route("/reports", web::get().to(reports::page))
            .route("/reports.csv", web::get().to(reports::csv))
            .route("/erase", web::get().to(erasure::page))
            .route("/erase", web::post().to(erasure::submit))
            .route("/simulator", web::get().to(simulator::page))
            .route("/simulator", web::post().to(simulator::submit)),
    );
}

async fn home() -> HttpResponse {
    see_other("/console/cases")
}

pub(crate) fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header(("Location", to)).finish()
}

/// Who is signed in on this request.
#[derive(Debug, Clone)]
pub(crate) struct Signed {
    pub token: String,
    pub user: String,
    pub role: Role,
    pub lang: Lang,
    pub csrf: String,
    /// The page asked for (the language form comes back to it).
    pub path: String,
}

/// The signed-in user, or a redirect to the sign-in page. The role is read from the accounts
/// file each time: a disabled user is out at once.
pub(crate) fn signed(req: &HttpRequest, gateway: &Gateway) -> Result<Signed, Box<HttpResponse>> {
    let console = &gateway.console;
    let token = cookie(req, sessions::COOKIE).unwrap_or_default();
    let session = console.sessions.get(&token).ok_or_else(|| Box::new(see_other("/console/login")))?;
    let Some(user) = accounts::find(&console.settings.users_file, &session.user) else {
        console.sessions.end(&token);
        return Err(Box::new(see_other("/console/login")));
    };
    Ok(Signed {
        token,
        user: user.name,
        role: user.role,
        lang: session.lang,
        csrf: session.csrf,
        path: req.path().to_owned(),
    })
}

/// The signed-in user, for a form: the CSRF token must match and the role must allow it.
pub(crate) fn acting(
    req: &HttpRequest,
    gateway: &Gateway,
    csrf: &str,
    need: Role,
) -> Result<Signed, Box<HttpResponse>> {
    let who = signed(req, gateway)?;
    let action = req.path();
    if !sessions::same_token(csrf, &who.csrf) {
        audit(&who.user, "refused: bad CSRF token", action);
        return Err(Box::new(
            HttpResponse::Forbidden().content_type("text/plain").body(i18n::t(who.lang, "csrf-refused")),
        ));
    }
    if need == Role::Supervisor && who.role != Role::Supervisor {
        audit(&who.user, "refused: supervisors only", action);
        return Err(Box::new(
            HttpResponse::Forbidden().content_type("text/plain").body(i18n::t(who.lang, "supervisors-only")),
        ));
    }
    Ok(who)
}

/// A cookie's value from the request (actix's cookie feature is off).
pub(crate) fn cookie(req: &HttpRequest, name: &str) -> Option<String> {
    let header = req.headers().get("Cookie")?.to_str().ok()?;
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// One audit line: who did what (a case code, a page, a message id; never a number).
pub(crate) fn audit(user: &str, action: &str, detail: &str) {
    let (user, detail) = (crate::privacy::redact_numbers(user), crate::privacy::redact_numbers(detail));
    tracing::info!(target: "salama::console::audit", user, action, detail, "console");
}
