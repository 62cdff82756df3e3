//! The `salama` binary as an operator runs it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn salama(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_salama"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_validates_the_demo_and_names_the_partial_locale() {
    let out = salama(&["check"], &[], "");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.contains("helpline ke: locales en, sw"), "{stdout}");
    assert!(stdout.contains("locale fon needs review"), "{stdout}");
    assert!(stdout.contains("helpline bj [fr]: 38 screens, longest page"), "{stdout}");
    assert!(
        stdout.contains("warning: helplines.bj.contacts.support = \"114\" is unconfirmed"),
        "every unconfirmed number is named: {stdout}"
    );
    assert!(!stdout.contains("contacts.police = \"999\""), "a confirmed number is not: {stdout}");
}

#[test]
fn check_screens_prints_every_screen_with_its_path_pages_and_length() {
    let out = salama(&["check", "--screens"], &[], "");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for locale in ["en", "sw"] {
        assert!(stdout.contains(&format!("== helpline ke [{locale}] (limit 160 characters a page) ==")), "{stdout}");
    }
    assert!(stdout.contains("-- images-remove [en]  path: 3*2  pages: 4  longest: "), "{stdout}");
    assert!(stdout.contains("-- talk-done [sw]  path: 2*1*<words>*1  pages: 1"), "{stdout}");
    assert!(stdout.contains("   | Danger : 117 ou 166"), "the pages themselves are shown: {stdout}");
}

#[test]
fn simulate_dials_the_demo_in_the_terminal() {
    let out = salama(&["simulate", "--code", "*384*5678#"], &[], "1\n1\n00\n");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.contains("Choisissez la langue"), "{stdout}");
    assert!(stdout.contains("En danger ? Appelez le 117 ou le 166"), "{stdout}");
    assert!(stdout.contains("Merci. Au revoir."), "{stdout}");
}

#[test]
fn serve_on_redis_refuses_to_start_without_a_pseudonym_secret() {
    let out = salama(&["serve", "--redis", "redis://127.0.0.1:1"], &[("SALAMA__PRIVACY__PSEUDONYM_SECRET", "")], "");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("SALAMA__PRIVACY__PSEUDONYM_SECRET"), "{}", text(&out.stderr));
}

