//! Time from a survivor's escalating choice (the USSD hop on "I am in danger now") to the page's
//! request reaching the provider's API, over 1,000 cases, on a private redis-server with the
//! real workers running. Run: `cargo bench --bench escalation` (needs redis-server, as the tests).

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use salama::channels::UssdHop;
use salama::phone::E164;
use support::*;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const CASES: usize = 1000;

/// Answers like Africa's Talking and notes when each page arrived.
struct PageClock(UnboundedSender<Instant>);

impl Respond for PageClock {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if String::from_utf8_lossy(&request.body).contains("SALAMA+case") {
            let _ = self.0.send(Instant::now());
        }
        ResponseTemplate::new(201).set_body_string(
            r#"{"SMSMessageData":{"Message":"Sent","Recipients":[{"statusCode":101,"number":"+254700000101","status":"Success","cost":"KES 0.8","messageId":"ATXid_b"}]}}"#,
        )
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        let redis = TestRedis::start();
        let mock = MockServer::start().await;
        let (pages, mut arrived) = unbounded_channel();
        Mock::given(path("/version1/messaging")).respond_with(PageClock(pages)).mount(&mock).await;
        let mut settings = demo_settings(Some(&redis.url()));
        settings.escalation.rota_file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rota/test_rota.toml").into();
        settings.channels.set("africastalking", "api_key", "bench-key");
        settings.channels.set("africastalking", "base_url", mock.uri());
        let gw = Arc::new(salama::engine::Gateway::from_settings(&settings).unwrap());
        tokio::spawn(salama::cases::worker::run(gw.cases.clone()));
        for _ in 0..2 {
            tokio::spawn(salama::outbox::worker::run(gw.outbox.clone()));
        }

        let mut latencies = Vec::with_capacity(CASES);
        for i in 0..CASES {
            let number = E164::parse(&fresh_number(), None).unwrap();
            let hop = |text: &str| UssdHop {
                provider: "africastalking",
                session_id: format!("bench-{i}"),
                service_code: KE_CODE.into(),
                number: number.clone(),
                text: text.into(),
            };
            gw.ussd(&hop("")).await;
            gw.ussd(&hop("1")).await;
            let chosen = Instant::now();
            let reply = gw.ussd(&hop("1*1")).await;
            assert!(reply.text.starts_with("In danger now?"), "{}", reply.text);
            let paged = tokio::time::timeout(Duration::from_secs(10), arrived.recv()).await.expect("no page within 10 s").unwrap();
            latencies.push(paged - chosen);
        }
        latencies.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let mean = latencies.iter().sum::<Duration>() / CASES as u32;
        println!(
            "escalating choice -> page at the provider, {CASES} cases: median {:.1} ms, p99 {:.1} ms, mean {:.1} ms, max {:.1} ms",
            ms(latencies[CASES / 2]),
            ms(latencies[CASES * 99 / 100]),
            ms(mean),
            ms(latencies[CASES - 1])
        );
    });
}
