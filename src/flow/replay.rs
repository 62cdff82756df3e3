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

/// Replays a whole path. Effects the stored session shows already happened are dropped: those of
/// the hops it had taken on this same path, and escalations it recorded. The rest are returned.
pub fn rebuild(
    flow: &Flow,
    stored: Option<Session>,
    remembered: Option<u8>,
    text: &str,
    inputs: &[&str],
) -> (Session, Vec<Effect>) {
    // How the session began: its own record wins over the remembered language, which this very
    // session may have set on its language screen.
    let began_in = match &stored {
        Some(s) => s.began_in,
        None => remembered,
    };
    let recorded = stored.as_ref().map(|s| s.escalations.clone()).unwrap_or_default();
    let applied = stored
        .filter(|s| {
            usize::from(s.hops) <= inputs.len() && s.path_hash == path_hash(path_prefix(text, usize::from(s.hops)))
        })
        .map_or(0, |s| usize::from(s.hops));
    let mut session = begin(flow, began_in);
    let mut effects = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let hop_effects = step(flow, &mut session, input);
        if i >= applied {
            effects.extend(hop_effects);
        }
    }
    effects.retain(|effect| match effect {
        Effect::Escalate { hop, urgency, category } => {
            !recorded.iter().any(|r| r.hop == *hop && r.urgency == *urgency && r.category == *category)
        }
        _ => true,
    });
    (session, effects)
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
