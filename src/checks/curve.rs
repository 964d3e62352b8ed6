//! Checks on what the plan rests on rather than on single steps: a proportional rule
//! faster than the practical range, a curve given by hand that no published fit
//! resembles, and drugs whose effect the serotonin-transporter curve only half models.
//! Each cites its threshold from `schedules/guardrails.toml`.

use super::Context;
use crate::guardrails::cite;
use crate::model::{Code, Warning};
use crate::rules::StepRule;
use crate::text::fmt_num;

/// `--percent` above the Maudsley practical approximation's 10–25% per step.
pub(super) fn percent_rule(context: &Context, warnings: &mut Vec<Warning>) {
    let StepRule::Percent { percent } = context.rule else {
        return;
    };
    let guard = &context.guardrails.percent_per_step;
    if percent > guard.caution_above + 1e-9 {
        warnings.push(Warning::plan_wide(
            Code::PercentAboveUsualRange,
            format!(
                "Each step cuts the dose by {}%, more than the {}% at most of the practical approximation {}; the later steps of a proportional taper also remove more occupancy than the first. A smaller --percent, or an occupancy rule (--steps, --step-pp), is gentler.",
                fmt_num(percent),
                fmt_num(guard.caution_above),
                cite(&guard.source, guard.evidence)
            ),
        ));
    }
}

/// A curve given with `--emax/--ed50/--hill` is compared with what the published fits
/// report: the Hill coefficient of every fit, and the occupancy the minimum therapeutic
/// dose gives in PET studies. (An Emax above 100% is refused with the request.)
pub(super) fn custom_curve(context: &Context, warnings: &mut Vec<Warning>) {
    let Some(custom) = context.custom_curve else {
        return;
    };
    let bounds = &context.guardrails.custom_curve;
    if (custom.hill - bounds.hill).abs() > 1e-9 {
        warnings.push(Warning::plan_wide(
            Code::CustomCurveHill,
            format!(
                "The curve given has a Hill coefficient of {}, while every published SERT occupancy fit has {} {}. A steeper or shallower curve changes every dose of the plan: check it against its source.",
                fmt_num(custom.hill),
                fmt_num(bounds.hill),
                cite(&bounds.hill_source, bounds.hill_evidence)
            ),
        ));
    }
    let Some(entry) = context.entry else {
        return;
    };
    let min_mg = entry.usual_dose.min_mg;
    let Ok(curve) = crate::curve::EmaxCurve::new(custom.emax_pct, custom.ed50_mg, custom.hill)
    else {
        return;
    };
    let Ok(occupancy) = curve.occupancy(min_mg) else {
        return;
    };
    let (low, high) = (
        bounds.min_dose_occupancy_low_pct,
        bounds.min_dose_occupancy_high_pct,
    );
    if occupancy < low - 1e-9 || occupancy > high + 1e-9 {
        let end = if occupancy > high { "flat" } else { "steep" };
        warnings.push(Warning::plan_wide(
            Code::CustomCurveMinDose,
            format!(
                "On the curve given, the usual minimum dose of {}, {} mg, gives {:.1}% occupancy, outside the {}–{}% that PET studies found at the minimum therapeutic dose {}. The usual doses then sit on the {end} part of the curve, and the plan's doses are far from those the published curves give: check the curve against its source.",
                entry.name,
                fmt_num(min_mg),
                occupancy,
                fmt_num(low),
                fmt_num(high),
                cite(
                    &bounds.min_dose_occupancy_source,
                    bounds.min_dose_occupancy_evidence
                )
            ),
        ));
    }
}

/// Serotonin–noradrenaline reuptake inhibitors also act on the noradrenaline
/// transporter; the plan's equal steps are in SERT occupancy only.
pub(super) fn serotonin_only(context: &Context, warnings: &mut Vec<Warning>) {
    let Some(entry) = context.entry else {
        return;
    };
    if entry.class != "SNRI" {
        return;
    }
    warnings.push(Warning::plan_wide(
        Code::SerotoninOnly,
        format!(
            "{} is an SNRI: it also blocks the noradrenaline transporter, which this plan does not model. Its steps remove equal serotonin-transporter occupancy, the only occupancy the published fits describe (Sørensen, Ruhé & Munkholm 2022); withdrawal may not follow them as closely as for an SSRI, so judge each step by how the person feels.",
            entry.name
        ),
    ));
}
