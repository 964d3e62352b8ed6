//! The benzodiazepine level over a whole ketamine series, one regimen at a time.
//!
//! Each scheduled dose adds dose · 0.5^(t / t½) from its time on (first-order
//! elimination; absorption taken as instant); a held dose adds nothing. The level with
//! the held doses removed is compared, at the same moment, with the level with none
//! held: the regimen's steady state. That fraction of steady state is what this module
//! reports. Between two scheduled doses both levels decay by the same factor, so the
//! fraction changes only at scheduled dose times: it is computed there, exactly, with no
//! time grid, one multiplication per scheduled dose (cheap enough for `taper batch`).
//!
//! With D the dose and k = ln 2 / t½, the steady-state level just after the dose at
//! clock time τⱼ is D · Σᵢ e^(−k·((τⱼ − τᵢ) mod 24 h)) / (1 − e^(−k·24 h)), and the
//! shortfall from the held doses decays by e^(−k·Δt) between doses and gains D at each
//! held one; the fraction is 1 − shortfall / steady state. D cancels.
//!
//! The level is followed from the last dose taken before the first held dose (at steady
//! state) to a week after the last session (or a day after the last hold window ends,
//! if later), at both ends of the half-life range (`effective_half_life()`: the active
//! metabolite's where there is one).

use super::FractionRange;
use super::window::doses_between;
use crate::error::{Error, Result};
use jiff::ToSpan;
use jiff::civil::{DateTime, Time};
use serde::Serialize;
use std::collections::VecDeque;

/// The period of the ASAM 2025 cap (`cap_percent_per_two_weeks` in
/// `schedules/ketamine.toml`): falls are measured over any 14 days.
const TWO_WEEKS_HOURS: f64 = 14.0 * 24.0;

/// Levels closer than this (a ten-thousandth of a percent of steady state) count as the
/// same, so the first time the level gets to its lowest (or its largest fall) is the
/// time reported, not a later dose that is lower only in the eighth decimal.
const SAME: f64 = 1e-6;

/// How long after the last session the level is followed.
const AFTER_LAST_SESSION_DAYS: i64 = 7;

/// A range of percentages (0–100); `min` is always the smaller.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PercentRange {
    pub min: f64,
    pub max: f64,
}

/// One regimen's level over the series, held doses removed, as a share of the level
/// with none held. Ranges span the two ends of the half-life range; the times are those
/// of the end that gives the lower level (or the larger fall).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SeriesLevel {
    /// The first held dose: the level is at steady state before it.
    pub from: DateTime,
    /// Where the level is followed to: a week after the last session, or a day after
    /// the last hold window ends if that is later.
    pub to: DateTime,
    /// Scheduled doses from `from` to `to`, and how many of them are held.
    pub scheduled_doses: usize,
    pub held_doses: usize,
    /// The lowest level, as a fraction of steady state.
    pub lowest_fraction: FractionRange,
    /// When the level reaches its lowest: a held dose's time (the level stays there
    /// until the next scheduled dose).
    pub lowest_at: DateTime,
    /// The largest fall within any 14 days, in percent of steady state (percentage
    /// points of the fraction above).
    pub largest_fall_14_days_percent: PercentRange,
    /// The fall above runs from here …
    pub largest_fall_from: DateTime,
    /// … to here, at most 14 days later.
    pub largest_fall_to: DateTime,
    /// The most scheduled doses held in a row.
    pub longest_held_run: HeldRun,
    /// Whether the largest 14-day fall (its upper end) is more than ASAM 2025's taper
    /// cap (`benzo_taper_pace_cap` in the section).
    pub fall_above_taper_cap: bool,
}

/// The longest run of consecutive scheduled doses that are all held.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct HeldRun {
    pub doses: usize,
    pub first: DateTime,
    pub last: DateTime,
    /// From the last dose taken before the run to the first one taken after it.
    pub hours_without_dose: f64,
    /// More doses in a row than the regimen has in a day: every scheduled dose is held
    /// for more than a day.
    pub more_than_a_day: bool,
}

/// One scheduled dose on the way.
#[derive(Debug, Clone, Copy)]
struct Dose {
    at: DateTime,
    /// Hours since the first dose followed.
    hours: f64,
    /// Which of the day's times it is.
    slot: usize,
    held: bool,
}

/// What one walk over the doses finds, at one half-life.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Walk {
    lowest: f64,
    lowest_at: usize,
    fall: f64,
    fall_from: usize,
    fall_to: usize,
}

