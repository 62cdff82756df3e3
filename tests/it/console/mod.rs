//! The supervisor console over plain HTTP: sign-in and its lockout, cookies, CSRF, roles, the
//! audit trail of a reveal, a dead letter's retry, erasure, and the simulator's test numbers.
//! `browser` drives the same pages in headless Chromium.

mod browser;
mod webdriver;

use std::sync::Arc;

use crate::support::*;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test;
use salama::config::Settings;
use salama::console::Role;
use salama::engine::Gateway;

pub const SUPERVISOR: (&str, &str) = ("sam", "supervisor-pass-1");
pub const VIEWER: (&str, &str) = ("vic", "viewer-pass-12");

/// The demo (embedded store) with a supervisor and a viewer in a private users file.
pub fn console_settings() -> Settings {
    let dir = private_dir("console-users");
    let mut text = String::new();
    for ((name, password), role) in [(SUPERVISOR, "supervisor"), (VIEWER, "viewer")] {
        let hash = salama::console::accounts::hash(password).unwrap();
        text.push_str(&format!("[[users]]\nname = \"{name}\"\nrole = \"{role}\"\npassword = \"{hash}\"\n\n"));
    }
    std::fs::write(dir.join("users.toml"), text).unwrap();
    let mut settings = demo_settings(None);
    settings.console.users_file = dir.join("users.toml");
    settings
}

pub struct Answer {
    pub status: u16,
    pub cookies: Vec<String>,
    pub location: String,
    pub body: String,
}

async fn send<S, B>(app: &S, req: test::TestRequest) -> Answer
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let resp = test::call_service(app, req.peer_addr("10.0.0.7:4000".parse().unwrap()).to_request()).await;
    let header = |name| resp.headers().get_all(name).map(|v| v.to_str().unwrap().to_owned()).collect::<Vec<_>>();
    let (status, cookies, location) = (resp.status().as_u16(), header("set-cookie"), header("location").join(""));
    let body = String::from_utf8(test::read_body(resp).await.to_vec()).unwrap();
    Answer { status, cookies, location, body }
}

async fn get<S, B>(app: &S, path: &str, cookie: &str) -> Answer
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    send(app, test::TestRequest::get().uri(path).insert_header(("Cookie", cookie))).await
}

async fn post<S, B>(app: &S, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let req = test::TestRequest::post()
        .uri(path)
        .insert_header(("Cookie", cookie))
        .insert_header(("content-type", "application/x-www-form-urlencoded"))
        .set_payload(serde_urlencoded::to_string(form).unwrap());
    send(app, req).await
}

/// The value of the first `name="csrf"` field of a page.
pub fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a form with a CSRF field") + 19;
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

/// `name=value` of a Set-Cookie header.
fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

/// Signs in; returns the answer to the form and the session cookie (`name=value`) if any.
async fn sign_in<S, B>(app: &S, (user, password): (&str, &str)) -> (Answer, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let form = get(app, "/console/login", "").await;
    let login_cookie = pair(&form.cookies[0]);
    let fields = [("user", user), ("password", password), ("csrf", &csrf_of(&form.body)), ("lang", "en")];
    let answer = post(app, "/console/login", &login_cookie, &fields).await;
    let session = answer.cookies.iter().find(|c| c.starts_with("salama_console=") && !c.contains("Max-Age=0"));
    let session = session.map(|c| pair(c)).unwrap_or_default();
    (answer, session)
}

/// A survivor chooses "I am in danger now" on USSD: a critical case. Returns her number.
async fn critical_case<S, B>(app: &S) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let number = fresh_number();
    for text in ["", "1", "1*1"] {
        dial(app, "console-danger", &number, KE_CODE, text).await;
    }
    number
}

