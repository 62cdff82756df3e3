//! One input applied to one session: the whole menu logic, pure.
//!
//! Reserved inputs work on every screen: `00` quick exit, `0` back (a page, then a screen),
//! `98` next page. Anything else goes to the screen: an option number, or free text on an input.

use super::session::{BACK_DEPTH, Escalation, MAX_ESCALATIONS};
use super::{Action, Flow, Kind, NodeId, Session, Urgency};

pub const QUICK_EXIT: &str = "00";
pub const BACK: &str = "0";
pub const MORE: &str = "98";

/// What a hop asks the world to do, beyond changing the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Remember this locale for the subscriber's later sessions.
    RememberLocale(u8),
    /// A counsellor is needed. Once per category and urgency in a session: going in and out of
    /// the danger screen opens one case, not one per visit.
    Escalate { hop: u16, urgency: Urgency, category: u8 },
    /// Her answers changed (how she may be reached, her note): update the case she has open.
    UpdateContact,
}

/// A new session: on the `start` node in the remembered locale, or on `first` when there is none.
pub fn begin(flow: &Flow, remembered: Option<u8>) -> Session {
    let remembered = remembered.filter(|l| (*l as usize) < flow.locales.len());
    Session {
        began_in: remembered,
        locale: remembered.unwrap_or(0),
        node: if remembered.is_some() { flow.start } else { flow.first },
        ..Session::default()
    }
}

/// Applies one input; returns the effects, in order.
pub fn step(flow: &Flow, session: &mut Session, input: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    session.hops = session.hops.saturating_add(1);
    session.hint = false;
    // The engine answers a quick exit before it loads or steps anything (her goodbye needs no
    // store); a `00` met here is one replayed inside a rebuilt path, which only ends the session.
    if input == QUICK_EXIT {
        session.exited = true;
        session.ended = true;
        return effects;
    }
    if session.ended {
        return effects; // nothing follows an END; a late input sees the same screen
    }
    let node = &flow.nodes[session.node as usize];
    let pages = node.pages[session.locale as usize].len();
    if input == MORE && (session.page as usize) + 1 < pages {
        session.page += 1;
        return effects;
    }
    if input == BACK {
        if session.page > 0 {
            session.page -= 1;
        } else if let Some(previous) = session.back.pop() {
            session.node = previous;
        }
        return effects;
    }
    match &node.kind {
        Kind::Screen { choices, .. } => {
            match input.parse::<usize>().ok().and_then(|n| choices.get(n.checked_sub(1)?)) {
                Some(choice) => {
                    run(&choice.actions, session, &mut effects);
                    go(flow, session, choice.next, &mut effects);
                }
                None => session.hint = true,
            }
        }
        Kind::Input { field, next, max_len } => {
            let value = input.trim();
            if value.is_empty() || value.chars().count() > *max_len {
                session.hint = true;
            } else {
                session.set_field(*field, value);
                go(flow, session, *next, &mut effects);
            }
        }
        Kind::Switch { .. } => unreachable!("a session never rests on a switch"),
    }
    effects
}

/// Moves forward to `target`, remembering where to come back to, and runs what entering it does.
fn go(flow: &Flow, session: &mut Session, mut target: NodeId, effects: &mut Vec<Effect>) {
    if session.back.len() == BACK_DEPTH {
        session.back.remove(0);
    }
    session.back.push(session.node);
    loop {
        session.node = target;
        session.page = 0;
        let node = &flow.nodes[target as usize];
        run(&node.actions, session, effects);
        match &node.kind {
            Kind::Switch { cases, default } => {
                target = cases
                    .iter()
                    .find(|c| c.when.iter().all(|(f, v)| session.field(*f) == Some(v)))
                    .map_or(*default, |c| c.next);
            }
            Kind::Screen { end, .. } => {
                session.ended = *end;
                return;
            }
            Kind::Input { .. } => return,
        }
    }
}

fn run(actions: &[Action], session: &mut Session, effects: &mut Vec<Effect>) {
    for action in actions {
        match action {
            Action::Set { field, value } => session.set_field(*field, value),
            Action::SetLocale(locale) => {
                session.locale = *locale;
                effects.push(Effect::RememberLocale(*locale));
            }
            Action::UpdateContact => effects.push(Effect::UpdateContact),
            Action::Escalate { urgency, category } => {
                let escalation = Escalation { hop: session.hops, urgency: *urgency, category: *category };
                if session.escalations.iter().any(|e| e.category == *category && e.urgency >= *urgency) {
                    continue;
                }
                if session.escalations.len() < MAX_ESCALATIONS {
                    session.escalations.push(escalation);
                }
                effects.push(Effect::Escalate { hop: escalation.hop, urgency: *urgency, category: *category });
            }
        }
    }
}
