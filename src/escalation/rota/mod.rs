//! The on-call rota: counsellors, schedules built from rotations and dated overrides, and the
//! escalation policy of each helpline and urgency, read from one TOML file that the helpline's
//! coordinator edits (`escalation.rota_file`). Who is on call is pure arithmetic on the time.
//!
//! ```toml
//! [[counsellors]]
//! id = "wanjiru"          # used in commands and logs
//! name = "Wanjiru"        # the name she gives survivors
//! phone = "+254700000001"
//! languages = ["sw", "en"]
//! helplines = ["ke"]
//! role = "counsellor"     # or "supervisor"
//!
//! [[schedules]]
//! id = "ke-primary"
//! helpline = "ke"
//! time_zone = "Africa/Nairobi"
//! rotations = [{ members = ["wanjiru", "achieng"], shift_hours = 12, handoff = "08:00", start = "2026-11-02" }]
//! overrides = [{ start = "2026-12-24T20:00", end = "2026-12-25T08:00", counsellor = "otieno" }]
//!
//! [policies.ke.critical]
//! levels = [{ schedule = "ke-primary", wait_minutes = 2 }, { schedule = "ke-backup", wait_minutes = 3 }, { supervisors = true, wait_minutes = 5 }]
//! repeat = 3              # rounds through the levels before the case is unanswered
//! ```
//!
//! `file.rs` reads and checks that file; this one answers who is on call, and when nobody is.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::flow::Urgency;
use crate::phone::E164;

mod file;

#[derive(Deserialize, Default, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    #[default]
    Counsellor,
    Supervisor,
}

#[derive(Debug, Clone)]
pub struct Counsellor {
    pub id: String,
    pub name: String,
    /// `None` when the rota's number is not a valid one (`salama rota gaps` lists them).
    pub phone: Option<E164>,
    pub languages: Vec<String>,
    pub helplines: Vec<String>,
    pub role: Role,
}

#[derive(Debug)]
pub struct Schedule {
    pub id: String,
    pub helpline: String,
    pub tz: Tz,
    rotations: Vec<Rotation>,
    overrides: Vec<Override>,
}

#[derive(Debug)]
struct Rotation {
    members: Vec<usize>,
    shift: Duration,
    anchor: DateTime<Utc>,
}

#[derive(Debug)]
struct Override {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    counsellor: usize,
}

/// Who a level pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Schedule(usize),
    Supervisors,
}

#[derive(Debug, Clone)]
pub struct Level {
    pub target: Target,
    pub wait: Duration,
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub levels: Vec<Level>,
    pub repeat: u32,
    pub wait_for_shift: bool,
}

#[derive(Debug, Default)]
pub struct Rota {
    pub counsellors: Vec<Counsellor>,
    pub schedules: Vec<Schedule>,
    policies: HashMap<(String, Urgency), Policy>,
}

#[derive(Debug, thiserror::Error)]
#[error("{file}: {reason}")]
pub struct RotaError {
    pub file: String,
    pub reason: String,
}

/// An hour-aligned stretch with nobody to page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub schedule: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Rota {
    /// Counsellors on call on a schedule at `at`: an override covering `at` replaces the rotations.
    pub fn on_call(&self, schedule: usize, at: DateTime<Utc>) -> Vec<usize> {
        let s = &self.schedules[schedule];
        let overriding: Vec<usize> =
            s.overrides.iter().filter(|o| o.start <= at && at < o.end).map(|o| o.counsellor).collect();
        if !overriding.is_empty() {
            return overriding;
        }
        let mut on_call = Vec::new();
        for r in &s.rotations {
            if at < r.anchor {
                continue;
            }
            let shifts = (at - r.anchor).num_seconds() / r.shift.num_seconds();
            let member = r.members[(shifts as usize) % r.members.len()];
            if !on_call.contains(&member) {
                on_call.push(member);
            }
        }
        on_call
    }

    /// A schedule's overrides: (start, end, counsellor), in the file's order.
    pub fn overrides(&self, schedule: usize) -> Vec<(DateTime<Utc>, DateTime<Utc>, usize)> {
        self.schedules[schedule].overrides.iter().map(|o| (o.start, o.end, o.counsellor)).collect()
    }

    /// The helpline's supervisors.
    pub fn supervisors(&self, helpline: &str) -> Vec<usize> {
        (0..self.counsellors.len())
            .filter(|i| {
                let c = &self.counsellors[*i];
                c.role == Role::Supervisor && c.helplines.iter().any(|h| h == helpline)
            })
            .collect()
    }

    pub fn policy(&self, helpline: &str, urgency: Urgency) -> Option<&Policy> {
        self.policies.get(&(helpline.to_owned(), urgency))
    }

    /// The counsellor whose phone this is: the only way an SMS is taken as a command.
    pub fn by_phone(&self, number: &E164) -> Option<usize> {
        self.counsellors.iter().position(|c| c.phone.as_ref() == Some(number))
    }

    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.counsellors.iter().position(|c| c.id == id)
    }

    /// Schedules of a helpline.
    pub fn schedules_of<'a>(&'a self, helpline: &'a str) -> impl Iterator<Item = usize> + 'a {
        (0..self.schedules.len()).filter(move |i| self.schedules[*i].helpline == helpline)
    }

    /// The first hour from `after` (within `within`) at which someone with a valid phone is on
    /// call on the schedule.
    pub fn next_covered(&self, schedule: usize, after: DateTime<Utc>, within: Duration) -> Option<DateTime<Utc>> {
        let mut at = after;
        while at < after + within {
            if self.on_call(schedule, at).iter().any(|c| self.counsellors[*c].phone.is_some()) {
                return Some(at);
            }
            at = next_hour(at);
        }
        None
    }

    /// Stretches of the next `days` with nobody (with a valid phone) on call, hour by hour.
    pub fn gaps(&self, from: DateTime<Utc>, days: u32) -> Vec<Gap> {
        let mut gaps: Vec<Gap> = Vec::new();
        for (i, s) in self.schedules.iter().enumerate() {
            let mut at = from;
            while at < from + Duration::days(i64::from(days)) {
                let next = next_hour(at);
                if !self.on_call(i, at).iter().any(|c| self.counsellors[*c].phone.is_some()) {
                    match gaps.last_mut() {
                        Some(g) if g.schedule == s.id && g.end == at => g.end = next,
                        _ => gaps.push(Gap { schedule: s.id.clone(), start: at, end: next }),
                    }
                }
                at = next;
            }
        }
        gaps
    }
}

