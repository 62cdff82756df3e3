//! Triage against the labelled evaluation set in tests/fixtures/triage/. Fails when recall on
//! critical drops below 95% or more than 5% of normal messages come out critical, and prints the
//! confusion matrix either way.

use std::collections::BTreeMap;
use std::path::Path;

use salama::escalation::triage::Triage;
use salama::flow::Urgency;

const LABELS: [&str; 3] = ["critical", "high", "normal"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn set() -> Vec<(String, String, String)> {
    let mut messages = Vec::new();
    for lang in ["en", "sw", "fr"] {
        let text = std::fs::read_to_string(root().join(format!("tests/fixtures/triage/{lang}.tsv"))).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let (label, message) = line.split_once('\t').unwrap_or_else(|| panic!("no tab in {line:?}"));
            assert!(LABELS.contains(&label), "unknown label in {line:?}");
            messages.push((lang.to_owned(), label.to_owned(), message.to_owned()));
        }
    }
    messages
}

#[test]
fn triage_meets_its_thresholds_on_the_evaluation_set() {
    let triage = Triage::load(&root().join("locales")).unwrap();
    let messages = set();
    assert!(messages.len() >= 200, "the set has {} messages", messages.len());
    let mut matrix: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut wrong_language = 0;
    for (lang, label, message) in &messages {
        // No locale given: the language is detected, as for a first SMS.
        let verdict = triage.classify(message, None);
        wrong_language += usize::from(&verdict.locale != lang);
        let got = verdict.urgency.as_str();
        *matrix.entry((LABELS.iter().find(|l| *l == label).unwrap(), got)).or_default() += 1;
        if got != label {
            misses.push(format!(
                "  {label} -> {got} [{lang}, read as {}]: {message} {:?}",
                verdict.locale, verdict.reasons
            ));
        }
    }
    let count = |label: &str| messages.iter().filter(|(_, l, _)| l == label).count();
    let cell = |label: &'static str, got: &'static str| matrix.get(&(label, got)).copied().unwrap_or(0);
    let mut report = format!(
        "confusion matrix ({} messages; rows: label, columns: triage)\n{:>10} {:>9} {:>6} {:>7}\n",
        messages.len(),
        "",
        "critical",
        "high",
        "normal"
    );
    for label in LABELS {
        report += &format!(
            "{label:>10} {:>9} {:>6} {:>7}\n",
            cell(label, "critical"),
            cell(label, "high"),
            cell(label, "normal")
        );
    }
    let recall = cell("critical", "critical") as f64 / count("critical") as f64;
    let normal_as_critical = cell("normal", "critical") as f64 / count("normal") as f64;
    report += &format!(
        "critical recall {:.1}%, normal read as critical {:.1}%, language detected wrongly {wrong_language}\n{}",
        recall * 100.0,
        normal_as_critical * 100.0,
        misses.join("\n")
    );
    println!("{report}");
    assert!(recall >= 0.95, "critical recall below 95%\n{report}");
    assert!(normal_as_critical <= 0.05, "more than 5% of normal messages came out critical\n{report}");
}

#[test]
fn the_given_locale_is_used_and_swahili_also_reads_english() {
    let triage = Triage::load(&root().join("locales")).unwrap();
    let v = triage.classify("nisaidie yuko nje with a knife", Some("sw"));
    assert_eq!(v.urgency, Urgency::Critical, "{v:?}");
    assert_eq!(v.locale, "sw");
    assert_eq!(triage.classify("il veut me tuer", Some("en")).urgency, Urgency::Normal, "English words only");
    assert_eq!(triage.detect("je suis en danger il est là"), "fr");
    assert_eq!(triage.detect("niko na shida sana leo"), "sw");
}