#[test]
fn a_bad_setting_is_refused_with_what_to_fix() {
    let out =
        salama(&["serve", "--redis", "http://example"], &[("SALAMA__PRIVACY__PSEUDONYM_SECRET", &"x".repeat(40))], "");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("is not a Redis URL; use redis://"), "{}", text(&out.stderr));

    let out = salama(&["check", "--config", "no-such.toml"], &[], "");
    assert!(text(&out.stderr).contains("no config file at no-such.toml"), "{}", text(&out.stderr));

    let out = salama(&["check"], &[("SALAMA__HELPLINES__KE__SCREEN_LIMIT", "500")], "");
    assert!(
        text(&out.stderr).contains("helplines.ke.screen_limit must be between 40 and 182"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_config_file_holding_a_secret_is_refused() {
    let dir = std::env::temp_dir().join(format!("salama-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let demo = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/salama.toml")).unwrap();
    let file = dir.join("salama.toml");
    std::fs::write(
        &file,
        demo.replace("[privacy]", "[privacy]\npseudonym_secret = \"committed-by-mistake-0123456789abcdef\""),
    )
    .unwrap();
    let out = salama(&["check", "--config", file.to_str().unwrap()], &[], "");
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains(
            "privacy.pseudonym_secret is a secret: remove it from the file and set SALAMA__PRIVACY__PSEUDONYM_SECRET"
        ),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn outbox_commands_need_redis_and_list_the_dead_letters() {
    let out = salama(&["outbox", "list"], &[], "");
    let said = text(&out.stderr);
    assert!(!out.status.success());
    for hint in ["the outbox is the embedded one", "cannot see it", "/console/outbox", "/v1/admin/outbox", "--redis"] {
        assert!(said.contains(hint), "{hint} missing in {said}");
    }

    let redis = crate::support::TestRedis::start();
    let env = [
        ("SALAMA__PRIVACY__PSEUDONYM_SECRET", crate::support::SECRET),
        ("SALAMA__PRIVACY__ENCRYPTION_KEYS", crate::support::KEYS),
    ];
    let out = salama(&["outbox", "list", "--redis", &redis.url()], &env, "");
    assert_eq!(text(&out.stdout), "no dead letters\n", "{}", text(&out.stderr));
    redis
        .query(&[
            "HSET",
            "salama:{outbox}:msg:m9",
            "state",
            "dead",
            "helpline",
            "ke",
            "provider",
            "twilio",
            "tries",
            "8",
            "error",
            "HTTP 500",
            "dead_at",
            "0",
            "to",
            "x",
            "body",
            "y",
        ])
        .unwrap();
    redis.query(&["ZADD", "salama:{outbox}:dead", "0", "m9"]).unwrap();
    let out = salama(&["outbox", "list", "--redis", &redis.url()], &env, "");
    assert!(
        text(&out.stdout).starts_with("m9\tke\ttwilio\t8 tries\t1970-01-01T00:00:00+00:00\tHTTP 500"),
        "{}",
        text(&out.stdout)
    );
    let out = salama(&["outbox", "retry", "--redis", &redis.url()], &env, "");
    assert!(text(&out.stderr).contains("name a message id"), "{}", text(&out.stderr));
    let out = salama(&["outbox", "retry", "m9", "--redis", &redis.url()], &env, "");
    assert_eq!(text(&out.stdout), "1 message(s) queued again\n");
}

#[test]
fn rota_now_and_gaps_read_the_demo_rota() {
    let out = salama(&["rota", "now", "--helpline", "ke"], &[], "");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.contains("ke-primary [ke] at ") && stdout.contains("EAT"), "{stdout}");
    assert!(!stdout.contains("bj-primary"), "{stdout}");
    let out = salama(&["rota", "gaps", "--days", "3"], &[], "");
    assert_eq!(text(&out.stdout), "no gaps in the next 3 days\n", "{}", text(&out.stderr));
}

#[test]
fn triage_reads_stdin_and_prints_json_lines() {
    let out = salama(
        &["triage"],
        &[],
        "he is outside with a knife\nthis heat is killing me\nananidai pesa la sivyo atatuma video zangu\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines[0]["urgency"], "critical");
    let reasons = lines[0]["reasons"].as_array().unwrap();
    assert!(reasons.contains(&"weapon: knife".into()) && reasons.contains(&"arrival: outside".into()), "{reasons:?}");
    assert_eq!(lines[1], serde_json::json!({"urgency": "normal", "reasons": []}));
    assert_eq!(lines[2]["urgency"], "high");
    let out = salama(&["triage", "--locale", "en"], &[], "il veut me tuer\n");
    assert_eq!(text(&out.stdout), "{\"urgency\": \"normal\", \"reasons\": []}\n", "English words only");
    let out = salama(&["triage", "--locale", "xx"], &[], "");
    assert!(!out.status.success() && text(&out.stderr).contains("locale \"xx\""), "{}", text(&out.stderr));
    let set = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/triage/independent/sw.tsv");
    let out = salama(&["triage", "--report", set], &[], "");
    let report = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        report.contains("locale given") && report.contains("locale detected") && report.contains("critical recall"),
        "{report}"
    );
}

#[test]
fn with_redis_serve_refuses_to_start_without_encryption_keys() {
    let out = salama(
        &["serve", "--redis", "redis://127.0.0.1:1"],
        &[("SALAMA__PRIVACY__PSEUDONYM_SECRET", crate::support::SECRET), ("SALAMA__PRIVACY__ENCRYPTION_KEYS", "")],
        "",
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("set SALAMA__PRIVACY__ENCRYPTION_KEYS"), "{}", text(&out.stderr));
}

#[test]
fn with_redis_serve_and_check_refuse_an_enabled_channel_without_its_callback_secret() {
    let secrets = [
        ("SALAMA__PRIVACY__PSEUDONYM_SECRET", crate::support::SECRET),
        ("SALAMA__PRIVACY__ENCRYPTION_KEYS", crate::support::KEYS),
        ("SALAMA__REDIS__URL", "redis://127.0.0.1:1"),
        ("SALAMA__CHANNELS__AFRICASTALKING__TOKEN", "at-token"),
    ];
    for command in [&["serve"][..], &["check"][..]] {
        let out = salama(command, &secrets, "");
        assert!(!out.status.success(), "{command:?} started with Twilio and Infobip unauthenticated");
        let error = text(&out.stderr);
        assert!(error.contains("channels twilio, infobip are enabled with no callback secret"), "{error}");
        assert!(error.contains("SALAMA__CHANNELS__INFOBIP__TOKEN"), "{error}");
    }
    // Narrowed to the channel that has its secret: check passes.
    let mut narrowed = secrets.to_vec();
    narrowed.push(("SALAMA__CHANNELS__ENABLED", "africastalking"));
    let out = salama(&["check"], &narrowed, "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Or, on a closed test network, said so explicitly.
    let mut test_network = secrets.to_vec();
    test_network.push(("SALAMA__CHANNELS__ALLOW_UNAUTHENTICATED_TEST_NETWORK", "true"));
    let out = salama(&["check"], &test_network, "");
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn report_and_keys_rotate_run_against_the_shared_redis() {
    let redis = crate::support::TestRedis::start();
    let env = [
        ("SALAMA__PRIVACY__PSEUDONYM_SECRET", crate::support::SECRET),
        ("SALAMA__PRIVACY__ENCRYPTION_KEYS", crate::support::KEYS),
    ];
    let out = salama(&["report", "--redis", &redis.url()], &env, "");
    assert_eq!(text(&out.stdout), "helpline\turgency\tcategory\tstate\tcases\n", "{}", text(&out.stderr));
    let out = salama(&["keys", "rotate", "--redis", &redis.url()], &env, "");
    assert!(text(&out.stdout).starts_with("0 record(s) sealed again"), "{}", text(&out.stderr));
    let out = salama(&["report"], &[], "");
    assert!(text(&out.stderr).contains("needs the gateways' Redis"), "{}", text(&out.stderr));
}

/// A copy of the demo (config, rota, flows, locales) in a folder of its own, with `edit` applied
/// to one file; returns the folder.
fn demo_with(name: &str, file: &str, edit: impl Fn(&str) -> String) -> std::path::PathBuf {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().map(Result::unwrap) {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target)
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("salama-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for part in ["flows", "locales"] {
        copy(&root.join(part), &dir.join(part));
    }
    for part in ["salama.toml", "rota.toml"] {
        std::fs::copy(root.join(part), dir.join(part)).unwrap();
    }
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    std::fs::write(dir.join(file), edit(&text)).unwrap();
    dir
}

/// `salama check` on an edited copy of the demo: (success, stderr).
fn check_edited(name: &str, file: &str, edit: impl Fn(&str) -> String) -> (bool, String) {
    let dir = demo_with(name, file, edit);
    let out = salama(&["check", "--config", dir.join("salama.toml").to_str().unwrap()], &[], "");
    std::fs::remove_dir_all(&dir).unwrap();
    (out.status.success(), text(&out.stderr).replace(&format!("{}/", dir.display()), ""))
}

#[test]
fn check_refuses_a_broken_triage_lexicon_with_its_file_and_line() {
    let (ok, stderr) = check_edited("triage", "locales/en/triage.toml", |t| {
        t.replacen("squeeze_all = true", "squeeze_all = \"yes\"", 1)
    });
    assert!(!ok);
    assert!(stderr.contains("locales/en/triage.toml") && stderr.contains("line 15"), "{stderr}");
}

#[test]
fn check_refuses_a_counsellor_number_that_cannot_be_paged_and_a_bad_time_zone() {
    let (ok, stderr) = check_edited("phone", "rota.toml", |t| t.replace("+254700000002", "+2547000"));
    assert!(!ok);
    assert!(stderr.contains("rota.toml:15: counsellor \"achieng\" has no valid phone number"), "{stderr}");

    let (ok, stderr) = check_edited("rota-tz", "rota.toml", |t| t.replacen("Africa/Porto-Novo", "Mars/Base", 1));
    assert!(!ok);
    assert!(stderr.contains("rota.toml:73: schedule \"bj-primary\": time_zone \"Mars/Base\""), "{stderr}");

    let (ok, stderr) = check_edited("helpline-tz", "salama.toml", |t| t.replacen("Africa/Nairobi", "Mars/Base", 1));
    assert!(!ok);
    assert!(stderr.contains("helplines.ke.time_zone: \"Mars/Base\" is not an IANA zone"), "{stderr}");
}

#[test]
fn check_with_redis_refuses_missing_or_malformed_secrets_without_echoing_them() {
    let redis =
        [("SALAMA__REDIS__URL", "redis://127.0.0.1:1"), ("SALAMA__PRIVACY__PSEUDONYM_SECRET", crate::support::SECRET)];
    let out = salama(&["check"], &[redis[0], redis[1], ("SALAMA__PRIVACY__ENCRYPTION_KEYS", "")], "");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("set SALAMA__PRIVACY__ENCRYPTION_KEYS"), "{}", text(&out.stderr));

    for value in ["k1:Secretvalue0123", "Secretvalue0123", "Secret value:00", "k1:00,Secretvalue0123"] {
        let out = salama(&["check"], &[redis[0], redis[1], ("SALAMA__PRIVACY__ENCRYPTION_KEYS", value)], "");
        let stderr = text(&out.stderr);
        assert!(!out.status.success());
        assert!(!stderr.contains("Secr") && !stderr.contains("lue0"), "echoes the value: {stderr}");
        assert_eq!(stderr.matches("encryption keys are").count(), 1, "said once: {stderr}");
    }
    let out = salama(&["serve"], &[redis[0], redis[1], ("SALAMA__PRIVACY__ENCRYPTION_KEYS", "Secretvalue0123")], "");
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("Secr") && stderr.matches("key 1 has no `:`").count() == 1, "{stderr}");
}

#[test]
fn unknown_helpline_locale_and_service_code_names_are_errors() {
    let out = salama(&["rota", "now", "--helpline", "xx"], &[], "");
    assert!(!out.status.success());
    assert_eq!(text(&out.stderr), "salama: unknown helpline \"xx\": the config knows bj, ke\n");
    let out = salama(&["triage", "--locale", "zz"], &[], "hello\n");
    assert!(!out.status.success() && out.stdout.is_empty());
    assert!(text(&out.stderr).contains("unknown locale \"zz\": the config knows en, fr, sw"), "{}", text(&out.stderr));
    let out = salama(&["simulate", "--code", "*1#"], &[], "1\n");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("unknown service code \"*1#\""), "{}", text(&out.stderr));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `salama serve` in the background, its log captured.
fn serve(args: &[&str], env: &[(&str, &str)]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_salama"))
        .arg("serve")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs `salama probe` until it succeeds (true) or `secs` pass (false).
fn probe_until(args: &[&str], env: &[(&str, &str)], secs: u64) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < deadline {
        if salama(&[&["probe"], args].concat(), env, "").status.success() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

#[test]
fn probe_exits_0_when_the_gateway_is_ready_and_1_otherwise() {
    let port = free_port();
    let bind = format!("0.0.0.0:{port}");
    let url = format!("http://127.0.0.1:{port}/readyz");
    let out = salama(&["probe", "--url", &url], &[], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with(&format!("salama: no answer from {url}")), "{}", text(&out.stderr));

    let mut gateway = serve(&[], &[("SALAMA__BIND", &bind)]);
    // The default URL is /readyz on the config's bind address, the wildcard read as this host.
    assert!(probe_until(&[], &[("SALAMA__BIND", &bind)], 20), "the demo never became ready");
    let out = salama(&["probe", "--url", &url], &[], "");
    assert!(text(&out.stdout).contains("\"ready\":true"), "{}", text(&out.stdout));
    gateway.kill().unwrap();
    gateway.wait().unwrap();
}

#[test]
fn with_redis_unreachable_serve_warns_once_in_plain_text_and_starts_its_workers_when_it_answers() {
    let mut redis = crate::support::TestRedis::start();
    redis.kill();
    let port = free_port();
    let env = [
        ("SALAMA__PRIVACY__PSEUDONYM_SECRET", crate::support::SECRET),
        ("SALAMA__PRIVACY__ENCRYPTION_KEYS", crate::support::KEYS),
        ("SALAMA_LOG", "info"),
        ("SALAMA__CHANNELS__ALLOW_UNAUTHENTICATED_TEST_NETWORK", "true"),
    ];
    let url = redis.url();
    let mut gateway = serve(&["--redis", &url, "--bind", &format!("127.0.0.1:{port}")], &env);
    // The log is read as it comes: the workers start at the end of their current pause (up to
    // 10 s), which can be after /readyz already answers.
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let reader = {
        let log = log.clone();
        let stdout = gateway.stdout.take().unwrap();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                log.lock().unwrap().push_str(&(line + "\n"));
            }
        })
    };
    let readyz = format!("http://127.0.0.1:{port}/readyz");
    assert!(probe_until(&["--url", &format!("http://127.0.0.1:{port}/healthz")], &[], 20), "the gateway did not start");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let out = salama(&["probe", "--url", &readyz], &[], "");
    assert!(text(&out.stderr).contains("503 Service Unavailable"), "{}", text(&out.stderr));
    redis.restart();
    assert!(probe_until(&["--url", &readyz], &[], 15), "not ready once Redis answers");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !log.lock().unwrap().contains("the workers start") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    gateway.kill().unwrap();
    gateway.wait().unwrap();
    reader.join().unwrap();
    let log = log.lock().unwrap().clone();
    assert!(!log.contains('\u{1b}'), "colour codes in a redirected log: {log}");
    assert_eq!(log.matches("the store does not answer").count(), 1, "{log}");
    assert!(!log.contains("ERROR"), "{log}");
    assert!(log.contains("the store answers; the workers start"), "{log}");
}
