//! Safety and privacy, each point against a real Redis: quick exit by SMS, neutral mode, erasure
//! and retention, key rotation, the block list and the rate limit, body limits, consent.

use std::sync::Arc;

use crate::support::*;
use chrono::{Duration, Utc};
use salama::clock::now_ms;
use salama::config::Settings;
use salama::engine::Gateway;
use salama::escalation::case::State;
use wiremock::MockServer;

fn settings(redis: &TestRedis, mock: &MockServer) -> Settings {
    escalation_settings(redis, mock)
}

/// Every SMS the provider got: (to, from, message).
async fn sent(gw: &Gateway, mock: &MockServer) -> Vec<(String, String, String)> {
    while gw.outbox.send_due(now_ms()).await.unwrap() > 0 {}
    mock.received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&r.body).unwrap();
            let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
            (get("to"), get("from"), get("message"))
        })
        .collect()
}

/// A gateway whose first SMS to her is the helpline's answer itself, not the neutral one.
fn answering_in_full(redis: &TestRedis, mock: &MockServer) -> Arc<Gateway> {
    let mut s = settings(redis, mock);
    s.helplines.get_mut("ke").unwrap().neutral_first_sms = false;
    gateway(&s)
}

async fn text(gw: &Gateway, from: &str, body: &str, id: &str) -> salama::engine::SmsOutcome {
    let message = salama::channels::africastalking::parse_sms(sms_form(from, body, id).as_bytes()).unwrap();
    gw.sms(&message, false).await.unwrap()
}

fn user_keys(redis: &TestRedis) -> Vec<String> {
    redis.keys().into_iter().filter(|k| k.starts_with("salama:{u:")).collect()
}

#[actix_web::test]
async fn neutral_mode_sends_a_first_sms_that_names_nothing_from_a_neutral_sender() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&settings(&redis, &mock));
    let n = fresh_number();
    text(&gw, &n, "HELP", "n-1").await;
    let first = sent(&gw, &mock).await;
    // "INFO" cannot take an answer on the demo's networks: the first SMS names the number.
    let wanted = "Hello. Send 1 to 21512 to continue, or 00 to stop.";
    assert_eq!(first, vec![(n.clone(), "INFO".to_owned(), wanted.to_owned())]);
    text(&gw, &n, "1", "n-2").await;
    let second = sent(&gw, &mock).await;
    assert!(second[1].2.starts_with("How can we help?"), "her reply shows the menu: {second:?}");
    assert_eq!(second[1].1, "INFO");

    // Where the helpline says its network lets her answer the sender, "Reply" is enough.
    let mut answerable = settings(&redis, &mock);
    answerable.helplines.get_mut("ke").unwrap().neutral_sender_takes_replies = true;
    let gw = gateway(&answerable);
    let n = fresh_number();
    text(&gw, &n, "HELP", "n-3").await;
    let to_her: Vec<_> = sent(&gw, &mock).await.into_iter().filter(|(to, _, _)| *to == n).collect();
    assert_eq!(to_her[0].2, "Hello. Reply 1 to continue, or 00 to stop.");
}

#[actix_web::test]
async fn the_sms_quick_exit_sends_nothing_and_cancels_what_was_queued_for_her() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&settings(&redis, &mock));
    let n = fresh_number();
    text(&gw, &n, "MSAADA", "q-1").await; // the neutral first SMS is queued, not yet sent
    text(&gw, &n, "acha", "q-2").await;
    assert!(sent(&gw, &mock).await.is_empty(), "nothing went out");
    // Left: marks that hold no content (a message id was handled; the rate limit), which expire.
    let left = user_keys(&redis);
    assert!(left.iter().all(|k| k.contains(":seen:") || k.ends_with(":rate")), "her conversation is gone: {left:?}");
    // 00 works too.
    text(&gw, &n, "HELP", "q-3").await;
    while gw.outbox.send_due(now_ms()).await.unwrap() > 0 {}
    text(&gw, &n, "00", "q-4").await;
    assert_eq!(sent(&gw, &mock).await.len(), 1, "only the reply sent before the exit");

    // The USSD quick exit cancels what is queued for her by SMS too.
    text(&gw, &n, "HELP", "q-5").await;
    let app = app(gw.clone()).await;
    dial(&app, "exit", &n, KE_CODE, "").await;
    dial(&app, "exit", &n, KE_CODE, "1").await;
    let (_, screen) = dial(&app, "exit", &n, KE_CODE, "1*00").await;
    assert_eq!(screen, "END Thank you. Goodbye.");
    assert_eq!(sent(&gw, &mock).await.len(), 1, "the SMS queued before the USSD exit never went");
}

