//! Risk triage of a survivor's free text: critical (danger to life or body now), high (serious,
//! time-bound harm) or normal, with the phrases that decided it.
//!
//! The words live in `locales/<lang>/triage.toml`, which helpline staff can read and extend
//! without touching code:
//!
//! ```toml
//! [thresholds]
//! critical = 10        # a message is critical when its critical phrases add up to this
//! high = 6             # high when its critical and high phrases together add up to this
//!
//! [critical]           # phrase = weight; `*` ends a word prefix, `_` stands for any one word
//! "kill* me" = 10
//! "knife" = 5
//!
//! [high]
//! "send nudes" = 6
//!
//! [idioms]             # phrases that are not danger although they hold danger words
//! phrases = ["_ is killing me"]
//!
//! [negations]          # a danger phrase right after one of these does not count
//! words = ["not", "never"]
//!
//! [variants]           # texting and spelling forms, read as the word they stand for
//! "pls" = "please"
//! ```
//!
//! Text is compared lower-cased, without accents or apostrophes, with variants replaced, so
//! "He's OUTSIDE w a knife!!" and "he is outside with a knife" read the same.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::flow::Urgency;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    thresholds: Thresholds,
    #[serde(default)]
    critical: BTreeMap<String, u32>,
    #[serde(default)]
    high: BTreeMap<String, u32>,
    #[serde(default)]
    idioms: Phrases,
    #[serde(default)]
    negations: Negations,
    #[serde(default)]
    variants: BTreeMap<String, String>,
    /// Common words of the language, to tell which language a message is in.
    #[serde(default)]
    markers: Words,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct Thresholds {
    critical: u32,
    high: u32,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Phrases {
    phrases: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Words {
    words: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Negations {
    words: Vec<String>,
    /// Words that end a negation's reach ("si je ne paie pas, il envoie mes photos": "il" starts
    /// a new clause).
    #[serde(default)]
    stop: Vec<String>,
}

struct Term {
    tokens: Vec<String>,
    weight: u32,
    critical: bool,
    phrase: String,
}

struct Lexicon {
    thresholds: Thresholds,
    terms: Vec<Term>,
    idioms: Vec<Vec<String>>,
    negations: Vec<String>,
    stops: Vec<String>,
    variants: BTreeMap<String, String>,
    markers: Vec<String>,
}

/// What triage decided, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub urgency: Urgency,
    /// The phrases that counted, as written in the lexicon.
    pub reasons: Vec<String>,
    /// The language the message was read in.
    pub locale: String,
}

/// Every locale's lexicon.
pub struct Triage {
    lexicons: BTreeMap<String, Lexicon>,
}

/// How many words before a danger phrase a negation reaches ("he never threatened me", "il ne m'a jamais menacée").
const NEGATION_REACH: usize = 2;

impl Triage {
    /// Loads `<locales_dir>/<lang>/triage.toml` for every locale that has one.
    pub fn load(locales_dir: &Path) -> Result<Triage, String> {
        let mut lexicons = BTreeMap::new();
        let mut dirs: Vec<_> = std::fs::read_dir(locales_dir)
            .map_err(|e| format!("{}: {e}", locales_dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        dirs.sort();
        for dir in dirs {
            let path = dir.join("triage.toml");
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let locale = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            lexicons.insert(locale, Lexicon::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?);
        }
        Ok(Triage { lexicons })
    }

    /// The locale whose marker words the message holds most of; English when none match.
    pub fn detect(&self, text: &str) -> String {
        let mut best = ("en".to_owned(), 0);
        for (locale, lexicon) in &self.lexicons {
            let tokens = lexicon.tokens(text);
            let hits = tokens.iter().filter(|t| lexicon.markers.iter().any(|m| word_matches(m, t))).count();
            if hits > best.1 {
                best = (locale.clone(), hits);
            }
        }
        best.0
    }

    /// Triage in `locale`, and in English too: survivors write English loanwords ("nudes",
    /// "password") and switch to English mid-sentence, Sheng above all. With no locale (a first
    /// message), every lexicon reads it: a short message ("ananinyonga") has too few words to
    /// tell its language by, and a danger phrase in any language must count. The language is
    /// still detected, for the reply and the case.
    pub fn classify(&self, text: &str, locale: Option<&str>) -> Verdict {
        let given = locale.filter(|l| self.lexicons.contains_key(*l));
        let locale = given.map_or_else(|| self.detect(text), str::to_owned);
        let readings: Vec<&str> = match given {
            Some(l) => std::iter::once(l).chain((l != "en").then_some("en")).collect(),
            None => self.lexicons.keys().map(String::as_str).collect(),
        };
        let (mut critical, mut high, mut reasons) = (0, 0, Vec::new());
        let mut thresholds = None;
        for l in readings {
            let Some(lexicon) = self.lexicons.get(l) else { continue };
            thresholds.get_or_insert(lexicon.thresholds);
            for term in lexicon.matches(text) {
                if term.critical {
                    critical += term.weight;
                } else {
                    high += term.weight;
                }
                if !reasons.contains(&term.phrase) {
                    reasons.push(term.phrase.clone());
                }
            }
        }
        let t = thresholds.unwrap_or(Thresholds { critical: 10, high: 6 });
        let urgency = if critical >= t.critical {
            Urgency::Critical
        } else if critical + high >= t.high {
            Urgency::High
        } else {
            Urgency::Normal
        };
        if urgency == Urgency::Normal {
            reasons.clear();
        }
        Verdict { urgency, reasons, locale }
    }
}

impl Lexicon {
    fn parse(text: &str) -> Result<Lexicon, String> {
        let file: LexiconFile = toml::from_str(text).map_err(|e| e.to_string())?;
        // Variants first: the phrases themselves are read through them too.
        let mut lexicon = Lexicon {
            thresholds: file.thresholds,
            terms: Vec::new(),
            idioms: Vec::new(),
            negations: Vec::new(),
            stops: Vec::new(),
            variants: file.variants.into_iter().map(|(k, v)| (normalize(&k), normalize(&v))).collect(),
            markers: file.markers.words.iter().map(|w| normalize(w)).collect(),
        };
        for (phrases, critical) in [(&file.critical, true), (&file.high, false)] {
            for (phrase, weight) in phrases {
                let tokens = lexicon.tokens(phrase);
                if tokens.is_empty() {
                    return Err(format!("the phrase {phrase:?} has no words"));
                }
                lexicon.terms.push(Term { tokens, weight: *weight, critical, phrase: phrase.clone() });
            }
        }
        lexicon.idioms = file.idioms.phrases.iter().map(|p| lexicon.tokens(p)).collect();
        lexicon.negations = file.negations.words.iter().map(|w| normalize(w)).collect();
        lexicon.stops = file.negations.stop.iter().map(|w| normalize(w)).collect();
        Ok(lexicon)
    }

    fn tokens(&self, text: &str) -> Vec<String> {
        normalize(text)
            .split(' ')
            .filter(|w| !w.is_empty())
            .flat_map(|w| {
                self.variants.get(w).map_or(w, String::as_str).split(' ').map(str::to_owned).collect::<Vec<_>>()
            })
            .collect()
    }

    /// The terms found in the text, each counted once, outside idioms and not negated.
    fn matches(&self, text: &str) -> Vec<&Term> {
        let tokens = self.tokens(text);
        let mut idiom = vec![false; tokens.len()];
        for phrase in &self.idioms {
            for start in find_all(&tokens, phrase) {
                idiom[start..start + phrase.len()].iter_mut().for_each(|t| *t = true);
            }
        }
        self.terms
            .iter()
            .filter(|term| {
                find_all(&tokens, &term.tokens).into_iter().any(|start| {
                    let in_idiom = idiom[start..start + term.tokens.len()].iter().any(|t| *t);
                    !in_idiom && !self.negated(&tokens, start)
                })
            })
            .collect()
    }
}

impl Lexicon {
    /// A negation among the few words before `start`, with no clause break in between.
    fn negated(&self, tokens: &[String], start: usize) -> bool {
        for token in tokens[start.saturating_sub(NEGATION_REACH)..start].iter().rev() {
            if self.negations.contains(token) {
                return true;
            }
            if self.stops.contains(token) {
                return false;
            }
        }
        false
    }
}

/// Starts of every place `phrase` occurs in `tokens`.
fn find_all(tokens: &[String], phrase: &[String]) -> Vec<usize> {
    if phrase.is_empty() || phrase.len() > tokens.len() {
        return Vec::new();
    }
    (0..=tokens.len() - phrase.len())
        .filter(|start| phrase.iter().zip(&tokens[*start..]).all(|(p, t)| word_matches(p, t)))
        .collect()
}

fn word_matches(pattern: &str, word: &str) -> bool {
    match pattern {
        "_" => true,
        _ => match pattern.strip_suffix('*') {
            Some(prefix) => word.starts_with(prefix),
            None => pattern == word,
        },
    }
}

/// Lower case, accents and apostrophes gone, anything else that is not a letter, digit, `*` or
/// `_` a space.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.to_lowercase().chars() {
        match c {
            '\'' | '\u{2019}' | '\u{2018}' | '`' => {}
            'à' | 'â' | 'á' | 'ä' | 'ã' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' | 'ɛ' => out.push('e'),
            'î' | 'ï' | 'í' => out.push('i'),
            'ô' | 'ö' | 'ó' | 'ɔ' => out.push('o'),
            'û' | 'ù' | 'ü' | 'ú' => out.push('u'),
            'ç' => out.push('c'),
            'œ' => out.push_str("oe"),
            'ɖ' => out.push('d'),
            c if c.is_alphanumeric() || c == '*' || c == '_' => out.push(c),
            _ => out.push(' '),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEXICON: &str = r#"
[thresholds]
critical = 10
high = 6

[critical]
"kill* me" = 10
"knife" = 5
"outside" = 5

[high]
"nudes" = 6

[idioms]
phrases = ["_ is killing me"]

[negations]
words = ["not", "never"]
stop = ["he"]

[variants]
"w" = "with"
"u" = "you"

[markers]
words = ["the", "is", "he"]
"#;

    fn triage() -> Triage {
        Triage { lexicons: BTreeMap::from([("en".to_owned(), Lexicon::parse(LEXICON).unwrap())]) }
    }

    #[test]
    fn phrases_add_up_to_an_urgency_with_reasons() {
        let v = triage().classify("He's OUTSIDE w a KNIFE!!", Some("en"));
        assert_eq!((v.urgency, v.reasons), (Urgency::Critical, vec!["knife".to_owned(), "outside".to_owned()]));
        assert_eq!(triage().classify("he has a knife", None).urgency, Urgency::Normal, "5 alone is not enough");
        assert_eq!(triage().classify("he wants nudes", None).urgency, Urgency::High);
        assert_eq!(triage().classify("he said he will kill me", None).urgency, Urgency::Critical);
        assert_eq!(
            triage().classify("he is killing me", None).urgency,
            Urgency::Normal,
            "the idiom pattern also covers this: the lexicon must be precise"
        );
    }

    #[test]
    fn idioms_and_negations_do_not_count() {
        assert_eq!(triage().classify("this heat is killing me", None).urgency, Urgency::Normal);
        assert_eq!(triage().classify("he never said kill me", None).urgency, Urgency::Normal);
        assert_eq!(triage().classify("not nudes", None).urgency, Urgency::Normal);
        assert_eq!(
            triage().classify("not he said kill me", None).urgency,
            Urgency::Critical,
            "a clause break ends the negation"
        );
    }

    #[test]
    fn normalizing_drops_case_accents_and_apostrophes() {
        assert_eq!(normalize("Il m’a DIT qu’il me tuerait, ça!"), "il ma dit quil me tuerait ca");
        assert_eq!(normalize("don't  stop"), "dont stop");
    }
}
