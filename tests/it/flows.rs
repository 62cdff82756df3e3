//! The shipped flows and the flow checks: every screen of every branch in every language is
//! reachable over HTTP and fits; random input never breaks the engine; bad flows stop startup
//! with the file and the node named.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::support::*;
use proptest::prelude::*;
use salama::flow::compile::{Presentation, compile};
use salama::flow::replay::{path_prefix, rebuild};
use salama::flow::session::path_hash;
use salama::flow::{Effect, Session, begin, step};
use salama::helpline::Helplines;
use salama::i18n::{Catalog, gsm};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shipped() -> &'static Helplines {
    static HELPLINES: OnceLock<Helplines> = OnceLock::new();
    HELPLINES.get_or_init(|| Helplines::load(&demo_settings(None)).expect("the shipped flows compile").0)
}

#[test]
fn every_page_of_the_shipped_flows_fits_and_is_gsm7_in_every_locale() {
    for helpline in shipped().iter() {
        for (node, locale, page) in helpline.flow.all_pages() {
            for text in [&page.shown, &page.hinted] {
                assert!(gsm::septets(text).is_some(), "{} {node} {locale}: not GSM-7: {text}", helpline.id);
                assert!(gsm::screen_cost(text) <= 160, "{} {node} {locale}: too long: {text}", helpline.id);
            }
        }
    }
}

/// Walks a helpline over HTTP, breadth first, from the language screen in one locale: every
/// option, every next page, and an answer on every input screen.
async fn walk<S, B>(app: &S, code: &str, language: usize) -> BTreeSet<String>
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([vec![language.to_string()]]);
    let mut requests = 0;
    while let Some(path) = queue.pop_front() {
        requests += 1;
        assert!(requests < 5000, "the walk does not end");
        // A new number each time: no remembered language, so every path starts on the language
        // screen; hop by hop, as providers send it (a whole path at once would restart).
        let (status, body) = dial_hops(app, &format!("walk{requests}"), &fresh_number(), code, &path.join("*")).await;
        assert_eq!(status, 200);
        let (kind, screen) = body.split_at(4);
        let options: Vec<String> =
            screen.lines().filter_map(|l| Some(l.split_once(". ")?.0.parse::<u32>().ok()?.to_string())).collect();
        let more = screen.lines().any(|l| l.starts_with("98 "));
        // Past an input screen, where the path leads depends on what was chosen before it (a
        // switch follows): such paths are walked in full; any other screen once.
        let after_input = path.iter().any(|p| p == "after 6pm");
        let input = options.is_empty() && !more;
        if (!seen.insert(screen.to_owned()) && !input && !after_input) || kind == "END " {
            continue;
        }
        let mut inputs = options.clone();
        if more {
            inputs.push("98".into());
        }
        if inputs.is_empty() {
            inputs.push("after 6pm".into()); // an input screen
        }
        for input in inputs {
            let mut next = path.clone();
            next.push(input);
            queue.push_back(next);
        }
    }
    seen
}

#[actix_web::test]
async fn curl_can_walk_every_branch_of_both_flows_in_every_language() {
    let app = app(gateway(&demo_settings(None))).await;
    for (code, helpline) in [(KE_CODE, "ke"), (BJ_CODE, "bj")] {
        let flow = &shipped().iter().find(|h| h.id == helpline).unwrap().flow;
        for (index, locale) in flow.locales.iter().enumerate() {
            let seen = walk(&app, code, index + 1).await;
            let expected: BTreeMap<&str, &str> = flow
                .all_pages()
                // The Fon note is reached only by choosing Fon.
                .filter(|(node, l, _)| l == locale && (*node != "fon-welcome" || *l == "fon"))
                .map(|(node, _, page)| (page.shown.as_str(), node))
                .collect();
            for (page, node) in &expected {
                assert!(seen.contains(*page), "{helpline} {locale}: page of `{node}` never reached:\n{page}");
            }
            assert!(expected.len() > 30, "{helpline} {locale}: only {} pages", expected.len());
        }
    }
}

