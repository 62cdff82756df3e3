//! The rota file as the coordinator writes it (the TOML in the parent module's doc), and the
//! checks that turn it into a [`Rota`]: every name resolved, every time zone and date read,
//! every helpline and urgency known. Errors say which entry is wrong.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;
use serde::Deserialize;

use super::*;
use crate::flow::Urgency;
use crate::phone::E164;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RotaFile {
    #[serde(default)]
    counsellors: Vec<CounsellorDef>,
    #[serde(default)]
    schedules: Vec<ScheduleDef>,
    #[serde(default)]
    policies: BTreeMap<String, BTreeMap<String, PolicyDef>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CounsellorDef {
    id: String,
    name: String,
    phone: String,
    languages: Vec<String>,
    helplines: Vec<String>,
    #[serde(default)]
    role: Role,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleDef {
    id: String,
    helpline: String,
    time_zone: String,
    #[serde(default)]
    rotations: Vec<RotationDef>,
    #[serde(default)]
    overrides: Vec<OverrideDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RotationDef {
    members: Vec<String>,
    shift_hours: u32,
    /// Local time of the hand-off, `HH:MM`.
    handoff: String,
    /// The date the first member's first shift begins, `YYYY-MM-DD`.
    start: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideDef {
    start: String,
    end: String,
    counsellor: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyDef {
    levels: Vec<LevelDef>,
    #[serde(default = "one")]
    repeat: u32,
    /// With nobody on call, wait for the next shift instead of going to the next level.
    #[serde(default)]
    wait_for_shift: bool,
}

fn one() -> u32 {
    1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelDef {
    schedule: Option<String>,
    #[serde(default)]
    supervisors: bool,
    wait_minutes: u32,
}

impl Rota {
    /// Reads and checks a rota file; `helplines` are the ids the config knows.
    pub fn load(path: &Path, helplines: &[&str]) -> Result<Rota, RotaError> {
        let fail = |reason: String| RotaError { file: path.display().to_string(), reason };
        let text = std::fs::read_to_string(path)
            .map_err(|e| fail(format!("cannot read ({e}); set escalation.rota_file to the rota's path")))?;
        Self::parse(&text, helplines).map_err(fail)
    }

    pub fn parse(text: &str, helplines: &[&str]) -> Result<Rota, String> {
        let file: RotaFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut counsellors: Vec<Counsellor> = Vec::new();
        for c in file.counsellors {
            if counsellors.iter().any(|o| o.id == c.id) {
                return Err(format!("counsellor {:?} is listed twice", c.id));
            }
            if let Some(h) = c.helplines.iter().find(|h| !helplines.contains(&h.as_str())) {
                return Err(format!("counsellor {:?}: helpline {h:?} is not in the config", c.id));
            }
            let phone = E164::parse(&c.phone, None).ok();
            counsellors.push(Counsellor {
                id: c.id,
                name: c.name,
                phone,
                languages: c.languages,
                helplines: c.helplines,
                role: c.role,
            });
        }
        let index = |id: &str, place: &str| {
            counsellors
                .iter()
                .position(|c| c.id == id)
                .ok_or_else(|| format!("{place}: no counsellor {id:?} in [[counsellors]]"))
        };
        let mut schedules = Vec::new();
        for s in file.schedules {
            let place = format!("schedule {:?}", s.id);
            if schedules.iter().any(|o: &Schedule| o.id == s.id) {
                return Err(format!("{place} is listed twice"));
            }
            if !helplines.contains(&s.helpline.as_str()) {
                return Err(format!("{place}: helpline {:?} is not in the config", s.helpline));
            }
            let tz: Tz = s.time_zone.parse().map_err(|_| {
                format!("{place}: time_zone {:?} is not an IANA zone such as Africa/Nairobi", s.time_zone)
            })?;
            let mut rotations = Vec::new();
            for r in s.rotations {
                if r.members.is_empty() || r.shift_hours == 0 {
                    return Err(format!("{place}: a rotation needs members and shift_hours above 0"));
                }
                let handoff = NaiveTime::parse_from_str(&r.handoff, "%H:%M")
                    .map_err(|_| format!("{place}: handoff {:?} is not HH:MM", r.handoff))?;
                let date = NaiveDate::parse_from_str(&r.start, "%Y-%m-%d")
                    .map_err(|_| format!("{place}: start {:?} is not YYYY-MM-DD", r.start))?;
                let anchor =
                    local(tz, date.and_time(handoff)).ok_or_else(|| format!("{place}: start does not exist"))?;
                let members = r.members.iter().map(|m| index(m, &place)).collect::<Result<_, _>>()?;
                rotations.push(Rotation { members, shift: Duration::hours(i64::from(r.shift_hours)), anchor });
            }
            let mut overrides = Vec::new();
            for o in s.overrides {
                let parse = |t: &str| {
                    NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M")
                        .ok()
                        .and_then(|n| local(tz, n))
                        .ok_or_else(|| format!("{place}: override time {t:?} is not YYYY-MM-DDTHH:MM"))
                };
                let (start, end) = (parse(&o.start)?, parse(&o.end)?);
                if end <= start {
                    return Err(format!("{place}: an override ends before it starts"));
                }
                overrides.push(Override { start, end, counsellor: index(&o.counsellor, &place)? });
            }
            schedules.push(Schedule { id: s.id, helpline: s.helpline, tz, rotations, overrides });
        }
        let mut policies = HashMap::new();
        for (helpline, by_urgency) in file.policies {
            for (urgency, p) in by_urgency {
                let place = format!("policies.{helpline}.{urgency}");
                let urgency = match urgency.as_str() {
                    "critical" => Urgency::Critical,
                    "high" => Urgency::High,
                    "normal" => Urgency::Normal,
                    _ => return Err(format!("{place}: the urgency must be critical, high or normal")),
                };
                if p.levels.is_empty() || p.repeat == 0 {
                    return Err(format!("{place}: needs at least one level and repeat of 1 or more"));
                }
                let mut levels = Vec::new();
                for l in p.levels {
                    let target = match (&l.schedule, l.supervisors) {
                        (Some(id), false) => Target::Schedule(
                            schedules
                                .iter()
                                .position(|s| &s.id == id)
                                .ok_or_else(|| format!("{place}: no schedule {id:?}"))?,
                        ),
                        (None, true) => Target::Supervisors,
                        _ => return Err(format!("{place}: a level names a schedule or says supervisors = true")),
                    };
                    levels.push(Level { target, wait: Duration::minutes(i64::from(l.wait_minutes.max(1))) });
                }
                policies.insert(
                    (helpline.clone(), urgency),
                    Policy { levels, repeat: p.repeat, wait_for_shift: p.wait_for_shift },
                );
            }
        }
        Ok(Rota { counsellors, schedules, policies })
    }
}
