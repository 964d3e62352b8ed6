//! Flags and plain-language warnings for the ketamine section: dose against the
//! thresholds, what a hold does for long- and short-acting drugs (derived: 0.5^(hours /
//! t½) on the Ashton half-lives), the level over the whole series against ASAM 2025's
//! taper cap, sessions on antidepressant dose-change days, windows that merge.

use super::{FractionRange, KetamineSection, RegimenInfo, SeriesLevel};
use crate::model::{Code, Warning};
use crate::text::{fmt_num, fmt_percent_range, fmt_range};
use jiff::civil::Date;

pub fn warnings(section: &mut KetamineSection, change_days: Option<&[Date]>) -> Vec<Warning> {
    let mut out = Vec::new();
    let table = section.equivalence_table_name;
    if section.above_diazepam_threshold {
        out.push(plan_wide(
            Code::BenzoAboveThreshold,
            format!(
                "The benzodiazepine dose is {:.1} mg/day diazepam-equivalent ({table} table), above the {} mg/day above which ketamine response was worse ({}; evidence: {}). The signal is modest and dose-dependent: this is for the prescriber to weigh, not a bar to treatment.",
                section.diazepam_equivalent_mg_per_day,
                fmt_num(section.diazepam_threshold.value),
                section.diazepam_threshold.source,
                section.diazepam_threshold.evidence.as_str()
            ),
        ));
    }
    if section.above_esketamine_trial_cap {
        out.push(plan_wide(
            Code::BenzoAboveEsketamineTrialCap,
            format!(
                "The benzodiazepine dose is {:.2} mg/day lorazepam-equivalent ({table} table), above the {} mg/day the esketamine phase-3 trials allowed ({}).",
                section.lorazepam_equivalent_mg_per_day,
                fmt_num(section.esketamine_trial_cap.value),
                section.esketamine_trial_cap.source
            ),
        ));
    }
    for regimen in &section.regimens {
        let Some(left) = section
            .sessions
            .iter()
            .flat_map(|s| s.benzos.iter().filter(|b| b.drug == regimen.drug))
            .map(|b| b.remaining_fraction)
            .reduce(|a, b| FractionRange {
                min: a.min.min(b.min),
                max: a.max.max(b.max),
            })
        else {
            continue;
        };
        let half_life = format!(
            "half-life {} h, {}",
            fmt_range(regimen.half_life_hours_min, regimen.half_life_hours_max),
            regimen.half_life_of
        );
        let left = match fmt_percent_range(left.min, left.max) {
            tiny if tiny.starts_with('<') => tiny,
            range => format!("about {range}"),
        };
        let any_held = section
            .sessions
            .iter()
            .flat_map(|s| &s.held_doses)
            .any(|d| d.drug == regimen.drug);
        let danger = series_danger(section, regimen);
        if let Some(warning) = &danger {
            let sessions = &warning.sessions;
            for session in &mut section.sessions {
                if sessions.contains(&session.session)
                    && !session.flags.contains(&Code::BenzoSeriesLevelFall)
                {
                    session.flags.push(Code::BenzoSeriesLevelFall);
                }
            }
        }
        // Skipping doses is the withdrawal risk: no dose held, no such note.
        if !regimen.long_acting && !any_held {
            out.extend(danger);
            continue;
        }
        let cap = section.benzo_taper_pace_cap.value;
        out.push(if regimen.long_acting {
            let exposure = match (&regimen.series_level, &danger) {
                (None, _) => "so a short hold barely changes exposure".to_string(),
                (Some(level), None) if barely(level, cap) => format!(
                    "and over the series the level stays at or above {} of steady state, less than the {}% fall ASAM 2025 allows over 2 weeks in a taper, so this hold barely changes exposure",
                    fmt_percent_range(level.lowest_fraction.min, level.lowest_fraction.max),
                    fmt_num(cap)
                ),
                (Some(level), _) => format!(
                    "but over the series the held doses take the level down to {} of steady state, so this hold does change exposure (see the level over the series)",
                    fmt_percent_range(level.lowest_fraction.min, level.lowest_fraction.max)
                ),
            };
            plan_wide(
                Code::BenzoLongActing,
                format!(
                    "{} is long-acting ({half_life}): at session time {left} of the level at the last dose taken is still there after this hold, {exposure}. Programmes that act on this reduce the dose in the weeks before the first session instead.",
                    regimen.drug
                ),
            )
        } else {
            plan_wide(
                Code::BenzoShortActing,
                format!(
                    "{} is short-acting ({half_life}) and taken daily: holding doses before a session ({left} of the level at the last dose taken remains at session time) risks inter-dose withdrawal, and ASAM 2025 advises never stopping abruptly in a physically dependent patient. Whether and how to hold is the prescriber's decision.",
                    regimen.drug
                ),
            )
        });
        out.extend(danger);
    }
    let held: Vec<usize> = section
        .sessions
        .iter()
        .filter(|s| !s.held_doses.is_empty())
        .map(|s| s.session)
        .collect();
    if !held.is_empty() {
        out.push(on_sessions(
            Code::HeldDoses,
            format!(
                "Scheduled benzodiazepine doses fall inside the hold window ({}) before {}; each is listed with its session and marked \"{}\". They are flagged for the prescriber to confirm, not instructions to stop.",
                section.hold.description,
                list("session", &held),
                super::HOLD_ACTION
            ),
            held,
        ));
    }
    merge_windows(section, &mut out);
    if let Some(days) = change_days {
        dose_change_days(section, days, &mut out);
    }
    out
}