#[actix_web::test]
async fn erasure_by_keyword_removes_her_sessions_transcripts_queued_sms_and_case_contact() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = answering_in_full(&redis, &mock);
    let app = app(gw.clone()).await;
    let n = fresh_number();
    // USSD: language remembered, a case opened.
    for t in ["", "1", "1*1"] {
        dial(&app, "erase", &n, KE_CODE, t).await;
    }
    // SMS: a conversation with her words kept.
    for (i, t) in ["HELP", "7", "2", "1", "he reads my messages"].iter().enumerate() {
        text(&gw, &n, t, &format!("e-{i}")).await;
    }
    let case_id = gw.store.cases().open_ids().await.unwrap()[0].clone();
    assert!(!user_keys(&redis).is_empty());
    text(&gw, &n, "futa", "e-9").await;

    assert!(user_keys(&redis).is_empty(), "{:?}", user_keys(&redis));
    let case = gw.cases.case(&case_id).await.unwrap().unwrap();
    assert_eq!(case.state, State::Closed);
    assert!(case.number.is_empty() && case.note.is_empty() && case.pseudonym.is_empty(), "the case stays, anonymous");
    let number = salama::phone::E164::parse(&n, None).unwrap();
    assert!(gw.transcript("ke", &number).await.unwrap().is_empty());
    assert!(sent(&gw, &mock).await.iter().all(|(to, _, _)| to != &n), "her queued replies were cancelled");
    for key in redis.keys().into_iter().filter(|k| k.starts_with("salama:{outbox}:msg:")) {
        let fields: Vec<String> = redis::from_redis_value(redis.query(&["HKEYS", &key]).unwrap()).unwrap();
        let page = key.contains(":msg:page-") || key.contains(":msg:cmd-");
        assert!(page || !fields.contains(&"to".to_owned()), "{key} still holds her number");
    }
}

#[actix_web::test]
async fn the_admin_api_erases_a_number_and_closed_cases_lose_their_contact_after_retention() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&settings(&redis, &mock));
    let app = app(gw.clone()).await;
    let n = fresh_number();
    for t in ["", "1", "1*1"] {
        dial(&app, "admin-erase", &n, KE_CODE, t).await;
    }
    let post = |uri: &str, json: serde_json::Value, token: &str| {
        actix_web::test::TestRequest::post()
            .uri(uri)
            .insert_header(("Authorization", format!("Bearer {token}")))
            .set_json(json)
            .to_request()
    };
    let refused =
        actix_web::test::call_service(&app, post("/v1/admin/erase", serde_json::json!({"number": n}), "bad")).await;
    assert_eq!(refused.status(), 401);
    assert!(!user_keys(&redis).is_empty(), "a refused request changes nothing");
    let erased = actix_web::test::call_service(
        &app,
        post("/v1/admin/erase", serde_json::json!({"number": n}), "admin-test-token"),
    )
    .await;
    assert_eq!(erased.status(), 200);
    assert!(user_keys(&redis).is_empty());
    let bad = actix_web::test::call_service(
        &app,
        post("/v1/admin/erase", serde_json::json!({"number": "12"}), "admin-test-token"),
    )
    .await;
    assert_eq!(bad.status(), 400);

    // Retention: a closed case keeps her number for case_contact_days (30), then loses it.
    let other = fresh_number();
    for t in ["", "1", "1*1"] {
        dial(&app, "retention", &other, KE_CODE, t).await;
    }
    let case = gw.cases.case(&gw.store.cases().open_ids().await.unwrap()[0]).await.unwrap().unwrap();
    gw.cases.close(&case, "amina", "referred").await.unwrap();
    assert_eq!(gw.cases.purge_due(Utc::now() + Duration::days(29)).await.unwrap(), 0);
    assert!(!gw.cases.case(&case.id).await.unwrap().unwrap().number.is_empty());
    assert!(gw.cases.purge_due(Utc::now() + Duration::days(31)).await.unwrap() >= 1);
    assert!(gw.cases.case(&case.id).await.unwrap().unwrap().number.is_empty());
}

