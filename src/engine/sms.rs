//! One inbound SMS end to end, and delivery reports.
//!
//! Order matters for "nothing lost, nothing twice": load (is this message seen?), step, put the
//! reply in the outbox under an id derived from the inbound message, then save the conversation
//! and mark the message seen in one script. A crash anywhere before that save leaves the message
//! unseen: the provider's retry runs the same step and enqueues the same ids, which the outbox
//! refuses to take twice. Only after the save does the webhook answer 200.

use sha2::{Digest, Sha256};
use tracing::{info, warn};

use super::Gateway;
use crate::cases::{Contact, Exit, ExitSession};
use crate::channels::{DeliveryReport, DeliveryState, SmsIn};
use crate::flow::{Session, begin, step};
use crate::i18n::gsm::split_sms;
use crate::outbox::Recipient;
use crate::store::{SmsKeys, SmsSave, StoreError};

/// How long an inbound message id is remembered for dedupe.
const SEEN_FOR: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

#[derive(Debug, PartialEq, Eq)]
pub enum SmsOutcome {
    /// From a blocked number, or over the sender's rate limit: accepted, and nothing done.
    Ignored,
    /// Handled; `reply` is set when the caller answers inline (TwiML) instead of through the outbox.
    Handled { queued: usize, reply: Option<String> },
    /// Already handled: a provider's retry.
    Duplicate,
    /// Sent to a number no helpline uses.
    UnknownNumber,
}

impl Gateway {
    /// Handles one SMS, from a survivor or a counsellor. `inline`: return the reply instead of
    /// queueing it.
    pub async fn sms(&self, message: &SmsIn, inline: bool) -> Result<SmsOutcome, StoreError> {
        let _hop = self.metrics.hop_timer(crate::metrics::Channel::Sms);
        self.sms_at(message, inline, self.clock.now()).await.inspect_err(|_| self.metrics.store_error())
    }

