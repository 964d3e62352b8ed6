//! Checks on the final steps of a plan (the rounded ones when there are products): each
//! adds flags to the steps concerned and a warning that explains them in plain words,
//! so a warning's text and its step numbers always describe the same steps. The tool
//! flags and explains; the prescriber decides.

mod curve;
mod settling;

use crate::catalog::{DrugEntry, Evidence, Market};
use crate::guardrails::{Guardrails, cite};
use crate::ideal::CustomCurve;
use crate::model::{Code, DrugOrigin, Step, Warning};
use crate::plan::CurveInfo;
use crate::rules::{self, StepRule};

/// What the checks need to know besides the steps.
pub struct Context<'a> {
    /// The thresholds, with their sources (`schedules/guardrails.toml`).
    pub guardrails: &'a Guardrails,
    /// The catalog entry; `None` for a drug planned on a user-given curve only.
    pub entry: Option<&'a DrugEntry>,
    /// Why there is no entry, for that case.
    pub not_in_catalog: Option<&'a str>,
    pub rule: StepRule,
    pub start_occupancy_pct: f64,
    pub every_days: u32,
    pub min_dose_mg: Option<f64>,
    pub curve: &'a CurveInfo,
    /// The curve given with `--emax`/`--ed50`/`--hill`, if any.
    pub custom_curve: Option<CustomCurve>,
    pub origin: &'a DrugOrigin,
    /// The market the products come from, whose label's usual dose range applies;
    /// `None` without products (every market's range is then considered).
    pub market: Option<Market>,
    /// Whether the steps were rounded to products. The rule's own arithmetic (a
    /// partial remainder step, a stop bigger than the rule's step) is then judged by
    /// the products' tolerance instead ([`crate::formulation`]), since the rounded
    /// steps are no longer the rule's.
    pub rounded: bool,
}

/// Runs every check on `steps`, adding flags, and returns the warnings.
pub fn run(context: &Context, steps: &mut [Step]) -> Vec<Warning> {
    let mut warnings = Vec::new();
    match context.entry {
        Some(entry) => start_dose(context, entry, steps, &mut warnings),
        None => not_in_catalog(context.not_in_catalog.unwrap_or_default(), &mut warnings),
    }
    if !context.rounded {
        partial_steps(context.rule, steps, &mut warnings);
        final_stop(context, steps, &mut warnings);
    }
    large_steps(context.guardrails, steps, &mut warnings);
    occupancy_above_100(steps, &mut warnings);
    curve::percent_rule(context, &mut warnings);
    curve::custom_curve(context, &mut warnings);
    curve::serotonin_only(context, &mut warnings);
    settling::steps_before_steady_state(context, steps, &mut warnings);
    plan_wide(context, steps, &mut warnings);
    warnings
}

/// A drug outside the catalog, planned on the user's own curve: nothing to check the
/// start dose against, and a name that may be a typo.
fn not_in_catalog(lookup_error: &str, warnings: &mut Vec<Warning>) {
    warnings.push(Warning::plan_wide(
        Code::DrugNotInCatalog,
        format!(
            "The drug is not in taper's catalog ({lookup_error}); the plan rests entirely on the curve given with --emax/--ed50, and no usual dose range is known to check the starting dose against."
        ),
    ));
}

/// Flags `code` on `steps` and adds its warning.
fn flag(steps: &mut [Step], on: Vec<usize>, code: Code, message: String, out: &mut Vec<Warning>) {
    for &k in &on {
        steps[k].flags.push(code);
    }
    out.push(Warning::on_steps(code, message, on));
}

fn start_dose(
    context: &Context,
    entry: &DrugEntry,
    steps: &mut [Step],
    warnings: &mut Vec<Warning>,
) {
    let from_mg = steps[0].dose_mg;
    let usual = &entry.usual_dose;
    let far = &context.guardrails.far_below_usual_min;
    if from_mg < usual.min_mg * far.fraction {
        flag(
            steps,
            vec![0],
            Code::FarBelowUsualMin,
            format!(
                "The starting dose, {} mg, is less than {}% of the usual minimum of {} mg/day for {} {}. That is expected late in a taper; otherwise check the unit (mg, not mcg) before using this plan.",
                crate::text::fmt_num(from_mg),
                crate::text::fmt_num(far.fraction * 100.0),
                crate::text::fmt_num(usual.min_mg),
                entry.name,
                cite(&far.source, far.evidence)
            ),
            warnings,
        );
    }
    if let Some(message) = above_usual_max(entry, from_mg, context.market) {
        flag(steps, vec![0], Code::AboveUsualMax, message, warnings);
    }
}

fn market_name(market: Market) -> &'static str {
    match market {
        Market::Us => "US",
        Market::Uk => "UK",
    }
}

