//! A counsellor's SMS: parsed into a command (`escalation/commands.rs`), run by one small
//! function each (ACK, relay, CALL, PASS, CLOSE, WHO, HELP), and answered by SMS in the
//! counsellor's language.

use chrono::{DateTime, Timelike, Utc};
use fluent_bundle::FluentArgs;

use super::{AckResult, Cases};
use crate::escalation::case::{Answer, Case, State, call_window};
use crate::escalation::commands::{self, Command};
use crate::escalation::rota::{Counsellor, Role};
use crate::helpline::Helpline;
use crate::phone::E164;
use crate::store::StoreError;

/// Who sent a command, and what every command needs to answer it.
struct Asker<'a> {
    /// Their place in the rota.
    index: usize,
    who: &'a Counsellor,
    locale: String,
    helpline: &'a Helpline,
    /// Makes the outbox ids of what the command sends, the same on a provider's retry.
    reply_id: &'a str,
    now: DateTime<Utc>,
}

/// A case is the asker's when they hold it.
fn holds(case: &Case, asker: &Asker) -> bool {
    case.state == State::Acknowledged && case.assigned == asker.who.id
}

impl Cases {
    /// A counsellor's SMS: a command, answered by SMS. `now` decides whether a call is inside
    /// her safe time.
    pub(crate) async fn counsellor_sms(
        &self,
        counsellor: usize,
        from: &E164,
        text: &str,
        helpline: &Helpline,
        reply_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let who = &self.rota.counsellors[counsellor];
        let locale = self.counsellor_locale(counsellor);
        let asker = Asker { index: counsellor, who, locale, helpline, reply_id, now };
        let reply = match commands::parse(text) {
            Command::Ack(code) => self.ack_command(&asker, code, text.split_whitespace().count() > 1).await?,
            Command::Relay { code, text } => self.relay_command(&asker, &code, &text).await?,
            Command::Call(code) => self.call_command(&asker, &code).await?,
            Command::Pass(code) => self.pass_command(&asker, &code).await?,
            Command::Close { code, outcome } => self.close_command(&asker, &code, &outcome).await?,
            Command::Who => self.who_command(&asker),
            Command::Help | Command::Unknown => self.answer(&asker, "cmd-help", &[]),
        };
        let phone = who.phone.clone().unwrap_or_else(|| from.clone());
        self.enqueue(helpline, &format!("cmd-{reply_id}"), &phone, &reply).await
    }

    /// A command's answer in the asker's language.
    fn answer(&self, asker: &Asker, id: &str, args: &[(&str, String)]) -> String {
        let mut all = FluentArgs::new();
        for (k, v) in args {
            all.set(*k, v.clone());
        }
        self.say(&asker.locale, id, &all)
    }

    /// `ACK [code]`: the case is theirs, and her note goes to them (to nobody before).
    async fn ack_command(&self, asker: &Asker<'_>, code: Option<String>, named: bool) -> Result<String, StoreError> {
        let case = match code {
            Some(code) => self.case_by_code(&code).await?,
            None => self.pending_for(&asker.who.id).await?,
        };
        let Some(case) = case else {
            return Ok(if named {
                self.answer(asker, "cmd-no-case", &[("code", String::new())])
            } else {
                self.answer(asker, "cmd-no-pending", &[])
            });
        };
        Ok(match self.ack(&case.code, &asker.who.id).await? {
            AckResult::Taken(case) => {
                let note_id = format!("note-{}", asker.reply_id);
                self.send_note(&case, asker.helpline, asker.index, &note_id).await?;
                let mut args = self.case_args(&case, &asker.locale);
                args.set("code", case.code.clone());
                self.say(&asker.locale, "cmd-acked", &args)
            }
            AckResult::AlreadyTakenBy(name) => self.answer(asker, "cmd-taken", &[("code", case.code), ("name", name)]),
            AckResult::NoCase => self.answer(asker, "cmd-no-case", &[("code", case.code)]),
        })
    }

    /// `<code> <message>`: to her, when the case is theirs and she said SMS is safe.
    async fn relay_command(&self, asker: &Asker<'_>, code: &str, text: &str) -> Result<String, StoreError> {
        let code_arg = [("code", code.to_owned())];
        Ok(match self.case_by_code(code).await? {
            None => self.answer(asker, "cmd-no-case", &code_arg),
            Some(case) if !holds(&case, asker) => self.answer(asker, "cmd-not-yours", &code_arg),
            Some(case) if !case.may_text() => self.answer(asker, "cmd-sms-unsafe", &[]),
            Some(case) if case.left => self.answer(asker, "cmd-she-left", &code_arg),
            Some(case) => {
                self.text_survivor(&case, asker.helpline, &format!("relay-{}", asker.reply_id), text).await?;
                self.log_case(&case, "counsellor wrote to her").await?;
                self.answer(asker, "cmd-relayed", &code_arg)
            }
        })
    }

