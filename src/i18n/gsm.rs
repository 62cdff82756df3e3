//! GSM 03.38 (GSM-7): which characters a basic phone can show, what they cost, and how to get
//! there from French, Kiswahili and Fon text.
//!
//! Why this matters: a single character outside GSM-7 switches a USSD screen or SMS to UCS-2,
//! which halves what fits and shows as junk on many basic phones (reference/protocols.md §6).

/// The basic table, one septet each (ETSI TS 123 038 §6.2.1, with capital Ç at 0x09; ESC left out).
const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// The extension table: each costs two septets (escape + character).
const EXTENSION: &str = "\u{c}^{}\\[~]|€";

/// Septets `c` costs in GSM-7, or `None` when GSM-7 cannot carry it.
pub fn septets_of(c: char) -> Option<usize> {
    if c.is_ascii_alphanumeric() || c == ' ' {
        return Some(1); // the common case, without scanning the tables
    }
    if BASIC.contains(c) {
        Some(1)
    } else if EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Septets the whole text costs, or `None` when it needs UCS-2.
pub fn septets(text: &str) -> Option<usize> {
    text.chars().map(septets_of).sum()
}

/// What a text costs against a screen limit counted in GSM-7 characters.
///
/// A UCS-2 text is counted at two units a character: a 160-unit limit then holds 80
/// characters, which is what the 160 octets of a USSD string carry in UCS-2.
pub fn screen_cost(text: &str) -> usize {
    Cost::of(text).screen()
}

/// A text's cost kept in both encodings, so that the cost of texts joined is the sum of theirs:
/// pagination tries many joins of the same lines without building them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// `None`: some character needs UCS-2, and so does any text it is joined to.
    septets: Option<usize>,
    utf16: usize,
}

impl Cost {
    pub const ZERO: Cost = Cost { septets: Some(0), utf16: 0 };

    pub fn of(text: &str) -> Cost {
        Cost { septets: septets(text), utf16: text.encode_utf16().count() }
    }

    /// What it costs against a screen limit ([`screen_cost`]).
    pub fn screen(self) -> usize {
        self.septets.unwrap_or(self.utf16 * 2)
    }
}

impl std::ops::Add for Cost {
    type Output = Cost;
    fn add(self, other: Cost) -> Cost {
        Cost { septets: self.septets.zip(other.septets).map(|(a, b)| a + b), utf16: self.utf16 + other.utf16 }
    }
}

/// Replaces characters that GSM-7 lacks with the nearest ones it has.
///
/// `extra` holds a locale's own replacements (from `locales/<lang>/locale.toml`) and wins over
/// the shared table. Characters with no replacement are kept, so `septets` can still report them.
pub fn transliterate(text: &str, extra: &[(char, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if let Some((_, to)) = extra.iter().find(|(from, _)| *from == c) {
            out.push_str(to);
        } else if septets_of(c).is_some() {
            out.push(c);
        } else if let Some(to) = shared_replacement(c) {
            out.push_str(to);
        } else if !is_combining_mark(c) {
            out.push(c);
        }
    }
    out
}

/// Combining accents (U+0300..U+036F), as Fon tone marks are often typed: dropped.
fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

fn shared_replacement(c: char) -> Option<&'static str> {
    Some(match c {
        // French letters outside the basic table
        'â' | 'á' | 'ǎ' | 'ã' => "a",
        'ê' | 'ë' | 'ě' | 'ẽ' => "e",
        'î' | 'ï' | 'í' | 'ĩ' => "i",
        'ô' | 'ó' | 'õ' => "o",
        'û' | 'ú' | 'ũ' => "u",
        'ÿ' => "y",
        'ç' => "c",
        'œ' => "oe",
        'Œ' => "OE",
        'À' | 'Â' | 'Á' => "A",
        'È' | 'Ê' | 'Ë' => "E",
        'Î' | 'Ï' | 'Í' => "I",
        'Ô' | 'Ó' => "O",
        'Ù' | 'Û' | 'Ú' => "U",
        'Ÿ' => "Y",
        // Fon letters
        'ɖ' => "d",
        'Ɖ' => "D",
        'ɛ' => "e",
        'Ɛ' => "E",
        'ɔ' => "o",
        'Ɔ' => "O",
        'ŋ' => "ng",
        'Ŋ' => "Ng",
        // typography that phones' keyboards and translators bring in
        '\u{2019}' | '\u{2018}' | '\u{2032}' => "'",
        '\u{201c}' | '\u{201d}' | '«' | '»' => "\"",
        '\u{2013}' | '\u{2014}' => "-",
        '\u{2026}' => "...",
        '\u{a0}' | '\u{202f}' | '\u{2009}' => " ",
        _ => return None,
    })
}

/// How an SMS travels: GSM-7 (160 a message, 153 a part) or UCS-2 (70, 67).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

/// The parts an SMS is sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segments {
    pub encoding: Encoding,
    pub count: usize,
}

