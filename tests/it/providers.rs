//! Every provider's fixtures, table-driven (courier's `handlertest` is the model). Each request
//! in `tests/fixtures/<provider>/` has a sidecar `<name>.expect.json` that declares the webhook
//! (`hook`: sms, delivery, ussd, ussd_event), what the provider parses from it (`parsed`, or
//! `error` for a refusal) and what the route answers on the demo gateway (`status`, `body` or
//! `body_starts`, `content_type`). Each `send_*` answer of a provider's API has one declaring
//! what `send` makes of it (`send`: the HTTP status the mock answers with, the path it expects,
//! `result` sent/retryable/permanent, `provider_id` or `reason`). `settings.json` is the
//! provider's `[channels.<name>]` section for the authenticated and the sending cases.
//!
//! Run for every provider without being asked: each fixture has a sidecar; a provider with
//! webhooks has SMS and delivery fixtures (and USSD ones when it does USSD); with its secrets set,
//! every unsigned fixture is refused 403; a route no provider has is a 404; no secret and no
//! number appears in a send's error.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;
use salama::channels::registry::KNOWN;
use salama::channels::{ChannelError, ChannelSections, Hook, Outgoing, Provider, Providers, SendError, Webhook};
use salama::config::Settings;
use salama::phone::E164;

fn folder(provider: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(provider)
}

/// One fixture and its declared expectations.
struct Case {
    name: String,
    body: Vec<u8>,
    json: bool,
    expect: Value,
}

/// Every fixture of a provider; a file with no sidecar fails the test (none is skipped).
fn cases(provider: &str) -> Vec<Case> {
    let dir = folder(provider);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: every provider has a fixture folder: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".expect.json") && n != "settings.json" && n != "README.md")
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let stem = name.rsplit_once('.').map_or(name.as_str(), |(stem, _)| stem);
            let sidecar = dir.join(format!("{stem}.expect.json"));
            let expect = std::fs::read_to_string(&sidecar)
                .unwrap_or_else(|_| panic!("{provider}/{name} has no {stem}.expect.json saying what it expects"));
            Case {
                body: std::fs::read(dir.join(&name)).unwrap(),
                json: name.ends_with(".json"),
                expect: serde_json::from_str(&expect).unwrap_or_else(|e| panic!("{}: {e}", sidecar.display())),
                name,
            }
        })
        .collect()
}

/// The provider's `settings.json`, applied to `sections`; returns the values of its secrets.
fn apply_settings(sections: &mut ChannelSections, provider: &str) -> Vec<String> {
    let entry = KNOWN.iter().find(|e| e.name.as_str() == provider).unwrap();
    let Ok(text) = std::fs::read_to_string(folder(provider).join("settings.json")) else { return vec![] };
    let settings: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
    let mut values = Vec::new();
    for (key, value) in settings {
        match value {
            Value::Bool(b) => sections.set(provider, &key, b),
            Value::String(s) => {
                sections.set(provider, &key, s.as_str());
                if entry.secrets.contains(&key.as_str()) {
                    values.push(s);
                }
            }
            other => panic!("{provider}/settings.json: {key} = {other} is not a string or a boolean"),
        }
    }
    values
}

fn hook(case: &Case) -> Option<Hook> {
    Some(match case.expect.get("hook")?.as_str()? {
        "sms" => Hook::Sms,
        "delivery" => Hook::Delivery,
        "ussd" => Hook::Ussd,
        "ussd_event" => Hook::UssdEvent,
        other => panic!("{}: unknown hook {other}", case.name),
    })
}

fn route(provider: &dyn Provider, hook: Hook) -> String {
    let name = provider.name();
    match hook {
        Hook::Sms => format!("/v1/sms/{name}"),
        Hook::Delivery => format!("/v1/sms/{name}/{}", provider.delivery_path()),
        Hook::Ussd => format!("/v1/ussd/{name}"),
        Hook::UssdEvent => format!("/v1/ussd/{name}/events"),
    }
}

/// What the provider makes of a request, as JSON to compare with `parsed`.
fn parse(provider: &dyn Provider, hook: Hook, body: &[u8]) -> Result<Value, ChannelError> {
    let no_headers: [(&str, &str); 0] = [];
    let request = Webhook { hook, query: "", headers: &no_headers, body };
    provider.authenticate(&request)?;
    let ussd = || provider.ussd().expect("a USSD fixture for a provider without USSD");
    Ok(match hook {
        Hook::Sms => provider
            .parse_sms(&request)?
            .iter()
            .map(|m| json!({"id": m.provider_id, "from": m.from.as_str(), "to": m.to, "text": m.text}))
            .collect(),
        Hook::Delivery => provider
            .parse_delivery(&request)?
            .iter()
            .map(|r| json!({"id": r.provider_id, "state": r.state.as_str(), "status": r.status}))
            .collect(),
        Hook::Ussd => {
            let hop = ussd().parse_hop(&request)?;
            json!({"session_id": hop.session_id, "service_code": hop.service_code, "number": hop.number.as_str(), "text": hop.text})
        }
        Hook::UssdEvent => json!(ussd().parse_session_end(&request)?.as_str()),
    })
}

async fn post<S, B>(app: &S, uri: &str, case: &Case) -> (u16, String, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let content_type = if case.json { "application/json" } else { "application/x-www-form-urlencoded" };
    let req = actix_web::test::TestRequest::post()
        .uri(uri)
        .insert_header(("content-type", content_type))
        .set_payload(case.body.clone())
        .to_request();
    let resp = actix_web::test::call_service(app, req).await;
    let status = resp.status().as_u16();
    let content_type = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let body = actix_web::test::read_body(resp).await;
    (status, content_type, String::from_utf8(body.to_vec()).unwrap())
}

