//! The load generator of `benches/ussd_load.sh`: Africa's Talking USSD sessions over keep-alive
//! HTTP/1.1, each connection walking one session at a time (a hop is sent only once the previous
//! hop of the same session is answered, as a phone does), a new number and session id per session.
//! Prints one line: `hops=… secs=… hops_per_s=… p50_ms=… p99_ms=… max_ms=… errors=…`.
//!
//! wrk's Lua cannot tie a request to its connection, so with wrk the hops of a session would race
//! each other on different connections; this is why the benchmark has its own generator.
//!
//! `ussd_load URL [--duration SECS] [--connections N] [--threads N] [--sessions N] [--path PATH]
//! [--prefix ID] [--first-number N] [--check]`. Only `http://127.0.0.1:` URLs are accepted.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The inputs of each path, hop by hop (`text` as Africa's Talking sends it), and how each
/// answer must begin. Check them against `flows/ke.toml` (or `cargo run -- simulate`) when the
/// menus change.
const PATHS: &[(&str, &[(&str, &str)])] = &[
    // language (1 English), main menu (4 phone or accounts), the topic (1 tracked), an advice screen.
    ("advice", &[("", "CON Choose language"), ("1", "CON "), ("1*4", "CON "), ("1*4*1", "CON ")]),
    // To the counsellor's free-text screen (2 talk, 1 a call is safe), then her note.
    (
        "note",
        &[
            ("", "CON Choose language"),
            ("1", "CON "),
            ("1*2", "CON "),
            ("1*2*1", "CON "),
            ("1*2*1*he reads my messages and follows me", "CON "),
        ],
    ),
];

const SERVICE_CODE: &str = "*384*1234#";
const TIMEOUT: Duration = Duration::from_secs(5);

struct Options {
    url: String,
    duration: Duration,
    connections: usize,
    threads: usize,
    sessions: Option<u64>,
    hops: &'static [(&'static str, &'static str)],
    prefix: String,
    check: bool,
}

#[derive(Default)]
struct Tally {
    micros: Vec<u32>,
    errors: u64,
}

