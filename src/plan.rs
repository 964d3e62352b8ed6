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
    /// The last day a dose is taken; `null` when the plan ends held (`ending`).
    #[serde(serialize_with = "serialize_opt_date")]
    #[schemars(with = "Option<Date>")]
    pub last_dose_date: Option<Date>,
    /// The first day without the drug; `null` when the plan ends held (`ending`).
    #[serde(serialize_with = "serialize_opt_date")]
    #[schemars(with = "Option<Date>")]
    pub stop_date: Option<Date>,
    /// Days from `start_date` to `last_dose_date`, inclusive; for a plan that ends
    /// held, to the last day its steps reach (`held.planned_until`).
    pub total_days: i64,
    /// `stop`: the last step is 0 mg. `held`: the products cannot make the last doses,
    /// so the last step's dose is held until the prescriber arranges a smaller dose
    /// form, and the plan has no stop date (see `held`).
    pub ending: crate::formulation::Ending,
    /// With `ending: held`: where the plan ends, the doses missing and what would make
    /// them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<crate::formulation::HeldEnd>,
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
    /// Set when the plan ends held instead of stopped: its last step is a dose.
    pub held: Option<crate::formulation::HeldEnd>,
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
            held,
            formulation,
            dispense,
            daily,
            ketamine,
            mut warnings,
        } = parts;
        let start_date = steps[0].start_date;
        let last = steps.len() - 1;
        let (last_dose_date, stop_date, through) = match held {
            Some(_) => (None, None, steps[last].end_date),
            None => {
                let last_dose = steps[last - 1].end_date;
                (Some(last_dose), Some(steps[last].start_date), last_dose)
            }
        };
        most_severe_first(&mut warnings);
        // A cliff the products cannot avoid is the one thing to read first.
        warnings.sort_by_key(|w| {
            (
                std::cmp::Reverse(w.severity),
                w.code != Code::FinalFallTooLarge,
            )
        });
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
            total_days: (through - start_date).get_days() as i64 + 1,
            ending: match held {
                Some(_) => crate::formulation::Ending::Held,
                None => crate::formulation::Ending::Stop,
            },
            held,
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

/// A date or `null`, as [`crate::schedule::serialize_date`] writes a date.
pub fn serialize_opt_date<S: serde::Serializer>(
    date: &Option<Date>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => crate::schedule::serialize_date(date, serializer),
        None => serializer.serialize_none(),
    }
}

/// The sentence a plan with `danger` warnings opens with: what the first one says, and
/// how many more there are. Warnings are most severe first. `taper ketamine`'s
/// printout opens the same way.
pub fn headline(warnings: &[Warning]) -> Option<String> {
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
