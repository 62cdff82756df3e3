//! Cases against a real Redis: paging by level, acknowledgement, relay both ways, an exhausted
//! policy, timers shared by two gateways, a gateway lost mid-escalation, the CALL rules, and the
//! admin API. wiremock stands in for Africa's Talking; every SMS is read off its requests.

use std::sync::Arc;

use crate::support::*;
use chrono::{DateTime, Duration, Utc};
use salama::clock::now_ms;
use salama::config::Settings;
use salama::engine::Gateway;
use salama::escalation::case::{Answer, State};
use wiremock::MockServer;

const AMINA: &str = "+254700000101";
const BRIAN: &str = "+254700000102";
const CAROL: &str = "+254700000103";

fn settings(redis: &TestRedis, mock: &MockServer) -> Settings {
    let mut s = escalation_settings(redis, mock);
    // These tests walk the menus; neutral mode has a test of its own (tests/safety.rs).
    for helpline in s.helplines.values_mut() {
        helpline.neutral_first_sms = false;
        helpline.neutral_sender = None;
    }
    s
}

/// Sends what the outbox holds; returns the (to, message) of every SMS the provider got so far.
async fn sent(gw: &Gateway, mock: &MockServer) -> Vec<(String, String)> {
    while gw.outbox.send_due(now_ms()).await.unwrap() > 0 {}
    let requests = mock.received_requests().await.unwrap();
    requests
        .iter()
        .map(|r| {
            let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&r.body).unwrap();
            let get = |k: &str| form.iter().find(|(n, _)| n == k).unwrap().1.clone();
            (get("to"), get("message"))
        })
        .collect()
}

fn to(messages: &[(String, String)], number: &str) -> Vec<String> {
    messages.iter().filter(|(t, _)| t == number).map(|(_, m)| m.clone()).collect()
}

async fn sms_at(gw: &Gateway, from: &str, text: &str, id: &str, now: DateTime<Utc>) {
    text_at(gw, from, text, id, now).await.unwrap();
}

/// A survivor on USSD chooses "I am in danger now": a critical case.
async fn dial_danger(gw: Arc<Gateway>) -> String {
    let app = app(gw).await;
    let n = fresh_number();
    for text in ["", "1", "1*1"] {
        dial(&app, "danger", &n, KE_CODE, text).await;
    }
    n
}

#[actix_web::test]
async fn a_critical_case_pages_level_one_at_once_then_level_two_and_stops_when_acknowledged() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&settings(&redis, &mock));
    dial_danger(gw.clone()).await;
    let case = only_case(&gw).await;
    assert_eq!((case.state, case.urgency.as_str(), case.category.as_str()), (State::Open, "critical", "danger"));

    let now = Utc::now();
    assert_eq!(gw.cases.escalate_due(now).await.unwrap(), 1);
    let pages = to(&sent(&gw, &mock).await, AMINA);
    assert_eq!(pages.len(), 1);
    assert_eq!(
        pages[0],
        format!(
            "SALAMA case {}: CRITICAL, danger now, English. Call: not asked. SMS: not asked. Reply ACK {} to take it.",
            case.code, case.code
        )
    );
    assert_eq!(gw.cases.escalate_due(now + Duration::minutes(1)).await.unwrap(), 0, "waiting for amina");
    assert_eq!(gw.cases.escalate_due(now + Duration::seconds(121)).await.unwrap(), 1);
    let messages = sent(&gw, &mock).await;
    assert_eq!(to(&messages, BRIAN).len(), 1, "level 2 after the deadline");
    assert_eq!(to(&messages, AMINA).len(), 1, "level 1 is not paged again");

    sms_at(&gw, BRIAN, &format!("ack {}", case.code), "b-ack", now).await;
    let case = only_case(&gw).await;
    assert_eq!((case.state, case.assigned.as_str()), (State::Acknowledged, "brian"));
    assert!(to(&sent(&gw, &mock).await, BRIAN)[1].starts_with(&format!("Case {} is yours.", case.code)));
    assert_eq!(gw.cases.escalate_due(now + Duration::hours(1)).await.unwrap(), 0, "no more pages");
    let timeline = gw.store.cases().log(&case.id).await.unwrap();
    assert!(timeline.iter().any(|l| l.ends_with("acknowledged by brian")), "{timeline:?}");
    assert!(timeline.iter().any(|l| l.ends_with("paged level 2 round 1: brian")), "{timeline:?}");
}