#[actix_web::test]
async fn the_flows_escalate_danger_at_once_and_a_counsellor_request_after_the_safe_contact_questions() {
    let gw = gateway(&demo_settings(None));
    let app = app(gw.clone()).await;
    let n = fresh_number();
    let (_, danger) = dial_hops(&app, "esc", &n, KE_CODE, "1*1").await;
    assert!(danger.contains("999 or 112"));
    assert!(gw.metrics.render().contains("salama_escalations_total{urgency=\"critical\"} 1"));
    // Talk to a counsellor: call not safe, SMS not safe: nobody will contact her, and no escalation.
    let (_, none) = dial_hops(&app, "esc2", &fresh_number(), KE_CODE, "1*2*6").await;
    assert!(none.starts_with("END We will not contact you."), "{none}");
    assert!(gw.metrics.render().contains("salama_escalations_total{urgency=\"normal\"} 0"));
    let (_, done) = dial_hops(&app, "esc3", &fresh_number(), KE_CODE, "1*2*4*my husband reads my phone*1").await;
    assert!(done.starts_with("END Thank you. A counsellor will contact you only in the way you chose."), "{done}");
    assert!(gw.metrics.render().contains("salama_escalations_total{urgency=\"normal\"} 1"));
}

fn input() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (1u32..12).prop_map(|n| n.to_string()),
        1 => Just("0".to_owned()),
        1 => Just("98".to_owned()),
        1 => Just("00".to_owned()),
        1 => "\\PC{0,30}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_input_sequence_panics_and_every_screen_fits(inputs in proptest::collection::vec(input(), 0..40), remembered in proptest::option::of(0u8..2)) {
        for helpline in shipped().iter() {
            let flow = &helpline.flow;
            let mut session = begin(flow, remembered);
            for input in &inputs {
                let (before, was_ended) = (flow.screen(&session).0.to_owned(), session.ended);
                step(flow, &mut session, input);
                let (text, _) = flow.screen(&session);
                prop_assert!(gsm::screen_cost(text) <= 160);
                if was_ended && input != "00" {
                    prop_assert_eq!(&before, text, "an ended session keeps its last screen");
                }
                let bytes = session.encode(flow.fingerprint);
                prop_assert!(bytes.len() < 256);
                let decoded = Session::decode(&bytes, flow.fingerprint);
                prop_assert_eq!(decoded.as_ref(), Some(&session));
            }
        }
    }

    /// The replay the engine falls back on (see `flow::replay`) against the hops taken one by
    /// one, each saved and loaded again as the store would: same session, screen and effects.
    #[test]
    fn a_session_rebuilt_from_its_path_shows_what_hop_by_hop_showed(choices in path_choices()) {
        // A returning caller (her language remembered): the start is certain.
        let path = choices;
        let text = path.join("*");
        let inputs: Vec<&str> = text.split('*').collect();
        for helpline in shipped().iter() {
            let flow = &helpline.flow;
            let mut session = begin(flow, Some(1));
            let mut effects = Vec::new();
            for (i, input) in inputs.iter().enumerate() {
                let hop = step(flow, &mut session, input);
                // Escalations (once each per session) come back; a language change only from
                // the last input, the one request nothing stored can prove was answered.
                effects.extend(hop.into_iter().filter(|e| matches!(e, Effect::Escalate { .. }) || i + 1 == inputs.len()));
                session.path_hash = path_hash(path_prefix(&text, i + 1));
                session = Session::decode(&session.encode(flow.fingerprint), flow.fingerprint).expect("it decodes");
            }
            let (mut rebuilt, replayed) = rebuild(flow, None, Some(1), &text, &inputs);
            rebuilt.path_hash = session.path_hash;
            prop_assert_eq!(flow.screen(&rebuilt), flow.screen(&session), "path {:?}", &path);
            prop_assert_eq!(&rebuilt, &session);
            prop_assert_eq!(replayed, effects);
            // Her language gone too: no guess, the first screen, nothing done.
            let (restart, none) = rebuild(flow, None, None, &text, &inputs);
            prop_assert_eq!(restart.node, flow.first);
            prop_assert!(none.is_empty());
        }
    }
}

