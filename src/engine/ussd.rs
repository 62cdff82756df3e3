//! One USSD request end to end: find the helpline, load the session, step, save, apply effects.
//!
//! A hop costs at most two store round trips: one load (session and remembered language in one
//! MGET) and one save (`SET … GET`). The first hop of a session costs one: it reads the remembered
//! language and saves nothing, because its screen follows from that language alone. A retried or
//! late request whose save found a newer state pays one more, to undo its write.
//!
//! The provider resends every input of the session on each request (`text` = `1*2*3`), so the
//! stored session is a cache of where that path leads. It is used when it answers the path minus
//! its last input (one step) or the path itself (a repeated request: same screen, no effect).
//! Otherwise (Redis flushed, a failover, a request that overtook another) the session is rebuilt
//! by replaying the path from the start, which gives the same state because `step` is pure.
//!
//! Effects happen only when the save wrote the new state, and a save that would move a session
//! backwards is undone at once and counts as not written: a retried or reordered request
//! therefore repeats no effect. In the one round trip before such an undo, a request that reads
//! the older state steps or replays from it (see `store/redis/sessions.rs`): its screen is right,
//! and a case it opens merges into her open one, as after a crash between a case's opening and
//! the hop's save.

use tracing::{debug, error, warn};

use super::{Gateway, Reply};
use crate::cases::{Contact, Exit, ExitSession};
use crate::channels::UssdHop;
use crate::flow::replay::{exit_locale, path_prefix, rebuild};
use crate::flow::session::path_hash;
use crate::flow::step::QUICK_EXIT;
use crate::flow::{Session, begin, step};
use crate::helpline::Helpline;
use crate::store::{SessionKeys, SessionSave, StoreError};

impl Gateway {
    /// Answers one USSD request. Never fails: a store error gets the emergency screen.
    pub async fn ussd(&self, hop: &UssdHop) -> Reply {
        let _hop = self.metrics.hop_timer(crate::metrics::Channel::Ussd);
        self.metrics.hop();
        let Some(helpline) = self.helplines.by_service_code(&hop.service_code) else {
            self.metrics.unknown_service();
            warn!(provider = hop.provider, service_code = ?hop.service_code, "USSD request for a service code no helpline uses");
            return Reply { text: self.unknown_service_text.clone(), end: true };
        };
        let pseudonym = self.pseudonyms.of(&hop.number);
        let keys = SessionKeys::new(&pseudonym, hop.provider, &hop.session_id);
        if let Some(before) = hop.text.strip_suffix(QUICK_EXIT).filter(|b| b.is_empty() || b.ends_with('*')) {
            let keys = keys.with_earlier(&pseudonym, hop.provider, &hop.session_id);
            return self.ussd_exit(helpline, before, keys, pseudonym).await;
        }
        let result = if hop.text.is_empty() {
            self.first_hop(helpline, &keys).await
        } else {
            self.next_hop(helpline, &keys, hop, &pseudonym).await
        };
        result.unwrap_or_else(|e| {
            self.metrics.store_error();
            error!(helpline = %helpline.id, error = %e, "store failed; answered with the emergency numbers");
            Reply { text: helpline.flow.unavailable[0].clone(), end: true }
        })
    }

    /// Her quick exit: the goodbye comes from the compiled flow before any store call (so it is
    /// neutral even when the store is down), in her language when the path alone proves it.
    async fn ussd_exit(&self, helpline: &Helpline, before: &str, keys: SessionKeys, pseudonym: String) -> Reply {
        let flow = &helpline.flow;
        let inputs: Vec<&str> = before.strip_suffix('*').map(|b| b.split('*').collect()).unwrap_or_default();
        let locale = exit_locale(flow, &inputs).unwrap_or(0);
        let reply = Reply { text: flow.quick_exit[usize::from(locale)].clone(), end: true };
        self.metrics.quick_exit();
        let exit = Exit { pseudonym, helpline: helpline.id.clone(), session: ExitSession::Ussd(keys) };
        self.cases.after_exit(exit).await;
        reply
    }

