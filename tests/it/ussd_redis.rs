//! Sessions on a real redis-server of the test's own: restarts, several instances, repeats,
//! a flushed or dead Redis, and what the keys hold.

use std::time::{Duration, Instant};

use crate::support::*;

fn metric(gateway: &salama::engine::Gateway, line_start: &str) -> u64 {
    let text = gateway.metrics.render();
    text.lines()
        .find_map(|l| l.strip_prefix(line_start)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("{line_start} not in\n{text}"))
}

/// Calls of one command Redis has served, from INFO commandstats.
fn calls(redis: &TestRedis, command: &str) -> u64 {
    let info: String = redis::from_redis_value(redis.query(&["INFO", "commandstats"]).unwrap()).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("cmdstat_{command}:calls=")))
        .map_or(0, |rest| rest.split(',').next().unwrap().parse().unwrap())
}

#[actix_web::test]
async fn a_session_continues_across_a_gateway_restart() {
    let redis = TestRedis::start();
    let settings = demo_settings(Some(&redis.url()));
    let n = fresh_number();
    {
        let app = app(gateway(&settings)).await;
        dial(&app, "restart", &n, KE_CODE, "").await;
        dial(&app, "restart", &n, KE_CODE, "1").await;
    } // the first gateway is gone
    let second = gateway(&settings);
    let app = app(second.clone()).await;
    let (_, body) = dial(&app, "restart", &n, KE_CODE, "1*4").await;
    assert!(body.starts_with("CON Phone or account:"), "{body}");
    assert_eq!(metric(&second, "salama_ussd_rebuilt_total"), 0, "the stored session was used, not rebuilt");
}

#[actix_web::test]
async fn two_instances_serve_alternate_hops_of_one_session() {
    let redis = TestRedis::start();
    let settings = demo_settings(Some(&redis.url()));
    let (a, b) = (gateway(&settings), gateway(&settings));
    let (app_a, app_b) = (app(a.clone()).await, app(b.clone()).await);
    let reference = app(gateway(&demo_settings(None))).await;
    let n = fresh_number();
    let path = ["", "2", "2*1", "2*1*3", "2*1*3*4", "2*1*3*4*anasoma simu yangu", "2*1*3*4*anasoma simu yangu*1"];
    for (i, text) in path.iter().enumerate() {
        let app = if i % 2 == 0 { &app_a } else { &app_b };
        let (_, body) = dial(app, "alternate", &n, KE_CODE, text).await;
        let (_, expected) = dial(&reference, "alternate", "+254711000111", KE_CODE, text).await;
        assert_eq!(body, expected, "hop {i} ({text:?})");
    }
    let critical = metric(&a, "salama_escalations_total{urgency=\"critical\"}")
        + metric(&b, "salama_escalations_total{urgency=\"critical\"}");
    let normal = metric(&a, "salama_escalations_total{urgency=\"normal\"}")
        + metric(&b, "salama_escalations_total{urgency=\"normal\"}");
    assert_eq!((critical, normal), (1, 1), "the danger screen and the counsellor request, once each");
    assert_eq!(metric(&a, "salama_ussd_rebuilt_total") + metric(&b, "salama_ussd_rebuilt_total"), 0);
}

#[actix_web::test]
async fn a_repeated_request_returns_the_same_screen_and_repeats_no_effect() {
    let redis = TestRedis::start();
    let gw = gateway(&demo_settings(Some(&redis.url())));
    let app = app(gw.clone()).await;
    let n = fresh_number();
    dial(&app, "repeat", &n, KE_CODE, "").await;
    dial(&app, "repeat", &n, KE_CODE, "1").await;
    let (_, first) = dial(&app, "repeat", &n, KE_CODE, "1*1").await;
    let (_, again) = dial(&app, "repeat", &n, KE_CODE, "1*1").await;
    assert!(first.starts_with("CON In danger now?"), "{first}");
    assert_eq!(first, again);
    assert_eq!(metric(&gw, "salama_escalations_total{urgency=\"critical\"}"), 1);
    assert_eq!(metric(&gw, "salama_ussd_repeats_total"), 1);
    // A late copy of an earlier hop does not move the session back.
    let (_, late) = dial(&app, "repeat", &n, KE_CODE, "1").await;
    assert!(late.starts_with("CON How can we help?"), "{late}");
    let (_, next) = dial(&app, "repeat", &n, KE_CODE, "1*1*2").await;
    assert!(next.starts_with("CON Go to a safe place"), "{next}");
    assert_eq!(metric(&gw, "salama_escalations_total{urgency=\"critical\"}"), 1);
}

