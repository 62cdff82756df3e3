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
    septets(text).unwrap_or_else(|| text.encode_utf16().count() * 2)
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

#[cfg(test)]
mod tests {
    use super::*;

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
