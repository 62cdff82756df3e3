//! What is done to a case by someone: acknowledged, passed on, closed (by SMS command, the
//! admin API or the console), reassigned, paged again or her number revealed (the console),
//! a line added to its trail, and her cases made anonymous when she asks to be erased. Every write is made against the version read.

use tracing::info;

use super::{AckResult, Cases};
use crate::escalation::case::{Case, State};
use crate::store::{CaseWrite, Release, StoreError, Timer};

/// What a console action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    NoCase,
    /// Someone changed the case meanwhile: nothing was written.
    Changed,
    /// The counsellor is not in the rota.
    NoCounsellor,
}

impl Cases {
    /// Gives a case to a counsellor (by SMS or the admin API).
    pub async fn ack(&self, code: &str, counsellor: &str) -> Result<AckResult, StoreError> {
        loop {
            let Some(case) = self.case_by_code(code).await? else { return Ok(AckResult::NoCase) };
            match case.state {
                State::Acknowledged if case.assigned == counsellor => return Ok(AckResult::Taken(Box::new(case))),
                State::Acknowledged => {
                    let name = self
                        .rota
                        .by_id(&case.assigned)
                        .map_or(case.assigned.clone(), |c| self.rota.counsellors[c].name.clone());
                    return Ok(AckResult::AlreadyTakenBy(name));
                }
                State::Closed => return Ok(AckResult::NoCase),
                _ => {}
            }
            let fields = vec![("state", b"acknowledged".to_vec()), ("assigned", counsellor.as_bytes().to_vec())];
            let log = self.log_line(&format!("acknowledged by {counsellor}"));
            if self.store.cases().write(&change(&case, fields, Timer::Clear, log)).await? {
                info!(case = %case.code, counsellor, "case acknowledged");
                return Ok(AckResult::Taken(Box::new(Case {
                    state: State::Acknowledged,
                    assigned: counsellor.to_owned(),
                    ..case
                })));
            }
            // Someone else changed it meanwhile: read again.
        }
    }

    /// Back to paging at once (`PASS`): the worker pages the next level.
    pub(super) async fn pass(&self, case: &Case, by: &str) -> Result<(), StoreError> {
        let fields = vec![("state", b"paging".to_vec()), ("assigned", Vec::new())];
        let log = self.log_line(&format!("passed on by {by}"));
        self.store.cases().write(&change(case, fields, Timer::At(self.clock.now_ms()), log)).await?;
        self.wake();
        Ok(())
    }

    /// Closes a case; her open-case key is released, the record and its trail stay. The
    /// counsellor's outcome can tell her story: it is sealed with the case, like her note, and
    /// dropped with her contact details; the trail says only that there is one.
    pub async fn close(&self, case: &Case, by: &str, outcome: &str) -> Result<bool, StoreError> {
        let mut fields = vec![("state", b"closed".to_vec())];
        let mut said = "";
        if !outcome.is_empty() {
            fields.push(("outcome", self.opener.seal(outcome.as_bytes(), case.id.as_bytes())));
            said = " (outcome sealed with the case)";
        }
        let mut write = change(case, fields, Timer::Clear, self.log_line(&format!("closed by {by}{said}")));
        write.close = Some(Release {
            code: case.code.clone(),
            pseudonym: case.pseudonym.clone(),
            helpline: case.helpline.clone(),
        });
        let closed = self.store.cases().write(&write).await?;
        if closed {
            info!(case = %case.code, by, "case closed");
            let keep = self.settings.retention.case_contact_days * 24 * 3600 * 1000;
            self.store.cases().purge_at(&case.id, self.clock.now_ms() + keep).await?;
        }
        Ok(closed)
    }

    /// Adds a line to a case's trail: written against the version read, read again once on a
    /// race; returns whether it was written.
    pub(super) async fn log_case(&self, case: &Case, event: &str) -> Result<bool, StoreError> {
        self.log_case_within(case, event, 2).await
    }

