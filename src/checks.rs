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
                "The starting dose, {} mg, is above the usual maximum of {} mg/day for {} ({}, evidence: {}). Check the dose was typed correctly before using this plan.",
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
    if last == 1 && floor.is_none() && stop_fall > rules::DEFAULT_MAX_FALL_PP {
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
    } else if stop_fall > allowed * (1.0 + rules::REMAINDER_FRACTION) + 1e-9 {
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
                "Stopping from {} mg removes {:.2} percentage points of occupancy, more than the {:.2} points of a step of this plan, {why}. The guidance is that the final dose be small enough that stopping is no bigger a step than the ones before (Maudsley Prescribing Guidelines; Horowitz & Taylor 2019); a liquid formulation can reach smaller doses.",
                crate::text::fmt_dose(steps[last - 1].dose_mg),
                stop_fall,
                allowed
            ),
            steps: vec![last],
            sessions: Vec::new(),
        });
    }
}

/// A step that removes more than half of the starting occupancy at once is closer to
/// an abrupt stop than to a taper (e.g. `--percent 99`, `--step-pp 60`).
pub(crate) fn large_steps(steps: &mut [Step], warnings: &mut Vec<Warning>) {
    let start = steps[0].occupancy_pct;
    let half = start / 2.0;
    for (i, step) in steps.iter_mut().enumerate().skip(1) {
        if step.occupancy_drop_pp > half + 1e-9 && !step.flags.contains(&"single_step_stop") {
            step.flags.push("large_step");
            warnings.push(Warning {
                code: "large_step",
                message: format!(
                    "Step {i} removes {:.1} percentage points of occupancy, more than half of the starting {:.1}%, at once: closer to an abrupt stop than a taper. Smaller steps (e.g. --step-pp 5) are the gentler choice unless this is intended.",
                    step.occupancy_drop_pp, start
                ),
                steps: vec![i],
                sessions: Vec::new(),
            });
        }
    }
}

/// Fitted Emax values above 100% are an artefact of fitting (reference §1): occupancy
/// above 100% cannot be real, so it is flagged rather than printed without comment.
pub(crate) fn occupancy_above_100(steps: &mut [Step], warnings: &mut Vec<Warning>) {
    let over: Vec<usize> = steps
        .iter()
        .filter(|s| s.occupancy_pct > 100.0)
        .map(|s| s.step)
        .collect();
    if over.is_empty() {
        return;
    }
    for &i in &over {
        steps[i].flags.push("occupancy_above_100");
    }
    warnings.push(Warning {
        code: "occupancy_above_100",
        message: "The curve gives occupancy above 100% here. That cannot be real: fitted Emax values above 100% are an artefact of fitting (Sørensen 2022, via the project reference). Read these occupancies as \"near full\", and the doses at the top of the plan as approximate.".to_string(),
        steps: over,
        sessions: Vec::new(),
    });
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
                "The occupancy curve's Emax and ED50 are `{}` evidence ({}); treat the doses as approximate. Its source is given with the curve.",
                curve.evidence.as_str(),
                curve.evidence.meaning(),
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
