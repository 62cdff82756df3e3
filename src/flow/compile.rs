//! Turns a flow file into a [`Flow`]: names resolved to indices, and every screen rendered,
//! transliterated and paginated for every offered locale, so that a hop only picks a page.
//!
//! Everything that can be wrong with a flow is found here, at startup, with the file and the node
//! named: an unknown target, a message missing in an offered locale, an unreachable node, a screen
//! that cannot fit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fluent_bundle::FluentArgs;

mod screens;

use super::model::{ActionDef, FlowFile, NodeDef};
use super::{Action, Case, Choice, Flow, Kind, Node, NodeId, checks};
use crate::i18n::Catalog;

/// Messages the engine builds at run time rather than from a node, which every offered locale
/// must therefore resolve too: checked here so that a gap stops startup instead of showing an id.
pub const RUNTIME_MESSAGES: [&str; 17] = [
    "nav-more",
    "nav-footer",
    "sms-footer",
    "sms-neutral-first",
    "hint-invalid",
    "quick-exit",
    "service-unavailable",
    "triage-critical",
    "crisis-reach-sms",
    "crisis-reach-sms-nobody",
    "crisis-reach-sms-ok",
    "crisis-unstaffed",
    "case-unanswered",
    "language-name",
    "yes",
    "no",
    "time-any",
];

/// A helpline's settings that shape its screens.
pub struct Presentation<'a> {
    /// Screen limit in GSM-7 characters.
    pub screen_limit: usize,
    /// Transliterate USSD text to GSM-7 (French accents and the like).
    pub transliterate: bool,
    /// Transliterate SMS text to GSM-7 too.
    pub sms_transliterate: bool,
    /// Contact numbers, passed to every message as Fluent variables (`{ $police }`).
    pub contacts: &'a BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
#[error("{}{}: {reason}", file.display(), node.as_ref().map(|n| format!(", node `{n}`")).unwrap_or_default())]
pub struct FlowError {
    pub file: PathBuf,
    pub node: Option<String>,
    pub reason: String,
}

/// Reads, checks and renders one flow file.
pub fn compile(path: &Path, catalog: &Catalog, presentation: &Presentation) -> Result<Flow, FlowError> {
    let fail =
        |node: Option<&str>, reason: String| FlowError { file: path.to_owned(), node: node.map(str::to_owned), reason };
    let source = std::fs::read_to_string(path).map_err(|e| fail(None, format!("cannot read: {e}")))?;
    let file: FlowFile = toml::from_str(&source).map_err(|e| fail(None, e.to_string()))?;
    Compiler { file: &file, catalog, presentation, fail: &fail, fields: Vec::new(), categories: Vec::new() }
        .run(&source)
}

struct Compiler<'a> {
    file: &'a FlowFile,
    catalog: &'a Catalog,
    presentation: &'a Presentation<'a>,
    fail: &'a dyn Fn(Option<&str>, String) -> FlowError,
    fields: Vec<String>,
    categories: Vec<String>,
}

