//! The types every stage shares: a step, a warning, its code and severity, the tool's
//! name, the review notice and the schema version. This module imports no other stage,
//! so `plan`, `checks`, `formulation` and `ketamine` all depend on it and never on each
//! other's internals: the data flows one way (see the crate's documentation).

use jiff::civil::Date;
use serde::Serialize;

/// Version of the JSON plan document. Bump on any change that could break a consumer:
/// a key removed or renamed, or a meaning changed. New keys do not change it.
pub const SCHEMA_VERSION: u32 = 1;

/// Printed on every plan, in every format.
pub const REVIEW_NOTICE: &str = "This plan is for review with the prescriber. It is computed from published occupancy curves; it is not medical advice, and doses, timing and any changes are the prescriber's decision with the patient.";

/// Printed instead of [`REVIEW_NOTICE`] on a plan computed on a curve given by hand.
pub const USER_CURVE_NOTICE: &str = "This plan is for review with the prescriber. It is computed from an occupancy curve given by the user (--emax/--ed50), not a published one; it is not medical advice, and doses, timing and any changes are the prescriber's decision with the patient.";

/// The program that made a document.
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

/// The request a plan was made from, as JSON (`taper schema request`), kept encoded:
/// the plan records it and `taper replan` reads it back. Encoded once when the plan is
/// made, so writing plans (`taper batch`) copies it rather than encoding it again.
/// Its JSON Schema is the request's (see `crate::request`).
#[derive(Debug, Clone)]
pub struct RequestDocument(pub Box<serde_json::value::RawValue>);

impl RequestDocument {
    /// The request's JSON text.
    pub fn json(&self) -> &str {
        self.0.get()
    }
}

impl PartialEq for RequestDocument {
    fn eq(&self, other: &Self) -> bool {
        self.json() == other.json()
    }
}

impl Serialize for RequestDocument {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Where a plan's drug entry came from. Written as text in every format:
/// "built-in catalog", "drug file PATH", or "none: curve given with --emax/--ed50".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrugOrigin {
    /// The catalog built into taper (`schedules/`).
    BuiltIn,
    /// A `--drug-file`.
    File(std::path::PathBuf),
    /// No entry: the drug is planned on a curve given with `--emax`/`--ed50`.
    UserCurve,
}

impl std::fmt::Display for DrugOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DrugOrigin::BuiltIn => f.write_str("built-in catalog"),
            DrugOrigin::File(path) => write!(f, "drug file {}", path.display()),
            DrugOrigin::UserCurve => f.write_str("none: curve given with --emax/--ed50"),
        }
    }
}

impl Serialize for DrugOrigin {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// How much a warning matters. Warnings are listed most severe first in every format.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; nothing to change.
    Info,
    /// The prescriber should look at this before using the plan.
    Caution,
    /// Following the plan as it stands could harm: a cliff, an abrupt stop.
    Danger,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Caution => "caution",
            Severity::Danger => "danger",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Declares [`Code`] once: the variant, its snake_case text and its severity.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal, $severity:ident;)*) => {
        /// Every warning code and step flag taper writes. Serialised as the snake_case
        /// text shown here; a step's flag is always explained by a warning of the same
        /// code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
        pub enum Code {
            $($(#[$doc])* #[serde(rename = $text)] $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as it appears in every format: `partial_step`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }

            /// How much a warning of this code matters.
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }
        }
    };
}

