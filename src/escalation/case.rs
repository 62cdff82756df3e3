//! A case: one survivor's request for a counsellor, from the escalating choice to its close.
//!
//! It is stored as a hash of plain fields; the survivor's number and her note are sealed under
//! the case id. Every change is written with the version it was read at, so two gateways never
//! both move a case (the loser reads again).

use std::collections::HashMap;

use super::commands::{CODE_ALPHABET, CODE_LENGTH};
use crate::flow::Urgency;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Opened; the first page is due.
    Open,
    /// Pages went out; waiting for an acknowledgement.
    Paging,
    Acknowledged,
    Closed,
    /// Every level was paged without an answer; supervisors keep being paged.
    Unanswered,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Paging => "paging",
            State::Acknowledged => "acknowledged",
            State::Closed => "closed",
            State::Unanswered => "unanswered",
        }
    }

    fn parse(s: &str) -> Option<State> {
        [State::Open, State::Paging, State::Acknowledged, State::Closed, State::Unanswered]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// What she said about one way of reaching her: a case opened before she was asked (the danger
/// option, a critical SMS) says so, instead of a "no" she never gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Answer {
    Yes,
    No,
    #[default]
    NotAsked,
}

impl Answer {
    /// As stored: `yes`, `no`, or empty.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::NotAsked => "",
        }
    }

    /// A session field's value or a stored field; anything else is "not asked".
    pub fn parse(s: &str) -> Answer {
        match s {
            "yes" => Answer::Yes,
            "no" => Answer::No,
            _ => Answer::NotAsked,
        }
    }

    /// The word the admin API and the console's data use: `yes`, `no`, `not asked`.
    pub fn label(self) -> &'static str {
        match self {
            Answer::NotAsked => "not asked",
            other => other.as_str(),
        }
    }
}

