//! Flows: the menus a survivor walks, and the pure `step` that moves a session through them.
//!
//! Nothing here does I/O or reads the clock. A flow is compiled once at startup
//! ([`compile::compile`]); after that a hop is [`step::step`] on a [`Session`] and a look-up of
//! the page to show ([`Flow::screen`]).

mod checks;
pub mod compile;
pub mod model;
pub mod replay;
pub mod review;
pub mod session;
pub mod step;

pub use model::Urgency;
pub use session::Session;
pub use step::{Effect, begin, step};

pub type NodeId = u16;

/// A compiled flow: indices instead of names, every screen already rendered per locale.
#[derive(Debug)]
pub struct Flow {
    /// Hash of the flow file; a stored session made with another version is rebuilt.
    pub fingerprint: u32,
    /// Offered locales; a session's locale is an index into this.
    pub locales: Vec<String>,
    pub first: NodeId,
    pub start: NodeId,
    /// Node names, for logs and errors.
    pub names: Vec<String>,
    pub nodes: Vec<Node>,
    /// Session field names; a session stores the index.
    pub fields: Vec<String>,
    /// Escalation categories; a session stores the index.
    pub categories: Vec<String>,
    /// The neutral END screen of the quick exit, per locale.
    pub quick_exit: Vec<String>,
    /// The END screen shown when the store fails, with the emergency numbers, per locale.
    pub unavailable: Vec<String>,
}

#[derive(Debug)]
pub struct Node {
    pub kind: Kind,
    /// Run each time the node is entered going forward (not when coming back with 0).
    pub actions: Vec<Action>,
    /// Pages per locale (empty for a switch).
    pub pages: Vec<Vec<Page>>,
    /// The whole screen as one SMS, per locale (empty for a switch).
    pub sms: Vec<String>,
    /// What an end screen promising contact says instead while no counsellor is on call: one
    /// page and one SMS per locale (empty for every other node).
    pub unstaffed: Vec<(String, String)>,
}

#[derive(Debug)]
pub enum Kind {
    Screen { choices: Vec<Choice>, end: bool },
    Input { field: u8, next: NodeId, max_len: usize },
    Switch { cases: Vec<Case>, default: NodeId },
}

#[derive(Debug)]
pub struct Choice {
    pub next: NodeId,
    pub actions: Vec<Action>,
}

#[derive(Debug)]
pub struct Case {
    pub when: Vec<(u8, String)>,
    pub next: NodeId,
}

#[derive(Debug, Clone)]
pub enum Action {
    Set { field: u8, value: String },
    SetLocale(u8),
    Escalate { urgency: Urgency, category: u8 },
    UpdateContact,
}

/// One page, with the footer (`shown`) or with the invalid-input hint (`hinted`).
#[derive(Debug)]
pub struct Page {
    pub shown: String,
    pub hinted: String,
    /// The session ends with this page.
    pub end: bool,
}

impl Node {
    /// Nodes this one can lead to.
    pub fn targets(&self) -> impl Iterator<Item = NodeId> + '_ {
        let (many, one): (Vec<NodeId>, Option<NodeId>) = match &self.kind {
            Kind::Screen { choices, .. } => (choices.iter().map(|c| c.next).collect(), None),
            Kind::Input { next, .. } => (Vec::new(), Some(*next)),
            Kind::Switch { cases, default } => (cases.iter().map(|c| c.next).collect(), Some(*default)),
        };
        many.into_iter().chain(one)
    }
}

impl Flow {
    /// The text to show for a session and whether it ends the session.
    pub fn screen(&self, session: &Session) -> (&str, bool) {
        let locale = session.locale as usize;
        if session.exited {
            return (&self.quick_exit[locale], true);
        }
        let page = &self.nodes[session.node as usize].pages[locale][session.page as usize];
        (if session.hint { &page.hinted } else { &page.shown }, page.end)
    }

    /// The screen to show instead of [`Flow::screen`] while no counsellor is on call, when the
    /// session rests on a screen that promises contact; `(USSD, SMS)`.
    pub fn unstaffed(&self, session: &Session) -> Option<(&str, &str)> {
        if session.exited || session.hint {
            return None;
        }
        let (ussd, sms) = self.nodes[session.node as usize].unstaffed.get(session.locale as usize)?;
        Some((ussd, sms))
    }

    /// The SMS to send for a session; `None` after the quick exit, which sends nothing (an SMS
    /// saying goodbye would stay on the phone).
    pub fn sms(&self, session: &Session) -> Option<&str> {
        if session.exited {
            return None;
        }
        Some(&self.nodes[session.node as usize].sms[session.locale as usize])
    }

    /// Index of a locale code among the offered ones.
    pub fn locale_index(&self, code: &str) -> Option<u8> {
        self.locales.iter().position(|l| l == code).map(|i| i as u8)
    }

    /// Every page of every screen node, in every locale (for checks and tests).
    pub fn all_pages(&self) -> impl Iterator<Item = (&str, &str, &Page)> {
        self.nodes.iter().zip(&self.names).flat_map(move |(node, name)| {
            node.pages
                .iter()
                .zip(&self.locales)
                .flat_map(move |(pages, locale)| pages.iter().map(move |p| (name.as_str(), locale.as_str(), p)))
        })
    }
}
