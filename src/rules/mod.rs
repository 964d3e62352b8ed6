//! Step rules: which doses the taper passes through, before any dates are attached.
//!
//! Occupancy rules (`--step-pp`, `--steps`) follow Horowitz & Taylor (Lancet Psychiatry
//! 2019;6:538–46): every step removes the same amount of SERT occupancy, so doses fall
//! hyperbolically. The proportional rule (`--percent`) is the Maudsley Prescribing
//! Guidelines' practical approximation ("reduce by 10–25% of the most recent dose"); the
//! plan still reports the occupancy each of its steps removes so the two can be compared.
//!
//! Every rule ends with a 0 mg step. Maudsley: the final dose before stopping may need to
//! be very small (below 1 mg) so that stopping is no bigger a step than the ones before.

use crate::curve::EmaxCurve;
use crate::error::{Error, Result};
use serde::Serialize;

/// The most reduction steps a plan may have. A guard against typos such as
/// `--step-pp 0.01` (7,500 steps), not a clinical limit.
pub const MAX_STEPS: usize = 500;

/// Occupancy differences below this many percentage points are rounding noise.
const OCC_EPS: f64 = 1e-9;

/// With `--step-pp`, a remainder under this fraction of a step (the start occupancy
/// being a whole number of steps in all but name, e.g. 70.0002% with 10-point steps) is
/// folded into the neighbouring step rather than given a step, and a month, of its own.
/// Such a step then removes at most 1% more than the others.
pub const REMAINDER_FRACTION: f64 = 0.01;

/// How each step's target is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepRule {
    /// Each step removes `pp` percentage points of occupancy. With `align`, targets sit
    /// on multiples of `pp` (70, 65, 60 …) and the first step removes only the remainder.
    StepPp { pp: f64, align: bool },
    /// `count` equal falls in occupancy, from the start to zero.
    Steps { count: u32 },
    /// Each dose is `percent` % below the one before (proportional, not hyperbolic in
    /// occupancy); stops once stopping removes no more occupancy than the largest step.
    Percent { percent: f64 },
}

/// The largest occupancy fall per step of the default rule, in percentage points.
pub const DEFAULT_MAX_FALL_PP: f64 = 5.0;

/// The rule used when none is given: the fewest equal occupancy falls of at most
/// [`DEFAULT_MAX_FALL_PP`] points, i.e. `--steps N` with N = ⌈start occupancy / 5⌉.
///
/// Equal falls throughout (no partial first or last step), and half the 10-point steps
/// of the Antidepressant Hyperbolic Calculator's worked example (citalopram 20 mg,
/// "absolute" mode, 10 points), because a gentler default is the safer mistake: a
/// prescriber who wants faster steps asks for them.
pub fn default_rule(start_occupancy: f64) -> StepRule {
    let count = (start_occupancy / DEFAULT_MAX_FALL_PP - OCC_EPS)
        .ceil()
        .max(1.0);
    StepRule::Steps {
        count: count.min(MAX_STEPS as f64) as u32,
    }
}

impl StepRule {
    /// Refuses values that cannot describe a taper.
    pub fn validate(&self) -> Result<()> {
        match *self {
            StepRule::StepPp { pp, .. } if !(pp.is_finite() && pp > 0.0 && pp <= 100.0) => {
                Err(Error::input(format!(
                    "--step-pp {pp} must be above 0 and at most 100 percentage points; try --step-pp 5"
                )))
            }
            StepRule::Steps { count } if count == 0 || count as usize > MAX_STEPS => {
                Err(Error::input(format!(
                    "--steps {count} must be between 1 and {MAX_STEPS}; try --steps 10"
                )))
            }
            StepRule::Percent { percent }
                if !(percent.is_finite() && percent > 0.0 && percent < 100.0) =>
            {
                Err(Error::input(format!(
                    "--percent {percent} must be above 0 and below 100; try --percent 10"
                )))
            }
            _ => Ok(()),
        }
    }

    /// One line for headers: what the rule does, in words.
    pub fn describe(&self) -> String {
        match *self {
            StepRule::StepPp { pp, align: false } => format!(
                "equal occupancy falls of {} percentage points per step",
                crate::text::fmt_num(pp)
            ),
            StepRule::StepPp { pp, align: true } => format!(
                "equal occupancy falls of {} percentage points per step, targets aligned to multiples of {}",
                crate::text::fmt_num(pp),
                crate::text::fmt_num(pp)
            ),
            StepRule::Steps { count: 1 } => {
                "one occupancy fall, from the starting dose to zero".into()
            }
            StepRule::Steps { count } => {
                format!("{count} equal occupancy falls from the starting dose to zero")
            }
            StepRule::Percent { percent } => format!(
                "each dose {}% below the one before (proportional)",
                crate::text::fmt_num(percent)
            ),
        }
    }

