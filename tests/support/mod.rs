//! Shared by the integration tests: a private redis-server, the demo settings, and a USSD
//! client that speaks Africa's Talking's form format to the real routes.
#![allow(dead_code)] // each test binary uses a different part

pub mod cluster;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::{App, test};
use salama::config::{Overrides, Settings};
use salama::engine::Gateway;

pub const KE_CODE: &str = "*384*1234#";
pub const BJ_CODE: &str = "*384*5678#";
pub const SECRET: &str = "test-pseudonym-secret-0123456789abcdef";
pub const KEYS: &str = "t1:0707070707070707070707070707070707070707070707070707070707070707";

/// The shipped demo config, optionally on Redis.
pub fn demo_settings(redis_url: Option<&str>) -> Settings {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut settings = Settings::load(
        Some(&root.join("salama.toml")),
        Overrides { bind: None, redis_url: redis_url.map(str::to_owned) },
    )
    .expect("the demo config loads");
    if redis_url.is_some() {
        settings.privacy.pseudonym_secret = Some(SECRET.into());
        settings.privacy.encryption_keys = Some(KEYS.into());
    }
    settings
}

pub fn gateway(settings: &Settings) -> Arc<Gateway> {
    Arc::new(Gateway::from_settings(settings).expect("the gateway starts"))
}

/// An actix service with Salama's routes, as `serve` builds it.
pub async fn app(
    gateway: Arc<Gateway>,
) -> impl Service<actix_http::Request, Response = ServiceResponse<impl MessageBody>, Error = actix_web::Error> {
    test::init_service(
        App::new()
            .wrap(actix_web::middleware::from_fn(|req, next| salama::http::edge(Duration::from_secs(10), req, next)))
            .configure(salama::http::routes(gateway, 8192)),
    )
    .await
}

/// One USSD request as Africa's Talking sends it; returns (status, body).
pub async fn dial<S, B>(app: &S, session: &str, number: &str, code: &str, text: &str) -> (u16, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let form = [
        ("sessionId", session),
        ("serviceCode", code),
        ("phoneNumber", number),
        ("networkCode", "63902"),
        ("text", text),
    ];
    post_form(app, "/v1/ussd/africastalking", &serde_urlencoded::to_string(form).unwrap()).await
}

/// A session dialled hop by hop, as a provider sends it (every prefix of `path`, from the first
/// request); returns the last answer. A whole path sent at once with nothing stored restarts.
pub async fn dial_hops<S, B>(app: &S, session: &str, number: &str, code: &str, path: &str) -> (u16, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let inputs: Vec<&str> = if path.is_empty() { Vec::new() } else { path.split('*').collect() };
    let mut last = dial(app, session, number, code, "").await;
    for i in 1..=inputs.len() {
        last = dial(app, session, number, code, &inputs[..i].join("*")).await;
    }
    last
}

pub async fn post_form<S, B>(app: &S, uri: &str, body: &str) -> (u16, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let req = test::TestRequest::post()
        .uri(uri)
        .insert_header(("content-type", "application/x-www-form-urlencoded"))
        .set_payload(body.to_owned())
        .to_request();
    let resp = test::call_service(app, req).await;
    let status = resp.status().as_u16();
    let body = test::read_body(resp).await;
    (status, String::from_utf8(body.to_vec()).unwrap())
}

/// The demo on a private Redis with the test rota (tests/fixtures/rota/test_rota.toml), Africa's
/// Talking's API pointed at `provider`, and an admin token.
pub fn escalation_settings(redis: &TestRedis, provider: &wiremock::MockServer) -> Settings {
    escalation_settings_at(&redis.url(), provider)
}

/// [`escalation_settings`] on the Redis (or cluster) at `url`.
pub fn escalation_settings_at(url: &str, provider: &wiremock::MockServer) -> Settings {
    let mut s = demo_settings(Some(url));
    s.escalation.rota_file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rota/test_rota.toml").into();
    s.channels.set("africastalking", "api_key", "at-key");
    s.channels.set("africastalking", "base_url", provider.uri());
    // The API stand-in takes every SMS, on the embedded store too (no console provider).
    s.channels.set("console", "stand_in", false);
    s.admin.token = Some("admin-test-token".into());
    s
}

/// A stand-in for Africa's Talking's messaging API that accepts every SMS.
pub async fn provider() -> wiremock::MockServer {
    let mock = wiremock::MockServer::start().await;
    let ok =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/africastalking/send_ok.json"))
            .unwrap();
    wiremock::Mock::given(wiremock::matchers::path("/version1/messaging"))
        .respond_with(wiremock::ResponseTemplate::new(201).set_body_string(ok))
        .mount(&mock)
        .await;
    mock
}

/// A Kenyan mobile number no other call of this function returns in this process.
pub fn fresh_number() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!("+2547{:08}", NEXT.fetch_add(1, Ordering::Relaxed) + std::process::id() as u64 % 1000 * 100_000)
}

