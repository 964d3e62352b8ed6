//! JSON renderer: the plan document (`taper schema plan`), pretty-printed.

use crate::catalog::{BenzoCatalog, BenzoEntry, Catalog, DrugEntry};
use crate::error::{Error, Result};
use serde::Serialize;

pub fn to_string<T: Serialize>(value: &T) -> Result<String> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|err| Error::Runtime(format!("could not encode the output as JSON: {err}")))?;
    text.push('\n');
    Ok(text)
}

/// `taper drugs --format json`: the catalog entries with every source and evidence level.
pub fn drugs(catalog: &Catalog) -> Result<String> {
    #[derive(Serialize)]
    struct Drugs<'a> {
        schema_version: u32,
        drugs: &'a [DrugEntry],
    }
    to_string(&Drugs {
        schema_version: crate::plan::SCHEMA_VERSION,
        drugs: catalog.drugs(),
    })
}

/// `taper benzos --format json`: every entry with its sources and evidence levels.
pub fn benzos(catalog: &BenzoCatalog) -> Result<String> {
    #[derive(Serialize)]
    struct Benzos<'a> {
        schema_version: u32,
        benzodiazepines: &'a [BenzoEntry],
    }
    to_string(&Benzos {
        schema_version: crate::plan::SCHEMA_VERSION,
        benzodiazepines: catalog.entries(),
    })
}
