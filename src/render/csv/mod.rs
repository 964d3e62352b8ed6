//! CSV: a header row, then one row per step (or day, session, catalog curve, curve
//! point), with ISO dates (YYYY-MM-DD), date-times as YYYY-MM-DD HH:MM, and `.`
//! decimals whatever the locale.
//!
//! `taper plan` and `taper ketamine` write two CSVs: the patient's (`patient.rs`, the
//! default), for a person and a spreadsheet, and the full one (`full.rs`, `--csv
//! full`), every column at full precision for machines. Every cell is typed as a
//! number or as text when it is made, so the writer knows which cells are numbers
//! without guessing from their text.

mod full;
mod patient;

use super::fmt_machine;
use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::inspect::CurveTable;
use crate::ketamine::KetamineReport;
use crate::plan::Plan;

/// Which CSV `taper plan` and `taper ketamine` write (`--csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CsvLayout {
    /// For the patient and a spreadsheet: one row per step (or day) and per ketamine
    /// session, rounded numbers, notes in words, the review notice once.
    #[default]
    Patient,
    /// For machines: every column at full precision, flag codes, and the drug, curve,
    /// sources and notice on every row.
    Full,
}

/// The decimal separator of a CSV's numbers (`--csv-decimal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CsvDecimal {
    /// `1.5`, cells separated by `,`: what spreadsheets read in English and most
    /// programs read everywhere.
    #[default]
    Point,
    /// `1,5`, cells separated by `;`: what spreadsheets in decimal-comma locales
    /// (German, French, …) read as numbers.
    Comma,
}

/// How a CSV is written, beyond its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CsvOptions {
    pub layout: CsvLayout,
    /// Start with a UTF-8 byte-order mark (`--csv-bom`), which some spreadsheets need
    /// to read the file as UTF-8 (Excel reads `×` as `Ã—` without it).
    pub bom: bool,
    pub decimal: CsvDecimal,
}

pub(super) fn plan(plan: &Plan, options: &CsvOptions) -> Result<String> {
    let sheet = match options.layout {
        CsvLayout::Patient => patient::plan(plan),
        CsvLayout::Full => full::plan(plan),
    };
    sheet.write(options)
}

/// `taper ketamine --format csv`.
pub(super) fn ketamine(report: &KetamineReport, options: &CsvOptions) -> Result<String> {
    let sheet = match options.layout {
        CsvLayout::Patient => patient::ketamine(report),
        CsvLayout::Full => full::ketamine(report),
    };
    sheet.write(options)
}

/// One CSV cell.
pub(super) enum Cell {
    /// A number, written with `.` as its decimal point.
    Num(String),
    /// Anything else: dates, words, codes. Passed through [`super::neutralise`] when
    /// written, so text from users or drug files cannot run as a formula.
    Text(String),
}

/// A number cell, written as machines read it (see [`fmt_machine`]).
pub(super) fn num(value: f64) -> Cell {
    Cell::Num(fmt_machine(value))
}

/// A whole number cell: a step, a day, a count.
pub(super) fn count(value: impl std::fmt::Display) -> Cell {
    Cell::Num(value.to_string())
}

pub(super) fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

/// A CSV document: a header row and the rows under it.
pub(super) struct Sheet {
    rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn new(header: &[&str]) -> Sheet {
        Sheet {
            rows: vec![header.iter().map(|h| text(*h)).collect()],
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// The document as `options` say: `,` or `;` between cells, `.` or `,` in
    /// numbers, with or without a byte-order mark. Only number cells change with the
    /// decimal separator; numbers inside text ("½ × 2.5 mg tablet") are words.
    pub fn write(self, options: &CsvOptions) -> Result<String> {
        let comma = options.decimal == CsvDecimal::Comma;
        let mut writer = csv::WriterBuilder::new()
            .delimiter(if comma { b';' } else { b',' })
            .from_writer(Vec::new());
        for row in self.rows {
            let row = row.into_iter().map(|cell| match cell {
                Cell::Num(n) if comma => n.replace('.', ","),
                Cell::Num(n) => n,
                Cell::Text(t) => super::neutralise(&t),
            });
            writer.write_record(row).map_err(encode_error)?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|err| encode_error(err.into_error()))?;
        let text = String::from_utf8(bytes)
            .map_err(|err| Error::Runtime(format!("CSV output is not UTF-8: {err}")))?;
        Ok(match options.bom {
            true => format!("\u{feff}{text}"),
            false => text,
        })
    }
}

pub(super) fn drugs(catalog: &Catalog, options: &CsvOptions) -> Result<String> {
    let mut sheet = Sheet::new(&[
        "name",
        "class",
        "brand_names",
        "region",
        "default_region",
        "emax_pct",
        "ed50_mg",
        "hill",
        "source",
        "evidence",
        "notice",
    ]);
    for drug in catalog.drugs() {
        for c in &drug.curves {
            sheet.push(vec![
                text(drug.name.clone()),
                text(drug.class.clone()),
                text(drug.brand_names.join(";")),
                text(c.region.clone()),
                text(
                    (crate::catalog::region_key(&c.region)
                        == crate::catalog::region_key(&drug.default_region))
                    .to_string(),
                ),
                num(c.emax_pct),
                num(c.ed50_mg),
                num(c.hill),
                text(c.source.clone()),
                text(c.evidence.as_str()),
                text(crate::plan::REVIEW_NOTICE),
            ]);
        }
    }
    sheet.write(options)
}

pub(super) fn curve(table: &CurveTable, options: &CsvOptions) -> Result<String> {
    let c = &table.curve;
    let curve = format!(
        "{} {} Emax {}% ED50 {} mg Hill {} ({}; evidence: {}; {})",
        table.drug,
        c.region,
        fmt_machine(c.emax_pct),
        fmt_machine(c.ed50_mg),
        fmt_machine(c.hill),
        c.source,
        c.evidence.as_str(),
        table.catalog
    );
    let mut sheet = Sheet::new(&["dose_mg", "occupancy_pct", "curve", "notice"]);
    for p in &table.points {
        sheet.push(vec![
            num(p.dose_mg),
            num(p.occupancy_pct),
            text(curve.clone()),
            text(table.notice),
        ]);
    }
    sheet.write(options)
}

fn encode_error(err: impl std::fmt::Display) -> Error {
    Error::Runtime(format!("could not encode the output as CSV: {err}"))
}
