//! The crisis path (issue 16), each point on Redis and on the embedded store: the quick exit
//! answered before any store call, her words read by triage on any screen, how she may be
//! reached asked and put on her case, no guess when the store lost her session, one case and a
//! bounded audit trail for a path that goes in and out of danger, her exit ending a relay.

use chrono::Utc;
use salama::config::Settings;
use salama::engine::Gateway;
use salama::escalation::case::{Answer, State};

use crate::support::*;

/// The test rota on Redis and the same on the embedded store (wiremock as the provider).
async fn both() -> Vec<(Option<TestRedis>, Settings, wiremock::MockServer)> {
    let mut all = Vec::new();
    for embedded in [false, true] {
        let (redis, mock) = (TestRedis::start(), provider().await);
        let mut settings = escalation_settings(&redis, &mock);
        for h in settings.helplines.values_mut() {
            h.neutral_first_sms = false;
        }
        if embedded {
            settings.redis.url = None;
        }
        all.push((Some(redis), settings, mock));
    }
    all
}

async fn sms(gw: &Gateway, from: &str, text: &str, id: &str) {
    text_at(gw, from, text, id, Utc::now()).await.unwrap();
}

/// What the provider was asked to send to `number`.
async fn sent_to(gw: &Gateway, mock: &wiremock::MockServer, number: &str) -> Vec<String> {
    while gw.outbox.send_due(salama::clock::now_ms()).await.unwrap() > 0 {}
    let requests = mock.received_requests().await.unwrap();
    requests
        .iter()
        .filter_map(|r| {
            let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&r.body).ok()?;
            let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|p| p.1.clone());
            (get("to")? == number).then(|| get("message")).flatten()
        })
        .collect()
}

#[actix_web::test]
async fn the_quick_exit_is_neutral_with_the_store_down() {
    let mut redis = TestRedis::start();
    let app = app(gateway(&demo_settings(Some(&redis.url())))).await;
    redis.kill();
    let n = fresh_number();
    // Without the store, "1" could be English or the danger option: the neutral goodbye.
    let (_, body) = dial(&app, "down", &n, KE_CODE, "1*00").await;
    assert_eq!(body, "END Thank you. Goodbye.");
    let (_, body) = dial(&app, "down", &n, KE_CODE, "00").await;
    assert_eq!(body, "END Thank you. Goodbye.");
    // Anything else gets the emergency numbers.
    let (_, other) = dial(&app, "down", &n, KE_CODE, "1*1").await;
    assert!(other.contains("999"), "{other}");
}

#[actix_web::test]
async fn free_text_on_a_menu_is_her_words_and_a_critical_one_opens_a_case_and_asks_how_to_reach_her() {
    for (_redis, settings, mock) in both().await {
        let gw = gateway(&settings);
        let n = fresh_number();
        sms(&gw, &n, "HELP", "f-1").await;
        assert!(gw.store.cases().open_ids().await.unwrap().is_empty());
        sms(&gw, &n, "he is outside with a knife", "f-2").await;
        let case = only_case(&gw).await;
        assert_eq!(
            (case.urgency.as_str(), case.call_safe, case.sms_safe),
            ("critical", Answer::NotAsked, Answer::NotAsked)
        );
        let to_her = sent_to(&gw, &mock, &n).await;
        assert!(to_her.iter().any(|m| m.contains("May a counsellor contact you? Reply 1")), "{to_her:?}");
        // She answers 2: SMS is safe; the case says so.
        sms(&gw, &n, "2", "f-3").await;
        let case = only_case(&gw).await;
        assert_eq!((case.call_safe, case.sms_safe, case.asked), (Answer::No, Answer::Yes, false));
    }
}

#[actix_web::test]
async fn after_the_danger_screen_her_answer_updates_the_open_case() {
    for (_redis, settings, _mock) in both().await {
        let gw = gateway(&settings);
        let app = app(gw.clone()).await;
        let n = fresh_number();
        dial_hops(&app, "reach", &n, KE_CODE, "1*1").await;
        let case = only_case(&gw).await;
        assert_eq!((case.call_safe, case.sms_safe), (Answer::NotAsked, Answer::NotAsked), "not asked, not no");
        let (_, body) = dial(&app, "reach", &n, KE_CODE, "1*1*1").await;
        assert!(body.starts_with("CON Is it safe for a counsellor to contact you?"), "{body}");
        let (_, done) = dial(&app, "reach", &n, KE_CODE, "1*1*1*2").await;
        assert!(done.starts_with("END "), "{done}");
        let case = only_case(&gw).await;
        assert_eq!((case.call_safe, case.sms_safe, case.urgency.as_str()), (Answer::No, Answer::Yes, "critical"));
    }
}

