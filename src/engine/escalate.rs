//! Cases end to end: opened by a flow's escalation, paged as the helpline's policy says when
//! their timers come due, taken and answered by counsellors' SMS commands, and relayed between
//! counsellor and survivor.
//!
//! Several gateways can run this at once and any may crash: a timer is claimed with a lease (a
//! gateway that dies leaves it to come due again), pages go through the outbox under ids made of
//! the case, round, level and counsellor (a page computed twice is queued once), and every case
//! change is written only if the case is still at the version it was read at.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Timelike, Utc};
use fluent_bundle::FluentArgs;
use tracing::{error, info, warn};

use super::Gateway;
use crate::channels::SmsIn;
use crate::escalation::case::{Case, State, call_window, new_code, new_id};
use crate::escalation::commands::{self, Command};
use crate::escalation::policy::{self, Next};
use crate::escalation::rota::Role;
use crate::flow::{Effect, Session, Urgency};
use crate::helpline::Helpline;
use crate::outbox::now_ms;
use crate::phone::E164;
use crate::store::{CaseOpen, CaseWrite, Enqueue, Opened, StoreError, Timer};

/// Timers one pass takes.
const BATCH: usize = 10;
const IDLE: Duration = Duration::from_millis(200);

/// Runs the escalation timers, and the purge of closed cases' contact details, until the
/// process stops.
pub async fn run(gateway: Arc<Gateway>) {
    loop {
        if let Err(e) = gateway.purge_due(Utc::now()).await {
            error!(error = %e, "retention: the purge failed; trying again");
        }
        match gateway.escalate_due(Utc::now()).await {
            Ok(0) => {
                tokio::select! {
                    () = gateway.wake_escalation.notified() => {}
                    () = tokio::time::sleep(IDLE) => {}
                }
            }
            Ok(_) => {}
            Err(e) => {
                error!(error = %e, "escalation: the store failed; trying again in a second");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Who an SMS is for.
pub(crate) enum Recipient<'a> {
    Counsellor,
    /// `came_by`: the provider her message came in by, when the helpline names none.
    Survivor {
        pseudonym: &'a str,
        came_by: Option<crate::config::Provider>,
    },
}

/// What acknowledging a case did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AckResult {
    Taken(Box<Case>),
    AlreadyTakenBy(String),
    NoCase,
}

impl Gateway {
    /// Opens (or merges into her open) case for each escalation among a hop's effects.
    pub(crate) async fn open_cases(
        &self,
        helpline: &Helpline,
        session: &Session,
        effects: &[Effect],
        channel: &str,
        number: &E164,
        pseudonym: &str,
    ) -> Result<(), StoreError> {
        let mut opened = false;
        for effect in effects {
            if let Effect::Escalate { urgency, category, .. } = effect {
                let category = &helpline.flow.categories[usize::from(*category)];
                self.open_case(helpline, session, *urgency, category, channel, number, pseudonym).await?;
                opened = true;
            }
        }
        if opened {
            self.wake_escalation.notify_one();
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn open_case(
        &self,
        helpline: &Helpline,
        session: &Session,
        urgency: Urgency,
        category: &str,
        channel: &str,
        number: &E164,
        pseudonym: &str,
    ) -> Result<String, StoreError> {
        if self.is_test_number(number) {
            info!(helpline = %helpline.id, urgency = urgency.as_str(), category, "test number: no case opened");
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
        let now = now_ms();
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
                survivor_key: Case::survivor_key(pseudonym, &helpline.id),
                pseudonym: pseudonym.to_owned(),
                urgency_rank: urgency as u8,
                urgency: urgency.as_str().into(),
                due_ms: now,
                fields: case.fields(),
                updates: updates.clone(),
                log_created: log_line(&format!("opened: {} {category}, {channel}, {}", urgency.as_str(), case.locale)),
                log_raised: log_line(&format!("raised to {} ({category})", urgency.as_str())),
                log_updated: log_line("she answered again: contact answers updated"),
            };
            match self.store.case_open(&open).await? {
                Opened::Created(id) => {
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
        Ok(self.store.case_get(id).await?.and_then(|fields| Case::from_fields(id, fields)))
    }

    /// An open case by its code.
    pub async fn case_by_code(&self, code: &str) -> Result<Option<Case>, StoreError> {
        match self.store.case_lookup(&format!("code:{}", code.to_uppercase())).await? {
            Some(id) => self.case(&id).await,
            None => Ok(None),
        }
    }

    /// Handles the cases whose timers are due; returns how many it took.
    pub async fn escalate_due(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let lease = self.escalation.lease_secs * 1000;
        let ids = self.store.case_claim(now.timestamp_millis() as u64, lease, BATCH).await?;
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
        for id in self.store.cases_all().await? {
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
        let ids = self.store.case_purge_due(now.timestamp_millis() as u64, BATCH).await?;
        for id in &ids {
            self.store.case_anonymize(id).await?;
        }
        if !ids.is_empty() {
            info!(cases = ids.len(), "retention: contact details of closed cases dropped");
        }
        Ok(ids.len())
    }

    /// One timer: page the next level, wait for a shift, or give up to the supervisors.
    async fn advance(&self, id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
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
            self.store.case_write(&write(vec![], Timer::Clear, vec![])).await?;
            return Ok(());
        }
        let Some(helpline) = self.helplines.iter().find(|h| h.id == case.helpline) else {
            warn!(case = %case.code, "a case of a helpline this gateway does not serve");
            return Ok(());
        };
        let repeat_supervisors = now_ms + self.escalation.supervisor_repeat_minutes * 60_000;
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
            let log = log_line(&format!("still unanswered: supervisors paged again ({})", self.names(&supervisors)));
            self.store.case_write(&write(vec![], Timer::At(repeat_supervisors), vec![log])).await?;
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
                let log = log_line(&format!("paged level {} round {}: {}", level + 1, round + 1, paged.join(", ")));
                let due = now_ms + wait.num_milliseconds() as u64;
                info!(case = %case.code, level = level + 1, round = round + 1, "case paged");
                self.store.case_write(&write(fields, Timer::At(due), vec![log])).await?;
            }
            Next::WaitUntil { at, .. } => {
                let log = log_line(&format!("nobody on call: waiting for the shift at {}", at.to_rfc3339()));
                self.store.case_write(&write(vec![], Timer::At(at.timestamp_millis() as u64), vec![log])).await?;
            }
            Next::Exhausted => {
                let supervisors = self.rota.supervisors(&case.helpline);
                self.page(&case, helpline, &supervisors, &format!("sup-{}-first", case.id), "page-unanswered").await?;
                let mut log = vec![log_line(&format!("unanswered: supervisors paged ({})", self.names(&supervisors)))];
                if case.sms_safe {
                    let text = self.say(&case.locale, "case-unanswered", &helpline.contacts_args(&[]));
                    self.text_survivor(&case, helpline, &format!("unanswered-{}", case.id), &text).await?;
                    log.push(log_line("emergency numbers sent to her by SMS"));
                }
                warn!(case = %case.code, "case unanswered: supervisors paged");
                let fields = vec![("state", State::Unanswered.as_str().as_bytes().to_vec())];
                self.store.case_write(&write(fields, Timer::At(repeat_supervisors), log)).await?;
            }
        }
        Ok(())
    }

    /// Queues a page to each counsellor, in their language, under an id that makes it once.
    async fn page(
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
        self.wake_outbox.notify_one();
        Ok(())
    }

    async fn enqueue(&self, helpline: &Helpline, id: &str, to: &E164, text: &str) -> Result<(), StoreError> {
        self.queue_sms(helpline, id, to, text, &Recipient::Counsellor).await.map(drop)
    }

    /// Puts one SMS in the outbox; returns whether it was new. A message to a survivor carries
    /// her pseudonym (her quick exit or erasure cancels it) and the helpline's neutral sender.
    pub(crate) async fn queue_sms(
        &self,
        helpline: &Helpline,
        id: &str,
        to: &E164,
        text: &str,
        recipient: &Recipient<'_>,
    ) -> Result<bool, StoreError> {
        if self.is_test_number(to) {
            return Ok(false); // the simulator's range: nothing is ever sent to it
        }
        let (provider, owner, sender) = match recipient {
            Recipient::Counsellor => {
                (helpline.sms.provider.unwrap_or(crate::config::Provider::Africastalking), None, None)
            }
            Recipient::Survivor { pseudonym, came_by } => (
                helpline.sms.provider.or(*came_by).unwrap_or(crate::config::Provider::Africastalking),
                Some((*pseudonym).to_owned()),
                helpline.sms.neutral_sender.clone(),
            ),
        };
        let enqueue = Enqueue {
            id: id.to_owned(),
            helpline: helpline.id.clone(),
            provider: provider.as_str().into(),
            fallback: helpline.sms.fallback.map(|p| p.as_str().into()),
            to: self.sealer.seal(to.as_str().as_bytes(), id.as_bytes()),
            body: self.sealer.seal(text.as_bytes(), id.as_bytes()),
            due_ms: now_ms(),
            owner,
            sender,
        };
        let new = self.store.outbox_enqueue(&enqueue).await?;
        self.wake_outbox.notify_one();
        Ok(new)
    }

    /// Texts the survivor of a case; callers check that she said SMS is safe.
    async fn text_survivor(&self, case: &Case, helpline: &Helpline, id: &str, text: &str) -> Result<(), StoreError> {
        let Some(number) = self.survivor_number(case) else {
            error!(case = %case.code, "cannot open the survivor's number (erased, or its key is gone)");
            return Ok(());
        };
        let recipient = Recipient::Survivor { pseudonym: &case.pseudonym, came_by: None };
        self.queue_sms(helpline, id, &number, text, &recipient).await.map(drop)
    }

    fn survivor_number(&self, case: &Case) -> Option<E164> {
        let bytes = self.sealer.open(&case.number, case.id.as_bytes()).ok()?;
        E164::parse(std::str::from_utf8(&bytes).ok()?, None).ok()
    }

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
                Some(case) if !case.sms_safe => say("cmd-sms-unsafe", &[]),
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
                Some(case) if !case.call_safe => say("cmd-call-unsafe", &code_arg(&code)),
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
                    let log = log_line(&format!("passed on by {}", who.id));
                    let write = CaseWrite {
                        id: case.id.clone(),
                        version: case.version,
                        fields,
                        timer: Timer::At(now_ms()),
                        close: None,
                        log: vec![log],
                    };
                    self.store.case_write(&write).await?;
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
                log: vec![log_line(&format!("acknowledged by {counsellor}"))],
            };
            if self.store.case_write(&write).await? {
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

    /// Closes a case; her open-case key is released, the record and its trail stay.
    pub async fn close(&self, case: &Case, by: &str, outcome: &str) -> Result<bool, StoreError> {
        let write = CaseWrite {
            id: case.id.clone(),
            version: case.version,
            fields: vec![("state", b"closed".to_vec())],
            timer: Timer::Clear,
            close: Some((case.code.clone(), Case::survivor_key(&case.pseudonym, &case.helpline))),
            log: vec![log_line(&format!(
                "closed by {by}{}",
                if outcome.is_empty() { String::new() } else { format!(": {outcome}") }
            ))],
        };
        let closed = self.store.case_write(&write).await?;
        if closed {
            info!(case = %case.code, by, "case closed");
            let keep = self.retention.case_contact_days * 24 * 3600 * 1000;
            self.store.case_purge_at(&case.id, now_ms() + keep).await?;
        }
        Ok(closed)
    }

    /// Her SMS while a counsellor holds her case goes to that counsellor, with the code in front.
    /// Returns whether it was relayed.
    pub(crate) async fn relay_to_counsellor(
        &self,
        helpline: &Helpline,
        pseudonym: &str,
        text: &str,
        relay_id: &str,
    ) -> Result<bool, StoreError> {
        let Some(id) = self.store.case_lookup(&Case::survivor_key(pseudonym, &helpline.id)).await? else {
            return Ok(false);
        };
        let Some(case) = self.case(&id).await? else { return Ok(false) };
        if case.state != State::Acknowledged {
            return Ok(false);
        }
        let Some(c) = self.rota.by_id(&case.assigned) else { return Ok(false) };
        let Some(phone) = self.rota.counsellors[c].phone.clone() else { return Ok(false) };
        let mut args = FluentArgs::new();
        args.set("code", case.code.clone());
        args.set("text", text.to_owned());
        let relay = self.say(&self.counsellor_locale(c), "relay-from-survivor", &args);
        self.enqueue(helpline, &format!("relay-{relay_id}"), &phone, &relay).await?;
        self.log_case(&case, "she wrote to the counsellor").await?;
        Ok(true)
    }

    async fn log_case(&self, case: &Case, event: &str) -> Result<(), StoreError> {
        // A log line alone: written against the version read, retried once on a race.
        for _ in 0..2 {
            let Some(current) = self.case(&case.id).await? else { return Ok(()) };
            let write = CaseWrite {
                id: case.id.clone(),
                version: current.version,
                fields: vec![],
                timer: Timer::Keep,
                close: None,
                log: vec![log_line(event)],
            };
            if self.store.case_write(&write).await? {
                break;
            }
        }
        Ok(())
    }

    /// The one case paged to this counsellor and still waiting, if there is exactly one.
    async fn pending_for(&self, counsellor: &str) -> Result<Option<Case>, StoreError> {
        let mut pending = Vec::new();
        for id in self.store.cases_open().await? {
            if let Some(case) = self.case(&id).await?
                && matches!(case.state, State::Paging | State::Unanswered)
                && case.paged.iter().any(|p| p == counsellor)
            {
                pending.push(case);
            }
        }
        Ok(if pending.len() == 1 { pending.pop() } else { None })
    }

    /// The first of the counsellor's languages that has the commands' messages.
    fn counsellor_locale(&self, counsellor: usize) -> String {
        let languages = &self.rota.counsellors[counsellor].languages;
        languages
            .iter()
            .find(|l| self.catalog.format(l, "cmd-help", &FluentArgs::new()).ok().flatten().is_some())
            .cloned()
            .unwrap_or_else(|| "en".into())
    }

    fn names(&self, counsellors: &[usize]) -> String {
        counsellors.iter().map(|c| self.rota.counsellors[*c].id.clone()).collect::<Vec<_>>().join(", ")
    }

    /// What a page and an acknowledgement say about a case.
    fn case_args(&self, case: &Case, locale: &str) -> FluentArgs<'static> {
        let word = |id: &str| self.say(locale, id, &FluentArgs::new());
        let call = if case.call_safe {
            format!("{}, {}", word("yes"), self.time_label(locale, &case.call_time))
        } else {
            word("no")
        };
        let mut args = FluentArgs::new();
        args.set("code", case.code.clone());
        args.set("urgency", case.urgency.as_str().to_uppercase());
        args.set("category", case.category.clone());
        args.set("lang", case.locale.clone());
        args.set("call", call);
        args.set("sms", word(if case.sms_safe { "yes" } else { "no" }));
        args
    }

    fn time_label(&self, locale: &str, call_time: &str) -> String {
        if call_time.is_empty() {
            return "-".into();
        }
        self.say(locale, &format!("time-{call_time}"), &FluentArgs::new())
    }

    /// A message in a locale (walking its fallbacks), or its id when it is missing.
    pub(crate) fn say(&self, locale: &str, id: &str, args: &FluentArgs) -> String {
        match self.catalog.format(locale, id, args) {
            Ok(Some(text)) => text,
            _ => self.catalog.format("en", id, args).ok().flatten().unwrap_or_else(|| id.to_owned()),
        }
    }
}

/// An audit-trail line: the time, then what happened.
fn log_line(event: &str) -> String {
    format!("{} {event}", Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}