#[actix_web::test]
async fn a_redis_flushed_mid_session_is_rebuilt_from_the_text_path() {
    let redis = TestRedis::start();
    let gw = gateway(&demo_settings(Some(&redis.url())));
    let app = app(gw.clone()).await;
    let n = fresh_number();
    for text in ["", "2", "2*4", "2*4*1"] {
        dial(&app, "flush", &n, KE_CODE, text).await;
    }
    // The session and her language are gone, and her next hop reaches a gateway that kept
    // nothing of it (the one that served her last hop steps from what it kept): how it began is
    // unknown, so it starts over.
    redis.query(&["FLUSHALL"]).unwrap();
    let other = gateway(&demo_settings(Some(&redis.url())));
    let app = crate::support::app(other.clone()).await;
    let (_, body) = dial(&app, "flush", &n, KE_CODE, "2*4*1*1").await;
    assert!(body.starts_with("CON Choose language / Chagua lugha"), "no guess: {body}");
    assert_eq!(metric(&other, "salama_ussd_rebuilt_total"), 1);
    assert_eq!(metric(&gw, "salama_ussd_rebuilt_total"), 0);
    let (_, next) = dial(&app, "flush", &n, KE_CODE, "2*4*1*1*2").await;
    assert!(next.starts_with("CON Tukusaidieje?"), "she goes on from the restart: {next}");

    // Only the session is gone, her language is remembered: the path is replayed from the menu.
    let n = fresh_number();
    for text in ["", "2", "2*4", "2*4*1"] {
        dial(&app, "lost", &n, KE_CODE, text).await;
    }
    let dial_again = dial(&app, "lost2", &n, KE_CODE, "").await.1;
    assert!(dial_again.starts_with("CON Tukusaidieje?"), "{dial_again}");
    for key in redis.keys().iter().filter(|k| k.contains(":ussd:")) {
        redis.query(&["DEL", key]).unwrap();
    }
    let app = crate::support::app(gateway(&demo_settings(Some(&redis.url())))).await;
    let (_, body) = dial(&app, "lost2", &n, KE_CODE, "4*1*1").await;
    assert!(body.starts_with("CON Mara nyingi ufuatiliaji hufanyika"), "Kiswahili, tracked, signs: {body}");
    let (_, next) = dial(&app, "lost2", &n, KE_CODE, "4*1*1*0").await;
    assert!(next.starts_with("CON Kama mtu anajua unakokwenda"), "the rebuilt session goes back correctly: {next}");
}

/// The store is the truth: a session it no longer holds (an erasure, a flush) is not brought
/// back by the gateway that kept its state. That hop's save is undone and the session loaded:
/// here her language is gone too, so it starts over.
#[actix_web::test]
async fn a_session_the_store_lost_is_not_brought_back_by_the_gateway_that_kept_it() {
    let redis = TestRedis::start();
    let gw = gateway(&demo_settings(Some(&redis.url())));
    let app = app(gw.clone()).await;
    let n = fresh_number();
    for text in ["", "2", "2*4", "2*4*1"] {
        dial(&app, "kept", &n, KE_CODE, text).await;
    }
    redis.query(&["FLUSHALL"]).unwrap();
    let undos = calls(&redis, "evalsha") + calls(&redis, "eval");
    let (_, body) = dial(&app, "kept", &n, KE_CODE, "2*4*1*1").await;
    assert!(body.starts_with("CON Choose language / Chagua lugha"), "no guess: {body}");
    // (A first script call is an EVALSHA the fresh Redis refuses, then its EVAL.)
    assert!(calls(&redis, "evalsha") + calls(&redis, "eval") > undos, "the kept state's save undone");
    assert_eq!(metric(&gw, "salama_ussd_rebuilt_total"), 1);
}

