//! Finding a lexicon's phrases among a message's words, and setting aside those inside an
//! idiom ("this traffic is killing me") or after a negation ("he never threatened me").

use super::lexicon::{Concept, Lexicon};
use super::words::Hit;

/// One word of a phrase: a lexicon word, `_` any one word, or `~` up to three words.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    Word(u32),
    Any,
    Gap,
}

#[derive(Debug, Clone, Copy)]
pub enum Role {
    Danger {
        concept: u32,
        strong: bool,
    },
    /// Not danger although it holds danger words.
    Idiom,
    /// The danger is long past ("years ago").
    Past,
    /// The danger is present again ("now", "again").
    Now,
    /// A joke, a game, sport ("lol", "haha", "penalty"): the message is not a danger report.
    Jest,
    /// The concept's words are used harmlessly here ("knife" with "onions").
    Unless {
        concept: u32,
    },
}

pub struct Phrase {
    pub steps: Vec<Step>,
    pub role: Role,
    /// As written in the lexicon: what a counsellor is shown.
    pub text: String,
}

/// A danger phrase found.
pub struct Danger<'a> {
    pub concept: &'a Concept,
    pub strong: bool,
    pub phrase: &'a str,
    /// The message's words it covers: weak phrases over the same words count once ("il arrive",
    /// "arrive"), in whichever language's reading.
    pub words: (usize, usize),
}

/// What one lexicon found in a message.
#[derive(Default)]
pub struct Findings<'a> {
    pub dangers: Vec<Danger<'a>>,
    pub past: bool,
    pub now: bool,
    pub jest: bool,
    /// Concepts whose words are used harmlessly in this message.
    pub harmless: Vec<&'a str>,
    /// How many words are the language's common words.
    pub markers: usize,
}

/// How many words `~` may skip.
const GAP: usize = 3;
/// How many words before a danger phrase a negation reaches ("he never threatened me").
const NEGATION_REACH: usize = 2;

struct Found {
    phrase: u32,
    start: usize,
    end: usize,
    negative: bool,
}

impl Lexicon {
    /// Reads a message (through [`super::normalise::fold`]): its danger phrases outside idioms
    /// and negations, and its time words.
    pub fn read(&self, folded: &str) -> Findings<'_> {
        let (words, places): (Vec<String>, Vec<usize>) = self.reading.words(folded).into_iter().unzip();
        let mut hits: Vec<Vec<Hit>> = Vec::with_capacity(words.len());
        let mut findings = Findings::default();
        for word in &words {
            let mut found = Vec::new();
            let known = self.vocabulary.look_up(word, &mut found);
            // Only a word unknown as it stands is read without its elision ("machete" is no "m'achete").
            if let Some(rest) = self.reading.unelided(word).filter(|_| !known) {
                self.vocabulary.look_up(rest, &mut found);
            }
            findings.markers += usize::from(found.iter().any(|h| self.markers.contains(&h.word)));
            hits.push(found);
        }
        let found = self.find_phrases(&hits);
        let mut idiom = vec![false; words.len()];
        let mut past = vec![false; words.len()];
        for f in &found {
            let mask = match self.phrases[f.phrase as usize].role {
                Role::Idiom => &mut idiom,
                Role::Past => &mut past,
                _ => continue,
            };
            mask[f.start..f.end].iter_mut().for_each(|w| *w = true);
        }
        for f in &found {
            let phrase = &self.phrases[f.phrase as usize];
            match phrase.role {
                Role::Danger { concept, strong } => {
                    // An idiom sets aside the danger phrases inside it, not those reaching past it.
                    let in_idiom = idiom[f.start..f.end].iter().all(|w| *w);
                    let set_aside = in_idiom || f.negative || self.negated(&words, f.start);
                    if !set_aside {
                        let concept = &self.concepts[concept as usize];
                        let words = (places[f.start], places[f.end - 1] + 1);
                        findings.dangers.push(Danger { concept, strong, phrase: &phrase.text, words });
                    }
                }
                Role::Past => findings.past = true,
                // "safe now" is a past phrase, not a present danger.
                Role::Now => findings.now |= !past[f.start..f.end].contains(&true),
                Role::Jest => findings.jest = true,
                Role::Unless { concept } => findings.harmless.push(&self.concepts[concept as usize].name),
                Role::Idiom => {}
            }
        }
        findings
    }

    fn find_phrases(&self, hits: &[Vec<Hit>]) -> Vec<Found> {
        let mut found = Vec::new();
        for (start, word_hits) in hits.iter().enumerate() {
            for hit in word_hits {
                for &phrase in self.by_first.get(&hit.word).into_iter().flatten() {
                    let steps = &self.phrases[phrase as usize].steps[1..];
                    if let Some((end, negative)) = follow(steps, hits, start + 1, hit.negative) {
                        found.push(Found { phrase, start, end, negative });
                    }
                }
            }
        }
        found
    }

    /// A negation among the few words before `start`, with no clause break in between.
    fn negated(&self, words: &[String], start: usize) -> bool {
        for word in words[start.saturating_sub(NEGATION_REACH)..start].iter().rev() {
            if self.negations.contains(word) {
                return true;
            }
            if self.stops.contains(word) {
                return false;
            }
        }
        false
    }
}

/// Where the rest of a phrase ends when it follows from word `at`, and whether a word in it was
/// a negative verb.
fn follow(steps: &[Step], hits: &[Vec<Hit>], at: usize, negative: bool) -> Option<(usize, bool)> {
    let Some((step, rest)) = steps.split_first() else { return Some((at, negative)) };
    match step {
        Step::Word(id) => {
            let hit = hits.get(at)?.iter().find(|h| h.word == *id)?;
            follow(rest, hits, at + 1, negative || hit.negative)
        }
        Step::Any => (at < hits.len()).then(|| follow(rest, hits, at + 1, negative)).flatten(),
        Step::Gap => {
            (0..=GAP).filter(|skip| at + skip <= hits.len()).find_map(|skip| follow(rest, hits, at + skip, negative))
        }
    }
}
