//! The USSD routes over HTTP, on the embedded store: the provider's real payloads in, the
//! screens and status codes a provider and a survivor would see out.

use crate::support::*;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/africastalking/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[actix_web::test]
async fn a_first_dial_gets_the_language_screen_and_a_choice_gets_the_menu_in_that_language() {
    let app = app(gateway(&demo_settings(None))).await;
    let (status, body) = post_form(&app, "/v1/ussd/africastalking", &fixture("ussd_first_dial.form")).await;
    assert_eq!(status, 200);
    assert!(body.starts_with("CON Choose language / Chagua lugha\n1. English\n2. Kiswahili"), "{body}");

    let (_, body) = dial(&app, "s1", "+254711000111", KE_CODE, "2").await;
    assert!(body.starts_with("CON Tukusaidieje?"), "{body}");
    assert!(body.ends_with("0 Rudi 00 Toka"), "{body}");
}

#[actix_web::test]
async fn the_fixture_continue_request_with_nothing_stored_restarts_rather_than_guess() {
    let app = app(gateway(&demo_settings(None))).await;
    let (status, body) = post_form(&app, "/v1/ussd/africastalking", &fixture("ussd_continue.form")).await;
    assert_eq!(status, 200);
    // `1*1` with no session and no remembered language: a first call's language and danger
    // choices, or a returning caller's danger and reach choices. Neither is guessed.
    assert!(body.starts_with("CON Choose language / Chagua lugha"), "{body}");
}

#[actix_web::test]
async fn a_remembered_language_skips_the_language_screen_in_later_sessions() {
    let app = app(gateway(&demo_settings(None))).await;
    let number = fresh_number();
    dial(&app, "first", &number, KE_CODE, "").await;
    dial(&app, "first", &number, KE_CODE, "2").await;
    let (_, body) = dial(&app, "second", &number, KE_CODE, "").await;
    assert!(body.starts_with("CON Tukusaidieje?"), "{body}");
    let (_, other) = dial(&app, "third", &fresh_number(), KE_CODE, "").await;
    assert!(other.starts_with("CON Choose language"), "another number is not affected: {other}");
}

#[actix_web::test]
async fn zero_goes_back_and_double_zero_exits_with_a_neutral_screen() {
    let app = app(gateway(&demo_settings(None))).await;
    let n = fresh_number();
    let (_, menu) = dial(&app, "s", &n, KE_CODE, "1").await;
    let (_, images) = dial(&app, "s", &n, KE_CODE, "1*3").await;
    assert!(images.starts_with("CON It is not your fault."), "{images}");
    let (_, back) = dial(&app, "s", &n, KE_CODE, "1*3*0").await;
    assert_eq!(back, menu);
    let (_, exit) = dial(&app, "s", &n, KE_CODE, "1*3*0*00").await;
    assert_eq!(exit, "END Thank you. Goodbye.");
}

#[actix_web::test]
async fn long_screens_page_with_98_and_back_with_0() {
    let app = app(gateway(&demo_settings(None))).await;
    let n = fresh_number();
    // Intimate images, then "Get images removed": three pages of text, then the options.
    let (_, first) = dial_hops(&app, "p", &n, KE_CODE, "1*3*2").await;
    assert!(first.contains("\n98 More\n"), "{first}");
    assert!(first.contains("Report the image and the account to the app."), "{first}");
    let (_, second) = dial(&app, "p", &n, KE_CODE, "1*3*2*98").await;
    assert!(!second.contains("Report the image"), "{second}");
    let (_, again) = dial(&app, "p", &n, KE_CODE, "1*3*2*98*0").await;
    assert_eq!(again, first);
    // An option on another page can be chosen from any page.
    let (_, talk) = dial(&app, "p", &n, KE_CODE, "1*3*2*98*0*1").await;
    assert!(talk.starts_with("CON How may a counsellor reach you?"), "{talk}");
}

#[actix_web::test]
async fn an_invalid_choice_shows_the_same_screen_with_a_hint() {
    let app = app(gateway(&demo_settings(None))).await;
    let n = fresh_number();
    let (_, menu) = dial(&app, "h", &n, KE_CODE, "1").await;
    let (_, hinted) = dial(&app, "h", &n, KE_CODE, "1*42").await;
    assert!(hinted.ends_with("\nNot understood. 0 Back 00 Exit"), "the way out stays: {hinted}");
    assert_eq!(hinted.rsplit_once('\n').unwrap().0, menu.rsplit_once('\n').unwrap().0);
}

#[actix_web::test]
async fn benin_speaks_french_transliterated_for_basic_phones() {
    let app = app(gateway(&demo_settings(None))).await;
    let (_, language) = dial(&app, "b", &fresh_number(), BJ_CODE, "").await;
    assert!(language.contains("1. Francais\n2. Fongbè"), "names transliterated to GSM-7 (è is in it): {language}");
    let n = fresh_number();
    let (_, fon_first) = dial(&app, "f", &n, BJ_CODE, "2").await;
    assert!(fon_first.starts_with("CON Mi kwabo."), "Fon first says the rest is French: {fon_first}");
    let (_, fon_menu) = dial(&app, "f", &n, BJ_CODE, "2*98*1").await;
    assert!(fon_menu.starts_with("CON Choisissez :"), "fon falls back to French: {fon_menu}");
    let (_, tracked) = dial(&app, "f", &n, BJ_CODE, "2*98*1*4*1").await;
    assert!(tracked.contains("votre téléphone est peut-etre surveillé"), "ê is not GSM-7, é is: {tracked}");
    assert!(!tracked.contains('ç') && !tracked.contains('ê'), "{tracked}");
    let (_, danger) = dial(&app, "f", &n, BJ_CODE, "2*98*1*1").await;
    assert!(danger.contains("117 ou le 166"), "both Benin police numbers: {danger}");
}