    /// [`Gateway::sms`] at a given time (whether a call is inside her safe time depends on it).
    pub async fn sms_at(
        &self,
        message: &SmsIn,
        inline: bool,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<SmsOutcome, StoreError> {
        let Some(helpline) = self.helplines.by_sms_number(&message.to) else {
            self.metrics.sms_unknown_number();
            warn!(provider = message.provider.as_str(), "SMS to a number no helpline uses");
            return Ok(SmsOutcome::UnknownNumber);
        };
        let flow = &helpline.flow;
        let pseudonym = self.pseudonyms.of(&message.from);
        let keys = SmsKeys::new(&pseudonym, &helpline.id, message.provider.as_str(), &message.provider_id);
        let counsellor = self.cases.rota().by_phone(&message.from);
        // Quick exit, first and with no store call: nothing more is sent to her; her queued SMS,
        // her conversation and any relay end after (retried until done). Nothing to dedupe.
        if counsellor.is_none() && helpline.sms.is_exit(&message.text) {
            self.metrics.quick_exit();
            let exit = Exit { pseudonym, helpline: helpline.id.clone(), session: ExitSession::Sms(keys) };
            self.cases.after_exit(exit).await;
            return Ok(SmsOutcome::Handled { queued: 0, reply: None });
        }
        let loaded = self.store.sessions().load_sms(&keys).await?;
        if loaded.seen {
            self.metrics.sms_duplicate();
            return Ok(SmsOutcome::Duplicate);
        }
        let reply_id = outbox_id(message, 0);
        // A number in the rota is a counsellor: the message is a command, never a survivor's.
        if let Some(counsellor) = counsellor {
            self.cases.counsellor_sms(counsellor, &message.from, &message.text, helpline, &reply_id, now).await?;
            return self.mark_seen(&keys, loaded.session.as_deref(), None).await;
        }
        if loaded.blocked {
            self.metrics.sms_ignored();
            return Ok(SmsOutcome::Ignored);
        }
        let text = message.text.trim();
        // Erasure: everything kept for her number goes; nothing is sent back.
        if helpline.sms.is_erase(text) {
            self.erase(&message.from).await?;
            return Ok(SmsOutcome::Handled { queued: 0, reply: None });
        }
        // The rate limit comes after the quick exit and erasure: those always work.
        if !self.store.subscribers().rate_allow(&pseudonym, self.abuse.sms_per_minute, self.abuse.sms_burst).await? {
            self.metrics.sms_ignored();
            warn!(helpline = %helpline.id, "a sender went over the SMS rate limit; message ignored");
            return Ok(SmsOutcome::Ignored);
        }
        let her_case = self.cases.her_case(helpline, &pseudonym).await?;
        // Her answer to "may a counsellor contact you?" (asked after a critical SMS).
        if self.cases.reach_answer(helpline, her_case.as_ref(), text, &reply_id, now).await? {
            return self.mark_seen(&keys, loaded.session.as_deref(), None).await;
        }
        // While a counsellor holds her case, what she writes goes to the counsellor.
        if self.cases.relay_to_counsellor(helpline, her_case.as_ref(), text, &reply_id).await? {
            let kept = self.opener.seal(text.as_bytes(), keys.transcript.as_bytes());
            return self.mark_seen(&keys, loaded.session.as_deref(), Some(&kept)).await;
        }
        let stored = loaded.session.as_deref().and_then(|bytes| self.open_sms(flow, &keys.session, bytes));
        // The locale her words are in, when known: she chose it, texted its keyword, or it is
        // remembered. Otherwise triage reads her first message in every language.
        let mut known_locale = stored.is_some() || loaded.locale.is_some();
        // Her own words, whatever screen she is on (free text where a menu expects a number
        // included): read by triage and kept for the counsellor. Numbers and keywords are not.
        let keep_text = her_words(helpline, text);
        let (session, effects) = match stored {
            // Neutral mode held the screen back: show it now, whatever she wrote.
            Some(mut session) if session.held && !session.ended => {
                session.held = false;
                (session, Vec::new())
            }
            Some(mut session) if !session.ended => {
                let effects = step(flow, &mut session, text);
                (session, effects)
            }
            _ => {
                let keyword = helpline.sms.keyword_locale(text);
                known_locale |= keyword.is_some();
                let remembered = loaded.locale.as_deref().and_then(|l| flow.locale_index(super::language_code(l)));
                let mut session = begin(flow, keyword.or(remembered));
                session.held = helpline.sms.neutral_first;
                (session, Vec::new())
            }
        };
        let neutral;
        let screen = if session.held {
            let locale = &flow.locales[usize::from(session.locale)];
            neutral = match &helpline.sms.reply_to {
                Some(number) => self.catalog.say(
                    locale,
                    "sms-neutral-first-to",
                    &helpline.contacts_args(&[("number", number.clone())]),
                ),
                None => self.catalog.say(locale, "sms-neutral-first", &fluent_bundle::FluentArgs::new()),
            };
            Some(neutral.as_str())
        } else {
            match flow.unstaffed(&session) {
                Some((_, unstaffed)) if !self.cases.staffed(&helpline.id, now) => Some(unstaffed),
                _ => flow.sms(&session),
            }
        };

        let parts: Vec<String> = screen.map(|t| split_sms(t, helpline.sms.max_segments)).unwrap_or_default();
        let mut queued = 0;
        if !inline {
            let recipient = Recipient::Survivor { pseudonym: &pseudonym, came_by: Some(message.provider) };
            for (i, part) in parts.iter().enumerate() {
                let id = outbox_id(message, i);
                queued += usize::from(self.outbox.queue_sms(helpline, &id, &message.from, part, &recipient).await?);
            }
        }

        let contact = Contact { channel: "sms", number: &message.from, pseudonym: &pseudonym };
        self.cases.open_cases(helpline, &session, &effects, &contact).await?;
        let triaged = match keep_text {
            true => self.triage_text(helpline, &session, text, known_locale, message, &pseudonym, now).await?,
            false => None,
        };
        // The quick exit (`00` among the exit words) was handled above: the session is kept.
        let sealed = self.seal_sms(flow, &keys.session, &session);
        let transcript = keep_text.then(|| self.opener.seal(text.as_bytes(), keys.transcript.as_bytes()));
        let save = SmsSave {
            session: Some(&sealed),
            ttl: helpline.sms.session_ttl,
            seen_ttl: SEEN_FOR,
            transcript: transcript.as_deref(),
            remember: super::remembered(flow, &effects),
            remember_ttl: self.remember_ttl,
        };
        if !self.store.sessions().save_sms(&keys, &save).await? {
            self.metrics.sms_duplicate();
            return Ok(SmsOutcome::Duplicate);
        }
        self.metrics.sms_in();
        self.apply(&effects);
        triaged.into_iter().for_each(|urgency| self.metrics.escalation(urgency));
        Ok(SmsOutcome::Handled { queued, reply: inline.then(|| parts.join(" ")).filter(|r| !r.is_empty()) })
    }

    /// Her own words go through triage: critical and high open a case at that urgency (or raise
    /// her open one); a critical message also gets the emergency numbers back at once, and the
    /// question how she may be reached, unless she said SMS is not safe. Returns the urgency of
    /// a case opened, counted by the caller once her message is saved.
    #[allow(clippy::too_many_arguments)]
    async fn triage_text(
        &self,
        helpline: &crate::helpline::Helpline,
        session: &Session,
        text: &str,
        known_locale: bool,
        message: &SmsIn,
        pseudonym: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<crate::flow::Urgency>, StoreError> {
        let flow = &helpline.flow;
        let locale = &flow.locales[usize::from(session.locale)];
        let verdict = self.triage.classify(text, known_locale.then_some(locale.as_str()));
        if verdict.urgency == crate::flow::Urgency::Normal {
            return Ok(None);
        }
        // The reasons are lexicon phrases, but they echo her words: counted, not logged.
        info!(helpline = %helpline.id, urgency = verdict.urgency.as_str(), reasons = verdict.reasons.len(), "triage raised a case");
        let contact = Contact { channel: "sms", number: &message.from, pseudonym };
        let case = self.cases.open_triaged(helpline, session, verdict.urgency, &contact).await?;
        if verdict.urgency == crate::flow::Urgency::Critical {
            let id = format!("{}-danger", outbox_id(message, 0));
            self.cases.ask_reach(helpline, &case, &verdict.locale, &id, now).await?;
        }
        Ok(Some(verdict.urgency))
    }

    /// Marks a message handled, keeping `session` as it was (`None` deletes her conversation
    /// and its transcript).
    async fn mark_seen(
        &self,
        keys: &SmsKeys,
        session: Option<&[u8]>,
        kept: Option<&[u8]>,
    ) -> Result<SmsOutcome, StoreError> {
        let save = SmsSave {
            session,
            ttl: std::time::Duration::from_secs(24 * 3600),
            seen_ttl: SEEN_FOR,
            transcript: kept,
            remember: None,
            remember_ttl: self.remember_ttl,
        };
        Ok(if self.store.sessions().save_sms(keys, &save).await? {
            SmsOutcome::Handled { queued: 0, reply: None }
        } else {
            SmsOutcome::Duplicate
        })
    }

    /// Applies a delivery report to the message it names.
    pub async fn delivery(&self, report: &DeliveryReport) -> Result<(), StoreError> {
        let provider = report.provider.as_str();
        if report.state == DeliveryState::Unknown {
            warn!(provider, status = %crate::privacy::redact_numbers(&report.status), "delivery report with a status this version does not know; kept as it was");
            return Ok(());
        }
        let found = self.store.outbox().delivery(provider, &report.provider_id, report.state.as_str()).await;
        match found.inspect_err(|_| self.metrics.store_error())? {
            Some(id) => info!(provider, id, state = report.state.as_str(), "delivery report"),
            None => info!(provider, state = report.state.as_str(), "delivery report for a message not in the outbox"),
        }
        Ok(())
    }

    /// The SMS conversation is stored sealed whole (no hop count: the seen key guards it).
    fn seal_sms(&self, flow: &crate::flow::Flow, key: &str, session: &Session) -> Vec<u8> {
        self.opener.seal(&session.encode(flow.fingerprint), key.as_bytes())
    }

    fn open_sms(&self, flow: &crate::flow::Flow, key: &str, stored: &[u8]) -> Option<Session> {
        Session::decode(&self.opener.open("an SMS conversation", stored, key.as_bytes())?, flow.fingerprint)
    }

    /// Her free texts kept for a conversation, opened (for the counsellor's view and tests).
    pub async fn transcript(&self, helpline: &str, from: &crate::phone::E164) -> Result<Vec<String>, StoreError> {
        let keys = SmsKeys::new(&self.pseudonyms.of(from), helpline, "-", "-");
        let sealed = self.store.sessions().transcript(&keys).await?;
        Ok(sealed
            .iter()
            .filter_map(|s| self.opener.open("her words", s, keys.transcript.as_bytes()))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .collect())
    }
}

/// Whether an SMS is her own words: not empty, not a number (a menu choice, a reserved input)
/// and not a keyword.
fn her_words(helpline: &crate::helpline::Helpline, text: &str) -> bool {
    !text.is_empty()
        && !text.chars().all(|c| c.is_ascii_digit() || c.is_whitespace())
        && helpline.sms.keyword_locale(text).is_none_or(|_| text.split_whitespace().nth(1).is_some())
}

/// The outbox id of the `part`th reply to an inbound message: the same on every retry of it.
fn outbox_id(message: &SmsIn, part: usize) -> String {
    let digest = Sha256::digest(format!("{}|{}", message.provider.as_str(), message.provider_id));
    format!("r-{}-{part}", hex::encode(&digest[..12]))
}
