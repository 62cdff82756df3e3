//! Which lexicon words a message word stands for: the word itself, a prefix (`kill*`), a
//! Kiswahili verb root inside its prefixes (`-sukuma` in "ananisukuma", "wamemsukuma",
//! "hajanisukuma"), or the same word with one typing slip ("knfie", "strangeld").

use super::quick_hash::{QuickMap, QuickSet};

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
/// How such an ending begins: a final vowel (a, e, i), the applicative, causative and stative
/// extensions (i-, e-), the passive (w-) or the reciprocal (an-). Anything else is another verb
/// that happens to contain the letters: "anasoma" (she reads) is not `-nasa` (to trap) + "oma".
const EXTENSION_STARTS: [char; 4] = ['a', 'e', 'i', 'w'];

/// Every word form of one lexicon, indexed for a quick look-up per message word.
#[derive(Default)]
pub struct Vocabulary {
    exact: QuickMap<String, Vec<u32>>,
    /// Prefixes and roots by their first one or two letters: a message word is checked only
    /// against those that can fit it.
    prefixes: QuickMap<String, Vec<(String, Vec<u32>)>>,
    roots: QuickMap<String, Vec<(String, Vec<u32>)>>,
    /// Exact words long enough for a typing slip, by first letter and length; prefixes by first letter.
    slips: QuickMap<(u8, usize), Vec<Slip>>,
    prefix_slips: QuickMap<u8, Vec<Slip>>,
    /// Real words one letter from a lexicon word, never read as a slip ("cooking", "shout").
    real: QuickSet<String>,
}

/// A lexicon word a typing slip may stand for, with the letters it holds.
struct Slip {
    word: String,
    letters: u32,
    id: u32,
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
                add_once(self.prefixes.entry(head(p).to_owned()).or_default(), p, id);
                self.add_slip(p, true, id);
            }
            Form::Root(stem) => add_once(self.roots.entry(head(stem).to_owned()).or_default(), stem, id),
        }
    }

    fn add_slip(&mut self, word: &str, prefix: bool, id: u32) {
        // A prefix takes any ending, so a slip in a short one reads too many words ("would" for `wound*`).
        let least = if prefix { TYPO_MIN + 1 } else { TYPO_MIN };
        let Some(first) = word.bytes().next().filter(|_| word.len() >= least) else { return };
        let slip = Slip { word: word.to_owned(), letters: letters(word), id };
        if prefix {
            self.prefix_slips.entry(first).or_default().push(slip);
        } else {
            self.slips.entry((first, word.len())).or_default().push(slip);
        }
    }

    pub fn add_real_word(&mut self, word: String) {
        self.real.insert(word);
    }

    /// The lexicon words `token` stands for, pushed onto `hits`; whether it is a lexicon word as
    /// it stands (not only through a typing slip).
    pub fn look_up(&self, token: &str, hits: &mut Vec<Hit>) -> bool {
        let before = hits.len();
        let exact = self.exact.get(token);
        for id in exact.into_iter().flatten() {
            hits.push(Hit { word: *id, negative: false });
        }
        for len in [1, 2] {
            let candidates = token.get(..len).and_then(|h| self.prefixes.get(h));
            for (prefix, ids) in candidates.into_iter().flatten() {
                if token.starts_with(prefix.as_str()) {
                    hits.extend(ids.iter().map(|id| Hit { word: *id, negative: false }));
                }
            }
        }
        let root_places = if self.roots.is_empty() { 0 } else { PREFIX_MAX.min(token.len().saturating_sub(1)) };
        for at in 1..=root_places {
            for len in [1, 2] {
                let candidates = token.get(at..at + len).and_then(|h| self.roots.get(h));
                for (stem, ids) in candidates.into_iter().flatten() {
                    if let Some(negative) = root_at(token, at, stem) {
                        hits.extend(ids.iter().map(|id| Hit { word: *id, negative }));
                    }
                }
            }
        }
        let known = hits.len() > before;
        if exact.is_none() && token.len() >= TYPO_MIN && !self.real.contains(token) {
            self.slips_for(token, hits);
        }
        known
    }

    fn slips_for(&self, token: &str, hits: &mut Vec<Hit>) {
        let Some(first) = token.bytes().next() else { return };
        let n = token.len();
        let words = [n - 1, n, n + 1].into_iter().filter_map(|len| self.slips.get(&(first, len))).flatten();
        let held = letters(token);
        let slipped_words = words.filter(|s| near(held, s.letters) && one_slip(token, &s.word));
        // A prefix with a slip, then anything: "strangeld" for `strangl*`.
        let prefixes = self.prefix_slips.get(&first).into_iter().flatten().filter(|s| {
            let n = s.word.len();
            let slipped = |t: &str| near(letters(t), s.letters) && one_slip(t, &s.word);
            [n - 1, n, n + 1].into_iter().any(|k| token.get(..k).is_some_and(slipped))
        });
        let found: Vec<u32> = slipped_words.chain(prefixes).map(|s| s.id).collect();
        for id in found {
            if !hits.iter().any(|h| h.word == id) {
                hits.push(Hit { word: id, negative: false });
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

/// Which letters a word holds, a bit each (digits and other letters share bits). A typing slip
/// changes at most two bits, so most lexicon words are ruled out before they are compared.
fn letters(word: &str) -> u32 {
    word.bytes().fold(0, |held, b| held | 1 << (b & 31))
}

fn near(a: u32, b: u32) -> bool {
    (a ^ b).count_ones() <= 2
}

/// Files `id` under `word` in a look-up list, the word once however many phrases use it.
fn add_once(list: &mut Vec<(String, Vec<u32>)>, word: &str, id: u32) {
    match list.iter_mut().find(|(w, _)| w == word) {
        Some((_, ids)) => ids.push(id),
        None => list.push((word.to_owned(), vec![id])),
    }
}

/// The first one or two letters of a prefix or stem, its key in the look-up.
fn head(word: &str) -> &str {
    word.get(..2).unwrap_or(word)
}

/// Whether `token` is a Kiswahili verb on the stem: prefixes, the stem, an ending. `Some(true)`
/// when the verb is negative (ha-, si-).
#[cfg(test)]
pub fn carries_root(token: &str, stem: &str) -> Option<bool> {
    token.match_indices(stem).find_map(|(at, _)| root_at(token, at, stem))
}

/// Whether `token` carries the verb stem at `at`, after prefixes and before an ending.
fn root_at(token: &str, at: usize, stem: &str) -> Option<bool> {
    // A bare root is an imperative or a loanword ("killing"): not a verb telling what he does.
    if at == 0 || at > PREFIX_MAX || !token[at..].starts_with(stem) {
        return None;
    }
    let (before, after) = (&token[..at], &token[at + stem.len()..]);
    let ending_fits = if stem.len() <= 2 {
        SHORT_ROOT_ENDINGS.contains(&after)
    } else {
        after.len() <= ENDING_MAX && after.starts_with(EXTENSION_STARTS)
    };
    (ending_fits && prefixes_only(before, 0)).then(|| before.starts_with("ha") || before.starts_with("si"))
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
        assert_eq!(carries_root("anasoma", "nas"), None, "another verb holding the letters");
        assert_eq!(carries_root("amenaswa", "nas"), Some(false), "the passive");
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