codes! {
    /// The starting dose is under a tenth of the usual minimum: a unit slip?
    FarBelowUsualMin = "far_below_usual_min", Caution;
    /// The starting dose is above the usual maximum.
    AboveUsualMax = "above_usual_max", Caution;
    /// The drug is planned on a user-given curve only.
    DrugNotInCatalog = "drug_not_in_catalog", Caution;
    /// A step removes less than half of the plan's step.
    PartialStep = "partial_step", Info;
    /// The rule stops the drug in one step.
    SingleStepStop = "single_step_stop", Danger;
    /// Stopping removes more occupancy than a step of the plan.
    FinalStopExceedsStep = "final_stop_exceeds_step", Danger;
    /// A step removes more than half of the starting occupancy at once.
    LargeStep = "large_step", Danger;
    /// The curve gives occupancy above 100%.
    OccupancyAbove100 = "occupancy_above_100", Caution;
    /// The curve's evidence level is below `verified`.
    CurveEvidence = "curve_evidence", Info;
    /// The drug entry comes from a user's drug file.
    DrugFile = "drug_file", Info;
    /// Steps shorter than the usual 2–4 weeks.
    ShortSteps = "short_steps", Caution;
    /// The starting dose is not one the products make exactly.
    StartNotMeasurable = "start_not_measurable", Info;
    /// Ideal steps the products make as one dose, merged.
    Merged = "merged", Info;
    /// The products cannot make the last ideal doses: the plan stops earlier.
    StoppedEarly = "stopped_early", Caution;
    /// A rounded step removes more than the plan allows with the tolerance.
    StepTooLargeForProducts = "step_too_large_for_products", Caution;
    /// `bottle` was given but the doses are not a liquid.
    BottleNotUsed = "bottle_not_used", Info;
    /// Fluoxetine: the one drug allowed alternate-day dosing; taper does not plan it.
    FluoxetineAlternateDays = "fluoxetine_alternate_days", Info;
    /// The benzodiazepine dose is above the threshold for a worse ketamine response.
    BenzoAboveThreshold = "benzo_above_threshold", Caution;
    /// Above the esketamine phase-3 trials' benzodiazepine cap.
    BenzoAboveEsketamineTrialCap = "benzo_above_esketamine_trial_cap", Caution;
    /// A long-acting benzodiazepine: its level falls slowly while doses are held.
    BenzoLongActing = "benzo_long_acting", Info;
    /// A short-acting benzodiazepine taken daily: holding risks inter-dose withdrawal.
    BenzoShortActing = "benzo_short_acting", Caution;
    /// Scheduled doses fall in a hold window.
    HeldDoses = "held_doses", Info;
    /// Hold windows run into each other.
    WindowsMerge = "windows_merge", Caution;
    /// A session falls on a day the antidepressant dose changes.
    SessionOnDoseChange = "session_on_dose_change", Caution;
    /// A benzodiazepine taper alongside hold windows.
    BenzoTaperAndHolds = "benzo_taper_and_holds", Info;
    /// The benzodiazepine taper cannot finish before the first session.
    BenzoTaperTooLate = "benzo_taper_too_late", Danger;
    /// The benzodiazepine taper's pace is outside the usual range.
    BenzoTaperUnusualPace = "benzo_taper_unusual_pace", Caution;
    /// A benzodiazepine taper step, rounded to products, cuts more than the pace plus
    /// the rounding tolerance.
    BenzoTaperStepTooLarge = "benzo_taper_step_too_large", Caution;
    /// The benzodiazepine taper's last dose, the smallest its products make, is larger
    /// than the last reduction may be: stopping from it is a cliff.
    BenzoTaperFinalCliff = "benzo_taper_final_cliff", Danger;
    /// No products of the benzodiazepine for the market: the taper is not rounded.
    BenzoTaperNotRounded = "benzo_taper_not_rounded", Caution;
    /// `--percent` is above the practical approximation's range per step.
    PercentAboveUsualRange = "percent_above_usual_range", Caution;
    /// A curve given by hand with a Hill coefficient no published fit has.
    CustomCurveHill = "custom_curve_hill", Danger;
    /// A curve given by hand that puts the usual minimum dose far from published occupancy.
    CustomCurveMinDose = "custom_curve_min_dose", Danger;
    /// An SNRI, planned on its serotonin-transporter occupancy only.
    SerotoninOnly = "serotonin_only", Caution;
    /// The plan runs longer than the horizon taper checks against.
    BeyondHorizon = "beyond_horizon", Caution;
    /// The drug's other brain regions' curves give other last doses.
    OtherRegions = "other_regions", Info;
    /// A dose change comes before the level has settled at the step's dose: fewer
    /// days than a few half-lives of the longest-lived active moiety.
    StepBeforeSteadyState = "step_before_steady_state", Caution;
    /// The doses come from another product from this step on.
    ProductSwitch = "product_switch", Info;
    /// The product's label divides the day's dose (an immediate-release liquid
    /// replacing a modified-release capsule): taken more than once a day.
    DividedDoses = "divided_doses", Info;
    /// Stopping falls further than the tolerance: the products cannot make the tail.
    FinalFallTooLarge = "final_fall_too_large", Danger;
    // Benzodiazepine level over a ketamine series.
    /// Held doses take the level down faster than ASAM 2025 allows for a taper, or hold
    /// every scheduled dose for more than a day.
    BenzoSeriesLevelFall = "benzo_series_level_fall", Danger;
    // Re-plans.
    /// A re-plan raised the dose (back to a tolerated dose, or to the dose the patient is
    /// on): the one rise a plan may have, marked on the step it starts.
    DoseRaised = "dose_raised", Caution;
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step of a plan: a dose held from `start_date` to `end_date`.
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
    /// How many doses the day's dose is taken in, when its product's label divides it
    /// (an immediate-release liquid replacing an extended-release capsule: 2); absent
    /// for once a day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times_a_day: Option<u32>,
    /// What one day of this step uses of each product, for dispensing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub daily_usage: Vec<Usage>,
    /// The ideal steps merged into this one because the products make them the same dose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<usize>,
    /// Codes of the warnings that concern this step.
    pub flags: Vec<Code>,
    /// A step before a re-plan's change (`taper replan`): history, as it was taken.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub taken: bool,
}

