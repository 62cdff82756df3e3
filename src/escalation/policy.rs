//! Whom to page next: the policy's levels, walked from a position (level, round) at a time.

use chrono::{DateTime, Duration, Utc};

use super::rota::{Policy, Rota, Target};

/// What the escalation worker does when a case's timer fires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Page these counsellors, then wait `wait` for an acknowledgement; the position paged is
    /// (`level`, `round`).
    Page { counsellors: Vec<usize>, wait: Duration, level: u32, round: u32 },
    /// Nobody is on call at this level and the policy waits for the next shift.
    WaitUntil { at: DateTime<Utc>, level: u32, round: u32 },
    /// Every level of every round was paged without an acknowledgement.
    Exhausted,
}

/// How far ahead a normal case looks for the next shift before it moves on.
const SHIFT_HORIZON: Duration = Duration::days(7);

/// The next page from position (`level`, `round`) on: the first level with someone to page.
/// Counsellors who speak the survivor's language come first; when none at a level does, all of
/// that level's are paged (a case is never held back for a language).
pub fn next(
    rota: &Rota,
    policy: &Policy,
    helpline: &str,
    locale: &str,
    mut level: u32,
    mut round: u32,
    now: DateTime<Utc>,
) -> Next {
    while round < policy.repeat {
        while let Some(l) = policy.levels.get(level as usize) {
            let reachable: Vec<usize> = match l.target {
                Target::Schedule(s) => rota.on_call(s, now),
                Target::Supervisors => rota.supervisors(helpline),
            }
            .into_iter()
            .filter(|c| rota.counsellors[*c].phone.is_some())
            .collect();
            let speaking: Vec<usize> = reachable
                .iter()
                .copied()
                .filter(|c| rota.counsellors[*c].languages.iter().any(|l| l == locale))
                .collect();
            let counsellors = if speaking.is_empty() { reachable } else { speaking };
            if !counsellors.is_empty() {
                return Next::Page { counsellors, wait: l.wait, level, round };
            }
            if let (true, Target::Schedule(s)) = (policy.wait_for_shift, l.target)
                && let Some(at) = rota.next_covered(s, now, SHIFT_HORIZON)
            {
                return Next::WaitUntil { at, level, round };
            }
            level += 1;
        }
        level = 0;
        round += 1;
    }
    Next::Exhausted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::Urgency;

    const ROTA: &str = r#"
[[counsellors]]
id = "amina"
name = "Amina"
phone = "+254700000001"
languages = ["sw"]
helplines = ["ke"]

[[counsellors]]
id = "brian"
name = "Brian"
phone = "+254700000002"
languages = ["en"]
helplines = ["ke"]

[[counsellors]]
id = "carol"
name = "Carol"
phone = "+254700000003"
languages = ["en", "sw"]
helplines = ["ke"]
role = "supervisor"

[[schedules]]
id = "day"
helpline = "ke"
time_zone = "Africa/Nairobi"
rotations = [{ members = ["amina", "brian"], shift_hours = 24, handoff = "08:00", start = "2026-11-02" }]

[[schedules]]
id = "both"
helpline = "ke"
time_zone = "Africa/Nairobi"
rotations = [{ members = ["amina"], shift_hours = 24, handoff = "08:00", start = "2026-11-02" }, { members = ["brian"], shift_hours = 24, handoff = "08:00", start = "2026-11-02" }]

[policies.ke.critical]
levels = [{ schedule = "both", wait_minutes = 2 }, { supervisors = true, wait_minutes = 5 }]
repeat = 2

[policies.ke.normal]
levels = [{ schedule = "day", wait_minutes = 30 }]
wait_for_shift = true
"#;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-02T06:00:00Z").unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_survivors_language_goes_first_then_levels_then_rounds() {
        let rota = Rota::parse(ROTA, &["ke"]).unwrap();
        let policy = rota.policy("ke", Urgency::Critical).unwrap();
        assert_eq!(
            next(&rota, policy, "ke", "sw", 0, 0, now()),
            Next::Page { counsellors: vec![0], wait: Duration::minutes(2), level: 0, round: 0 }
        );
        assert_eq!(
            next(&rota, policy, "ke", "fr", 0, 0, now()),
            Next::Page { counsellors: vec![0, 1], wait: Duration::minutes(2), level: 0, round: 0 },
            "nobody speaks fr: all of them"
        );
        assert_eq!(
            next(&rota, policy, "ke", "en", 1, 0, now()),
            Next::Page { counsellors: vec![2], wait: Duration::minutes(5), level: 1, round: 0 }
        );
        assert_eq!(
            next(&rota, policy, "ke", "en", 2, 0, now()),
            Next::Page { counsellors: vec![1], wait: Duration::minutes(2), level: 0, round: 1 }
        );
        assert_eq!(next(&rota, policy, "ke", "en", 2, 1, now()), Next::Exhausted);
    }

    #[test]
    fn a_normal_case_with_nobody_on_call_waits_for_the_shift() {
        let rota = Rota::parse(ROTA, &["ke"]).unwrap();
        let policy = rota.policy("ke", Urgency::Normal).unwrap();
        let before_rota = DateTime::parse_from_rfc3339("2026-11-01T10:00:00Z").unwrap().with_timezone(&Utc);
        let first_shift = DateTime::parse_from_rfc3339("2026-11-02T05:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(
            next(&rota, policy, "ke", "sw", 0, 0, before_rota),
            Next::WaitUntil { at: first_shift, level: 0, round: 0 }
        );
    }
}
