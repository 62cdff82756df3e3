//! The texts counsellors read, in their language, and the audit trail's lines.

use fluent_bundle::FluentArgs;

use super::Cases;
use crate::escalation::case::{Answer, Case};

impl Cases {
    /// The first of the counsellor's languages that has the commands' messages.
    pub(super) fn counsellor_locale(&self, counsellor: usize) -> String {
        let languages = &self.rota.counsellors[counsellor].languages;
        languages
            .iter()
            .find(|l| self.catalog.format(l, "cmd-help", &FluentArgs::new()).ok().flatten().is_some())
            .cloned()
            .unwrap_or_else(|| "en".into())
    }

    pub(super) fn names(&self, counsellors: &[usize]) -> String {
        counsellors.iter().map(|c| self.rota.counsellors[*c].id.clone()).collect::<Vec<_>>().join(", ")
    }

    /// What a page and an acknowledgement say about a case.
    pub(super) fn case_args(&self, case: &Case, locale: &str) -> FluentArgs<'static> {
        let word = |id: &str| self.say(locale, id, &FluentArgs::new());
        let answer = |a: Answer| {
            word(match a {
                Answer::Yes => "yes",
                Answer::No => "no",
                Answer::NotAsked => "not-asked",
            })
        };
        let call = match case.call_safe {
            Answer::Yes => format!("{}, {}", word("yes"), self.time_label(locale, &case.call_time)),
            other => answer(other),
        };
        let mut args = FluentArgs::new();
        args.set("code", case.code.clone());
        args.set("urgency", case.urgency.as_str().to_uppercase());
        args.set("category", case.category.clone());
        args.set("lang", case.locale.clone());
        args.set("call", call);
        args.set("sms", answer(case.sms_safe));
        args
    }

    pub(super) fn time_label(&self, locale: &str, call_time: &str) -> String {
        if call_time.is_empty() {
            return "-".into();
        }
        self.say(locale, &format!("time-{call_time}"), &FluentArgs::new())
    }

    /// A message in a locale (walking its fallbacks), or its id when it is missing.
    pub(super) fn say(&self, locale: &str, id: &str, args: &FluentArgs) -> String {
        self.catalog.say(locale, id, args)
    }

    /// An audit-trail line: the time, then what happened.
    pub(super) fn log_line(&self, event: &str) -> String {
        format!("{} {event}", self.clock.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    }
}