/// The level over the series of a regimen taken daily at `times` (sorted, distinct),
/// with every dose inside a hold window in `windows` (inclusive, in session order)
/// held. `None` when no scheduled dose is held: the level stays at steady state.
pub fn series_level(
    times: &[Time],
    windows: &[(DateTime, DateTime)],
    last_session: DateTime,
    half_life_hours: (f64, f64),
    cap_percent: f64,
) -> Result<Option<SeriesLevel>> {
    let Some(doses) = scheduled_doses(times, windows, last_session)? else {
        return Ok(None);
    };
    let slots: Vec<f64> = times.iter().map(|t| clock_hours(*t)).collect();
    let (short, long) = half_life_hours;
    let walks = [walk(&doses, &slots, short), walk(&doses, &slots, long)];
    let deeper = if walks[1].lowest < walks[0].lowest {
        walks[1]
    } else {
        walks[0]
    };
    let steeper = if walks[1].fall > walks[0].fall {
        walks[1]
    } else {
        walks[0]
    };
    let fall_to = doses[steeper.fall_to].at;
    let window_start = fall_to
        .checked_sub((TWO_WEEKS_HOURS as i64).hours())
        .map_err(|_| out_of_range(fall_to))?;
    let range = |a: f64, b: f64| (a.min(b), a.max(b));
    let (lowest_min, lowest_max) = range(walks[0].lowest, walks[1].lowest);
    let (fall_min, fall_max) = range(walks[0].fall * 100.0, walks[1].fall * 100.0);
    Ok(Some(SeriesLevel {
        from: doses[1..]
            .iter()
            .find(|d| d.held)
            .map_or(doses[0].at, |d| d.at),
        to: doses.last().map_or(doses[0].at, |d| d.at),
        scheduled_doses: doses.len() - 1,
        held_doses: doses.iter().filter(|d| d.held).count(),
        lowest_fraction: FractionRange {
            min: lowest_min,
            max: lowest_max,
        },
        lowest_at: doses[deeper.lowest_at].at,
        largest_fall_14_days_percent: PercentRange {
            min: fall_min,
            max: fall_max,
        },
        largest_fall_from: doses[steeper.fall_from].at.max(window_start),
        largest_fall_to: fall_to,
        longest_held_run: longest_run(&doses, times.len()),
        fall_above_taper_cap: fall_max > cap_percent,
    }))
}

/// Every scheduled dose from the last one taken before the first held dose to the end
/// of the follow-up, each marked held or not; `None` when no dose is held.
fn scheduled_doses(
    times: &[Time],
    windows: &[(DateTime, DateTime)],
    last_session: DateTime,
) -> Result<Option<Vec<Dose>>> {
    let mut first_held = None;
    // Windows start in session order, so the first window with a dose holds the first.
    for (from, to) in windows {
        if let Some(first) = doses_between(times, *from, *to)?.first() {
            first_held = Some(*first);
            break;
        }
    }
    let (Some(first_held), Some(last_slot)) = (first_held, times.last()) else {
        return Ok(None);
    };
    let start = match times.iter().rev().find(|t| **t < first_held.time()) {
        Some(t) => first_held.date().to_datetime(*t),
        None => first_held
            .date()
            .yesterday()
            .map_err(|_| out_of_range(first_held))?
            .to_datetime(*last_slot),
    };
    let after_last = last_session
        .checked_add(AFTER_LAST_SESSION_DAYS.days())
        .map_err(|_| out_of_range(last_session))?;
    let after_windows = match windows.iter().map(|w| w.1).max() {
        Some(to) => to.checked_add(1.days()).map_err(|_| out_of_range(to))?,
        None => after_last,
    };
    let end = after_last.max(after_windows);
    // Counted before anything is allocated: the span of days times the doses a day.
    let days = end
        .date()
        .since(start.date())
        .map_or(i64::MAX, |span| i64::from(span.get_days()));
    let count = usize::try_from(days.saturating_add(1))
        .unwrap_or(usize::MAX)
        .saturating_mul(times.len());
    if count > crate::limits::MAX_LEVEL_DOSES {
        return Err(crate::limits::over(
            "ketamine",
            format!(
                "the benzodiazepine level over these sessions would follow {count} scheduled doses (from {} to {}), more than taper's limit of {}; give sessions closer together or fewer dose times",
                super::fmt_datetime(start),
                super::fmt_datetime(end),
                crate::limits::MAX_LEVEL_DOSES
            ),
        ));
    }
    let mut doses = Vec::with_capacity(count);
    let mut open = 0; // windows before this one all ended before the current dose
    let mut day = start.date();
    // Hours since `start` by counting days: cheaper than date arithmetic per dose.
    let mut day_hours = -clock_hours(start.time());
    while day <= end.date() {
        for (slot, time) in times.iter().enumerate() {
            let at = day.to_datetime(*time);
            if at < start || at > end {
                continue;
            }
            while open < windows.len() && windows[open].1 < at {
                open += 1;
            }
            let held = windows[open..]
                .iter()
                .take_while(|(from, _)| *from <= at)
                .any(|(_, to)| at <= *to);
            doses.push(Dose {
                at,
                hours: day_hours + clock_hours(*time),
                slot,
                held,
            });
        }
        day = day.tomorrow().map_err(|_| out_of_range(end))?;
        day_hours += 24.0;
    }
    Ok(Some(doses))
}

