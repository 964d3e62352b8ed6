//! The hold window around one session, and the scheduled doses that fall in it.
//!
//! Windows are inclusive at both ends: a dose at exactly the window's start is held.

use super::{HoldInfo, KetamineEvidence};
use crate::error::{Error, Result};
use jiff::ToSpan;
use jiff::civil::{DateTime, Time};

/// How long before each session doses are held (`--benzo-hold`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldRule {
    /// A fixed number of hours before the session (12 h by default: esketamine trials).
    Hours(u32),
    /// Oxford Health NHS: none the night before or on the day of treatment, read here as
    /// from 18:00 on the day before to the end of the session day.
    NightBefore,
}

/// Where "the night before" starts.
const NIGHT_STARTS: Time = Time::constant(18, 0, 0, 0);

impl HoldRule {
    /// Parses `--benzo-hold`: `12h`, `24h`, `72h`, `3d`, or `night-before`.
    pub fn parse(text: &str) -> Result<HoldRule> {
        match text.trim().to_ascii_lowercase().as_str() {
            "night-before" | "night" | "night-before-and-day-of" => Ok(HoldRule::NightBefore),
            other => crate::units::parse_hours(other)
                .map(HoldRule::Hours)
                .map_err(|e| {
                    Error::input(format!("--benzo-hold: {e}; or use the preset night-before"))
                }),
        }
    }
}

/// The window `(from, to)` for a session at `at`.
pub fn hold_window(at: DateTime, rule: HoldRule, after_hours: u32) -> Result<(DateTime, DateTime)> {
    let after = add_hours(at, i64::from(after_hours))?;
    match rule {
        HoldRule::Hours(hours) => Ok((add_hours(at, -i64::from(hours))?, after)),
        HoldRule::NightBefore => {
            let day_before = at.date().yesterday().map_err(|_| out_of_range(at))?;
            let end_of_day = at.date().to_datetime(Time::constant(23, 59, 59, 0));
            Ok((day_before.to_datetime(NIGHT_STARTS), end_of_day.max(after)))
        }
    }
}

/// Every scheduled dose (daily at `times`) from `from` to `to`, inclusive.
pub fn doses_between(times: &[Time], from: DateTime, to: DateTime) -> Result<Vec<DateTime>> {
    let mut doses = Vec::new();
    let mut day = from.date();
    while day <= to.date() {
        doses.extend(
            times
                .iter()
                .map(|t| day.to_datetime(*t))
                .filter(|d| *d >= from && *d <= to),
        );
        day = day.tomorrow().map_err(|_| out_of_range(to))?;
    }
    Ok(doses)
}

/// The last scheduled dose strictly before `from` that no window in `held` (earlier
/// sessions' hold windows, inclusive) takes away: the dose the level at a session
/// actually falls from when windows overlap or follow closely.
pub fn last_dose_taken_before(
    times: &[Time],
    from: DateTime,
    held: &[(DateTime, DateTime)],
) -> Result<DateTime> {
    let mut day = from.date();
    // Windows are at most 30 days (parse_hours) plus a day; 64 days back is always enough.
    for _ in 0..64 {
        let taken = times
            .iter()
            .map(|t| day.to_datetime(*t))
            .filter(|d| *d < from && !held.iter().any(|(a, b)| d >= a && d <= b))
            .max();
        if let Some(dose) = taken {
            return Ok(dose);
        }
        day = day.yesterday().map_err(|_| out_of_range(from))?;
    }
    Err(Error::input(
        "no benzodiazepine dose is taken between these sessions' hold windows; check the sessions and --benzo-hold",
    ))
}

/// The windows of `held` (in session order) that can hold a dose on or after 64 days
/// before `from`, the furthest [`last_dose_taken_before`] looks back. Windows end in
/// session order (sessions are on distinct days and every window has the same rule), so
/// the earlier ones are cut off by a binary search: the look-back costs the same however
/// many sessions came before, and a series costs time linear in its sessions.
pub fn still_open(held: &[(DateTime, DateTime)], from: DateTime) -> &[(DateTime, DateTime)] {
    let Ok(horizon) = from.checked_sub(LOOK_BACK_DAYS.days()) else {
        return held;
    };
    &held[held.partition_point(|(_, to)| *to < horizon)..]
}

/// How far back [`last_dose_taken_before`] looks for a dose taken.
const LOOK_BACK_DAYS: i64 = 65;

pub fn describe(rule: HoldRule, after_hours: u32, evidence: &KetamineEvidence) -> HoldInfo {
    let (name, description, source) = match rule {
        HoldRule::Hours(h) if f64::from(h) == evidence.default_hold.value => (
            format!("{h}h"),
            format!("doses held in the {h} h before each session"),
            evidence.default_hold.source.clone(),
        ),
        HoldRule::Hours(24) => ("24h".into(), "doses held in the 24 h before each session".into(), evidence.presets.h24.clone()),
        HoldRule::Hours(72) => ("72h".into(), "doses held in the 72 h before each session".into(), evidence.presets.h72.clone()),
        HoldRule::Hours(h) => (
            format!("{h}h"),
            format!("doses held in the {h} h before each session"),
            "chosen with --benzo-hold; none of the protocols found (Janssen's esketamine trials, Oxford Health NHS, Journey Clinical, Jirah Anesthesia, Nervana Medical, the Montreal model) expresses the hold as this number".into(),
        ),
        HoldRule::NightBefore => (
            "night-before".into(),
            "doses held from 18:00 the day before each session to the end of the session day".into(),
            evidence.presets.night_before.clone(),
        ),
    };
    let description = match after_hours {
        0 => description,
        h => format!("{description}, and in the {h} h after it"),
    };
    let source = match after_hours {
        0 => source,
        _ => format!("{source}; after the session: {}", evidence.presets.after),
    };
    HoldInfo {
        rule: name,
        description,
        after_hours,
        source,
    }
}