#[actix_web::test]
async fn keys_rotate_seals_every_record_under_the_new_key_and_old_records_stay_readable() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let old = settings(&redis, &mock);
    let gw = gateway(&old);
    let app = app(gw.clone()).await;
    let n = fresh_number();
    for t in ["", "2", "2*1"] {
        dial(&app, "rotate", &n, KE_CODE, t).await;
    }
    text(&gw, &fresh_number(), "HELP", "r-1").await;

    let new_key = "t2:0808080808080808080808080808080808080808080808080808080808080808";
    let mut rolled = settings(&redis, &mock);
    rolled.privacy.encryption_keys = Some(format!("{new_key},{KEYS}").into());
    let rolled = gateway(&rolled);
    let done = rolled.records.reseal_all().await.unwrap();
    assert!(done.resealed >= 5, "{done:?}");
    assert_eq!(done.unreadable, 0);
    assert_eq!(rolled.records.reseal_all().await.unwrap().resealed, 0, "nothing left under the old key");

    // The old key can go: a gateway with the new key alone continues her session.
    let mut only_new = settings(&redis, &mock);
    only_new.privacy.encryption_keys = Some(new_key.into());
    let app = crate::support::app(gateway(&only_new)).await;
    let (_, body) = dial(&app, "rotate", &n, KE_CODE, "2*1*2").await;
    assert!(body.starts_with("CON Nenda mahali salama"), "{body}");
}