impl Compiler<'_> {
    fn run(mut self, source: &str) -> Result<Flow, FlowError> {
        let file = self.file;
        let fail = self.fail;
        if file.locales.is_empty() {
            return Err(fail(None, "`locales` must name at least one locale".into()));
        }
        for locale in &file.locales {
            if !self.catalog.has(locale) {
                return Err(fail(None, format!("locale {locale:?} has no folder under locales/")));
            }
        }
        if file.locales.len() > 9 {
            return Err(fail(None, "at most 9 locales fit on a language screen".into()));
        }
        let names: Vec<&String> = file.nodes.keys().collect();
        let id_of = |node: &str, target: &str| -> Result<NodeId, FlowError> {
            names
                .iter()
                .position(|n| *n == target)
                .map(|i| i as NodeId)
                .ok_or_else(|| fail(Some(node), format!("goes to unknown node `{target}`")))
        };
        let first = id_of("(first)", &file.first)?;
        let start = id_of("(start)", &file.start)?;

        let mut nodes = Vec::with_capacity(names.len());
        for (name, def) in &file.nodes {
            nodes.push(self.node(name, def, &id_of)?);
        }
        for entry in [first, start] {
            let node = &nodes[entry as usize];
            if !node.actions.is_empty() || matches!(node.kind, Kind::Switch { .. }) {
                return Err(fail(
                    Some(names[entry as usize]),
                    "a session's first node can have no actions and cannot be a switch".into(),
                ));
            }
        }
        checks::reachable(fail, &nodes, &names, [first, start])?;
        checks::no_switch_cycles(fail, &nodes, &names)?;
        checks::conditions_use_set_fields(fail, &nodes, &names, &self.fields)?;

        for locale in &file.locales {
            for id in RUNTIME_MESSAGES {
                self.message("(runtime messages)", locale, id)?;
            }
        }
        let locales = file.locales.clone();
        let quick_exit = self.single_screens("quick-exit")?;
        let unavailable = self.single_screens("service-unavailable")?;
        Ok(Flow {
            fingerprint: fnv1a32(source.as_bytes()),
            locales,
            first,
            start,
            names: names.into_iter().cloned().collect(),
            nodes,
            fields: self.fields,
            categories: self.categories,
            quick_exit,
            unavailable,
        })
    }

    fn node(
        &mut self,
        name: &str,
        def: &NodeDef,
        id_of: &dyn Fn(&str, &str) -> Result<NodeId, FlowError>,
    ) -> Result<Node, FlowError> {
        let fail = self.fail;
        let mut unstaffed = Vec::new();
        let (kind, actions, pages, sms) = match def {
            NodeDef::Screen { text, sms_text, options, end, actions, unstaffed: instead } => {
                if *end && !options.is_empty() {
                    return Err(fail(Some(name), "an end screen cannot have options".into()));
                }
                if options.len() > 97 {
                    return Err(fail(Some(name), "at most 97 options: 98 is More".into()));
                }
                let choices = options
                    .iter()
                    .map(|o| Ok(Choice { next: id_of(name, &o.next)?, actions: self.actions(name, &o.actions)? }))
                    .collect::<Result<_, FlowError>>()?;
                let labels: Vec<&str> = options.iter().map(|o| o.label.as_str()).collect();
                let pages = self.pages_per_locale(name, text, &labels, *end)?;
                let sms = self.sms_per_locale(name, sms_text.as_deref().unwrap_or(text), &labels, *end)?;
                unstaffed = match instead {
                    Some(_) if !*end => return Err(fail(Some(name), "only an end screen can have `unstaffed`".into())),
                    Some(id) => self.unstaffed(name, id)?,
                    None => Vec::new(),
                };
                (Kind::Screen { choices, end: *end }, self.actions(name, actions)?, pages, sms)
            }
            NodeDef::Input { text, sms_text, field, next, max_len, actions } => {
                if !(1..=60).contains(max_len) {
                    return Err(fail(Some(name), "max_len must be between 1 and 60".into()));
                }
                let kind = Kind::Input { field: self.field(name, field)?, next: id_of(name, next)?, max_len: *max_len };
                let sms = self.sms_per_locale(name, sms_text.as_deref().unwrap_or(text), &[], false)?;
                (kind, self.actions(name, actions)?, self.pages_per_locale(name, text, &[], false)?, sms)
            }
            NodeDef::Language { text, next, next_for } => {
                if let Some(locale) = next_for.keys().find(|l| !self.file.locales.contains(l)) {
                    return Err(fail(Some(name), format!("next_for names {locale:?}, which this flow does not offer")));
                }
                let choices = self
                    .file
                    .locales
                    .iter()
                    .enumerate()
                    .map(|(i, locale)| {
                        let next = id_of(name, next_for.get(locale).unwrap_or(next))?;
                        Ok(Choice { next, actions: vec![Action::SetLocale(i as u8)] })
                    })
                    .collect::<Result<_, FlowError>>()?;
                let (pages, sms) = self.language_screens(name, text)?;
                (Kind::Screen { choices, end: false }, Vec::new(), pages, sms)
            }
            NodeDef::Switch { cases, default, actions } => {
                let cases = cases
                    .iter()
                    .map(|c| {
                        let when = c.when.iter().map(|(f, v)| Ok((self.field(name, f)?, v.clone()))).collect::<Result<
                            _,
                            FlowError,
                        >>(
                        )?;
                        Ok(Case { when, next: id_of(name, &c.next)? })
                    })
                    .collect::<Result<_, FlowError>>()?;
                let kind = Kind::Switch { cases, default: id_of(name, default)? };
                (kind, self.actions(name, actions)?, Vec::new(), Vec::new())
            }
        };
        Ok(Node { kind, actions, pages, sms, unstaffed })
    }

    /// The one-page screen and the SMS of an `unstaffed` message, per locale.
    fn unstaffed(&self, name: &str, id: &str) -> Result<Vec<(String, String)>, FlowError> {
        let pages = self.pages_per_locale(name, id, &[], true)?;
        let sms = self.sms_per_locale(name, id, &[], true)?;
        pages
            .into_iter()
            .zip(sms)
            .map(|(pages, sms)| match pages.as_slice() {
                [page] => Ok((page.shown.clone(), sms)),
                _ => Err((self.fail)(Some(name), format!("`{id}` must fit on one screen"))),
            })
            .collect()
    }

    fn actions(&mut self, node: &str, defs: &[ActionDef]) -> Result<Vec<Action>, FlowError> {
        defs.iter()
            .map(|def| {
                Ok(match def {
                    ActionDef::Set { field, value } => {
                        Action::Set { field: self.field(node, field)?, value: value.clone() }
                    }
                    ActionDef::SetLocale { locale } => {
                        let index = self.file.locales.iter().position(|l| l == locale).ok_or_else(|| {
                            (self.fail)(Some(node), format!("set_locale to {locale:?}, which this flow does not offer"))
                        })?;
                        Action::SetLocale(index as u8)
                    }
                    ActionDef::UpdateContact => Action::UpdateContact,
                    ActionDef::Escalate { urgency, category } => {
                        if category.is_empty()
                            || category.len() > 24
                            || !category.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                        {
                            return Err((self.fail)(
                                Some(node),
                                format!("category {category:?} must be 1-24 letters a-z or _"),
                            ));
                        }
                        Action::Escalate {
                            urgency: *urgency,
                            category: intern(&mut self.categories, category, 255)
                                .ok_or_else(|| (self.fail)(Some(node), "too many categories".into()))?,
                        }
                    }
                })
            })
            .collect()
    }

    fn field(&mut self, node: &str, name: &str) -> Result<u8, FlowError> {
        intern(&mut self.fields, name, 255)
            .ok_or_else(|| (self.fail)(Some(node), "a flow can use at most 255 fields".into()))
    }

    /// Renders message `id` in `locale` (walking fallbacks), transliterated for USSD if the
    /// helpline asks.
    fn message(&self, node: &str, locale: &str, id: &str) -> Result<String, FlowError> {
        self.message_for(node, locale, id, self.presentation.transliterate)
    }

    fn sms_message(&self, node: &str, locale: &str, id: &str) -> Result<String, FlowError> {
        self.message_for(node, locale, id, self.presentation.sms_transliterate)
    }

    fn message_for(&self, node: &str, locale: &str, id: &str, transliterate: bool) -> Result<String, FlowError> {
        let mut args = FluentArgs::new();
        for (name, value) in self.presentation.contacts {
            args.set(name.as_str(), value.as_str());
        }
        let text =
            self.catalog.format(locale, id, &args).map_err(|e| (self.fail)(Some(node), e.to_string()))?.ok_or_else(
                || (self.fail)(Some(node), format!("message `{id}` is missing in locale {locale:?} and its fallbacks")),
            )?;
        let text = text.trim().to_owned();
        Ok(if transliterate { self.catalog.transliterate(locale, &text) } else { text })
    }
}

fn intern(names: &mut Vec<String>, name: &str, max: usize) -> Option<u8> {
    if let Some(i) = names.iter().position(|n| n == name) {
        return Some(i as u8);
    }
    if names.len() >= max {
        return None;
    }
    names.push(name.to_owned());
    Some((names.len() - 1) as u8)
}

/// A stable 32-bit hash (FNV-1a): stored sessions name the flow they were made with.
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(*b)).wrapping_mul(0x0100_0193))
}
