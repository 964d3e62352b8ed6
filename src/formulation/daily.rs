//! Daily micro-steps (`--daily`): instead of holding each step's dose for the whole
//! step, the dose falls a little every day so occupancy falls smoothly, the
//! tapering-strip approach. Within each reduction step, occupancy moves in a straight
//! line from the previous step's to this step's; each day's dose is that occupancy's
//! dose, rounded (when products were given) to the nearest dose the products make that
//! is no higher than the day before. With products, the line runs between the rounded
//! steps' occupancies, so each day lies between the doses of its step and the step
//! before, and a step that holds one dose for several ideal steps (merged) reaches it
//! gradually and keeps it, as the step table says, rather than aiming at an ideal dose
//! the products cannot make and falling off at the end. Step 0 keeps the current dose,
//! and the plan still ends by stopping after the last reduction.

use super::{Kit, Usage};
use crate::curve::EmaxCurve;
use crate::error::Result;
use crate::model::Step;
use crate::schedule::add_days;
use jiff::civil::Date;
use serde::Serialize;

/// Days per strip when `--strips` groups the daily rows (a four-week strip).
pub const STRIP_DAYS: u32 = 28;

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DailyRow {
    /// 1 for the plan's first day.
    pub day: u32,
    #[serde(serialize_with = "crate::schedule::serialize_date")]
    pub date: Date,
    /// The plan step the day belongs to.
    pub step: usize,
    /// With `--strips`: the 28-day strip the day is on, from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strip: Option<u32>,
    /// The day's dose before rounding: on the straight occupancy line between the
    /// step's dose and the one before (see the module comment).
    pub ideal_dose_mg: f64,
    pub dose_mg: f64,
    pub occupancy_pct: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// As [`crate::model::Step::times_a_day`]: absent for once a day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times_a_day: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub usage: Vec<Usage>,
}

/// `--daily`: one row per day instead of one dose per step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Daily {
    /// `--strips`: group the days into 28-day strips.
    pub strips: bool,
}

/// One row per day of the final `steps` (starting from `start_dose_mg` on `curve`),
/// rounded to `kit` when given. `ends_in_stop` is false for a plan that ends held
/// ([`super::HeldEnd`]): its last step is a dose, not the stop.
pub fn rows(
    curve: &EmaxCurve,
    start_dose_mg: f64,
    steps: &[Step],
    kit: Option<&Kit>,
    strips: bool,
    ends_in_stop: bool,
) -> Result<Vec<DailyRow>> {
    let doses = match kit {
        Some(kit) => kit.doses_up_to(start_dose_mg)?,
        None => Vec::new(),
    };
    let start_date = steps[0].start_date;
    // The stop step, if the plan ends in one.
    let last = if ends_in_stop {
        steps.len() - 1
    } else {
        usize::MAX
    };
    let mut rows = Vec::new();
    // Without products the steps' doses are the ideal ones; with them, the rounded ones.
    let mut previous_target = steps[0].occupancy_pct;
    let mut prev_dose = start_dose_mg;
    for (i, step) in steps.iter().enumerate() {
        for j in 1..=step.days {
            let day = rows.len() as u32 + 1;
            let ideal = if i == 0 {
                step.ideal_dose_mg
            } else if i == last {
                0.0
            } else {
                let fraction = f64::from(j) / f64::from(step.days);
                curve
                    .dose_for(previous_target - (previous_target - step.occupancy_pct) * fraction)?
            };
            let mut times_a_day = step.times_a_day;
            let (dose_mg, instructions, usage) = match kit {
                _ if i == 0 => (
                    start_dose_mg,
                    step.instructions.clone(),
                    step.daily_usage.clone(),
                ),
                _ if i == last => (0.0, Some("stop".to_string()), Vec::new()),
                Some(kit) => {
                    let at_most = doses.partition_point(|d| d.dose_mg <= prev_dose + 1e-9);
                    let below = &doses[..at_most];
                    let pick = super::round::nearest(below, ideal);
                    match pick {
                        Some(d) => {
                            super::round::check_practical(kit, d, &format!("day {day}"))?;
                            times_a_day = Some(kit.doses_per_day).filter(|n| *n > 1);
                            (d.dose_mg, Some(kit.instructions(d)), kit.usage(d))
                        }
                        // Nothing at or below yesterday's dose: only when the start
                        // dose is below every product; keep it, as step 0 does.
                        None => (prev_dose, step.instructions.clone(), Vec::new()),
                    }
                }
                None => (ideal, None, Vec::new()),
            };
            prev_dose = dose_mg;
            rows.push(DailyRow {
                day,
                date: add_days(start_date, i64::from(day) - 1)?,
                step: step.step,
                strip: strips.then_some((day - 1) / STRIP_DAYS + 1),
                ideal_dose_mg: ideal,
                dose_mg,
                occupancy_pct: curve.occupancy(dose_mg)?,
                instructions,
                times_a_day,
                usage,
            });
        }
        if i > 0 {
            previous_target = step.occupancy_pct;
        }
    }
    Ok(rows)
}