/// A redis-server of the test's own, on a unix socket in a private folder, so a test can kill,
/// restart and flush it without touching anyone else's.
pub struct TestRedis {
    dir: PathBuf,
    child: Option<Child>,
    /// TCP port of a TLS-only server (`start_tls`); `None`: a unix socket.
    tls_port: Option<u16>,
}

impl TestRedis {
    pub fn start() -> Self {
        let mut redis = TestRedis { dir: private_dir("redis"), child: None, tls_port: None };
        redis.spawn();
        redis
    }

    /// A server that speaks TLS only, with a certificate for `localhost` signed by a CA made
    /// for the test (`ca_file`), on a free TCP port.
    pub fn start_tls() -> Self {
        let dir = private_dir("redis-tls");
        let openssl = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(&dir)
                .output()
                .expect("openssl is not on PATH: run scripts/test");
            assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        };
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        openssl(
            &[
                &["req", "-x509"][..],
                &ec,
                &["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=salama-test-ca"],
            ]
            .concat(),
        );
        openssl(
            &[&["req"][..], &ec, &["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"]].concat(),
        );
        std::fs::write(dir.join("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
            .unwrap();
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ]);
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut redis = TestRedis { dir, child: None, tls_port: Some(port) };
        redis.spawn();
        redis
    }

    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    fn socket(&self) -> PathBuf {
        self.dir.join("redis.sock")
    }

    pub fn url(&self) -> String {
        match self.tls_port {
            Some(port) => format!("rediss://localhost:{port}"),
            None => format!("redis+unix://{}", self.socket().display()),
        }
    }

    fn spawn(&mut self) {
        let mut command = Command::new("redis-server");
        command.args(["--port", "0", "--save", "", "--appendonly", "no", "--dir"]).arg(&self.dir);
        match self.tls_port {
            Some(port) => {
                command.args(["--bind", "127.0.0.1", "--tls-port", &port.to_string(), "--tls-auth-clients", "no"]).args(
                    ["--tls-cert-file", "server.pem", "--tls-key-file", "server.key", "--tls-ca-cert-file", "ca.pem"],
                )
            }
            None => command.arg("--unixsocket").arg(self.socket()).args(["--unixsocketperm", "700"]),
        };
        let child = command
            .current_dir(&self.dir)
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server is not on PATH: run the tests through scripts/test, which installs it");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.query(&["PING"]).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start in 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL: the server dies as in a crash, taking its data (it persists nothing).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_file(self.socket());
    }

    /// A restart with its data, as a Redis with persistence comes back (an upgrade, a reboot):
    /// SHUTDOWN SAVE writes dump.rdb, which the new server loads.
    pub fn restart_keeping_data(&mut self) {
        let _ = self.query(&["SHUTDOWN", "SAVE"]);
        if let Some(mut child) = self.child.take() {
            let _ = child.wait();
        }
        let _ = std::fs::remove_file(self.socket());
        self.spawn();
    }

    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }

    /// A command on a connection of its own (blocking; for setup and checks, not the code under test).
    pub fn query(&self, args: &[&str]) -> redis::RedisResult<redis::Value> {
        let client = match self.tls_port {
            Some(_) => redis::Client::build_with_tls(
                self.url(),
                redis::TlsCertificates { client_tls: None, root_cert: Some(std::fs::read(self.ca_file()).unwrap()) },
            )?,
            None => redis::Client::open(self.url())?,
        };
        let mut connection = client.get_connection_with_timeout(Duration::from_secs(1))?;
        let mut cmd = redis::cmd(args[0]);
        for arg in &args[1..] {
            cmd.arg(*arg);
        }
        cmd.query(&mut connection)
    }

    pub fn keys(&self) -> Vec<String> {
        match self.query(&["KEYS", "*"]).unwrap() {
            redis::Value::Array(items) => items.into_iter().map(|v| redis::from_redis_value(v).unwrap()).collect(),
            other => panic!("KEYS answered {other:?}"),
        }
    }
}

pub fn private_dir(name: &str) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "salama-{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Drop for TestRedis {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One SMS to the Kenya demo's short code (21512), as Africa's Talking posts it.
pub fn sms_form(from: &str, text: &str, id: &str) -> String {
    serde_urlencoded::to_string([
        ("from", from),
        ("to", "21512"),
        ("text", text),
        ("id", id),
        ("date", "2026-11-29 10:00:00"),
    ])
    .unwrap()
}

/// That SMS handled by the gateway at `now`, as its webhook would; `Err` is what the webhook
/// answers 503 to.
pub async fn text_at(
    gw: &Gateway,
    from: &str,
    text: &str,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<salama::engine::SmsOutcome, salama::store::StoreError> {
    let message = salama::channels::africastalking::parse_sms(sms_form(from, text, id).as_bytes()).unwrap();
    gw.sms_at(&message, false, now).await
}

/// The one open case (the test fails when there is none or more than one).
pub async fn only_case(gw: &Gateway) -> salama::escalation::case::Case {
    let ids = gw.store.cases().open_ids().await.unwrap();
    assert_eq!(ids.len(), 1, "{ids:?}");
    gw.cases.case(&ids[0]).await.unwrap().unwrap()
}
