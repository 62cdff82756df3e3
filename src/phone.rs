//! Phone numbers in E.164, and a type that cannot print one by accident.
//!
//! Parsing follows reference/crates.md §4: a number with `+` (or `00`) is parsed with no region,
//! because the crate corrupts a `+229` number parsed with Kenya as the region; bare digits that
//! start with a country code are tried as international first; only local forms (`07…`) use the
//! helpline's country. Benin's legacy 8-digit numbers get the `01` that Benin added in 2024.
//!
//! Every hop carries a number, and `phonenumber` reads it with regular expressions; the form the
//! providers send (`+254…`, `+229…`) is checked here first against the same ranges, without them.

use std::fmt;

use phonenumber::{Mode, country};

/// A valid number in E.164 form. `Display` and `Debug` mask it, so a log line cannot leak it;
/// [`E164::as_str`] is the only way to the digits.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct E164(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PhoneError {
    #[error("the phone number is empty")]
    Empty,
    #[error("the phone number has characters other than digits, spaces, + - . ( )")]
    Characters,
    #[error("not a valid phone number; send it in E.164 form, such as +254712345678 or +2290197123456")]
    Invalid,
}

/// The country whose local forms (`0712…`, `0197…`) a number may be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    Kenya,
    Benin,
}

impl E164 {
    pub fn parse(raw: &str, region: Option<Region>) -> Result<E164, PhoneError> {
        let raw = raw.trim();
        match Self::provider_form(raw) {
            Some(number) => Ok(number),
            None => Self::parse_any(raw, region),
        }
    }

    /// Any written form, through `phonenumber`.
    fn parse_any(raw: &str, region: Option<Region>) -> Result<E164, PhoneError> {
        if raw.is_empty() {
            return Err(PhoneError::Empty);
        }
        if !raw.chars().all(|c| c.is_ascii_digit() || " +-.()".contains(c)) || raw.len() > 32 {
            return Err(PhoneError::Characters);
        }
        let plus = raw.starts_with('+');
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let international = if plus { Some(digits.clone()) } else { digits.strip_prefix("00").map(str::to_owned) };
        if let Some(number) = international {
            return Self::international(&number).ok_or(PhoneError::Invalid);
        }
        // Bare digits: international if they read as one (providers such as Infobip drop the +).
        if let Some(number) = Self::international(&digits) {
            return Ok(number);
        }
        let region = match region.ok_or(PhoneError::Invalid)? {
            Region::Kenya => country::Id::KE,
            Region::Benin => country::Id::BJ,
        };
        let parsed = phonenumber::parse(Some(region), &digits).map_err(|_| PhoneError::Invalid)?;
        if !phonenumber::is_valid(&parsed) {
            // A Beninese local number of the old 8 digits: add the 01 of 2024.
            if region == country::Id::BJ && digits.len() == 8 {
                return Self::international(&format!("22901{digits}")).ok_or(PhoneError::Invalid);
            }
            return Err(PhoneError::Invalid);
        }
        Ok(E164(parsed.format().mode(Mode::E164).to_string()))
    }

    /// The form the providers send, `+` and the digits of a Kenyan or Beninese number, checked
    /// against the mobile and fixed ranges of `phonenumber`'s metadata without its regular
    /// expressions. `None` for anything else, which the full parser then reads.
    fn provider_form(raw: &str) -> Option<E164> {
        let digits = raw.strip_prefix('+')?;
        if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if let Some(national) = digits.strip_prefix("254") {
            // Mobile: 7xx, 10[0-8], 11x, 12[014], 130, 14[0-5], then six digits.
            let n = national.as_bytes();
            let mobile = national.len() == 9
                && match (n[0], n[1], n[2]) {
                    (b'7', _, _) | (b'1', b'1', _) => true,
                    (b'1', b'0', c) => c <= b'8',
                    (b'1', b'2', c) => matches!(c, b'0' | b'1' | b'4'),
                    (b'1', b'3', c) => c == b'0',
                    (b'1', b'4', c) => c <= b'5',
                    _ => false,
                };
            return mobile.then(|| E164(raw.to_owned()));
        }
        if digits.starts_with("229") {
            // 01 then 2 (fixed, and mobile 25-29) or a mobile 4x, 5x, 6x, 9x; eight digits are the
            // numbers from before Benin added the 01 in 2024.
            let d = digits.as_bytes();
            let national = match d.len() {
                13 if &d[3..5] == b"01" => &d[5..],
                11 => &d[3..],
                _ => return None,
            };
            let known = matches!(national[0], b'2' | b'4' | b'5' | b'6' | b'9');
            return known.then(|| E164(format!("+22901{}", &digits[digits.len() - 8..])));
        }
        None
    }