/// "A short hold barely changes exposure" is said only when the level over the series
/// stays at or above 1 − cap of steady state at both ends of the half-life range (75%
/// with ASAM 2025's 25% every 2 weeks): the held doses then take it no lower than a
/// taper at ASAM's fastest usual pace could in 2 weeks.
fn barely(level: &SeriesLevel, cap_percent: f64) -> bool {
    level.lowest_fraction.min >= 1.0 - cap_percent / 100.0
}

/// `danger`: held doses take the level down faster than ASAM 2025 allows for a taper,
/// or hold every scheduled dose for more than a day. Concerns the sessions that hold a
/// dose of this regimen.
fn series_danger(section: &KetamineSection, regimen: &RegimenInfo) -> Option<Warning> {
    let level = regimen.series_level.as_ref()?;
    let run = &level.longest_held_run;
    if !(level.fall_above_taper_cap || run.more_than_a_day) {
        return None;
    }
    let cap = &section.benzo_taper_pace_cap;
    let fall = &level.largest_fall_14_days_percent;
    let mut reasons = Vec::new();
    if level.fall_above_taper_cap {
        reasons.push(format!(
            "a fall of {} of steady state within 14 days ({} to {}), more than the {}% every 2 weeks that ASAM 2025 allows for a taper ({}; evidence: {})",
            fmt_percent_range(fall.min / 100.0, fall.max / 100.0),
            super::fmt_datetime(level.largest_fall_from),
            super::fmt_datetime(level.largest_fall_to),
            fmt_num(cap.value),
            cap.source,
            cap.evidence.as_str()
        ));
    }
    if run.more_than_a_day {
        reasons.push(format!(
            "every scheduled dose held for more than a day ({} doses in a row from {} to {}, {} h without a dose) in a person who takes {:.1} mg/day diazepam-equivalent daily",
            run.doses,
            super::fmt_datetime(run.first),
            super::fmt_datetime(run.last),
            fmt_num(run.hours_without_dose),
            regimen.diazepam_equivalent_mg_per_day
        ));
    }
    let sessions: Vec<usize> = section
        .sessions
        .iter()
        .filter(|s| s.held_doses.iter().any(|d| d.drug == regimen.drug))
        .map(|s| s.session)
        .collect();
    Some(on_sessions(
        Code::BenzoSeriesLevelFall,
        format!(
            "Over the series, the held {} doses ({} of {} scheduled from {} to {}) take its level down to {} of steady state (reached at {}; superposition of the doses taken, half-life {} h): {}. Alternatives for the prescriber to weigh: a planned benzodiazepine taper that ends before the first session (--benzo-taper, like 10%/2w), or a shorter hold that holds fewer doses (--benzo-hold). The held doses are flagged for the prescriber to confirm, not instructions.",
            regimen.drug,
            level.held_doses,
            level.scheduled_doses,
            super::fmt_datetime(level.from),
            super::fmt_datetime(level.to),
            fmt_percent_range(level.lowest_fraction.min, level.lowest_fraction.max),
            super::fmt_datetime(level.lowest_at),
            fmt_range(regimen.half_life_hours_min, regimen.half_life_hours_max),
            reasons.join("; and ")
        ),
        sessions,
    ))
}

/// A hold longer than the gap between sessions: the windows run into each other.
fn merge_windows(section: &mut KetamineSection, out: &mut Vec<Warning>) {
    let mut merged = Vec::new();
    for i in 1..section.sessions.len() {
        if section.sessions[i].hold_from <= section.sessions[i - 1].hold_to {
            merged.extend([i - 1, i]);
        }
    }
    merged.dedup();
    if merged.is_empty() {
        return;
    }
    let numbers: Vec<usize> = merged
        .iter()
        .map(|&i| section.sessions[i].session)
        .collect();
    for &i in &merged {
        section.sessions[i].flags.push(Code::WindowsMerge);
    }
    out.push(on_sessions(
        Code::WindowsMerge,
        format!(
            "The hold is longer than the gap between {}: their windows merge, so doses would be held continuously from the first window's start to the last one's end.",
            list("session", &numbers)
        ),
        numbers,
    ));
}

/// Sessions on a day the antidepressant dose changes, so the prescriber can decide
/// whether to move one.
fn dose_change_days(section: &mut KetamineSection, change_days: &[Date], out: &mut Vec<Warning>) {
    let mut on_change = Vec::new();
    for session in &mut section.sessions {
        if change_days.contains(&session.at.date()) {
            session.flags.push(Code::SessionOnDoseChange);
            on_change.push(session.session);
        }
    }
    if !on_change.is_empty() {
        out.push(on_sessions(
            Code::SessionOnDoseChange,
            format!(
                "The antidepressant dose changes on the day of {}: the prescriber may move the session or the dose change, so that a change in how the person feels can be told apart.",
                list("session", &on_change)
            ),
            on_change,
        ));
    }
}

fn list(noun: &str, numbers: &[usize]) -> String {
    let text: Vec<String> = numbers.iter().map(usize::to_string).collect();
    match text.len() {
        1 => format!("{noun} {}", text[0]),
        _ => format!("{noun}s {}", text.join(", ")),
    }
}

fn plan_wide(code: Code, message: String) -> Warning {
    Warning::plan_wide(code, message)
}

fn on_sessions(code: Code, message: String, sessions: Vec<usize>) -> Warning {
    Warning::on_sessions(code, message, sessions)
}
