//! The figures the hold window rests on, read from `schedules/ketamine.toml` (embedded):
//! the 8 mg diazepam-equivalent threshold, the esketamine trials' 6 mg
//! lorazepam-equivalent cap, the default 12 h hold, and where each preset comes from.

use crate::catalog::Evidence;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

const TEXT: &str = include_str!("../../schedules/ketamine.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Presets {
    pub h24: String,
    pub h72: String,
    pub night_before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

impl KetamineEvidence {
    /// The embedded figures; a malformed file is a build defect (tested), not a panic.
    pub fn embedded() -> Result<Self> {
        toml::from_str(TEXT).map_err(|err| {
            Error::Runtime(format!(
                "built-in file schedules/ketamine.toml is invalid: {err}"
            ))
        })
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
    }
}