/// A survivor on SMS asks for a counsellor: a call is not safe, SMS is.
async fn text_for_counsellor(gw: &Gateway, now: DateTime<Utc>) -> String {
    let n = fresh_number();
    for (i, text) in ["HELP", "2", "5", "he reads my messages", "1"].iter().enumerate() {
        sms_at(gw, &n, text, &format!("{}-{i}", &n[1..]), now).await;
    }
    n
}

#[actix_web::test]
async fn counsellor_and_survivor_write_to_each_other_through_the_case() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&settings(&redis, &mock));
    let survivor = text_for_counsellor(&gw, Utc::now()).await;
    let now = Utc::now();
    let case = only_case(&gw).await;
    // "he reads my messages" is high by triage: it raised the counsellor request's case.
    assert_eq!((case.urgency.as_str(), case.call_safe, case.sms_safe), ("high", Answer::No, Answer::Yes));
    gw.cases.escalate_due(now).await.unwrap();

    // Before acknowledging, amina can't write to her.
    sms_at(&gw, AMINA, &format!("{} hello", case.code), "a-1", now).await;
    sms_at(&gw, AMINA, "ACK", "a-2", now).await;
    sms_at(&gw, AMINA, &format!("{} Hello, I am Amina. I am here to listen.", case.code), "a-3", now).await;
    sms_at(&gw, &survivor, "thank you", "s-9", now).await;

    let messages = sent(&gw, &mock).await;
    let to_amina = to(&messages, AMINA);
    assert!(
        to_amina.iter().any(|m| m == &format!("Case {} is not yours: send ACK {} first.", case.code, case.code)),
        "{to_amina:?}"
    );
    assert!(
        to_amina.iter().any(|m| m.starts_with(&format!("Case {} is yours.", case.code))),
        "plain ACK took the one pending page"
    );
    assert!(
        to_amina.iter().any(|m| m == &format!("{}: thank you", case.code)),
        "her reply, with the code in front: {to_amina:?}"
    );
    let to_her = to(&messages, &survivor);
    assert!(to_her.contains(&"Hello, I am Amina. I am here to listen.".to_owned()), "{to_her:?}");
    assert_eq!(
        to_her.iter().filter(|m| m.contains("hello")).count(),
        0,
        "the message sent before ACK never reached her"
    );
    let number = salama::phone::E164::parse(&survivor, None).unwrap();
    let transcript = gw.transcript("ke", &number).await.unwrap();
    assert!(
        transcript.contains(&"he reads my messages".to_owned()) && transcript.contains(&"thank you".to_owned()),
        "{transcript:?}"
    );
}

#[actix_web::test]
async fn a_counsellor_gets_her_number_only_after_ack_when_a_call_is_safe_and_in_her_time() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&settings(&redis, &mock));
    // 10:00 in Nairobi; she said evenings (17-21) are safe.
    let morning = DateTime::parse_from_rfc3339("2026-11-30T07:00:00Z").unwrap().with_timezone(&Utc);
    let evening = DateTime::parse_from_rfc3339("2026-11-30T15:30:00Z").unwrap().with_timezone(&Utc);
    let n = fresh_number();
    for (i, text) in ["HELP", "2", "4", "1", "1"].iter().enumerate() {
        sms_at(&gw, &n, text, &format!("c-{i}"), morning).await;
    }
    let case = only_case(&gw).await;
    assert_eq!((case.call_safe, case.call_time.as_str(), case.sms_safe), (Answer::Yes, "evening", Answer::No));
    gw.cases.escalate_due(morning).await.unwrap();
    sms_at(&gw, BRIAN, &format!("CALL {}", case.code), "b-1", morning).await;
    sms_at(&gw, AMINA, &format!("ACK {}", case.code), "a-1", morning).await;
    sms_at(&gw, AMINA, &format!("CALL {}", case.code), "a-2", morning).await;
    sms_at(&gw, AMINA, &format!("CALL {}", case.code), "a-3", evening).await;
    sms_at(&gw, AMINA, &format!("{} hi", case.code), "a-4", evening).await;

    let messages = sent(&gw, &mock).await;
    let to_brian = to(&messages, BRIAN);
    assert_eq!(to_brian, vec![format!("Case {} is not yours: send ACK {} first.", case.code, case.code)]);
    let to_amina = to(&messages, AMINA);
    assert!(
        to_amina.contains(&format!(
            "Case {}: she said calls are safe only Evening (5-9pm). It is not that time now.",
            case.code
        )),
        "{to_amina:?}"
    );
    assert!(
        to_amina.contains(&format!("Case {}: her number is {n}. Safe time: Evening (5-9pm).", case.code)),
        "{to_amina:?}"
    );
    assert!(to_amina.contains(&"She said SMS is not safe: nothing was sent.".to_owned()), "{to_amina:?}");
    assert!(to(&messages, &n).iter().all(|m| m != "hi"), "nothing reached her by SMS");
}