/// A session lost after its own language screen saved her choice restarts on the first screen:
/// rebuilt as a returning caller's, its language choice "1" would be the menu's "in danger" and
/// open a false critical case. Her language stays remembered for her next session.
#[actix_web::test]
async fn a_session_lost_after_it_chose_her_language_restarts_rather_than_read_that_choice_as_the_menu() {
    let redis = TestRedis::start();
    let gw = gateway(&demo_settings(Some(&redis.url())));
    let app = app(gw.clone()).await;
    let n = fresh_number();
    for text in ["", "1", "1*4"] {
        dial(&app, "own", &n, KE_CODE, text).await;
    }
    for key in redis.keys().iter().filter(|k| k.contains(":ussd:")) {
        redis.query(&["DEL", key]).unwrap();
    }
    // Her next hop reaches a gateway that kept nothing of her session.
    let gw = gateway(&demo_settings(Some(&redis.url())));
    let app = crate::support::app(gw.clone()).await;
    let (_, body) = dial(&app, "own", &n, KE_CODE, "1*4*1").await;
    assert!(body.starts_with("CON Choose language / Chagua lugha"), "no guess: {body}");
    assert_eq!(metric(&gw, "salama_escalations_total{urgency=\"critical\"}"), 0);
    assert_eq!(metric(&gw, "salama_ussd_rebuilt_total"), 1);
    let (_, next) = dial(&app, "next", &n, KE_CODE, "").await;
    assert!(next.starts_with("CON How can we help?"), "{next}");
}

