//! The outbox sending through each provider's mocked API: a provider's retry, a 500 then a 201,
//! the fallback, dead letters and their retry, Twilio's permanent codes, a worker lost mid-send.

use super::*;

#[actix_web::test]
async fn a_provider_retry_is_answered_200_and_handled_once() {
    let (redis, mock) = (TestRedis::start(), MockServer::start().await);
    let gw = gateway(&settings(&redis, &mock));
    let app = app(gw.clone()).await;
    for _ in 0..3 {
        let (status, _) =
            post_form(&app, "/v1/sms/africastalking?token=at-token", &fixture("africastalking/sms_help.form")).await;
        assert_eq!(status, 200);
    }
    assert_eq!(sent_ids(&redis).len(), 1, "one reply queued");
    assert_eq!(metric(&gw, "salama_sms_in_total"), 1);
    assert_eq!(metric(&gw, "salama_sms_duplicates_total"), 2);
}

#[actix_web::test]
async fn a_provider_answering_500_then_201_delivers_the_message_once() {
    let (redis, mock) = (TestRedis::start(), MockServer::start().await);
    let gw = gateway(&settings(&redis, &mock));
    let app = app(gw.clone()).await;
    Mock::given(path("/version1/messaging"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .expect(1)
        .mount(&mock)
        .await;
    Mock::given(path("/version1/messaging"))
        .respond_with(ResponseTemplate::new(201).set_body_string(fixture("africastalking/send_ok.json")))
        .expect(1)
        .mount(&mock)
        .await;
    post_form(&app, "/v1/sms/africastalking?token=at-token", &fixture("africastalking/sms_help.form")).await;
    let now = now_ms();
    assert_eq!(gw.outbox.send_due(now).await.unwrap(), 1, "first try: 500");
    let id = sent_ids(&redis)[0].clone();
    assert_eq!(gw.store.outbox().state(&id).await.unwrap().as_deref(), Some("queued"));
    assert_eq!(gw.outbox.send_due(now + 500).await.unwrap(), 0, "not due before the backoff");
    assert_eq!(gw.outbox.send_due(now + 1_000).await.unwrap(), 1, "second try after 1 s: 201");
    assert_eq!(gw.outbox.send_due(now + 60_000).await.unwrap(), 0);
    mock.verify().await;
    assert_eq!(gw.store.outbox().state(&id).await.unwrap().as_deref(), Some("sent"));
    assert_eq!(metric(&gw, "salama_sms_sent_total"), 1);
}

#[actix_web::test]
async fn a_failing_provider_hands_over_to_the_fallback() {
    let (redis, mock) = (TestRedis::start(), MockServer::start().await);
    let mut s = settings(&redis, &mock);
    s.helplines.get_mut("ke").unwrap().sms_fallback = Some("twilio".into());
    let gw = gateway(&s);
    let app = app(gw.clone()).await;
    Mock::given(path("/version1/messaging")).respond_with(ResponseTemplate::new(503)).expect(1).mount(&mock).await;
    Mock::given(path("/2010-04-01/Accounts/AC123/Messages.json"))
        .respond_with(ResponseTemplate::new(201).set_body_string(fixture("twilio/send_ok.json")))
        .expect(1)
        .mount(&mock)
        .await;
    post_form(&app, "/v1/sms/africastalking?token=at-token", &fixture("africastalking/sms_help.form")).await;
    let now = now_ms();
    gw.outbox.send_due(now).await.unwrap();
    gw.outbox.send_due(now + 1_000).await.unwrap();
    mock.verify().await;
}

#[actix_web::test]
async fn permanent_failures_go_to_the_dead_letters_and_can_be_retried() {
    let (redis, mock) = (TestRedis::start(), MockServer::start().await);
    let gw = gateway(&settings(&redis, &mock));
    let app = app(gw.clone()).await;
    Mock::given(path("/version1/messaging"))
        .respond_with(ResponseTemplate::new(201).set_body_string(fixture("africastalking/send_invalid_number.json")))
        .up_to_n_times(1)
        .mount(&mock)
        .await;
    post_form(&app, "/v1/sms/africastalking?token=at-token", &fixture("africastalking/sms_help.form")).await;
    gw.outbox.send_due(now_ms()).await.unwrap();
    let dead = gw.store.outbox().dead_letters(10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!((dead[0].helpline.as_str(), dead[0].provider.as_str(), dead[0].tries), ("ke", "africastalking", 1));
    assert!(dead[0].error.contains("InvalidPhoneNumber (403) (permanent)"), "{}", dead[0].error);

    Mock::given(path("/version1/messaging"))
        .respond_with(ResponseTemplate::new(201).set_body_string(fixture("africastalking/send_ok.json")))
        .expect(1)
        .mount(&mock)
        .await;
    assert_eq!(gw.store.outbox().revive(None, now_ms()).await.unwrap(), 1);
    assert_eq!(gw.outbox.send_due(now_ms()).await.unwrap(), 1);
    assert!(gw.store.outbox().dead_letters(10).await.unwrap().is_empty());
    assert_eq!(gw.store.outbox().state(&dead[0].id).await.unwrap().as_deref(), Some("sent"));
}

#[actix_web::test]
async fn twilio_unsubscribed_is_permanent_and_its_message_holds_no_number() {
    let (redis, mock) = (TestRedis::start(), MockServer::start().await);
    let gw = gateway(&twilio_settings(&redis, &mock));
    let app = app(gw.clone()).await;
    Mock::given(path("/2010-04-01/Accounts/AC123/Messages.json"))
        .respond_with(ResponseTemplate::new(400).set_body_string(fixture("twilio/send_unsubscribed.json")))
        .expect(1)
        .mount(&mock)
        .await;
    let (body, signature) = twilio_signed(&fixture("twilio/sms_msaada.form"), TWILIO_URL);
    post_signed(&app, "/v1/sms/twilio", &body, &signature).await;
    gw.outbox.send_due(now_ms()).await.unwrap();
    let dead = gw.store.outbox().dead_letters(10).await.unwrap();
    assert!(dead[0].error.starts_with("Twilio error 21610"), "{}", dead[0].error);
    assert!(!dead[0].error.contains("711000222"), "{}", dead[0].error);
}
