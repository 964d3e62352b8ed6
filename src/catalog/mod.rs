//! The antidepressant catalog: the drug files of `schedules/`, embedded at build time,
//! plus any `--drug-file` the user adds.
//!
//! Lookup is by generic name, brand name or alias, case-insensitively; an unknown name
//! gets the nearest known name as a suggestion.

mod embedded;
mod entry;

pub use entry::{CurveEntry, DrugEntry, Evidence, HalfLife, Metabolite, UsualDose, region_key};

use crate::error::{Error, Result};
use std::path::Path;

/// All drugs known to this run, in alphabetical order of generic name.
#[derive(Debug, Clone)]
pub struct Catalog {
    drugs: Vec<DrugEntry>,
}

impl Catalog {
    /// The catalog built into the binary. A malformed embedded file is a defect of the
    /// build (the tests parse them all), reported as a runtime error rather than a panic.
    pub fn embedded() -> Result<Self> {
        let mut drugs = Vec::with_capacity(embedded::FILES.len());
        for (file, text) in embedded::FILES {
            let drug = parse_drug(text).map_err(|problem| {
                Error::Runtime(format!(
                    "built-in catalog file schedules/{file} is invalid: {problem}"
                ))
            })?;
            drugs.push(drug);
        }
        drugs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Catalog { drugs })
    }

    /// Adds the drug in `path`, replacing a drug of the same generic name. Returns the
    /// generic name, so the plan can say which entry came from a file.
    pub fn add_drug_file(&mut self, path: &Path) -> Result<String> {
        let bad = |message: String| Error::DrugFile {
            path: path.to_path_buf(),
            message,
        };
        let text =
            std::fs::read_to_string(path).map_err(|err| bad(format!("cannot be read ({err})")))?;
        let drug = parse_drug(&text).map_err(bad)?;
        let name = drug.name.clone();
        match self.drugs.iter().position(|d| d.name == drug.name) {
            Some(i) => self.drugs[i] = drug,
            None => {
                self.drugs.push(drug);
                self.drugs.sort_by(|a, b| a.name.cmp(&b.name));
            }
        }
        Ok(name)
    }

    pub fn drugs(&self) -> &[DrugEntry] {
        &self.drugs
    }

    /// Finds a drug by generic name, brand name or alias (case-insensitive).
    pub fn find(&self, name: &str) -> Result<&DrugEntry> {
        let wanted = name.trim().to_lowercase();
        if let Some(drug) = self.drugs.iter().find(|d| d.names().any(|n| n == wanted)) {
            return Ok(drug);
        }
        let nearest = self
            .drugs
            .iter()
            .flat_map(|d| d.names())
            .map(|n| (strsim::damerau_levenshtein(&wanted, &n), n))
            .min();
        let hint = match nearest {
            Some((distance, n)) if distance <= 3 => format!("did you mean \"{n}\"?"),
            _ => "run `taper drugs` for the list, or add it with --drug-file".to_string(),
        };
        Err(Error::input(format!(
            "unknown drug \"{}\"; {hint}",
            name.trim()
        )))
    }
}

/// Parses and validates one drug file's text; the error names the field and problem.
fn parse_drug(text: &str) -> std::result::Result<DrugEntry, String> {
    let drug: DrugEntry = toml::from_str(text).map_err(|err| {
        // toml's message is several lines (a code excerpt); keep it on one line.
        err.to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    })?;
    drug.validate()?;
    Ok(drug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_file_parses_and_validates() {
        let catalog = Catalog::embedded().unwrap();
        assert_eq!(catalog.drugs().len(), embedded::FILES.len());
    }

    #[test]
    fn every_schedules_file_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/schedules");
        for file in std::fs::read_dir(dir).unwrap() {
            let name = file.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".toml") {
                assert!(
                    embedded::FILES.iter().any(|(f, _)| *f == name),
                    "schedules/{name} is not listed in src/catalog/embedded.rs"
                );
            }
        }
    }

    #[test]
    fn the_reference_table_has_nine_drugs() {
        let names: Vec<_> = Catalog::embedded()
            .unwrap()
            .drugs()
            .iter()
            .map(|d| d.name.clone())
            .collect();
        assert_eq!(
            names,
            [
                "citalopram",
                "desvenlafaxine",
                "duloxetine",
                "escitalopram",
                "fluoxetine",
                "paroxetine",
                "sertraline",
                "venlafaxine",
                "vortioxetine"
            ]
        );
    }

    #[test]
    fn finds_by_brand_and_case() {
        let catalog = Catalog::embedded().unwrap();
        assert_eq!(catalog.find("CELEXA").unwrap().name, "citalopram");
        assert_eq!(catalog.find(" Citalopram ").unwrap().name, "citalopram");
    }

    #[test]
    fn suggests_the_nearest_name() {
        let err = Catalog::embedded()
            .unwrap()
            .find("citalopran")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "unknown drug \"citalopran\"; did you mean \"citalopram\"?"
        );
        let far = Catalog::embedded()
            .unwrap()
            .find("aspirin")
            .unwrap_err()
            .to_string();
        assert!(far.contains("taper drugs"), "{far}");
    }

    #[test]
    fn region_lookup_lists_regions_on_error() {
        let catalog = Catalog::embedded().unwrap();
        let drug = catalog.find("escitalopram").unwrap();
        assert_eq!(
            drug.curve(Some("Dorsal-Raphe_nucleus")).unwrap().region,
            "dorsal raphe nucleus"
        );
        let err = drug.curve(Some("cortex")).unwrap_err();
        assert!(
            err.contains("\"caudate\"") && err.contains("\"thalamus\""),
            "{err}"
        );
    }

    #[test]
    fn curves_match_the_reference_table() {
        // shared/reference/antidepressants.md §2, every row.
        let rows = [
            ("citalopram", "striatum", 83.98, 2.33),
            ("desvenlafaxine", "amygdala", 106.43, 11.57),
            ("desvenlafaxine", "midbrain", 99.46, 10.92),
            ("desvenlafaxine", "striatum", 100.22, 16.11),
            ("desvenlafaxine", "thalamus", 100.11, 21.17),
            ("duloxetine", "thalamus", 90.75, 6.27),
            ("escitalopram", "caudate", 75.35, 0.66),
            ("escitalopram", "dorsal raphe nucleus", 89.57, 2.72),
            ("escitalopram", "putamen", 69.32, 1.22),
            ("escitalopram", "thalamus", 78.67, 2.10),
            ("fluoxetine", "striatum", 86.12, 1.89),
            ("paroxetine", "striatum", 97.14, 5.60),
            ("sertraline", "striatum", 92.01, 7.72),
            ("venlafaxine", "striatum", 90.07, 5.80),
            ("vortioxetine", "raphe nuclei", 102.24, 4.68),
        ];
        let catalog = Catalog::embedded().unwrap();
        let total: usize = catalog.drugs().iter().map(|d| d.curves.len()).sum();
        assert_eq!(total, rows.len());
        for (drug, region, emax, ed50) in rows {
            let curve = catalog.find(drug).unwrap().curve(Some(region)).unwrap();
            assert_eq!(
                (curve.emax_pct, curve.ed50_mg, curve.hill),
                (emax, ed50, 1.0),
                "{drug} {region}"
            );
            assert_eq!(curve.evidence, Evidence::Secondary, "{drug} {region}");
        }
    }
}