    /// Digits that start with a country code.
    fn international(digits: &str) -> Option<E164> {
        let digits = match digits.strip_prefix("229") {
            Some(national) if national.len() == 8 => format!("22901{national}"),
            _ => digits.to_owned(),
        };
        let parsed = phonenumber::parse(None, format!("+{digits}")).ok()?;
        phonenumber::is_valid(&parsed).then(|| E164(parsed.format().mode(Mode::E164).to_string()))
    }

    /// The digits, for the few places that must have them (pseudonyms, sending).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = &self.0;
        write!(f, "{}***{}", &n[..4.min(n.len())], &n[n.len().saturating_sub(2)..])
    }
}

impl fmt::Debug for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "E164({self})")
    }
}

/// Whether `number` (E.164) starts with `prefix`: a marked range such as the console
/// simulator's test numbers. No prefix, or an empty one, marks nothing.
pub fn in_marked_range(number: &str, prefix: Option<&str>) -> bool {
    prefix.is_some_and(|prefix| !prefix.is_empty() && number.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(raw: &str, region: Option<Region>) -> Result<String, PhoneError> {
        E164::parse(raw, region).map(|n| n.as_str().to_owned())
    }

    #[test]
    fn kenyan_numbers_in_every_common_form() {
        let cases = [
            ("+254712345678", None),
            ("+254 712 345 678", None),
            ("254712345678", None),
            ("00254712345678", None),
            ("0712345678", Some(Region::Kenya)),
            ("712345678", Some(Region::Kenya)),
            ("+254-712-345-678", Some(Region::Benin)),
        ];
        for (raw, region) in cases {
            assert_eq!(e164(raw, region), Ok("+254712345678".into()), "{raw}");
        }
        assert_eq!(e164("0110123456", Some(Region::Kenya)), Ok("+254110123456".into()));
        assert_eq!(e164("+254150123456", None), Err(PhoneError::Invalid), "150 is not a Kenyan mobile range");
    }

    #[test]
    fn beninese_numbers_new_and_legacy() {
        let cases = [
            ("+2290197123456", None),
            ("+229 01 97 12 34 56", Some(Region::Kenya)),
            ("2290197123456", None),
            ("0197123456", Some(Region::Benin)),
            ("+22997123456", None),
            ("22997123456", None),
            ("97123456", Some(Region::Benin)),
        ];
        for (raw, region) in cases {
            assert_eq!(e164(raw, region), Ok("+2290197123456".into()), "{raw}");
        }
    }

    #[test]
    fn bad_numbers_are_refused_with_a_reason() {
        assert_eq!(e164("", None), Err(PhoneError::Empty));
        assert_eq!(e164("*384*123#", Some(Region::Kenya)), Err(PhoneError::Characters));
        assert_eq!(e164("+254 71", None), Err(PhoneError::Invalid));
        assert_eq!(e164("0712345678", None), Err(PhoneError::Invalid), "a local form needs a region");
        assert_eq!(e164("hello", None), Err(PhoneError::Characters));
    }

    #[test]
    fn the_providers_form_takes_the_fast_path() {
        for raw in ["+254712345678", "+254110123456", "+2290197123456", "+22997123456", "+2290121123456"] {
            let fast = E164::provider_form(raw).unwrap_or_else(|| panic!("{raw} missed the fast path"));
            assert_eq!(Ok(fast), E164::parse_any(raw, None), "{raw}");
        }
        for raw in ["+254150123456", "+25420123456", "+2290187123456", "+2547123456789", "254712345678"] {
            assert_eq!(E164::provider_form(raw), None, "{raw} is left to phonenumber");
        }
    }

    #[test]
    fn printing_a_number_masks_it() {
        let n = E164::parse("+254712345678", None).unwrap();
        assert_eq!(n.to_string(), "+254***78");
        assert!(!format!("{n:?}").contains("712345"));
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_parses_to_e164_or_an_error(raw in "\\PC{0,40}", kenya: bool) {
            let region = if kenya { Region::Kenya } else { Region::Benin };
            if let Ok(number) = E164::parse(&raw, Some(region)) {
                prop_assert!(number.as_str().starts_with('+'));
                prop_assert_eq!(E164::parse(number.as_str(), None), Ok(number.clone()), "E.164 parses to itself");
            }
        }

        /// Whatever the fast path accepts, `phonenumber` reads the same way.
        #[test]
        fn the_fast_path_agrees_with_phonenumber(raw in "\\+(254[17][0-9]{8}|254[0-9]{9}|229(01)?[0-9]{8}|[0-9]{8,15})") {
            if let Some(fast) = E164::provider_form(&raw) {
                prop_assert_eq!(Ok(fast), E164::parse_any(&raw, None));
            }
        }
    }
}
