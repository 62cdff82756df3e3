//! A USSD session rebuilt from the provider's whole input path (`1*2*3`), and the prefixes of
//! that path. The engine replays when its stored session cannot answer a request (Redis flushed,
//! a failover, a request that overtook another); because [`step`] is pure, the replay reaches the
//! state the hops reached one by one. Pure: tested without a store or a network.

use super::session::path_hash;
use super::{Effect, Flow, Session, begin, step};

/// The first `inputs` inputs of a path, as the provider would have sent them.
pub fn path_prefix(text: &str, inputs: usize) -> &str {
    if inputs == 0 {
        return "";
    }
    match text.match_indices('*').nth(inputs - 1) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// Replays a whole path, rebuilding only what is certain.
///
/// When the session is gone and so is her remembered language, how it began is unknown (the
/// language screen of a first call, or the menu of a returning caller whose language was
/// lost): guessing showed a returning caller another language's danger screen and opened a false
/// critical case. Such a session starts over on the first screen, with no effect.
///
/// Otherwise the path is replayed. Effects the stored session shows already happened are
/// dropped: those of the hops it had taken on this same path, and escalations it recorded
/// ([`step`] itself escalates once per category in a session). A language change is kept only
/// from hops the stored session proves new, or from the last input when nothing is stored.
pub fn rebuild(
    flow: &Flow,
    stored: Option<Session>,
    remembered: Option<u8>,
    text: &str,
    inputs: &[&str],
) -> (Session, Vec<Effect>) {
    if stored.is_none() && remembered.is_none() && flow.first != flow.start {
        let mut session = begin(flow, None);
        session.hops = u16::try_from(inputs.len()).unwrap_or(u16::MAX);
        return (session, Vec::new());
    }
    // How the session began: its own record wins over the remembered language, which this very
    // session may have set on its language screen.
    let began_in = match &stored {
        Some(s) => s.began_in,
        None => remembered,
    };
    let recorded = stored.as_ref().map(|s| s.escalations.clone()).unwrap_or_default();
    let applied = match stored {
        Some(s)
            if usize::from(s.hops) <= inputs.len()
                && s.path_hash == path_hash(path_prefix(text, usize::from(s.hops))) =>
        {
            usize::from(s.hops)
        }
        Some(_) => 0,
        // Nothing stored proves any hop new but the request in hand.
        None => inputs.len().saturating_sub(1),
    };
    let mut session = begin(flow, began_in);
    let mut effects = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        for effect in step(flow, &mut session, input) {
            match effect {
                Effect::Escalate { hop, urgency, category }
                    if !recorded.iter().any(|r| r.hop == hop && r.urgency == urgency && r.category == category) =>
                {
                    effects.push(effect);
                }
                Effect::Escalate { .. } => {}
                _ if i >= applied => effects.push(effect),
                _ => {}
            }
        }
    }
    (session, effects)
}

/// Longest path [`exit_locale`] replays: a goodbye is computed on the request's own time.
const EXIT_REPLAY_LIMIT: usize = 64;

/// The language of a quick exit's goodbye, read from the path alone (no store: the goodbye must
/// be neutral even when the store is down). Every way the session could have begun (on the
/// language screen, or on the menu in each language) is replayed; those that understand every
/// input are the plausible ones, and the language is known only when they all end in the same
/// one. `None`: the helpline's neutral goodbye (its first language).
pub fn exit_locale(flow: &Flow, before_exit: &[&str]) -> Option<u8> {
    if before_exit.len() > EXIT_REPLAY_LIMIT {
        return None;
    }
    let starts = std::iter::once(None).chain((0..flow.locales.len()).map(|l| Some(l as u8)));
    let mut found = None;
    for start in starts {
        if start.is_none() && flow.first == flow.start {
            continue;
        }
        let mut session = begin(flow, start);
        let plausible = before_exit.iter().all(|input| {
            let was_ended = session.ended;
            step(flow, &mut session, input);
            !session.hint && !was_ended
        });
        if !plausible {
            continue;
        }
        match found {
            None => found = Some(session.locale),
            Some(l) if l == session.locale => {}
            Some(_) => return None,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::path_prefix;

    #[test]
    fn path_prefixes_count_inputs() {
        assert_eq!(path_prefix("1*2*3", 0), "");
        assert_eq!(path_prefix("1*2*3", 1), "1");
        assert_eq!(path_prefix("1*2*3", 2), "1*2");
        assert_eq!(path_prefix("1*2*3", 3), "1*2*3");
        assert_eq!(path_prefix("1**3", 2), "1*");
    }
}