/// A clock time as hours after midnight.
fn clock_hours(t: Time) -> f64 {
    f64::from(t.hour()) + f64::from(t.minute()) / 60.0 + f64::from(t.second()) / 3600.0
}

/// The steady-state level just after each of the day's doses, in doses (D = 1).
fn steady_state(slots: &[f64], half_life: f64) -> Vec<f64> {
    let decay = |hours: f64| 0.5f64.powf(hours / half_life);
    let per_day = 1.0 - decay(24.0);
    slots
        .iter()
        .map(|tj| {
            slots
                .iter()
                .map(|ti| decay((tj - ti).rem_euclid(24.0)))
                .sum::<f64>()
                / per_day
        })
        .collect()
}

/// The fraction of steady state after each dose, at one half-life: its lowest, and its
/// largest fall within 14 days (the highest level in the 14 days before, less this one).
fn walk(doses: &[Dose], slots: &[f64], half_life: f64) -> Walk {
    let steady = steady_state(slots, half_life);
    // Doses follow each other slot by slot, so the decay since the previous dose is the
    // same for every dose of a slot: one power per slot, not per dose.
    let since_previous: Vec<f64> = (0..slots.len())
        .map(|j| {
            let gap = (slots[j] - slots[(j + slots.len() - 1) % slots.len()]).rem_euclid(24.0);
            0.5f64.powf(if gap > 0.0 { gap } else { 24.0 } / half_life)
        })
        .collect();
    let mut shortfall = 0.0;
    // Candidates for the highest level in the last 14 days: (dose index, level),
    // levels decreasing. A level holds from its dose to the next dose.
    let mut highs: VecDeque<(usize, f64)> = VecDeque::new();
    // Each dose's level, and the fall to it (with where that fall starts).
    let mut levels = Vec::with_capacity(doses.len());
    let mut falls = Vec::with_capacity(doses.len());
    for (i, dose) in doses.iter().enumerate() {
        if i > 0 {
            shortfall *= since_previous[dose.slot];
        }
        if dose.held {
            shortfall += 1.0;
        }
        let level = (1.0 - shortfall / steady[dose.slot]).clamp(0.0, 1.0);
        while let Some(&(j, _)) = highs.front()
            && doses[j + 1].hours <= dose.hours - TWO_WEEKS_HOURS
        {
            highs.pop_front();
        }
        falls.push(
            highs
                .front()
                .map_or((0.0, i), |&(j, high)| (high - level, j)),
        );
        while highs.back().is_some_and(|&(_, high)| high <= level) {
            highs.pop_back();
        }
        highs.push_back((i, level));
        levels.push(level);
    }
    let lowest = levels.iter().copied().fold(1.0, f64::min);
    let fall = falls.iter().map(|f| f.0).fold(0.0, f64::max);
    let lowest_at = levels.iter().position(|l| *l <= lowest + SAME).unwrap_or(0);
    let fall_to = falls.iter().position(|f| f.0 >= fall - SAME).unwrap_or(0);
    Walk {
        lowest,
        lowest_at,
        fall,
        fall_from: falls.get(fall_to).map_or(0, |f| f.1),
        fall_to,
    }
}

/// The longest run of held doses (the first such run when several are as long).
fn longest_run(doses: &[Dose], per_day: usize) -> HeldRun {
    let (mut best, mut run_start) = ((0, 0), None);
    for (i, dose) in doses.iter().enumerate() {
        match (dose.held, run_start) {
            (true, None) => run_start = Some(i),
            (false, Some(s)) => {
                if i - s > best.1 - best.0 {
                    best = (s, i);
                }
                run_start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = run_start
        && doses.len() - s > best.1 - best.0
    {
        best = (s, doses.len());
    }
    let (first, after) = best;
    // doses[0] is taken, so a run starts at 1 or later.
    let before = doses[first.saturating_sub(1)];
    let resumed = doses.get(after).unwrap_or(&doses[doses.len() - 1]);
    HeldRun {
        doses: after - first,
        first: doses[first].at,
        last: doses[after.max(1) - 1].at,
        hours_without_dose: resumed.hours - before.hours,
        more_than_a_day: after - first > per_day,
    }
}

fn out_of_range(at: DateTime) -> Error {
    Error::input(format!(
        "--ketamine: the benzodiazepine level is followed from the dose before the first held one to a week after the last session, and around {} that runs past the dates taper can represent; give sessions further inside them",
        super::fmt_datetime(at)
    ))
}

#[cfg(test)]
mod tests;
