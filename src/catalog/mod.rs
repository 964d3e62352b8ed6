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
            flag: self.file_flag(),
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

    /// The option that adds a file to this catalog, for its errors.
    fn file_flag(&self) -> &'static str {
        if self.what == "benzodiazepine" {
            "--benzo-file"
        } else {
            "--drug-file"
        }
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
        let what = without_values(
            &err.message()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        );
        match line {
            Some(line) => format!("line {line}: {what}"),
            None => what,
        }
    })?;
    // Control characters in a file's text would reach terminals, calendars and FHIR
    // strings (which forbid them); say on which line, not what the line holds. Checked
    // before the ranges, so no other message meets one.
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
    entry.validate()?;
    Ok(entry)
}

/// Whether a catalog figure in mg (a strength, a concentration per mL) is within the
/// dose bounds of [`crate::limits`].
fn in_dose_bounds(mg: f64) -> bool {
    (crate::limits::MIN_DOSE_MG..=crate::limits::MAX_DOSE_MG).contains(&mg)
}

/// The error for a figure outside [`in_dose_bounds`].
fn out_of_bounds(what: &str, unit: &str) -> String {
    format!(
        "{what} must come to {} to {} {unit} (taper's dose bounds)",
        crate::text::fmt_num(crate::limits::MIN_DOSE_MG),
        crate::text::fmt_num(crate::limits::MAX_DOSE_MG)
    )
}

/// A toml or serde message with the file's values taken out: serde quotes the value it
/// could not use (``unknown variant `x`, expected one of `verified`, …``, `invalid type:
/// string "x", expected f64`), which would echo the file. The quoted spans before
/// ", expected" are the file's and become `…`; after it they are the schema's and stay.
/// A key name is kept where the message is about a key (unknown, missing or
/// duplicate), since it says which line to fix.
fn without_values(message: &str) -> String {
    let (ours, theirs) = match message.find(", expected") {
        Some(at) => message.split_at(at),
        None => (message, ""),
    };
    let about_key = ["unknown field", "missing field", "duplicate key"]
        .iter()
        .any(|k| ours.starts_with(k));
    let mut out = String::with_capacity(message.len());
    let mut rest = ours;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest[open..].chars().next().unwrap_or('`');
        let Some(len) = rest[open + 1..].find(quote) else {
            break;
        };
        let inner = &rest[open + 1..open + 1 + len];
        out.push_str(&rest[..open + 1]);
        let key_like = inner.len() <= 40
            && inner
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        out.push_str(if about_key && key_like { inner } else { "…" });
        out.push(quote);
        rest = &rest[open + 2 + len..];
    }
    out.push_str(rest);
    out.push_str(theirs);
    out
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

/// A built-in `schedules/` file of figures (guardrails, ketamine), parsed the first time
/// it is asked for and kept in `cell` for the process (a batch asks for it per plan); a
/// malformed file is a defect of the build (the tests parse each one), reported as an
/// error rather than a panic.
pub(crate) fn embedded_once<T: serde::de::DeserializeOwned>(
    cell: &'static std::sync::OnceLock<std::result::Result<T, String>>,
    text: &str,
    file: &str,
) -> Result<&'static T> {
    cell.get_or_init(|| toml::from_str(text).map_err(|err| err.to_string()))
        .as_ref()
        .map_err(|err| Error::Runtime(format!("built-in file {file} is invalid: {err}")))
}

#[cfg(test)]
mod tests;
