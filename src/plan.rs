//! The plan document: assembled once, at the end of the pipeline, from the parts each
//! stage returns. Every renderer works from a [`Plan`] and recomputes nothing.

use crate::catalog::Evidence;
use crate::rules::StepRule;
use jiff::civil::Date;
use serde::Serialize;

pub use crate::model::{
    Code, DrugOrigin, REVIEW_NOTICE, SCHEMA_VERSION, Severity, Step, Tool, USER_CURVE_NOTICE,
    Warning, most_severe_first,
};

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Plan {
    pub schema_version: u32,
    /// Which plan this is ([`crate::identity`]): calendar UIDs and FHIR ids derive from
    /// it. Given with `--plan-id`, otherwise drawn at random.
    pub plan_id: String,
    /// 1 for a new plan; each `taper replan` writes the next.
    pub revision: u32,
    pub tool: Tool,
    pub notice: &'static str,
    /// `needs_review` when a warning is `danger`: the plan must not be followed as it
    /// stands. `taper plan --strict` then exits with its own code.
    pub status: Status,
    /// With `danger` warnings: one sentence that every format shows first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
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
    /// Most severe first.
    pub warnings: Vec<Warning>,
    /// Each re-plan (`taper replan`), oldest first; empty in revision 1.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<crate::revision::Revision>,
    /// Steps of earlier revisions that no longer happen, for calendars to cancel.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cancelled: Vec<crate::revision::CancelledStep>,
    /// The request the plan was made from, in JSON request spelling (`taper schema
    /// request`), with its plan id and start date written in: `taper plan --request`
    /// given it makes revision 1 again, and `taper replan` recomputes from it.
    pub request: crate::model::RequestDocument,
}

/// Whether a plan can be followed as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No `danger` warning.
    Ok,
    /// At least one `danger` warning: the prescriber must review the plan first.
    NeedsReview,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DrugInfo {
    pub name: String,
    pub class: String,
    /// Where the entry came from: "built-in catalog", "drug file PATH", or "none:
    /// curve given with --emax/--ed50".
    #[schemars(with = "String")]
    pub catalog: DrugOrigin,
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
    /// True when no rule was given and [`crate::rules::default_rule`] chose it.
    pub default: bool,
    pub description: String,
    pub every_days: u32,
    pub min_dose_mg: Option<f64>,
}

/// What the stages of the pipeline returned, to be assembled into a [`Plan`].
pub struct Parts {
    pub plan_id: String,
    pub revision: u32,
    pub request: crate::model::RequestDocument,
    pub revisions: Vec<crate::revision::Revision>,
    pub cancelled: Vec<crate::revision::CancelledStep>,
    pub notice: &'static str,
    pub drug: DrugInfo,
    pub curve: CurveInfo,
    pub rule: RuleInfo,
    pub start_dose_mg: f64,
    /// The final steps: rounded to products when there are products.
    pub steps: Vec<Step>,
    pub formulation: Option<crate::formulation::FormulationInfo>,
    pub dispense: Option<crate::formulation::Dispense>,
    pub daily: Option<Vec<crate::formulation::DailyRow>>,
    pub ketamine: Option<crate::ketamine::KetamineSection>,
    pub warnings: Vec<Warning>,
}

impl Plan {
    /// The plan document, with its dates read off the final steps and its warnings most
    /// severe first. A plan has a starting step and a stop step at least.
    pub fn assemble(parts: Parts) -> Plan {
        let Parts {
            plan_id,
            revision,
            request,
            revisions,
            cancelled,
            notice,
            drug,
            curve,
            rule,
            start_dose_mg,
            steps,
            formulation,
            dispense,
            daily,
            ketamine,
            mut warnings,
        } = parts;
        let start_date = steps[0].start_date;
        let stop = steps.len() - 1;
        let (last_dose_date, stop_date) = (steps[stop - 1].end_date, steps[stop].start_date);
        most_severe_first(&mut warnings);
        let headline = headline(&warnings);
        Plan {
            schema_version: SCHEMA_VERSION,
            plan_id,
            revision,
            tool: Tool::this(),
            notice,
            status: match headline {
                Some(_) => Status::NeedsReview,
                None => Status::Ok,
            },
            headline,
            drug,
            curve,
            rule,
            start_dose_mg,
            start_date,
            last_dose_date,
            stop_date,
            total_days: (last_dose_date - start_date).get_days() as i64 + 1,
            steps,
            ketamine,
            formulation,
            dispense,
            daily,
            warnings,
            revisions,
            cancelled,
            request,
        }
    }
}

/// The sentence a plan with `danger` warnings opens with: what the first one says, and
/// how many more there are. Warnings are most severe first.
fn headline(warnings: &[Warning]) -> Option<String> {
    let dangers: Vec<&Warning> = warnings
        .iter()
        .take_while(|w| w.severity == Severity::Danger)
        .collect();
    let first = dangers.first()?;
    let more = match dangers.len() - 1 {
        0 => String::new(),
        1 => " One more danger warning follows.".to_string(),
        n => format!(" {n} more danger warnings follow."),
    };
    Some(format!(
        "Needs review before it is followed: {}{more}",
        first.message
    ))
}
