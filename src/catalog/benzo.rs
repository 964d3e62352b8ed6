//! A benzodiazepine or Z-drug entry, as written in `schedules/benzodiazepines/*.toml`.
//!
//! Figures: the Ashton Manual (half-lives and equivalents, read in verbatim reproductions
//! of its tables, `secondary`); VA/DoD 2021 equivalents via ASAM 2025 Table 7, `verified`;
//! time to peak: source not stated, `unverified`.

use super::{Evidence, Named};
use serde::{Deserialize, Serialize};

/// The two diazepam-equivalence tables in the catalog. They disagree up to two-fold
/// (lorazepam 1 mg vs 2 mg ≈ 10 mg diazepam), so every output names the one used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EquivalenceTable {
    /// Ashton Manual (`secondary`: read in verbatim reproductions of its table).
    Ashton,
    /// VA/DoD 2021, as tabulated in ASAM 2025 Table 7 (`verified` there).
    VaDod,
}

impl EquivalenceTable {
    pub fn label(self) -> &'static str {
        match self {
            EquivalenceTable::Ashton => "Ashton Manual",
            EquivalenceTable::VaDod => "VA/DoD 2021 (via ASAM 2025 Table 7)",
        }
    }
}

/// A range in hours (half-life, time to peak) with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    pub hours_min: f64,
    pub hours_max: f64,
    pub as_published: String,
    /// What it is of, for metabolites ("nordazepam (desmethyldiazepam)").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub source: String,
    pub evidence: Evidence,
}

/// mg of this drug ≈ 10 mg diazepam, in one table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Equivalence {
    pub mg: f64,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Equivalences {
    #[serde(default)]
    pub ashton: Option<Equivalence>,
    #[serde(default)]
    pub va_dod: Option<Equivalence>,
}

/// What kind of drug a benzodiazepine-catalog entry is. A file with another kind is
/// refused when it is read ("unknown variant").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BenzoKind {
    Benzodiazepine,
    /// Zolpidem, zopiclone, eszopiclone, zaleplon: not benzodiazepines, but acting at
    /// the same receptor.
    ZDrug,
}

impl BenzoKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BenzoKind::Benzodiazepine => "benzodiazepine",
            BenzoKind::ZDrug => "z-drug",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenzoEntry {
    pub schema: u32,
    pub name: String,
    pub kind: BenzoKind,
    #[serde(default)]
    pub brand_names: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub half_life: Hours,
    #[serde(default)]
    pub metabolite: Option<Hours>,
    pub time_to_peak: Hours,
    pub equivalence: Equivalences,
    /// Tablets, capsules and oral liquids by market, each with its source: what a
    /// benzodiazepine taper's doses are rounded to.
    #[serde(default)]
    pub products: Vec<super::BenzoProduct>,
}

/// A drug whose effective half-life range has its midpoint at or above this is
/// long-acting. The cut reproduces the list of long-acting drugs derived from the Ashton
/// half-lives (clonazepam, clobazam, diazepam, chlordiazepoxide, clorazepate,
/// nitrazepam); a test checks it does.
pub const LONG_ACTING_MIDPOINT_HOURS: f64 = 24.0;

impl BenzoEntry {
    /// The half-life that governs how much is left after a hold: the active
    /// metabolite's where there is one (diazepam via nordazepam, 36–200 h in the Ashton
    /// Manual), else the parent's.
    pub fn effective_half_life(&self) -> &Hours {
        self.metabolite.as_ref().unwrap_or(&self.half_life)
    }

    pub fn is_long_acting(&self) -> bool {
        let h = self.effective_half_life();
        (h.hours_min + h.hours_max) / 2.0 >= LONG_ACTING_MIDPOINT_HOURS
    }

    /// The products of one market.
    pub fn products_in(&self, market: super::Market) -> Vec<&super::BenzoProduct> {
        self.products
            .iter()
            .filter(|p| p.market == market)
            .collect()
    }

    pub fn equivalence(&self, table: EquivalenceTable) -> Option<&Equivalence> {
        match table {
            EquivalenceTable::Ashton => self.equivalence.ashton.as_ref(),
            EquivalenceTable::VaDod => self.equivalence.va_dod.as_ref(),
        }
    }
}

impl Named for BenzoEntry {
    fn names(&self) -> Vec<String> {
        super::lookup::all_names(&self.name, &self.brand_names, &self.aliases)
    }
}

impl super::Entry for BenzoEntry {
    fn generic_name(&self) -> &str {
        &self.name
    }

    fn validate(&self) -> Result<(), String> {
        use super::entry::{check_hours, field};
        if self.schema != super::entry::SCHEMA {
            return field("schema", "is not 1, the schema this taper reads");
        }
        if self.name.trim().is_empty() || self.name != self.name.trim().to_lowercase() {
            return field(
                "name",
                "must be the generic name in lower case, like \"lorazepam\"",
            );
        }
        check_hours(
            "half_life",
            self.half_life.hours_min,
            self.half_life.hours_max,
            &self.half_life.source,
        )?;
        check_hours(
            "time_to_peak",
            self.time_to_peak.hours_min,
            self.time_to_peak.hours_max,
            &self.time_to_peak.source,
        )?;
        if let Some(m) = &self.metabolite {
            check_hours("metabolite", m.hours_min, m.hours_max, &m.source)?;
            if m.description.as_deref().is_none_or(|d| d.trim().is_empty()) {
                return field("metabolite.description", "must name the metabolite");
            }
        }
        let tables = [
            ("equivalence.ashton", &self.equivalence.ashton),
            ("equivalence.va_dod", &self.equivalence.va_dod),
        ];
        if tables.iter().all(|(_, e)| e.is_none()) {
            return field(
                "equivalence",
                "needs [equivalence.ashton] or [equivalence.va_dod]",
            );
        }
        for (key, eq) in tables {
            if let Some(eq) = eq {
                // taper's own plausibility bounds (src/limits.rs), not clinical figures:
                // a smaller figure makes the equivalent dose overflow to infinity.
                if !(eq.mg.is_finite()
                    && eq.mg >= crate::limits::MIN_EQUIVALENCE_MG
                    && eq.mg <= 1000.0)
                {
                    return field(
                        &format!("{key}.mg"),
                        &format!("must be from {} to 1000", crate::limits::MIN_EQUIVALENCE_MG),
                    );
                }
                if eq.source.trim().is_empty() {
                    return field(
                        &format!("{key}.source"),
                        "must say where the figure comes from",
                    );
                }
            }
        }
        for (i, product) in self.products.iter().enumerate() {
            product.validate(&format!("products[{i}]"))?;
        }
        Ok(())
    }
}
