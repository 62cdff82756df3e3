//! The TOML a flow is written in (`flows/<id>.toml`), as read from disk and before any check.
//!
//! Text is never written here: `text` and `label` name Fluent messages in `locales/`.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowFile {
    /// Locales the helpline offers; the first is the default.
    pub locales: Vec<String>,
    /// Where a subscriber with no remembered language begins (usually the language screen).
    pub first: String,
    /// Where a subscriber whose language is remembered begins.
    pub start: String,
    pub nodes: BTreeMap<String, NodeDef>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum NodeDef {
    /// A menu (with options) or an information screen (without); `end` closes the session.
    Screen {
        text: String,
        /// Text for SMS instead of `text` (USSD screens are short; an SMS can say more).
        sms_text: Option<String>,
        #[serde(default)]
        options: Vec<OptionDef>,
        #[serde(default)]
        end: bool,
        /// An end screen that says a counsellor will contact her names here the message shown
        /// instead while no counsellor is on call: she is told so, never promised a call.
        unstaffed: Option<String>,
        #[serde(default)]
        actions: Vec<ActionDef>,
    },
    /// Free text kept in a session field.
    Input {
        text: String,
        sms_text: Option<String>,
        field: String,
        next: String,
        #[serde(default = "default_max_len")]
        max_len: usize,
        #[serde(default)]
        actions: Vec<ActionDef>,
    },
    /// One option per offered locale, each labelled in its own language.
    Language {
        text: String,
        next: String,
        /// Locales whose first screen is another, such as a partial locale's note that the rest
        /// of the screens are in its fallback language.
        #[serde(default)]
        next_for: BTreeMap<String, String>,
    },
    /// Goes on to the first case whose fields all hold the given values; never shown.
    Switch {
        #[serde(default)]
        cases: Vec<CaseDef>,
        default: String,
        #[serde(default)]
        actions: Vec<ActionDef>,
    },
}

fn default_max_len() -> usize {
    40
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionDef {
    pub label: String,
    pub next: String,
    #[serde(default)]
    pub actions: Vec<ActionDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseDef {
    pub when: BTreeMap<String, String>,
    pub next: String,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
pub enum ActionDef {
    Set {
        field: String,
        value: String,
    },
    SetLocale {
        locale: String,
    },
    Escalate {
        urgency: Urgency,
        category: String,
    },
    /// Her answers (how she may be reached, her note) go to the case she has open.
    UpdateContact,
}

/// How soon a counsellor must answer.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Normal = 0,
    High = 1,
    Critical = 2,
}

impl Urgency {
    pub fn from_u8(n: u8) -> Option<Self> {
        [Urgency::Normal, Urgency::High, Urgency::Critical].get(n as usize).copied()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Normal => "normal",
            Urgency::High => "high",
            Urgency::Critical => "critical",
        }
    }
}
