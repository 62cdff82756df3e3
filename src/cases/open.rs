//! A case opened, or merged into her open one; the timers come due; closed cases' contact
//! details purged.

use chrono::{DateTime, Utc};
use tracing::info;

use super::{Answers, BATCH, Cases};
use crate::escalation::case::{Answer, Case, State, new_code, new_id};
use crate::flow::{Effect, Session, Urgency};
use crate::helpline::Helpline;
use crate::phone::E164;
use crate::store::{CaseOpen, CaseWrite, Opened, StoreError, Timer};

/// Who a case is about and how she came: what opening one needs to know of her.
#[derive(Debug, Clone, Copy)]
pub struct Contact<'a> {
    /// `ussd` or `sms`.
    pub channel: &'a str,
    pub number: &'a E164,
    pub pseudonym: &'a str,
}

impl Cases {
    /// Opens (or merges into her open) case for each escalation among a hop's effects.
    pub(crate) async fn open_cases(
        &self,
        helpline: &Helpline,
        session: &Session,
        effects: &[Effect],
        contact: &Contact<'_>,
    ) -> Result<(), StoreError> {
        if !effects.iter().any(|e| matches!(e, Effect::Escalate { .. } | Effect::UpdateContact)) {
            return Ok(());
        }
        // Boxed: opening a case is a future of kilobytes that most hops never start, and every
        // hop's future would carry its size, copied into actix's box on each request (issue 13).
        Box::pin(self.open_each(helpline, session, effects, contact)).await
    }

    async fn open_each(
        &self,
        helpline: &Helpline,
        session: &Session,
        effects: &[Effect],
        contact: &Contact<'_>,
    ) -> Result<(), StoreError> {
        let mut opened = false;
        for effect in effects {
            match effect {
                Effect::Escalate { urgency, category, .. } => {
                    let category = &helpline.flow.categories[usize::from(*category)];
                    self.open_case(helpline, session, *urgency, category, contact).await?;
                    opened = true;
                }
                Effect::UpdateContact => {
                    let answers = Answers::of(helpline, session);
                    self.update_contact(helpline, contact.pseudonym, &answers).await?;
                }
                _ => {}
            }
        }
        if opened {
            self.wake();
        }
        Ok(())
    }

    /// Opens (or raises her open) case at the urgency triage read in her words; returns its
    /// id. The caller counts the escalation once her message is saved.
    pub(crate) async fn open_triaged(
        &self,
        helpline: &Helpline,
        session: &Session,
        urgency: Urgency,
        contact: &Contact<'_>,
    ) -> Result<String, StoreError> {
        // Boxed, as in `open_cases`: most hops never get here.
        let id = Box::pin(self.open_case(helpline, session, urgency, "triage", contact)).await?;
        self.wake();
        Ok(id)
    }

