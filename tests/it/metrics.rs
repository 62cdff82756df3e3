//! `/metrics` after a real run on a private Redis: a USSD dial into danger, an SMS, a critical
//! triage SMS, the pages they cause, a dead letter, an acknowledgement, then Redis lost. Each step
//! must move its metric; the output must parse as Prometheus text and name no number, session id
//! or message text.

use std::collections::HashMap;

use crate::support::*;
use chrono::Utc;
use salama::clock::now_ms;
use salama::store::{Enqueue, Queued};

/// Unlikely to appear in a metric by chance: if any does, a label leaked it.
const SESSION: &str = "ATUid_metrics_5f2c9e";
const HER_WORDS: &str = "nisaidie yuko nje na panga";

/// Every sample of a scrape by its name and labels (`name{a="b"}`), checked line by line against
/// the Prometheus text format (0.0.4): each family declared by HELP and TYPE before its samples,
/// names and label names well formed, label values quoted, values numbers, histogram buckets
/// cumulative and ending in `+Inf` equal to `_count`.
fn parse(text: &str) -> HashMap<String, f64> {
    let name_ok = |n: &str| {
        !n.is_empty()
            && !n.starts_with(|c: char| c.is_ascii_digit())
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    let (mut types, mut samples) = (HashMap::new(), HashMap::new());
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(comment) = line.strip_prefix("# ") {
            let mut words = comment.splitn(3, ' ');
            let (kind, name, rest) = (words.next().unwrap(), words.next().unwrap(), words.next().unwrap_or(""));
            assert!(name_ok(name), "bad name in {line:?}");
            if kind == "TYPE" {
                assert!(["counter", "gauge", "histogram", "summary", "untyped"].contains(&rest), "{line:?}");
                types.insert(name.to_owned(), rest.to_owned());
            }
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("no value in {line:?}"));
        let value: f64 = value.replace("+Inf", "inf").parse().unwrap_or_else(|_| panic!("bad value in {line:?}"));
        let name = series.split('{').next().unwrap();
        assert!(name_ok(name), "bad name in {line:?}");
        let family = ["_bucket", "_count", "_sum"].iter().find_map(|s| name.strip_suffix(s)).unwrap_or(name);
        assert!(types.contains_key(name) || types.contains_key(family), "sample before its TYPE: {line:?}");
        if let Some(labels) = series.strip_prefix(name).filter(|l| !l.is_empty()) {
            let inner = labels.strip_prefix('{').and_then(|l| l.strip_suffix('}')).expect("labels in braces");
            for pair in inner.split("\",").filter(|p| !p.is_empty()) {
                let (key, value) = pair.split_once('=').unwrap_or_else(|| panic!("bad label in {line:?}"));
                assert!(name_ok(key) && value.starts_with('"'), "bad label in {line:?}");
            }
        }
        assert!(samples.insert(series.to_owned(), value).is_none(), "series twice: {line:?}");
    }
    check_histograms(&samples);
    samples
}

fn check_histograms(samples: &HashMap<String, f64>) {
    for (series, count) in samples.iter().filter(|(s, _)| s.contains("_count")) {
        let (family, labels) = series.split_once("_count").unwrap();
        let mut buckets: Vec<(f64, f64)> = samples
            .iter()
            .filter_map(|(s, v)| {
                let rest = s.strip_prefix(&format!("{family}_bucket{{"))?;
                let same = labels.is_empty() || rest.contains(labels.trim_matches(|c| c == '{' || c == '}'));
                let le = rest.split("le=\"").nth(1)?.split('"').next()?;
                same.then(|| (le.replace("+Inf", "inf").parse().unwrap(), *v))
            })
            .collect();
        buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert!(buckets.windows(2).all(|w| w[0].1 <= w[1].1), "{series}: buckets not cumulative");
        assert_eq!(buckets.last().map(|b| (b.0, b.1)), Some((f64::INFINITY, *count)), "{series}: +Inf != count");
    }
}