#[actix_web::test]
async fn pages_need_a_sign_in_and_the_cookie_is_strict_httponly_and_expires() {
    let gw = gateway(&console_settings());
    let app = app(gw.clone()).await;
    let anonymous = get(&app, "/console/cases", "").await;
    assert_eq!((anonymous.status, anonymous.location.as_str()), (303, "/console/login"));
    let (answer, cookie) = sign_in(&app, SUPERVISOR).await;
    assert_eq!((answer.status, answer.location.as_str()), (303, "/console/cases"));
    let set = answer.cookies.iter().find(|c| c.starts_with("salama_console=")).unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/console", "Max-Age=28800"] {
        assert!(set.contains(attribute), "{set}");
    }
    assert!(!set.contains("Secure"), "the demo listens on loopback over plain HTTP: {set}");
    let board = get(&app, "/console/cases", &cookie).await;
    assert_eq!(board.status, 200);
    assert!(board.body.contains("No open cases") && board.body.contains("sam"), "{}", board.body);

    let mut settings = console_settings();
    settings.console.secure_cookies = Some(true);
    let app = crate::support::app(gateway(&settings)).await;
    let (answer, _) = sign_in(&app, SUPERVISOR).await;
    assert!(answer.cookies.iter().any(|c| c.starts_with("salama_console=") && c.contains("; Secure")));

    // Signing out ends the session on the server, not only in the browser.
    let app = crate::support::app(gw).await;
    let (_, cookie) = sign_in(&app, SUPERVISOR).await;
    let csrf = csrf_of(&get(&app, "/console/cases", &cookie).await.body);
    assert_eq!(post(&app, "/console/logout", &cookie, &[("csrf", &csrf)]).await.status, 303);
    assert_eq!(get(&app, "/console/cases", &cookie).await.status, 303);
}

#[actix_web::test]
async fn wrong_passwords_lock_the_name_out_even_for_the_right_one() {
    let app = app(gateway(&console_settings())).await;
    for _ in 0..5 {
        let (answer, cookie) = sign_in(&app, (SUPERVISOR.0, "not the password")).await;
        assert_eq!((answer.status, cookie.as_str()), (401, ""));
        assert!(answer.body.contains("Wrong user name or password"));
    }
    let (answer, cookie) = sign_in(&app, SUPERVISOR).await;
    assert_eq!((answer.status, cookie.as_str()), (429, ""), "locked out: {}", answer.body);
    // Unknown names are refused the same way, and a login form without its token is refused.
    let (answer, _) = sign_in(&app, ("nobody", "whatever-password")).await;
    assert_eq!(answer.status, 429, "the address is locked out too");
    let form = get(&app, "/console/login", "").await;
    let forged = [("user", "sam"), ("password", "x"), ("csrf", "forged"), ("lang", "en")];
    assert_eq!(post(&app, "/console/login", &pair(&form.cookies[0]), &forged).await.status, 403);
}

#[actix_web::test]
async fn a_form_without_its_csrf_token_changes_nothing() {
    let gw = gateway(&console_settings());
    let app = app(gw.clone()).await;
    critical_case(&app).await;
    let case = only_case(&gw).await;
    let (_, cookie) = sign_in(&app, SUPERVISOR).await;
    for csrf in ["", "0123456789abcdef"] {
        for action in ["reveal", "repage", "close"] {
            let answer =
                post(&app, &format!("/console/cases/{}/{action}", case.code), &cookie, &[("csrf", csrf)]).await;
            assert_eq!(answer.status, 403, "{action}: {}", answer.body);
        }
    }
    let after = only_case(&gw).await;
    assert_eq!(after.version, case.version, "nothing was written");
    assert!(!gw.store.cases().log(&case.id).await.unwrap().iter().any(|l| l.contains("console")));
}