fn local(tz: Tz, naive: NaiveDateTime) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc))
}

fn next_hour(at: DateTime<Utc>) -> DateTime<Utc> {
    let secs = at.timestamp();
    DateTime::from_timestamp(secs - secs.rem_euclid(3600) + 3600, 0).unwrap_or(at + Duration::hours(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROTA: &str = r#"
[[counsellors]]
id = "wanjiru"
name = "Wanjiru"
phone = "+254700000001"
languages = ["sw", "en"]
helplines = ["ke"]

[[counsellors]]
id = "achieng"
name = "Achieng"
phone = "+254700000002"
languages = ["en"]
helplines = ["ke"]

[[counsellors]]
id = "otieno"
name = "Otieno"
phone = "not a phone"
languages = ["sw"]
helplines = ["ke"]
role = "supervisor"

[[schedules]]
id = "ke-primary"
helpline = "ke"
time_zone = "Africa/Nairobi"
rotations = [{ members = ["wanjiru", "achieng"], shift_hours = 12, handoff = "08:00", start = "2026-11-02" }]
overrides = [{ start = "2026-12-24T20:00", end = "2026-12-25T08:00", counsellor = "otieno" }]

[policies.ke.critical]
levels = [{ schedule = "ke-primary", wait_minutes = 2 }, { supervisors = true, wait_minutes = 5 }]
repeat = 2
"#;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn shifts_hand_off_at_local_time() {
        let rota = Rota::parse(ROTA, &["ke"]).unwrap();
        let who = |t| rota.on_call(0, at(t)).iter().map(|i| rota.counsellors[*i].id.clone()).collect::<Vec<_>>();
        // 08:00 in Nairobi is 05:00 UTC.
        assert_eq!(who("2026-11-02T05:00:00Z"), ["wanjiru"]);
        assert_eq!(who("2026-11-02T16:59:59Z"), ["wanjiru"]);
        assert_eq!(who("2026-11-02T17:00:00Z"), ["achieng"], "20:00 in Nairobi");
        assert_eq!(who("2026-11-03T05:00:00Z"), ["wanjiru"]);
        assert_eq!(who("2026-11-01T12:00:00Z"), Vec::<String>::new(), "before the rotation starts");
        assert_eq!(who("2026-12-24T18:00:00Z"), ["otieno"], "the Christmas Eve override");
    }

    #[test]
    fn gaps_show_hours_nobody_reachable_covers() {
        let rota = Rota::parse(ROTA, &["ke"]).unwrap();
        // Otieno's override has no valid phone: 12 hours uncovered.
        let gaps = rota.gaps(at("2026-12-24T00:00:00Z"), 2);
        assert_eq!(
            gaps,
            vec![Gap {
                schedule: "ke-primary".into(),
                start: at("2026-12-24T17:00:00Z"),
                end: at("2026-12-25T05:00:00Z")
            }]
        );
        assert_eq!(
            rota.next_covered(0, at("2026-12-24T18:00:00Z"), Duration::days(1)),
            Some(at("2026-12-25T05:00:00Z"))
        );
    }

    #[test]
    fn phones_supervisors_and_policies_are_found() {
        let rota = Rota::parse(ROTA, &["ke"]).unwrap();
        assert_eq!(rota.by_phone(&E164::parse("+254700000002", None).unwrap()), Some(1));
        assert_eq!(rota.supervisors("ke"), vec![2]);
        let policy = rota.policy("ke", Urgency::Critical).unwrap();
        assert_eq!((policy.levels.len(), policy.repeat, policy.levels[1].target), (2, 2, Target::Supervisors));
        assert!(rota.policy("ke", Urgency::Normal).is_none());
    }

    #[test]
    fn mistakes_are_refused_with_what_to_fix() {
        let cases = [
            (ROTA.replace("\"wanjiru\", \"achieng\"", "\"wanjiru\", \"nobody\""), "no counsellor \"nobody\""),
            (ROTA.replace("Africa/Nairobi", "Nairobi"), "is not an IANA zone"),
            (ROTA.replace("handoff = \"08:00\"", "handoff = \"8am\""), "is not HH:MM"),
            (ROTA.replace("schedule = \"ke-primary\"", "schedule = \"ke-backup\""), "no schedule \"ke-backup\""),
            (ROTA.replace("[policies.ke.critical]", "[policies.ke.urgent]"), "must be critical, high or normal"),
            (ROTA.replace("end = \"2026-12-25T08:00\"", "end = \"2026-12-24T08:00\""), "ends before it starts"),
        ];
        for (text, expected) in cases {
            let e = Rota::parse(&text, &["ke"]).unwrap_err();
            assert!(e.contains(expected), "{e}");
        }
        assert!(Rota::parse(ROTA, &["bj"]).unwrap_err().contains("helpline \"ke\" is not in the config"));
    }
}
