//! Rounding a plan's ideal doses to what a kit can make, under the three rules of
//! [`super`]: never up, never a bigger fall than the plan allows (plus tolerance) without
//! a flag, never a step lost without saying so.

use super::{FormulationInfo, Kit, Measurable};
use crate::curve::EmaxCurve;
use crate::error::Result;
use crate::plan::{Plan, Step, Warning};
use crate::text::{fmt_dose, fmt_num};

/// Rounds every step of `plan` to `kit`, merging steps that come out equal, and records
/// what was used in `plan.formulation`. `suggestion` names a formulation that would
/// make flagged steps possible (e.g. the market's oral liquid).
pub fn apply(
    plan: &mut Plan,
    kit: &Kit,
    mut info: FormulationInfo,
    suggestion: &str,
) -> Result<()> {
    let curve = EmaxCurve::new(plan.curve.emax_pct, plan.curve.ed50_mg, plan.curve.hill)?;
    let doses = kit.doses_up_to(plan.start_dose_mg)?;
    let largest_ideal_fall = plan
        .steps
        .iter()
        .skip(1)
        .map(|s| s.occupancy_drop_pp)
        .fold(0.0, f64::max);
    let allowed = largest_ideal_fall * (1.0 + info.tolerance_pct / 100.0);
    let occ = |mg: f64| curve.occupancy(mg);

    // The current dose is what it is; it may not be one the kit makes exactly.
    let last = plan.steps.len() - 1;
    let mut chosen: Vec<Option<&Measurable>> = Vec::with_capacity(plan.steps.len());
    chosen.push(
        doses
            .iter()
            .find(|d| (d.dose_mg - plan.start_dose_mg).abs() < 1e-9),
    );
    let mut prev_mg = plan.start_dose_mg;
    for step in &plan.steps[1..last] {
        let pick = nearest_allowed(
            &doses,
            step.ideal_dose_mg,
            prev_mg,
            occ(prev_mg)? - allowed,
            &occ,
        )?;
        match pick {
            Some(d) => {
                prev_mg = d.dose_mg;
                chosen.push(Some(d));
            }
            // Nothing lower within the allowance: hold the previous dose (merged below).
            None => chosen.push(*chosen.last().unwrap_or(&None)),
        }
    }
    chosen.push(None); // the final 0 mg step

    let mut rounded: Vec<Step> = Vec::with_capacity(plan.steps.len());
    let mut prev_occ = 0.0;
    for (i, (step, pick)) in plan.steps.iter().zip(&chosen).enumerate() {
        let dose_mg = match (i, pick) {
            (0, _) => plan.start_dose_mg,
            (_, Some(d)) => d.dose_mg,
            (_, None) if i == last => 0.0,
            (_, None) => plan.start_dose_mg,
        };
        let instructions = match (i, pick) {
            (_, Some(d)) => kit.instructions(d),
            _ if i == last => "stop".to_string(),
            _ => format!(
                "{} mg/day as now (not a dose these products make exactly)",
                fmt_num(dose_mg)
            ),
        };
        let merge = i > 0 && i < last && rounded.last().is_some_and(|r| r.dose_mg == dose_mg);
        if merge && let Some(previous) = rounded.last_mut() {
            previous.end_date = step.end_date;
            previous.days += step.days;
            previous.merged_from.push(step.step);
            previous.flags.extend(
                step.flags
                    .iter()
                    .filter(|f| !previous.flags.contains(f))
                    .collect::<Vec<_>>(),
            );
            continue;
        }
        let occupancy = occ(dose_mg)?;
        let mut out = step.clone();
        out.step = rounded.len();
        out.dose_mg = dose_mg;
        out.occupancy_pct = occupancy;
        out.occupancy_drop_pp = if i == 0 { 0.0 } else { prev_occ - occupancy };
        out.dose_error_mg = dose_mg - step.ideal_dose_mg;
        out.instructions = Some(instructions);
        out.daily_usage = pick.map(|d| kit.usage(d)).unwrap_or_default();
        out.merged_from = vec![step.step];
        prev_occ = occupancy;
        rounded.push(out);
    }
    // Warnings and flags were numbered by the ideal steps: renumber them.
    let renumber = |ideal: usize| {
        rounded
            .iter()
            .position(|r| r.merged_from.contains(&ideal))
            .unwrap_or(ideal)
    };
    for w in &mut plan.warnings {
        w.steps = w.steps.iter().map(|s| renumber(*s)).collect();
        w.steps.dedup();
    }
    for r in &mut rounded {
        if r.merged_from.len() == 1 {
            r.merged_from.clear();
        }
    }
    if chosen[0].is_none() {
        rounded[0].flags.push("start_not_measurable");
        plan.warnings.push(Warning {
            code: "start_not_measurable",
            message: format!(
                "The starting dose, {} mg, is not one these products make exactly; it is kept as it is now, and the taper's doses come from the products from step 1 on. {}",
                fmt_num(plan.start_dose_mg),
                suggestion
            ),
            steps: vec![0],
            sessions: Vec::new(),
        });
    }
    flag_merged(&mut rounded, &mut plan.warnings);
    flag_too_large(&mut rounded, allowed, suggestion, &mut plan.warnings);
    info.allowed_fall_pp = allowed;
    plan.steps = rounded;
    plan.formulation = Some(info);
    Ok(())
}

