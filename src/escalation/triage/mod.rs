//! Risk triage of a survivor's free text: critical (danger to life or body now), high (serious,
//! time-bound harm) or normal, with the lexicon phrases that decided it.
//!
//! Recall comes first: a missed critical message means a survivor in danger waits, a false alarm
//! costs a counsellor a minute. So one strong phrase of a concept (a weapon, a threat to kill,
//! violence now, choking, being locked in, the abuser arriving, self-harm, a plea for help, a
//! child in danger; and for high: tracking, an address posted, accounts taken, sextortion,
//! images shared...) is enough for its level. Idioms ("my battery is dead"), negations ("he never
//! hit me") and dangers long past ("years ago", with no "now" or "again") lower it.
//!
//! The words live in `locales/<lang>/triage.toml`, which helpline staff can read and extend
//! without touching code (see the README, "Triage of her words"). Words are matched the way
//! people type them: see [`normalise`] and [`words`].

mod lexicon;
mod normalise;
mod phrases;
mod quick_hash;
pub mod report;
mod words;

use std::collections::BTreeMap;
use std::path::Path;

use lexicon::Lexicon;
use phrases::{Danger, Findings};

use crate::flow::Urgency;

/// What triage decided, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub urgency: Urgency,
    /// The phrases that counted, as written in the lexicon (never her words).
    pub reasons: Vec<String>,
    /// The concepts those phrases belong to ("weapon", "sextortion").
    pub concepts: Vec<String>,
    /// The language the message was read in.
    pub locale: String,
}

/// Every locale's lexicon.
pub struct Triage {
    lexicons: BTreeMap<String, Lexicon>,
}

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
        // Messages mix languages, and every lexicon reads a first message: a negation counts in
        // whichever language it is written.
        let negations: Vec<(String, Vec<String>)> =
            lexicons.iter().map(|(l, lexicon)| (l.clone(), lexicon.negations.clone())).collect();
        for (locale, lexicon) in &mut lexicons {
            for (_, foreign) in negations.iter().filter(|(l, _)| l != locale) {
                lexicon.borrow_negations(foreign);
            }
        }
        Ok(Triage { lexicons })
    }

    /// The locales that have a lexicon.
    pub fn locales(&self) -> impl Iterator<Item = &str> {
        self.lexicons.keys().map(String::as_str)
    }

    /// The locale whose common words the message holds most of; English when none match.
    pub fn detect(&self, text: &str) -> String {
        let folded = normalise::fold(text, false);
        let readings: Vec<_> = self.lexicons.iter().map(|(l, lexicon)| (l.as_str(), lexicon.read(&folded))).collect();
        most_likely(&readings).to_owned()
    }

    /// Triage in `locale`, and in English too: survivors write English loanwords ("nudes",
    /// "password") and switch to English mid-sentence, Sheng above all. With no locale (a first
    /// message) or one without a lexicon, every lexicon reads it and the highest urgency wins: a
    /// short message ("ananinyonga") has too few words to tell its language by, and a danger
    /// phrase in any language must count. The language is still detected, for the reply.
    pub fn classify(&self, text: &str, locale: Option<&str>) -> Verdict {
        let given = locale.filter(|l| self.lexicons.contains_key(*l));
        let folded = normalise::fold(text, false);
        let readings: Vec<(&str, Findings)> = self
            .lexicons
            .iter()
            .filter(|(l, _)| given.is_none_or(|g| g == l.as_str() || l.as_str() == "en"))
            .map(|(l, lexicon)| (l.as_str(), lexicon.read(&folded)))
            .collect();
        let locale = given.unwrap_or_else(|| most_likely(&readings)).to_owned();
        // "knife" with "onions" in any language: the weapon is a kitchen's.
        let harmless: Vec<&str> = readings.iter().flat_map(|(_, f)| f.harmless.iter().copied()).collect();
        let dangers: Vec<&Danger> = readings
            .iter()
            .flat_map(|(_, f)| &f.dangers)
            .filter(|d| !harmless.contains(&d.concept.name.as_str()))
            .collect();
        let past = readings.iter().any(|(_, f)| f.past) && !readings.iter().any(|(_, f)| f.now);
        let jest = readings.iter().any(|(_, f)| f.jest);
        let urgency = if past || jest { Urgency::Normal } else { urgency(&dangers) };
        let (mut reasons, mut concepts) = (Vec::new(), Vec::new());
        if urgency != Urgency::Normal {
            reasons = dangers.iter().map(|d| d.phrase.to_owned()).collect();
            concepts = dangers.iter().map(|d| d.concept.name.clone()).collect();
        }
        for list in [&mut reasons, &mut concepts] {
            list.sort();
            list.dedup();
        }
        Verdict { urgency, reasons, concepts, locale }
    }
}

/// The language with most common words; on a tie, the one with most danger phrases.
fn most_likely<'a>(readings: &[(&'a str, Findings)]) -> &'a str {
    let score = |f: &Findings| (f.markers, f.dangers.len());
    let best =
        readings.iter().filter(|(_, f)| f.markers > 0).max_by(|a, b| score(&a.1).cmp(&score(&b.1)).then(b.0.cmp(a.0)));
    best.map_or("en", |(l, _)| l)
}

/// One strong phrase sets its concept's level; two weak phrases of a level set it too, and one
/// weak phrase sets the level below.
fn urgency(dangers: &[&Danger]) -> Urgency {
    let strongest = dangers.iter().filter(|d| d.strong).map(|d| d.concept.level).max().unwrap_or(Urgency::Normal);
    // Weak phrases of a level over separate words ("il arrive" and "arrive" are one).
    let weak = |level: Urgency| {
        let mut spans: Vec<(usize, usize)> =
            dangers.iter().filter(|d| !d.strong && d.concept.level == level).map(|d| d.words).collect();
        spans.sort_unstable();
        let mut end = 0;
        let mut count = 0;
        for (start, stop) in spans {
            if count == 0 || start >= end {
                count += 1;
                end = stop;
            } else {
                end = end.max(stop);
            }
        }
        count
    };
    let (weak_critical, weak_high) = (weak(Urgency::Critical), weak(Urgency::High));
    let by_weak = if weak_critical >= 2 {
        Urgency::Critical
    } else if weak_critical == 1 || weak_high >= 2 {
        Urgency::High
    } else {
        Urgency::Normal
    };
    strongest.max(by_weak)
}

#[cfg(test)]
mod tests;
