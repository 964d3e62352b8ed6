//! Products a benzodiazepine comes in, by market (`[[products]]` in
//! `schedules/benzodiazepines/*.toml`): tablet and capsule strengths, which strengths'
//! labels describe a score line (so halves may be planned), and oral liquids with their
//! concentration and what they are measured with. Each product has its own source and
//! evidence level; a strength whose label says nothing of a score is never split.

use super::{Evidence, Market};
use serde::{Deserialize, Serialize};

/// What kind of product: solid forms are counted in pieces, liquids in millilitres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BenzoForm {
    Tablet,
    Capsule,
    Liquid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BenzoProduct {
    pub market: Market,
    pub form: BenzoForm,
    /// Tablets and capsules: the strengths, mg.
    #[serde(default)]
    pub strengths_mg: Vec<f64>,
    /// Tablets: the strengths whose label describes a score line, so that halves may be
    /// planned. Empty: no strength is split.
    #[serde(default)]
    pub scored_mg: Vec<f64>,
    /// Liquids: "oral solution 2 mg/5 mL".
    #[serde(default)]
    pub name: Option<String>,
    /// Liquids: `concentration_mg` in `per_ml` mL.
    #[serde(default)]
    pub concentration_mg: Option<f64>,
    #[serde(default)]
    pub per_ml: Option<f64>,
    /// Liquids: the smallest volume measured, mL (the graduation of the syringe used).
    #[serde(default)]
    pub measure_ml: Option<f64>,
    /// Where `measure_ml` comes from.
    #[serde(default)]
    pub measure_source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub source: String,
    pub evidence: Evidence,
}

impl BenzoProduct {
    /// A US product of `form` with these strengths, for unit tests.
    #[cfg(test)]
    pub(crate) fn for_tests(form: BenzoForm, strengths: &[f64], scored: &[f64]) -> Self {
        BenzoProduct {
            market: Market::Us,
            form,
            strengths_mg: strengths.to_vec(),
            scored_mg: scored.to_vec(),
            name: None,
            concentration_mg: None,
            per_ml: None,
            measure_ml: None,
            measure_source: None,
            note: None,
            source: "a label".into(),
            evidence: Evidence::Secondary,
        }
    }

    /// mg per mL, for liquids.
    pub fn mg_per_ml(&self) -> Option<f64> {
        Some(self.concentration_mg? / self.per_ml?)
    }

    /// "0.5 mg, 1 mg and 2 mg tablets (1 mg and 2 mg scored)", "oral solution 2 mg/5 mL".
    pub fn describe(&self) -> String {
        use crate::text::fmt_num;
        let list = |v: &[f64]| {
            let mg: Vec<String> = v.iter().map(|s| format!("{} mg", fmt_num(*s))).collect();
            match mg.as_slice() {
                [] => String::new(),
                [one] => one.clone(),
                [init @ .., last] => format!("{} and {last}", init.join(", ")),
            }
        };
        match self.form {
            BenzoForm::Liquid => self.name.clone().unwrap_or_default(),
            BenzoForm::Capsule => format!("{} capsules", list(&self.strengths_mg)),
            BenzoForm::Tablet if self.scored_mg.is_empty() => {
                format!("{} tablets", list(&self.strengths_mg))
            }
            BenzoForm::Tablet => format!(
                "{} tablets ({} scored)",
                list(&self.strengths_mg),
                list(&self.scored_mg)
            ),
        }
    }