/// The demo's gateway with `sections` in place of its channels.
fn demo_with(sections: ChannelSections) -> Settings {
    let mut settings = demo_settings(None);
    settings.channels = sections;
    settings
}

#[actix_web::test]
async fn every_request_fixture_parses_and_is_answered_as_its_sidecar_says() {
    let demo = demo_settings(None);
    let providers = Providers::build(&ChannelSections::default(), false).unwrap();
    for provider in providers.iter().filter(|p| p.has_webhooks()) {
        let name = provider.name().as_str();
        let cases: Vec<Case> = cases(name).into_iter().filter(|c| c.expect.get("hook").is_some()).collect();
        let hooks: Vec<Hook> = cases.iter().filter_map(hook).collect();
        let mut wanted = vec![Hook::Sms, Hook::Delivery];
        if provider.ussd().is_some() {
            wanted.extend([Hook::Ussd, Hook::UssdEvent]);
        }
        for hook in wanted {
            assert!(hooks.contains(&hook), "{name} has no {hook:?} fixture");
        }
        for case in &cases {
            let label = format!("{name}/{}", case.name);
            let (hook, expect) = (hook(case).unwrap(), &case.expect);
            match (parse(provider, hook, &case.body), expect.get("error")) {
                (Ok(parsed), None) => assert_eq!(&parsed, &expect["parsed"], "{label}: parsed"),
                (Err(ChannelError::Malformed(reason)), Some(Value::String(error))) => {
                    assert!(reason.contains(error.as_str()), "{label}: refused for {reason:?}, not {error:?}")
                }
                (got, want) => panic!("{label}: parsed {got:?}, the sidecar wants the error {want:?}"),
            }
            // A gateway of its own: no case sees what another left (a session, a remembered language).
            let app = app(gateway(&demo)).await;
            let (status, content_type, body) = post(&app, &route(provider, hook), case).await;
            assert_eq!(status, expect["status"].as_u64().unwrap() as u16, "{label}: status; body {body}");
            if let Some(want) = expect.get("body") {
                assert_eq!(body, want.as_str().unwrap(), "{label}: body");
            }
            if let Some(want) = expect.get("body_starts") {
                assert!(body.starts_with(want.as_str().unwrap()), "{label}: body {body}");
            }
            if let Some(want) = expect.get("content_type") {
                assert!(content_type.starts_with(want.as_str().unwrap()), "{label}: content type {content_type}");
            }
        }
    }
}

#[actix_web::test]
async fn with_its_secrets_set_every_provider_refuses_each_unsigned_fixture() {
    let mut sections = ChannelSections::default();
    for entry in KNOWN {
        apply_settings(&mut sections, entry.name.as_str());
    }
    let settings = demo_with(sections.clone());
    let app = app(gateway(&settings)).await;
    let providers = Providers::build(&sections, false).unwrap();
    for provider in providers.iter().filter(|p| p.has_webhooks()) {
        for case in cases(provider.name().as_str()).iter().filter(|c| c.expect.get("hook").is_some()) {
            let (status, _, body) = post(&app, &route(provider, hook(case).unwrap()), case).await;
            assert_eq!(status, 403, "{}/{}: {body}", provider.name(), case.name);
        }
    }
    let (status, _, _) = post(&app, "/v1/sms/nosuchprovider", &cases("africastalking")[0]).await;
    assert_eq!(status, 404, "a route no provider has");
    let (status, _, _) = post(&app, "/v1/sms/twilio/delivery", &cases("twilio")[0]).await;
    assert_eq!(status, 404, "another provider's delivery path");
}

#[tokio::test]
async fn every_send_fixture_gives_the_result_its_sidecar_says() {
    let to = E164::parse("+254711000111", None).unwrap();
    let http = reqwest::Client::new();
    for entry in KNOWN {
        let name = entry.name.as_str();
        for case in cases(name).iter().filter(|c| c.expect.get("send").is_some()) {
            let (label, expect) = (format!("{name}/{}", case.name), &case.expect["send"]);
            let mock = MockServer::start().await;
            Mock::given(method("POST"))
                .respond_with(
                    ResponseTemplate::new(expect["http_status"].as_u64().unwrap() as u16)
                        .set_body_raw(case.body.clone(), "application/json"),
                )
                .expect(1)
                .mount(&mock)
                .await;
            let mut sections = ChannelSections::default();
            let secrets = apply_settings(&mut sections, name);
            sections.set(name, "base_url", mock.uri());
            let providers = Providers::build(&sections, false).unwrap();
            let out = Outgoing { id: "r-test-0", to: &to, body: "Hello", sender: None };
            let result = providers.sender(name).unwrap().send(&http, &out).await;
            let received = mock.received_requests().await.unwrap();
            assert_eq!(received[0].url.path(), expect["path"].as_str().unwrap(), "{label}: path");
            let said = match (&result, expect["result"].as_str().unwrap()) {
                (Ok(id), "sent") => {
                    assert_eq!(id, expect["provider_id"].as_str().unwrap(), "{label}: provider id");
                    continue;
                }
                (Err(SendError::Retryable(reason)), "retryable") | (Err(SendError::Permanent(reason)), "permanent") => {
                    reason
                }
                (got, want) => panic!("{label}: {got:?}, the sidecar wants {want}"),
            };
            assert!(said.contains(expect["reason"].as_str().unwrap()), "{label}: {said}");
            assert!(!said.contains("711000111"), "{label}: the error quotes the number: {said}");
            for secret in &secrets {
                assert!(!said.contains(secret.as_str()), "{label}: the error quotes a setting: {said}");
            }
        }
    }
}