#[actix_web::test]
async fn with_redis_down_the_survivor_still_gets_the_emergency_numbers() {
    let mut redis = TestRedis::start();
    let gw = gateway(&demo_settings(Some(&redis.url())));
    let app = app(gw.clone()).await;
    let n = fresh_number();
    dial(&app, "down", &n, KE_CODE, "").await;
    redis.kill();
    let started = Instant::now();
    let (status, body) = dial(&app, "down", &n, KE_CODE, "1").await;
    assert_eq!(status, 200);
    assert!(body.starts_with("END Sorry, please try again later. In danger now? Call 999 or 112"), "{body}");
    assert!(started.elapsed() < Duration::from_secs(5), "answered in {:?}", started.elapsed());
    let req = actix_web::test::TestRequest::get().uri("/readyz").to_request();
    assert_eq!(actix_web::test::call_service(&app, req).await.status(), 503);

    redis.restart();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, body) = dial(&app, "down-again", &n, KE_CODE, "1").await;
        if body.starts_with("CON How can we help?") {
            break;
        }
        assert!(Instant::now() < deadline, "no recovery after Redis came back: {body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[actix_web::test]
async fn keys_hold_no_number_expire_and_a_session_is_small() {
    let redis = TestRedis::start();
    let app = app(gateway(&demo_settings(Some(&redis.url())))).await;
    let n = fresh_number();
    for text in ["", "1", "1*2", "1*2*4", "1*2*4*he reads my phone", "1*2*4*he reads my phone*1"] {
        dial(&app, "keys", &n, KE_CODE, text).await;
    }
    let keys = redis.keys();
    let digits = n.trim_start_matches('+');
    for key in &keys {
        assert!(!key.contains(&digits[3..]), "{key} holds the number");
        assert!(key.starts_with("salama:{u:") || key.starts_with("salama:{esc}:"), "{key}");
    }
    let subscriber: Vec<&String> = keys.iter().filter(|k| k.starts_with("salama:{u:")).collect();
    assert_eq!(subscriber.len(), 2, "the session and the language: {keys:?}");
    for key in subscriber {
        let ttl: i64 = redis::from_redis_value(redis.query(&["TTL", key]).unwrap()).unwrap();
        assert!(ttl > 0, "{key} never expires");
        if key.contains(":ussd:") {
            assert!(ttl <= 240, "session TTL {ttl}");
            let len: i64 = redis::from_redis_value(redis.query(&["STRLEN", key]).unwrap()).unwrap();
            assert!(len < 256, "a session is {len} bytes");
        }
    }
}

/// Round trips a hop costs, counted by the commands Redis served. The gateway keeps the state
/// it saved last for each session (issue 13), so a hop that continues one costs one round
/// trip; a hop another instance continues, or whose session was lost, loads as before.
#[actix_web::test]
async fn a_hop_costs_one_round_trip_on_the_instance_that_served_the_last() {
    let redis = TestRedis::start();
    let settings = demo_settings(Some(&redis.url()));
    let first = app(gateway(&settings)).await;
    let count = || ["mget", "exists", "set", "evalsha", "eval"].map(|c| calls(&redis, c));
    let delta = |a: [u64; 5], b: [u64; 5]| -> [u64; 5] { std::array::from_fn(|i| b[i] - a[i]) };
    let n = fresh_number();
    let before = count();
    dial(&first, "trips", &n, KE_CODE, "").await;
    let after_first = count();
    assert_eq!(delta(before, after_first), [1, 0, 0, 0, 0], "first hop: one MGET (language, block list)");
    // Each later hop: one pipeline, `EXISTS` of the block list and the `SET … GET`; choosing the
    // language adds the SET that remembers it, in the same pipeline. No read, no script.
    dial(&first, "trips", &n, KE_CODE, "1").await;
    dial(&first, "trips", &n, KE_CODE, "1*4").await;
    let after_next = count();
    assert_eq!(delta(after_first, after_next), [0, 2, 3, 0, 0], "two hops: one EXISTS and one SET … GET each");

    // Another instance continues her session: it loads it (session and block list), then saves.
    let other = app(gateway(&settings)).await;
    let before_other = count();
    let (_, body) = dial(&other, "trips", &n, KE_CODE, "1*4*1").await;
    assert!(body.starts_with("CON "), "{body}");
    assert_eq!(delta(before_other, count()), [1, 0, 1, 0, 0], "another instance: one MGET, then the save");

    // A hop whose session was lost, on an instance that kept nothing of it, reads her language
    // too, to rebuild it: one round trip more. (In a later session: the language screen's choice
    // is the one she made before.)
    dial(&first, "trips2", &n, KE_CODE, "").await;
    dial(&first, "trips2", &n, KE_CODE, "4").await;
    for key in redis.keys().iter().filter(|k| k.contains(":ussd:")) {
        redis.query(&["DEL", key]).unwrap();
    }
    let fresh = app(gateway(&settings)).await;
    let before_lost = count();
    let (_, body) = dial(&fresh, "trips2", &n, KE_CODE, "4*1").await;
    assert!(body.starts_with("CON If someone knows where you go"), "{body}");
    assert_eq!(delta(before_lost, count()), [2, 0, 1, 0, 0], "a lost session: two MGETs, then the save");
}

/// A hop served by another instance, then retried on this one, which kept the older state:
/// the save finds another state stored, so it is put back and the stored one used.
#[actix_web::test]
async fn a_retry_of_a_hop_another_instance_served_changes_nothing() {
    let redis = TestRedis::start();
    let settings = demo_settings(Some(&redis.url()));
    let (first, second) = (gateway(&settings), gateway(&settings));
    let (a, b) = (app(first.clone()).await, app(second).await);
    let n = fresh_number();
    dial(&a, "retry", &n, KE_CODE, "").await;
    dial(&a, "retry", &n, KE_CODE, "1").await;
    let (_, served) = dial(&b, "retry", &n, KE_CODE, "1*4").await;
    let key = redis.keys().into_iter().find(|k| k.contains(":ussd:")).expect("her session");
    let stored = redis.query(&["GET", &key]).unwrap();
    let undos = calls(&redis, "evalsha") + calls(&redis, "eval");
    let (_, retried) = dial(&a, "retry", &n, KE_CODE, "1*4").await;
    assert_eq!(retried, served, "the same screen");
    assert!(calls(&redis, "evalsha") + calls(&redis, "eval") > undos, "its save over the kept state undone");
    assert_eq!(redis.query(&["GET", &key]).unwrap(), stored, "the newer state is back");
    // Her next hop, on the instance that kept the older state, steps from the stored one.
    let (_, next) = dial(&a, "retry", &n, KE_CODE, "1*4*1").await;
    assert!(next.starts_with("CON If someone knows where you go"), "{next}");
    assert_eq!(metric(&first, "salama_ussd_rebuilt_total"), 0, "no replay: the stored session was used");
}

#[actix_web::test]
async fn sessions_work_over_tls_with_a_private_ca() {
    let redis = TestRedis::start_tls();
    let mut settings = demo_settings(Some(&redis.url()));
    settings.redis.ca_file = Some(redis.ca_file());
    let app = app(gateway(&settings)).await;
    let n = fresh_number();
    let (_, body) = dial_hops(&app, "tls", &n, KE_CODE, "1*5*1").await;
    assert!(body.starts_with("CON Do not reply or argue."), "{body}");
    assert_eq!(redis.keys().len(), 2, "the session and the language went to the TLS server");

    // Without the CA the server's certificate is not trusted: the survivor gets the fallback.
    let untrusting = crate::support::app(gateway(&demo_settings(Some(&redis.url())))).await;
    let (_, refused) = dial(&untrusting, "tls2", &fresh_number(), KE_CODE, "1").await;
    assert!(refused.starts_with("END Sorry, please try again later."), "{refused}");
}

/// Each actix worker drives a Redis connection of its own, made on its own thread (issue 13):
/// two workers serving hops, two connections; the shared one is not dialled by a hop.
#[actix_web::test]
async fn each_worker_dials_redis_on_its_own_thread() {
    let redis = TestRedis::start();
    let gw = gateway(&demo_settings(Some(&redis.url())));
    let server =
        actix_web::HttpServer::new(move || actix_web::App::new().configure(salama::http::routes(gw.clone(), 8192)))
            .workers(2)
            .bind("127.0.0.1:0")
            .unwrap();
    let url = format!("http://{}/v1/ussd/africastalking", server.addrs()[0]);
    actix_web::rt::spawn(server.run());
    for i in 0..8 {
        let number = fresh_number();
        let session = format!("worker-{i}");
        let form = [("sessionId", session.as_str()), ("serviceCode", KE_CODE), ("phoneNumber", &number), ("text", "1")];
        // A client a request: a connection each, which the workers take in turn.
        let answer = reqwest::Client::new().post(&url).form(&form).send().await.unwrap();
        assert!(answer.text().await.unwrap().starts_with("CON How can we help?"));
    }
    let list: String = redis::from_redis_value(redis.query(&["CLIENT", "LIST"]).unwrap()).unwrap();
    let gateway_connections = list.lines().filter(|l| !l.contains("cmd=client|list")).count();
    assert_eq!(gateway_connections, 2, "{list}");
}

/// An instance of a version that kept sessions under `...:ussd:<provider>:<session id>` may
/// run beside this one during an upgrade: her quick exit deletes that copy too.
#[actix_web::test]
async fn the_quick_exit_also_deletes_the_session_an_earlier_version_kept() {
    let redis = TestRedis::start();
    let app = app(gateway(&demo_settings(Some(&redis.url())))).await;
    let n = fresh_number();
    dial(&app, "upgrade", &n, KE_CODE, "").await;
    dial(&app, "upgrade", &n, KE_CODE, "1").await;
    let session = redis.keys().into_iter().find(|k| k.contains(":ussd:")).expect("her session");
    let user = session.split(":ussd:").next().unwrap();
    let earlier = format!("{user}:ussd:africastalking:upgrade");
    redis.query(&["SET", &earlier, "sealed by an earlier version", "EX", "240"]).unwrap();

    let (_, goodbye) = dial(&app, "upgrade", &n, KE_CODE, "1*00").await;
    assert!(goodbye.starts_with("END "), "{goodbye}");
    let left: Vec<String> = redis.keys().into_iter().filter(|k| k.contains(":ussd:")).collect();
    assert!(left.is_empty(), "both copies of her session are gone: {left:?}");
}

/// Two late saves of one session at once, as two requests on one connection can make them: both
/// `SET … GET`s land before either undo runs. The undo the store runs (its script, run here by
/// hand in both orders) leaves the newest state whichever undo comes first; an undo that only
/// put back what its own write replaced, if the key still held that write, left the older one.
#[test]
fn two_late_saves_at_once_leave_the_newest_state_whichever_undo_runs_first() {
    const UNDO: &str = include_str!("../../src/store/lua/undo_session.lua");
    let (key, locale) = ("salama:{u:p}:ussd:0", "salama:{u:p}:locale");
    // Encoded sessions start with their hop count, two bytes big-endian.
    let (two, retry, late) = ("\u{0}\u{2}two", "\u{0}\u{2}retry", "\u{0}\u{1}late");
    for retry_undone_first in [true, false] {
        let redis = TestRedis::start();
        redis.query(&["SET", key, two, "EX", "240"]).unwrap();
        let replaced = |v: redis::Value| -> String { redis::from_redis_value(v).unwrap() };
        assert_eq!(replaced(redis.query(&["SET", key, retry, "EX", "240", "GET"]).unwrap()), two);
        assert_eq!(replaced(redis.query(&["SET", key, late, "EX", "240", "GET"]).unwrap()), retry);
        let undo_retry = ["EVAL", UNDO, "2", key, locale, retry, two, "", ""];
        let undo_late = ["EVAL", UNDO, "2", key, locale, late, retry, "", ""];
        let order = if retry_undone_first { [undo_retry, undo_late] } else { [undo_late, undo_retry] };
        for undo in order {
            redis.query(&undo).unwrap();
        }
        let stored: String = redis::from_redis_value(redis.query(&["GET", key]).unwrap()).unwrap();
        assert_eq!(stored, two, "the retry undone first: {retry_undone_first}");
    }
}

/// A save from a kept state that replaced nothing (the store had lost or erased her session) is
/// undone by deleting what it wrote, and only that: a write made since stays.
#[test]
fn the_undo_of_a_save_that_replaced_nothing_deletes_only_its_own_write() {
    const UNDO: &str = include_str!("../../src/store/lua/undo_session.lua");
    let (key, locale) = ("salama:{u:p}:ussd:0", "salama:{u:p}:locale");
    let (mine, since) = ("\u{0}\u{2}mine", "\u{0}\u{3}since");
    let redis = TestRedis::start();
    let get = |key: &str| -> Option<String> { redis::from_redis_value(redis.query(&["GET", key]).unwrap()).unwrap() };
    redis.query(&["SET", key, since, "EX", "240"]).unwrap();
    redis.query(&["SET", locale, "sw 0", "EX", "240"]).unwrap();
    redis.query(&["EVAL", UNDO, "2", key, locale, mine, "", "fr 0", ""]).unwrap();
    assert_eq!(get(key).as_deref(), Some(since), "a later write stays");
    assert_eq!(get(locale).as_deref(), Some("sw 0"), "a language it did not write stays");
    redis.query(&["SET", key, mine, "EX", "240"]).unwrap();
    redis.query(&["SET", locale, "fr 0", "EX", "240"]).unwrap();
    redis.query(&["EVAL", UNDO, "2", key, locale, mine, "", "fr 0", ""]).unwrap();
    assert_eq!((get(key), get(locale)), (None, None), "its own write and language go");
}
