use super::*;

const ENGLISH: &str = r#"
[reading]
squeeze_all = true
real_words = ["cooking"]

[variants]
"w" = "with"
"u" = "you"

[markers]
words = ["the", "is", "he", "my"]

[concepts.weapon]
level = "critical"
strong = ["knife", "gun"]

[concepts.arrival]
level = "critical"
strong = ["he|she is outside"]
weak = ["outside", "right now"]

[concepts.threat]
level = "critical"
strong = ["kill* ~ me"]

[concepts.choking]
level = "critical"
strong = ["choking"]

[concepts.images]
level = "high"
strong = ["nudes"]
weak = ["my photos", "money"]

[idioms]
phrases = ["_ is killing me", "cooking knife"]

[negations]
words = ["not", "never"]
stop = ["he"]

[past]
phrases = ["years ago"]

[now]
phrases = ["again", "now"]
"#;

const SWAHILI: &str = r#"
[markers]
words = ["na", "yangu", "ana*", "ame*", "ata*", "wana*"]

[concepts.violence]
level = "critical"
strong = ["-piga", "-ua"]
"#;

fn triage() -> Triage {
    let lexicons = [("en", ENGLISH), ("sw", SWAHILI)];
    Triage { lexicons: lexicons.into_iter().map(|(l, t)| (l.to_owned(), Lexicon::parse(t).unwrap())).collect() }
}

fn urgency(text: &str) -> Urgency {
    triage().classify(text, None).urgency
}

#[test]
fn one_strong_phrase_is_enough_and_reasons_are_the_lexicons() {
    let v = triage().classify("He's OUTSIDE w a KNIFE!!", Some("en"));
    assert_eq!(
        (v.urgency, v.reasons, v.concepts),
        (
            Urgency::Critical,
            vec!["arrival: outside".into(), "weapon: knife".into()],
            vec!["arrival".into(), "weapon".into()]
        )
    );
    assert_eq!(urgency("he has a gunn"), Urgency::Critical, "one slip on a short word is not read");
    assert_eq!(urgency("he is outside"), Urgency::Critical);
    assert_eq!(urgency("he said he will kill u and me"), Urgency::Critical);
    assert_eq!(urgency("he wants nudes"), Urgency::High);
    assert_eq!(urgency("outside"), Urgency::High, "one weak critical phrase is high");
    assert_eq!(urgency("outside right now"), Urgency::Critical, "two are critical");
    assert_eq!(urgency("my photos for money"), Urgency::High);
    assert_eq!(urgency("my photos"), Urgency::Normal);
}

#[test]
fn typing_slips_and_repeated_letters_are_forgiven_but_not_real_words() {
    assert_eq!(urgency("he is chokingg me"), Urgency::Critical);
    assert_eq!(urgency("he is chokng me"), Urgency::Critical);
    assert_eq!(urgency("I am cooking"), Urgency::Normal);
    assert_eq!(urgency("KNIIIFE"), Urgency::Critical);
}

#[test]
fn idioms_negations_and_dangers_long_past_do_not_count() {
    assert_eq!(urgency("this heat is killing me"), Urgency::Normal);
    assert_eq!(urgency("a new cooking knife"), Urgency::Normal);
    assert_eq!(urgency("he never said kill me"), Urgency::Normal);
    assert_eq!(urgency("not nudes"), Urgency::Normal);
    assert_eq!(urgency("not he said kill me"), Urgency::Critical, "a clause break ends the negation");
    assert_eq!(urgency("he had a knife years ago"), Urgency::Normal);
    assert_eq!(urgency("years ago he had a knife and now he is back"), Urgency::Critical);
}

#[test]
fn swahili_verbs_carry_their_root_and_every_language_reads_a_first_message() {
    for text in ["ananipiga", "amenipiga", "atanipiga", "wanampiga", "ataniua"] {
        let v = triage().classify(text, None);
        assert_eq!((v.urgency, v.locale.as_str()), (Urgency::Critical, "sw"), "{text}");
    }
    assert_eq!(urgency("hajanipiga"), Urgency::Normal, "a negative verb");
    assert_eq!(triage().classify("ananipiga", Some("en")).urgency, Urgency::Normal, "English only");
    assert_eq!(triage().classify("yuko nje with a knife", Some("sw")).urgency, Urgency::Critical);
    assert_eq!(triage().detect("he is my friend"), "en");
    assert_eq!(triage().detect("rafiki yangu na"), "sw");
}
