//! CSV options (`--format csv`): help text only. They are the command's, not request
//! fields; `taper::request::csv_options` refuses each where the output is not CSV.

use clap::Args;
use taper::render::{CsvLayout, Format};
use taper::request::OutputChoice;

/// `--csv`, for the commands with two CSVs (`taper plan`, `taper ketamine`).
#[derive(Debug, Default, Args)]
pub struct CsvLayoutArgs {
    /// Which CSV: patient (default: one row per step and per session, rounded numbers,
    /// notes in words) or full (every column at full precision, flag codes, sources on
    /// every row, for machines).
    #[arg(long = "csv", value_name = "LAYOUT", help_heading = "CSV",
          value_parser = super::choice::<CsvLayout>())]
    pub layout: Option<CsvLayout>,
}

/// The output options of a command: its format and the CSV options given with it.
pub fn output_choice(format: Format, layout: Option<CsvLayout>) -> OutputChoice {
    OutputChoice {
        format,
        csv_layout: layout,
    }
}