    /// The fall in occupancy one step of this rule is meant to remove, for the
    /// occupancy rules; `None` for the proportional rule, whose falls vary.
    pub fn nominal_fall_pp(&self, start_occupancy: f64) -> Option<f64> {
        match *self {
            StepRule::StepPp { pp, .. } => Some(pp),
            StepRule::Steps { count } => Some(start_occupancy / f64::from(count)),
            StepRule::Percent { .. } => None,
        }
    }
}

/// A step's target before rounding to a formulation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub dose_mg: f64,
    pub occupancy_pct: f64,
}

/// The doses after the starting dose, ending with 0 mg.
///
/// ```
/// use taper::{curve::EmaxCurve, rules::{reduction_targets, StepRule}};
/// let citalopram = EmaxCurve::new(83.98, 2.33, 1.0)?;
/// let steps = reduction_targets(StepRule::Steps { count: 4 }, &citalopram, 20.0)?;
/// // Four equal falls of occupancy: 75.2 → 56.4 → 37.6 → 18.8 → 0 %.
/// let occupancy: Vec<i64> = steps.iter().map(|t| t.occupancy_pct.round() as i64).collect();
/// assert_eq!(occupancy, [56, 38, 19, 0]);
/// assert_eq!(steps.last().unwrap().dose_mg, 0.0);
/// # Ok::<(), taper::Error>(())
/// ```
pub fn reduction_targets(
    rule: StepRule,
    curve: &EmaxCurve,
    start_dose_mg: f64,
) -> Result<Vec<Target>> {
    rule.validate()?;
    let start_occ = curve.occupancy(start_dose_mg)?;
    let occupancies: Vec<f64> = match rule {
        StepRule::StepPp { pp, align } => {
            // Multiples are computed, not accumulated, so no rounding drift builds up.
            let top = if align {
                let multiple = (start_occ / pp).floor();
                if start_occ - multiple * pp < pp * REMAINDER_FRACTION {
                    multiple - 1.0
                } else {
                    multiple
                }
            } else {
                ((start_occ - pp * REMAINDER_FRACTION) / pp).floor()
            };
            check_count(top + 1.0, &rule)?;
            let count = top.max(0.0) as usize;
            (0..count)
                .map(|k| {
                    if align {
                        (top - k as f64) * pp
                    } else {
                        start_occ - (k + 1) as f64 * pp
                    }
                })
                .filter(|occ| *occ > OCC_EPS)
                .collect()
        }
        StepRule::Steps { count } => (1..count)
            .map(|k| start_occ * f64::from(count - k) / f64::from(count))
            .collect(),
        StepRule::Percent { percent } => {
            return proportional_targets(percent, curve, start_dose_mg, start_occ);
        }
    };
    let mut targets = occupancies
        .into_iter()
        .map(|occ| {
            Ok(Target {
                dose_mg: curve.dose_for(occ)?,
                occupancy_pct: occ,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    targets.push(Target {
        dose_mg: 0.0,
        occupancy_pct: 0.0,
    });
    Ok(targets)
}

fn proportional_targets(
    percent: f64,
    curve: &EmaxCurve,
    start_dose_mg: f64,
    start_occ: f64,
) -> Result<Vec<Target>> {
    let keep = 1.0 - percent / 100.0;
    let mut targets = Vec::new();
    let (mut dose, mut occ, mut largest_fall) = (start_dose_mg, start_occ, 0.0_f64);
    loop {
        dose *= keep;
        let next = curve.occupancy(dose)?;
        largest_fall = largest_fall.max(occ - next);
        occ = next;
        targets.push(Target {
            dose_mg: dose,
            occupancy_pct: occ,
        });
        if occ <= largest_fall + OCC_EPS {
            break;
        }
        check_count((targets.len() + 1) as f64, &StepRule::Percent { percent })?;
    }
    targets.push(Target {
        dose_mg: 0.0,
        occupancy_pct: 0.0,
    });
    Ok(targets)
}

fn check_count(steps: f64, rule: &StepRule) -> Result<()> {
    if steps > MAX_STEPS as f64 {
        let fix = match rule {
            StepRule::StepPp { .. } => "a larger --step-pp",
            StepRule::Steps { .. } => "fewer --steps",
            StepRule::Percent { .. } => "a larger --percent",
        };
        return Err(Error::input(format!(
            "this rule needs more than {MAX_STEPS} steps, which is not a usable plan; use {fix}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
