//! The plan: a request in, plain data out. Every renderer works from a [`Plan`] and
//! recomputes nothing.
//!
//! Data flow: [`PlanRequest`] → catalog lookup → [`EmaxCurve`] → step rule
//! ([`crate::rules`]) → dated steps ([`crate::schedule`]) → checks and warnings → [`Plan`].

use crate::catalog::{Catalog, DrugEntry, Evidence};
use crate::checks;
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

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Plan {
    pub schema_version: u32,
    pub tool: Tool,
    pub notice: &'static str,
    pub drug: DrugInfo,
    pub curve: CurveInfo,
    pub rule: RuleInfo,
    pub start_dose_mg: f64,
    #[serde(serialize_with = "crate::schedule::serialize_date")]
    pub start_date: Date,
    /// The last day a dose is taken.
    #[serde(serialize_with = "crate::schedule::serialize_date")]
    pub last_dose_date: Date,
    /// The first day without the drug.
    #[serde(serialize_with = "crate::schedule::serialize_date")]
    pub stop_date: Date,
    /// Days from `start_date` to `last_dose_date`, inclusive.
    pub total_days: i64,
    pub steps: Vec<Step>,
    /// Present when ketamine sessions were given (see [`crate::ketamine`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ketamine: Option<crate::ketamine::KetamineSection>,
    /// Present when doses were rounded to products (`--tablets`, `--liquid`, `--form` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formulation: Option<crate::formulation::FormulationInfo>,
    /// What to dispense, per product, for the whole plan and per prescription period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispense: Option<crate::formulation::Dispense>,
    /// With `--daily`: one row per day, the dose falling a little every day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily: Option<Vec<crate::formulation::DailyRow>>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Tool {
    /// This build of taper.
    pub fn this() -> Tool {
        Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DrugInfo {
    pub name: String,
    pub class: String,
    /// Where the entry came from: "built-in catalog" or the drug file's path.
    pub catalog: String,
    /// `None` for a drug outside the catalog, planned on a curve given with --emax/--ed50.
    pub half_life: Option<crate::catalog::HalfLife>,
    pub usual_dose: Option<crate::catalog::UsualDose>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
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

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RuleInfo {
    #[serde(flatten)]
    pub rule: StepRule,
    /// True when no rule was given and [`rules::default_rule`] chose it.
    pub default: bool,
    pub description: String,
    pub every_days: u32,
    pub min_dose_mg: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Step {
    pub step: usize,
    #[serde(serialize_with = "crate::schedule::serialize_date")]
    pub start_date: Date,
    #[serde(serialize_with = "crate::schedule::serialize_date")]
    pub end_date: Date,
    pub days: u32,
    /// The dose the curve asks for.
    pub ideal_dose_mg: f64,
    /// The dose actually taken: the ideal one, or the nearest a formulation can make.
    pub dose_mg: f64,
    /// Occupancy at `dose_mg`.
    pub occupancy_pct: f64,
    pub occupancy_drop_pp: f64,
    /// Occupancy at `ideal_dose_mg`.
    pub ideal_occupancy_pct: f64,
    /// `dose_mg − ideal_dose_mg`.
    pub dose_error_mg: f64,
    /// How to take the dose with the products given ("1 × 10 mg tablet + ½ × 10 mg
    /// tablet"); present when a formulation was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// What one day of this step uses of each product, for dispensing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub daily_usage: Vec<crate::formulation::Usage>,
    /// The ideal steps merged into this one because the products make them the same dose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<usize>,
    pub flags: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Warning {
    /// The flag code steps carry, or a plan-wide code.
    pub code: &'static str,
    pub message: String,
    /// The steps this concerns; empty for plan-wide warnings.
    pub steps: Vec<usize>,
    /// The ketamine sessions (numbered from 1) this concerns, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sessions: Vec<usize>,
}

/// Computes the plan for `request` from `catalog`. `catalog_label` says where the drug
/// entry came from (for the plan's `drug.catalog`).
pub fn build_plan(catalog: &Catalog, request: &PlanRequest, catalog_label: &str) -> Result<Plan> {
    // A drug outside the catalog can still be planned on a curve the user supplies
    // (shared/reference/antidepressants.md §2: e.g. fluvoxamine, clomipramine).
    let (entry, not_in_catalog) = match catalog.find(&request.drug) {
        Ok(entry) => (Some(entry), None),
        Err(err) => {
            let why = crate::catalog::known_without_curve(&request.drug)
                .unwrap_or_else(|| err.to_string());
            match request.custom_curve {
                Some(_) => (None, Some(why)),
                None => return Err(Error::Input(why)),
            }
        }
    };
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
                crate::text::fmt_num(floor),
                crate::text::fmt_num(request.from_mg)
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
            ideal_occupancy_pct: target.occupancy_pct,
            dose_error_mg: 0.0,
            instructions: None,
            daily_usage: Vec::new(),
            merged_from: Vec::new(),
            flags: Vec::new(),
        })
        .collect();

    match (entry, not_in_catalog) {
        (Some(entry), _) => checks::start_dose(entry, request.from_mg, &mut steps, &mut warnings),
        (None, why) => checks::not_in_catalog(why.unwrap_or_default(), &mut warnings),
    }
    checks::partial_steps(rule, &mut steps, &mut warnings);
    checks::final_stop(
        rule,
        start_occ,
        request.min_dose_mg,
        &mut steps,
        &mut warnings,
    );
    checks::large_steps(&mut steps, &mut warnings);
    checks::occupancy_above_100(&mut steps, &mut warnings);
    checks::plan_wide(
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
        tool: Tool::this(),
        notice: REVIEW_NOTICE,
        drug: match entry {
            Some(entry) => DrugInfo {
                name: entry.name.clone(),
                class: entry.class.clone(),
                catalog: catalog_label.to_string(),
                half_life: Some(entry.half_life.clone()),
                usual_dose: Some(entry.usual_dose.clone()),
            },
            None => DrugInfo {
                name: request.drug.trim().to_lowercase(),
                class: "not in the catalog".into(),
                catalog: "none: curve given with --emax/--ed50".into(),
                half_life: None,
                usual_dose: None,
            },
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
        ketamine: None,
        formulation: None,
        dispense: None,
        daily: None,
        warnings,
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