/// A starting dose above the usual maximum of the products' market (or, without
/// products, of the entry's main label), naming another market's label that allows it
/// (venlafaxine 300 mg: above the US label's 225, within the UK SmPC's 375).
fn above_usual_max(entry: &DrugEntry, from_mg: f64, market: Option<Market>) -> Option<String> {
    let usual = &entry.usual_dose;
    let (_, max_mg, source, evidence) = match market {
        Some(market) => usual.for_market(market),
        None => (
            usual.min_mg,
            usual.max_mg,
            usual.source.as_str(),
            usual.evidence,
        ),
    };
    if from_mg <= max_mg {
        return None;
    }
    let num = crate::text::fmt_num;
    let elsewhere = (usual.other_markets.iter())
        .map(|m| (m.market, m.max_mg, m.source.as_str(), m.evidence))
        .chain(
            usual
                .market
                .map(|m| (m, usual.max_mg, usual.source.as_str(), usual.evidence)),
        )
        .filter(|(m, max, ..)| Some(*m) != market && from_mg <= *max)
        .map(|(m, max, source, evidence)| {
            format!(
                " The {} label allows up to {} mg/day ({source}, evidence: {}).",
                market_name(m),
                num(max),
                evidence.as_str()
            )
        })
        .collect::<String>();
    Some(format!(
        "The starting dose, {} mg, is above the usual maximum of {} mg/day for {}{} ({source}, evidence: {}).{elsewhere} Check the dose was typed correctly before using this plan.",
        num(from_mg),
        num(max_mg),
        entry.name,
        match (market, usual.market) {
            (Some(m), _) | (None, Some(m)) => format!(" in the {} label", market_name(m)),
            (None, None) => String::new(),
        },
        evidence.as_str()
    ))
}

/// With `--step-pp`, the starting occupancy is rarely a whole number of steps: the
/// remainder makes one partial step (the first with `--align`, the stop without). A
/// partial step under half a step is flagged so the prescriber can merge it.
fn partial_steps(rule: StepRule, steps: &mut [Step], warnings: &mut Vec<Warning>) {
    let StepRule::StepPp { pp, align } = rule else {
        return;
    };
    let partial: Vec<usize> = steps
        .iter()
        .skip(1)
        .filter(|s| s.occupancy_drop_pp < pp / 2.0)
        .map(|s| s.step)
        .collect();
    let fix = if align {
        "leave out --align to put it last instead"
    } else {
        "use --align to take it first instead"
    };
    for k in partial {
        let message = format!(
            "Step {k} removes only {:.2} percentage points of occupancy, less than half of this plan's {} point steps: it is what is left of the starting occupancy after whole steps. The prescriber may merge it with the step next to it, {fix}, or use --steps for equal falls throughout.",
            steps[k].occupancy_drop_pp,
            crate::text::fmt_num(pp)
        );
        flag(steps, vec![k], Code::PartialStep, message, warnings);
    }
}

/// Horowitz & Taylor; Maudsley: stopping should be no bigger a step than the ones before.
fn final_stop(context: &Context, steps: &mut [Step], warnings: &mut Vec<Warning>) {
    let last = steps.len() - 1;
    let stop_fall = steps[last].occupancy_drop_pp;
    let earlier_largest = steps[1..last]
        .iter()
        .map(|s| s.occupancy_drop_pp)
        .fold(0.0, f64::max);
    let allowed = context
        .rule
        .nominal_fall_pp(context.start_occupancy_pct)
        .unwrap_or(earlier_largest);
    let floor = context.min_dose_mg;
    // One step is an abrupt stop only if it removes more than a gentle step would;
    // from a tiny dose (late in a taper) a single stop is the plan.
    if last == 1 && floor.is_none() && stop_fall > rules::DEFAULT_MAX_FALL_PP {
        let message = format!(
            "This rule stops the drug in one step, removing all {:.1} percentage points of occupancy at once: that is an abrupt stop, not a taper. Use a smaller step (e.g. --step-pp 5) unless an abrupt stop is intended.",
            stop_fall
        );
        flag(steps, vec![last], Code::SingleStepStop, message, warnings);
    } else if stop_fall > allowed * (1.0 + rules::REMAINDER_FRACTION) + 1e-9 {
        let why = match floor {
            Some(mg) => format!(
                "because --min-dose {} mg keeps smaller doses out of the plan",
                crate::text::fmt_num(mg)
            ),
            None => "with these options".to_string(),
        };
        let message = format!(
            "Stopping from {} mg removes {:.2} percentage points of occupancy, more than the {:.2} points of a step of this plan, {why}. The guidance is that the final dose be small enough that stopping is no bigger a step than the ones before (Maudsley Prescribing Guidelines; Horowitz & Taylor 2019); a liquid formulation can reach smaller doses.",
            crate::text::fmt_dose(steps[last - 1].dose_mg),
            stop_fall,
            allowed
        );
        flag(
            steps,
            vec![last],
            Code::FinalStopExceedsStep,
            message,
            warnings,
        );
    }
}