    async fn first_hop(&self, helpline: &Helpline, keys: &SessionKeys) -> Result<Reply, StoreError> {
        let flow = &helpline.flow;
        let remembered = self.store.sessions().load_first_hop(keys).await?;
        if remembered.blocked {
            return Ok(Reply { text: flow.quick_exit[0].clone(), end: true });
        }
        let session = begin(flow, remembered.locale.as_deref().and_then(|l| flow.locale_index(l)));
        Ok(self.reply(helpline, &session))
    }

    async fn next_hop(
        &self,
        helpline: &Helpline,
        keys: &SessionKeys,
        hop: &UssdHop,
        pseudonym: &str,
    ) -> Result<Reply, StoreError> {
        let text = hop.text.as_str();
        let flow = &helpline.flow;
        let loaded = self.store.sessions().load(keys).await?;
        if loaded.blocked {
            return Ok(Reply { text: flow.quick_exit[0].clone(), end: true });
        }
        let stored = loaded.session.as_deref().and_then(|bytes| self.open_session(flow, &keys.session, bytes));
        let inputs: Vec<&str> = text.split('*').collect();
        let hash = path_hash(text);

        if let Some(session) = &stored
            && usize::from(session.hops) == inputs.len()
            && session.path_hash == hash
        {
            self.metrics.repeat();
            return Ok(self.reply(helpline, session));
        }
        let remembered = loaded.locale.as_deref().and_then(|l| flow.locale_index(l));
        // What she typed on an input screen, read by triage like her SMS.
        let mut her_words = None;
        let (mut session, effects) = match stored {
            // The usual case: the stored session answers the path minus its last input.
            Some(mut session)
                if usize::from(session.hops) + 1 == inputs.len()
                    && session.path_hash == path_hash(path_prefix(text, inputs.len() - 1)) =>
            {
                let answering = matches!(flow.nodes[usize::from(session.node)].kind, crate::flow::Kind::Input { .. });
                let effects = step(flow, &mut session, inputs[inputs.len() - 1]);
                if answering && !session.hint {
                    her_words = Some(inputs[inputs.len() - 1]);
                }
                (session, effects)
            }
            // The second request of a session: the first saved nothing.
            None if inputs.len() == 1 => {
                let mut session = begin(flow, remembered);
                let effects = step(flow, &mut session, inputs[0]);
                (session, effects)
            }
            stored => {
                self.metrics.rebuilt();
                rebuild(flow, stored, remembered, text, &inputs)
            }
        };
        session.path_hash = hash;

        let encoded = self.seal_session(flow, &keys.session, &session);
        let remember = super::remembered(flow, &effects);
        let save = SessionSave {
            hops: session.hops,
            session: Some(encoded.as_slice()),
            ttl: self.session_ttl,
            remember,
            remember_ttl: self.remember_ttl,
        };
        // A case is opened (or merged into her open one) before the hop is saved: a crash in
        // between makes the provider's retry open it again, which merges, rather than lose it.
        // So an escalating hop costs one round trip more than the two of any other hop.
        let contact = Contact { channel: "ussd", number: &hop.number, pseudonym };
        self.cases.open_cases(helpline, &session, &effects, &contact).await?;
        let mut triaged = None;
        if let Some(words) = her_words {
            let verdict = self.triage.classify(words, Some(&flow.locales[usize::from(session.locale)]));
            if verdict.urgency > crate::flow::Urgency::Normal {
                self.cases.open_triaged(helpline, &session, verdict.urgency, &contact).await?;
                triaged = Some(verdict.urgency);
            }
        }
        if self.store.sessions().save(keys, &save).await? {
            self.apply(&effects);
            // Counted once, like the flow's escalations: a retried hop opens nothing new.
            triaged.into_iter().for_each(|urgency| self.metrics.escalation(urgency));
        }
        debug!(helpline = %helpline.id, node = %flow.names[usize::from(session.node)], hops = session.hops, "USSD hop");
        Ok(self.reply(helpline, &session))
    }

    /// The screen for a session; one that says a counsellor will contact her says instead that
    /// nobody is on call, while nobody is.
    fn reply(&self, helpline: &Helpline, session: &Session) -> Reply {
        if let Some((unstaffed, _)) = helpline.flow.unstaffed(session)
            && !self.cases.staffed(&helpline.id, self.clock.now())
        {
            return Reply { text: unstaffed.to_owned(), end: true };
        }
        let (text, end) = helpline.flow.screen(session);
        Reply { text: text.to_owned(), end }
    }
}
