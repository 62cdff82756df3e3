//! The console in headless Chromium: a supervisor signs in, sees a critical case arrive within
//! two seconds of the survivor's choice, re-pages it, reveals her number, finds tomorrow
//! night's rota gap, retries a dead letter, and a trainer walks the Kenyan flow in the
//! simulator. Each step leaves a screenshot in target/console-screenshots/.

use std::time::{Duration, Instant};

use actix_web::{App, HttpServer};
use chrono::{Duration as Days, Utc};

use super::webdriver::{Browser, Driver};
use super::{SUPERVISOR, console_settings, dead_letter};
use crate::support::{KE_CODE, fresh_number, gateway, private_dir};

/// The test rota, with tomorrow night (20:00 to 08:00, Nairobi) given to a counsellor whose
/// phone is not valid: a gap.
fn rota_with_a_gap_tomorrow_night() -> std::path::PathBuf {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rota/test_rota.toml");
    let tomorrow = (Utc::now().with_timezone(&chrono_tz::Africa::Nairobi) + Days::days(1)).date_naive();
    let after = tomorrow + Days::days(1);
    let primary =
        r#"rotations = [{ members = ["amina"], shift_hours = 100000, handoff = "08:00", start = "2026-01-01" }]"#;
    let text = std::fs::read_to_string(fixture).unwrap().replacen(
        primary,
        &format!("{primary}\noverrides = [{{ start = \"{tomorrow}T20:00\", end = \"{after}T08:00\", counsellor = \"nightless\" }}]"),
        1,
    );
    let nightless = "[[counsellors]]\nid = \"nightless\"\nname = \"Nightless\"\nphone = \"+2540\"\nlanguages = [\"en\"]\nhelplines = [\"ke\"]\n\n";
    let path = private_dir("console-rota").join("rota.toml");
    std::fs::write(&path, format!("{nightless}{text}")).unwrap();
    path
}

async fn dial(base: &str, session: &str, number: &str, text: &str) {
    let form = [
        ("sessionId", session),
        ("serviceCode", KE_CODE),
        ("phoneNumber", number),
        ("networkCode", "63902"),
        ("text", text),
    ];
    let answer =
        reqwest::Client::new().post(format!("{base}/v1/ussd/africastalking")).form(&form).send().await.unwrap();
    assert_eq!(answer.status(), 200);
}