/// `2027-02-03 10:00` for people (ISO `T` stays in JSON).
pub fn fmt_datetime(at: DateTime) -> String {
    at.strftime("%Y-%m-%d %H:%M").to_string()
}

fn add_hours(at: DateTime, hours: i64) -> Result<DateTime> {
    at.checked_add(hours.hours()).map_err(|_| out_of_range(at))
}

fn out_of_range(at: DateTime) -> Error {
    Error::input(format!(
        "a hold window around {} falls outside the dates taper can represent",
        fmt_datetime(at)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn lorazepam_times() -> Vec<Time> {
        vec![Time::constant(8, 0, 0, 0), Time::constant(21, 0, 0, 0)]
    }

    #[test]
    fn the_issue_example_12h_and_24h() {
        let session = date(2027, 2, 3).at(10, 0, 0, 0);
        let (from, to) = hold_window(session, HoldRule::Hours(12), 0).unwrap();
        assert_eq!(from, date(2027, 2, 2).at(22, 0, 0, 0));
        assert_eq!(
            doses_between(&lorazepam_times(), from, to).unwrap(),
            [date(2027, 2, 3).at(8, 0, 0, 0)]
        );
        let (from, to) = hold_window(session, HoldRule::Hours(24), 0).unwrap();
        assert_eq!(
            doses_between(&lorazepam_times(), from, to).unwrap(),
            [
                date(2027, 2, 2).at(21, 0, 0, 0),
                date(2027, 2, 3).at(8, 0, 0, 0)
            ]
        );
        assert_eq!(
            last_dose_taken_before(&lorazepam_times(), from, &[]).unwrap(),
            date(2027, 2, 2).at(8, 0, 0, 0)
        );
    }

    #[test]
    fn windows_are_inclusive_at_both_ends() {
        let session = date(2027, 2, 3).at(10, 0, 0, 0);
        let times = [Time::constant(10, 0, 0, 0)];
        let (from, to) = hold_window(session, HoldRule::Hours(24), 0).unwrap();
        assert_eq!(doses_between(&times, from, to).unwrap().len(), 2);
    }

    #[test]
    fn night_before_runs_to_the_end_of_the_session_day() {
        let session = date(2027, 2, 3).at(10, 0, 0, 0);
        let (from, to) = hold_window(session, HoldRule::NightBefore, 0).unwrap();
        assert_eq!(from, date(2027, 2, 2).at(18, 0, 0, 0));
        assert_eq!(to, date(2027, 2, 3).at(23, 59, 59, 0));
        assert_eq!(
            doses_between(&lorazepam_times(), from, to).unwrap().len(),
            3
        );
    }

    #[test]
    fn after_hours_extend_the_window() {
        let session = date(2027, 2, 3).at(10, 0, 0, 0);
        let (_, to) = hold_window(session, HoldRule::Hours(12), 4).unwrap();
        assert_eq!(to, date(2027, 2, 3).at(14, 0, 0, 0));
    }

    proptest::proptest! {
        /// Issue 4: no dose outside a window is flagged, every dose inside is. Checked
        /// against a brute-force walk over every scheduled dose in a wide span.
        #[test]
        fn exactly_the_doses_inside_are_held(
            day_offset in 0i64..2000,
            session_minute in 0i64..1440,
            hours in 0u32..120,
            after in 0u32..12,
            night in proptest::bool::ANY,
            dose_minutes in proptest::collection::btree_set(0i64..1440, 1..5),
        ) {
            let times: Vec<Time> = dose_minutes
                .iter()
                .map(|m| Time::constant((m / 60) as i8, (m % 60) as i8, 0, 0))
                .collect();
            let session = date(2027, 1, 1)
                .checked_add(day_offset.days())
                .unwrap()
                .at((session_minute / 60) as i8, (session_minute % 60) as i8, 0, 0);
            let rule = if night { HoldRule::NightBefore } else { HoldRule::Hours(hours) };
            let (from, to) = hold_window(session, rule, after).unwrap();
            let held = doses_between(&times, from, to).unwrap();
            let mut day = session.date().checked_sub(10.days()).unwrap();
            let mut inside = Vec::new();
            while day <= session.date().checked_add(10.days()).unwrap() {
                for t in &times {
                    let dose = day.to_datetime(*t);
                    if dose >= from && dose <= to {
                        inside.push(dose);
                    }
                }
                day = day.tomorrow().unwrap();
            }
            proptest::prop_assert_eq!(held, inside);
            let last = last_dose_taken_before(&times, from, &[]).unwrap();
            proptest::prop_assert!(last < from);
            proptest::prop_assert!(from.checked_sub(24.hours()).unwrap() <= last);
        }
    }

    #[test]
    fn parses_presets_and_refuses_nonsense() {
        assert_eq!(HoldRule::parse("24h").unwrap(), HoldRule::Hours(24));
        assert_eq!(
            HoldRule::parse("Night-Before").unwrap(),
            HoldRule::NightBefore
        );
        assert!(HoldRule::parse("soon").is_err());
    }
}