/// When a survivor said a call is safe, in the helpline's local time.
pub fn call_window(call_time: &str) -> Option<(u32, u32)> {
    match call_time {
        "morning" => Some((8, 12)),
        "afternoon" => Some((12, 17)),
        "evening" => Some((17, 21)),
        "any" => Some((0, 24)),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub id: String,
    pub code: String,
    pub helpline: String,
    pub urgency: Urgency,
    pub category: String,
    pub locale: String,
    /// `ussd` or `sms`.
    pub channel: String,
    /// Who she is in the store (her pseudonym), so her SMS replies find the case.
    pub pseudonym: String,
    /// Her number, sealed under the case id.
    pub number: Vec<u8>,
    pub call_safe: Answer,
    /// `morning`, `afternoon`, `evening`, `any`, or empty when unknown.
    pub call_time: String,
    pub sms_safe: Answer,
    /// She left with the quick exit while a counsellor held her case: nothing more is relayed
    /// to her until she writes again.
    pub left: bool,
    /// The SMS asking how she may be reached went out and she has not answered it yet: her
    /// next `1`, `2` or `3` is her answer.
    pub asked: bool,
    /// Her own words, sealed under the case id (may be empty).
    pub note: Vec<u8>,
    /// She agreed that anonymous data about the case may be used in reports.
    pub consent: bool,
    pub state: State,
    /// Where the policy goes next when the timer fires.
    pub next_level: u32,
    pub next_round: u32,
    /// Counsellor ids paged last.
    pub paged: Vec<String>,
    /// The counsellor who acknowledged it.
    pub assigned: String,
    pub created_ms: u64,
    pub version: u64,
}

impl Case {
    /// Whether a counsellor may text her: she said SMS is safe, or she was not asked and
    /// started the conversation by SMS herself (an answer inside it is what she asked for).
    pub fn may_text(&self) -> bool {
        match self.sms_safe {
            Answer::Yes => true,
            Answer::No => false,
            Answer::NotAsked => self.channel == "sms",
        }
    }

    pub fn fields(&self) -> Vec<(&'static str, Vec<u8>)> {
        let s = |v: &str| v.as_bytes().to_vec();
        let flag = |b: bool| if b { b"yes".to_vec() } else { b"no".to_vec() };
        vec![
            ("code", s(&self.code)),
            ("helpline", s(&self.helpline)),
            ("urgency", s(self.urgency.as_str())),
            ("urgency_rank", (self.urgency as u8).to_string().into_bytes()),
            ("category", s(&self.category)),
            ("locale", s(&self.locale)),
            ("channel", s(&self.channel)),
            ("pseudonym", s(&self.pseudonym)),
            ("number", self.number.clone()),
            ("call_safe", s(self.call_safe.as_str())),
            ("call_time", s(&self.call_time)),
            ("sms_safe", s(self.sms_safe.as_str())),
            ("left", flag(self.left)),
            ("asked", flag(self.asked)),
            ("note", self.note.clone()),
            ("consent", flag(self.consent)),
            ("state", s(self.state.as_str())),
            ("next_level", self.next_level.to_string().into_bytes()),
            ("next_round", self.next_round.to_string().into_bytes()),
            ("paged", s(&self.paged.join(","))),
            ("assigned", s(&self.assigned)),
            ("created_ms", self.created_ms.to_string().into_bytes()),
        ]
    }

    /// `None` for a record that is not a whole case (erased, or from another version).
    pub fn from_fields(id: &str, mut f: HashMap<String, Vec<u8>>) -> Option<Case> {
        let mut text = |k: &str| f.remove(k).and_then(|v| String::from_utf8(v).ok());
        let urgency = Urgency::from_u8(text("urgency_rank")?.parse().ok()?)?;
        let version = text("version")?.parse().ok()?;
        Some(Case {
            id: id.to_owned(),
            code: text("code")?,
            helpline: text("helpline")?,
            urgency,
            category: text("category")?,
            locale: text("locale")?,
            channel: text("channel")?,
            pseudonym: text("pseudonym")?,
            call_safe: Answer::parse(&text("call_safe")?),
            call_time: text("call_time")?,
            sms_safe: Answer::parse(&text("sms_safe")?),
            left: text("left").is_some_and(|v| v == "yes"),
            asked: text("asked").is_some_and(|v| v == "yes"),
            state: State::parse(&text("state")?)?,
            next_level: text("next_level")?.parse().ok()?,
            next_round: text("next_round")?.parse().ok()?,
            paged: text("paged")?.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            assigned: text("assigned")?,
            created_ms: text("created_ms")?.parse().ok()?,
            number: f.remove("number")?,
            note: f.remove("note").unwrap_or_default(),
            consent: f.remove("consent").is_some_and(|v| v == b"yes"),
            version,
        })
    }
}

/// A random case code of [`CODE_ALPHABET`].
pub fn new_code() -> String {
    let mut bytes = [0u8; CODE_LENGTH];
    getrandom::fill(&mut bytes).expect("the operating system's random source is unavailable");
    bytes.iter().map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char).collect()
}

/// A random case id (never shown; codes are).
pub fn new_id() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the operating system's random source is unavailable");
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::escalation::commands::is_code;

    #[test]
    fn a_case_round_trips_through_its_fields() {
        let case = Case {
            id: "c1".into(),
            code: new_code(),
            helpline: "ke".into(),
            urgency: Urgency::Critical,
            category: "danger".into(),
            locale: "sw".into(),
            channel: "ussd".into(),
            pseudonym: "abc".into(),
            number: vec![1, 2, 3],
            call_safe: Answer::Yes,
            call_time: "evening".into(),
            sms_safe: Answer::NotAsked,
            left: true,
            asked: false,
            note: vec![],
            consent: true,
            state: State::Paging,
            next_level: 1,
            next_round: 0,
            paged: vec!["amina".into(), "brian".into()],
            assigned: String::new(),
            created_ms: 42,
            version: 3,
        };
        let mut fields: HashMap<String, Vec<u8>> = case.fields().into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        fields.insert("version".into(), b"3".to_vec());
        assert_eq!(Case::from_fields("c1", fields), Some(case.clone()));
        assert!(is_code(&case.code));
    }
}