fn path_choices() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(input().prop_filter("no *", |s| !s.contains('*')), 1..12)
}

/// The same over HTTP, where the engine decides between its stored session and the replay: one
/// survivor dials hop by hop, another sends the whole path at once. One app for every case
/// (building one per case took most of the suite's time); the pure test above covers the paths.
#[test]
fn over_http_a_session_sent_at_once_shows_what_hop_by_hop_showed() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let app = runtime.block_on(app(gateway(&demo_settings(None))));
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(64));
    runner
        .run(&path_choices(), |choices| {
            runtime.block_on(async {
                // Two returning callers (English remembered): the start is certain.
                let path = choices;
                let (hop_by_hop, at_once) = (fresh_number(), fresh_number());
                for n in [&hop_by_hop, &at_once] {
                    dial_hops(&app, "language", n, KE_CODE, "1").await;
                }
                let mut last = String::new();
                for i in 0..=path.len() {
                    last = dial(&app, "stepwise", &hop_by_hop, KE_CODE, &path[..i].join("*")).await.1;
                }
                let (_, rebuilt) = dial(&app, "at-once", &at_once, KE_CODE, &path.join("*")).await;
                prop_assert_eq!(rebuilt, last, "path {:?}", path);
                Ok(())
            })
        })
        .unwrap();
}

fn error_of(flow: &str, locales: &Path, limit: usize) -> String {
    let catalog = Catalog::load(locales).unwrap();
    let contacts = demo_settings(None).helplines["ke"].contacts.clone();
    let presentation =
        Presentation { screen_limit: limit, transliterate: true, sms_transliterate: false, contacts: &contacts };
    compile(&root().join("tests/fixtures/flows").join(flow), &catalog, &presentation).unwrap_err().to_string()
}

#[test]
fn a_bad_flow_stops_startup_with_the_file_and_the_node_named() {
    let locales = root().join("locales");
    let e = error_of("unknown_target.toml", &locales, 160);
    assert!(e.contains("unknown_target.toml, node `main`: goes to unknown node `nowhere`"), "{e}");
    let e = error_of("unreachable.toml", &locales, 160);
    assert!(e.contains("unreachable.toml, node `orphan`: cannot be reached"), "{e}");
    let e = error_of("switch_loop.toml", &locales, 160);
    assert!(e.contains("switch_loop.toml, node `a`: switches form a loop"), "{e}");
    let e = error_of("unset_field.toml", &locales, 160);
    assert!(e.contains("node `check`: tests field `never_set`, which nothing sets"), "{e}");
    let e = error_of("long_word.toml", &locales, 40);
    assert!(e.contains("long_word.toml, node `main`: in locale \"en\", the screen cannot fit after pagination"), "{e}");
    assert!(e.contains("cannot fit on a page"), "{e}");
}

#[test]
fn a_message_missing_in_an_offered_locale_without_fallback_stops_startup() {
    let dir = std::env::temp_dir().join(format!("salama-locales-{}", std::process::id()));
    for locale in ["en", "sw"] {
        std::fs::create_dir_all(dir.join(locale)).unwrap();
        std::fs::copy(root().join("locales").join(locale).join("helpline.ftl"), dir.join(locale).join("helpline.ftl"))
            .unwrap();
    }
    std::fs::copy(root().join("tests/fixtures/locales_extra/en/test.ftl"), dir.join("en/test.ftl")).unwrap();
    let e = error_of("missing_message.toml", &dir, 160);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(e.contains("node `main`: message `only-in-english` is missing in locale \"sw\" and its fallbacks"), "{e}");
}

/// Message ids of every .ftl file of a locale, read with Fluent's own parser.
fn message_ids(locale: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(root().join("locales").join(locale)).unwrap() {
        let path: PathBuf = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ftl") {
            let source = std::fs::read_to_string(&path).unwrap();
            let resource = fluent_syntax::parser::parse(source.as_str()).expect("the file parses");
            for entry in resource.body {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    ids.insert(m.id.name.to_owned());
                }
            }
        }
    }
    ids
}

