//! The gateway on a Redis Cluster (three masters, three replicas): USSD, SMS with replies, pages,
//! erasure and key rotation across every master; then a master failed over in the middle of a
//! load, counting what was accepted, answered, sent and paged.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::sms::metric;
use crate::support::cluster::TestCluster;
use crate::support::*;
use chrono::Utc;
use salama::clock::now_ms;
use salama::config::Settings;
use salama::engine::Gateway;
use salama::escalation::case::Answer;
use salama::outbox::AGAIN_MARK;
use salama::phone::E164;
use wiremock::MockServer;

const AMINA: &str = "+254700000101";
const EMERGENCY: &str = "END Sorry, please try again later.";
/// A key in the outbox's slot.
const OUTBOX_QUEUE: &str = "salama:{outbox}:due";
/// A key in the cases' slot.
const CASE_TIMERS: &str = "salama:{esc}:timers";
/// Writes no replica confirmed: the outbox's queued and started, the cases' opened, answers, exit.
const UNREPLICATED: &str = "salama_store_unreplicated_total";
/// A first SMS triage reads as critical: it opens a case.
const CRISIS: &str = "he is outside with a knife";
/// The danger screen, in English and Swahili: her case is open. (A hop whose session was lost
/// with the master may start over on the language screen instead, and promise nothing.)
const DANGER: [&str; 2] = ["CON In danger now?", "CON Uko hatarini sasa?"];
/// The screen after her answer: "a counsellor will contact you only in the way you chose".
const ANSWERED: &str = "END Thank you.";

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

    // Survivors until their sessions are on all three masters: at least twelve (twelve alone
    // left a master without one in about 2% of runs), at most sixty.
    let mut survivors: Vec<String> = Vec::new();
    let on_every_master = || cluster.keys_by_master().iter().all(|k| k.iter().any(|k| k.contains(":ussd:")));
    while survivors.len() < 12 || (survivors.len() < 60 && !on_every_master()) {
        let (i, n) = (survivors.len(), fresh_number());
        for t in ["", "2", "2*1"] {
            let (_, body) = dial(&app, &format!("c{i}"), &n, KE_CODE, t).await;
            assert!(body.starts_with("CON"), "{body}");
        }
        survivors.push(n);
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
    // Each message queued and each send started waited for a replica to have it, on the master
    // that holds the outbox.
    assert!(cluster.calls(cluster.master_of(OUTBOX_QUEUE), "wait") >= 4, "WAIT on the outbox's master");
    assert_eq!(metric(&gw, UNREPLICATED), 0);

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

/// A replica that stops confirming (asleep, still connected) slows one write by the wait, not
/// every one: after one unconfirmed WAIT the outbox stops waiting for a while. Nothing is held
/// back, and each message queued and each send started without a replica's copy is counted.
#[actix_web::test]
async fn a_replica_behind_holds_no_message_back_and_the_sends_it_did_not_confirm_are_counted() {
    let (cluster, mock) = (TestCluster::start(), provider().await);
    let gw = gateway(&settings(&cluster, &mock));
    let texters: Vec<String> = (0..5).map(|_| fresh_number()).collect();
    text(&gw, &texters[0], "HELP", "behind-0").await.unwrap();
    send_all(&gw).await;
    let master = cluster.master_of(OUTBOX_QUEUE);
    let waits = cluster.calls(master, "wait");
    assert!(waits >= 2 && metric(&gw, UNREPLICATED) == 0, "queued and started, confirmed: {waits}");

    assert_eq!(cluster.master_of(CASE_TIMERS), master, "the cases share the outbox's master here");
    let _asleep = cluster.stall_replica_of(OUTBOX_QUEUE, 3);
    for (i, n) in texters.iter().enumerate().skip(1) {
        text(&gw, n, "HELP", &format!("behind-{i}")).await.unwrap();
    }
    // A case opened meanwhile waits once on its own (the cases keep their own count of it).
    let app = app(gw.clone()).await;
    let her = fresh_number();
    for t in ["", "1", "1*1"] {
        assert!(dial(&app, "behind-d", &her, KE_CODE, t).await.1.starts_with("CON"));
    }
    send_all(&gw).await;
    let sent = sent_by_recipient(&mock).await;
    assert!(texters.iter().all(|n| sent.get(n).map(Vec::len) == Some(1)), "every reply sent once: {sent:?}");
    let unconfirmed = |write: &str| metric(&gw, &format!("{UNREPLICATED}{{write=\"{write}\"}}"));
    assert_eq!((unconfirmed("queued"), unconfirmed("started")), (4, 4), "each without a replica's copy");
    assert_eq!(unconfirmed("case_opened"), 1, "the case opened without a replica's copy");
    assert_eq!(only_case(&gw).await.urgency.as_str(), "critical", "and kept");
    assert_eq!(cluster.calls(master, "wait"), waits + 2, "one unconfirmed WAIT each, then no more waiting");
}

/// What the load saw, for the closing counts.
#[derive(Default, Debug)]
struct Counts {
    hops: usize,
    /// Hops started while the outbox's master was being replaced, and how many of those got the
    /// emergency answer (the store did not answer in time).
    hops_while_failing: usize,
    emergency_while_failing: usize,
    emergency_hops: usize,
    emergency_after_failover: usize,
    /// For each of those: the hop's input path, and how long after the failover it started and
    /// was answered (to tell a route the client had not refreshed from a slow store).
    emergency_after_failover_hops: Vec<(&'static str, Duration, Duration)>,
    sms_accepted: usize,
    sms_refused_then_retried: usize,
    /// Cases the gateway answered for: a danger hop answered with its screen, a critical SMS
    /// accepted; and her answers (how she may be reached) a hop answered for.
    cases_answered: usize,
    answers_answered: usize,
}

/// A survivor whose case the gateway answered for, and whether it also answered her "SMS is safe".
struct Promised {
    number: String,
    answered: bool,
}

#[actix_web::test]
async fn a_planned_failover_mid_load_loses_no_message_and_doubles_no_page() {
    failover_under_load("planned", |cluster| cluster.fail_over(OUTBOX_QUEUE)).await;
}

/// A kill breaks calls in flight, and can take with it a write its replica had not yet got. A
/// START is on the replica before its send leaves (`store::Started`), so a send the new master
/// does not know of cannot happen; a lost SENT (or a worker's call broken by the kill) makes the
/// message go again after its lease, marked on a page and counted. Pass `--nocapture` for the
/// figures.
#[actix_web::test]
async fn a_master_killed_mid_load_loses_nothing_and_every_duplicate_is_marked_and_counted() {
    failover_under_load("killed", |cluster| cluster.kill_master(OUTBOX_QUEUE)).await;
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
    let promised: Mutex<Vec<Promised>> = Mutex::default();
    let failing: Arc<Mutex<Option<Instant>>> = Arc::default();
    let failed_over: Arc<Mutex<Option<Instant>>> = Arc::default();
    let texters: Mutex<Vec<String>> = Mutex::default();
    let load_ends = Instant::now() + Duration::from_secs(8);

    let failover = {
        let (cluster, failing, failed_over) = (cluster.clone(), failing.clone(), failed_over.clone());
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(2));
            *failing.lock().unwrap() = Some(Instant::now());
            let took = fail(&cluster);
            *failed_over.lock().unwrap() = Some(Instant::now());
            took
        })
    };

    let failed_over_at = || *failed_over.lock().unwrap();
    let after_failover = |started: Instant| failed_over_at().is_some_and(|done| started > done);
    let while_failing =
        |started: Instant| failing.lock().unwrap().is_some_and(|from| started >= from) && !after_failover(started);
    let ussd_lane = |lane: usize| {
        let (app, counts, promised) = (&app, &counts, &promised);
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
                    let failing = while_failing(started);
                    c.hops_while_failing += usize::from(failing);
                    if body.starts_with(EMERGENCY) {
                        c.emergency_while_failing += usize::from(failing);
                        c.emergency_hops += 1;
                        if after_failover(started) {
                            c.emergency_after_failover += 1;
                            let done = failed_over_at().expect("after the failover");
                            c.emergency_after_failover_hops.push((t, started - done, done.elapsed()));
                        }
                    } else if body.starts_with(DANGER[1]) {
                        // The danger screen in Swahili: her case is open.
                        c.cases_answered += 1;
                        promised.lock().unwrap().push(Promised { number: n.clone(), answered: false });
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
    // Danger on USSD in English: the case opens on the danger screen ("1*1"); her answer ("1*1*1*2": SMS
    // is safe) is put on it. What a hop answered for with its screen (not the emergency one) is
    // promised to her, and must be in the store after the failover.
    let shown = |(status, body): (u16, String), screen: &str| status == 200 && body.starts_with(screen);
    let danger_lane = async {
        while Instant::now() < load_ends {
            let n = fresh_number();
            let mut hops = Vec::new();
            for t in ["", "1", "1*1", "1*1*1", "1*1*1*2"] {
                // A session id takes no '+'.
                hops.push(dial(&app, &format!("d{}", &n[1..]), &n, KE_CODE, t).await);
            }
            let (opened, answered) = (shown(hops[2].clone(), DANGER[0]), shown(hops[4].clone(), ANSWERED));
            if opened {
                let mut c = counts.lock().unwrap();
                c.cases_answered += 1;
                c.answers_answered += usize::from(answered);
                promised.lock().unwrap().push(Promised { number: n, answered });
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    };
    // Danger by SMS: a critical first message opens a case once accepted (a refused one is
    // retried by the provider, as above).
    let crisis_lane = async {
        let mut i = 0;
        while Instant::now() < load_ends {
            let n = fresh_number();
            while text(&gw, &n, CRISIS, &format!("crisis-{i}")).await.is_err() {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            counts.lock().unwrap().cases_answered += 1;
            promised.lock().unwrap().push(Promised { number: n, answered: false });
            i += 1;
            tokio::time::sleep(Duration::from_millis(300)).await;
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
    tokio::join!(ussd_lane(0), ussd_lane(1), sms_lane, danger_lane, crisis_lane, workers);
    let took = failover.join().unwrap();

    let sent = sent_by_recipient(&mock).await;
    let counts = counts.into_inner().unwrap();
    let texters = texters.into_inner().unwrap();
    let replies: Vec<usize> = texters.iter().map(|n| sent.get(n).map_or(0, Vec::len)).collect();
    let lost = replies.iter().filter(|r| **r == 0).count();
    let replies_doubled: usize = replies.iter().map(|r| r.saturating_sub(1)).sum();
    let dead = gw.store.outbox().dead_letters(1000).await.unwrap().len();
    let cases = gw.store.cases().open_ids().await.unwrap();
    let mut pages_per_case = Vec::new();
    for id in &cases {
        let case = gw.cases.case(id).await.unwrap().unwrap();
        let pages =
            sent.get(AMINA).map_or(0, |p| p.iter().filter(|m| m.contains(&format!("case {}:", case.code))).count());
        pages_per_case.push(pages);
    }
    let promised = promised.into_inner().unwrap();
    let (cases_lost, cases_unpaged, answers_lost) = kept_and_paged(&gw, &promised, &sent).await;
    let pages_doubled: usize = pages_per_case.iter().map(|p| p.saturating_sub(1)).sum();
    let pages_marked = sent.get(AMINA).map_or(0, |p| p.iter().filter(|m| m.starts_with(AGAIN_MARK)).count());
    let counted = |kind: &str| metric(&gw, &format!("salama_outbox_sent_again_total{{kind=\"{kind}\"}}"));
    let (replies_counted, pages_counted) = (counted("reply"), counted("page"));
    let unconfirmed: Vec<String> = ["queued", "started", "case_opened", "case_answers"]
        .iter()
        .map(|w| format!("{w} {}", metric(&gw, &format!("{UNREPLICATED}{{write=\"{w}\"}}"))))
        .collect();
    println!(
        "{name} failover, settled in {took:?}; {counts:?}; replies sent {}, lost {lost}, sent twice {replies_doubled} \
         (counted {replies_counted}); cases {}, pages sent {}, unpaged {}, sent twice {pages_doubled} (marked \
         {pages_marked}, counted {pages_counted}); cases answered for {}, lost {cases_lost}, unpaged \
         {cases_unpaged}; her answers answered for {}, lost {answers_lost}; dead letters {dead}; unconfirmed by a replica: \
         {unconfirmed:?}",
        replies.iter().sum::<usize>(),
        cases.len(),
        pages_per_case.iter().sum::<usize>(),
        pages_per_case.iter().filter(|p| **p == 0).count(),
        counts.cases_answered,
        counts.answers_answered,
    );
    let load = counts.sms_accepted >= 20 && counts.hops >= 100 && counts.cases_answered >= 10;
    assert!(load && counts.answers_answered >= 5, "a real load: {counts:?}");
    assert_eq!(lost, 0, "every accepted SMS answered");
    assert!(replies_doubled as u64 <= replies_counted, "every reply sent twice is counted");
    assert_eq!((cases_lost, cases_unpaged), (0, 0), "every case the gateway answered for is kept and paged");
    assert_eq!(answers_lost, 0, "every answer of hers the gateway answered for is on her case");
    assert!(pages_per_case.iter().all(|p| *p >= 1), "every case paged: {pages_per_case:?}");
    assert!(pages_doubled <= pages_marked, "every page sent twice is marked");
    assert!(pages_marked as u64 <= pages_counted, "every page marked is counted");
    if name == "planned" {
        // The replica catches up before it takes over: no write is lost, nothing goes twice.
        assert_eq!((replies_doubled, pages_doubled), (0, 0), "nothing sent twice");
    }
    assert_eq!(dead, 0, "no dead letters");
    assert_eq!(counts.emergency_after_failover, 0, "USSD answers continue once the replica took over");
}

/// Of the cases the gateway answered for: how many are not in the store, how many are there but
/// were never paged, and how many answers of hers it answered for are not on her case.
async fn kept_and_paged(
    gw: &Gateway,
    promised: &[Promised],
    sent: &HashMap<String, Vec<String>>,
) -> (usize, usize, usize) {
    let (mut lost, mut unpaged, mut answers_lost) = (0, 0, 0);
    for p in promised {
        let pseudonym = gw.records.pseudonym(&E164::parse(&p.number, None).unwrap());
        let ids = gw.store.cases().of(&pseudonym).await.unwrap();
        let Some(case) = ids.first().map(|id| gw.cases.case(id)) else {
            lost += 1;
            continue;
        };
        let case = case.await.unwrap().expect("a case listed for her is there");
        let pages =
            sent.get(AMINA).map_or(0, |p| p.iter().filter(|m| m.contains(&format!("case {}:", case.code))).count());
        unpaged += usize::from(pages == 0);
        answers_lost += usize::from(p.answered && case.sms_safe != Answer::Yes);
    }
    (lost, unpaged, answers_lost)
}