/// The dose nearest `ideal` among those at or below `prev_mg` whose occupancy is at least
/// `min_occ` (so the fall stays within the allowance). Doses are sorted ascending.
fn nearest_allowed<'a>(
    doses: &'a [Measurable],
    ideal: f64,
    prev_mg: f64,
    min_occ: f64,
    occ: &dyn Fn(f64) -> Result<f64>,
) -> Result<Option<&'a Measurable>> {
    let hi = doses.partition_point(|d| d.dose_mg <= prev_mg + 1e-9);
    // Occupancy rises with dose, so the allowed doses are one contiguous run [lo, hi).
    let mut bounds = (0, hi);
    while bounds.0 < bounds.1 {
        let mid = (bounds.0 + bounds.1) / 2;
        if occ(doses[mid].dose_mg)? >= min_occ - 1e-9 {
            bounds.1 = mid;
        } else {
            bounds.0 = mid + 1;
        }
    }
    let allowed = &doses[bounds.0..hi];
    if allowed.is_empty() {
        return Ok(None);
    }
    let at = allowed.partition_point(|d| d.dose_mg < ideal);
    let below = at.checked_sub(1).map(|i| &allowed[i]);
    let above = allowed.get(at);
    Ok(match (below, above) {
        (Some(b), Some(a)) => Some(if a.dose_mg - ideal <= ideal - b.dose_mg {
            a
        } else {
            b
        }),
        (b, a) => a.or(b),
    })
}

fn flag_merged(steps: &mut [Step], warnings: &mut Vec<Warning>) {
    for (i, step) in steps.iter_mut().enumerate() {
        if step.merged_from.len() < 2 {
            continue;
        }
        step.flags.push("merged");
        let first = step.merged_from[0];
        let last = step.merged_from[step.merged_from.len() - 1];
        warnings.push(Warning {
            code: "merged",
            message: format!(
                "Ideal steps {first}–{last} all come to {} mg with these products, so they are merged into step {i}, held for {} days. The products cannot make the doses in between; a liquid or finer splitting would let the taper move on sooner.",
                fmt_dose(step.dose_mg),
                step.days
            ),
            steps: vec![i],
            sessions: Vec::new(),
        });
    }
}

fn flag_too_large(steps: &mut [Step], allowed: f64, suggestion: &str, warnings: &mut Vec<Warning>) {
    for (i, step) in steps.iter_mut().enumerate().skip(1) {
        if step.occupancy_drop_pp <= allowed + 1e-9 {
            continue;
        }
        step.flags.push("step_too_large_for_products");
        warnings.push(Warning {
            code: "step_too_large_for_products",
            message: format!(
                "Step {i} removes {:.1} percentage points of occupancy, more than the {:.1} a step may remove with the stated tolerance: these products cannot make a dose in between. {suggestion}",
                step.occupancy_drop_pp, allowed
            ),
            steps: vec![i],
            sessions: Vec::new(),
        });
    }
}
