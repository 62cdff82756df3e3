//! How she may be reached: her answers put on the case she has open, the question asked by SMS
//! after a critical message and her answer to it, and whether anyone is on call to reach her.

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;

use super::Cases;
use super::actions::change;
use crate::escalation::case::{Answer, Case, State};
use crate::flow::Session;
use crate::helpline::Helpline;
use crate::outbox::Recipient;
use crate::store::{StoreError, Timer};

/// What she said about being reached, and her note.
#[derive(Debug, Clone, Default)]
pub(crate) struct Answers {
    pub call: Answer,
    pub call_time: String,
    pub sms: Answer,
    pub note: String,
    /// `yes` when she agreed to anonymous use of her case; empty when not asked.
    pub consent: String,
}

impl Answers {
    /// Her answers as a session holds them (the flow's fields).
    pub(crate) fn of(helpline: &Helpline, session: &Session) -> Answers {
        let flow = &helpline.flow;
        let field = |name: &str| {
            flow.fields.iter().position(|f| f == name).and_then(|i| session.field(i as u8)).unwrap_or("").to_owned()
        };
        Answers {
            call: Answer::parse(&field("call_safe")),
            call_time: field("call_time"),
            sms: Answer::parse(&field("sms_safe")),
            note: field("note"),
            consent: field("consent"),
        }
    }

    /// Her answer to the SMS question: `1` a call, `2` SMS, `3` neither.
    fn of_reply(text: &str) -> Option<Answers> {
        let (call, sms) = match text.trim() {
            "1" => (Answer::Yes, Answer::No),
            "2" => (Answer::No, Answer::Yes),
            "3" => (Answer::No, Answer::No),
            _ => return None,
        };
        let call_time = if call == Answer::Yes { "any".into() } else { String::new() };
        Some(Answers { call, call_time, sms, ..Answers::default() })
    }
}

impl Cases {
    /// Someone on the helpline's rota is on call now: only then may a screen say a counsellor
    /// will contact her.
    pub fn staffed(&self, helpline: &str, now: DateTime<Utc>) -> bool {
        self.rota.schedules_of(helpline).any(|s| !self.rota.on_call(s, now).is_empty())
    }

    /// Puts her answers on her open case (nothing when she has none, or nothing changed); returns
    /// the case as it was read.
    pub(crate) async fn update_contact(
        &self,
        helpline: &Helpline,
        pseudonym: &str,
        answers: &Answers,
    ) -> Result<Option<Case>, StoreError> {
        for _ in 0..3 {
            let Some(id) = self.store.cases().open_for(pseudonym, &helpline.id).await? else { return Ok(None) };
            let Some(case) = self.case(&id).await? else { return Ok(None) };
            let mut fields = Vec::new();
            if answers.call != Answer::NotAsked
                && (answers.call, &answers.call_time) != (case.call_safe, &case.call_time)
            {
                fields.push(("call_safe", answers.call.as_str().as_bytes().to_vec()));
                fields.push(("call_time", answers.call_time.as_bytes().to_vec()));
            }
            if answers.sms != Answer::NotAsked && answers.sms != case.sms_safe {
                fields.push(("sms_safe", answers.sms.as_str().as_bytes().to_vec()));
            }
            let answered = answers.call != Answer::NotAsked || answers.sms != Answer::NotAsked;
            if case.asked && answered {
                fields.push(("asked", b"no".to_vec()));
            }
            let note = self.seal_note(&answers.note, &case.id);
            if !note.is_empty() && self.open_note(&case).as_deref() != Some(answers.note.as_str()) {
                fields.push(("note", note));
            }
            if fields.is_empty() {
                return Ok(Some(case));
            }
            let (call, sms) = (answers.call.label(), answers.sms.label());
            let log = self.log_line(&format!("she answered: call {call}, SMS {sms}"));
            if self.write_kept(&change(&case, fields, Timer::Keep, log), "case_answers").await? {
                // Not read again: what callers use of it (her code, number, language) this write
                // does not change, and the hop saves a round trip.
                return Ok(Some(case));
            }
        }
        Ok(None)
    }

    /// After a critical SMS: the emergency numbers, and (unless her case already knows) one
    /// question, how she may be reached. Said honestly when nobody is on call. Nothing is sent
    /// when she said SMS is not safe.
    pub(crate) async fn ask_reach(
        &self,
        helpline: &Helpline,
        case_id: &str,
        locale: &str,
        outbox_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let Some(case) = self.case(case_id).await? else { return Ok(()) };
        if case.sms_safe == Answer::No {
            return Ok(());
        }
        let staffed = self.staffed(&helpline.id, now);
        let known = case.call_safe != Answer::NotAsked && case.sms_safe != Answer::NotAsked;
        let message = match (known, staffed) {
            (true, true) => "triage-critical",
            (true, false) => "crisis-unstaffed",
            (false, true) => "crisis-reach-sms",
            (false, false) => "crisis-reach-sms-nobody",
        };
        if !known && !case.asked {
            let log = self.log_line("asked by SMS how she may be reached");
            self.store.cases().write(&change(&case, vec![("asked", b"yes".to_vec())], Timer::Keep, log)).await?;
        }
        let text = self.say(locale, message, &helpline.contacts_args(&[]));
        self.text_survivor(&case, helpline, outbox_id, &text).await
    }

    /// Her `1`, `2` or `3` after the question: put on her case. Only "SMS is safe" is answered
    /// by SMS (the other two said SMS is not). Returns whether the text was her answer.
    pub(crate) async fn reach_answer(
        &self,
        helpline: &Helpline,
        case: Option<&Case>,
        text: &str,
        outbox_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let Some(case) = case.filter(|c| c.asked && c.state != State::Closed) else { return Ok(false) };
        let Some(answers) = Answers::of_reply(text) else { return Ok(false) };
        let Some(case) = self.update_contact(helpline, &case.pseudonym, &answers).await? else { return Ok(true) };
        if answers.sms == Answer::Yes {
            let message = if self.staffed(&helpline.id, now) { "crisis-reach-sms-ok" } else { "crisis-unstaffed" };
            let text = self.say(&case.locale, message, &helpline.contacts_args(&[]));
            self.text_survivor(&case, helpline, outbox_id, &text).await?;
        }
        Ok(true)
    }

    /// Her note, opened, for the counsellor who acknowledged her case (never in a page).
    pub(crate) async fn send_note(
        &self,
        case: &Case,
        helpline: &Helpline,
        counsellor: usize,
        id: &str,
    ) -> Result<(), StoreError> {
        let Some(note) = self.open_note(case) else { return Ok(()) };
        let Some(phone) = self.rota.counsellors[counsellor].phone.clone() else { return Ok(()) };
        let mut args = FluentArgs::new();
        args.set("code", case.code.clone());
        args.set("note", note);
        let text = self.say(&self.counsellor_locale(counsellor), "crisis-her-note", &args);
        self.outbox.queue_sms(helpline, id, &phone, &text, &Recipient::Counsellor).await.map(drop)
    }

    /// Her note, opened; one that does not open is counted and logged by the [`Opener`](crate::privacy::Opener).
    fn open_note(&self, case: &Case) -> Option<String> {
        if case.note.is_empty() {
            return None;
        }
        self.opener.open_text("her note", &case.note, case.id.as_bytes())
    }
}