    pub(crate) async fn open_case(
        &self,
        helpline: &Helpline,
        session: &Session,
        urgency: Urgency,
        category: &str,
        contact: &Contact<'_>,
    ) -> Result<String, StoreError> {
        let Contact { channel, number, pseudonym } = *contact;
        if self.is_test_number(number) {
            tracing::info!(helpline = %helpline.id, urgency = urgency.as_str(), category, "test number: no case opened");
            return Ok(String::new());
        }
        let flow = &helpline.flow;
        let answers = Answers::of(helpline, session);
        // A merge takes only what she answered: a question not asked leaves her earlier answer.
        let mut updates = Vec::new();
        if !answers.consent.is_empty() {
            updates.push(("consent", answers.consent.clone().into_bytes()));
        }
        if answers.call != Answer::NotAsked {
            updates.push(("call_safe", answers.call.as_str().into()));
            updates.push(("call_time", answers.call_time.clone().into_bytes()));
        }
        if answers.sms != Answer::NotAsked {
            updates.push(("sms_safe", answers.sms.as_str().into()));
        }
        let now = self.clock.now_ms();
        loop {
            let id = new_id();
            let case = Case {
                code: new_code(),
                helpline: helpline.id.clone(),
                urgency,
                category: category.to_owned(),
                locale: flow.locales[usize::from(session.locale)].clone(),
                channel: channel.to_owned(),
                pseudonym: pseudonym.to_owned(),
                number: self.opener.seal(number.as_str().as_bytes(), id.as_bytes()),
                call_safe: answers.call,
                call_time: answers.call_time.clone(),
                sms_safe: answers.sms,
                left: false,
                asked: false,
                note: self.seal_note(&answers.note, &id),
                consent: answers.consent == "yes",
                state: State::Open,
                next_level: 0,
                next_round: 0,
                paged: Vec::new(),
                assigned: String::new(),
                created_ms: now,
                version: 0,
                id,
            };
            let open = CaseOpen {
                id: case.id.clone(),
                code: case.code.clone(),
                helpline: helpline.id.clone(),
                pseudonym: pseudonym.to_owned(),
                urgency_rank: urgency as u8,
                urgency: urgency.as_str().into(),
                due_ms: now,
                fields: case.fields(),
                updates: updates.clone(),
                log_created: self.log_line(&format!(
                    "opened: {} {category}, {channel}, {}",
                    urgency.as_str(),
                    case.locale
                )),
                log_raised: self.log_line(&format!("raised to {} ({category})", urgency.as_str())),
                log_updated: self.log_line("she answered again: contact answers updated"),
            };
            let (opened, replicated) = self.store.cases().open(&open).await?;
            if opened != Opened::CodeTaken {
                self.unreplicated(replicated, "case_opened");
            }
            match opened {
                Opened::Created(id) => {
                    self.metrics.case_opened(crate::metrics::Source::of(category), urgency);
                    info!(helpline = %helpline.id, case = %case.code, urgency = urgency.as_str(), category, "case opened");
                    return Ok(id);
                }
                Opened::Merged(id) => {
                    info!(helpline = %helpline.id, urgency = urgency.as_str(), category, "case updated");
                    // Her note is sealed under the case's id: the merged case's, not the draft's.
                    if !self.seal_note(&answers.note, &id).is_empty() {
                        self.set_note(&id, &answers.note).await?;
                    }
                    return Ok(id);
                }
                Opened::CodeTaken => continue,
            }
        }
    }

    /// Her note sealed under a case id; empty when she gave none ("1" is how she skips it).
    pub(super) fn seal_note(&self, note: &str, id: &str) -> Vec<u8> {
        if note.is_empty() || note == "1" { Vec::new() } else { self.opener.seal(note.as_bytes(), id.as_bytes()) }
    }

    /// Puts her latest note on a case (read again on a race, a few times).
    async fn set_note(&self, id: &str, note: &str) -> Result<(), StoreError> {
        for _ in 0..3 {
            let Some(case) = self.case(id).await? else { return Ok(()) };
            let write = CaseWrite {
                id: id.to_owned(),
                version: case.version,
                fields: vec![("note", self.seal_note(note, id))],
                timer: Timer::Keep,
                close: None,
                log: vec![self.log_line("her note updated")],
            };
            if self.write_kept(&write, "case_answers").await? {
                break;
            }
        }
        Ok(())
    }

    /// Handles the cases whose timers are due; returns how many it took.
    pub async fn escalate_due(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let lease = self.settings.escalation.lease_secs * 1000;
        let ids = self.store.cases().claim(now.timestamp_millis() as u64, lease, BATCH).await?;
        for id in &ids {
            self.advance(id, now).await?;
        }
        Ok(ids.len())
    }

    /// Drops the contact details of cases closed more than `retention.case_contact_days` ago.
    pub async fn purge_due(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let ids = self.store.cases().purge_due(now.timestamp_millis() as u64, BATCH).await?;
        for id in &ids {
            self.store.cases().anonymize(id).await?;
        }
        if !ids.is_empty() {
            info!(cases = ids.len(), "retention: contact details of closed cases dropped");
        }
        Ok(ids.len())
    }
}
