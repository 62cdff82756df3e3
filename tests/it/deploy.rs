//! The container files, run here as plain commands (no Docker engine is needed): the
//! Dockerfile's entrypoint serves, its HEALTHCHECK and compose.yaml's health check pass against
//! it, and the files keep what operations rely on (pinned images, Redis durability, no secret
//! in the example env file, no tests in the image).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn read(file: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap()
}

/// The JSON array (exec form) that follows `prefix` on the first line starting with it.
fn exec_form(text: &str, prefix: &str) -> Vec<String> {
    let line = text.lines().map(str::trim).find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no {prefix}"));
    let array = &line[line.find('[').unwrap_or_else(|| panic!("{line}: not an exec form"))..];
    let array = array.split('#').next().unwrap().trim();
    serde_json::from_str(array).unwrap_or_else(|e| panic!("{line}: {e}"))
}

/// Runs an image command (`salama ...`) with the built binary, in the folder the image works in.
fn run(command: &[String], env: &[(&str, &str)]) -> Command {
    assert_eq!(command[0], "salama", "{command:?}");
    let mut c = Command::new(env!("CARGO_BIN_EXE_salama"));
    c.args(&command[1..]).current_dir(env!("CARGO_MANIFEST_DIR")).envs(env.iter().copied());
    c
}

fn passes_within(command: &[String], env: &[(&str, &str)], secs: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if run(command, env).stdout(Stdio::null()).stderr(Stdio::null()).status().unwrap().success() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn the_images_entrypoint_serves_and_both_health_checks_pass_against_it() {
    let dockerfile = read("Dockerfile");
    let compose = read("compose.yaml");
    let entrypoint = [exec_form(&dockerfile, "ENTRYPOINT"), exec_form(&dockerfile, "CMD")].concat();
    let healthcheck = exec_form(&dockerfile, "HEALTHCHECK");
    assert_eq!(healthcheck, ["salama", "probe"]);
    let compose_check = exec_form(&compose, "test: [\"CMD\", \"salama\"");
    assert_eq!(compose_check, ["CMD", "salama", "probe"]);

    // The image listens on the wildcard address its ENV names; here on a free port.
    let bind = dockerfile.lines().find_map(|l| l.strip_prefix("ENV SALAMA__BIND=")).expect("ENV SALAMA__BIND");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let bind = bind.replace(":8080", &format!(":{port}"));
    let env = [("SALAMA__BIND", bind.as_str())];
    assert!(!passes_within(&healthcheck, &env, 1), "healthy before it runs");
    let mut gateway = run(&entrypoint, &env).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let healthy = passes_within(&healthcheck, &env, 30);
    let compose_healthy = passes_within(&compose_check[1..], &env, 5);
    gateway.kill().unwrap();
    gateway.wait().unwrap();
    assert!(healthy, "the Dockerfile's HEALTHCHECK never passed");
    assert!(compose_healthy, "compose.yaml's health check never passed");
}

#[test]
fn base_images_are_pinned_by_digest_and_tests_stay_out_of_the_image() {
    let pinned = |line: &str| {
        line.split("@sha256:").nth(1).is_some_and(|d| d.len() >= 64 && d[..64].bytes().all(|b| b.is_ascii_hexdigit()))
    };
    let dockerfile = read("Dockerfile");
    let froms: Vec<&str> = dockerfile.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert_eq!(froms.len(), 2);
    assert!(froms.iter().all(|l| pinned(l)), "{froms:?}");
    let compose = read("compose.yaml");
    assert!(compose.lines().filter(|l| l.trim().starts_with("image: redis")).all(pinned));
    assert!(!dockerfile.contains("COPY tests") && !dockerfile.contains("COPY . "), "{dockerfile}");
    assert!(read(".dockerignore").lines().any(|l| l == "tests/"));
}

#[test]
fn compose_keeps_redis_durable_and_takes_secrets_from_an_env_file_whose_example_holds_none() {
    let compose = read("compose.yaml");
    for setting in ["- --appendonly\n      - \"yes\"", "- --maxmemory-policy\n      - noeviction", "env_file: .env"] {
        assert!(compose.contains(setting), "compose.yaml lacks {setting}");
    }
    let example = read(".env.example");
    let settings: Vec<(&str, &str)> =
        example.lines().filter(|l| !l.starts_with('#') && l.contains('=')).filter_map(|l| l.split_once('=')).collect();
    for needed in ["SALAMA__PRIVACY__PSEUDONYM_SECRET", "SALAMA__PRIVACY__ENCRYPTION_KEYS", "REDIS_PASSWORD"] {
        assert!(settings.iter().any(|(k, _)| *k == needed), ".env.example lacks {needed}");
    }
    assert!(settings.iter().all(|(_, v)| v.is_empty()), ".env.example holds a value: {settings:?}");
}