    /// [`Cases::log_case`], read again up to `tries` times in all.
    async fn log_case_within(&self, case: &Case, event: &str, tries: usize) -> Result<bool, StoreError> {
        for _ in 0..tries {
            let Some(current) = self.case(&case.id).await? else { return Ok(false) };
            if self.store.cases().write(&change(&current, vec![], Timer::Keep, self.log_line(event))).await? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Gives a case to another counsellor of the rota (the console).
    ///
    /// Her case stops paging, so the counsellor who gets it is told at once, with what the
    /// `ACK` answer says and her note, and one who held it is told it is no longer theirs:
    /// otherwise she waits on someone who does not know.
    pub async fn reassign(&self, code: &str, counsellor: &str, by: &str) -> Result<Outcome, StoreError> {
        let Some(to) = self.rota.by_id(counsellor) else { return Ok(Outcome::NoCounsellor) };
        let Some(case) = self.case_by_code(code).await? else { return Ok(Outcome::NoCase) };
        let fields = vec![("state", b"acknowledged".to_vec()), ("assigned", counsellor.as_bytes().to_vec())];
        let log = self.log_line(&console_event(&format!("reassigned to {counsellor}"), by));
        let outcome = self.outcome(&change(&case, fields, Timer::Clear, log)).await?;
        if outcome == Outcome::Done {
            info!(case = %case.code, counsellor, "case reassigned");
            self.tell_reassigned(&case, to).await?;
        }
        Ok(outcome)
    }

    /// The SMS a reassignment owes: to the new holder (the case and her note) and the old one.
    async fn tell_reassigned(&self, case: &Case, to: usize) -> Result<(), StoreError> {
        let Some(helpline) = self.helplines.iter().find(|h| h.id == case.helpline) else { return Ok(()) };
        // Ids from the version written, so each reassignment's SMS go once, a retry's not again.
        let id = format!("given-{}-{}", case.id, case.version + 1);
        let new = &self.rota.counsellors[to];
        self.page(case, helpline, &[to], &id, "case-given").await?;
        self.send_note(case, helpline, to, &format!("{id}-note")).await?;
        let old = self.rota.by_id(&case.assigned).filter(|old| *old != to);
        if let Some(old) = old
            && let Some(phone) = &self.rota.counsellors[old].phone
        {
            let locale = self.counsellor_locale(old);
            let mut args = self.case_args(case, &locale);
            args.set("name", new.name.clone());
            let text = self.say(&locale, "case-taken-from-you", &args);
            self.enqueue(helpline, &format!("{id}-was-{}", self.rota.counsellors[old].id), phone, &text).await?;
        }
        Ok(())
    }

    /// Pages the case's next level now instead of waiting for its timer (a held case goes
    /// back to paging; the console).
    pub async fn repage(&self, code: &str, by: &str) -> Result<Outcome, StoreError> {
        let Some(case) = self.case_by_code(code).await? else { return Ok(Outcome::NoCase) };
        let mut fields = vec![("assigned", Vec::new())];
        if case.state != State::Unanswered {
            fields.push(("state", b"paging".to_vec()));
        }
        let log = self.log_line(&console_event("re-paged", by));
        let outcome = self.outcome(&change(&case, fields, Timer::At(self.clock.now_ms()), log)).await?;
        self.wake();
        Ok(outcome)
    }

    /// Her number, opened for a supervisor; the case's trail records who saw it and when, and
    /// a number not written to the trail is not shown either.
    pub async fn reveal(&self, code: &str, by: &str) -> Result<Option<String>, StoreError> {
        let Some(case) = self.case_by_code(code).await? else { return Ok(None) };
        let number = self.opener.open_text("a case's number", &case.number, case.id.as_bytes());
        let event = if number.is_some() { "her number shown" } else { "her number asked for: none kept" };
        // A number not written to the trail is not shown either.
        let logged = self.log_case_within(&case, &console_event(event, by), 3).await?;
        Ok(number.filter(|_| logged))
    }

    /// Her erasure, for her cases: each open one closed, then every one that named her kept
    /// only as anonymous statistics. Returns how many cases named her.
    pub(crate) async fn erase_her(&self, pseudonym: &str) -> Result<usize, StoreError> {
        let ids = self.store.cases().of(pseudonym).await?;
        for id in &ids {
            self.close_for_erasure(id).await?;
            self.store.cases().anonymize(id).await?;
        }
        Ok(ids.len())
    }

    /// Closes her case, read again as often as someone changes it meanwhile (the worker paging
    /// it, an ACK): an erased case left open would keep paging for someone with no number.
    async fn close_for_erasure(&self, id: &str) -> Result<(), StoreError> {
        for _ in 0..10 {
            match self.case(id).await? {
                Some(case) if case.state != State::Closed => {
                    if self.close(&case, "erasure", "erased at her request").await? {
                        return Ok(());
                    }
                }
                _ => return Ok(()),
            }
        }
        Err(StoreError::Busy("her case kept changing while it was being closed for erasure"))
    }

    async fn outcome(&self, write: &CaseWrite) -> Result<Outcome, StoreError> {
        Ok(if self.store.cases().write(write).await? { Outcome::Done } else { Outcome::Changed })
    }
}

/// A change to a case at the version it was read at, with one trail line.
pub(super) fn change(case: &Case, fields: Vec<(&'static str, Vec<u8>)>, timer: Timer, log: String) -> CaseWrite {
    CaseWrite { id: case.id.clone(), version: case.version, fields, timer, close: None, log: vec![log] }
}

/// A trail line for what someone did in the console.
fn console_event(event: &str, by: &str) -> String {
    format!("{event} (by {by}, console)")
}
