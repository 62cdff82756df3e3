//! One USSD request end to end: find the helpline, load the session, step, save, apply effects.
//!
//! A hop costs at most two store round trips: one load (one MGET: the session and the block list,
//! or, where a session begins, her remembered language and the block list) and one save
//! (`SET … GET`). The first hop of a session costs one: its screen follows from her language
//! alone, so it saves nothing. So does a hop on the gateway that served her last one: it steps
//! from the state kept there (`kept.rs`) and reads the block list in the save's pipeline; a step
//! that would open a case or read her words loads first, so that a blocked number opens nothing.
//! Three exceptions pay one more: a hop whose session was lost reads her language to rebuild it,
//! an escalating hop opens its case, and a retried or late request whose save found a newer state
//! undoes its write. A hop from a kept state whose save finds the store holding anything else
//! pays its undo and then goes the usual way.
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

use super::kept::KeptState;
use super::{Gateway, Reply};
use crate::cases::{Contact, Exit, ExitSession};
use crate::channels::UssdHop;
use crate::flow::replay::{exit_locale, path_prefix, rebuild};
use crate::flow::session::path_hash;
use crate::flow::step::{Effect, QUICK_EXIT};
use crate::flow::{Flow, Session, begin, step};
use crate::helpline::Helpline;
use crate::store::{Checked, Expected, Loaded, SessionKeys, SessionSave, StoreError};

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
            // Boxed: her exit's clean-up is a large future the other hops would carry (issue 13).
            return Box::pin(self.ussd_exit(helpline, before, keys, pseudonym)).await;
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
        self.kept.forget(&keys.session);
        let exit = Exit { pseudonym, helpline: helpline.id.clone(), session: ExitSession::Ussd(keys) };
        self.cases.after_exit(exit).await;
        reply
    }

    async fn first_hop(&self, helpline: &Helpline, keys: &SessionKeys) -> Result<Reply, StoreError> {
        let flow = &helpline.flow;
        let remembered = self.store.sessions().remembered(keys).await?;
        if remembered.blocked {
            return Ok(blocked(flow));
        }
        let stored = remembered.locale.as_deref();
        let locale = stored.and_then(|l| flow.locale_index(super::language_code(l)));
        let session = begin(flow, locale);
        // Kept, though not saved: her next hop steps from it without reading her language again.
        // Not when this very session remembered that language: this is a late retry, her
        // session is stored, and it began on the language screen.
        if stored.is_none_or(|l| super::language_from_before(l, keys.id()).is_some()) {
            let language = stored.map(str::to_owned);
            self.kept.keep(&keys.session, KeptState::Begun { language, fingerprint: flow.fingerprint });
        }
        Ok(self.reply(helpline, &session))
    }

    /// The session she continues and, where one begins, her remembered language; `None` when
    /// she is blocked. A hop that continues a session reads no language: a stored session knows
    /// the one it began in. A hop that finds its session lost (a flush, a failover, a retired
    /// key) reads again, the session with her language, which costs that rare hop a third round
    /// trip: read together, a late save of this session's language hop that landed in between
    /// is seen as a session, never as a language she chose before this session began.
    async fn find(
        &self,
        flow: &Flow,
        keys: &SessionKeys,
        inputs: usize,
    ) -> Result<Option<(Option<Session>, Option<u8>)>, StoreError> {
        let sessions = self.store.sessions();
        let mut loaded =
            if inputs == 1 { sessions.load_with_language(keys).await? } else { sessions.load(keys).await? };
        let mut stored = self.opened(flow, keys, &loaded);
        if stored.is_none() && inputs > 1 && !loaded.blocked {
            loaded = sessions.load_with_language(keys).await?;
            stored = self.opened(flow, keys, &loaded);
        }
        if loaded.blocked {
            return Ok(None);
        }
        let remembered = match stored {
            Some(_) => None,
            // Chosen by this very session (its save landed, then was lost): it began on the
            // language screen, and what came before is not known, so it is not used.
            None => loaded
                .locale
                .as_deref()
                .and_then(|l| super::language_from_before(l, keys.id()))
                .and_then(|l| flow.locale_index(l)),
        };
        Ok(Some((stored, remembered)))
    }

    fn opened(&self, flow: &Flow, keys: &SessionKeys, loaded: &Loaded) -> Option<Session> {
        loaded.session.as_deref().and_then(|bytes| self.open_session(flow, &keys.session, bytes))
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
        let inputs: Vec<&str> = text.split('*').collect();
        if let Some(reply) = self.continue_kept(helpline, keys, text, &inputs).await? {
            return Ok(reply);
        }
        // (Whatever this gateway kept of the session, `continue_kept` took.)
        let Some((stored, remembered)) = self.find(flow, keys, inputs.len()).await? else { return Ok(blocked(flow)) };
        let hash = path_hash(text);

        if let Some(session) = &stored
            && usize::from(session.hops) == inputs.len()
            && session.path_hash == hash
        {
            self.metrics.repeat();
            return Ok(self.reply(helpline, session));
        }
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
            // The second request of a session.
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
        let remember = super::remembered(flow, &effects).map(|code| super::chosen_by(code, keys.id()));
        let save = self.hop_save(&session, &encoded, remember.as_deref());
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
            self.kept.keep(&keys.session, KeptState::Saved(encoded));
            self.apply(&effects);
            // Counted once, like the flow's escalations: a retried hop opens nothing new.
            triaged.into_iter().for_each(|urgency| self.metrics.escalation(urgency));
        }
        debug!(helpline = %helpline.id, node = %flow.names[usize::from(session.node)], hops = session.hops, "USSD hop");
        Ok(self.reply(helpline, &session))
    }

    /// A hop that continues the session this gateway saved (or began) last, from that state:
    /// one round trip, the save with the block list read in the same pipeline, written only
    /// over that state. `None` when the store held another (the caller loads it: a newer hop,
    /// another instance's, nothing after an erasure or a flush), and, before any store call,
    /// when nothing is kept, when what is kept is not the state this path continues, or when
    /// the step has effects other than remembering her language, or her words to read (a case
    /// may open, and must not for a blocked number): the caller loads her session and goes the
    /// usual way.
    async fn continue_kept(
        &self,
        helpline: &Helpline,
        keys: &SessionKeys,
        text: &str,
        inputs: &[&str],
    ) -> Result<Option<Reply>, StoreError> {
        let flow = &helpline.flow;
        let last = inputs.len() - 1;
        let Some(kept) = self.kept.take(&keys.session) else { return Ok(None) };
        let (mut session, expected) = match &kept {
            KeptState::Saved(sealed) => match self.open_session(flow, &keys.session, sealed) {
                Some(session) => (session, Expected::Session(sealed)),
                None => return Ok(None),
            },
            KeptState::Begun { language, fingerprint } if *fingerprint == flow.fingerprint => {
                let locale = language.as_deref().and_then(|l| flow.locale_index(super::language_code(l)));
                (Session { path_hash: path_hash(""), ..begin(flow, locale) }, Expected::Begun(language.as_deref()))
            }
            KeptState::Begun { .. } => return Ok(None),
        };
        if usize::from(session.hops) != last
            || session.path_hash != path_hash(path_prefix(text, last))
            || matches!(flow.nodes[usize::from(session.node)].kind, crate::flow::Kind::Input { .. })
        {
            return Ok(None);
        }
        let effects = step(flow, &mut session, inputs[last]);
        if effects.iter().any(|e| !matches!(e, Effect::RememberLocale(_))) {
            return Ok(None);
        }
        session.path_hash = path_hash(text);
        let sealed = self.seal_session(flow, &keys.session, &session);
        let remember = super::remembered(flow, &effects).map(|code| super::chosen_by(code, keys.id()));
        let save = self.hop_save(&session, &sealed, remember.as_deref());
        match self.store.sessions().save_unless_blocked(keys, &save, expected).await? {
            Checked::Written => self.kept.keep(&keys.session, KeptState::Saved(sealed)),
            // The store is the truth: the usual way loads what it holds.
            Checked::Stale => return Ok(None),
            Checked::Blocked => return Ok(Some(blocked(flow))),
        }
        debug!(helpline = %helpline.id, node = %flow.names[usize::from(session.node)], hops = session.hops, "USSD hop");
        Ok(Some(self.reply(helpline, &session)))
    }

    /// What a step saves: its sealed session and the language it chose to remember, if any.
    fn hop_save<'a>(&self, session: &Session, sealed: &'a [u8], remember: Option<&'a str>) -> SessionSave<'a> {
        let (ttl, remember_ttl) = (self.session_ttl, self.remember_ttl);
        SessionSave { hops: session.hops, session: Some(sealed), ttl, remember, remember_ttl }
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

/// What a blocked number is answered: the neutral goodbye of her quick exit.
fn blocked(flow: &Flow) -> Reply {
    Reply { text: flow.quick_exit[0].clone(), end: true }
}