/// What a product is counted in, for dispensing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub enum Unit {
    #[serde(rename = "tablets")]
    Tablets,
    #[serde(rename = "capsules")]
    Capsules,
    #[serde(rename = "mL")]
    Millilitres,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Tablets => "tablets",
            Unit::Capsules => "capsules",
            Unit::Millilitres => "mL",
        }
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one day of a step uses of one product.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Usage {
    /// "10 mg tablet", "oral solution 10 mg/5 mL".
    pub product: String,
    pub amount: f64,
    pub unit: Unit,
}

/// A warning in plain words, with the steps or sessions it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Warning {
    /// The flag code steps carry, or a plan-wide code.
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// The steps this concerns; empty for plan-wide warnings.
    pub steps: Vec<usize>,
    /// The ketamine sessions (numbered from 1) this concerns, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sessions: Vec<usize>,
}

impl Warning {
    /// A warning about the whole plan.
    pub fn plan_wide(code: Code, message: String) -> Warning {
        Warning::on_steps(code, message, Vec::new())
    }

    /// A warning about these steps.
    pub fn on_steps(code: Code, message: String, steps: Vec<usize>) -> Warning {
        Warning {
            code,
            severity: code.severity(),
            message,
            steps,
            sessions: Vec::new(),
        }
    }

    /// A warning about these ketamine sessions (numbered from 1).
    pub fn on_sessions(code: Code, message: String, sessions: Vec<usize>) -> Warning {
        Warning {
            sessions,
            ..Warning::plan_wide(code, message)
        }
    }
}

/// Orders warnings most severe first, keeping the order of equally severe ones, so
/// `danger` comes first in every format.
pub fn most_severe_first(warnings: &mut [Warning]) {
    warnings.sort_by_key(|w| std::cmp::Reverse(w.severity));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_text() {
        for code in Code::ALL {
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn danger_comes_first_and_order_is_otherwise_kept() {
        let w = |code| Warning::plan_wide(code, String::new());
        let mut list = vec![
            w(Code::CurveEvidence),
            w(Code::ShortSteps),
            w(Code::LargeStep),
            w(Code::DrugFile),
        ];
        most_severe_first(&mut list);
        let codes: Vec<Code> = list.iter().map(|w| w.code).collect();
        assert_eq!(
            codes,
            [
                Code::LargeStep,
                Code::ShortSteps,
                Code::CurveEvidence,
                Code::DrugFile
            ]
        );
    }
}