#[actix_web::test]
async fn an_exhausted_policy_pages_the_supervisors_and_gives_her_the_emergency_numbers() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&settings(&redis, &mock));
    let now = Utc::now();
    // Danger by SMS (critical), then the counsellor questions: SMS is safe.
    let n = fresh_number();
    for (i, text) in ["HELP", "1", "3", "5", "1", "1"].iter().enumerate() {
        sms_at(&gw, &n, text, &format!("x-{i}"), now).await;
    }
    let case = only_case(&gw).await;
    assert_eq!(
        (case.urgency.as_str(), case.sms_safe),
        ("critical", Answer::Yes),
        "merged: still critical, with her answers"
    );
    let now = Utc::now();
    for minutes in [0, 3, 7, 13] {
        gw.cases.escalate_due(now + Duration::minutes(minutes)).await.unwrap();
    }
    let case = only_case(&gw).await;
    assert_eq!(case.state, State::Unanswered);
    let messages = sent(&gw, &mock).await;
    assert_eq!(to(&messages, AMINA).len(), 1);
    assert_eq!(to(&messages, BRIAN).len(), 1);
    let carol = to(&messages, CAROL);
    assert!(carol.len() >= 2, "level 3 and the unanswered page: {carol:?}");
    assert!(carol.iter().any(|m| m.starts_with(&format!("SALAMA case {} UNANSWERED", case.code))), "{carol:?}");
    let to_her = to(&messages, &n);
    assert!(
        to_her
            .iter()
            .any(|m| m == "We could not reach a counsellor yet. In danger now? Call 999 or 112 (free). Support: 1195."),
        "{to_her:?}"
    );
    // Never silent: the supervisors are paged again.
    gw.cases.escalate_due(now + Duration::minutes(13 + 31)).await.unwrap();
    assert!(to(&sent(&gw, &mock).await, CAROL).len() > carol.len());
}

#[actix_web::test]
async fn two_gateways_share_the_timers_without_a_double_page() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let s = settings(&redis, &mock);
    let (a, b) = (gateway(&s), gateway(&s));
    dial_danger(a.clone()).await;
    let now = Utc::now();
    let (ta, tb) = tokio::join!(a.cases.escalate_due(now), b.cases.escalate_due(now));
    assert_eq!(ta.unwrap() + tb.unwrap(), 1, "one gateway took the timer");
    let (ta, tb) = tokio::join!(
        a.cases.escalate_due(now + Duration::seconds(121)),
        b.cases.escalate_due(now + Duration::seconds(121))
    );
    assert_eq!(ta.unwrap() + tb.unwrap(), 1);
    let (sa, sb) = tokio::join!(a.outbox.send_due(now_ms()), b.outbox.send_due(now_ms()));
    sa.unwrap();
    sb.unwrap();
    let messages = sent(&a, &mock).await;
    assert_eq!((to(&messages, AMINA).len(), to(&messages, BRIAN).len()), (1, 1));
}

#[actix_web::test]
async fn a_gateway_killed_mid_escalation_leaves_its_page_to_another() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let s = settings(&redis, &mock);
    let first = gateway(&s);
    dial_danger(first.clone()).await;
    let now = Utc::now();
    // The first gateway takes the timer and dies before it pages.
    assert_eq!(first.store.cases().claim(now.timestamp_millis() as u64, 30_000, 10).await.unwrap().len(), 1);
    drop(first);
    let second = gateway(&s);
    assert_eq!(
        second.cases.escalate_due(now + Duration::seconds(5)).await.unwrap(),
        0,
        "held by the lost gateway's lease"
    );
    assert_eq!(second.cases.escalate_due(now + Duration::seconds(31)).await.unwrap(), 1);
    assert_eq!(to(&sent(&second, &mock).await, AMINA).len(), 1);
}

