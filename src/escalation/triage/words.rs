//! Which lexicon words a message word stands for: the word itself, a prefix (`kill*`), a
//! Kiswahili verb root inside its prefixes (`-sukuma` in "ananisukuma", "wamemsukuma",
//! "hajanisukuma"), or the same word with one typing slip ("knfie", "strangeld").

use std::collections::{HashMap, HashSet};

/// One lexicon word, as written: `knife`, `kill*`, `-piga`, or alternatives `he|she`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Form {
    Exact(String),
    Prefix(String),
    /// A verb root: its stem (the root less a final `a`), found after Kiswahili prefixes.
    Root(String),
}

/// Words shorter than this are never read as typing slips: too many real words lie one
/// letter from "kill" or "gun".
const TYPO_MIN: usize = 5;
/// The most letters of subject, tense, relative and object prefixes before a root.
const PREFIX_MAX: usize = 12;
/// Kiswahili verb prefixes, slot by slot, each slot optional: negation (ha, si), subject (ni, u,
/// a, tu, m, wa, and the noun classes), tense or aspect (na, li, ta, me, ja, ki, ku, nge, hu, ka;
/// up to two: "atakayeniua"), relative (ye, o, cho...) and object (ni, ku, m, mw, tu, wa, ji...).
const SLOTS: [&[&str]; 6] = [
    &["ha", "si"],
    &["ni", "n", "u", "a", "tu", "m", "mu", "wa", "w", "i", "li", "ki", "vi", "zi", "ya", "ku", "pa"],
    &["na", "li", "ta", "me", "ja", "ki", "ku", "nge", "ngali", "ngeli", "hu", "ka", "sha"],
    &["ka", "ki", "ta"],
    &["ye", "o", "cho", "vyo", "zo", "lo", "po", "ko", "mo", "yo", "vyo"],
    &["ni", "ku", "m", "mu", "mw", "tu", "wa", "ji", "ki", "vi", "i", "zi", "li", "ya", "u", "w"],
];
/// What may follow a root of one or two letters ("-ua", to kill: ataniua, ameuawa, aniue).
const SHORT_ROOT_ENDINGS: [&str; 12] = ["a", "e", "i", "wa", "awa", "iwa", "liwa", "ana", "ia", "ie", "iwe", "we"];
/// What may follow a longer root: extensions and final vowel ("-pig": nipigie, amepigwa).
const ENDING_MAX: usize = 8;

/// Every word form of one lexicon, indexed for a quick look-up per message word.
#[derive(Default)]
pub struct Vocabulary {
    exact: HashMap<String, Vec<u32>>,
    prefixes: Vec<(String, u32)>,
    roots: Vec<(String, u32)>,
    /// Exact words and prefixes long enough for a typing slip, by first letter.
    slips: HashMap<char, Vec<(String, bool, u32)>>,
    /// Real words one letter from a lexicon word, never read as a slip ("cooking", "shout").
    real: HashSet<String>,
}

/// A message word standing for a lexicon word; `negative` when a Kiswahili verb carries the
/// root in a negative form ("hajanipiga", he has not beaten me).
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub word: u32,
    pub negative: bool,
}

impl Vocabulary {
    pub fn add(&mut self, form: &Form, id: u32) {
        match form {
            Form::Exact(w) => {
                self.exact.entry(w.clone()).or_default().push(id);
                self.add_slip(w, false, id);
            }
            Form::Prefix(p) => {
                self.prefixes.push((p.clone(), id));
                self.add_slip(p, true, id);
            }
            Form::Root(stem) => self.roots.push((stem.clone(), id)),
        }
    }

    fn add_slip(&mut self, word: &str, prefix: bool, id: u32) {
        // A prefix takes any ending, so a slip in a short one reads too many words ("would" for `wound*`).
        let least = if prefix { TYPO_MIN + 1 } else { TYPO_MIN };
        if let Some(first) = word.chars().next().filter(|_| word.chars().count() >= least) {
            self.slips.entry(first).or_default().push((word.to_owned(), prefix, id));
        }
    }

    pub fn add_real_word(&mut self, word: String) {
        self.real.insert(word);
    }

    /// The lexicon words `token` stands for, pushed onto `hits`.
    pub fn look_up(&self, token: &str, hits: &mut Vec<Hit>) {
        let exact = self.exact.get(token);
        for id in exact.into_iter().flatten() {
            hits.push(Hit { word: *id, negative: false });
        }
        for (prefix, id) in &self.prefixes {
            if token.starts_with(prefix.as_str()) {
                hits.push(Hit { word: *id, negative: false });
            }
        }
        for (stem, id) in &self.roots {
            if let Some(negative) = carries_root(token, stem) {
                hits.push(Hit { word: *id, negative });
            }
        }
        if exact.is_none() && token.len() >= TYPO_MIN && !self.real.contains(token) {
            self.slips_for(token, hits);
        }
    }