#[test]
fn complete_locales_have_the_same_messages_and_fon_only_a_subset() {
    let en = message_ids("en");
    for locale in ["sw", "fr"] {
        let other = message_ids(locale);
        assert_eq!(en.difference(&other).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in {locale}");
        assert_eq!(other.difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "only in {locale}");
    }
    let fon = message_ids("fon");
    assert!(fon.is_subset(&message_ids("fr")), "fon has ids French does not: {:?}", fon.difference(&message_ids("fr")));
    assert!(Catalog::load(&root().join("locales")).unwrap().chain("fon") == vec!["fon", "fr"]);
}

#[test]
fn a_node_can_carry_its_own_sms_text() {
    let catalog = Catalog::load(&root().join("locales")).unwrap();
    let contacts = BTreeMap::from([
        ("police".to_owned(), "999".to_owned()),
        ("police_alt".to_owned(), "112".to_owned()),
        ("support".to_owned(), "1195".to_owned()),
    ]);
    let presentation =
        Presentation { screen_limit: 160, transliterate: true, sms_transliterate: false, contacts: &contacts };
    let flow = compile(&root().join("tests/fixtures/flows/sms_text.toml"), &catalog, &presentation).unwrap();
    let main = &flow.nodes[flow.start as usize];
    assert!(main.pages[0][0].shown.starts_with("How can we help?"), "USSD keeps `text`");
    assert_eq!(main.sms[0], "In danger now? Call 999 or 112 (free).\n1. Yes\nReply with a number. 0: back. 00: stop.");
    let bye = flow.nodes.iter().find(|n| matches!(n.kind, salama::flow::Kind::Screen { end: true, .. })).unwrap();
    assert_eq!(bye.sms[0], "Thank you. Goodbye.", "an end screen asks for no reply");
}

#[test]
fn a_screen_whose_invalid_input_line_drops_the_exit_stops_startup() {
    let e = error_of("no_exit.toml", &root().join("tests/fixtures/locales_no_exit"), 160);
    assert!(
        e.contains(
            "no_exit.toml, node `main`: in locale \"en\", page 1 after an invalid input does not show the quick exit 00"
        ),
        "{e}"
    );
}

/// The emergency line each helpline's advice screens end with, per locale.
fn danger_line(helpline: &str, locale: &str) -> &'static str {
    match (helpline, locale) {
        ("ke", "en") => "Danger: 999 or 112",
        ("ke", "sw") => "Hatari: 999 au 112",
        ("bj", _) => "Danger : 117 ou 166",
        other => panic!("no emergency line known for {other:?}"),
    }
}

/// Screens that are menus or questions, not advice: every other screen is advice.
const NOT_ADVICE: [&str; 14] = [
    "language",
    "danger-reach",
    "danger-reached",
    "danger-unreached",
    "main",
    "phone",
    "online",
    "more",
    "fon-welcome",
    "talk",
    "talk-note",
    "talk-consent",
    "talk-done",
    "talk-no-contact",
];

#[test]
fn every_advice_screen_ends_with_the_emergency_line_in_every_locale() {
    for helpline in shipped().iter() {
        let flow = &helpline.flow;
        for (node, name) in flow.nodes.iter().zip(&flow.names) {
            if NOT_ADVICE.contains(&name.as_str()) || node.pages.is_empty() {
                continue;
            }
            for (pages, locale) in node.pages.iter().zip(&flow.locales) {
                let line = danger_line(&helpline.id, locale);
                let text: Vec<&str> = pages.iter().flat_map(|p| p.shown.lines()).collect();
                let body: Vec<&&str> =
                    text.iter().filter(|l| !is_option(l) && !l.starts_with("98 ") && !l.starts_with("0 ")).collect();
                if name == "danger" {
                    let numbers = line.split_once(": ").unwrap().1.replace(" ou ", " ou le ");
                    assert!(text.iter().any(|l| l.contains(&numbers)), "{} {name} {locale}: {text:?}", helpline.id);
                    continue;
                }
                assert_eq!(body.last().map(|l| **l), Some(line), "{} {name} [{locale}] must end with it", helpline.id);
            }
        }
    }
}

