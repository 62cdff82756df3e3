//! Every log line of full USSD sessions (escalations, free text, bad requests, a Redis outage)
//! is captured at debug level and searched for the number and the survivor's words.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing_subscriber::util::SubscriberInitExt;

use crate::support::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[actix_web::test]
async fn no_phone_number_or_survivor_text_reaches_the_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    // This thread's subscriber, not the process's: the other modules of the test binary run on
    // threads of their own, and everything this test drives runs on its single-threaded runtime.
    // A second, idle dispatch kept alive: with exactly one registered, tracing-core caches a
    // callsite's interest from whichever thread first reaches it (tokio-rs/tracing#3611), and a
    // thread without this capture (the Redis driver's, say) would silence that line here too.
    let _second = tracing::Dispatch::new(tracing_subscriber::registry());
    let _capture = tracing_subscriber::fmt()
        .with_env_filter("debug")
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .set_default();

    let number = "+254711222333";
    let words = "Kibera market after 7pm";
    let mut redis = TestRedis::start();
    let app = app(gateway(&demo_settings(Some(&redis.url())))).await;
    let provider = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(201).set_body_string(format!(
            r#"{{"SMSMessageData": {{"Message": "Sent to 0/1: {number} is blacklisted", "Recipients": []}}}}"#
        )))
        .mount(&provider)
        .await;
    let mut sms_settings = demo_settings(Some(&redis.url()));
    sms_settings.escalation.rota_file =
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rota/test_rota.toml").into();
    for helpline in sms_settings.helplines.values_mut() {
        helpline.neutral_first_sms = false;
    }
    sms_settings.channels.set("africastalking", "api_key", "key");
    sms_settings.channels.set("africastalking", "base_url", provider.uri());
    let sms_gateway = gateway(&sms_settings);
    let sms_app = crate::support::app(sms_gateway.clone()).await;
    for text in ["", "1", "1*1", "1*1*3", "1*1*3*4", &format!("1*1*3*4*{words}"), &format!("1*1*3*4*{words}*1")] {
        assert_eq!(dial(&app, "privacy", number, KE_CODE, text).await.0, 200);
    }
    dial(&app, "privacy-2", number, KE_CODE, "1*1*00").await;
    dial(&app, "privacy-3", number, "*000#", "").await;
    let bad = format!("sessionId=a%20b&serviceCode=x&phoneNumber=%2B{}&text={words}", &number[1..]);
    assert_eq!(post_form(&app, "/v1/ussd/africastalking", &bad).await.0, 400);
    let bad_number = format!("sessionId=s&serviceCode=x&phoneNumber=%2B{}9999&text={words}", &number[1..]);
    assert_eq!(post_form(&app, "/v1/ussd/africastalking", &bad_number).await.0, 400);
    // A malformed body that quotes her number back in the parser's error message.
    let numeric = format!(r#"{{"results":[{{"messageId":"m1","from":{},"to":"21512","text":"hi"}}]}}"#, &number[1..]);
    let req = actix_web::test::TestRequest::post()
        .uri("/v1/sms/infobip")
        .insert_header(("content-type", "application/json"))
        .set_payload(numeric)
        .to_request();
    assert_eq!(actix_web::test::call_service(&app, req).await.status(), 400);
    let event = format!("sessionId=s&phoneNumber=%2B{}&status=Success&input=1&lastAppResponse={words}", &number[1..]);
    assert_eq!(post_form(&app, "/v1/ussd/africastalking/events", &event).await.0, 200);
    // SMS: a conversation with free text, and a provider error that quotes her number.
    let sms = |id: &str, text: &str| {
        format!("text={text}&to=21512&id={id}&date=2026-11-29T06%3A04%3A45Z&from=%2B{}", &number[1..])
    };
    for (id, text) in [("s1", "HELP"), ("s2", "7"), ("s3", "1"), ("s4", "Kibera+market+after+7pm")] {
        assert_eq!(post_form(&sms_app, "/v1/sms/africastalking", &sms(id, text)).await.0, 200);
    }
    // Escalation and relay: the case is paged, the counsellor takes it and writes to her, she
    // answers with her words, and triage reads them.
    sms_gateway.cases.escalate_due(chrono::Utc::now() + chrono::Duration::seconds(1)).await.unwrap();
    let counsellor = |id: &str, text: &str| {
        format!("text={text}&to=21512&id={id}&date=2026-11-29T06%3A04%3A45Z&from=%2B254700000101")
    };
    let code =
        sms_gateway.cases.case(&sms_gateway.store.cases().open_ids().await.unwrap()[0]).await.unwrap().unwrap().code;
    post_form(&sms_app, "/v1/sms/africastalking", &counsellor("c1", &format!("ACK+{code}"))).await;
    post_form(&sms_app, "/v1/sms/africastalking", &counsellor("c2", &format!("{code}+hello+I+am+here"))).await;
    post_form(&sms_app, "/v1/sms/africastalking", &sms("s5", "he+is+outside+with+a+knife+Kibera")).await;
    sms_gateway.outbox.send_due(salama::clock::now_ms()).await.unwrap();
    redis.kill();
    let (_, fallback) = dial(&app, "privacy-4", number, KE_CODE, "1*2").await;
    assert!(fallback.starts_with("END "), "{fallback}");

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("case opened"), "the capture works:\n{logs}");
    assert!(logs.contains("case acknowledged"), "the relay ran:\n{logs}");
    assert!(logs.contains("store failed"), "the outage was logged:\n{logs}");
    assert!(logs.contains("webhook refused"), "{logs}");
    assert!(logs.contains("outbox: gave up"), "the provider's refusal was logged:\n{logs}");
    for secret in ["711222333", "254711222333", "Kibera", "after 7pm", "knife", "hello I am here"] {
        assert!(!logs.contains(secret), "{secret:?} leaked into the logs:\n{logs}");
    }
}