async fn scrape<S, B>(app: &S) -> (String, HashMap<String, f64>)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let resp =
        actix_web::test::call_service(app, actix_web::test::TestRequest::get().uri("/metrics").to_request()).await;
    assert_eq!(resp.status().as_u16(), 200);
    let content_type = resp.headers().get("content-type").unwrap().to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
    let text = String::from_utf8(actix_web::test::read_body(resp).await.to_vec()).unwrap();
    let samples = parse(&text);
    (text, samples)
}

#[actix_web::test]
async fn metrics_move_with_hops_sms_triage_cases_pages_and_store_errors() {
    let (mut redis, mock) = (TestRedis::start(), provider().await);
    let mut settings = escalation_settings(&redis, &mock);
    for helpline in settings.helplines.values_mut() {
        (helpline.neutral_first_sms, helpline.neutral_sender) = (false, None);
    }
    let gw = gateway(&settings);
    let app = app(gw.clone()).await;
    let (_, before) = scrape(&app).await;
    for series in ["salama_cases_opened_total{source=\"triage\",urgency=\"critical\"}", "salama_outbox_backlog"] {
        assert_eq!(before.get(series), Some(&0.0), "{series} exists from the start");
    }

    // USSD into "I am in danger now" (a menu's critical case), then an SMS, then her words.
    let (dialler, texter, in_danger) = (fresh_number(), fresh_number(), fresh_number());
    for text in ["", "1", "1*1"] {
        assert_eq!(dial(&app, SESSION, &dialler, KE_CODE, text).await.0, 200);
    }
    let sms = |from: &str, text: &str, id: &str| sms_form(from, text, id);
    assert_eq!(post_form(&app, "/v1/sms/africastalking", &sms(&texter, "HELP", "m-1")).await.0, 200);
    assert_eq!(post_form(&app, "/v1/sms/africastalking", &sms(&in_danger, HER_WORDS, "m-2")).await.0, 200);
    let (_, queued) = scrape(&app).await;
    assert!(queued["salama_outbox_backlog"] >= 3.0, "the replies and the danger SMS wait: {queued:?}");

    // A message given up on.
    let dead = Enqueue {
        id: "metrics-dead".into(),
        priority: salama::store::Priority::Reply,
        helpline: "ke".into(),
        provider: "africastalking".into(),
        fallback: None,
        to: Vec::new(),
        body: Vec::new(),
        due_ms: 0, // claimed before the replies queued above
        owner: None,
        sender: None,
    };
    let keep = std::time::Duration::from_secs(60);
    assert_eq!(gw.store.outbox().enqueue(&dead, keep).await.unwrap(), Queued::New);
    // Claimed as a worker would: due first, it comes first.
    let claimed = loop {
        match gw.store.outbox().claim(now_ms(), 60_000).await.unwrap() {
            salama::store::Claim::Message(m) if m.id == "metrics-dead" => break m,
            salama::store::Claim::Message(m) => {
                gw.store.outbox().requeue(&m.id, m.attempt, now_ms()).await.unwrap();
            }
            salama::store::Claim::Idle { .. } => panic!("metrics-dead is due"),
        }
    };
    gw.store.outbox().dead("metrics-dead", claimed.attempt, now_ms(), "refused", keep).await.unwrap();

    // The cases page Amina; everything due goes out.
    gw.cases.escalate_due(Utc::now()).await.unwrap();
    while gw.outbox.send_due(now_ms()).await.unwrap() > 0 {}
    let (text, after) = scrape(&app).await;
    let moved = |series: &str| after[series] - before[series];
    assert_eq!(moved("salama_ussd_hops_total"), 3.0);
    assert_eq!(moved("salama_hop_duration_seconds_count{channel=\"ussd\"}"), 3.0);
    assert_eq!(moved("salama_hop_duration_seconds_count{channel=\"sms\"}"), 2.0);
    assert!(after["salama_hop_duration_seconds_sum{channel=\"sms\"}"] > 0.0);
    assert_eq!(moved("salama_sms_in_total"), 2.0);
    assert_eq!(moved("salama_escalations_total{urgency=\"critical\"}"), 2.0, "the menu's and triage's");
    assert_eq!(moved("salama_cases_opened_total{source=\"menu\",urgency=\"critical\"}"), 1.0);
    assert_eq!(moved("salama_cases_opened_total{source=\"triage\",urgency=\"critical\"}"), 1.0);
    assert_eq!(after["salama_cases_open{urgency=\"critical\"}"], 2.0);
    assert_eq!(after["salama_cases_unacknowledged{urgency=\"critical\"}"], 2.0);
    assert_eq!(after["salama_cases_open{urgency=\"normal\"}"], 0.0);
    assert_eq!(moved("salama_page_latency_seconds_count{urgency=\"critical\"}"), 2.0, "Amina, once per case");
    assert!(moved("salama_sms_sent_total") >= 5.0, "two replies, the danger SMS, two pages");
    assert_eq!(after["salama_outbox_backlog"], 0.0);
    assert_eq!(after["salama_outbox_oldest_age_seconds"], 0.0);
    assert_eq!(after["salama_outbox_dead_letters"], 1.0);
    assert_eq!(after["salama_store_errors_total"], 0.0);
    for secret in [&dialler[1..], &texter[1..], &in_danger[1..], SESSION, "panga", "nisaidie"] {
        assert!(!text.contains(secret), "{secret} in /metrics");
    }

    // Amina takes one case: one critical case is left waiting.
    let ids = gw.store.cases().open_ids().await.unwrap();
    let code = gw.cases.case(&ids[0]).await.unwrap().unwrap().code;
    gw.cases.ack(&code, "amina").await.unwrap();
    let (_, acked) = scrape(&app).await;
    assert_eq!(acked["salama_cases_unacknowledged{urgency=\"critical\"}"], 1.0);
    assert_eq!(acked["salama_cases_open{urgency=\"critical\"}"], 2.0);

    // Redis gone: her hop gets the fallback screen and the scrape still answers, counting both.
    redis.kill();
    dial(&app, "ATUid_metrics_lost", &fresh_number(), KE_CODE, "1").await;
    let (_, lost) = scrape(&app).await;
    assert_eq!(lost["salama_store_errors_total"], 2.0, "the hop and the scrape's gauges");
    assert_eq!(lost["salama_cases_open{urgency=\"critical\"}"], 2.0, "the gauges keep their last values");
}

