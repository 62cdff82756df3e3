//! Limits on every path: a client trickling its body is cut off, many of them do not starve a
//! normal request, and an Infobip batch over the documented maximum is refused whole.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;
use salama::store::Store;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Sends the headers of a 1000-byte USSD request and one byte of its body, then nothing more.
fn trickler(port: u16) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let head = "POST /v1/ussd/africastalking HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ns";
    stream.write_all(head.as_bytes()).unwrap();
    stream
}

#[test]
fn a_trickled_body_is_cut_off_and_many_of_them_do_not_starve_a_normal_request() {
    let port = free_port();
    let mut gateway = Command::new(env!("CARGO_BIN_EXE_salama"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SALAMA__HTTP__MAX_CONNECTIONS", "16")
        .env("SALAMA__HTTP__WORKERS", "2")
        .env("SALAMA__HTTP__REQUEST_TIMEOUT_SECS", "2")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the gateway did not start");
        std::thread::sleep(Duration::from_millis(50));
    }

    // One trickler: answered 408 and its connection closed once the deadline passes.
    let started = Instant::now();
    let mut one = trickler(port);
    one.set_read_timeout(Some(Duration::from_secs(8))).unwrap();
    let mut answer = String::new();
    one.read_to_string(&mut answer).expect("the connection is closed, not left open");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5), "cut off after {:?}", started.elapsed());

    // Three times the connection cap of them: a normal request is still served.
    let _many: Vec<TcpStream> = (0..48).map(|_| trickler(port)).collect();
    let started = Instant::now();
    let body = format!(
        "sessionId=normal&serviceCode={}&phoneNumber=%2B254711000999&text=",
        KE_CODE.replace('*', "%2A").replace('#', "%23")
    );
    let mut normal = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let request = format!(
        "POST /v1/ussd/africastalking HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    normal.write_all(request.as_bytes()).unwrap();
    normal.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut answer = String::new();
    normal.read_to_string(&mut answer).expect("a normal request is served");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("CON "), "{answer}");
    let waited = started.elapsed();
    println!("a normal request behind 48 tricklers (cap 16, deadline 2 s) was served in {waited:?}");
    assert!(waited < Duration::from_secs(20), "{waited:?}");
    gateway.kill().unwrap();
    gateway.wait().unwrap();
}

#[actix_web::test]
async fn an_infobip_batch_over_the_maximum_is_refused_whole_and_queues_nothing() {
    use salama::channels::infobip::MAX_RESULTS;
    let gw = gateway(&demo_settings(None));
    let app = app(gw.clone()).await;
    let result = |i: usize| {
        format!(
            r#"{{"messageId":"m{i}","from":"254711000{i:03}","to":"21512","text":"HELP","receivedAt":"2026-11-29T10:00:00.000+0000"}}"#
        )
    };
    let batch = |n: usize| format!(r#"{{"results":[{}]}}"#, (0..n).map(result).collect::<Vec<_>>().join(","));
    let post = |body: String| {
        actix_web::test::TestRequest::post()
            .uri("/v1/sms/infobip")
            .insert_header(("content-type", "application/json"))
            .set_payload(body)
            .to_request()
    };
    let response = actix_web::test::call_service(&app, post(batch(MAX_RESULTS + 1))).await;
    assert_eq!(response.status(), 400);
    let body = actix_web::test::read_body(response).await;
    assert!(String::from_utf8_lossy(&body).contains("at most 100 in one request"), "{body:?}");
    let Store::Memory(memory) = &*gw.store else { unreachable!() };
    assert_eq!(memory.outbox_len(), 0, "nothing queued");
    let response = actix_web::test::call_service(&app, post(batch(3))).await;
    assert_eq!(response.status(), 200, "a batch within the maximum is served");
    assert!(memory.outbox_len() > 0);
}
