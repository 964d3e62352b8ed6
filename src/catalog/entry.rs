//! One drug's catalog entry, as written in `schedules/*.toml`, and its validation.
//!
//! The format is documented in `schedules/README.md`. Unknown fields are refused so a
//! misspelt key in a user's `--drug-file` is reported instead of silently ignored.

use serde::{Deserialize, Serialize};

/// How far a number was checked (the levels of `schedules/README.md`). Outputs print
/// it beside every figure so a `secondary` number is never taken for a `verified` one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// Read in the primary source.
    Verified,
    /// Read in a secondary source that cites the primary; not checked against it.
    Secondary,
    /// A recollection or a low-reliability page.
    Unverified,
    /// Supplied by the person running the tool.
    User,
}

impl Evidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Verified => "verified",
            Evidence::Secondary => "secondary",
            Evidence::Unverified => "unverified",
            Evidence::User => "user",
        }
    }

    /// A short gloss for printouts, so a reader knows what the level means.
    pub fn meaning(self) -> &'static str {
        match self {
            Evidence::Verified => "read in the primary source",
            Evidence::Secondary => "from a secondary source, not checked against the primary",
            Evidence::Unverified => "NOT verified: a recollection or low-reliability source",
            Evidence::User => "supplied by the user, not checked by taper",
        }
    }
}

/// A fitted SERT occupancy curve for one brain region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CurveEntry {
    pub region: String,
    pub emax_pct: f64,
    pub ed50_mg: f64,
    pub hill: f64,
    pub source: String,
    pub evidence: Evidence,
    pub hill_source: String,
    pub hill_evidence: Evidence,
}

/// An elimination half-life range in hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HalfLife {
    pub hours_min: f64,
    pub hours_max: f64,
    pub as_published: String,
    pub source: String,
    pub evidence: Evidence,
}

/// What is known of a drug's active metabolite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metabolite {
    pub description: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub hours_min: Option<f64>,
    #[serde(default)]
    pub hours_max: Option<f64>,
    /// Only weakly active (sertraline's desmethylsertraline): its half-life does not
    /// govern how long the drug's effect takes to settle.
    #[serde(default)]
    pub weakly_active: bool,
    pub source: String,
    pub evidence: Evidence,
}

/// The usual adult daily dose range; a start dose above it draws a warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UsualDose {
    pub min_mg: f64,
    pub max_mg: f64,
    pub source: String,
    pub evidence: Evidence,
    /// The market whose label gives this range, when one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market: Option<super::Market>,
    /// Other markets' labels, where their range differs (venlafaxine: US label up
    /// to 225 mg/day, UK SmPC up to 375 mg/day).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_markets: Vec<MarketDose>,
}

/// One market's usual adult daily dose range, from its own label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarketDose {
    pub market: super::Market,
    pub min_mg: f64,
    pub max_mg: f64,
    pub source: String,
    pub evidence: Evidence,
}

impl UsualDose {
    /// The range that applies in `market`: its own label's when the entry has one,
    /// otherwise the entry's main range.
    pub fn for_market(&self, market: super::Market) -> (f64, f64, &str, Evidence) {
        match self.other_markets.iter().find(|m| m.market == market) {
            Some(m) => (m.min_mg, m.max_mg, &m.source, m.evidence),
            None => (self.min_mg, self.max_mg, &self.source, self.evidence),
        }
    }
}

/// One antidepressant of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrugEntry {
    pub schema: u32,
    pub name: String,
    pub class: String,
    #[serde(default)]
    pub brand_names: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub default_region: String,
    pub default_region_reason: String,
    pub curves: Vec<CurveEntry>,
    pub half_life: HalfLife,
    #[serde(default)]
    pub metabolite: Option<Metabolite>,
    pub usual_dose: UsualDose,
    /// Products by market; empty where none was transcribed from a published source.
    #[serde(default)]
    pub products: Vec<super::Product>,
    /// What makes the doses below the smallest product, by market, for when the
    /// products cannot make a taper's tail ([`super::TailRemedy`]).
    #[serde(default)]
    pub tail_remedies: Vec<super::TailRemedy>,
}

/// The catalog file format this build reads.
pub const SCHEMA: u32 = 1;

