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

mod support;

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
}

#[test]
fn simulate_dials_the_demo_in_the_terminal() {
    let out = salama(&["simulate", "--code", "*384*5678#"], &[], "1\n1\n00\n");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.contains("Choisissez la langue"), "{stdout}");
    assert!(stdout.contains("En danger maintenant ? Appelez le 117/166"), "{stdout}");
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
    assert!(text(&out.stderr).contains("the outbox commands need the gateways' Redis"), "{}", text(&out.stderr));

    let redis = support::TestRedis::start();
    let env =
        [("SALAMA__PRIVACY__PSEUDONYM_SECRET", support::SECRET), ("SALAMA__PRIVACY__ENCRYPTION_KEYS", support::KEYS)];
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
            "attempts",
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
        text(&out.stdout).starts_with("m9\tke\ttwilio\t8 attempts\t1970-01-01T00:00:00+00:00\tHTTP 500"),
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
    assert!(
        !out.status.success() && text(&out.stderr).contains("no triage lexicon for locale \"xx\""),
        "{}",
        text(&out.stderr)
    );
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
        &[("SALAMA__PRIVACY__PSEUDONYM_SECRET", support::SECRET), ("SALAMA__PRIVACY__ENCRYPTION_KEYS", "")],
        "",
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("set SALAMA__PRIVACY__ENCRYPTION_KEYS"), "{}", text(&out.stderr));
}

#[test]
fn report_and_keys_rotate_run_against_the_shared_redis() {
    let redis = support::TestRedis::start();
    let env =
        [("SALAMA__PRIVACY__PSEUDONYM_SECRET", support::SECRET), ("SALAMA__PRIVACY__ENCRYPTION_KEYS", support::KEYS)];
    let out = salama(&["report", "--redis", &redis.url()], &env, "");
    assert_eq!(text(&out.stdout), "helpline\turgency\tcategory\tstate\tcases\n", "{}", text(&out.stderr));
    let out = salama(&["keys", "rotate", "--redis", &redis.url()], &env, "");
    assert!(text(&out.stdout).starts_with("0 record(s) sealed again"), "{}", text(&out.stderr));
    let out = salama(&["report"], &[], "");
    assert!(text(&out.stderr).contains("needs the gateways' Redis"), "{}", text(&out.stderr));
}
