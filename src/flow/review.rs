//! What a content reviewer reads without a crawler: every screen of a flow in every locale with
//! the inputs that reach it, its pages and their lengths (`salama check --screens`); and the
//! contact numbers a deployer has still to confirm (`locales/contacts-status.toml`).

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write;
use std::path::Path;

use serde::Deserialize;

use super::{Flow, Kind, NodeId};
use crate::i18n::gsm::screen_cost;

/// The shortest inputs from the menu (`start`) to each node, as dialled (`3*1`); nodes reached
/// only from `first` (the language screen) are reached from there. An input screen's answer is
/// written `<words>`; a switch is passed through.
pub fn paths(flow: &Flow) -> Vec<Option<String>> {
    let mut found: Vec<Option<String>> = vec![None; flow.nodes.len()];
    for entry in [flow.start, flow.first] {
        let mut queue = VecDeque::from([(entry, String::new())]);
        while let Some((id, path)) = queue.pop_front() {
            if found[id as usize].is_some() {
                continue;
            }
            found[id as usize] = Some(path.clone());
            let hop = |input: &str| if path.is_empty() { input.to_owned() } else { format!("{path}*{input}") };
            match &flow.nodes[id as usize].kind {
                Kind::Screen { choices, .. } => {
                    queue.extend(choices.iter().enumerate().map(|(i, c)| (c.next, hop(&(i + 1).to_string()))));
                }
                Kind::Input { next, .. } => queue.push_back((*next, hop("<words>"))),
                Kind::Switch { .. } => {
                    let targets: Vec<NodeId> = flow.nodes[id as usize].targets().collect();
                    queue.extend(targets.into_iter().map(|t| (t, path.clone())));
                }
            }
        }
    }
    found
}

/// Every screen in every locale: its path, page count, the longest page, then each page as shown.
pub fn screens_report(helpline: &str, flow: &Flow, limit: usize) -> String {
    let paths = paths(flow);
    let mut out = String::new();
    for (index, locale) in flow.locales.iter().enumerate() {
        let _ = writeln!(out, "== helpline {helpline} [{locale}] (limit {limit} characters a page) ==");
        for (id, node) in flow.nodes.iter().enumerate() {
            let Some(pages) = node.pages.get(index) else { continue };
            let path = paths[id].as_deref().map_or("unreachable".to_owned(), |p| {
                if p.is_empty() { "(where it starts)".to_owned() } else { p.to_owned() }
            });
            let longest = pages.iter().map(|p| screen_cost(&p.shown).max(screen_cost(&p.hinted))).max().unwrap_or(0);
            let _ = writeln!(
                out,
                "\n-- {} [{locale}]  path: {path}  pages: {}  longest: {longest}",
                flow.names[id],
                pages.len()
            );
            for (n, page) in pages.iter().enumerate() {
                let _ = writeln!(out, "   page {} ({} characters):", n + 1, screen_cost(&page.shown));
                for line in page.shown.lines() {
                    let _ = writeln!(out, "   | {line}");
                }
            }
        }
        let _ = writeln!(out);
    }
    out
}

/// The longest page of each locale and the count of screens (for the summary line).
pub fn longest_pages(flow: &Flow) -> Vec<(String, usize, String, usize)> {
    flow.locales
        .iter()
        .enumerate()
        .map(|(index, locale)| {
            let mut screens = 0;
            let mut longest = (String::new(), 0);
            for (node, name) in flow.nodes.iter().zip(&flow.names) {
                let Some(pages) = node.pages.get(index) else { continue };
                screens += 1;
                for page in pages {
                    let cost = screen_cost(&page.shown).max(screen_cost(&page.hinted));
                    if cost > longest.1 {
                        longest = (name.clone(), cost);
                    }
                }
            }
            (locale.clone(), screens, longest.0, longest.1)
        })
        .collect()
}

/// What `salama check` says about one helpline's content: its screens and longest page per
/// locale, a warning per unconfirmed contact, and with `screens` every screen in full.
pub fn content_report(
    helpline: &str,
    flow: &Flow,
    contacts: &BTreeMap<String, String>,
    limit: usize,
    status: &ContactStatus,
    screens: bool,
) -> String {
    let mut out = String::new();
    for (locale, count, node, longest) in longest_pages(flow) {
        let _ = writeln!(
            out,
            "helpline {helpline} [{locale}]: {count} screens, longest page {longest} characters (`{node}`)"
        );
    }
    for warning in status.warnings(helpline, contacts) {
        let _ = writeln!(out, "{warning}");
    }
    if screens {
        out.push_str(&screens_report(helpline, flow, limit));
    }
    out
}

/// `locales/contacts-status.toml`: each number or address shown, by its text in salama.toml.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ContactStatus {
    /// Checked against a primary or second source; the note says which and when.
    #[serde(default)]
    pub confirmed: BTreeMap<String, String>,
    /// To confirm before launch; the note says why.
    #[serde(default)]
    pub unconfirmed: BTreeMap<String, String>,
}

impl ContactStatus {
    /// Reads the status file; a missing file means nothing is confirmed.
    pub fn load(path: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// A warning for each contact of a helpline that is marked unconfirmed or has no entry.
    pub fn warnings(&self, helpline: &str, contacts: &BTreeMap<String, String>) -> Vec<String> {
        contacts
            .iter()
            .filter_map(|(name, value)| {
                let at = format!("helplines.{helpline}.contacts.{name} = {value:?}");
                if let Some(why) = self.unconfirmed.get(value) {
                    Some(format!("warning: {at} is unconfirmed ({why}): confirm it before launch"))
                } else if !self.confirmed.contains_key(value) {
                    Some(format!("warning: {at} has no source in contacts-status.toml: confirm it before launch"))
                } else {
                    None
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unconfirmed_and_unknown_contacts_warn_and_confirmed_ones_do_not() {
        let status: ContactStatus =
            toml::from_str("[confirmed]\n\"999\" = \"NPS site\"\n[unconfirmed]\n\"114\" = \"one source\"\n").unwrap();
        let contacts = BTreeMap::from([
            ("police".to_owned(), "999".to_owned()),
            ("support".to_owned(), "114".to_owned()),
            ("child".to_owned(), "555".to_owned()),
        ]);
        let warnings = status.warnings("bj", &contacts);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("contacts.support = \"114\" is unconfirmed (one source)")));
        assert!(warnings.iter().any(|w| w.contains("contacts.child = \"555\" has no source")));
    }
}
