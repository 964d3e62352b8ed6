//! The catalogs: the drug files of `schedules/` (antidepressants) and
//! `schedules/benzodiazepines/`, embedded at build time, plus any file the user adds
//! (`--drug-file`, `--benzo-file`).
//!
//! Lookup is by generic name, brand name or alias, case-insensitively; an unknown name
//! gets the nearest known name as a suggestion.

pub mod benzo;
pub mod benzo_product;
mod embedded;
mod entry;
mod lookup;
pub mod product;
mod remedy;

pub use benzo::{BenzoEntry, BenzoKind, EquivalenceTable};
pub use benzo_product::{BenzoForm, BenzoProduct};
pub use entry::{
    CurveEntry, DrugEntry, Evidence, HalfLife, MarketDose, Metabolite, UsualDose, region_key,
};
pub use lookup::Named;
pub use product::{Bottle, Dilution, Market, Opening, Product, ProductForm, Release};
pub use remedy::TailRemedy;

use crate::error::{Error, Result};
use serde::de::DeserializeOwned;
use std::path::Path;

/// What a catalog holds: an entry read from TOML, checked, known by several names.
pub trait Entry: DeserializeOwned + Named {
    /// The generic name, the key a file replaces an entry by.
    fn generic_name(&self) -> &str;
    /// Checks what serde cannot; the error names the field (`field `x.y`: …`).
    fn validate(&self) -> std::result::Result<(), String>;
}

/// The entries known to this run, in alphabetical order of generic name.
#[derive(Debug, Clone)]
pub struct Catalog<T = DrugEntry> {
    entries: Vec<T>,
    /// Each entry's lower-cased names, in step with `entries` (looked up per request).
    names: Vec<Vec<String>>,
    /// "drug" or "benzodiazepine", for error messages.
    what: &'static str,
    /// How to see the list, for "unknown drug" errors.
    list_hint: &'static str,
}

/// The benzodiazepine and Z-drug catalog.
pub type BenzoCatalog = Catalog<BenzoEntry>;

impl Catalog<DrugEntry> {
    /// The antidepressants built into the binary.
    pub fn embedded() -> Result<Self> {
        Catalog::from_files(
            embedded::FILES,
            "schedules",
            "drug",
            "run `taper drugs` for the list, or add it with --drug-file",
        )
    }

    /// Only `drug`'s built-in entry, when `drug` is spelt as its file is named (the
    /// generic name, as most requests give it), so a single plan parses one file
    /// instead of all; `None` for any other spelling (an alias, a brand, a typo),
    /// which the whole catalog looks up.
    pub fn embedded_only(drug: &str) -> Result<Option<Self>> {
        let drug = drug.trim();
        let file = embedded::FILES.iter().find(|(file, _)| {
            file.strip_suffix(".toml")
                .is_some_and(|stem| stem.eq_ignore_ascii_case(drug))
        });
        match file {
            Some(file) => Catalog::from_files(
                std::slice::from_ref(file),
                "schedules",
                "drug",
                "run `taper drugs` for the list, or add it with --drug-file",
            )
            .map(Some),
            None => Ok(None),
        }
    }

    /// Adds a `--drug-file`; see [`Catalog::add_file`].
    pub fn add_drug_file(&mut self, path: &Path) -> Result<String> {
        self.add_file(path)
    }

    pub fn drugs(&self) -> &[DrugEntry] {
        &self.entries
    }
}

impl Catalog<BenzoEntry> {
    /// The benzodiazepines and Z-drugs built into the binary.
    pub fn embedded_benzos() -> Result<Self> {
        Catalog::from_files(
            embedded::BENZO_FILES,
            "schedules/benzodiazepines",
            "benzodiazepine",
            "run `taper benzos` for the list, or add it with --benzo-file",
        )
    }
}

impl<T: Entry> Catalog<T> {
    /// A malformed embedded file is a defect of the build (the tests parse them all),
    /// reported as a runtime error rather than a panic.
    fn from_files(
        files: &[(&str, &str)],
        dir: &str,
        what: &'static str,
        list_hint: &'static str,
    ) -> Result<Self> {
        let mut entries = Vec::with_capacity(files.len());
        for (file, text) in files {
            let entry = parse_entry(text).map_err(|problem| {
                Error::Runtime(format!(
                    "built-in catalog file {dir}/{file} is invalid: {problem}"
                ))
            })?;
            entries.push(entry);
        }
        let mut catalog = Catalog {
            entries,
            names: Vec::new(),
            what,
            list_hint,
        };
        catalog.sort();
        Ok(catalog)
    }

