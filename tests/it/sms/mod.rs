//! SMS end to end against a private Redis, with wiremock standing in for each provider's API:
//! webhook in, flow, the exact request out, delivery reports; `sending.rs` has retries, fallback
//! and dead letters.

mod sending;

use std::sync::Arc;

use crate::support::*;
use salama::channels::twilio;
use salama::clock::now_ms;
use salama::config::Settings;
use salama::engine::Gateway;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TWILIO_TOKEN: &str = "twilio-test-token";
const TWILIO_URL: &str = "https://gateway.example.org/v1/sms/twilio";
const KE_NUMBER: &str = "+254711000111";

pub(crate) fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The demo on a private Redis, every provider's API pointed at `mock`.
pub(crate) fn settings(redis: &TestRedis, mock: &MockServer) -> Settings {
    let mut s = demo_settings(Some(&redis.url()));
    // These tests walk the menus; neutral mode has a test of its own (tests/safety.rs).
    for helpline in s.helplines.values_mut() {
        helpline.neutral_first_sms = false;
        helpline.neutral_sender = None;
    }
    let set = [
        ("africastalking", "api_key", "at-key"),
        ("africastalking", "token", "at-token"),
        ("twilio", "account_sid", "AC123"),
        ("twilio", "auth_token", TWILIO_TOKEN),
        ("twilio", "public_url", TWILIO_URL),
        ("twilio", "from", "+254700000100"),
        ("infobip", "api_key", "ib-key"),
        ("infobip", "token", "ib-token"),
        ("infobip", "sender", "SALAMA"),
    ];
    for (provider, key, value) in set {
        s.channels.set(provider, key, value);
    }
    for provider in ["africastalking", "twilio", "infobip"] {
        s.channels.set(provider, "base_url", mock.uri());
    }
    s.helplines.get_mut("ke").unwrap().sms_numbers.push("+254700000100".into());
    s
}

/// Settings whose Kenyan helpline answers through Twilio.
fn twilio_settings(redis: &TestRedis, mock: &MockServer) -> Settings {
    let mut s = settings(redis, mock);
    s.helplines.get_mut("ke").unwrap().sms_provider = Some("twilio".into());
    s
}

/// Answers like Infobip, with the `messageId` the request carried (Salama's outbox id).
struct InfobipEcho;

impl wiremock::Respond for InfobipEcho {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let sent: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        let id = sent["messages"][0]["destinations"][0]["messageId"].as_str().unwrap();
        ResponseTemplate::new(200).set_body_string(fixture("infobip/send_ok.json").replace("MESSAGE-ID", id))
    }
}

/// The SMS a flow sends for its start screen in `locale`.
fn start_sms(gw: &Gateway, helpline: &str, locale: &str) -> String {
    let flow = &gw.helplines.iter().find(|h| h.id == helpline).unwrap().flow;
    let node = &flow.nodes[flow.start as usize];
    node.sms[flow.locale_index(locale).unwrap() as usize].clone()
}

fn twilio_signed(body: &str, url: &str) -> (String, String) {
    let params: Vec<(String, String)> = serde_urlencoded::from_str(body).unwrap();
    (body.to_owned(), twilio::signature(TWILIO_TOKEN, url, &params))
}

async fn post_signed<S, B>(app: &S, uri: &str, body: &str, signature: &str) -> (u16, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let req = actix_web::test::TestRequest::post()
        .uri(uri)
        .insert_header(("content-type", "application/x-www-form-urlencoded"))
        .insert_header((twilio::SIGNATURE_HEADER, signature))
        .set_payload(body.to_owned())
        .to_request();
    let resp = actix_web::test::call_service(app, req).await;
    let status = resp.status().as_u16();
    (status, String::from_utf8(actix_web::test::read_body(resp).await.to_vec()).unwrap())
}

async fn post_json<S, B>(app: &S, uri: &str, body: &str) -> u16
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let req = actix_web::test::TestRequest::post()
        .uri(uri)
        .insert_header(("content-type", "application/json"))
        .set_payload(body.to_owned())
        .to_request();
    actix_web::test::call_service(app, req).await.status().as_u16()
}