#[actix_web::test]
async fn viewers_look_and_supervisors_act() {
    let gw = gateway(&console_settings());
    let app = app(gw.clone()).await;
    critical_case(&app).await;
    let case = only_case(&gw).await;
    let (_, viewer) = sign_in(&app, VIEWER).await;
    let page = get(&app, &format!("/console/cases/{}", case.code), &viewer).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("/reveal") && page.body.contains("Viewers can look but not act"));
    let csrf = csrf_of(&page.body);
    let path = format!("/console/cases/{}/repage", case.code);
    assert_eq!(post(&app, &path, &viewer, &[("csrf", &csrf)]).await.status, 403);
    assert_eq!(get(&app, "/console/erase", &viewer).await.status, 403);
    assert_eq!(
        post(&app, "/console/erase", &viewer, &[("csrf", &csrf), ("number", "+254712000000")]).await.status,
        403
    );
    assert_eq!(only_case(&gw).await.version, case.version);

    let (_, supervisor) = sign_in(&app, SUPERVISOR).await;
    let csrf = csrf_of(&get(&app, "/console/cases", &supervisor).await.body);
    let answer = post(&app, &path, &supervisor, &[("csrf", &csrf)]).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let log = gw.store.cases().log(&case.id).await.unwrap();
    assert!(log.iter().any(|l| l.ends_with("re-paged (by sam, console)")), "{log:?}");
    let reassign = format!("/console/cases/{}/reassign", case.code);
    assert_eq!(post(&app, &reassign, &supervisor, &[("csrf", &csrf), ("counsellor", "nobody")]).await.status, 400);
}

#[actix_web::test]
async fn a_reveal_shows_her_number_once_and_writes_who_and_when_to_the_case() {
    let gw = gateway(&console_settings());
    let app = app(gw.clone()).await;
    let number = critical_case(&app).await;
    let case = only_case(&gw).await;
    let (_, cookie) = sign_in(&app, SUPERVISOR).await;
    let page = get(&app, &format!("/console/cases/{}", case.code), &cookie).await;
    assert!(!page.body.contains(&number) && !page.body.contains(&number[1..]), "hidden by default");
    let board = get(&app, "/console/cases", &cookie).await;
    assert!(board.body.contains(&case.code) && !board.body.contains(&number[4..]));
    let shown =
        post(&app, &format!("/console/cases/{}/reveal", case.code), &cookie, &[("csrf", &csrf_of(&page.body))]).await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains(&number), "{}", shown.body);
    let log = gw.store.cases().log(&case.id).await.unwrap();
    let line = log.iter().find(|l| l.contains("her number shown")).expect("the reveal is in the trail");
    assert!(line.ends_with("(by sam, console)") && line.starts_with("20"), "who and when: {line}");
    // Shown once: the next look hides it again.
    assert!(!get(&app, &format!("/console/cases/{}", case.code), &cookie).await.body.contains(&number));
}

#[actix_web::test]
async fn a_dead_letter_is_retried_from_the_outbox_page() {
    let gw = gateway(&console_settings());
    let app = app(gw.clone()).await;
    dead_letter(&gw, "dead-1").await;
    let (_, cookie) = sign_in(&app, SUPERVISOR).await;
    let page = get(&app, "/console/outbox", &cookie).await;
    assert!(page.body.contains("dead-1") && page.body.contains("HTTP 400"), "{}", page.body);
    let answer =
        post(&app, "/console/outbox/retry", &cookie, &[("csrf", &csrf_of(&page.body)), ("id", "dead-1")]).await;
    assert_eq!((answer.status, answer.location.as_str()), (303, "/console/outbox?done=retried"));
    assert_eq!(gw.store.outbox().state("dead-1").await.unwrap().as_deref(), Some("queued"));
    let page = get(&app, &answer.location, &cookie).await;
    assert!(page.body.contains("No dead letters") && page.body.contains("Queued again"));
}

/// Puts a message straight into the dead letters, as a provider's permanent refusal would.
pub async fn dead_letter(gw: &Arc<Gateway>, id: &str) {
    let now = salama::clock::now_ms();
    let message = salama::store::Enqueue {
        id: id.into(),
        priority: salama::store::Priority::Reply,
        helpline: "ke".into(),
        provider: "africastalking".into(),
        fallback: None,
        to: vec![1],
        body: vec![2],
        due_ms: now,
        owner: None,
        sender: None,
    };
    let keep = std::time::Duration::from_secs(3600);
    assert_eq!(gw.store.outbox().enqueue(&message, keep).await.unwrap(), salama::store::Queued::New);
    let salama::store::Claim::Message(claimed) = gw.store.outbox().claim(now, 60_000).await.unwrap() else {
        panic!("the message is due")
    };
    assert!(gw.store.outbox().dead(id, claimed.attempt, now, "send: HTTP 400 (permanent)", keep).await.unwrap());
}

