//! What a counsellor's SMS asks for, in English, Kiswahili or French. Only a number in the rota
//! is ever read as a command; everything else is a survivor's message.

/// A counsellor's command. Case codes are upper-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `ACK <code>`, or plain `ACK` when one page is pending.
    Ack(Option<String>),
    /// `<code> <message>`: relay to the survivor.
    Relay {
        code: String,
        text: String,
    },
    /// `CALL <code>`: her number, when she said a call is safe and it is her safe time.
    Call(String),
    /// `PASS <code>`: hand the case to the next level.
    Pass(String),
    /// `CLOSE <code> [outcome]`.
    Close {
        code: String,
        outcome: String,
    },
    Who,
    Help,
    /// Nothing above; the answer is the help text.
    Unknown,
}

const ACK: [&str; 5] = ["ACK", "OK", "POKEA", "NIMEPOKEA", "ACCEPTE"];
const CALL: [&str; 4] = ["CALL", "PIGA", "APPEL", "APPELER"];
const PASS: [&str; 4] = ["PASS", "PITISHA", "PASSE", "PASSER"];
const CLOSE: [&str; 4] = ["CLOSE", "FUNGA", "FERMER", "CLORE"];
const WHO: [&str; 3] = ["WHO", "NANI", "QUI"];
const HELP: [&str; 4] = ["HELP", "MSAADA", "AIDE", "?"];

/// The characters case codes are made of: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G.
pub const CODE_ALPHABET: &[u8] = b"ACDEFHJKMNPRTUVWXY34679";
pub const CODE_LENGTH: usize = 5;

pub fn is_code(word: &str) -> bool {
    word.len() == CODE_LENGTH && word.bytes().all(|b| CODE_ALPHABET.contains(&b))
}

pub fn parse(text: &str) -> Command {
    let text = text.trim();
    let mut words = text.split_whitespace();
    let Some(first) = words.next().map(str::to_uppercase) else { return Command::Unknown };
    let code = words.next().map(str::to_uppercase);
    let rest = || text.split_whitespace().skip(2).collect::<Vec<_>>().join(" ");
    let is = |set: &[&str]| set.contains(&first.as_str());
    match code {
        _ if is(&ACK) => Command::Ack(code.filter(|c| is_code(c))),
        Some(code) if is(&CALL) => Command::Call(code),
        Some(code) if is(&PASS) => Command::Pass(code),
        Some(code) if is(&CLOSE) => Command::Close { code, outcome: rest() },
        None if is(&WHO) => Command::Who,
        None if is(&HELP) => Command::Help,
        _ if is_code(&first) => {
            let message = text[text.find(char::is_whitespace).unwrap_or(text.len())..].trim();
            if message.is_empty() { Command::Unknown } else { Command::Relay { code: first, text: message.to_owned() } }
        }
        _ => Command::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn commands_in_three_languages() {
        assert_eq!(parse("ACK K7MP3"), Command::Ack(Some("K7MP3".into())));
        assert_eq!(parse("ack"), Command::Ack(None));
        assert_eq!(parse("pokea k7mp3"), Command::Ack(Some("K7MP3".into())));
        assert_eq!(parse("OK K7MP3"), Command::Ack(Some("K7MP3".into())));
        assert_eq!(
            parse("K7MP3 Habari, niko hapa kukusaidia."),
            Command::Relay { code: "K7MP3".into(), text: "Habari, niko hapa kukusaidia.".into() }
        );
        assert_eq!(parse("k7mp3 hello"), Command::Relay { code: "K7MP3".into(), text: "hello".into() });
        assert_eq!(parse("CALL K7MP3"), Command::Call("K7MP3".into()));
        assert_eq!(parse("piga K7MP3"), Command::Call("K7MP3".into()));
        assert_eq!(parse("Appeler K7MP3"), Command::Call("K7MP3".into()));
        assert_eq!(parse("PASS K7MP3"), Command::Pass("K7MP3".into()));
        assert_eq!(parse("passer K7MP3"), Command::Pass("K7MP3".into()));
        assert_eq!(
            parse("CLOSE K7MP3 referred to 1195"),
            Command::Close { code: "K7MP3".into(), outcome: "referred to 1195".into() }
        );
        assert_eq!(parse("funga K7MP3"), Command::Close { code: "K7MP3".into(), outcome: String::new() });
        assert_eq!(parse("fermer K7MP3 orientée"), Command::Close { code: "K7MP3".into(), outcome: "orientée".into() });
        assert_eq!(parse("who"), Command::Who);
        assert_eq!(parse("NANI"), Command::Who);
        assert_eq!(parse("qui"), Command::Who);
        assert_eq!(parse("help"), Command::Help);
        assert_eq!(parse("AIDE"), Command::Help);
        assert_eq!(parse("K7MP3"), Command::Unknown, "a code alone relays nothing");
        assert_eq!(parse("hello there"), Command::Unknown);
        assert_eq!(parse(""), Command::Unknown);
    }

    #[test]
    fn codes_avoid_look_alike_characters() {
        assert!(is_code("K7MP3"));
        for bad in ["K0MP3", "KOMP3", "K1MP3", "KIMP3", "K7MP", "K7MP33", "k7mp3"] {
            assert!(!is_code(bad), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn any_text_parses_without_panicking(text in "\\PC{0,80}") {
            let _ = parse(&text);
        }
    }
}