#[actix_web::test]
async fn an_unknown_service_code_gets_a_short_end_screen_not_an_error() {
    let app = app(gateway(&demo_settings(None))).await;
    let (status, body) = post_form(&app, "/v1/ussd/africastalking", &fixture("ussd_unknown_code.form")).await;
    assert_eq!(status, 200);
    assert_eq!(body, "END This service is not available.");
}

#[actix_web::test]
async fn malformed_requests_get_400_with_the_reason() {
    let app = app(gateway(&demo_settings(None))).await;
    let (status, body) = post_form(&app, "/v1/ussd/africastalking", &fixture("ussd_bad_number.form")).await;
    assert_eq!((status, body.starts_with("phoneNumber:")), (400, true), "{body}");
    let (status, body) =
        post_form(&app, "/v1/ussd/africastalking", "serviceCode=%2A384%2A1234%23&phoneNumber=%2B254711000111&text=")
            .await;
    assert_eq!((status, body.as_str()), (400, "sessionId is missing"));
    let (status, _) =
        post_form(&app, "/v1/ussd/africastalking", "sessionId=a%20b&serviceCode=x&phoneNumber=%2B254711000111").await;
    assert_eq!(status, 400, "a session id with a space cannot become a key");
    let (status, _) = post_form(&app, "/v1/ussd/africastalking", "%%%").await;
    assert_eq!(status, 400);
}

#[actix_web::test]
async fn an_oversize_body_is_refused_with_413() {
    let app = app(gateway(&demo_settings(None))).await;
    let big = format!("sessionId=s&serviceCode=x&phoneNumber=%2B254711000111&text={}", "1*".repeat(5000));
    let (status, _) = post_form(&app, "/v1/ussd/africastalking", &big).await;
    assert_eq!(status, 413);
}

#[actix_web::test]
async fn with_a_token_configured_the_callback_must_carry_it() {
    let mut settings = demo_settings(None);
    settings.channels.set("africastalking", "token", "t0ken-for-tests");
    let app = app(gateway(&settings)).await;
    let body = fixture("ussd_first_dial.form");
    assert_eq!(post_form(&app, "/v1/ussd/africastalking", &body).await.0, 403);
    assert_eq!(post_form(&app, "/v1/ussd/africastalking?token=wrong", &body).await.0, 403);
    assert_eq!(post_form(&app, "/v1/ussd/africastalking?token=t0ken-for-tests", &body).await.0, 200);
    assert_eq!(post_form(&app, "/v1/ussd/africastalking/events", &fixture("event_success.form")).await.0, 403);
}

#[actix_web::test]
async fn end_of_session_notifications_are_counted_by_status() {
    let gateway = gateway(&demo_settings(None));
    let app = app(gateway.clone()).await;
    for name in ["event_incomplete.form", "event_success.form", "event_failed.form", "event_incomplete.form"] {
        assert_eq!(post_form(&app, "/v1/ussd/africastalking/events", &fixture(name)).await, (200, "OK".into()));
    }
    let unknown = fixture("event_success.form").replace("status=Success", "status=Rerouted");
    assert_eq!(
        post_form(&app, "/v1/ussd/africastalking/events", &unknown).await.0,
        200,
        "an unknown status is counted, not refused"
    );
    assert_eq!(post_form(&app, "/v1/ussd/africastalking/events", "sessionId=x").await.0, 400);

    let req = actix_web::test::TestRequest::get().uri("/metrics").to_request();
    let metrics = String::from_utf8(actix_web::test::call_and_read_body(&app, req).await.to_vec()).unwrap();
    for line in [
        "salama_ussd_session_ends_total{status=\"incomplete\"} 2",
        "salama_ussd_session_ends_total{status=\"success\"} 1",
        "salama_ussd_session_ends_total{status=\"failed\"} 1",
        "salama_ussd_session_ends_total{status=\"other\"} 1",
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line} missing in\n{metrics}");
    }
    assert!(!metrics.contains("254711000111"));
}

#[actix_web::test]
async fn health_and_readiness_answer() {
    let app = app(gateway(&demo_settings(None))).await;
    let req = actix_web::test::TestRequest::get().uri("/healthz").to_request();
    assert_eq!(actix_web::test::call_service(&app, req).await.status(), 200);
    let req = actix_web::test::TestRequest::get().uri("/readyz").to_request();
    let body: serde_json::Value = actix_web::test::call_and_read_body_json(&app, req).await;
    assert_eq!(body, serde_json::json!({"store": "embedded", "helplines": 2, "ready": true}));
}
