//! The plan: a request in, plain data out. Every renderer works from a [`Plan`] and
//! recomputes nothing.
//!
//! Data flow: [`PlanRequest`] → catalog lookup → [`EmaxCurve`] → step rule
//! ([`crate::rules`]) → dated steps ([`crate::schedule`]) → checks and warnings → [`Plan`].

use crate::catalog::{Catalog, DrugEntry, Evidence};
use crate::curve::EmaxCurve;
use crate::error::{Error, Result};
use crate::rules::{self, StepRule, Target};
use crate::schedule::{self, Hold};
use jiff::civil::Date;
use serde::Serialize;

/// Version of the JSON plan document (DESIGN.md §2). Bump on any change that could
/// break a consumer: a key removed or renamed, or a meaning changed.
pub const SCHEMA_VERSION: u32 = 1;

/// Printed on every plan, in every format.
pub const REVIEW_NOTICE: &str = "This plan is for review with the prescriber. It is computed from published occupancy curves; it is not medical advice, and doses, timing and any changes are the prescriber's decision with the patient.";

/// Below this many days per step the plan warns: Maudsley suggests reductions every 2–4 weeks.
const SHORTEST_USUAL_STEP_DAYS: u32 = 14;

/// A curve given on the command line with `--emax/--ed50` instead of the catalog's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomCurve {
    pub emax_pct: f64,
    pub ed50_mg: f64,
    pub hill: f64,
}