#[actix_web::test]
async fn a_number_outside_the_rota_is_never_a_command() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&settings(&redis, &mock));
    dial_danger(gw.clone()).await;
    let case = only_case(&gw).await;
    let stranger = fresh_number();
    sms_at(&gw, &stranger, &format!("ACK {}", case.code), "z-1", Utc::now()).await;
    sms_at(&gw, &stranger, &format!("CLOSE {}", case.code), "z-2", Utc::now()).await;
    assert_eq!(only_case(&gw).await.state, State::Open);
}

#[actix_web::test]
async fn the_admin_api_shows_cases_without_numbers_and_can_ack_and_close() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&settings(&redis, &mock));
    let survivor = dial_danger(gw.clone()).await;
    let app = app(gw.clone()).await;
    let case = only_case(&gw).await;
    let get = |uri: &str, token: &str| {
        actix_web::test::TestRequest::get()
            .uri(uri)
            .insert_header(("Authorization", format!("Bearer {token}")))
            .to_request()
    };
    assert_eq!(actix_web::test::call_service(&app, get("/v1/admin/cases", "wrong")).await.status(), 401);
    let body: serde_json::Value =
        actix_web::test::call_and_read_body_json(&app, get("/v1/admin/cases", "admin-test-token")).await;
    assert_eq!(body["cases"][0]["code"], case.code);
    assert_eq!(body["cases"][0]["urgency"], "critical");
    assert!(!body.to_string().contains(&survivor[4..]), "no number in {body}");
    let oncall: serde_json::Value =
        actix_web::test::call_and_read_body_json(&app, get("/v1/admin/oncall", "admin-test-token")).await;
    assert_eq!(oncall["schedules"][0]["on_call"][0]["id"], "amina");

    let post = |uri: String, json: serde_json::Value| {
        actix_web::test::TestRequest::post()
            .uri(&uri)
            .insert_header(("Authorization", "Bearer admin-test-token"))
            .set_json(json)
            .to_request()
    };
    let acked = actix_web::test::call_service(
        &app,
        post(format!("/v1/admin/cases/{}/ack", case.code), serde_json::json!({"counsellor": "amina"})),
    )
    .await;
    assert_eq!(acked.status(), 200);
    let timeline: serde_json::Value = actix_web::test::call_and_read_body_json(
        &app,
        get(&format!("/v1/admin/cases/{}", case.code), "admin-test-token"),
    )
    .await;
    assert_eq!(timeline["case"]["state"], "acknowledged");
    assert!(
        timeline["timeline"].as_array().unwrap().iter().any(|l| l.as_str().unwrap().ends_with("acknowledged by amina"))
    );
    let closed = actix_web::test::call_service(
        &app,
        post(format!("/v1/admin/cases/{}/close", case.code), serde_json::json!({"by": "amina", "outcome": "referred"})),
    )
    .await;
    assert_eq!(closed.status(), 200);
    assert!(gw.store.cases().open_ids().await.unwrap().is_empty());
    assert_eq!(gw.cases.case(&case.id).await.unwrap().unwrap().state, State::Closed, "the record stays");
}