    fn slips_for(&self, token: &str, hits: &mut Vec<Hit>) {
        let Some(candidates) = token.chars().next().and_then(|c| self.slips.get(&c)) else { return };
        for (word, prefix, id) in candidates {
            if hits.iter().any(|h| h.word == *id) {
                continue;
            }
            let slipped = if *prefix {
                // The prefix with a slip, then anything: "strangeld" for `strangl*`.
                let n = word.len();
                [n - 1, n, n + 1].into_iter().any(|k| token.get(..k).is_some_and(|t| one_slip(t, word)))
            } else {
                one_slip(token, word)
            };
            if slipped {
                hits.push(Hit { word: *id, negative: false });
            }
        }
    }
}

/// `a` and `b` differ by at most one letter added, dropped, changed, or two neighbours swapped;
/// in words of five letters, a changed letter is another word too often ("speak", "spear").
pub fn one_slip(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b {
        return true;
    }
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let i = long.iter().zip(short).take_while(|(x, y)| x == y).count();
    if long.len() != short.len() {
        return long[i + 1..] == short[i..];
    }
    (long.len() > TYPO_MIN && long[i + 1..] == short[i + 1..])
        || (i + 1 < long.len() && long[i] == short[i + 1] && long[i + 1] == short[i] && long[i + 2..] == short[i + 2..])
}

/// Whether `token` is a Kiswahili verb on the stem: prefixes, the stem, an ending. `Some(true)`
/// when the verb is negative (ha-, si-).
pub fn carries_root(token: &str, stem: &str) -> Option<bool> {
    let short = stem.len() <= 2;
    for (at, _) in token.match_indices(stem) {
        let (before, after) = (&token[..at], &token[at + stem.len()..]);
        // A bare root is an imperative or a loanword ("killing"): not a verb telling what he does.
        if at > PREFIX_MAX || at == 0 {
            continue;
        }
        let ending_fits = if short { SHORT_ROOT_ENDINGS.contains(&after) } else { after.len() <= ENDING_MAX };
        if ending_fits && prefixes_only(before, 0) {
            return Some(before.starts_with("ha") || before.starts_with("si"));
        }
    }
    None
}

/// `text` is made of verb prefixes in their order, from slot `slot` on.
fn prefixes_only(text: &str, slot: usize) -> bool {
    text.is_empty()
        || SLOTS[slot.min(SLOTS.len())..].iter().enumerate().any(|(i, morphemes)| {
            morphemes.iter().any(|m| text.strip_prefix(m).is_some_and(|rest| prefixes_only(rest, slot + i + 1)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_root_is_found_inside_its_prefixes() {
        for verb in ["ananisukuma", "amenisukuma", "atanisukuma", "wanamsukuma", "walimsukumia", "hunisukuma"] {
            assert_eq!(carries_root(verb, "sukum"), Some(false), "{verb}");
        }
        assert_eq!(carries_root("hajanisukuma", "sukum"), Some(true));
        for verb in ["ataniua", "kuua", "ameuawa", "aniue", "nitamuua"] {
            assert_eq!(carries_root(verb, "u"), Some(false), "{verb}");
        }
        for word in ["kua", "wanaume", "ua", "mauaji", "nimenunua"] {
            assert_eq!(carries_root(word, "u"), None, "{word}");
        }
        assert_eq!(carries_root("xyzsukuma", "sukum"), None);
        assert_eq!(carries_root("sukuma", "sukum"), None, "bare");
    }

    #[test]
    fn one_typing_slip_is_forgiven() {
        for (typed, word) in [("knfie", "knife"), ("knie", "knife"), ("kniffe", "knife"), ("stabbd", "stabbed")] {
            assert!(one_slip(typed, word), "{typed}");
        }
        assert!(!one_slip("kinfe", "knives"));
        assert!(!one_slip("speak", "spear"), "a changed letter in five");
        assert!(one_slip("choking", "chokng"));
        let mut vocabulary = Vocabulary::default();
        vocabulary.add(&Form::Prefix("strangl".into()), 0);
        vocabulary.add(&Form::Exact("choking".into()), 1);
        vocabulary.add_real_word("cooking".into());
        let ids = |t: &str| {
            let mut hits = Vec::new();
            vocabulary.look_up(t, &mut hits);
            hits.iter().map(|h| h.word).collect::<Vec<_>>()
        };
        assert_eq!(ids("strangeld"), [0]);
        assert_eq!(ids("chokin"), [1]);
        assert!(ids("cooking").is_empty(), "a real word is not a slip");
    }
}