/// Without Redis the outbox lives in the gateway: the admin API shows it (where `salama outbox
/// list` points), with no number or text.
#[actix_web::test]
async fn the_admin_api_shows_the_embedded_outbox() {
    let mut settings = demo_settings(None);
    settings.admin.token = Some("admin-test-token".into());
    let gw = gateway(&settings);
    let app = app(gw.clone()).await;
    let from = fresh_number();
    assert_eq!(post_form(&app, "/v1/sms/africastalking", &sms_form(&from, "HELP", "e-1")).await.0, 200);
    let get = |auth: &'static str| {
        actix_web::test::TestRequest::get().uri("/v1/admin/outbox").insert_header(("authorization", auth)).to_request()
    };
    let refused = actix_web::test::call_service(&app, get("Bearer wrong")).await;
    assert_eq!(refused.status().as_u16(), 401);
    let body = actix_web::test::call_and_read_body(&app, get("Bearer admin-test-token")).await;
    let outbox: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!((outbox["store"].as_str(), outbox["dead"].as_u64()), (Some("embedded"), Some(0)), "{outbox}");
    assert!(outbox["pending"].as_u64().unwrap() >= 1, "her reply waits (no workers here): {outbox}");
    assert!(!String::from_utf8_lossy(&body).contains(&from[1..]));
}
