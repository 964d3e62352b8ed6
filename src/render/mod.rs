//! Renderers: one file per output format. Each takes finished data (a [`Plan`], the
//! catalog, a [`CurveTable`]) and only formats it; none recomputes a number.

mod csv;
mod json;
mod table;

use crate::catalog::Catalog;
use crate::error::Result;
use crate::inspect::CurveTable;
use crate::plan::Plan;

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

/// Renders the dose ↔ occupancy table of `taper curve`.
pub fn curve(curve: &CurveTable, format: Format) -> Result<String> {
    match format {
        Format::Json => json::to_string(curve),
        Format::Csv => csv::curve(curve),
        Format::Table => Ok(table::curve(curve)),
    }
}

/// A dose for people to read: 2 decimals from 0.1 mg up, 3 significant figures below,
/// so a tail dose of 0.0632 mg does not print as "0.06" or "0.00".
pub fn fmt_dose(mg: f64) -> String {
    if mg == 0.0 {
        "0".to_string()
    } else if mg >= 0.1 {
        format!("{mg:.2}")
    } else {
        let decimals = (2 - mg.log10().floor() as i32).clamp(3, 9) as usize;
        format!("{mg:.decimals$}")
    }
}

/// A number for machine-readable text (CSV): at most 6 decimals, no trailing zeros,
/// always `.` as the decimal separator (Rust's formatting ignores the locale).
pub fn fmt_machine(value: f64) -> String {
    crate::rules::fmt_num(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doses_read_well_at_every_size() {
        assert_eq!(fmt_dose(20.0), "20.00");
        assert_eq!(fmt_dose(0.31), "0.31");
        assert_eq!(fmt_dose(0.0632), "0.0632");
        assert_eq!(fmt_dose(0.00451), "0.00451");
        assert_eq!(fmt_dose(0.0), "0");
    }
}