/// Counts the parts of an SMS. One part holds 160 septets or 70 UCS-2 units; a longer message
/// spends room on the concatenation header (153 and 67 a part), and a character never straddles
/// two parts (an extension character's escape stays with it; so do both halves of a surrogate pair).
pub fn segments(text: &str) -> Segments {
    let (encoding, single, part): (Encoding, usize, usize) =
        if septets(text).is_some() { (Encoding::Gsm7, 160, 153) } else { (Encoding::Ucs2, 70, 67) };
    let cost = |c: char| match encoding {
        Encoding::Gsm7 => septets_of(c).unwrap_or(1),
        Encoding::Ucs2 => c.len_utf16(),
    };
    let total: usize = text.chars().map(cost).sum();
    if total <= single {
        return Segments { encoding, count: 1 };
    }
    let (mut count, mut used) = (1, 0);
    for c in text.chars() {
        if used + cost(c) > part {
            count += 1;
            used = 0;
        }
        used += cost(c);
    }
    Segments { encoding, count }
}

/// Splits a text into messages of at most `max_segments` parts each, at spaces where it can.
pub fn split_sms(text: &str, max_segments: usize) -> Vec<String> {
    let fits = |t: &str| segments(t).count <= max_segments;
    if fits(text) {
        return vec![text.to_owned()];
    }
    let mut parts = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
        if fits(&candidate) {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            parts.push(std::mem::take(&mut current));
        }
        // A single word longer than a message: cut it by characters.
        for c in word.chars() {
            current.push(c);
            if !fits(&current) {
                current.pop();
                parts.push(std::mem::replace(&mut current, c.to_string()));
            }
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sms_segments_follow_160_153_and_70_67() {
        let gsm = |n| Segments { encoding: Encoding::Gsm7, count: n };
        let ucs = |n| Segments { encoding: Encoding::Ucs2, count: n };
        assert_eq!(segments(&"a".repeat(160)), gsm(1));
        assert_eq!(segments(&"a".repeat(161)), gsm(2));
        assert_eq!(segments(&"a".repeat(306)), gsm(2));
        assert_eq!(segments(&"a".repeat(307)), gsm(3));
        assert_eq!(segments(&format!("{}€", "a".repeat(158))), gsm(1), "€ costs two: 160");
        assert_eq!(segments(&format!("{}€", "a".repeat(159))), gsm(2));
        let straddling = format!("{}€{}", "a".repeat(152), "a".repeat(152));
        assert_eq!(segments(&straddling), gsm(3), "306 septets, but the escape and € stay in one part");
        assert_eq!(segments(&"ç".repeat(70)), ucs(1));
        assert_eq!(segments(&"ç".repeat(71)), ucs(2));
        assert_eq!(segments(&"ç".repeat(134)), ucs(2));
        assert_eq!(segments(&"ç".repeat(135)), ucs(3));
        assert_eq!(segments(&format!("{}😀", "a".repeat(66))), ucs(1), "a surrogate pair is two units: 68 <= 70");
    }

    proptest! {
        #[test]
        fn split_messages_fit_and_keep_every_word(words in proptest::collection::vec("[a-zç€]{1,12}", 0..120), max in 1usize..4) {
            let text = words.join(" ");
            let parts = split_sms(&text, max);
            for part in &parts {
                prop_assert!(segments(part).count <= max, "{part}");
            }
            prop_assert_eq!(parts.join(" ").split_whitespace().collect::<String>(), text.split_whitespace().collect::<String>());
        }

        #[test]
        fn the_cost_of_joined_texts_is_the_sum_of_theirs(a in "[a-zç€ɔ\n ]{0,40}", b in "[a-zç€😀 ]{0,40}") {
            prop_assert_eq!(Cost::of(&a) + Cost::of(&b), Cost::of(&format!("{a}{b}")));
            prop_assert_eq!((Cost::of(&a) + Cost::of(&b)).screen(), screen_cost(&format!("{a}{b}")));
        }
    }

    #[test]
    fn plain_english_and_kiswahili_cost_one_septet_a_character() {
        assert_eq!(septets("Karibu, chagua lugha: 1. Kiswahili"), Some(34));
    }

    #[test]
    fn extension_characters_cost_two() {
        assert_eq!(septets("€[]"), Some(6));
    }

    #[test]
    fn french_accents_outside_the_table_force_ucs2() {
        assert_eq!(septets("ça"), None);
        assert_eq!(screen_cost("ça"), 4);
        assert_eq!(septets("é à è ù"), Some(7));
    }

    #[test]
    fn transliteration_reaches_gsm7_for_french_and_fon() {
        let fr = transliterate("Reçu ? S’il est là… être « sûr » — Œuvre", &[]);
        assert_eq!(fr, "Recu ? S'il est là... etre \" sur \" - OEuvre");
        assert!(septets(&fr).is_some());
        let fon = transliterate("Fɔngbè ɖò a\u{301}", &[]);
        assert!(septets(&fon).is_some(), "{fon}");
    }

    #[test]
    fn a_locale_can_override_the_shared_table() {
        assert_eq!(transliterate("ç", &[('ç', "Ç".into())]), "Ç");
    }
}