fn main() {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("ussd_load: {e}");
            std::process::exit(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(options.threads).enable_all().build();
    let tally = runtime.expect("a tokio runtime").block_on(run(Arc::new(options)));
    report(tally.0, tally.1);
}

fn parse_args() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let url = args.next().ok_or("usage: ussd_load URL [options]")?;
    if !url.starts_with("http://127.0.0.1:") {
        return Err("only http://127.0.0.1:PORT/... is accepted".into());
    }
    let mut o = Options {
        url,
        duration: Duration::from_secs(15),
        connections: 64,
        threads: 2,
        sessions: None,
        hops: PATHS[0].1,
        prefix: "b".into(),
        check: false,
    };
    let mut first = 0u64;
    while let Some(flag) = args.next() {
        if flag == "--check" {
            o.check = true;
            continue;
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number = || value.parse::<u64>().map_err(|_| format!("{flag}: not a number"));
        match flag.as_str() {
            "--duration" => o.duration = Duration::from_secs(number()?.clamp(1, 600)),
            "--connections" => o.connections = number()?.clamp(1, 1024) as usize,
            "--threads" => o.threads = number()?.clamp(1, 64) as usize,
            "--sessions" => o.sessions = Some(number()?),
            "--first-number" => first = number()?,
            "--prefix" => o.prefix = value,
            "--path" => o.hops = PATHS.iter().find(|(name, _)| *name == value).ok_or("unknown --path")?.1,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    NEXT_SESSION.store(first, Ordering::Relaxed);
    Ok(o)
}

static NEXT_SESSION: AtomicU64 = AtomicU64::new(0);

async fn run(options: Arc<Options>) -> (Tally, Duration) {
    let started = Instant::now();
    let tasks: Vec<_> = (0..options.connections).map(|_| tokio::spawn(connection(options.clone()))).collect();
    let mut all = Tally::default();
    for task in tasks {
        let tally = task.await.expect("a connection task");
        all.micros.extend(tally.micros);
        all.errors += tally.errors;
    }
    (all, started.elapsed())
}

/// One keep-alive connection walking sessions one after another until the time or the sessions
/// run out.
async fn connection(options: Arc<Options>) -> Tally {
    let deadline = Instant::now() + options.duration;
    let (host, target) = split_url(&options.url);
    let mut tally = Tally::default();
    let mut stream: Option<TcpStream> = None;
    let mut done = 0u64;
    'sessions: while Instant::now() < deadline && options.sessions.is_none_or(|n| done < n) {
        let n = NEXT_SESSION.fetch_add(1, Ordering::Relaxed);
        let (session, phone) = (format!("{}{n}", options.prefix), format!("+25471{:07}", n % 10_000_000));
        for (text, expected) in options.hops {
            if options.sessions.is_none() && Instant::now() >= deadline {
                break 'sessions;
            }
            let body = format!(
                "sessionId={session}&serviceCode={}&phoneNumber={}&networkCode=63902&text={}",
                encode(SERVICE_CODE),
                encode(&phone),
                encode(text)
            );
            let request = format!(
                "POST {target} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            let sent = Instant::now();
            let answer = tokio::time::timeout(TIMEOUT, exchange(&mut stream, host, request.as_bytes())).await;
            let ok = match &answer {
                Ok(Ok((200, text))) => text.starts_with(expected),
                _ => false,
            };
            tally.micros.push(sent.elapsed().as_micros().min(u32::MAX as u128) as u32);
            if !ok {
                tally.errors += 1;
                stream = None;
                if options.check {
                    eprintln!("ussd_load: hop text={text:?} wanted {expected:?}, got {answer:?}");
                    std::process::exit(1);
                }
                continue 'sessions;
            }
        }
        done += 1;
    }
    tally
}

/// Sends one request on the connection (opening it if needed) and reads one response.
async fn exchange(stream: &mut Option<TcpStream>, host: &str, request: &[u8]) -> std::io::Result<(u16, String)> {
    if stream.is_none() {
        let s = TcpStream::connect(host).await?;
        s.set_nodelay(true)?;
        *stream = Some(s);
    }
    let s = stream.as_mut().expect("connected");
    s.write_all(request).await?;
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let (head_end, length) = loop {
        let read = s.read(&mut chunk).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break (end + 4, content_length(&buffer[..end])?);
        }
    };
    while buffer.len() < head_end + length {
        let read = s.read(&mut chunk).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let head = String::from_utf8_lossy(&buffer[..head_end]);
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((status, String::from_utf8_lossy(&buffer[head_end..head_end + length]).into_owned()))
}

fn content_length(head: &[u8]) -> std::io::Result<usize> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    head.lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| std::io::Error::other("no content-length"))
}

/// `("127.0.0.1:8080", "/v1/ussd/africastalking?token=…")`.
fn split_url(url: &str) -> (&str, &str) {
    let rest = &url["http://".len()..];
    let slash = rest.find('/').unwrap_or(rest.len());
    (&rest[..slash], if slash == rest.len() { "/" } else { &rest[slash..] })
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn report(mut tally: Tally, elapsed: Duration) {
    tally.micros.sort_unstable();
    let quantile = |q: f64| {
        let i = ((tally.micros.len() as f64 * q).ceil() as usize).saturating_sub(1);
        tally.micros.get(i).map_or(0.0, |&us| us as f64 / 1000.0)
    };
    let hops = tally.micros.len() as u64 - tally.errors;
    let secs = elapsed.as_secs_f64();
    println!(
        "hops={hops} secs={secs:.2} hops_per_s={:.0} p50_ms={:.2} p99_ms={:.2} max_ms={:.2} errors={}",
        hops as f64 / secs,
        quantile(0.50),
        quantile(0.99),
        quantile(1.0),
        tally.errors
    );
}