#[actix_web::test]
async fn a_survivors_words_open_a_case_by_triage_and_danger_gets_the_numbers_at_once() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&settings(&redis, &mock));
    let now = Utc::now();
    // A first message with no keyword, in Kiswahili: read in every language.
    let n = fresh_number();
    sms_at(&gw, &n, "nisaidie yuko nje na panga", "t-1", now).await;
    let case = only_case(&gw).await;
    assert_eq!((case.urgency.as_str(), case.category.as_str(), case.channel.as_str()), ("critical", "triage", "sms"));
    let to_her = to(&sent(&gw, &mock).await, &n);
    assert!(
        to_her.iter().any(|m| m.starts_with("Uko hatarini sasa? Piga 999 au 112 (bure). Mshauri awasiliane nawe?")),
        "in her language: {to_her:?}"
    );
    gw.cases.escalate_due(Utc::now()).await.unwrap();
    assert_eq!(to(&sent(&gw, &mock).await, AMINA).len(), 1, "paged at once");

    // High: images threatened, in a conversation she started in English.
    let other = fresh_number();
    sms_at(&gw, &other, "HELP", "t-2", now).await;
    sms_at(&gw, &other, "he says he will post my nudes tomorrow", "t-3", now).await;
    let ids = gw.store.cases().open_ids().await.unwrap();
    let mut urgencies = Vec::new();
    for id in &ids {
        urgencies.push(gw.cases.case(id).await.unwrap().unwrap().urgency.as_str());
    }
    urgencies.sort();
    assert_eq!(urgencies, vec!["critical", "high"]);
    assert!(
        to(&sent(&gw, &mock).await, &other).iter().all(|m| !m.contains("danger now, call")),
        "high gets no emergency SMS"
    );

    // Normal words open nothing.
    sms_at(&gw, &fresh_number(), "how do i make my profile private", "t-4", now).await;
    assert_eq!(gw.store.cases().open_ids().await.unwrap().len(), 2);
}

#[actix_web::test]
async fn her_words_on_a_ussd_input_screen_go_through_triage_too() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&settings(&redis, &mock));
    let app = app(gw.clone()).await;
    let n = fresh_number();
    let path = ["1", "2", "4", "he is outside with a knife"];
    for i in 0..=path.len() {
        dial(&app, "ussd-words", &n, KE_CODE, &path[..i].join("*")).await;
    }
    let case = only_case(&gw).await;
    assert_eq!((case.urgency.as_str(), case.category.as_str(), case.channel.as_str()), ("critical", "triage", "ussd"));
    assert!(!case.note.is_empty(), "her words are kept, sealed, on the case");
}

#[actix_web::test]
async fn an_unanswered_case_sends_her_nothing_when_she_did_not_say_sms_is_safe() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&settings(&redis, &mock));
    let survivor = dial_danger(gw.clone()).await; // danger on USSD: nobody asked her about SMS
    let now = Utc::now() + Duration::seconds(1);
    for minutes in [0, 3, 7, 13] {
        gw.cases.escalate_due(now + Duration::minutes(minutes)).await.unwrap();
    }
    assert_eq!(only_case(&gw).await.state, State::Unanswered);
    let messages = sent(&gw, &mock).await;
    assert!(!to(&messages, CAROL).is_empty(), "the supervisors were paged");
    assert!(to(&messages, &survivor).is_empty(), "nothing went to her: {messages:?}");
}

#[actix_web::test]
async fn a_critical_message_gets_no_emergency_sms_when_she_said_sms_is_not_safe() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&settings(&redis, &mock));
    let n = fresh_number();
    for (i, t) in ["HELP", "2", "4", "he is outside with a knife"].iter().enumerate() {
        sms_at(&gw, &n, t, &format!("u-{i}"), Utc::now()).await;
    }
    assert_eq!(only_case(&gw).await.urgency.as_str(), "critical");
    let to_her = to(&sent(&gw, &mock).await, &n);
    assert!(to_her.iter().all(|m| !m.starts_with("If you are in danger now")), "{to_her:?}");
}

/// Redis that refuses INFO and WAIT to Salama's user (a hardened ACL, some managed services):
/// cases open, pages queue and go out as on any single Redis; nothing fails for the replica check.
#[actix_web::test]
async fn a_redis_user_without_info_or_wait_still_opens_cases_and_pages() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let acl = ["ACL", "SETUSER", "salama", "on", ">user-pass-1", "~*", "&*", "+@all", "-info", "-wait"];
    redis.query(&acl).unwrap();
    let url = format!("{}?user=salama&pass=user-pass-1", redis.url());
    let gw = gateway(&escalation_settings_at(&url, &mock));
    dial_danger(gw.clone()).await;
    let case = only_case(&gw).await;
    assert_eq!(case.urgency.as_str(), "critical");
    assert_eq!(gw.cases.escalate_due(Utc::now()).await.unwrap(), 1);
    assert_eq!(to(&sent(&gw, &mock).await, AMINA).len(), 1, "the page went out");
    let denied = redis.query(&["ACL", "LOG"]).unwrap();
    assert!(format!("{denied:?}").contains("info"), "the user was refused INFO: {denied:?}");
}
