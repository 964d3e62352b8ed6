//! The thresholds the checks compare a plan against, and the defaults taper plans with,
//! read from `schedules/guardrails.toml` (embedded). Each carries its source and
//! evidence level, and every warning that uses one cites it; a threshold that is
//! taper's own choice says so (`unverified`).

use crate::catalog::Evidence;
use crate::error::Result;
use serde::Deserialize;

const TEXT: &str = include_str!("../schedules/guardrails.toml");

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guardrails {
    pub schema: u32,
    pub step_length: StepLength,
    pub default_step_length: DefaultStepLength,
    pub percent_per_step: PercentPerStep,
    pub large_step: LargeStep,
    pub far_below_usual_min: FarBelowUsualMin,
    pub rounding_tolerance: RoundingTolerance,
    pub custom_curve: CustomCurveBounds,
    pub settling: Settling,
    pub horizon: Horizon,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepLength {
    pub caution_below_days: u32,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultStepLength {
    pub days: u32,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PercentPerStep {
    pub caution_above: f64,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LargeStep {
    pub danger_above_fraction_of_start: f64,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FarBelowUsualMin {
    pub fraction: f64,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundingTolerance {
    pub default_pct: f64,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomCurveBounds {
    pub min_dose_occupancy_low_pct: f64,
    pub min_dose_occupancy_high_pct: f64,
    pub min_dose_occupancy_source: String,
    pub min_dose_occupancy_evidence: Evidence,
    pub hill: f64,
    pub hill_source: String,
    pub hill_evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settling {
    pub half_lives: u32,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Horizon {
    pub caution_above_days: u32,
    pub source: String,
    pub evidence: Evidence,
}

impl Guardrails {
    /// The embedded thresholds, parsed once per process; a malformed file is a build
    /// defect (tested), not a panic.
    pub fn embedded() -> Result<&'static Guardrails> {
        static PARSED: std::sync::OnceLock<std::result::Result<Guardrails, String>> =
            std::sync::OnceLock::new();
        crate::catalog::embedded_once(&PARSED, TEXT, "schedules/guardrails.toml")
    }
}

/// "(source; evidence: level)", for the end of a warning that uses a threshold.
pub fn cite(source: &str, evidence: Evidence) -> String {
    format!("({source}; evidence: {})", evidence.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_thresholds_parse_with_their_sources() {
        let g = Guardrails::embedded().unwrap();
        assert_eq!(g.step_length.caution_below_days, 14);
        assert_eq!(g.default_step_length.days, 28);
        assert_eq!(g.percent_per_step.caution_above, 25.0);
        assert!(g.step_length.source.contains("Maudsley"));
        // taper's own choices say so and are never above `unverified`.
        for (source, evidence) in [
            (&g.large_step.source, g.large_step.evidence),
            (
                &g.far_below_usual_min.source,
                g.far_below_usual_min.evidence,
            ),
            (&g.rounding_tolerance.source, g.rounding_tolerance.evidence),
            (&g.horizon.source, g.horizon.evidence),
        ] {
            assert!(source.starts_with("taper's own"), "{source}");
            assert_eq!(evidence, Evidence::Unverified);
        }
    }
}
