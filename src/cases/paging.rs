//! A case's timer come due: page the next level of the rota, tell her, or give up.

use chrono::{DateTime, Utc};
use tracing::{error, info, warn};

use super::Cases;
use crate::escalation::case::{Case, State};
use crate::escalation::policy::{self, Next};
use crate::helpline::Helpline;
use crate::outbox::Recipient;
use crate::phone::E164;
use crate::store::{CaseWrite, StoreError, Timer};

impl Cases {
    /// One timer: page the next level, wait for a shift, or give up to the supervisors.
    pub(super) async fn advance(&self, id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        let Some(case) = self.case(id).await? else { return Ok(()) };
        let now_ms = now.timestamp_millis() as u64;
        let write = |fields: Vec<(&'static str, Vec<u8>)>, timer: Timer, log: Vec<String>| CaseWrite {
            id: id.to_owned(),
            version: case.version,
            fields,
            timer,
            close: None,
            log,
        };
        if matches!(case.state, State::Acknowledged | State::Closed) {
            self.store.cases().write(&write(vec![], Timer::Clear, vec![])).await?;
            return Ok(());
        }
        let Some(helpline) = self.helplines.iter().find(|h| h.id == case.helpline) else {
            warn!(case = %case.code, "a case of a helpline this gateway does not serve");
            return Ok(());
        };
        let repeat_supervisors = now_ms + self.settings.escalation.supervisor_repeat_minutes * 60_000;
        if case.state == State::Unanswered {
            let supervisors = self.rota.supervisors(&case.helpline);
            self.page(
                &case,
                helpline,
                &supervisors,
                &format!("sup-{}-{}", case.id, now_ms / 60_000),
                "page-unanswered",
            )
            .await?;
            let log =
                self.log_line(&format!("still unanswered: supervisors paged again ({})", self.names(&supervisors)));
            self.store.cases().write(&write(vec![], Timer::At(repeat_supervisors), vec![log])).await?;
            return Ok(());
        }
        let next = match self.rota.policy(&case.helpline, case.urgency) {
            Some(p) => policy::next(&self.rota, p, &case.helpline, &case.locale, case.next_level, case.next_round, now),
            None => Next::Exhausted,
        };
        match next {
            Next::Page { counsellors, wait, level, round } => {
                self.page(&case, helpline, &counsellors, &format!("page-{}-{round}-{level}", case.id), "page").await?;
                let paged: Vec<String> = counsellors.iter().map(|c| self.rota.counsellors[*c].id.clone()).collect();
                let fields = vec![
                    ("state", State::Paging.as_str().as_bytes().to_vec()),
                    ("next_level", (level + 1).to_string().into_bytes()),
                    ("next_round", round.to_string().into_bytes()),
                    ("paged", paged.join(",").into_bytes()),
                ];
                let log =
                    self.log_line(&format!("paged level {} round {}: {}", level + 1, round + 1, paged.join(", ")));
                let due = now_ms + wait.num_milliseconds() as u64;
                info!(case = %case.code, level = level + 1, round = round + 1, "case paged");
                self.store.cases().write(&write(fields, Timer::At(due), vec![log])).await?;
            }
            Next::WaitUntil { at, .. } => {
                let log = self.log_line(&format!("nobody on call: waiting for the shift at {}", at.to_rfc3339()));
                self.store.cases().write(&write(vec![], Timer::At(at.timestamp_millis() as u64), vec![log])).await?;
            }
            Next::Exhausted => {
                let supervisors = self.rota.supervisors(&case.helpline);
                self.page(&case, helpline, &supervisors, &format!("sup-{}-first", case.id), "page-unanswered").await?;
                let mut log =
                    vec![self.log_line(&format!("unanswered: supervisors paged ({})", self.names(&supervisors)))];
                if case.may_text() {
                    let text = self.say(&case.locale, "case-unanswered", &helpline.contacts_args(&[]));
                    self.text_survivor(&case, helpline, &format!("unanswered-{}", case.id), &text).await?;
                    log.push(self.log_line("emergency numbers sent to her by SMS"));
                }
                warn!(case = %case.code, "case unanswered: supervisors paged");
                let fields = vec![("state", State::Unanswered.as_str().as_bytes().to_vec())];
                self.store.cases().write(&write(fields, Timer::At(repeat_supervisors), log)).await?;
            }
        }
        Ok(())
    }

    /// Queues a page to each counsellor, in their language, under an id that makes it once.
    pub(super) async fn page(
        &self,
        case: &Case,
        helpline: &Helpline,
        counsellors: &[usize],
        id: &str,
        message: &str,
    ) -> Result<(), StoreError> {
        for c in counsellors {
            let counsellor = &self.rota.counsellors[*c];
            let Some(phone) = &counsellor.phone else { continue };
            let locale = self.counsellor_locale(*c);
            let text = self.say(&locale, message, &self.case_args(case, &locale));
            self.enqueue(helpline, &format!("{id}-{}", counsellor.id), phone, &text).await?;
        }
        Ok(())
    }

    pub(super) async fn enqueue(&self, helpline: &Helpline, id: &str, to: &E164, text: &str) -> Result<(), StoreError> {
        self.outbox.queue_sms(helpline, id, to, text, &Recipient::Counsellor).await.map(drop)
    }

    /// Texts the survivor of a case; callers check that she said SMS is safe.
    pub(super) async fn text_survivor(
        &self,
        case: &Case,
        helpline: &Helpline,
        id: &str,
        text: &str,
    ) -> Result<(), StoreError> {
        let Some(number) = self.survivor_number(case) else {
            error!(case = %case.code, "cannot open the survivor's number (erased, or its key is gone)");
            return Ok(());
        };
        let recipient = Recipient::Survivor { pseudonym: &case.pseudonym, came_by: None };
        self.outbox.queue_sms(helpline, id, &number, text, &recipient).await.map(drop)
    }

    pub(super) fn survivor_number(&self, case: &Case) -> Option<E164> {
        let number = self.opener.open_text("a case's number", &case.number, case.id.as_bytes())?;
        E164::parse(&number, None).ok()
    }
}

/// The case id in the outbox id of a first-level page: `page-<case id>-<round>-<level>-<counsellor>`
/// (made in [`Cases::advance`]), round 0 and level 0. Later levels wait by design, and
/// supervisors' pages mean nobody answered: neither says how fast the first page went out.
pub(super) fn first_page_of(id: &str) -> Option<&str> {
    let (case_id, rest) = id.strip_prefix("page-")?.split_once('-')?;
    rest.starts_with("0-0-").then_some(case_id)
}

#[cfg(test)]
mod tests {
    use super::first_page_of;

    #[test]
    fn only_first_level_pages_name_their_case() {
        assert_eq!(first_page_of("page-0123456789abcdef-0-0-amina"), Some("0123456789abcdef"));
        assert_eq!(first_page_of("page-0123456789abcdef-0-1-amina"), None);
        assert_eq!(first_page_of("page-0123456789abcdef-1-0-amina"), None);
        assert_eq!(first_page_of("sup-0123456789abcdef-first-amina"), None);
        assert_eq!(first_page_of("r-0123-0"), None);
    }
}