#[actix_web::test]
async fn erasure_asks_for_confirmation_first() {
    let gw = gateway(&console_settings());
    let app = app(gw.clone()).await;
    let number = critical_case(&app).await;
    let case = only_case(&gw).await;
    let (_, cookie) = sign_in(&app, SUPERVISOR).await;
    let csrf = csrf_of(&get(&app, "/console/erase", &cookie).await.body);
    let bad = post(&app, "/console/erase", &cookie, &[("csrf", &csrf), ("number", "not a number")]).await;
    assert_eq!(bad.status, 400);
    let ask = post(&app, "/console/erase", &cookie, &[("csrf", &csrf), ("number", &number)]).await;
    assert!(ask.status == 200 && ask.body.contains("cannot be undone"), "{}", ask.body);
    assert_eq!(only_case(&gw).await.version, case.version, "nothing erased before the confirmation");
    let done = post(&app, "/console/erase", &cookie, &[("csrf", &csrf), ("number", &number), ("confirm", "yes")]).await;
    assert!(done.body.contains("Erased."), "{}", done.body);
    assert!(gw.store.cases().open_ids().await.unwrap().is_empty(), "her open case was closed and anonymised");
}

#[actix_web::test]
async fn the_simulator_walks_the_flow_from_a_test_number_and_opens_no_case_and_queues_no_sms() {
    let gw = gateway(&console_settings());
    let app = app(gw.clone()).await;
    let (_, cookie) = sign_in(&app, VIEWER).await;
    let page = get(&app, "/console/simulator", &cookie).await;
    assert!(page.body.contains("TEST number") && page.body.contains("+254700999"), "{}", page.body);
    let csrf = csrf_of(&page.body);
    let target = format!("ussd|{KE_CODE}");
    let mut screen =
        post(&app, "/console/simulator", &cookie, &[("csrf", &csrf), ("target", &target), ("action", "dial")]).await;
    for input in ["1", "1"] {
        let session = field(&screen.body, "session");
        let path = field(&screen.body, "path");
        let form = [
            ("csrf", csrf.as_str()),
            ("target", &target),
            ("session", &session),
            ("path", &path),
            ("input", input),
            ("action", "send"),
        ];
        screen = post(&app, "/console/simulator", &cookie, &form).await;
    }
    // Not just "999": the test number +254700999 is on every simulator page.
    assert!(screen.body.contains("In danger now? Call 999 or 112"), "the danger screen: {}", screen.body);
    assert!(gw.store.cases().open_ids().await.unwrap().is_empty(), "no case for a test number");
    let sms = [("csrf", csrf.as_str()), ("target", "sms|21512"), ("input", "HELP"), ("action", "send")];
    let texted = post(&app, "/console/simulator", &cookie, &sms).await;
    assert_eq!(texted.status, 200);
    let backlog = gw.store.outbox().backlog(salama::clock::now_ms()).await.unwrap();
    assert_eq!(backlog.pending, 0, "nothing queued for a test number");
}

/// A hidden field's value.
fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html.find(&marker).unwrap() + marker.len();
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

#[actix_web::test]
async fn a_disabled_user_is_out_at_the_next_click_and_reports_export_csv() {
    let settings = console_settings();
    let app = app(gateway(&settings)).await;
    let (_, cookie) = sign_in(&app, VIEWER).await;
    let csv = get(&app, "/console/reports.csv", &cookie).await;
    assert_eq!((csv.status, csv.body.lines().next()), (200, Some("week,helpline,category,urgency,cases")));
    let text = std::fs::read_to_string(&settings.console.users_file).unwrap();
    let disabled = text.replace("role = \"viewer\"", "role = \"viewer\"\ndisabled = true");
    std::fs::write(&settings.console.users_file, disabled).unwrap();
    assert_eq!(get(&app, "/console/reports", &cookie).await.status, 303);
    let _ = Role::Viewer;
}
