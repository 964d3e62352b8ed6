//! Products a drug comes in, by market, each with its own source: tablet
//! and capsule strengths, oral liquids with their concentration, and a bioavailability
//! factor where one product is not equivalent to another (citalopram drops); each
//! with its release form and what its label allows (split, crush, open), so a plan
//! never splits a modified-release tablet, and with the number of doses a day its label
//! gives (an immediate-release liquid replacing an extended-release capsule: two).

use super::Evidence;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Market {
    Us,
    Uk,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProductForm {
    Tablet,
    DispersibleTablet,
    Capsule,
    Liquid,
}

/// How a product releases the drug, as its label names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Release {
    /// Immediate release: tablets, capsules and liquids without a release-modifying
    /// coating or matrix.
    Immediate,
    /// Modified release: extended (ER, XR), prolonged (XL), delayed or gastro-resistant.
    /// Such a tablet is never split or crushed: that defeats the release.
    Modified,
}

impl Release {
    pub fn as_str(self) -> &'static str {
        match self {
            Release::Immediate => "immediate-release",
            Release::Modified => "modified-release",
        }
    }
}

/// Whether a capsule may be opened, and on whose word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Opening {
    /// The label allows opening the capsule (Effexor XR: its contents sprinkled on
    /// apple sauce).
    Label,
    /// The label says not to, but published tapering practice opens it and counts its
    /// beads (duloxetine); `handling_source` cites both.
    OffLabel,
    /// Not to be opened.
    No,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub market: Market,
    pub form: ProductForm,
    /// Immediate or modified release, from the label.
    pub release: Release,
    /// The label's words for the release form ("extended-release tablets").
    #[serde(default)]
    pub release_as_published: Option<String>,
    /// Whether the label allows dividing the tablet; absent where the label does not
    /// say (then the user says `--split`). Never true for a modified-release tablet.
    #[serde(default)]
    pub split: Option<bool>,
    /// Whether the label allows crushing or chewing; absent where it does not say.
    #[serde(default)]
    pub crush: Option<bool>,
    /// For capsules: whether they may be opened (beads counted with
    /// `--beads-per-capsule`); absent where the label does not say.
    #[serde(default)]
    pub open: Option<Opening>,
    /// Where `split`, `crush` and `open` come from; required with any of them.
    #[serde(default)]
    pub handling_source: Option<String>,
    #[serde(default)]
    pub handling_evidence: Option<Evidence>,
    /// How many doses a day the label divides the daily dose into (venlafaxine oral
    /// solution: 2); absent for once a day.
    #[serde(default)]
    pub doses_per_day: Option<u32>,
    /// The label's words for `doses_per_day`, quoted in the plan's reason; required
    /// with it. Its source is the product's `source`.
    #[serde(default)]
    pub doses_per_day_as_published: Option<String>,
    /// For products listed but no longer made: the wording and source of the
    /// discontinuation, shown where the product would have been suggested.
    #[serde(default)]
    pub discontinued: Option<String>,
    /// For liquids: "oral solution 10 mg/5 mL".
    #[serde(default)]
    pub name: Option<String>,
    /// For tablets and capsules.
    #[serde(default)]
    pub strengths_mg: Vec<f64>,
    /// For liquids: `concentration_mg` in `per_ml` mL (10 mg/5 mL: 10 and 5).
    #[serde(default)]
    pub concentration_mg: Option<f64>,
    #[serde(default)]
    pub per_ml: Option<f64>,
    /// mg of tablet this product's 1 mg acts like (citalopram drops: 10/8 = 1.25).
    #[serde(default)]
    pub tablet_equivalent_mg_per_mg: Option<f64>,
    #[serde(default)]
    pub bioavailability_as_published: Option<String>,
    /// For drops: mg of drug in one drop, so doses are counted in drops as the patient
    /// takes them (citalopram drops 40 mg/mL: 2 mg, "8 mg of drops (4 drops)").
    #[serde(default)]
    pub mg_per_drop: Option<f64>,
    /// The published wording `mg_per_drop` was read from; required with it.
    #[serde(default)]
    pub drop_as_published: Option<String>,
    /// For a concentrate that must be diluted before use (sertraline oral
    /// concentrate): how, in the words each dose's instruction ends with, and the label.
    #[serde(default)]
    pub dilute: Option<Dilution>,
    /// For a liquid sold in bottles: the bottle's size and how long it keeps once
    /// opened, so dispensing counts bottles by that life (escitalopram drops: 8 weeks).
    #[serde(default)]
    pub bottle: Option<Bottle>,
    #[serde(default)]
    pub note: Option<String>,
    /// False for products listed but no longer made (UK paroxetine suspension).
    #[serde(default = "available")]
    pub available: bool,
    pub source: String,
    pub evidence: Evidence,
}

/// How a concentrate is diluted before each dose, from its label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dilution {
    /// What follows the amount in each instruction ("mix it with … just before taking
    /// it"): the patient's words.
    pub how: String,
    /// The label's words, quoted in the plan.
    pub as_published: String,
    pub source: String,
    pub evidence: Evidence,
}

/// A liquid's bottle: its size and its in-use shelf life.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bottle {
    /// mL in one bottle.
    pub ml: f64,
    /// Days a bottle may be used once opened (8 weeks: 56); absent where the label
    /// gives none.
    #[serde(default)]
    pub use_within_days: Option<u32>,
    /// The label's words for `use_within_days`; required with it.
    #[serde(default)]
    pub use_within_as_published: Option<String>,
    pub source: String,
    pub evidence: Evidence,
}

fn available() -> bool {
    true
}