#[actix_web::test]
async fn in_and_out_of_danger_500_times_in_one_request_opens_one_case_with_a_bounded_trail() {
    for (_redis, settings, _mock) in both().await {
        let gw = gateway(&settings);
        let app = app(gw.clone()).await;
        let n = fresh_number();
        dial_hops(&app, "lang", &n, KE_CODE, "1").await; // English remembered: a certain start
        let text = vec!["1*0"; 500].join("*");
        assert!(text.len() < 2100);
        dial(&app, "many", &n, KE_CODE, "").await;
        dial(&app, "many", &n, KE_CODE, &text).await;
        let case = only_case(&gw).await;
        let log = gw.store.cases().log(&case.id).await.unwrap();
        assert!(log.len() <= 2, "{log:?}");
        // And the trail of any case stays bounded.
        for i in 0..250 {
            let version = gw.cases.case(&case.id).await.unwrap().unwrap().version;
            let write = salama::store::CaseWrite {
                id: case.id.clone(),
                version,
                fields: vec![],
                timer: salama::store::Timer::Keep,
                close: None,
                log: vec![format!("line {i}")],
            };
            assert!(gw.store.cases().write(&write).await.unwrap());
        }
        let log = gw.store.cases().log(&case.id).await.unwrap();
        assert_eq!(log.len(), salama::store::cases::LOG_LINES);
    }
}

#[actix_web::test]
async fn a_lost_session_and_language_restart_without_a_false_case() {
    for (_redis, settings, _mock) in both().await {
        let gw = gateway(&settings);
        let app = app(gw.clone()).await;
        // A returning caller's "danger" path, sent with nothing stored and no language known.
        let (_, body) = dial(&app, "lost", &fresh_number(), KE_CODE, "1*1").await;
        assert!(body.starts_with("CON Choose language"), "{body}");
        assert!(gw.store.cases().open_ids().await.unwrap().is_empty(), "no false case");
    }
}

/// She texts HELP, asks for a counsellor, leaves a note and says how to reach her: her case,
/// paged to the counsellor on call. `prefix` keeps the message ids of each test apart.
async fn her_case_with_a_note(gw: &Gateway, n: &str, prefix: &str) -> salama::escalation::case::Case {
    for (i, t) in ["HELP", "2", "5", "my words for you", "1"].iter().enumerate() {
        sms(gw, n, t, &format!("{prefix}-{}-{i}", &n[1..])).await;
    }
    let case = only_case(gw).await;
    gw.cases.escalate_due(Utc::now()).await.unwrap();
    case
}

#[actix_web::test]
async fn her_quick_exit_ends_the_relay_and_her_note_reaches_only_the_counsellor_who_took_the_case() {
    for (_redis, settings, mock) in both().await {
        let gw = gateway(&settings);
        let n = fresh_number();
        let case = her_case_with_a_note(&gw, &n, "r").await;
        let amina = "+254700000101";
        let pages = sent_to(&gw, &mock, amina).await;
        assert!(!pages.is_empty(), "the counsellor on call was paged");
        assert!(pages.iter().all(|p| !p.contains("my words")), "no note in a page: {pages:?}");
        sms(&gw, amina, &format!("ACK {}", case.code), "a-ack").await;
        let to_amina = sent_to(&gw, &mock, amina).await;
        assert!(to_amina.iter().any(|m| m.ends_with("her words: my words for you")), "{to_amina:?}");
        assert_eq!(only_case(&gw).await.state, State::Acknowledged);

        sms(&gw, &n, "STOP", "r-stop").await;
        sms(&gw, amina, &format!("{} are you safe?", case.code), "a-2").await;
        let to_amina = sent_to(&gw, &mock, amina).await;
        assert!(
            to_amina
                .iter()
                .any(|m| m
                    .contains("She left the conversation (quick exit). Do not contact her unless she writes again.")),
            "{to_amina:?}"
        );
        assert!(to_amina.iter().any(|m| m.starts_with("Not sent.")), "{to_amina:?}");
        assert!(sent_to(&gw, &mock, &n).await.iter().all(|m| !m.contains("are you safe")), "not delivered to her");
    }
}

#[actix_web::test]
async fn a_case_reassigned_in_the_console_is_texted_to_its_new_counsellor_and_the_old_one_is_told() {
    for (_redis, settings, mock) in both().await {
        let gw = gateway(&settings);
        let n = fresh_number();
        let case = her_case_with_a_note(&gw, &n, "g").await;
        let (amina, brian) = ("+254700000101", "+254700000102");
        sms(&gw, amina, &format!("ACK {}", case.code), "g-ack").await;
        let before = sent_to(&gw, &mock, brian).await.len();

        let outcome = gw.cases.reassign(&case.code, "brian", "sam").await.unwrap();
        assert_eq!(outcome, salama::cases::Outcome::Done);
        let to_brian = sent_to(&gw, &mock, brian).await;
        let given = format!("A supervisor gave you case {}.", case.code);
        assert!(to_brian[before..].iter().any(|m| m.starts_with(&given)), "{to_brian:?}");
        assert!(to_brian[before..].iter().any(|m| m.ends_with("her words: my words for you")), "{to_brian:?}");
        let to_amina = sent_to(&gw, &mock, amina).await;
        assert!(to_amina.last().unwrap().contains("to Brian. It is no longer yours"), "{to_amina:?}");
        let now = only_case(&gw).await;
        assert_eq!((now.state, now.assigned.as_str()), (State::Acknowledged, "brian"));

        // Brian may now write to her; Amina may not.
        sms(&gw, brian, &format!("{} I am here", case.code), "g-b1").await;
        assert!(sent_to(&gw, &mock, &n).await.iter().any(|m| m.contains("I am here")));
    }
}