    /// Adds the entry in `path`, replacing one of the same generic name. Returns the
    /// generic name, so output can say which entry came from a file.
    pub fn add_file(&mut self, path: &Path) -> Result<String> {
        let bad = |message: String| Error::DrugFile {
            path: path.to_path_buf(),
            message,
        };
        let file =
            std::fs::File::open(path).map_err(|err| bad(format!("cannot be read ({err})")))?;
        // Bounded, so a device or a huge file is refused rather than read until memory runs out.
        let text = crate::limits::read_bounded(file, crate::limits::MAX_INPUT_BYTES, "the file")
            .map_err(|err| bad(err.to_string()))?;
        let entry: T = parse_entry(&text).map_err(bad)?;
        let name = entry.generic_name().to_string();
        // A name that already means another drug would make lookups ambiguous.
        for taken in entry.names() {
            if let Some(other) = self
                .entries
                .iter()
                .find(|e| e.generic_name() != name && e.names().contains(&taken))
            {
                return Err(bad(format!(
                    "the name \"{taken}\" already means {}; remove it from brand_names/aliases or name the drug differently",
                    other.generic_name()
                )));
            }
        }
        match self.entries.iter().position(|e| e.generic_name() == name) {
            Some(i) => self.entries[i] = entry,
            None => self.entries.push(entry),
        }
        self.sort();
        Ok(name)
    }

    pub fn entries(&self) -> &[T] {
        &self.entries
    }

    /// Finds an entry by generic name, brand name or alias (case-insensitive).
    pub fn find(&self, name: &str) -> Result<&T> {
        let wanted = name.trim();
        // Names are stored lower-cased; ASCII input needs no lower-cased copy.
        let found = if wanted.is_ascii() {
            self.names
                .iter()
                .position(|names| names.iter().any(|n| n.eq_ignore_ascii_case(wanted)))
        } else {
            let wanted = wanted.to_lowercase();
            self.names.iter().position(|names| names.contains(&wanted))
        };
        match found {
            Some(i) => Ok(&self.entries[i]),
            None => lookup::find_named(&self.entries, name, self.what, self.list_hint),
        }
    }

    /// Sorts the entries by generic name and rebuilds the lower-cased names beside them;
    /// called whenever the entries change.
    fn sort(&mut self) {
        self.entries
            .sort_by(|a, b| a.generic_name().cmp(b.generic_name()));
        self.names = self.entries.iter().map(T::names).collect();
    }
}

/// Antidepressants with no usable SERT curve (none among the Sørensen, Ruhé & Munkholm
/// 2022 fits as transcribed by the Antidepressant Hyperbolic Calculator), with why, so
/// they get a specific answer rather than a "did you mean" pointing at a different drug
/// (fluvoxamine → fluoxetine).
pub fn known_without_curve(name: &str) -> Option<String> {
    const NO_CURVE_FOUND: &[&str] = &[
        "fluvoxamine",
        "clomipramine",
        "amitriptyline",
        "nortriptyline",
        "imipramine",
        "desipramine",
        "doxepin",
        "dosulepin",
        "dothiepin",
        "lofepramine",
        "trimipramine",
        "protriptyline",
    ];
    const BARELY_BINDS_SERT: &[&str] = &["mirtazapine", "bupropion"];
    let key = name.trim().to_lowercase();
    if NO_CURVE_FOUND.contains(&key.as_str()) {
        Some(format!(
            "no SERT occupancy curve was found for {key} (none is among the Sørensen, Ruhé & Munkholm 2022 fits, Mol Psychiatry 2022;27:192–201, as transcribed by the Antidepressant Hyperbolic Calculator), so taper has none; plan it on a curve you supply with --emax and --ed50"
        ))
    } else if BARELY_BINDS_SERT.contains(&key.as_str()) {
        Some(format!(
            "{key} barely binds the serotonin transporter (source not stated; unverified), so a SERT occupancy curve is the wrong basis for its taper, and none is among the Sørensen, Ruhé & Munkholm 2022 fits (Mol Psychiatry 2022;27:192–201) as transcribed by the Antidepressant Hyperbolic Calculator; taper can plan it only on a curve you supply with --emax and --ed50"
        ))
    } else {
        None
    }
}

/// Parses and validates one catalog file's text; the error names the field and problem.
fn parse_entry<T: Entry>(text: &str) -> std::result::Result<T, String> {
    let entry: T = toml::from_str(text).map_err(|err| {
        // toml's display quotes the offending lines of the file; say where and what is
        // wrong instead, so an error never echoes a file's contents (a file named by
        // mistake, or on purpose, might be anything).
        let line = err
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        let what = err
            .message()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        match line {
            Some(line) => format!("line {line}: {what}"),
            None => what,
        }
    })?;
    entry.validate()?;
    // Control characters in a file's text would reach terminals, calendars and FHIR
    // strings (which forbid them); say on which line, not what the line holds.
    if let Some(at) = text.find(|c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        let line = text[..at].matches('\n').count() + 1;
        return Err(format!("line {line}: a control character; remove it"));
    }
    if let Ok(toml::Value::Table(table)) = toml::from_str::<toml::Value>(text)
        && let Some(key) = key_with_control(&toml::Value::Table(table))
    {
        return Err(format!(
            "{key}: a line break or tab inside a text; write it on one line"
        ));
    }
    Ok(entry)
}

