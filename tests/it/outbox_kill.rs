//! The real binary, killed with SIGKILL after it accepted an SMS and before it sent the reply:
//! after a restart the reply goes out exactly once. And SIGTERM: the send in flight is finished
//! and recorded before the process exits.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn gateway_process(redis: &TestRedis, provider: &str, port: u16, workers: usize) -> Child {
    Command::new(env!("CARGO_BIN_EXE_salama"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--redis", &redis.url()])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SALAMA__PRIVACY__PSEUDONYM_SECRET", SECRET)
        .env("SALAMA__PRIVACY__ENCRYPTION_KEYS", KEYS)
        .env("SALAMA__CHANNELS__AFRICASTALKING__API_KEY", "at-key")
        .env("SALAMA__CHANNELS__AFRICASTALKING__TOKEN", "at-token")
        .env("SALAMA__CHANNELS__AFRICASTALKING__BASE_URL", provider)
        .env("SALAMA__OUTBOX__WORKERS", workers.to_string())
        .env("SALAMA__CHANNELS__ENABLED", "africastalking")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_until_up(client: &reqwest::Client, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while client.get(format!("http://127.0.0.1:{port}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the gateway did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_gateway_killed_before_sending_sends_the_reply_after_restart_exactly_once() {
    let redis = TestRedis::start();
    let provider = MockServer::start().await;
    Mock::given(path("/version1/messaging"))
        .respond_with(ResponseTemplate::new(201).set_body_string(send_ok()))
        .mount(&provider)
        .await;
    let client = reqwest::Client::new();

    // First gateway: accepts the SMS; its workers never get to send.
    let port = free_port();
    let mut first = gateway_process(&redis, &provider.uri(), port, 0);
    wait_until_up(&client, port).await;
    assert_eq!(post_sms_help(&client, port).await, 200);
    let queued: Vec<String> = redis.keys().into_iter().filter(|k| k.starts_with("salama:{outbox}:msg:")).collect();
    assert_eq!(queued.len(), 1, "the reply is in Redis before the 200");
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();

    // Second gateway: sends it.
    let port = free_port();
    let mut second = gateway_process(&redis, &provider.uri(), port, 2);
    wait_until_up(&client, port).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while provider.received_requests().await.unwrap().is_empty() {
        assert!(Instant::now() < deadline, "the reply was never sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await; // time for a second send, if there were one
    assert_eq!(provider.received_requests().await.unwrap().len(), 1, "sent exactly once");
    let state: String = redis::from_redis_value(redis.query(&["HGET", &queued[0], "state"]).unwrap()).unwrap();
    assert_eq!(state, "sent");
    second.kill().unwrap();
    second.wait().unwrap();
}

#[tokio::test]
async fn sigterm_waits_for_the_send_in_flight_and_records_it() {
    let redis = TestRedis::start();
    let provider = MockServer::start().await;
    Mock::given(path("/version1/messaging"))
        .respond_with(ResponseTemplate::new(201).set_body_string(send_ok()).set_delay(Duration::from_secs(3)))
        .mount(&provider)
        .await;
    let client = reqwest::Client::new();
    let port = free_port();
    let mut gateway = gateway_process(&redis, &provider.uri(), port, 1);
    wait_until_up(&client, port).await;
    assert_eq!(post_sms_help(&client, port).await, 200);
    let deadline = Instant::now() + Duration::from_secs(10);
    while provider.received_requests().await.unwrap().is_empty() {
        assert!(Instant::now() < deadline, "the reply was never sent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The request is at the provider, its answer 3 s away: SIGTERM now.
    let term = Command::new("kill").args(["-TERM", &gateway.id().to_string()]).status().unwrap();
    assert!(term.success());
    let stopped = Instant::now();
    let status = tokio::task::spawn_blocking(move || gateway.wait().unwrap()).await.unwrap();
    assert!(status.success(), "{status:?}");
    assert!(stopped.elapsed() < Duration::from_secs(20), "{:?}", stopped.elapsed());
    let id = redis.keys().into_iter().find(|k| k.starts_with("salama:{outbox}:msg:")).unwrap();
    let state: String = redis::from_redis_value(redis.query(&["HGET", &id, "state"]).unwrap()).unwrap();
    assert_eq!(state, "sent", "the send in flight was finished and recorded before the process left");
    assert_eq!(provider.received_requests().await.unwrap().len(), 1);
}

/// Africa's Talking's answer to an accepted send.
fn send_ok() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/africastalking/send_ok.json")).unwrap()
}

/// The captured `HELP` SMS posted to the real binary's webhook; the HTTP status it answers.
async fn post_sms_help(client: &reqwest::Client, port: u16) -> u16 {
    let sms =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/africastalking/sms_help.form"))
            .unwrap();
    client
        .post(format!("http://127.0.0.1:{port}/v1/sms/africastalking?token=at-token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(sms)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}
