//! A worker lost before or after its request left: the message is never lost, and sent again
//! (counted) only when its request had left.

use std::time::Duration;

use crate::sms::{fixture, metric, settings};
use crate::support::*;
use salama::clock::now_ms;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[actix_web::test]
async fn a_worker_lost_before_its_send_started_leaves_the_message_to_be_sent_once() {
    let (redis, mock) = (TestRedis::start(), MockServer::start().await);
    let gw = gateway(&settings(&redis, &mock));
    let app = app(gw.clone()).await;
    post_form(&app, "/v1/sms/africastalking?token=at-token", &fixture("africastalking/sms_help.form")).await;
    // A worker claims the message and dies before its request leaves.
    let now = now_ms();
    assert!(matches!(gw.store.outbox().claim(now, 60_000).await.unwrap(), salama::store::Claim::Message(_)));
    Mock::given(path("/version1/messaging"))
        .respond_with(ResponseTemplate::new(201).set_body_string(fixture("africastalking/send_ok.json")))
        .expect(1)
        .mount(&mock)
        .await;
    assert_eq!(gw.outbox.send_due(now + 1_000).await.unwrap(), 0, "held by the lease");
    assert_eq!(gw.outbox.send_due(now + 61_000).await.unwrap(), 1, "after the lease: sent, once");
    assert!(gw.store.outbox().dead_letters(10).await.unwrap().is_empty());
    assert_eq!(metric(&gw, "salama_outbox_sent_again_total"), 0, "nothing had left: no duplicate");
    mock.verify().await;
}

#[actix_web::test]
async fn a_worker_lost_after_its_send_started_is_sent_again_and_counted() {
    let (redis, mock) = (TestRedis::start(), MockServer::start().await);
    let gw = gateway(&settings(&redis, &mock));
    let app = app(gw.clone()).await;
    post_form(&app, "/v1/sms/africastalking?token=at-token", &fixture("africastalking/sms_help.form")).await;
    let now = now_ms();
    let salama::store::Claim::Message(lost) = gw.store.outbox().claim(now, 60_000).await.unwrap() else {
        panic!("the reply is due")
    };
    // Its request left; the provider's answer never came back.
    let started = gw.store.outbox().start(&lost.id, lost.attempt, now, 60_000).await.unwrap();
    assert_eq!(started, salama::store::Started::Recorded);
    Mock::given(path("/version1/messaging"))
        .respond_with(ResponseTemplate::new(201).set_body_string(fixture("africastalking/send_ok.json")))
        .expect(1)
        .mount(&mock)
        .await;
    assert_eq!(gw.outbox.send_due(now + 61_000).await.unwrap(), 1, "never lost: sent again");
    assert_eq!(gw.store.outbox().state(&lost.id).await.unwrap().as_deref(), Some("sent"));
    assert_eq!(metric(&gw, "salama_outbox_sent_again_total"), 1, "the possible duplicate is counted");
    let outbox = gw.store.outbox();
    let late = outbox.sent(&lost.id, lost.attempt, "africastalking", "late", Duration::from_secs(60));
    assert!(!late.await.unwrap(), "the lost attempt cannot record anything");
    mock.verify().await;
}