/// The first key (dotted) whose text holds a control character (escaped `\n` or `\t`
/// inside a TOML string, or a multi-line string).
fn key_with_control(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(text) => text.contains(char::is_control).then(String::new),
        toml::Value::Array(items) => items.iter().find_map(key_with_control),
        toml::Value::Table(table) => table.iter().find_map(|(key, value)| {
            key_with_control(value).map(|inner| match inner.is_empty() {
                true => key.clone(),
                false => format!("{key}.{inner}"),
            })
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_file_parses_and_validates() {
        let catalog = Catalog::embedded().unwrap();
        assert_eq!(catalog.drugs().len(), embedded::FILES.len());
        let benzos = BenzoCatalog::embedded_benzos().unwrap();
        assert_eq!(benzos.entries().len(), embedded::BENZO_FILES.len());
    }

    #[test]
    fn every_schedules_file_is_embedded() {
        let root = env!("CARGO_MANIFEST_DIR");
        for (dir, listed) in [
            ("schedules", embedded::FILES),
            ("schedules/benzodiazepines", embedded::BENZO_FILES),
        ] {
            for file in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let name = file.unwrap().file_name().into_string().unwrap();
                // ketamine.toml, guardrails.toml, handout.toml (the handout's
                // advice) and syringes.toml (oral syringe scales) are embedded by
                // their own modules, not as drugs.
                if name.ends_with(".toml")
                    && !matches!(
                        name.as_str(),
                        "ketamine.toml" | "guardrails.toml" | "handout.toml" | "syringes.toml"
                    )
                {
                    assert!(
                        listed.iter().any(|(f, _)| *f == name),
                        "{dir}/{name} is not listed in src/catalog/embedded.rs"
                    );
                }
            }
        }
    }

    #[test]
    fn benzodiazepines_match_the_reference_table() {
        // Ashton Manual half-lives (t½ governing min, max) and equivalents; VA/DoD 2021
        // equivalents via ASAM 2025 Table 7.
        let rows: [(&str, f64, f64, f64, Option<f64>); 15] = [
            ("alprazolam", 6.0, 12.0, 0.5, Some(1.0)),
            ("lorazepam", 10.0, 20.0, 1.0, Some(2.0)),
            ("clonazepam", 18.0, 50.0, 0.5, Some(1.0)),
            ("diazepam", 36.0, 200.0, 10.0, Some(10.0)),
            ("temazepam", 8.0, 22.0, 20.0, Some(15.0)),
            ("oxazepam", 4.0, 15.0, 20.0, Some(30.0)),
            ("chlordiazepoxide", 36.0, 200.0, 25.0, Some(25.0)),
            ("clobazam", 12.0, 60.0, 20.0, None),
            ("clorazepate", 36.0, 200.0, 15.0, Some(15.0)),
            ("triazolam", 2.0, 2.0, 0.5, Some(0.25)),
            ("nitrazepam", 15.0, 38.0, 10.0, None),
            ("zolpidem", 2.0, 2.0, 20.0, None),
            ("zopiclone", 5.0, 6.0, 15.0, None),
            ("eszopiclone", 6.0, 9.0, 3.0, None),
            ("zaleplon", 2.0, 2.0, 20.0, None),
        ];
        let benzos = BenzoCatalog::embedded_benzos().unwrap();
        for (name, lo, hi, ashton, va) in rows {
            let b = benzos.find(name).unwrap();
            let h = b.effective_half_life();
            assert_eq!((h.hours_min, h.hours_max), (lo, hi), "{name}");
            assert_eq!(
                b.equivalence(EquivalenceTable::Ashton).map(|e| e.mg),
                Some(ashton),
                "{name}"
            );
            assert_eq!(
                b.equivalence(EquivalenceTable::VaDod).map(|e| e.mg),
                va,
                "{name}"
            );
        }
        // §4's long-acting list, reproduced by the half-life midpoint rule.
        let long: Vec<&str> = benzos
            .entries()
            .iter()
            .filter(|b| b.is_long_acting())
            .map(|b| b.name.as_str())
            .collect();
        assert_eq!(
            long,
            [
                "chlordiazepoxide",
                "clobazam",
                "clonazepam",
                "clorazepate",
                "diazepam",
                "nitrazepam"
            ]
        );
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
    fn lookup_names_stay_in_step_with_the_entries() {
        // `find` looks names up in this index; an empty or stale index would send every
        // request through the slow suggestion path (or find a replaced entry's brand).
        let mut catalog = Catalog::embedded().unwrap();
        let in_step = |c: &Catalog| {
            c.names.len() == c.entries.len()
                && c.entries.iter().zip(&c.names).all(|(e, n)| e.names() == *n)
        };
        assert!(in_step(&catalog));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("citalopram.toml");
        let text = embedded::FILES
            .iter()
            .find(|(name, _)| *name == "citalopram.toml")
            .unwrap()
            .1
            .replace("brand_names = [", "brand_names = [\"Zitalo\", ");
        std::fs::write(&path, text).unwrap();
        catalog.add_drug_file(&path).unwrap();
        assert!(in_step(&catalog));
        assert_eq!(catalog.find("ZITALO").unwrap().name, "citalopram");
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
        // Every fit of Sørensen, Ruhé & Munkholm 2022 as transcribed by the
        // Antidepressant Hyperbolic Calculator (components/SimpleChart.tsx).
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
