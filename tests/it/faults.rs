//! The fault test: the real binary under the faults of issue 10, repeated, with every message
//! counted at the provider. Rounds of kill -9 right after the gateway answered 200 to inbound
//! SMS and to the USSD hop that opens a case (pages); a provider taking 8 s a send with two
//! gateways, one of them killed with its sends in flight; Redis restarted in the middle of that
//! load. Then: no reply and no page lost, each case paged once but for copies marked "sent
//! again", and every duplicate the provider saw is one the outbox counted as a possible
//! duplicate.

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const COUNSELLORS: [&str; 3] = ["+254700000101", "+254700000102", "+254700000103"];

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Gateway {
    child: Child,
    port: u16,
}

async fn start(redis: &TestRedis, provider: &MockServer, workers: usize) -> Gateway {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_salama"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--redis", &redis.url()])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SALAMA__PRIVACY__PSEUDONYM_SECRET", SECRET)
        .env("SALAMA__PRIVACY__ENCRYPTION_KEYS", KEYS)
        .env("SALAMA__CHANNELS__ENABLED", "africastalking")
        .env("SALAMA__CHANNELS__AFRICASTALKING__API_KEY", "at-key")
        .env("SALAMA__CHANNELS__AFRICASTALKING__TOKEN", "at-token")
        .env("SALAMA__CHANNELS__AFRICASTALKING__BASE_URL", provider.uri())
        .env("SALAMA__ESCALATION__ROTA_FILE", "tests/fixtures/rota/test_rota.toml")
        // Short leases so the test waits seconds, not minutes, for a dead worker's messages.
        .env("SALAMA__OUTBOX__SEND_TIMEOUT_SECS", "5")
        .env("SALAMA__OUTBOX__LEASE_SECS", "20")
        .env("SALAMA__ESCALATION__LEASE_SECS", "4")
        .env("SALAMA__OUTBOX__WORKERS", workers.to_string())
        .env("SALAMA__ABUSE__SMS_PER_MINUTE", "1000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while client.get(format!("http://127.0.0.1:{port}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the gateway did not start");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    Gateway { child, port }
}

impl Gateway {
    fn kill(mut self) {
        self.child.kill().unwrap(); // SIGKILL
        self.child.wait().unwrap();
    }
}

/// What the test asked for and what the gateways accepted.
#[derive(Default)]
struct Accepted {
    /// Survivors whose SMS was answered 200: each is owed a reply.
    survivors: BTreeSet<String>,
    /// Cases opened over USSD (answered 200): each is owed pages.
    cases: usize,
}

/// Posts until answered 200 (a restarting Redis answers 503 meanwhile).
async fn post(client: &reqwest::Client, port: u16, route: &str, form: &[(&str, &str)]) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let sent = client.post(format!("http://127.0.0.1:{port}{route}?token=at-token")).form(form).send().await;
        if sent.is_ok_and(|r| r.status() == 200) {
            return;
        }
        assert!(Instant::now() < deadline, "{route} never answered 200");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `sms` survivors text HELP and one dials the USSD path that opens a case.
async fn load(gateway: &Gateway, accepted: &mut Accepted, sms: usize) {
    let client = reqwest::Client::new();
    for _ in 0..sms {
        let number = fresh_number();
        let id = format!("fault-{}", number.trim_start_matches('+'));
        let form = [
            ("from", number.as_str()),
            ("to", "21512"),
            ("text", "HELP"),
            ("id", &id),
            ("date", "2026-11-29T10:00:00Z"),
        ];
        post(&client, gateway.port, "/v1/sms/africastalking", &form).await;
        accepted.survivors.insert(number);
    }
    let number = fresh_number();
    let session = format!("fault-{}", number.trim_start_matches('+'));
    for text in ["", "1", "1*1"] {
        let form =
            [("sessionId", session.as_str()), ("serviceCode", KE_CODE), ("phoneNumber", &number), ("text", text)];
        post(&client, gateway.port, "/v1/ussd/africastalking", &form).await;
    }
    accepted.cases += 1;
}

/// Every SMS the providers got: (to, text).
async fn received(providers: &[&MockServer]) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for provider in providers {
        for request in provider.received_requests().await.unwrap() {
            let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&request.body).unwrap();
            let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
            all.push((get("to"), get("message")));
        }
    }
    all
}

/// Nothing queued or held (a message whose worker died stays held until its lease runs out).
fn outbox_empty(redis: &TestRedis) -> bool {
    ["salama:{outbox}:due", "salama:{outbox}:due:page"]
        .iter()
        .all(|queue| redis::from_redis_value::<u64>(redis.query(&["ZCARD", queue]).unwrap()).unwrap() == 0)
}

/// Messages the outbox marked as sent again after a lost worker had started them.
fn marked_again(redis: &TestRedis) -> usize {
    redis
        .keys()
        .iter()
        .filter(|k| k.starts_with("salama:{outbox}:msg:"))
        .filter(|k| {
            redis::from_redis_value::<Option<String>>(redis.query(&["HGET", k, "again"]).unwrap()).unwrap().is_some()
        })
        .count()
}

/// The case code a page names ("SALAMA case K7MP3: ...").
fn case_code(page: &str) -> Option<String> {
    let after = page.split_once("case ")?.1;
    Some(
        after
            .chars()
            .filter(|c| !c.is_control() && !('\u{2068}'..='\u{2069}').contains(c))
            .take_while(char::is_ascii_alphanumeric)
            .collect(),
    )
}