/// Everything needed to compute a plan, already parsed and typed.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRequest {
    pub drug: String,
    pub from_mg: f64,
    pub start: Date,
    pub every_days: u32,
    /// `None`: [`rules::default_rule`].
    pub rule: Option<StepRule>,
    pub region: Option<String>,
    pub custom_curve: Option<CustomCurve>,
    pub holds: Vec<Hold>,
    /// The smallest non-zero dose the plan may use (e.g. the least that can be measured).
    pub min_dose_mg: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub schema_version: u32,
    pub tool: Tool,
    pub notice: &'static str,
    pub drug: DrugInfo,
    pub curve: CurveInfo,
    pub rule: RuleInfo,
    pub start_dose_mg: f64,
    pub start_date: Date,
    /// The last day a dose is taken.
    pub last_dose_date: Date,
    /// The first day without the drug.
    pub stop_date: Date,
    /// Days from `start_date` to `last_dose_date`, inclusive.
    pub total_days: i64,
    pub steps: Vec<Step>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrugInfo {
    pub name: String,
    pub class: String,
    /// Where the entry came from: "built-in catalog" or the drug file's path.
    pub catalog: String,
    pub half_life: crate::catalog::HalfLife,
    pub usual_dose: crate::catalog::UsualDose,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurveInfo {
    pub emax_pct: f64,
    pub ed50_mg: f64,
    pub hill: f64,
    pub region: String,
    /// Why this region: the catalog's reason for its default, or "chosen with --region".
    pub region_reason: String,
    pub source: String,
    pub evidence: Evidence,
    pub hill_source: String,
    pub hill_evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleInfo {
    #[serde(flatten)]
    pub rule: StepRule,
    /// True when no rule was given and [`rules::default_rule`] chose it.
    pub default: bool,
    pub description: String,
    pub every_days: u32,
    pub min_dose_mg: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub step: usize,
    pub start_date: Date,
    pub end_date: Date,
    pub days: u32,
    pub ideal_dose_mg: f64,
    pub dose_mg: f64,
    pub occupancy_pct: f64,
    pub occupancy_drop_pp: f64,
    pub flags: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// The flag code steps carry, or a plan-wide code.
    pub code: &'static str,
    pub message: String,
    /// The steps this concerns; empty for plan-wide warnings.
    pub steps: Vec<usize>,
}

/// Computes the plan for `request` from `catalog`. `catalog_label` says where the drug
/// entry came from (for the plan's `drug.catalog`).
pub fn build_plan(catalog: &Catalog, request: &PlanRequest, catalog_label: &str) -> Result<Plan> {
    let entry = catalog.find(&request.drug)?;
    let (curve, curve_info) = choose_curve(entry, request)?;
    let start_occ = curve.occupancy(request.from_mg)?;
    let rule = request
        .rule
        .unwrap_or_else(|| rules::default_rule(start_occ));

    let mut targets = rules::reduction_targets(rule, &curve, request.from_mg)?;
    let mut warnings = Vec::new();
    if let Some(floor) = request.min_dose_mg {
        if floor >= request.from_mg {
            return Err(Error::input(format!(
                "--min-dose {} mg is not below the starting dose ({} mg); give a smaller --min-dose or leave it out",
                rules::fmt_num(floor),
                rules::fmt_num(request.from_mg)
            )));
        }
        targets.retain(|t| t.dose_mg == 0.0 || t.dose_mg >= floor);
    }

    let mut all = vec![Target {
        dose_mg: request.from_mg,
        occupancy_pct: start_occ,
    }];
    all.extend(targets);
    let periods = schedule::lay_out(request.start, request.every_days, &request.holds, all.len())?;
    let mut steps: Vec<Step> = all
        .iter()
        .zip(&periods)
        .enumerate()
        .map(|(i, (target, period))| Step {
            step: i,
            start_date: period.start,
            end_date: period.end,
            days: period.days,
            ideal_dose_mg: target.dose_mg,
            dose_mg: target.dose_mg,
            occupancy_pct: target.occupancy_pct,
            occupancy_drop_pp: if i == 0 {
                0.0
            } else {
                all[i - 1].occupancy_pct - target.occupancy_pct
            },
            flags: Vec::new(),
        })
        .collect();

    check_start_dose(entry, request.from_mg, &mut steps, &mut warnings);
    check_partial_steps(rule, &mut steps, &mut warnings);
    check_final_stop(
        rule,
        start_occ,
        request.min_dose_mg,
        &mut steps,
        &mut warnings,
    );
    check_plan_wide(
        request,
        &curve_info,
        catalog_label,
        steps.len(),
        &mut warnings,
    );

    let last_dose = &steps[steps.len() - 2];
    let (last_dose_date, stop_date) = (last_dose.end_date, steps[steps.len() - 1].start_date);
    Ok(Plan {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        notice: REVIEW_NOTICE,
        drug: DrugInfo {
            name: entry.name.clone(),
            class: entry.class.clone(),
            catalog: catalog_label.to_string(),
            half_life: entry.half_life.clone(),
            usual_dose: entry.usual_dose.clone(),
        },
        curve: curve_info,
        rule: RuleInfo {
            rule,
            default: request.rule.is_none(),
            description: rule.describe(),
            every_days: request.every_days,
            min_dose_mg: request.min_dose_mg,
        },
        start_dose_mg: request.from_mg,
        start_date: request.start,
        last_dose_date,
        stop_date,
        total_days: (last_dose_date - request.start).get_days() as i64 + 1,
        steps,
        warnings,
    })
}

fn choose_curve(entry: &DrugEntry, request: &PlanRequest) -> Result<(EmaxCurve, CurveInfo)> {
    if let Some(custom) = request.custom_curve {
        if request.region.is_some() {
            return Err(Error::input(
                "--region picks one of the catalog's curves, --emax/--ed50 replace them; give one or the other",
            ));
        }
        let curve = EmaxCurve::new(custom.emax_pct, custom.ed50_mg, custom.hill)?;
        let info = CurveInfo {
            emax_pct: custom.emax_pct,
            ed50_mg: custom.ed50_mg,
            hill: custom.hill,
            region: "user-supplied".into(),
            region_reason: "curve given with --emax/--ed50".into(),
            source: "given on the command line (--emax/--ed50/--hill)".into(),
            evidence: Evidence::User,
            hill_source: "given on the command line (--hill, default 1)".into(),
            hill_evidence: Evidence::User,
        };
        return Ok((curve, info));
    }
    catalog_curve(entry, request.region.as_deref())
}

/// The catalog's curve for `region` (default region when `None`), with what the plan
/// says about it.
pub fn catalog_curve(entry: &DrugEntry, region: Option<&str>) -> Result<(EmaxCurve, CurveInfo)> {
    let chosen = entry.curve(region).map_err(Error::Input)?;
    let curve = EmaxCurve::new(chosen.emax_pct, chosen.ed50_mg, chosen.hill)?;
    let is_default = crate::catalog::region_key(&chosen.region)
        == crate::catalog::region_key(&entry.default_region);
    let info = CurveInfo {
        emax_pct: chosen.emax_pct,
        ed50_mg: chosen.ed50_mg,
        hill: chosen.hill,
        region: chosen.region.clone(),
        region_reason: if is_default {
            format!("default region: {}", entry.default_region_reason)
        } else {
            "chosen with --region".into()
        },
        source: chosen.source.clone(),
        evidence: chosen.evidence,
        hill_source: chosen.hill_source.clone(),
        hill_evidence: chosen.hill_evidence,
    };
    Ok((curve, info))
}

fn check_start_dose(
    entry: &DrugEntry,
    from_mg: f64,
    steps: &mut [Step],
    warnings: &mut Vec<Warning>,
) {
    let usual = &entry.usual_dose;
    if from_mg > usual.max_mg {
        steps[0].flags.push("above_usual_max");
        warnings.push(Warning {
            code: "above_usual_max",
            message: format!(
                "The starting dose, {} mg, is above the usual maximum of {} mg/day for {} ({}, evidence: {}). Check the dose was typed correctly (mg, not mcg) before using this plan.",
                rules::fmt_num(from_mg),
                rules::fmt_num(usual.max_mg),
                entry.name,
                usual.source,
                usual.evidence.as_str()
            ),
            steps: vec![0],
        });
    }
}

/// With `--step-pp`, the starting occupancy is rarely a whole number of steps: the
/// remainder makes one partial step (the first with `--align`, the stop without). A
/// partial step under half a step is flagged so the prescriber can merge it.
fn check_partial_steps(rule: StepRule, steps: &mut [Step], warnings: &mut Vec<Warning>) {
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
                rules::fmt_num(pp)
            ),
            steps: vec![k],
        });
    }
}