pub(crate) fn metric(gw: &Gateway, name: &str) -> u64 {
    let lines = gw.metrics.render();
    // Summed over its labels, if it has any.
    let values = lines.lines().filter_map(|l| l.strip_prefix(name).filter(|rest| rest.starts_with([' ', '{'])));
    values.filter_map(|rest| rest.rsplit(' ').next()?.parse::<u64>().ok()).sum()
}

#[actix_web::test]
async fn africastalking_conversation_end_to_end() {
    let (redis, mock) = (TestRedis::start(), MockServer::start().await);
    let gw = gateway(&settings(&redis, &mock));
    let app = app(gw.clone()).await;
    let expected = serde_urlencoded::to_string([
        ("username", "sandbox"),
        ("to", KE_NUMBER),
        ("message", &start_sms(&gw, "ke", "en")),
        ("bulkSMSMode", "1"),
    ])
    .unwrap();
    Mock::given(method("POST"))
        .and(path("/version1/messaging"))
        .and(header("apiKey", "at-key"))
        .and(header("Accept", "application/json"))
        .and(body_string(expected))
        .respond_with(ResponseTemplate::new(201).set_body_string(fixture("africastalking/send_ok.json")))
        .expect(1)
        .mount(&mock)
        .await;

    let (status, _) =
        post_form(&app, "/v1/sms/africastalking?token=at-token", &fixture("africastalking/sms_help.form")).await;
    assert_eq!(status, 200);
    assert_eq!(gw.outbox.send_due(now_ms()).await.unwrap(), 1);
    mock.verify().await;
    assert_eq!(metric(&gw, "salama_sms_sent_total"), 1);

    let (status, _) =
        post_form(&app, "/v1/sms/africastalking/delivery?token=at-token", &fixture("africastalking/dlr_success.form"))
            .await;
    assert_eq!(status, 200);
    let id = sent_ids(&redis)[0].clone();
    assert_eq!(gw.store.outbox().state(&id).await.unwrap().as_deref(), Some("delivered"));

    // The conversation goes on: "1" is "I am in danger now".
    mock.reset().await;
    Mock::given(method("POST"))
        .and(path("/version1/messaging"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_string(fixture("africastalking/send_ok.json").replace("ATXid_a1b2c3", "ATXid_2")),
        )
        .expect(1)
        .mount(&mock)
        .await;
    let next = fixture("africastalking/sms_help.form").replace("text=HELP", "text=1").replace("ec9adc86", "0000aaaa");
    assert_eq!(post_form(&app, "/v1/sms/africastalking?token=at-token", &next).await.0, 200);
    gw.outbox.send_due(now_ms()).await.unwrap();
    let requests = mock.received_requests().await.unwrap();
    let body: Vec<(String, String)> = serde_urlencoded::from_bytes(&requests[0].body).unwrap();
    let message = &body.iter().find(|(k, _)| k == "message").unwrap().1;
    assert!(message.starts_with("In danger now? Call 999 or 112 (free)."), "{message}");
    assert!(message.ends_with("Reply with a number. 0: back. 00: stop."), "{message}");
    assert_eq!(metric(&gw, "salama_escalations_total{urgency=\"critical\"}"), 1);
}

/// Outbox ids of messages that were sent, from Redis.
fn sent_ids(redis: &TestRedis) -> Vec<String> {
    redis.keys().into_iter().filter_map(|k| k.strip_prefix("salama:{outbox}:msg:").map(str::to_owned)).collect()
}

#[actix_web::test]
async fn twilio_conversation_end_to_end_with_signatures() {
    let (redis, mock) = (TestRedis::start(), MockServer::start().await);
    let gw = gateway(&twilio_settings(&redis, &mock));
    let app = app(gw.clone()).await;
    let expected = serde_urlencoded::to_string([
        ("To", "+254711000222"),
        ("From", "+254700000100"),
        ("Body", &start_sms(&gw, "ke", "sw")),
        ("StatusCallback", &format!("{TWILIO_URL}/status")),
    ])
    .unwrap();
    Mock::given(method("POST"))
        .and(path("/2010-04-01/Accounts/AC123/Messages.json"))
        .and(header("Authorization", "Basic QUMxMjM6dHdpbGlvLXRlc3QtdG9rZW4=")) // AC123:twilio-test-token
        .and(body_string(expected))
        .respond_with(ResponseTemplate::new(201).set_body_string(fixture("twilio/send_ok.json")))
        .expect(1)
        .mount(&mock)
        .await;

    let (body, signature) = twilio_signed(&fixture("twilio/sms_msaada.form"), TWILIO_URL);
    let (status, _) = post_signed(&app, "/v1/sms/twilio", &body, "invalid-signature").await;
    assert_eq!(status, 403);
    assert!(redis.keys().is_empty(), "a refused request changes nothing: {:?}", redis.keys());
    let (status, reply) = post_signed(&app, "/v1/sms/twilio", &body, &signature).await;
    assert_eq!((status, reply.as_str()), (200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>"));
    assert_eq!(gw.outbox.send_due(now_ms()).await.unwrap(), 1);
    mock.verify().await;

    let status_url = format!("{TWILIO_URL}/status");
    let (body, signature) = twilio_signed(&fixture("twilio/status_delivered.form"), &status_url);
    assert_eq!(post_signed(&app, "/v1/sms/twilio/status", &body, &signature).await.0, 200);
    assert_eq!(post_signed(&app, "/v1/sms/twilio/status", &body, "bad").await.0, 403);
    let id = sent_ids(&redis)[0].clone();
    assert_eq!(gw.store.outbox().state(&id).await.unwrap().as_deref(), Some("delivered"));
}

#[actix_web::test]
async fn twilio_can_answer_in_twiml_instead_of_the_outbox() {
    let (redis, mock) = (TestRedis::start(), MockServer::start().await);
    let mut s = settings(&redis, &mock);
    s.channels.set("twilio", "reply_with_twiml", true);
    let gw = gateway(&s);
    let app = app(gw.clone()).await;
    let (body, signature) = twilio_signed(&fixture("twilio/sms_msaada.form"), TWILIO_URL);
    let (status, reply) = post_signed(&app, "/v1/sms/twilio", &body, &signature).await;
    assert_eq!(status, 200);
    assert!(reply.contains("<Response><Message>Tukusaidieje?"), "{reply}");
    assert_eq!(gw.outbox.send_due(now_ms()).await.unwrap(), 0, "nothing went to the outbox");
}

#[actix_web::test]
async fn infobip_conversation_end_to_end() {
    let (redis, mock) = (TestRedis::start(), MockServer::start().await);
    let gw = gateway(&settings(&redis, &mock));
    let app = app(gw.clone()).await;

    assert_eq!(post_json(&app, "/v1/sms/infobip?token=wrong", &fixture("infobip/sms_aide.json")).await, 403);
    assert_eq!(post_json(&app, "/v1/sms/infobip?token=ib-token", &fixture("infobip/sms_aide.json")).await, 200);
    Mock::given(method("POST"))
        .and(path("/sms/2/text/advanced"))
        .and(header("Authorization", "App ib-key"))
        .respond_with(InfobipEcho)
        .mount(&mock)
        .await;
    let parts = salama::i18n::gsm::split_sms(&start_sms(&gw, "bj", "fr"), 3);
    assert_eq!(gw.outbox.send_due(now_ms()).await.unwrap(), parts.len());
    let mut requests = mock.received_requests().await.unwrap();
    requests.sort_by_key(|r| {
        serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["messages"][0]["destinations"][0]["messageId"]
            .as_str()
            .unwrap()
            .to_owned()
    });
    let mut ids = sent_ids(&redis);
    ids.sort();
    for (i, (request, id)) in requests.iter().zip(&ids).enumerate() {
        let expected = serde_json::json!({"messages": [{
            "destinations": [{"to": "2290197000333", "messageId": id}],
            "text": parts[i],
            "from": "SALAMA",
        }]});
        assert_eq!(serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(), expected);
    }
    let id = ids[0].clone();
    assert!(parts[0].starts_with("Choisissez :"), "{}", parts[0]);

    let report = fixture("infobip/dlr_delivered.json").replace("MESSAGE-ID", &id);
    assert_eq!(post_json(&app, "/v1/sms/infobip/delivery?token=ib-token", &report).await, 200);
    assert_eq!(gw.store.outbox().state(&id).await.unwrap().as_deref(), Some("delivered"));
    assert_eq!(post_json(&app, "/v1/sms/infobip/delivery?token=ib-token", "{\"results\": 5}").await, 400);
}

#[actix_web::test]
async fn keywords_choose_the_language_and_free_text_is_kept_sealed() {
    let (redis, mock) = (TestRedis::start(), MockServer::start().await);
    let gw = gateway(&settings(&redis, &mock));
    let app = app(gw.clone()).await;
    let sms = |id: &str, text: &str| {
        fixture("africastalking/sms_help.form").replace("text=HELP", &format!("text={text}")).replace("ec9adc86", id)
    };
    post_form(&app, "/v1/sms/africastalking?token=at-token", &sms("00000001", "msaada")).await;
    // 2: talk to a counsellor; 1: a call is safe at any time; then her words.
    for (id, text) in [("00000002", "2"), ("00000003", "1"), ("00000004", "baada+ya+saa+kumi+na+mbili")] {
        post_form(&app, "/v1/sms/africastalking?token=at-token", &sms(id, text)).await;
    }
    let number = salama::phone::E164::parse(KE_NUMBER, None).unwrap();
    assert_eq!(gw.transcript("ke", &number).await.unwrap(), vec!["baada ya saa kumi na mbili"]);
    for key in redis.keys() {
        let raw: Vec<u8> = match redis.query(&["TYPE", &key]).unwrap() {
            redis::Value::SimpleString(t) if t == "string" => {
                redis::from_redis_value(redis.query(&["GET", &key]).unwrap()).unwrap()
            }
            _ => continue,
        };
        assert!(!String::from_utf8_lossy(&raw).contains("kumi na mbili"), "{key} holds her words in clear");
        assert!(!String::from_utf8_lossy(&raw).contains("711000111"), "{key} holds her number in clear");
        assert!(!key.contains("711000111"));
    }
    let messages = gw.outbox.send_due(now_ms()).await.unwrap();
    assert_eq!(messages, 4);
}

#[actix_web::test]
async fn bad_sms_requests_are_refused_and_change_nothing() {
    let (redis, mock) = (TestRedis::start(), MockServer::start().await);
    let gw = gateway(&settings(&redis, &mock));
    let app = app(gw.clone()).await;
    let good = fixture("africastalking/sms_help.form");
    assert_eq!(post_form(&app, "/v1/sms/africastalking", &good).await.0, 403);
    assert_eq!(
        post_form(&app, "/v1/sms/africastalking?token=at-token", &good.replace("from=%2B254711000111", "from=MTN"))
            .await
            .0,
        400
    );
    assert_eq!(post_form(&app, "/v1/sms/africastalking?token=at-token", "%%%").await.0, 400);
    assert_eq!(post_form(&app, "/v1/sms/africastalking/delivery?token=at-token", "status=Success").await.0, 400);
    assert_eq!(post_json(&app, "/v1/sms/infobip?token=ib-token", "[]").await, 400);
    assert!(redis.keys().is_empty(), "{:?}", redis.keys());
    // A number no helpline uses is accepted (the provider must not retry) and ignored.
    assert_eq!(
        post_form(&app, "/v1/sms/africastalking?token=at-token", &good.replace("to=21512", "to=99999")).await.0,
        200
    );
    assert!(redis.keys().is_empty());
}

#[actix_web::test]
async fn with_redis_down_an_sms_is_answered_503_so_the_provider_keeps_it() {
    let (mut redis, mock) = (TestRedis::start(), MockServer::start().await);
    let gw: Arc<Gateway> = gateway(&settings(&redis, &mock));
    let app = app(gw.clone()).await;
    redis.kill();
    let (status, _) =
        post_form(&app, "/v1/sms/africastalking?token=at-token", &fixture("africastalking/sms_help.form")).await;
    assert_eq!(status, 503);
}
