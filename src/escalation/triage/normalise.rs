//! How a message becomes words: the same words however she typed them. Case, accents and
//! apostrophes are folded ("Il m’a frappée" and "il ma frappee" read alike), a lone elided
//! letter joins the next word ("m a" reads "ma"), repeated letters are squeezed ("pleeease",
//! "killl"), and SMS spellings are replaced by the words they stand for ("u" reads "you").

use super::quick_hash::QuickMap;

/// How a lexicon reads the words of a message.
#[derive(Default)]
pub struct Reading {
    /// Squeeze every run of a letter to one ("frappée", "frapée" alike); otherwise only runs of
    /// three or more, to two (Kiswahili "kuua", to kill, is not "kua", to grow).
    pub squeeze_all: bool,
    /// Lone letters that are elisions, joined to the next word.
    pub elisions: Vec<String>,
    /// SMS spellings and abbreviations, each read as the words it stands for.
    pub variants: QuickMap<String, Vec<String>>,
}

impl Reading {
    /// The message's words, folded, squeezed and with variants replaced; each with the place of
    /// the word it came from in the message, the same in every language's reading.
    /// `folded` is the message through [`fold`], done once for every language's reading.
    pub fn words(&self, folded: &str) -> Vec<(String, usize)> {
        let mut words = Vec::with_capacity(folded.len() / 4 + 4);
        // Each word squeezed once, into the one string it keeps, and read through the variants.
        let mut push = |word: &str, place: usize| {
            let word = squeeze(word, self.squeeze_all);
            match self.variants.get(&word) {
                Some(replacement) => words.extend(replacement.iter().map(|w| (w.clone(), place))),
                None => words.push((word, place)),
            }
        };
        let mut pending: Option<(&str, usize)> = None;
        for (place, word) in folded.split(' ').filter(|w| !w.is_empty()).enumerate() {
            if let Some((elided, at)) = pending.take() {
                push(&format!("{elided}{word}"), at);
            } else if self.elisions.iter().any(|e| e == word) {
                pending = Some((word, place));
            } else {
                push(word, place);
            }
        }
        if let Some((elided, at)) = pending {
            push(elided, at);
        }
        words
    }

    /// The word without a glued elision ("mempeche" is also "empeche", "lenferme" "enferme"), so
    /// that "il m'empêche" finds `empech*`.
    pub fn unelided<'a>(&self, word: &'a str) -> Option<&'a str> {
        let elision = self.elisions.iter().find(|e| word.starts_with(e.as_str()))?;
        let rest = &word[elision.len()..];
        rest.starts_with(['a', 'e', 'i', 'o', 'u', 'h', 'y']).then_some(rest).filter(|r| r.len() > 1)
    }

    /// A lexicon word as a message word would read (folded and squeezed, no variants).
    pub fn lexicon_word(&self, word: &str) -> String {
        squeeze(word, self.squeeze_all)
    }
}

/// Lower case, accents and apostrophes gone, anything else that is not a letter or a digit a
/// space; with `syntax`, the lexicon's `* _ ~ | -` stay.
pub fn fold(text: &str, syntax: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{b4}' => continue,
            'à' | 'â' | 'á' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'ɛ' => 'e',
            'î' | 'ï' | 'í' | 'ì' => 'i',
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' | 'ɔ' => 'o',
            'û' | 'ù' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            'ɖ' => 'd',
            'œ' => {
                out.push_str("oe");
                space = false;
                continue;
            }
            c if c.is_alphanumeric() => c,
            '*' | '_' | '~' | '|' | '-' if syntax => c,
            _ => ' ',
        };
        if folded == ' ' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(folded);
            space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Runs of one letter squeezed: to one letter with `all`, else runs of three or more to two.
/// Digits stay as they are ("100", "2000").
pub fn squeeze(word: &str, all: bool) -> String {
    let mut out = String::with_capacity(word.len());
    let (mut last, mut run) = ('\0', 0);
    for c in word.chars() {
        run = if c == last { run + 1 } else { 1 };
        last = c;
        let keep = c.is_ascii_digit() || run == 1 || (!all && run == 2);
        if keep {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_accents_and_apostrophes() {
        assert_eq!(fold("Il m’a DIT qu’il me tuerait, ça!", false), "il ma dit quil me tuerait ca");
        assert_eq!(fold("don't  stop -- kill* _", false), "dont stop kill");
        assert_eq!(fold("kill* _ -ua", true), "kill* _ -ua");
    }

    #[test]
    fn repeated_letters_and_elisions_read_alike() {
        let reading = Reading { squeeze_all: true, elisions: vec!["m".into(), "j".into()], ..Reading::default() };
        let words = |r: &Reading, t: &str| r.words(&fold(t, false)).into_iter().map(|(w, _)| w).collect::<Vec<_>>();
        assert_eq!(words(&reading, "il m a frappée"), words(&reading, "Il m'a frappee"));
        assert_eq!(reading.words("il m a frappee")[1], ("ma".to_owned(), 1));
        assert_eq!(words(&reading, "HEEELP pleeease killl"), ["help", "please", "kil"]);
        let swahili = Reading::default();
        assert_eq!(words(&swahili, "kuua nisaidieeee 2000"), ["kuua", "nisaidiee", "2000"]);
    }
}