/// Horowitz & Taylor; Maudsley: stopping should be no bigger a step than the ones before.
fn check_final_stop(
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
    if last == 1 {
        steps[last].flags.push("single_step_stop");
        warnings.push(Warning {
            code: "single_step_stop",
            message: format!(
                "This rule stops the drug in one step, removing all {:.1} percentage points of occupancy at once: that is an abrupt stop, not a taper. Use a smaller step (e.g. --step-pp 5) unless an abrupt stop is intended.",
                stop_fall
            ),
            steps: vec![last],
        });
    } else if stop_fall > allowed + 1e-6 {
        steps[last].flags.push("final_stop_exceeds_step");
        let why = match floor {
            Some(mg) => format!(
                "because --min-dose {} mg keeps smaller doses out of the plan",
                rules::fmt_num(mg)
            ),
            None => "with these options".to_string(),
        };
        warnings.push(Warning {
            code: "final_stop_exceeds_step",
            message: format!(
                "Stopping from {} mg removes {:.1} percentage points of occupancy, more than the {:.1} points of a step of this plan, {why}. The guidance is that the final dose be small enough that stopping is no bigger a step than the ones before (Maudsley Prescribing Guidelines; Horowitz & Taylor 2019); a liquid formulation can reach smaller doses.",
                rules::fmt_num(round_to(steps[last - 1].dose_mg, 4)),
                stop_fall,
                allowed
            ),
            steps: vec![last],
        });
    }
}

fn check_plan_wide(
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
        });
    }
    if catalog_label != crate::BUILT_IN_CATALOG {
        warnings.push(Warning {
            code: "drug_file",
            message: format!("The drug's entry comes from {catalog_label}, not the built-in catalog; its figures were not checked by taper."),
            steps: Vec::new(),
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
        });
    }
}

/// Rounds for display in messages only; plan numbers keep full precision.
fn round_to(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}
