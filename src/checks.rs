//! Checks run on a computed plan: each adds flags to the steps concerned and a warning
//! that explains them in plain words. The tool flags and explains; the prescriber decides.

use crate::catalog::{DrugEntry, Evidence};
use crate::plan::{CurveInfo, PlanRequest, Step, Warning};
use crate::rules::{self, StepRule};

/// Below this many days per step the plan warns: the Maudsley Prescribing Guidelines
/// suggest reductions every 2–4 weeks.
const SHORTEST_USUAL_STEP_DAYS: u32 = 14;

/// A start dose below this fraction of the usual minimum draws a unit check: 20 mcg
/// typed for 20 mg is a thousand-fold slip.
const FAR_BELOW_MIN_FRACTION: f64 = 0.1;

/// A drug outside the catalog, planned on the user's own curve: nothing to check the
/// start dose against, and a name that may be a typo.
pub(crate) fn not_in_catalog(lookup_error: String, warnings: &mut Vec<Warning>) {
    warnings.push(Warning {
        code: "drug_not_in_catalog",
        message: format!(
            "The drug is not in taper's catalog ({lookup_error}); the plan rests entirely on the curve given with --emax/--ed50, and no usual dose range is known to check the starting dose against."
        ),
        steps: Vec::new(),
        sessions: Vec::new(),
    });
}

pub(crate) fn start_dose(
    entry: &DrugEntry,
    from_mg: f64,
    steps: &mut [Step],
    warnings: &mut Vec<Warning>,
) {
    let usual = &entry.usual_dose;
    if from_mg < usual.min_mg * FAR_BELOW_MIN_FRACTION {
        steps[0].flags.push("far_below_usual_min");
        warnings.push(Warning {
            code: "far_below_usual_min",
            message: format!(
                "The starting dose, {} mg, is less than a tenth of the usual minimum of {} mg/day for {}. That is expected late in a taper; otherwise check the unit (mg, not mcg) before using this plan.",
                crate::text::fmt_num(from_mg),
                crate::text::fmt_num(usual.min_mg),
                entry.name
            ),
            steps: vec![0],
            sessions: Vec::new(),
        });
    }
    if from_mg > usual.max_mg {
        steps[0].flags.push("above_usual_max");
        warnings.push(Warning {
            code: "above_usual_max",
            message: format!(
                "The starting dose, {} mg, is above the usual maximum of {} mg/day for {} ({}, evidence: {}). Check the dose was typed correctly (mg, not mcg) before using this plan.",
                crate::text::fmt_num(from_mg),
                crate::text::fmt_num(usual.max_mg),
                entry.name,
                usual.source,
                usual.evidence.as_str()
            ),
            steps: vec![0],
            sessions: Vec::new(),
        });
    }
}

/// With `--step-pp`, the starting occupancy is rarely a whole number of steps: the
/// remainder makes one partial step (the first with `--align`, the stop without). A
/// partial step under half a step is flagged so the prescriber can merge it.
pub(crate) fn partial_steps(rule: StepRule, steps: &mut [Step], warnings: &mut Vec<Warning>) {
    let StepRule::StepPp { pp, align } = rule else {
        return;
    };
    let mut partial = Vec::new();
    for step in steps.iter_mut().skip(1) {
        if step.occupancy_drop_pp < pp / 2.0 {
            step.flags.push("partial_step");
            partial.push(step.step);
        }
    }
    for &k in &partial {
        let fix = if align {
            "leave out --align to put it last instead"
        } else {
            "use --align to take it first instead"
        };
        warnings.push(Warning {
            code: "partial_step",
            message: format!(
                "Step {k} removes only {:.2} percentage points of occupancy, less than half of this plan's {} point steps: it is what is left of the starting occupancy after whole steps. The prescriber may merge it with the step next to it, {fix}, or use --steps for equal falls throughout.",
                steps[k].occupancy_drop_pp,
                crate::text::fmt_num(pp)
            ),
            steps: vec![k],
            sessions: Vec::new(),
        });
    }
}

/// Horowitz & Taylor; Maudsley: stopping should be no bigger a step than the ones before.
pub(crate) fn final_stop(
    rule: StepRule,
    start_occ: f64,
    floor: Option<f64>,
    steps: &mut [Step],
    warnings: &mut Vec<Warning>,
) {
    let last = steps.len() - 1;
    let stop_fall = steps[last].occupancy_drop_pp;
    let earlier_largest = steps[1..last]
        .iter()
        .map(|s| s.occupancy_drop_pp)
        .fold(0.0, f64::max);
    let allowed = rule.nominal_fall_pp(start_occ).unwrap_or(earlier_largest);
    // One step is an abrupt stop only if it removes more than a gentle step would;
    // from a tiny dose (late in a taper) a single stop is the plan.
    if last == 1 && stop_fall > rules::DEFAULT_MAX_FALL_PP {
        steps[last].flags.push("single_step_stop");
        warnings.push(Warning {
            code: "single_step_stop",
            message: format!(
                "This rule stops the drug in one step, removing all {:.1} percentage points of occupancy at once: that is an abrupt stop, not a taper. Use a smaller step (e.g. --step-pp 5) unless an abrupt stop is intended.",
                stop_fall
            ),
            steps: vec![last],
            sessions: Vec::new(),
        });
    } else if last > 1 && stop_fall > allowed + 1e-6 {
        steps[last].flags.push("final_stop_exceeds_step");
        let why = match floor {
            Some(mg) => format!(
                "because --min-dose {} mg keeps smaller doses out of the plan",
                crate::text::fmt_num(mg)
            ),
            None => "with these options".to_string(),
        };
        warnings.push(Warning {
            code: "final_stop_exceeds_step",
            message: format!(
                "Stopping from {} mg removes {:.1} percentage points of occupancy, more than the {:.1} points of a step of this plan, {why}. The guidance is that the final dose be small enough that stopping is no bigger a step than the ones before (Maudsley Prescribing Guidelines; Horowitz & Taylor 2019); a liquid formulation can reach smaller doses.",
                crate::text::fmt_num(round_to(steps[last - 1].dose_mg, 4)),
                stop_fall,
                allowed
            ),
            steps: vec![last],
            sessions: Vec::new(),
        });
    }
}

pub(crate) fn plan_wide(
    request: &PlanRequest,
    curve: &CurveInfo,
    catalog_label: &str,
    count: usize,
    warnings: &mut Vec<Warning>,
) {
    if curve.evidence != Evidence::Verified {
        warnings.push(Warning {
            code: "curve_evidence",
            message: format!(
                "The occupancy curve's Emax and ED50 are `{}` evidence ({}); treat the doses as approximate. Source: {}.",
                curve.evidence.as_str(),
                curve.evidence.meaning(),
                curve.source
            ),
            steps: Vec::new(),
            sessions: Vec::new(),
        });
    }
    if catalog_label != crate::BUILT_IN_CATALOG {
        warnings.push(Warning {
            code: "drug_file",
            message: format!("The drug's entry comes from {catalog_label}, not the built-in catalog; its figures were not checked by taper."),
            steps: Vec::new(),
            sessions: Vec::new(),
        });
    }
    if request.every_days < SHORTEST_USUAL_STEP_DAYS {
        warnings.push(Warning {
            code: "short_steps",
            message: format!(
                "Steps of {} days are shorter than the 2–4 weeks the Maudsley Prescribing Guidelines suggest between reductions, which leave time to judge each step before the next.",
                request.every_days
            ),
            steps: (1..count).collect(),
            sessions: Vec::new(),
        });
    }
}

/// Rounds for display in messages only; plan numbers keep full precision.
fn round_to(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}