#[actix_web::test]
async fn records_no_key_opens_are_counted_logged_once_and_reported_by_check_store() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&settings(&redis, &mock));
    let n = fresh_number();
    text(&gw, &n, "HELP", "u-1").await;
    // The key was dropped from the list by mistake: her conversation does not open.
    let mut wrong = settings(&redis, &mock);
    wrong.privacy.encryption_keys = Some("t9:0909090909090909090909090909090909090909090909090909090909090909".into());
    let wrong = gateway(&wrong);
    text(&wrong, &n, "1", "u-2").await;
    text(&wrong, &n, "1", "u-3").await;
    let counted: u64 = wrong
        .metrics
        .render()
        .lines()
        .find_map(|l| l.strip_prefix("salama_undecryptable_records_total ")?.parse().ok())
        .unwrap();
    assert!(counted >= 1, "the unreadable conversation is counted: {counted}");
    assert!(!wrong.metrics.undecryptable("t1"), "key t1 was already logged once");

    let (readable, unreadable, keys) = wrong.records.unreadable_records().await.unwrap();
    assert!(unreadable >= 1, "{readable} {unreadable}");
    assert_eq!(keys, vec!["t1"]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_salama"))
        .args(["check", "--store"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SALAMA__REDIS__URL", redis.url())
        .env("SALAMA__PRIVACY__PSEUDONYM_SECRET", SECRET)
        .env("SALAMA__PRIVACY__ENCRYPTION_KEYS", "t9:0909090909090909090909090909090909090909090909090909090909090909")
        .env("SALAMA__CHANNELS__ALLOW_UNAUTHENTICATED_TEST_NETWORK", "true")
        .output()
        .unwrap();
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(error.contains("open under no configured key (they name key(s) t1)"), "{error}");
}

#[actix_web::test]
async fn blocked_numbers_are_ignored_and_senders_are_rate_limited_across_gateways() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let mut s = settings(&redis, &mock);
    s.abuse.sms_per_minute = 6;
    s.abuse.sms_burst = 3;
    let (a, b) = (gateway(&s), gateway(&s));
    let app = app(a.clone()).await;
    let n = fresh_number();
    block(&app, &n).await;
    assert_eq!(text(&a, &n, "HELP", "b-1").await, salama::engine::SmsOutcome::Ignored);
    let (_, screen) = dial(&app, "blocked", &n, KE_CODE, "").await;
    assert_eq!(screen, "END Thank you. Goodbye.", "a neutral end, nothing more");
    let list: serde_json::Value = actix_web::test::call_and_read_body_json(
        &app,
        actix_web::test::TestRequest::get()
            .uri("/v1/admin/blocked")
            .insert_header(("Authorization", "Bearer admin-test-token"))
            .to_request(),
    )
    .await;
    assert!(!list.to_string().contains(&n[4..]), "pseudonyms, not numbers: {list}");
    assert_eq!(admin_post(&app, "/v1/admin/blocked/remove", serde_json::json!({"number": n})).await, 200);
    assert_ne!(text(&a, &n, "HELP", "b-2").await, salama::engine::SmsOutcome::Ignored);

    // Rate limit: a burst of 3 above one at a time, wherever the messages land.
    let flood = fresh_number();
    let mut ignored = 0;
    for i in 0..10 {
        let gw = if i % 2 == 0 { &a } else { &b };
        ignored +=
            usize::from(text(gw, &flood, "hello", &format!("f-{i}")).await == salama::engine::SmsOutcome::Ignored);
    }
    assert!((5..=7).contains(&ignored), "{ignored} of 10 ignored");
    let exit = text(&a, &flood, "00", "f-exit").await;
    assert_eq!(
        exit,
        salama::engine::SmsOutcome::Handled { queued: 0, reply: None },
        "the quick exit works over the limit"
    );
}

/// Her language is hers, not a channel's: chosen on a USSD language screen (and kept there with
/// that session's id), it is the one her first SMS is answered in.
#[actix_web::test]
async fn a_language_chosen_over_ussd_is_the_one_her_sms_begins_in() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = answering_in_full(&redis, &mock);
    let app = app(gw.clone()).await;
    let n = fresh_number();
    dial(&app, "lang", &n, KE_CODE, "").await;
    assert!(dial(&app, "lang", &n, KE_CODE, "2").await.1.starts_with("CON Tukusaidieje?"));
    text(&gw, &n, "habari", "l-1").await;
    let first = sent(&gw, &mock).await;
    assert!(first[0].2.starts_with("Tukusaidieje?"), "{first:?}");
}

/// POSTs `json` to the admin API with its token; the answer's status.
async fn admin_post<S, B>(app: &S, uri: &str, json: serde_json::Value) -> u16
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let req = actix_web::test::TestRequest::post()
        .uri(uri)
        .insert_header(("Authorization", "Bearer admin-test-token"))
        .set_json(json)
        .to_request();
    actix_web::test::call_service(app, req).await.status().as_u16()
}

/// Puts `number` on the block list through the admin API.
async fn block<S, B>(app: &S, number: &str)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    assert_eq!(admin_post(app, "/v1/admin/blocked", serde_json::json!({"number": number})).await, 200);
}