impl Product {
    /// mg per mL, for liquids.
    pub fn mg_per_ml(&self) -> Option<f64> {
        Some(self.concentration_mg? / self.per_ml?)
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
            ProductForm::Liquid => {
                if !self.concentration_mg.is_some_and(positive)
                    || !self.per_ml.is_some_and(positive)
                {
                    return field(at, "a liquid needs concentration_mg and per_ml above 0");
                }
                // Bounded as doses are (src/limits.rs): a unit slip (per_ml = 1e-320)
                // would make doses that overflow or print as "inf" (issue 15).
                if !self.mg_per_ml().is_some_and(super::in_dose_bounds) {
                    return field(
                        at,
                        &super::out_of_bounds("concentration_mg / per_ml", "mg/mL"),
                    );
                }
                if self.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                    return field(
                        &format!("{at}.name"),
                        "a liquid needs a name, like \"oral solution 10 mg/5 mL\"",
                    );
                }
            }
            _ if self.strengths_mg.is_empty()
                || !self.strengths_mg.iter().all(|s| super::in_dose_bounds(*s)) =>
            {
                return field(
                    &format!("{at}.strengths_mg"),
                    "needs one or more strengths from 0.000001 to 100000 mg (taper's dose bounds)",
                );
            }
            _ => {}
        }
        if let Some(mg) = self.mg_per_drop {
            // A drop from a dropper is about 0.05 mL; outside 0.01–0.2 mL the figure
            // cannot be a drop of this liquid (a typo, or mg/mL for mg per drop).
            let drop_ml = self.mg_per_ml().map(|c| mg / c);
            if !(self.form == ProductForm::Liquid
                && positive(mg)
                && self.drop_as_published.is_some()
                && drop_ml.is_some_and(|ml| (0.01..=0.2).contains(&ml)))
            {
                return field(
                    &format!("{at}.mg_per_drop"),
                    "is for liquids, must make a drop of 0.01 to 0.2 mL of the liquid, and come with drop_as_published",
                );
            }
        }
        self.validate_handling(at)?;
        self.validate_liquid_extras(at)?;
        if let Some(f) = self.tablet_equivalent_mg_per_mg
            && !(positive(f) && self.bioavailability_as_published.is_some())
        {
            return field(
                at,
                "tablet_equivalent_mg_per_mg must be above 0 and come with bioavailability_as_published",
            );
        }
        Ok(())
    }

    /// The release form, handling and dosing fields, which must come with their words
    /// and source and agree with the form.
    fn validate_handling(&self, at: &str) -> Result<(), String> {
        use super::entry::field;
        let any = self.split.is_some() || self.crush.is_some() || self.open.is_some();
        if any
            && (self
                .handling_source
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
                || self.handling_evidence.is_none())
        {
            return field(
                &format!("{at}.handling_source"),
                "split, crush and open need handling_source and handling_evidence",
            );
        }
        if self.release == Release::Modified && self.split == Some(true) {
            return field(
                &format!("{at}.split"),
                "a modified-release tablet is never split",
            );
        }
        if self.open.is_some() && self.form != ProductForm::Capsule {
            return field(&format!("{at}.open"), "is for capsules");
        }
        if self.split.is_some()
            && !matches!(
                self.form,
                ProductForm::Tablet | ProductForm::DispersibleTablet
            )
        {
            return field(&format!("{at}.split"), "is for tablets");
        }
        if let Some(n) = self.doses_per_day
            && !((2..=4).contains(&n) && self.doses_per_day_as_published.is_some())
        {
            return field(
                &format!("{at}.doses_per_day"),
                "must be 2 to 4 and come with doses_per_day_as_published",
            );
        }
        if self.discontinued.is_some() && self.available {
            return field(
                &format!("{at}.discontinued"),
                "is for products with available = false",
            );
        }
        Ok(())
    }

    /// The dilution and bottle fields: liquids only, each with its words and source.
    fn validate_liquid_extras(&self, at: &str) -> Result<(), String> {
        use super::entry::field;
        let blank = |s: &str| s.trim().is_empty();
        if let Some(d) = &self.dilute
            && (self.form != ProductForm::Liquid
                || blank(&d.how)
                || blank(&d.as_published)
                || blank(&d.source))
        {
            return field(
                &format!("{at}.dilute"),
                "is for liquids and needs how, as_published and source",
            );
        }
        if let Some(b) = &self.bottle {
            let life_ok = match (b.use_within_days, &b.use_within_as_published) {
                (None, None) => true,
                (Some(days), Some(words)) => days > 0 && !blank(words),
                _ => false,
            };
            if self.form != ProductForm::Liquid
                || !(b.ml.is_finite() && b.ml > 0.0)
                || blank(&b.source)
                || !life_ok
            {
                return field(
                    &format!("{at}.bottle"),
                    "is for liquids: ml above 0, a source, and use_within_days (above 0) together with use_within_as_published",
                );
            }
        }
        Ok(())
    }

    /// Whether the label forbids dividing this tablet: a modified-release tablet, or a
    /// label that says not to.
    pub fn never_split(&self) -> bool {
        self.release == Release::Modified || self.split == Some(false)
    }

    /// "extended-release tablets (Pristiq US prescribing information …; evidence:
    /// verified)": why a product may not be split or opened, for messages.
    pub fn handling_why(&self) -> String {
        let what = self
            .release_as_published
            .clone()
            .unwrap_or_else(|| self.release.as_str().to_string());
        match (&self.handling_source, self.handling_evidence) {
            (Some(source), Some(e)) => format!("{what}; {source}; evidence: {}", e.as_str()),
            _ => what,
        }
    }
}