fn is_option(line: &str) -> bool {
    line.split_once(". ").is_some_and(|(n, _)| n.parse::<u32>().is_ok())
}

#[test]
fn the_options_of_every_screen_are_on_one_page() {
    for helpline in shipped().iter() {
        for (node, name) in helpline.flow.nodes.iter().zip(&helpline.flow.names) {
            for (pages, locale) in node.pages.iter().zip(&helpline.flow.locales) {
                let with_options = pages.iter().filter(|p| p.shown.lines().any(is_option)).count();
                assert!(with_options <= 1, "{} {name} [{locale}]: options on {with_options} pages", helpline.id);
            }
        }
    }
}

/// Inputs from `from` to the first end screen, on every path (the longest and the shortest).
fn inputs_to_an_end(flow: &salama::flow::Flow, from: u16, depth: usize, found: &mut Vec<(usize, String)>) {
    use salama::flow::Kind;
    assert!(depth < 12, "a loop on the way to a counsellor");
    match &flow.nodes[from as usize].kind {
        Kind::Screen { end: true, .. } => found.push((depth, flow.names[from as usize].clone())),
        Kind::Screen { choices, .. } => choices.iter().for_each(|c| inputs_to_an_end(flow, c.next, depth + 1, found)),
        Kind::Input { next, .. } => inputs_to_an_end(flow, *next, depth + 1, found),
        Kind::Switch { .. } => {
            flow.nodes[from as usize].targets().for_each(|t| inputs_to_an_end(flow, t, depth, found))
        }
    }
}

#[test]
fn a_counsellor_is_on_the_first_page_of_the_menu_and_at_most_four_inputs_away() {
    for helpline in shipped().iter() {
        let flow = &helpline.flow;
        let main = &flow.nodes[flow.start as usize];
        let salama::flow::Kind::Screen { choices, .. } = &main.kind else { panic!("the menu is a screen") };
        let option = choices.iter().position(|c| flow.names[c.next as usize] == "talk").expect("the menu offers it");
        for (pages, locale) in main.pages.iter().zip(&flow.locales) {
            let first = &pages[0].shown;
            assert!(first.contains(&format!("\n{}. ", option + 1)), "{} [{locale}] first page:\n{first}", helpline.id);
        }
        let mut ends = Vec::new();
        inputs_to_an_end(flow, choices[option].next, 1, &mut ends);
        assert!(ends.iter().all(|(inputs, _)| *inputs <= 4), "{}: {ends:?}", helpline.id);
        assert!(ends.iter().any(|(_, end)| end == "talk-done"), "{}: {ends:?}", helpline.id);
    }
    // And over HTTP: main, call in the evening, her words, consent: "a counsellor will contact you".
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let app = app(gateway(&demo_settings(None))).await;
        let n = fresh_number();
        dial(&app, "four", &n, KE_CODE, "1").await; // English, remembered: the menu
        let (_, done) = dial(&app, "four-2", &n, KE_CODE, "2*4*he reads my phone*1").await;
        assert!(done.starts_with("END Thank you. A counsellor will contact you"), "{done}");
    });
}

#[test]
fn every_number_shown_has_a_source_and_a_status() {
    let sources = std::fs::read_to_string(root().join("locales/SOURCES.md")).unwrap();
    let status = salama::flow::review::ContactStatus::load(&root().join("locales/contacts-status.toml")).unwrap();
    for (id, helpline) in &demo_settings(None).helplines {
        for (name, value) in &helpline.contacts {
            assert!(sources.contains(value.as_str()), "{id}.{name} = {value} is not in locales/SOURCES.md");
            assert!(
                status.confirmed.contains_key(value) || status.unconfirmed.contains_key(value),
                "{id}.{name} = {value} has no status in locales/contacts-status.toml"
            );
        }
    }
}