/// The block list is read on every hop, not only the first: a number blocked while her session
/// runs gets the neutral goodbye on her next hop, on a gateway that loads her session (another
/// instance: her session stored, a session's second request, her session lost) and on the one
/// that kept its state (its save reads the block list: what it wrote is taken back), and a step
/// that would open a case opens none.
#[actix_web::test]
async fn a_number_blocked_mid_session_is_refused_on_her_next_hop() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let settings = settings(&redis, &mock);
    let app = app(gateway(&settings)).await;
    let other = crate::support::app(gateway(&settings)).await;
    let n = fresh_number();
    for text in ["", "1", "1*4"] {
        assert!(dial(&app, "mid", &n, KE_CODE, text).await.1.starts_with("CON "));
    }
    dial(&app, "second", &n, KE_CODE, "").await;
    dial(&app, "danger", &n, KE_CODE, "").await;
    block(&app, &n).await;
    let goodbye = "END Thank you. Goodbye.";
    let ussd_keys = || redis.keys().into_iter().filter(|k| k.contains(":ussd:")).count();
    let stored = ussd_keys();
    // Another instance loads: the block list comes with her session, or with her language.
    assert_eq!(dial(&other, "mid", &n, KE_CODE, "1*4*1").await.1, goodbye, "her session stored");
    assert_eq!(dial(&other, "second", &n, KE_CODE, "4").await.1, goodbye, "a session's second request");
    assert_eq!(ussd_keys(), stored, "a refused hop that loaded wrote nothing");
    // The gateway that kept the states: each save reads the block list in its pipeline.
    assert_eq!(dial(&app, "mid", &n, KE_CODE, "1*4*1").await.1, goodbye, "her session kept");
    assert_eq!(dial(&app, "second", &n, KE_CODE, "4").await.1, goodbye, "a session's second request, kept");
    assert_eq!(ussd_keys(), 0, "a refused hop keeps nothing");
    // A step that would open a case loads first, and opens none.
    assert_eq!(dial(&app, "danger", &n, KE_CODE, "1").await.1, goodbye, "in danger");
    let cases: Vec<String> = redis.keys().into_iter().filter(|k| k.contains("{esc}")).collect();
    assert!(cases.is_empty(), "no case for a blocked number: {cases:?}");
    // Nor the language a first caller chose on her second request, blocked after her first.
    let first_caller = fresh_number();
    let languages = || redis.keys().into_iter().filter(|k| k.ends_with(":locale")).count();
    let before = languages();
    dial(&app, "new", &first_caller, KE_CODE, "").await;
    block(&app, &first_caller).await;
    assert_eq!(dial(&app, "new", &first_caller, KE_CODE, "2").await.1, goodbye, "her language choice");
    assert_eq!((ussd_keys(), languages()), (0, before), "no session, no language of hers");
    // A lost session: the hop that reads her language to rebuild it reads the block list too.
    assert_eq!(dial(&other, "mid", &n, KE_CODE, "1*4*1*0").await.1, goodbye, "her session lost");
}

#[actix_web::test]
async fn every_route_limits_its_body() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let app = app(gateway(&settings(&redis, &mock))).await;
    let sms =
        format!("text={}&to=21512&id=x&date=2026-11-29+10%3A00%3A00&from=%2B254711000111", "a".repeat(300 * 1024));
    assert_eq!(post_form(&app, "/v1/sms/africastalking", &sms).await.0, 413);
    let big = serde_json::json!({"number": "a".repeat(20 * 1024)});
    assert_eq!(admin_post(&app, "/v1/admin/erase", big).await, 413);
    assert!(redis.keys().is_empty());
}

#[actix_web::test]
async fn reports_count_only_cases_whose_survivors_consented() {
    let (redis, mock) = (TestRedis::start(), provider().await);
    let gw = gateway(&settings(&redis, &mock));
    let app = app(gw.clone()).await;
    // Talk to a counsellor, consent yes; and the same with consent no.
    for (consent, session) in [("1", "c-yes"), ("2", "c-no")] {
        let n = fresh_number();
        let path = ["1", "2", "4", "my words", consent];
        for i in 0..=path.len() {
            dial(&app, session, &n, KE_CODE, &path[..i].join("*")).await;
        }
    }
    // Danger (critical) asks nothing: no consent, so not counted.
    dial_hops(&app, "c-danger", &fresh_number(), KE_CODE, "1*1").await;
    assert_eq!(gw.store.cases().all().await.unwrap().len(), 3);
    let report = gw.cases.report().await.unwrap();
    assert_eq!(report.len(), 1, "{report:?}");
    assert_eq!(report.get(&("ke".into(), "normal".into(), "counsellor".into(), "open".into())), Some(&1));
}