/// Normalises a region name for matching: case, `-`, `_` and repeated spaces ignored.
pub fn region_key(name: &str) -> String {
    name.to_lowercase()
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `Err("field `name`: problem")`, the shape of every catalog validation error.
pub(super) fn field<T>(name: &str, problem: &str) -> Result<T, String> {
    Err(format!("field `{name}`: {problem}"))
}

/// An hours range (half-life, time to peak) must be 0 < min ≤ max, with a source.
pub(super) fn check_hours(name: &str, min: f64, max: f64, source: &str) -> Result<(), String> {
    if !(min.is_finite() && max.is_finite() && min > 0.0 && max >= min) {
        return field(name, "needs 0 < hours_min <= hours_max");
    }
    if source.trim().is_empty() {
        return field(
            &format!("{name}.source"),
            "must say where the figure comes from",
        );
    }
    Ok(())
}

impl super::Entry for DrugEntry {
    fn generic_name(&self) -> &str {
        &self.name
    }

    /// Checks what serde cannot: ranges, non-empty sources, a default region that
    /// exists. The error names the field, e.g. "field `curves[0].ed50_mg`: …".
    fn validate(&self) -> Result<(), String> {
        if self.schema != SCHEMA {
            let problem = format!("is {}, but this taper reads schema {SCHEMA}", self.schema);
            return field("schema", &problem);
        }
        if self.name.trim().is_empty() || self.name != self.name.trim().to_lowercase() {
            return field(
                "name",
                "must be the generic name in lower case, like \"citalopram\"",
            );
        }
        if self.curves.is_empty() {
            return field("curves", "needs at least one [[curves]] entry");
        }
        for (i, curve) in self.curves.iter().enumerate() {
            let at = |key: &str| format!("curves[{i}].{key}");
            if region_key(&curve.region).is_empty() {
                return field(&at("region"), "must name a brain region");
            }
            let key = region_key(&curve.region);
            if self.curves[..i]
                .iter()
                .any(|c| region_key(&c.region) == key)
            {
                // Not quoted: a catalog error never echoes the file (issue 15).
                return field(&at("region"), "is the region of an earlier curve too");
            }
            for (name, value, upper) in [
                ("emax_pct", curve.emax_pct, 200.0),
                ("ed50_mg", curve.ed50_mg, 10_000.0),
                ("hill", curve.hill, 10.0),
            ] {
                if !(value.is_finite() && value > 0.0 && value <= upper) {
                    let problem = format!(
                        "is {}; it must be above 0 and at most {upper}",
                        crate::text::fmt_num(value)
                    );
                    return field(&at(name), &problem);
                }
            }
            if curve.source.trim().is_empty() {
                return field(&at("source"), "must say where the figures come from");
            }
            if curve.hill_source.trim().is_empty() {
                return field(
                    &at("hill_source"),
                    "must say where the Hill coefficient comes from",
                );
            }
        }
        if self.curve(None).is_err() {
            return field(
                "default_region",
                "is not the region of any of the file's [[curves]]; spell it as one of theirs",
            );
        }
        let hl = &self.half_life;
        check_hours("half_life", hl.hours_min, hl.hours_max, &hl.source)?;
        if let Some(m) = &self.metabolite {
            match (m.hours_min, m.hours_max) {
                (Some(lo), Some(hi)) => check_hours("metabolite", lo, hi, &m.source)?,
                (None, None) if m.source.trim().is_empty() => {
                    return field("metabolite.source", "must say where the figure comes from");
                }
                (None, None) => {}
                _ => {
                    return field(
                        "metabolite",
                        "give both hours_min and hours_max, or neither",
                    );
                }
            }
        }
        let dose = &self.usual_dose;
        if !(dose.min_mg.is_finite()
            && dose.max_mg.is_finite()
            && dose.min_mg > 0.0
            && dose.max_mg >= dose.min_mg)
        {
            return field("usual_dose", "needs 0 < min_mg <= max_mg");
        }
        if dose.source.trim().is_empty() {
            return field("usual_dose.source", "must say where the range comes from");
        }
        for m in &dose.other_markets {
            if !(m.min_mg.is_finite()
                && m.max_mg.is_finite()
                && m.min_mg > 0.0
                && m.max_mg >= m.min_mg)
            {
                return field("usual_dose.other_markets", "needs 0 < min_mg <= max_mg");
            }
            if m.source.trim().is_empty() || Some(m.market) == dose.market {
                return field(
                    "usual_dose.other_markets",
                    "each needs a source and a market other than usual_dose.market",
                );
            }
        }
        for (i, product) in self.products.iter().enumerate() {
            product.validate(&format!("products[{i}]"))?;
        }
        for (i, remedy) in self.tail_remedies.iter().enumerate() {
            remedy.validate(&format!("tail_remedies[{i}]"))?;
        }
        Ok(())
    }
}

impl DrugEntry {
    /// The curve for `region` (matched loosely), or the default region's curve.
    pub fn curve(&self, region: Option<&str>) -> Result<&CurveEntry, String> {
        let asked = region.unwrap_or(&self.default_region);
        // The default region is spelt as its curve's region, so most lookups need no
        // normalising.
        self.curves
            .iter()
            .find(|c| c.region == asked)
            .or_else(|| {
                let wanted = region_key(asked);
                self.curves.iter().find(|c| region_key(&c.region) == wanted)
            })
            .ok_or_else(|| {
                let regions: Vec<String> = self
                    .curves
                    .iter()
                    .map(|c| format!("\"{}\"", c.region))
                    .collect();
                format!(
                    "{} has no curve for region \"{}\"; choose one of {}",
                    self.name,
                    region.unwrap_or(&self.default_region),
                    regions.join(", ")
                )
            })
    }
}

impl super::Named for DrugEntry {
    fn names(&self) -> Vec<String> {
        super::lookup::all_names(&self.name, &self.brand_names, &self.aliases)
    }
}
