//! The simulator: a phone drawn in the page that dials a helpline's USSD code or texts its
//! number through the real engine, from a number in the marked test range
//! (`console.test_numbers`). For a test number the engine opens no case and queues no SMS
//! (see `Cases::is_test_number` and the outbox's), so training never pages a counsellor or texts anyone.

use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;
use sha2::Digest;

use super::i18n::t;
use super::layout::{self, csrf};
use super::{Role, Signed, acting, audit, data, signed};
use crate::engine::Gateway;
use crate::phone::E164;

/// This user's test number: the marked prefix, then digits from the session, so each trainer
/// has a conversation of their own.
fn test_number(gateway: &Gateway, who: &Signed) -> Option<E164> {
    let prefix = gateway.console.settings.test_numbers.as_deref()?;
    let seed = sha2::Sha256::digest(who.token.as_bytes());
    let digits: String = seed.iter().map(|b| char::from(b'0' + b % 10)).collect();
    let have = prefix.len() - 1;
    (10..=13)
        .rev()
        .filter(|total| *total > have)
        .find_map(|total| E164::parse(&format!("{prefix}{}", &digits[..total - have]), None).ok())
}

pub async fn page(req: HttpRequest, gateway: web::Data<Gateway>) -> HttpResponse {
    let who = match signed(&req, &gateway) {
        Ok(who) => who,
        Err(to_login) => return *to_login,
    };
    render(&who, &gateway, &Phone::default())
}

/// What the phone shows and what the next form carries.
#[derive(Default, Deserialize)]
pub struct Phone {
    #[serde(default)]
    csrf: String,
    /// `ussd|<code>` or `sms|<number>`.
    #[serde(default)]
    target: String,
    #[serde(default)]
    session: String,
    /// The USSD inputs so far, joined by `*`.
    #[serde(default)]
    path: String,
    #[serde(default)]
    input: String,
    #[serde(default)]
    action: String,
    #[serde(skip)]
    screen: String,
    #[serde(skip)]
    ended: bool,
}

fn targets(gateway: &Gateway) -> Vec<(String, String)> {
    let mut list = Vec::new();
    for (helpline, codes, numbers) in &gateway.console.dial {
        list.extend(codes.iter().map(|c| (format!("ussd|{c}"), format!("{helpline} · USSD {c}"))));
        list.extend(numbers.iter().map(|n| (format!("sms|{n}"), format!("{helpline} · SMS {n}"))));
    }
    list
}

fn render(who: &Signed, gateway: &Gateway, phone: &Phone) -> HttpResponse {
    let lang = who.lang;
    let Some(number) = test_number(gateway, who) else {
        return layout::page(who, t(lang, "nav-simulator"), html! {}, html! { p.error { (t(lang, "simulator-off")) } });
    };
    let in_call = phone.target.starts_with("ussd|") && !phone.session.is_empty() && !phone.ended;
    let texting = phone.target.starts_with("sms|");
    let body = html! {
        p.test { (t(lang, "test-number")) ": " strong { (number.as_str()) } " — " (t(lang, "simulator-note")) }
        div.phone {
            div.screen id="screen" { @if phone.screen.is_empty() { (t(lang, "phone-idle")) } @else { (phone.screen) } }
            form method="post" action="/console/simulator" {
                (csrf(who))
                input type="hidden" name="session" value=(phone.session);
                input type="hidden" name="path" value=(phone.path);
                @if in_call || texting {
                    input type="hidden" name="target" value=(phone.target);
                    p { input name="input" id="input" autocomplete="off" autofocus aria-label=(t(lang, "reply")); }
                    button type="submit" name="action" value="send" { (t(lang, "send")) }
                    " " button type="submit" name="action" value="hangup" { (t(lang, "hang-up")) }
                } @else {
                    p { select name="target" id="target" aria-label=(t(lang, "helpline")) {
                        @for (value, label) in targets(gateway) { option value=(value) selected[value == phone.target] { (label) } }
                    } }
                    button type="submit" name="action" value="dial" { (t(lang, "dial")) }
                }
            }
        }
        (help(lang))
    };
    layout::page(who, t(lang, "nav-simulator"), html! {}, body)
}

fn help(lang: super::i18n::Lang) -> Markup {
    html! { p.note { (t(lang, "simulator-help")) } }
}

pub async fn submit(req: HttpRequest, form: web::Form<Phone>, gateway: web::Data<Gateway>) -> HttpResponse {
    let who = match acting(&req, &gateway, &form.csrf, Role::Viewer) {
        Ok(who) => who,
        Err(refused) => return *refused,
    };
    let Some(number) = test_number(&gateway, &who) else { return render(&who, &gateway, &Phone::default()) };
    let mut phone = form.into_inner();
    let known = targets(&gateway).iter().any(|(value, _)| *value == phone.target);
    if phone.action == "hangup" || !known {
        return render(&who, &gateway, &Phone { target: phone.target, ..Phone::default() });
    }
    let input = phone.input.trim().to_owned();
    if let Some(to) = phone.target.strip_prefix("sms|").map(str::to_owned) {
        audit(&who.user, "simulator: SMS", &phone.target);
        phone.screen = match data::simulate_sms(&gateway, &to, &number, &input).await {
            Ok(reply) => format!("> {input}\n\n{}", reply.unwrap_or_default()),
            Err(e) => format!("store error: {e}"),
        };
        return render(&who, &gateway, &phone);
    }
    let code = phone.target.trim_start_matches("ussd|").to_owned();
    let plain_session = phone.session.starts_with("sim-") && phone.session[4..].bytes().all(|b| b.is_ascii_hexdigit());
    if phone.action == "dial" || !plain_session {
        phone.session = format!("sim-{}", &super::sessions::token()[..16]);
        phone.path.clear();
        audit(&who.user, "simulator: dialled", &code);
    } else {
        phone.path = if phone.path.is_empty() { input } else { format!("{}*{input}", phone.path) };
    }
    let reply = data::simulate_ussd(&gateway, &code, &number, &phone.session, &phone.path).await;
    phone.screen = reply.text;
    phone.ended = reply.end;
    if reply.end {
        phone.screen.push_str(&format!("\n\n[{}]", t(who.lang, "session-ended")));
    }
    render(&who, &gateway, &phone)
}