    /// Checks one product; `at` names it in errors (`products[2]`).
    pub fn validate(&self, at: &str) -> Result<(), String> {
        use super::entry::field;
        let positive = |v: f64| v.is_finite() && v > 0.0;
        if self.source.trim().is_empty() {
            return field(
                &format!("{at}.source"),
                "must say where the product comes from",
            );
        }
        match self.form {
            BenzoForm::Liquid => {
                if !self.concentration_mg.is_some_and(positive)
                    || !self.per_ml.is_some_and(positive)
                    || !self
                        .measure_ml
                        .is_some_and(|m| (crate::limits::MIN_MEASURE_ML..=5.0).contains(&m))
                {
                    return field(
                        at,
                        "a liquid needs concentration_mg and per_ml above 0, and measure_ml from 0.001 to 5",
                    );
                }
                // Bounded as doses are (src/limits.rs): a unit slip (per_ml = 1e-320)
                // would make doses that overflow or print as "inf" (issue 15).
                if !self.mg_per_ml().is_some_and(super::in_dose_bounds) {
                    return field(
                        at,
                        &super::out_of_bounds("concentration_mg / per_ml", "mg/mL"),
                    );
                }
                if self
                    .measure_source
                    .as_deref()
                    .is_none_or(|s| s.trim().is_empty())
                {
                    return field(
                        &format!("{at}.measure_source"),
                        "must say where measure_ml comes from",
                    );
                }
                if self.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                    return field(
                        &format!("{at}.name"),
                        "a liquid needs a name, like \"oral solution 2 mg/5 mL\"",
                    );
                }
                if !self.strengths_mg.is_empty() || !self.scored_mg.is_empty() {
                    return field(at, "a liquid has no strengths_mg or scored_mg");
                }
            }
            form => {
                if self.strengths_mg.is_empty()
                    || !self.strengths_mg.iter().all(|s| super::in_dose_bounds(*s))
                {
                    return field(
                        &format!("{at}.strengths_mg"),
                        "needs one or more strengths from 0.000001 to 100000 mg (taper's dose bounds)",
                    );
                }
                if form == BenzoForm::Capsule && !self.scored_mg.is_empty() {
                    return field(&format!("{at}.scored_mg"), "capsules are not split");
                }
                if let Some(s) = self
                    .scored_mg
                    .iter()
                    .find(|s| !self.strengths_mg.contains(s))
                {
                    return field(
                        &format!("{at}.scored_mg"),
                        &format!("{s} is not one of strengths_mg"),
                    );
                }
                if self.concentration_mg.is_some()
                    || self.per_ml.is_some()
                    || self.measure_ml.is_some()
                {
                    return field(
                        at,
                        "concentration_mg, per_ml and measure_ml are for liquids",
                    );
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tablet(strengths: &[f64], scored: &[f64]) -> BenzoProduct {
        BenzoProduct::for_tests(BenzoForm::Tablet, strengths, scored)
    }

    #[test]
    fn a_scored_strength_must_be_one_of_the_strengths() {
        assert!(tablet(&[0.5, 1.0], &[1.0]).validate("products[0]").is_ok());
        let err = tablet(&[0.5, 1.0], &[2.0])
            .validate("products[0]")
            .unwrap_err();
        assert!(err.contains("products[0].scored_mg"), "{err}");
    }

    #[test]
    fn a_liquid_needs_its_measure_and_its_source() {
        let mut p = tablet(&[], &[]);
        p.form = BenzoForm::Liquid;
        p.name = Some("oral solution 2 mg/5 mL".into());
        p.concentration_mg = Some(2.0);
        p.per_ml = Some(5.0);
        assert!(p.validate("products[1]").is_err());
        p.measure_ml = Some(0.1);
        assert!(
            p.validate("products[1]")
                .unwrap_err()
                .contains("measure_source")
        );
        p.measure_source = Some("an oral syringe".into());
        assert!(p.validate("products[1]").is_ok());
        assert_eq!(p.mg_per_ml(), Some(0.4));
        // Found by tests/fuzz_catalog.rs: 5 mg in 1e-320 mL is infinite, and made
        // the dose arithmetic overflow (a panic in a debug build).
        p.per_ml = Some(1e-320);
        let err = p.validate("products[1]").unwrap_err();
        assert!(err.contains("dose bounds"), "{err}");
        p.per_ml = Some(5.0);
        p.concentration_mg = Some(1e-9);
        assert!(p.validate("products[1]").is_err());
        // Also found by the fuzzer: a measure of 1e-320 mL asked for more doses than
        // memory holds (capacity overflow).
        p.concentration_mg = Some(2.0);
        p.measure_ml = Some(1e-320);
        assert!(p.validate("products[1]").is_err());
        p.measure_ml = Some(0.001);
        assert!(p.validate("products[1]").is_ok());
    }

    #[test]
    fn strengths_are_within_the_dose_bounds() {
        for bad in [1e-9, 1e6, f64::INFINITY] {
            let err = tablet(&[1.0, bad], &[])
                .validate("products[0]")
                .unwrap_err();
            assert!(err.contains("dose bounds"), "{err}");
        }
    }

    #[test]
    fn describes_what_is_scored() {
        assert_eq!(
            tablet(&[0.5, 1.0, 2.0], &[1.0, 2.0]).describe(),
            "0.5 mg, 1 mg and 2 mg tablets (1 mg and 2 mg scored)"
        );
    }
}
