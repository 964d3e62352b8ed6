//! The ideal plan: the request's curve, rule and dates give each step's ideal dose,
//! before any rounding to products and before any checks (those run on the final steps,
//! in [`crate::checks`]).
//!
//! Data flow: [`PlanRequest`] → catalog entry → [`EmaxCurve`] → step rule
//! ([`crate::rules`]) → dated steps ([`crate::schedule`]) → [`Ideal`].

use crate::catalog::{DrugEntry, Evidence};
use crate::curve::EmaxCurve;
use crate::error::{Error, Result};
use crate::model::{DrugOrigin, Step};
use crate::plan::{CurveInfo, DrugInfo, RuleInfo};
use crate::rules::{self, StepRule, Target};
use crate::schedule::{self, Hold};
use crate::units::Mg;
use jiff::civil::Date;
use std::num::NonZeroU32;

/// A curve given on the command line with `--emax/--ed50` instead of the catalog's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomCurve {
    pub emax_pct: f64,
    pub ed50_mg: f64,
    pub hill: f64,
}

/// Everything needed to compute the ideal steps, already parsed and checked by
/// [`crate::request`]. Positive quantities are typed so that they cannot be zero.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRequest {
    pub drug: String,
    pub from: Mg,
    pub start: Date,
    pub every_days: NonZeroU32,
    /// `None`: [`rules::default_rule`].
    pub rule: Option<StepRule>,
    pub region: Option<String>,
    pub custom_curve: Option<CustomCurve>,
    pub holds: Vec<Hold>,
    /// The smallest non-zero dose the plan may use (e.g. the least that can be measured).
    pub min_dose: Option<Mg>,
}

/// What the ideal stage returns: the drug and curve it planned on, the rule, and the
/// dated steps at their ideal doses (no flags yet).
#[derive(Debug, Clone)]
pub struct Ideal {
    pub drug: DrugInfo,
    /// Why the drug is planned without a catalog entry (a user-given curve), if it is.
    pub not_in_catalog: Option<String>,
    pub curve: EmaxCurve,
    pub curve_info: CurveInfo,
    pub rule: RuleInfo,
    pub start_occupancy_pct: f64,
    pub steps: Vec<Step>,
}

/// The request's rule (its own, or the default for the starting occupancy) and the
/// targets it gives on `curve` below the starting dose, above any `--min-dose`.
fn targets(
    request: &PlanRequest,
    curve: &EmaxCurve,
    start_occ: f64,
) -> Result<(StepRule, Vec<Target>)> {
    let from_mg = request.from.get();
    let rule = request
        .rule
        .unwrap_or_else(|| rules::default_rule(start_occ));
    let mut targets = rules::reduction_targets(rule, curve, from_mg)?;
    if let Some(floor) = request.min_dose {
        let floor = floor.get();
        if floor >= from_mg {
            return Err(Error::input(format!(
                "--min-dose {} mg is not below the starting dose ({} mg); give a smaller --min-dose or leave it out",
                crate::text::fmt_num(floor),
                crate::text::fmt_num(from_mg)
            )));
        }
        targets.retain(|t| t.dose_mg == 0.0 || t.dose_mg >= floor);
    }
    Ok((rule, targets))
}

/// The last dose before the stop that `request` gives on `entry`'s curve for
/// `region`: the ideal plan's tail, without laying its steps on the calendar (for
/// comparing a drug's regions, [`crate::regions`]).
pub fn last_dose_on(entry: &DrugEntry, region: &str, request: &PlanRequest) -> Result<f64> {
    let chosen = entry.curve(Some(region)).map_err(Error::input)?;
    let curve = EmaxCurve::new(chosen.emax_pct, chosen.ed50_mg, chosen.hill)?;
    let from_mg = request.from.get();
    let (_, targets) = targets(request, &curve, curve.occupancy(from_mg)?)?;
    Ok((targets.iter().rev())
        .map(|t| t.dose_mg)
        .find(|&mg| mg > 0.0)
        .unwrap_or(from_mg))
}

/// The ideal steps for `request`, on `entry`'s curve (or the request's own curve).
/// `lookup_error` says why there is no entry, when there is none; `origin` says where
/// the entry came from (for the plan's `drug.catalog`).
pub fn ideal(
    entry: Option<&DrugEntry>,
    lookup_error: Option<String>,
    request: &PlanRequest,
    origin: &DrugOrigin,
) -> Result<Ideal> {
    // A drug outside the catalog can still be planned on a curve the user supplies
    // (e.g. fluvoxamine, clomipramine, whose published curves taper does not carry).
    let not_in_catalog = match (entry, request.custom_curve) {
        (Some(_), _) => None,
        (None, Some(_)) => Some(lookup_error.unwrap_or_default()),
        (None, None) => return Err(Error::input(lookup_error.unwrap_or_default())),
    };
    let from_mg = request.from.get();
    let (curve, curve_info) = choose_curve(entry, request)?;
    let start_occ = curve.occupancy(from_mg)?;
    let (rule, targets) = targets(request, &curve, start_occ)?;

    let mut all = vec![Target {
        dose_mg: from_mg,
        occupancy_pct: start_occ,
    }];
    all.extend(targets);
    let periods = schedule::lay_out(request.start, request.every_days, &request.holds, all.len())?;
    let steps: Vec<Step> = all
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
            ideal_occupancy_pct: target.occupancy_pct,
            dose_error_mg: 0.0,
            instructions: None,
            daily_usage: Vec::new(),
            merged_from: Vec::new(),
            times_a_day: None,
            flags: Vec::new(),
            taken: false,
        })
        .collect();

    Ok(Ideal {
        drug: match entry {
            Some(entry) => DrugInfo {
                name: entry.name.clone(),
                class: entry.class.clone(),
                catalog: origin.clone(),
                half_life: Some(entry.half_life.clone()),
                usual_dose: Some(entry.usual_dose.clone()),
            },
            None => DrugInfo {
                name: request.drug.trim().to_lowercase(),
                class: "not in the catalog".into(),
                catalog: DrugOrigin::UserCurve,
                half_life: None,
                usual_dose: None,
            },
        },
        not_in_catalog,
        curve,
        curve_info,
        rule: RuleInfo {
            rule,
            default: request.rule.is_none(),
            description: rule.describe(),
            every_days: request.every_days.get(),
            min_dose_mg: request.min_dose.map(Mg::get),
        },
        start_occupancy_pct: start_occ,
        steps,
    })
}

fn choose_curve(
    entry: Option<&DrugEntry>,
    request: &PlanRequest,
) -> Result<(EmaxCurve, CurveInfo)> {
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
    match entry {
        Some(entry) => catalog_curve(entry, request.region.as_deref()),
        None => Err(Error::Runtime(
            "no curve: the drug is not in the catalog and no --emax/--ed50 was given".into(),
        )),
    }
}

/// The catalog's curve for `region` (default region when `None`), with what the plan
/// says about it.
pub fn catalog_curve(entry: &DrugEntry, region: Option<&str>) -> Result<(EmaxCurve, CurveInfo)> {
    let chosen = entry.curve(region).map_err(Error::input)?;
    let curve = EmaxCurve::new(chosen.emax_pct, chosen.ed50_mg, chosen.hill)?;
    // Spelt alike in the catalog, so most plans need no normalising.
    let is_default = chosen.region == entry.default_region
        || crate::catalog::region_key(&chosen.region)
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
