//! A case opened, or merged into her open one, and the cases read back.

use chrono::{DateTime, Utc};
use tracing::info;

use super::BATCH;
use crate::engine::Gateway;
use crate::escalation::case::{Case, State, new_code, new_id};
use crate::flow::{Effect, Session, Urgency};
use crate::helpline::Helpline;
use crate::phone::E164;
use crate::store::{CaseOpen, Opened, StoreError};

/// Who a case is about and how she came: what opening one needs to know of her.
#[derive(Debug, Clone, Copy)]
pub struct Contact<'a> {
    /// `ussd` or `sms`.
    pub channel: &'a str,
    pub number: &'a E164,
    pub pseudonym: &'a str,
}

impl Gateway {
    /// Opens (or merges into her open) case for each escalation among a hop's effects.
    pub(crate) async fn open_cases(
        &self,
        helpline: &Helpline,
        session: &Session,
        effects: &[Effect],
        contact: &Contact<'_>,
    ) -> Result<(), StoreError> {
        let mut opened = false;
        for effect in effects {
            if let Effect::Escalate { urgency, category, .. } = effect {
                let category = &helpline.flow.categories[usize::from(*category)];
                self.open_case(helpline, session, *urgency, category, contact).await?;
                opened = true;
            }
        }
        if opened {
            self.wake_escalation.notify_one();
        }
        Ok(())
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
        let field = |name: &str| {
            flow.fields.iter().position(|f| f == name).and_then(|i| session.field(i as u8)).unwrap_or("").to_owned()
        };
        let note = field("note");
        let yes = |v: String| if v == "yes" { b"yes".to_vec() } else { b"no".to_vec() };
        let updates = vec![
            ("consent", yes(field("consent"))),
            ("call_safe", yes(field("call_safe"))),
            ("call_time", field("call_time").into_bytes()),
            ("sms_safe", yes(field("sms_safe"))),
        ];
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
                number: self.sealer.seal(number.as_str().as_bytes(), id.as_bytes()),
                call_safe: field("call_safe") == "yes",
                call_time: field("call_time"),
                sms_safe: field("sms_safe") == "yes",
                // "1" is how she skips the question.
                note: if note.is_empty() || note == "1" {
                    Vec::new()
                } else {
                    self.sealer.seal(note.as_bytes(), id.as_bytes())
                },
                consent: field("consent") == "yes",
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
            match self.store.cases().open(&open).await? {
                Opened::Created(id) => {
                    self.metrics.case_opened(crate::metrics::Source::of(category), urgency);
                    info!(helpline = %helpline.id, case = %case.code, urgency = urgency.as_str(), category, "case opened");
                    return Ok(id);
                }
                Opened::Merged(id) => {
                    info!(helpline = %helpline.id, urgency = urgency.as_str(), category, "case updated");
                    return Ok(id);
                }
                Opened::CodeTaken => continue,
            }
        }
    }

    pub async fn case(&self, id: &str) -> Result<Option<Case>, StoreError> {
        Ok(self.store.cases().get(id).await?.and_then(|fields| Case::from_fields(id, fields)))
    }

    /// An open case by its code.
    pub async fn case_by_code(&self, code: &str) -> Result<Option<Case>, StoreError> {
        match self.store.cases().by_code(code).await? {
            Some(id) => self.case(&id).await,
            None => Ok(None),
        }
    }

    /// Handles the cases whose timers are due; returns how many it took.
    pub async fn escalate_due(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let lease = self.escalation.lease_secs * 1000;
        let ids = self.store.cases().claim(now.timestamp_millis() as u64, lease, BATCH).await?;
        for id in &ids {
            self.advance(id, now).await?;
        }
        Ok(ids.len())
    }

    /// Counts of the cases whose survivors agreed to anonymous use, by helpline, urgency,
    /// category and state. Cases without that consent are left out.
    pub async fn report(
        &self,
    ) -> Result<std::collections::BTreeMap<(String, String, String, String), usize>, StoreError> {
        let mut counts = std::collections::BTreeMap::new();
        for id in self.store.cases().all().await? {
            let Some(case) = self.case(&id).await? else { continue };
            if case.consent {
                let key =
                    (case.helpline, case.urgency.as_str().to_owned(), case.category, case.state.as_str().to_owned());
                *counts.entry(key).or_default() += 1;
            }
        }
        Ok(counts)
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
