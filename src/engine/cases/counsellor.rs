//! A counsellor's SMS: the commands (ACK, PASS, CLOSE, CALL) and the relay both ways.

use chrono::{DateTime, Timelike, Utc};
use fluent_bundle::FluentArgs;
use tracing::info;

use super::AckResult;
use crate::channels::SmsIn;
use crate::engine::Gateway;
use crate::escalation::case::{Answer, Case, State, call_window};
use crate::escalation::commands::{self, Command};
use crate::escalation::rota::Role;
use crate::helpline::Helpline;
use crate::store::{CaseWrite, Release, StoreError, Timer};

impl Gateway {
    /// A counsellor's SMS: a command, answered by SMS. `now` decides whether a call is inside
    /// her safe time.
    pub(crate) async fn counsellor_sms(
        &self,
        counsellor: usize,
        message: &SmsIn,
        helpline: &Helpline,
        reply_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let who = &self.rota.counsellors[counsellor];
        let locale = self.counsellor_locale(counsellor);
        let say = |id: &str, args: &[(&str, String)]| {
            let mut all = FluentArgs::new();
            for (k, v) in args {
                all.set(*k, v.clone());
            }
            self.say(&locale, id, &all)
        };
        let code_arg = |c: &str| [("code", c.to_owned())];
        let reply = match commands::parse(&message.text) {
            Command::Ack(code) => {
                let case = match code {
                    Some(code) => self.case_by_code(&code).await?,
                    None => self.pending_for(&who.id).await?,
                };
                match case {
                    None if message.text.split_whitespace().count() > 1 => say("cmd-no-case", &code_arg("")),
                    None => say("cmd-no-pending", &[]),
                    Some(case) => match self.ack(&case.code, &who.id).await? {
                        AckResult::Taken(case) => {
                            // Her note goes to the one who took her case, and to nobody before.
                            self.send_note(&case, helpline, counsellor, &format!("note-{reply_id}")).await?;
                            let mut args = self.case_args(&case, &locale);
                            args.set("code", case.code.clone());
                            self.say(&locale, "cmd-acked", &args)
                        }
                        AckResult::AlreadyTakenBy(name) => {
                            say("cmd-taken", &[("code", case.code.clone()), ("name", name)])
                        }
                        AckResult::NoCase => say("cmd-no-case", &code_arg(&case.code)),
                    },
                }
            }
            Command::Relay { code, text } => match self.case_by_code(&code).await? {
                None => say("cmd-no-case", &code_arg(&code)),
                Some(case) if case.state != State::Acknowledged || case.assigned != who.id => {
                    say("cmd-not-yours", &code_arg(&code))
                }
                Some(case) if !case.may_text() => say("cmd-sms-unsafe", &[]),
                Some(case) if case.left => say("cmd-she-left", &code_arg(&code)),
                Some(case) => {
                    self.text_survivor(&case, helpline, &format!("relay-{reply_id}"), &text).await?;
                    self.log_case(&case, "counsellor wrote to her").await?;
                    say("cmd-relayed", &code_arg(&code))
                }
            },
            Command::Call(code) => match self.case_by_code(&code).await? {
                None => say("cmd-no-case", &code_arg(&code)),
                Some(case) if case.state != State::Acknowledged || case.assigned != who.id => {
                    say("cmd-not-yours", &code_arg(&code))
                }
                Some(case) if case.call_safe != Answer::Yes => say("cmd-call-unsafe", &code_arg(&code)),
                Some(case) => {
                    let time = self.time_label(&locale, &case.call_time);
                    let hour = now.with_timezone(&helpline.time_zone).hour();
                    match call_window(&case.call_time) {
                        Some((from, to)) if (from..to).contains(&hour) => match self.survivor_number(&case) {
                            Some(number) => {
                                self.log_case(&case, &format!("her number shown to {}", who.id)).await?;
                                say(
                                    "cmd-call",
                                    &[("code", code.clone()), ("number", number.as_str().to_owned()), ("time", time)],
                                )
                            }
                            None => say("cmd-no-case", &code_arg(&code)),
                        },
                        _ => {
                            self.log_case(&case, &format!("{} asked to call outside her safe time: refused", who.id))
                                .await?;
                            say("cmd-call-outside", &[("code", code.clone()), ("time", time)])
                        }
                    }
                }
            },
            Command::Pass(code) => match self.case_by_code(&code).await? {
                Some(case) if case.assigned == who.id || case.paged.contains(&who.id) => {
                    let fields = vec![("state", b"paging".to_vec()), ("assigned", Vec::new())];
                    let log = self.log_line(&format!("passed on by {}", who.id));
                    let write = CaseWrite {
                        id: case.id.clone(),
                        version: case.version,
                        fields,
                        timer: Timer::At(self.clock.now_ms()),
                        close: None,
                        log: vec![log],
                    };
                    self.store.cases().write(&write).await?;
                    self.wake_escalation.notify_one();
                    say("cmd-passed", &code_arg(&code))
                }
                Some(_) => say("cmd-not-yours", &code_arg(&code)),
                None => say("cmd-no-case", &code_arg(&code)),
            },
            Command::Close { code, outcome } => match self.case_by_code(&code).await? {
                Some(case) if case.assigned == who.id || who.role == Role::Supervisor => {
                    self.close(&case, &who.id, &outcome).await?;
                    say("cmd-closed", &code_arg(&code))
                }
                Some(_) => say("cmd-not-yours", &code_arg(&code)),
                None => say("cmd-no-case", &code_arg(&code)),
            },
            Command::Who => {
                let names: Vec<String> = who
                    .helplines
                    .iter()
                    .flat_map(|h| self.rota.schedules_of(h).flat_map(|s| self.rota.on_call(s, now)))
                    .map(|c| self.rota.counsellors[c].name.clone())
                    .collect();
                say("cmd-who", &[("names", if names.is_empty() { "-".into() } else { names.join(", ") })])
            }
            Command::Help | Command::Unknown => say("cmd-help", &[]),
        };
        let phone = who.phone.clone().unwrap_or_else(|| message.from.clone());
        self.enqueue(helpline, &format!("cmd-{reply_id}"), &phone, &reply).await
    }

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
            let write = CaseWrite {
                id: case.id.clone(),
                version: case.version,
                fields: vec![("state", b"acknowledged".to_vec()), ("assigned", counsellor.as_bytes().to_vec())],
                timer: Timer::Clear,
                close: None,
                log: vec![self.log_line(&format!("acknowledged by {counsellor}"))],
            };
            if self.store.cases().write(&write).await? {
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

    /// Closes a case; her open-case key is released, the record and its trail stay. The
    /// counsellor's outcome can tell her story: it is sealed with the case, like her note, and
    /// dropped with her contact details; the trail says only that there is one.
    pub async fn close(&self, case: &Case, by: &str, outcome: &str) -> Result<bool, StoreError> {
        let mut fields = vec![("state", b"closed".to_vec())];
        let mut said = "";
        if !outcome.is_empty() {
            fields.push(("outcome", self.sealer.seal(outcome.as_bytes(), case.id.as_bytes())));
            said = " (outcome sealed with the case)";
        }
        let write = CaseWrite {
            id: case.id.clone(),
            version: case.version,
            fields,
            timer: Timer::Clear,
            close: Some(Release {
                code: case.code.clone(),
                pseudonym: case.pseudonym.clone(),
                helpline: case.helpline.clone(),
            }),
            log: vec![self.log_line(&format!("closed by {by}{said}"))],
        };
        let closed = self.store.cases().write(&write).await?;
        if closed {
            info!(case = %case.code, by, "case closed");
            let keep = self.retention.case_contact_days * 24 * 3600 * 1000;
            self.store.cases().purge_at(&case.id, self.clock.now_ms() + keep).await?;
        }
        Ok(closed)
    }

    /// Her open case on a helpline, if any (one look-up for each of her SMS).
    pub(crate) async fn her_case(&self, helpline: &Helpline, pseudonym: &str) -> Result<Option<Case>, StoreError> {
        match self.store.cases().open_for(pseudonym, &helpline.id).await? {
            Some(id) => self.case(&id).await,
            None => Ok(None),
        }
    }

    /// Her SMS while a counsellor holds her case goes to that counsellor, with the code in front.
    /// Returns whether it was relayed. Writing again after her quick exit opens the relay again.
    pub(crate) async fn relay_to_counsellor(
        &self,
        helpline: &Helpline,
        case: Option<&Case>,
        text: &str,
        relay_id: &str,
    ) -> Result<bool, StoreError> {
        let Some(case) = case.filter(|c| c.state == State::Acknowledged) else { return Ok(false) };
        if case.left {
            let write = CaseWrite {
                id: case.id.clone(),
                version: case.version,
                fields: vec![("left", b"no".to_vec())],
                timer: Timer::Keep,
                close: None,
                log: vec![self.log_line("she wrote again after her quick exit")],
            };
            self.store.cases().write(&write).await?;
        }
        let Some(c) = self.rota.by_id(&case.assigned) else { return Ok(false) };
        let Some(phone) = self.rota.counsellors[c].phone.clone() else { return Ok(false) };
        let mut args = FluentArgs::new();
        args.set("code", case.code.clone());
        args.set("text", text.to_owned());
        let relay = self.say(&self.counsellor_locale(c), "relay-from-survivor", &args);
        self.enqueue(helpline, &format!("relay-{relay_id}"), &phone, &relay).await?;
        self.log_case(case, "she wrote to the counsellor").await?;
        Ok(true)
    }

    pub(super) async fn log_case(&self, case: &Case, event: &str) -> Result<(), StoreError> {
        // A log line alone: written against the version read, retried once on a race.
        for _ in 0..2 {
            let Some(current) = self.case(&case.id).await? else { return Ok(()) };
            let write = CaseWrite {
                id: case.id.clone(),
                version: current.version,
                fields: vec![],
                timer: Timer::Keep,
                close: None,
                log: vec![self.log_line(event)],
            };
            if self.store.cases().write(&write).await? {
                break;
            }
        }
        Ok(())
    }

    /// The one case paged to this counsellor and still waiting, if there is exactly one.
    pub(super) async fn pending_for(&self, counsellor: &str) -> Result<Option<Case>, StoreError> {
        let mut pending = Vec::new();
        for id in self.store.cases().open_ids().await? {
            if let Some(case) = self.case(&id).await?
                && matches!(case.state, State::Paging | State::Unanswered)
                && case.paged.iter().any(|p| p == counsellor)
            {
                pending.push(case);
            }
        }
        Ok(if pending.len() == 1 { pending.pop() } else { None })
    }
}
