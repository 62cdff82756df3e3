//! Measuring triage on a labelled set (`label<TAB>concept<TAB>message`): recall per level, the
//! confusion matrix and recall per concept, with the locale given and with it detected.

use std::collections::BTreeMap;
use std::fmt;

use super::Triage;
use crate::flow::Urgency;

/// One labelled message.
pub struct Example {
    pub locale: String,
    pub label: Urgency,
    pub concept: String,
    pub message: String,
}

/// Reads a set: one `label<TAB>concept<TAB>message` a line (or `label<TAB>message`), `#` lines
/// and blank lines skipped.
pub fn read_set(text: &str, locale: &str) -> Result<Vec<Example>, String> {
    let mut set = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let (label, concept, message) = match fields[..] {
            [label, message] => (label, "-", message),
            [label, concept, message] => (label, concept, message),
            _ => return Err(format!("line {}: not label<TAB>concept<TAB>message", n + 1)),
        };
        let label = match label.trim() {
            "critical" => Urgency::Critical,
            "high" => Urgency::High,
            "normal" => Urgency::Normal,
            other => return Err(format!("line {}: unknown label {other:?}", n + 1)),
        };
        let (locale, concept, message) = (locale.to_owned(), concept.trim().to_owned(), message.to_owned());
        set.push(Example { locale, label, concept, message });
    }
    Ok(set)
}

const LEVELS: [Urgency; 3] = [Urgency::Critical, Urgency::High, Urgency::Normal];

/// Triage's results on a set, read with its locale given or detected.
pub struct Evaluation {
    pub locale_given: bool,
    /// `[label][triage]`, in the order critical, high, normal.
    pub matrix: [[usize; 3]; 3],
    /// Per concept of the set: how many messages, how many got at least their label's level.
    pub concepts: BTreeMap<String, (usize, usize)>,
    /// The messages triaged below their label, with what triage said.
    pub misses: Vec<String>,
    /// Normal messages triaged critical.
    pub alarms: Vec<String>,
}

fn row(level: Urgency) -> usize {
    LEVELS.iter().position(|l| *l == level).unwrap_or(2)
}

pub fn evaluate(triage: &Triage, set: &[Example], locale_given: bool) -> Evaluation {
    let mut evaluation = Evaluation {
        locale_given,
        matrix: [[0; 3]; 3],
        concepts: BTreeMap::new(),
        misses: Vec::new(),
        alarms: Vec::new(),
    };
    for example in set {
        let verdict = triage.classify(&example.message, locale_given.then_some(example.locale.as_str()));
        evaluation.matrix[row(example.label)][row(verdict.urgency)] += 1;
        let entry = evaluation.concepts.entry(example.concept.clone()).or_default();
        entry.0 += 1;
        let line = || {
            format!(
                "  {} -> {} [{}, {}]: {} {:?}",
                example.label.as_str(),
                verdict.urgency.as_str(),
                example.locale,
                example.concept,
                example.message,
                verdict.reasons
            )
        };
        if verdict.urgency >= example.label {
            entry.1 += 1;
        } else {
            evaluation.misses.push(line());
        }
        if example.label == Urgency::Normal && verdict.urgency == Urgency::Critical {
            evaluation.alarms.push(line());
        }
    }
    evaluation
}

impl Evaluation {
    fn ratio(&self, hits: usize, of: usize) -> f64 {
        if of == 0 { 1.0 } else { hits as f64 / of as f64 }
    }

    /// Critical messages triaged critical.
    pub fn critical_recall(&self) -> f64 {
        self.ratio(self.matrix[0][0], self.matrix[0].iter().sum())
    }

    /// Critical and high messages triaged critical or high.
    pub fn serious_recall(&self) -> f64 {
        let caught = self.matrix[0][0] + self.matrix[0][1] + self.matrix[1][0] + self.matrix[1][1];
        self.ratio(caught, self.matrix[0].iter().chain(&self.matrix[1]).sum())
    }

    /// Normal messages triaged critical.
    pub fn normal_as_critical(&self) -> f64 {
        self.ratio(self.matrix[2][0], self.matrix[2].iter().sum())
    }
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let how = if self.locale_given { "locale given" } else { "locale detected" };
        writeln!(
            f,
            "{how}: rows are labels, columns triage\n{:>10} {:>9} {:>6} {:>7}",
            "", "critical", "high", "normal"
        )?;
        for (label, counts) in LEVELS.iter().zip(&self.matrix) {
            writeln!(f, "{:>10} {:>9} {:>6} {:>7}", label.as_str(), counts[0], counts[1], counts[2])?;
        }
        writeln!(
            f,
            "critical recall {:.1}%, critical+high recall {:.1}%, normal called critical {:.1}%",
            self.critical_recall() * 100.0,
            self.serious_recall() * 100.0,
            self.normal_as_critical() * 100.0
        )?;
        writeln!(f, "per concept (messages, reaching their label's level):")?;
        for (concept, (count, caught)) in &self.concepts {
            writeln!(f, "  {concept:<24} {caught:>3}/{count:<3} {:.0}%", self.ratio(*caught, *count) * 100.0)?;
        }
        writeln!(f, "below their label:")?;
        self.misses.iter().try_for_each(|m| writeln!(f, "{m}"))?;
        writeln!(f, "normal called critical:")?;
        self.alarms.iter().try_for_each(|m| writeln!(f, "{m}"))
    }
}
