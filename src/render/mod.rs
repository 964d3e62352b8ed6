//! Renderers: one file per output format. Each takes finished data (a [`Plan`], the
//! catalog, a [`CurveTable`]) and only formats it; none recomputes a number.
//!
//! The text formats (table, Markdown, HTML) render one document, worded once in
//! `view.rs`; the per-step formats (CSV, ICS, FHIR) see each step through
//! `step_view.rs`; phrases every format shares (durations, day counts) are in `words.rs`.

mod chart;
mod chart_journal;
mod csv;
mod fhir;
mod handout;
mod html;
mod ics;
mod ics_fold;
mod json;
mod ketamine;
mod markdown;
mod printout;
pub mod products;
mod step_view;
mod table;
mod view;
mod view_handout;
mod view_history;
mod view_ketamine;
mod words;

use crate::catalog::{BenzoCatalog, Catalog};
use crate::error::Result;
use crate::inspect::CurveTable;
use crate::plan::Plan;
pub use crate::text::{fmt_dose, fmt_machine, fmt_percent_range, fmt_range};
pub use csv::{CsvDecimal, CsvLayout, CsvOptions};

/// Output formats of `taper plan`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Aligned text for a terminal or a printout.
    Table,
    /// One row per step (and per ketamine session), header row, ISO dates, `.`
    /// decimals; the patient's by default, every column with `--csv full`.
    Csv,
    /// The plan document (`schema_version` 1).
    Json,
    /// A GitHub-flavoured Markdown document, for notes and records.
    Markdown,
    /// One self-contained HTML page that prints on A4 and US Letter.
    Html,
    /// The patient's handout: one HTML page in plain words, what to take first
    /// (`handout.rs`); the prescriber's printout is `html`.
    Handout,
    /// An RFC 5545 calendar: dose changes, sessions, hold windows.
    Ics,
    /// A FHIR R4 MedicationRequest (a Bundle when benzodiazepines are part of the plan).
    Fhir,
}

/// Calendar event titles (`--ics-titles`): private by default, since titles show on
/// lock screens.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum IcsTitles {
    /// No drug name.
    Private,
    /// Name the drug.
    Full,
}

/// What a printout or calendar adds to the plan: who it is for, when it was made.
/// Only the HTML, Markdown and ICS renderers use these.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintOptions {
    /// `--patient NAME`, shown as given (escaped) in printouts.
    pub patient: Option<String>,
    /// `--prescriber NAME`.
    pub prescriber: Option<String>,
    /// `--contact TEXT`: whom the patient calls, on the handout.
    pub contact: Option<String>,
    /// The date the printout was made; `None` is today, looked up only when a format
    /// shows it (finding the local time zone reads the system's time zone database,
    /// which is most of a JSON plan's run time).
    pub made_on: Option<jiff::civil::Date>,
    /// `--remind 08:00`: a daily reminder time for calendar events.
    pub remind: Option<jiff::civil::Time>,
    /// `--ics-titles full`: name the drug in event titles (off by default: titles show
    /// on lock screens).
    pub ics_titles_full: bool,
    /// `--journal FILE` (`taper replan --format html`): the doses taken and symptom
    /// scores, drawn on the printout's chart against the planned doses.
    pub journal: Option<Vec<crate::journal::Entry>>,
}

impl PrintOptions {
    /// The date the printout was made.
    pub fn made_on(&self) -> jiff::civil::Date {
        self.made_on.unwrap_or_else(|| jiff::Zoned::now().date())
    }
}

/// Renders a plan in `format`; `csv` says how, when it is CSV.
pub fn plan(
    plan: &Plan,
    format: Format,
    options: &PrintOptions,
    csv: &CsvOptions,
) -> Result<String> {
    match format {
        Format::Table => Ok(table::plan(plan)),
        Format::Csv => csv::plan(plan, csv),
        Format::Json => json::to_string(plan),
        Format::Markdown => markdown::plan(plan, options),
        Format::Html => html::plan(plan, options),
        Format::Handout => handout::plan(plan, options),
        Format::Ics => ics::plan(plan, options),
        Format::Fhir => fhir::plan(plan, options),
    }
}

/// A cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, or a
/// tab or carriage return) gets a leading apostrophe, so it is shown, not run (OWASP's
/// advice on CSV injection). Used on every text cell that can carry user input.
pub fn neutralise(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// The refusal for formats that only `taper plan` has.
fn plan_only(format: Format) -> crate::Error {
    crate::Error::input(format!(
        "--format {} is only for taper plan; use table, csv or json here",
        format_name(format)
    ))
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Table => "table",
        Format::Csv => "csv",
        Format::Json => "json",
        Format::Markdown => "markdown",
        Format::Html => "html",
        Format::Handout => "handout",
        Format::Ics => "ics",
        Format::Fhir => "fhir",
    }
}

/// Renders the drug list of `taper drugs`.
pub fn drugs(catalog: &Catalog, format: Format, csv: &CsvOptions) -> Result<String> {
    match format {
        Format::Json => json::drugs(catalog),
        Format::Csv => csv::drugs(catalog, csv),
        Format::Table => Ok(table::drugs(catalog)),
        other => Err(plan_only(other)),
    }
}

/// The formats `taper ketamine` writes, as its `--format` lists them.
pub const KETAMINE_FORMATS: &[Format] = &[
    Format::Table,
    Format::Csv,
    Format::Json,
    Format::Markdown,
    Format::Html,
    Format::Handout,
    Format::Ics,
];

/// Renders `taper ketamine`: the sessions and hold windows without a taper, for the
/// prescriber (table, Markdown, HTML), the patient (the handout) or machines.
pub fn ketamine(
    report: &crate::ketamine::KetamineReport,
    format: Format,
    options: &PrintOptions,
    csv: &CsvOptions,
    calendar_id: &str,
) -> Result<String> {
    match format {
        Format::Json => json::to_string(report),
        Format::Csv => csv::ketamine(report, csv),
        Format::Table => Ok(ketamine::report_table(report)),
        Format::Markdown => markdown::ketamine(report, options),
        Format::Html => html::ketamine(report, options),
        Format::Handout => handout::ketamine(report, options),
        Format::Ics => ics::ketamine(report, options, calendar_id),
        other => Err(crate::Error::input(format!(
            "taper ketamine does not write --format {}; it writes table, csv, json, markdown, html, handout or ics",
            format_name(other)
        ))),
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
        other => Err(plan_only(other)),
    }
}

/// Renders the dose ↔ occupancy table of `taper curve`.
pub fn curve(curve: &CurveTable, format: Format, csv: &CsvOptions) -> Result<String> {
    match format {
        Format::Json => json::to_string(curve),
        Format::Csv => csv::curve(curve, csv),
        Format::Table => Ok(table::curve(curve)),
        other => Err(plan_only(other)),
    }
}