async fn provider(delay: Duration) -> MockServer {
    let mock = MockServer::start().await;
    let ok =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/africastalking/send_ok.json"))
            .unwrap();
    Mock::given(path("/version1/messaging"))
        .respond_with(ResponseTemplate::new(201).set_body_string(ok).set_delay(delay))
        .mount(&mock)
        .await;
    mock
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn under_kill_9_a_slow_provider_and_a_redis_restart_nothing_is_lost_and_every_duplicate_is_counted() {
    let started = Instant::now();
    let mut redis = TestRedis::start();
    let (fast, slow) = (provider(Duration::ZERO).await, provider(Duration::from_secs(4)).await);
    let mut accepted = Accepted::default();

    // Kill -9 right after the 200s, four times over, with sends in flight.
    for _ in 0..4 {
        let gateway = start(&redis, &fast, 2).await;
        load(&gateway, &mut accepted, 5).await;
        gateway.kill();
    }

    // A provider taking 4 s a send and two gateways; one is killed with its sends in flight (their
    // answers are lost: the other sends them again after the lease, counted), and Redis is
    // restarted in the middle of it.
    let (a, b) = (start(&redis, &slow, 8).await, start(&redis, &slow, 8).await);
    load(&a, &mut accepted, 3).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    a.kill();
    redis.restart_keeping_data();
    load(&b, &mut accepted, 3).await;

    // Everything owed arrives, at one provider or the other.
    let deadline = Instant::now() + Duration::from_secs(48);
    let (replies, pages) = loop {
        let all = received(&[&fast, &slow]).await;
        let replies: BTreeMap<&str, usize> =
            all.iter().filter(|(to, _)| accepted.survivors.contains(to)).fold(BTreeMap::new(), |mut m, (to, _)| {
                *m.entry(to.as_str()).or_default() += 1;
                m
            });
        let pages: Vec<&(String, String)> = all.iter().filter(|(to, _)| COUNSELLORS.contains(&to.as_str())).collect();
        let cases_paged: BTreeSet<String> = pages.iter().filter_map(|(_, text)| case_code(text)).collect();
        let owed = replies.len() == accepted.survivors.len() && cases_paged.len() >= accepted.cases;
        if owed && outbox_empty(&redis) || Instant::now() > deadline {
            break (all.iter().filter(|(to, _)| accepted.survivors.contains(to)).count(), pages.len());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    tokio::time::sleep(Duration::from_secs(1)).await; // a second send, if there were one
    b.kill();

    let all = received(&[&fast, &slow]).await;
    let distinct: BTreeSet<(String, String)> = all
        .iter()
        .map(|(to, text)| (to.clone(), text.trim_start_matches(salama::outbox::AGAIN_MARK).to_owned()))
        .collect();
    let duplicates = all.len() - distinct.len();
    let is_page = |to: &String| COUNSELLORS.contains(&to.as_str());
    let page_duplicates = pages - distinct.iter().filter(|(to, _)| is_page(to)).count();
    let marked_pages = all.iter().filter(|(_, text)| text.starts_with(salama::outbox::AGAIN_MARK)).count();
    let cases_paged: BTreeSet<String> =
        all.iter().filter(|(to, _)| is_page(to)).filter_map(|(_, text)| case_code(text)).collect();
    let reached: BTreeSet<&String> =
        all.iter().map(|(to, _)| to).filter(|to| accepted.survivors.contains(*to)).collect();
    let lost_replies = accepted.survivors.len() - reached.len();
    let counted = marked_again(&redis);
    println!(
        "faults: {} inbound SMS and {} cases accepted; {replies} replies and {pages} pages sent ({} cases paged); {lost_replies} replies lost; {duplicates} duplicates seen ({page_duplicates} pages, {marked_pages} pages marked), {counted} messages counted as possible duplicates; {:?}",
        accepted.survivors.len(),
        accepted.cases,
        cases_paged.len(),
        started.elapsed()
    );
    assert_eq!(lost_replies, 0, "replies lost");
    if !outbox_empty(&redis) {
        for queue in ["salama:{outbox}:due", "salama:{outbox}:due:page"] {
            let ids: Vec<String> =
                redis::from_redis_value(redis.query(&["ZRANGE", queue, "0", "-1"]).unwrap()).unwrap();
            for id in ids {
                let key = format!("salama:{{outbox}}:msg:{id}");
                let f: Vec<Option<String>> = redis::from_redis_value(
                    redis.query(&["HMGET", &key, "state", "attempt", "started", "tries", "error"]).unwrap(),
                )
                .unwrap();
                println!("left in {queue}: {id} {f:?}");
            }
        }
    }
    assert!(outbox_empty(&redis), "messages still queued or held at the end");
    assert_eq!(cases_paged.len(), accepted.cases, "every case accepted is paged");
    // Level 1 pages the one counsellor on call and waits 2 minutes: one page a case, plus its
    // marked copies.
    assert_eq!(pages - page_duplicates, accepted.cases, "each case paged once, but for marked copies");
    assert!(page_duplicates <= marked_pages, "{page_duplicates} pages sent twice but {marked_pages} marked");
    assert!(duplicates <= counted, "{duplicates} duplicates but only {counted} counted");
    assert!(started.elapsed() < Duration::from_secs(65), "{:?}", started.elapsed());
}
