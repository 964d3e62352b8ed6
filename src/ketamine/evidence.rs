//! The figures the hold window rests on, read from `schedules/ketamine.toml` (embedded):
//! the 8 mg diazepam-equivalent threshold, the esketamine trials' 6 mg
//! lorazepam-equivalent cap, the default 12 h hold, and where each preset comes from.

use crate::catalog::Evidence;
use crate::error::Result;
use serde::{Deserialize, Serialize};

const TEXT: &str = include_str!("../../schedules/ketamine.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    #[serde(
        alias = "mg_per_day",
        alias = "lorazepam_mg_per_day",
        alias = "hours_before"
    )]
    pub value: f64,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Presets {
    pub h24: String,
    pub h72: String,
    pub night_before: String,
    pub after: String,
}

/// The pace and end of a benzodiazepine taper before the first session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BenzoTaperEvidence {
    pub usual_percent_min: f64,
    pub usual_percent_max: f64,
    pub cap_percent_per_two_weeks: f64,
    pub pace_source: String,
    pub pace_evidence: Evidence,
    pub final_step_diazepam_mg: f64,
    pub final_step_source: String,
    pub final_step_evidence: Evidence,
    pub model_source: String,
    pub model_evidence: Evidence,
    pub crossover: Crossover,
}

/// How long switching to diazepam takes before its taper starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Crossover {
    pub days_min: u32,
    pub days_max: u32,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KetamineEvidence {
    pub schema: u32,
    /// mg/day diazepam-equivalent (Andrashko 2020; Feeney 2023).
    pub diazepam_threshold: Figure,
    /// mg/day lorazepam-equivalent (Janssen phase-3 trials).
    pub esketamine_trial_cap: Figure,
    /// Hours before each session (Janssen phase-3 trials).
    pub default_hold: Figure,
    pub presets: Presets,
    pub benzo_taper: BenzoTaperEvidence,
}

impl KetamineEvidence {
    /// The embedded figures, parsed once per process (a batch attaches sessions to many
    /// plans); a malformed file is a build defect (tested), not a panic.
    pub fn embedded() -> Result<&'static Self> {
        static PARSED: std::sync::OnceLock<std::result::Result<KetamineEvidence, String>> =
            std::sync::OnceLock::new();
        crate::catalog::embedded_once(&PARSED, TEXT, "schedules/ketamine.toml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_figures_match_the_reference() {
        let e = KetamineEvidence::embedded().unwrap();
        assert_eq!(e.diazepam_threshold.value, 8.0);
        assert_eq!(e.esketamine_trial_cap.value, 6.0);
        assert_eq!(e.default_hold.value, 12.0);
        assert!(e.diazepam_threshold.source.contains("Andrashko"));
        assert_eq!(e.benzo_taper.cap_percent_per_two_weeks, 25.0);
        assert_eq!(e.benzo_taper.final_step_diazepam_mg, 0.5);
        let crossover = &e.benzo_taper.crossover;
        assert_eq!((crossover.days_min, crossover.days_max), (7, 14));
        assert!(crossover.source.contains("ASAM 2025"));
    }
}