#[actix_web::test]
async fn a_supervisor_works_a_shift_in_headless_chromium() {
    let mut settings = console_settings();
    settings.escalation.rota_file = rota_with_a_gap_tomorrow_night();
    let gw = gateway(&settings);
    let server = {
        let gw = gw.clone();
        HttpServer::new(move || App::new().configure(salama::http::routes(gw.clone(), 8192)))
            .workers(2)
            .bind("127.0.0.1:0")
            .unwrap()
    };
    let base = format!("http://{}", server.addrs()[0]);
    actix_web::rt::spawn(server.run());
    actix_web::rt::spawn(salama::cases::worker::run(gw.cases.clone()));
    dead_letter(&gw, "dead-browser").await;

    let driver = Driver::start().await;
    let browser = Browser::open(&driver, private_dir("chromium-profile")).await;
    browser.go(&format!("{base}/console/login")).await;
    browser.type_into("input[name=user]", SUPERVISOR.0).await;
    browser.type_into("input[name=password]", SUPERVISOR.1).await;
    browser.screenshot("01-sign-in").await;
    browser.click("button[type=submit]").await;
    browser.find("#board").await;
    assert!(browser.text("#board").await.contains("No open cases"));
    browser.screenshot("02-board-empty").await;

    // The survivor's choice of "I am in danger now" reaches the open board within 2 s.
    let number = fresh_number();
    dial(&base, "browser-danger", &number, "").await;
    dial(&base, "browser-danger", &number, "1").await;
    let chosen = Instant::now();
    dial(&base, "browser-danger", &number, "1*1").await;
    let row = browser.wait_for("tr.critical", Duration::from_secs(2)).await;
    let seen_after = chosen.elapsed();
    assert!(row.is_some() && seen_after <= Duration::from_secs(2), "the critical case took {seen_after:?}");
    browser.screenshot("03-board-critical").await;
    let board = browser.source().await;
    assert!(!board.contains(&number[4..]), "her number is not on the board");

    // Re-page, then reveal (both written to the case's trail).
    browser.click("tr.critical a").await;
    browser.click("form[action$='/repage'] button").await;
    assert_eq!(browser.text_with("p.flash", "Paged").await, "Paged again.");
    assert!(browser.text("#timeline").await.contains("re-paged (by sam, console)"));
    assert_eq!(browser.text("#number").await, "••••••");
    browser.screenshot("04-case-repaged").await;
    browser.click("form[action$='/reveal'] button").await;
    assert!(browser.text_with("#number", &number).await.starts_with(&number), "revealed");
    assert!(browser.text("#timeline").await.contains("her number shown (by sam, console)"));
    browser.screenshot("05-case-revealed").await;

    // The rota shows tomorrow night as a gap.
    browser.go(&format!("{base}/console/rota")).await;
    let tomorrow = Utc::now().with_timezone(&chrono_tz::Africa::Nairobi) + Days::days(1);
    let expected = format!("{} 20:00", tomorrow.format("%a %d %b"));
    let mut gap_starts = Vec::new();
    for cell in browser.all("section[data-schedule='primary'] tr.gap td:first-child").await {
        gap_starts.push(browser.element_text(&cell).await);
    }
    assert!(gap_starts.contains(&expected), "a gap from {expected}: {gap_starts:?}");
    assert!(browser.text("#gaps").await.contains("primary: nobody on call"));
    browser.screenshot("06-rota-gap-tomorrow-night").await;

    // A dead letter is retried.
    browser.go(&format!("{base}/console/outbox")).await;
    assert!(browser.text("#dead").await.contains("HTTP 400"));
    browser.screenshot("07-outbox-dead-letter").await;
    browser.click("tr[data-id='dead-browser'] button").await;
    assert_eq!(browser.text_with("p.flash", "Queued").await, "Queued again.");
    assert_eq!(gw.store.outbox().state("dead-browser").await.unwrap().as_deref(), Some("queued"));
    browser.screenshot("08-outbox-retried").await;

    // The simulator walks the Kenyan flow to the danger screen; no case opens for it.
    let open_before = gw.store.cases().open_ids().await.unwrap().len();
    browser.go(&format!("{base}/console/simulator")).await;
    browser.click(&format!("option[value='ussd|{KE_CODE}']")).await;
    browser.click("button[value=dial]").await;
    browser.find("#input").await;
    let mut screen = browser.text("#screen").await;
    assert!(screen.contains("English"), "the language screen: {screen}");
    for input in ["1", "1"] {
        browser.type_into("#input", input).await;
        browser.click("button[value=send]").await;
        let started = Instant::now();
        while browser.text("#screen").await == screen && started.elapsed() < Duration::from_secs(5) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        screen = browser.text("#screen").await;
    }
    assert!(
        screen.contains("In danger now? Call 999 or 112"),
        "the danger screen with the emergency numbers: {screen}"
    );
    assert_eq!(gw.store.cases().open_ids().await.unwrap().len(), open_before, "no case for the test number");
    browser.screenshot("09-simulator-danger-screen").await;

    // Kiswahili, chosen by the user.
    browser.go(&format!("{base}/console/reports")).await;
    browser.click("select[name=lang] option[value=sw]").await;
    browser.click("form[action='/console/lang'] button").await;
    assert!(browser.text_with("nav", "Kesi").await.contains("Kesi"));
    assert!(browser.text("h1").await.contains("Ripoti"));
    browser.screenshot("10-reports-in-kiswahili").await;
    browser.close().await;
}