/// A step that removes more than half of the starting occupancy at once is closer to
/// an abrupt stop than to a taper (e.g. `--percent 99`, `--step-pp 60`, or products
/// that cannot make the doses between).
fn large_steps(guardrails: &Guardrails, steps: &mut [Step], warnings: &mut Vec<Warning>) {
    let start = steps[0].occupancy_pct;
    let guard = &guardrails.large_step;
    let limit = start * guard.danger_above_fraction_of_start;
    let large: Vec<usize> = steps
        .iter()
        .skip(1)
        .filter(|s| s.occupancy_drop_pp > limit + 1e-9 && !s.flags.contains(&Code::SingleStepStop))
        .map(|s| s.step)
        .collect();
    for i in large {
        let message = format!(
            "Step {i} removes {:.1} percentage points of occupancy, more than {}% of the starting {:.1}%, at once: closer to an abrupt stop than a taper {}. Smaller steps (e.g. --step-pp 5) are the gentler choice unless this is intended.",
            steps[i].occupancy_drop_pp,
            crate::text::fmt_num(guard.danger_above_fraction_of_start * 100.0),
            start,
            cite(&guard.source, guard.evidence)
        );
        flag(steps, vec![i], Code::LargeStep, message, warnings);
    }
}

/// Fitted Emax values above 100% are an artefact of fitting (Sørensen, Ruhé & Munkholm
/// 2022): occupancy above 100% cannot be real, so it is flagged rather than printed
/// without comment.
fn occupancy_above_100(steps: &mut [Step], warnings: &mut Vec<Warning>) {
    let over: Vec<usize> = steps
        .iter()
        .filter(|s| s.occupancy_pct > 100.0)
        .map(|s| s.step)
        .collect();
    if over.is_empty() {
        return;
    }
    flag(
        steps,
        over,
        Code::OccupancyAbove100,
        "The curve gives occupancy above 100% here. That cannot be real: fitted Emax values above 100% are an artefact of fitting (Sørensen, Ruhé & Munkholm 2022). Read these occupancies as \"near full\", and the doses at the top of the plan as approximate.".to_string(),
        warnings,
    );
}

fn plan_wide(context: &Context, steps: &[Step], warnings: &mut Vec<Warning>) {
    let count = steps.len();
    let curve = context.curve;
    if curve.evidence != Evidence::Verified {
        warnings.push(Warning::plan_wide(
            Code::CurveEvidence,
            format!(
                "The occupancy curve's Emax and ED50 are `{}` evidence ({}); treat the doses as approximate. Its source is given with the curve.",
                curve.evidence.as_str(),
                curve.evidence.meaning(),
            ),
        ));
    }
    if let DrugOrigin::File(_) = context.origin {
        warnings.push(Warning::plan_wide(
            Code::DrugFile,
            format!(
                "The drug's entry comes from {}, not the built-in catalog; its figures were not checked by taper.",
                context.origin
            ),
        ));
    }
    horizon(context.guardrails, steps, warnings);
    let every = context.every_days;
    if every < context.guardrails.step_length.caution_below_days {
        warnings.push(Warning::on_steps(
            Code::ShortSteps,
            format!(
                "Steps of {} are shorter than the 2–4 weeks the Maudsley Prescribing Guidelines suggest between reductions, which leave time to judge each step before the next.",
                crate::text::fmt_count(i64::from(every), "day")
            ),
            (1..count).collect(),
        ));
    }
}

/// A plan whose last dose is years away (e.g. `--percent 10` on escitalopram: 4.75
/// years, ending at 0.016 mg) is unlikely to be followed as written.
fn horizon(guardrails: &Guardrails, steps: &[Step], warnings: &mut Vec<Warning>) {
    let guard = &guardrails.horizon;
    // The last step taken: before the stop, or the held step of a plan that ends held.
    let (Some(first), Some(last_dose)) = (steps.first(), steps.iter().rfind(|s| s.dose_mg > 0.0))
    else {
        return;
    };
    let days = (last_dose.end_date - first.start_date).get_days() + 1;
    if days <= i32::try_from(guard.caution_above_days).unwrap_or(i32::MAX) {
        return;
    }
    warnings.push(Warning::plan_wide(
        Code::BeyondHorizon,
        format!(
            "The plan's last dose is taken {} after it starts ({:.1} years), longer than the {} taper checks against {}, and it ends at {} mg. Plans this long are rarely followed as written: larger steps (e.g. --step-pp 5 or --steps), a --min-dose the products can measure, or re-planning as the taper goes are the alternatives to weigh.",
            crate::text::fmt_count(i64::from(days), "day"),
            f64::from(days) / 365.25,
            crate::text::fmt_count(i64::from(guard.caution_above_days), "day"),
            cite(&guard.source, guard.evidence),
            crate::text::fmt_dose(last_dose.dose_mg),
        ),
    ));
}
