//! Products a drug comes in, by market, each with its own source: tablet
//! and capsule strengths, oral liquids with their concentration, and a bioavailability
//! factor where one product is not equivalent to another (citalopram drops).

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub market: Market,
    pub form: ProductForm,
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
    #[serde(default)]
    pub note: Option<String>,
    /// False for products listed but no longer made (UK paroxetine suspension).
    #[serde(default = "available")]
    pub available: bool,
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
                if self.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                    return field(
                        &format!("{at}.name"),
                        "a liquid needs a name, like \"oral solution 10 mg/5 mL\"",
                    );
                }
            }
            _ if self.strengths_mg.is_empty()
                || !self.strengths_mg.iter().all(|s| positive(*s)) =>
            {
                return field(
                    &format!("{at}.strengths_mg"),
                    "needs one or more strengths above 0",
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
}
