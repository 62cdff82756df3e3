//! The checks a compiled flow must pass before the gateway starts, each naming the node at fault.

use std::collections::BTreeSet;

use super::compile::FlowError;
use super::step::QUICK_EXIT;
use super::{Action, Kind, Node, NodeId, Page};

pub type Fail<'a> = &'a dyn Fn(Option<&str>, String) -> FlowError;

/// Every page that keeps the session open shows the quick exit on its last line, after an input
/// that was not understood too: someone may walk in at any screen.
pub fn exit_shown(fail: Fail, node: &str, locale: &str, pages: &[Page]) -> Result<(), FlowError> {
    for (n, page) in pages.iter().enumerate().filter(|(_, p)| !p.end) {
        for (variant, text, message) in
            [("", &page.shown, "nav-footer"), (" after an invalid input", &page.hinted, "hint-invalid")]
        {
            let last = text.lines().last().unwrap_or_default();
            if !last.split_whitespace().any(|w| w == QUICK_EXIT) {
                return Err(fail(
                    Some(node),
                    format!(
                        "in locale {locale:?}, page {}{variant} does not show the quick exit {QUICK_EXIT}: `{message}` must",
                        n + 1
                    ),
                ));
            }
        }
    }
    Ok(())
}

pub fn reachable(fail: Fail, nodes: &[Node], names: &[&String], entries: [NodeId; 2]) -> Result<(), FlowError> {
    let mut seen = vec![false; nodes.len()];
    let mut todo: Vec<NodeId> = entries.to_vec();
    while let Some(id) = todo.pop() {
        if std::mem::replace(&mut seen[id as usize], true) {
            continue;
        }
        todo.extend(nodes[id as usize].targets());
    }
    match seen.iter().position(|s| !s) {
        Some(i) => Err(fail(Some(names[i]), "cannot be reached from `first` or `start`".into())),
        None => Ok(()),
    }
}

/// Switches chain into each other without input; a loop of them would never rest.
pub fn no_switch_cycles(fail: Fail, nodes: &[Node], names: &[&String]) -> Result<(), FlowError> {
    for (start, node) in nodes.iter().enumerate() {
        if !matches!(node.kind, Kind::Switch { .. }) {
            continue;
        }
        let mut todo = vec![(start as NodeId, 0usize)];
        while let Some((id, depth)) = todo.pop() {
            if depth > nodes.len() {
                return Err(fail(Some(names[start]), "switches form a loop with no screen in it".into()));
            }
            if let Kind::Switch { .. } = nodes[id as usize].kind {
                todo.extend(nodes[id as usize].targets().map(|t| (t, depth + 1)));
            }
        }
    }
    Ok(())
}

pub fn conditions_use_set_fields(
    fail: Fail,
    nodes: &[Node],
    names: &[&String],
    fields: &[String],
) -> Result<(), FlowError> {
    let mut set = BTreeSet::new();
    for node in nodes {
        let choice_actions = match &node.kind {
            Kind::Screen { choices, .. } => choices.iter().flat_map(|c| c.actions.iter()).collect(),
            _ => Vec::new(),
        };
        for action in node.actions.iter().chain(choice_actions) {
            if let Action::Set { field, .. } = action {
                set.insert(*field);
            }
        }
        if let Kind::Input { field, .. } = node.kind {
            set.insert(field);
        }
    }
    for (i, node) in nodes.iter().enumerate() {
        if let Kind::Switch { cases, .. } = &node.kind
            && let Some((field, _)) = cases.iter().flat_map(|c| c.when.iter()).find(|(f, _)| !set.contains(f))
        {
            return Err(fail(Some(names[i]), format!("tests field `{}`, which nothing sets", fields[*field as usize])));
        }
    }
    Ok(())
}
