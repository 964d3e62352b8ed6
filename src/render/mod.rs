//! Renderers: one file per output format. Each takes finished data (a [`Plan`], the
//! catalog, a [`CurveTable`]) and only formats it; none recomputes a number.

mod csv;
mod json;
mod ketamine;
mod table;

use crate::catalog::{BenzoCatalog, Catalog};
use crate::error::Result;
use crate::inspect::CurveTable;
use crate::plan::Plan;
pub use crate::text::{fmt_dose, fmt_machine, fmt_percent_range, fmt_range};

/// Output formats of `taper plan` (DESIGN.md §1; more will come).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for a terminal or a printout.
    Table,
    /// One row per step, header row, ISO dates, `.` decimals.
    Csv,
    /// The plan document of DESIGN.md §2 (schema_version 1).
    Json,
}

/// Renders a plan in `format`.
pub fn plan(plan: &Plan, format: Format) -> Result<String> {
    match format {
        Format::Table => Ok(table::plan(plan)),
        Format::Csv => csv::plan(plan),
        Format::Json => json::to_string(plan),
    }
}

/// Renders the drug list of `taper drugs` (table or JSON; CSV is refused by the CLI).
pub fn drugs(catalog: &Catalog, format: Format) -> Result<String> {
    match format {
        Format::Json => json::drugs(catalog),
        Format::Csv => csv::drugs(catalog),
        Format::Table => Ok(table::drugs(catalog)),
    }
}

/// Renders `taper ketamine`: the sessions and hold windows without a taper.
pub fn ketamine(report: &crate::ketamine::KetamineReport, format: Format) -> Result<String> {
    match format {
        Format::Json => json::to_string(report),
        Format::Csv => ketamine::report_csv(report),
        Format::Table => Ok(ketamine::report_table(report)),
    }
}

/// Renders `taper benzos`.
pub fn benzos(benzos: &BenzoCatalog, format: Format) -> Result<String> {
    match format {
        Format::Json => json::benzos(benzos),
        Format::Csv => Err(crate::Error::input(
            "taper benzos has no CSV form; use --format table or json",
        )),
        Format::Table => Ok(ketamine::benzos_table(benzos)),
    }
}

/// Renders the dose ↔ occupancy table of `taper curve`.
pub fn curve(curve: &CurveTable, format: Format) -> Result<String> {
    match format {
        Format::Json => json::to_string(curve),
        Format::Csv => csv::curve(curve),
        Format::Table => Ok(table::curve(curve)),
    }
}