    /// `CALL <code>`: her number, only when she said a call is safe and it is her safe time
    /// (each showing and each refusal goes in the trail).
    async fn call_command(&self, asker: &Asker<'_>, code: &str) -> Result<String, StoreError> {
        let code_arg = [("code", code.to_owned())];
        let case = match self.case_by_code(code).await? {
            None => return Ok(self.answer(asker, "cmd-no-case", &code_arg)),
            Some(case) if !holds(&case, asker) => return Ok(self.answer(asker, "cmd-not-yours", &code_arg)),
            Some(case) if case.call_safe != Answer::Yes => return Ok(self.answer(asker, "cmd-call-unsafe", &code_arg)),
            Some(case) => case,
        };
        let time = self.time_label(&asker.locale, &case.call_time);
        let hour = asker.now.with_timezone(&asker.helpline.time_zone).hour();
        let inside = call_window(&case.call_time).is_some_and(|(from, to)| (from..to).contains(&hour));
        if !inside {
            self.log_case(&case, &format!("{} asked to call outside her safe time: refused", asker.who.id)).await?;
            return Ok(self.answer(asker, "cmd-call-outside", &[("code", code.to_owned()), ("time", time)]));
        }
        let Some(number) = self.survivor_number(&case) else {
            return Ok(self.answer(asker, "cmd-no-case", &code_arg));
        };
        self.log_case(&case, &format!("her number shown to {}", asker.who.id)).await?;
        let args = [("code", code.to_owned()), ("number", number.as_str().to_owned()), ("time", time)];
        Ok(self.answer(asker, "cmd-call", &args))
    }

    /// `PASS <code>`: back to paging at once, by whoever holds it or was paged for it.
    async fn pass_command(&self, asker: &Asker<'_>, code: &str) -> Result<String, StoreError> {
        let code_arg = [("code", code.to_owned())];
        Ok(match self.case_by_code(code).await? {
            Some(case) if case.assigned == asker.who.id || case.paged.contains(&asker.who.id) => {
                self.pass(&case, &asker.who.id).await?;
                self.answer(asker, "cmd-passed", &code_arg)
            }
            Some(_) => self.answer(asker, "cmd-not-yours", &code_arg),
            None => self.answer(asker, "cmd-no-case", &code_arg),
        })
    }

    /// `CLOSE <code> [outcome]`: by whoever holds it, or any supervisor.
    async fn close_command(&self, asker: &Asker<'_>, code: &str, outcome: &str) -> Result<String, StoreError> {
        let code_arg = [("code", code.to_owned())];
        Ok(match self.case_by_code(code).await? {
            Some(case) if case.assigned == asker.who.id || asker.who.role == Role::Supervisor => {
                self.close(&case, &asker.who.id, outcome).await?;
                self.answer(asker, "cmd-closed", &code_arg)
            }
            Some(_) => self.answer(asker, "cmd-not-yours", &code_arg),
            None => self.answer(asker, "cmd-no-case", &code_arg),
        })
    }

    /// `WHO`: who is on call now on the asker's helplines.
    fn who_command(&self, asker: &Asker) -> String {
        let names: Vec<String> = (asker.who.helplines.iter())
            .flat_map(|h| self.rota.schedules_of(h).flat_map(|s| self.rota.on_call(s, asker.now)))
            .map(|c| self.rota.counsellors[c].name.clone())
            .collect();
        let names = if names.is_empty() { "-".into() } else { names.join(", ") };
        self.answer(asker, "cmd-who", &[("names", names)])
    }

    /// The one case paged to this counsellor and still waiting, if there is exactly one.
    async fn pending_for(&self, counsellor: &str) -> Result<Option<Case>, StoreError> {
        let mut pending: Vec<Case> = (self.all_open().await?.into_iter())
            .filter(|case| matches!(case.state, State::Paging | State::Unanswered))
            .filter(|case| case.paged.iter().any(|p| p == counsellor))
            .collect();
        Ok(if pending.len() == 1 { pending.pop() } else { None })
    }
}
