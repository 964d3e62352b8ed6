//! What a re-plan records in the plan document: each change (when, what, why) and the
//! steps of earlier revisions that no longer happen. Types only, shared by
//! [`crate::plan`] (which carries them) and [`crate::replan`] (which makes them), so
//! neither imports the other's internals.
//!
//! The Maudsley Deprescribing Guidelines and Horowitz & Taylor (Lancet Psychiatry
//! 2019;6:538–46) describe a taper as a loop: hold the dose while withdrawal symptoms
//! settle, go back to the last tolerated dose when they are severe and continue with
//! smaller steps, or go on from wherever the patient is. A revision records which.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One re-plan, as `taper replan` was told it and as it worked it out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Revision {
    /// The revision this change made: 2 for the first re-plan.
    pub revision: u32,
    /// The day the change takes effect (`--on`): steps before it are history.
    #[serde(serialize_with = "crate::schedule::serialize_date")]
    pub on: Date,
    pub change: Change,
    /// A step rule or step length given with the change, in request spelling; the
    /// earlier rule and length continue otherwise.
    #[serde(default, skip_serializing_if = "RuleOptions::is_empty")]
    pub options: RuleOptions,
    /// The dose the plan had for that day (0 after the stop).
    pub from_dose_mg: f64,
    /// The dose from that day on.
    pub to_dose_mg: f64,
    /// `to_dose_mg` is above `from_dose_mg`: a rise, which only a re-plan makes, and
    /// which the plan marks with a `dose_raised` warning.
    pub rise: bool,
    /// The number of the first step the change made.
    pub first_step: usize,
    /// The change in words.
    pub reason: String,
}

/// What happened, as `taper replan` was told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// `--hold-until DATE` or `--hold LEN`: the current dose continues; the next change
    /// is on `until`.
    Hold {
        #[serde(serialize_with = "crate::schedule::serialize_date")]
        until: Date,
    },
    /// `--back-to-step N`: back to the dose of step `step` (numbered as in the plan
    /// that was re-planned), which the patient took.
    BackToStep { step: usize },
    /// `--back-to DOSE`: back to a dose the patient tolerated.
    BackTo { dose_mg: f64 },
    /// `--now DOSE`: the patient is on a dose the plan did not have.
    Now { dose_mg: f64 },
}

/// The step rule and step length a re-plan may change (`--step-pp`, `--align`,
/// `--steps`, `--percent`, `--every`), in request spelling.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_pp: Option<f64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub align: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<String>,
}

impl RuleOptions {
    pub fn is_empty(&self) -> bool {
        *self == RuleOptions::default()
    }

    /// A rule was given (the earlier rule is replaced).
    pub fn has_rule(&self) -> bool {
        self.step_pp.is_some() || self.steps.is_some() || self.percent.is_some() || self.align
    }
}

/// A step of an earlier revision that no longer happens: calendars that imported it
/// are told it is cancelled (its event is keyed, like every step's, by its first day).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CancelledStep {
    #[serde(serialize_with = "crate::schedule::serialize_date")]
    pub start_date: Date,
    #[serde(serialize_with = "crate::schedule::serialize_date")]
    pub end_date: Date,
    pub dose_mg: f64,
    /// The last revision that had it.
    pub revision: u32,
}
