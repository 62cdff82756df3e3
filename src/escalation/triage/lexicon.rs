//! One language's `triage.toml`: how its words are read, its concepts of danger, and what
//! lowers them (idioms, negations, dangers long past).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::normalise::{Reading, fold};
use super::phrases::{Phrase, Role, Step};
use super::quick_hash::{QuickMap, QuickSet};
use super::words::{Form, Vocabulary};
use crate::flow::Urgency;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    #[serde(default)]
    reading: ReadingFile,
    #[serde(default)]
    variants: BTreeMap<String, String>,
    #[serde(default)]
    markers: Words,
    #[serde(default)]
    idioms: Phrases,
    #[serde(default)]
    negations: Negations,
    #[serde(default)]
    past: Phrases,
    #[serde(default)]
    now: Phrases,
    #[serde(default)]
    jest: Phrases,
    concepts: BTreeMap<String, ConceptFile>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ReadingFile {
    #[serde(default)]
    squeeze_all: bool,
    #[serde(default)]
    elisions: Vec<String>,
    #[serde(default)]
    real_words: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Words {
    words: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Phrases {
    phrases: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Negations {
    words: Vec<String>,
    #[serde(default)]
    stop: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConceptFile {
    level: String,
    #[serde(default)]
    strong: Vec<String>,
    #[serde(default)]
    weak: Vec<String>,
    /// Phrases that show the concept's words are used harmlessly in this message.
    #[serde(default)]
    unless: Vec<String>,
}

/// A kind of danger: one of its strong phrases sets its level, two weak phrases of its level
/// (of any concepts) do too, and one weak phrase one level lower.
pub struct Concept {
    pub name: String,
    pub level: Urgency,
}

pub struct Lexicon {
    pub reading: Reading,
    pub vocabulary: Vocabulary,
    pub concepts: Vec<Concept>,
    pub phrases: Vec<Phrase>,
    /// Phrases by the word they start with.
    pub by_first: QuickMap<u32, Vec<u32>>,
    pub markers: QuickSet<u32>,
    pub negations: Vec<String>,
    pub stops: Vec<String>,
    /// Each distinct word (its alternatives) and its id, so a word written twice shares one.
    alternatives: QuickMap<Vec<Form>, u32>,
}

impl Lexicon {
    pub fn parse(text: &str) -> Result<Lexicon, String> {
        let file: LexiconFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut lexicon = Lexicon {
            reading: Reading {
                squeeze_all: file.reading.squeeze_all,
                elisions: file.reading.elisions.iter().map(|e| fold(e, false)).collect(),
                variants: QuickMap::default(),
            },
            vocabulary: Vocabulary::default(),
            concepts: Vec::new(),
            phrases: Vec::new(),
            by_first: QuickMap::default(),
            markers: QuickSet::default(),
            negations: Vec::new(),
            stops: Vec::new(),
            alternatives: QuickMap::default(),
        };
        let variants = file.variants.iter().map(|(k, v)| {
            let key = lexicon.reading.lexicon_word(&fold(k, false));
            (key, fold(v, false).split(' ').map(|w| lexicon.reading.lexicon_word(w)).collect())
        });
        lexicon.reading.variants = variants.collect();
        for word in &file.reading.real_words {
            lexicon.vocabulary.add_real_word(lexicon.reading.lexicon_word(&fold(word, false)));
        }
        for (name, concept) in &file.concepts {
            let level = match concept.level.as_str() {
                "critical" => Urgency::Critical,
                "high" => Urgency::High,
                other => return Err(format!("concept {name}: level {other:?} is neither critical nor high")),
            };
            let index = lexicon.concepts.len() as u32;
            lexicon.concepts.push(Concept { name: name.clone(), level });
            for (phrases, strong) in [(&concept.strong, true), (&concept.weak, false)] {
                for phrase in phrases {
                    lexicon.add_phrase(phrase, Role::Danger { concept: index, strong })?;
                }
            }
            for phrase in &concept.unless {
                lexicon.add_phrase(phrase, Role::Unless { concept: index })?;
            }
        }
        let time =
            [(&file.idioms, Role::Idiom), (&file.past, Role::Past), (&file.now, Role::Now), (&file.jest, Role::Jest)];
        for (phrases, role) in time {
            for phrase in &phrases.phrases {
                lexicon.add_phrase(phrase, role)?;
            }
        }
        for marker in &file.markers.words {
            let id = lexicon.word_id(&fold(marker, true))?;
            lexicon.markers.insert(id);
        }
        lexicon.negations =
            file.negations.words.iter().map(|w| lexicon.reading.lexicon_word(&fold(w, false))).collect();
        lexicon.stops = file.negations.stop.iter().map(|w| lexicon.reading.lexicon_word(&fold(w, false))).collect();
        Ok(lexicon)
    }

    /// Adds another language's negations, but not this language's own common words or clause
    /// breaks: a French "pas" negates in an English reading, a French "si" (if) is no Kiswahili "not".
    pub fn borrow_negations(&mut self, foreign: &[String]) {
        for word in foreign {
            let mut hits = Vec::new();
            self.vocabulary.look_up(word, &mut hits);
            let common = hits.iter().any(|h| self.markers.contains(&h.word));
            if !common && !self.stops.contains(word) && !self.negations.contains(word) {
                self.negations.push(word.clone());
            }
        }
    }

    fn add_phrase(&mut self, text: &str, role: Role) -> Result<(), String> {
        let mut steps = Vec::new();
        for word in fold(text, true).split(' ').filter(|w| !w.is_empty()) {
            match word {
                "_" => steps.push(Step::Any),
                "~" => steps.push(Step::Gap),
                w if w.contains(['*', '|', '-']) => steps.push(Step::Word(self.word_id(w)?)),
                // A plain word is read through the variants, as her words are.
                w => {
                    let w = self.reading.lexicon_word(w);
                    let words = self.reading.variants.get(&w).cloned().unwrap_or_else(|| vec![w]);
                    for w in words {
                        steps.push(Step::Word(self.word_id(&w)?));
                    }
                }
            }
        }
        // An idiom's leading "any word" ("_ is killing me") adds nothing to what it sets aside.
        if matches!(role, Role::Idiom) {
            let words = steps.iter().position(|s| matches!(s, Step::Word(_))).unwrap_or(steps.len());
            steps.drain(..words);
        }
        match steps.first() {
            Some(Step::Word(first)) => {
                self.by_first.entry(*first).or_default().push(self.phrases.len() as u32);
                let text = match role {
                    Role::Danger { concept, .. } => {
                        format!("{}: {}", self.concepts[concept as usize].name, readable(text))
                    }
                    _ => text.to_owned(),
                };
                self.phrases.push(Phrase { steps, role, text });
                Ok(())
            }
            _ => Err(format!("the phrase {text:?} must start with a word")),
        }
    }

    /// The id of a lexicon word (`a|b*|-root`), added to the vocabulary the first time.
    fn word_id(&mut self, word: &str) -> Result<u32, String> {
        let mut forms = Vec::new();
        for alternative in word.split('|') {
            let form = if let Some(root) = alternative.strip_prefix('-') {
                let stem = root.strip_suffix('a').filter(|s| !s.is_empty()).unwrap_or(root);
                Form::Root(stem.to_owned())
            } else if let Some(prefix) = alternative.strip_suffix('*') {
                Form::Prefix(self.reading.lexicon_word(prefix))
            } else {
                Form::Exact(self.reading.lexicon_word(alternative))
            };
            match &form {
                Form::Exact(w) | Form::Prefix(w) | Form::Root(w) if w.is_empty() || w.contains(['*', '-', '~']) => {
                    return Err(format!("the word {word:?} is not a word, a prefix* or a -root"));
                }
                _ => forms.push(form),
            }
        }
        if let Some(id) = self.alternatives.get(&forms) {
            return Ok(*id);
        }
        let id = self.alternatives.len() as u32;
        for form in &forms {
            self.vocabulary.add(form, id);
        }
        self.alternatives.insert(forms, id);
        Ok(id)
    }
}

/// A phrase as a counsellor reads it: each word's first alternative, without the lexicon's marks
/// ("he|she ~ outside" reads "he ... outside").
fn readable(phrase: &str) -> String {
    let words = phrase.split_whitespace().map(|w| match w {
        "_" | "~" => "...",
        w => w.split('|').next().unwrap_or(w).trim_start_matches('-').trim_end_matches('*'),
    });
    words.collect::<Vec<_>>().join(" ")
}
