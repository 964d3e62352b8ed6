//! CSV options (`--format csv`): help text only. They are the command's, not request
//! fields; `taper::request::csv_options` refuses each where the output is not CSV.

use clap::Args;
use taper::render::{CsvDecimal, CsvLayout, Format};
use taper::request::OutputChoice;

/// How a CSV is written, for every command that writes one.
#[derive(Debug, Default, Args)]
pub struct CsvDialectArgs {
    /// Start the CSV with a UTF-8 byte-order mark, for spreadsheets that need one to
    /// read it as UTF-8 (Excel shows "×" as "Ã—" without it).
    #[arg(long = "csv-bom", help_heading = "CSV")]
    pub bom: bool,

    /// Decimal separator of the CSV's numbers: point (default; cells separated by ",")
    /// or comma (cells separated by ";"), for spreadsheets in decimal-comma locales.
    #[arg(long = "csv-decimal", value_name = "SEP", help_heading = "CSV",
          value_parser = super::choice::<CsvDecimal>())]
    pub decimal: Option<CsvDecimal>,
}

/// `--csv` and the dialect, for the commands with two CSVs (`taper plan`, `taper
/// ketamine`).
#[derive(Debug, Default, Args)]
pub struct CsvArgs {
    /// Which CSV: patient (default: one row per step and per session, rounded numbers,
    /// notes in words) or full (every column at full precision, flag codes, sources on
    /// every row, for machines).
    #[arg(long = "csv", value_name = "LAYOUT", help_heading = "CSV",
          value_parser = super::choice::<CsvLayout>())]
    pub layout: Option<CsvLayout>,

    #[command(flatten)]
    pub dialect: CsvDialectArgs,
}

impl CsvDialectArgs {
    /// The output options of a command: its format and the CSV options given with it.
    pub fn choice(&self, format: Format, layout: Option<CsvLayout>) -> OutputChoice {
        OutputChoice {
            format,
            csv_layout: layout,
            csv_bom: self.bom,
            csv_decimal: self.decimal,
        }
    }
}

impl CsvArgs {
    pub fn choice(&self, format: Format) -> OutputChoice {
        self.dialect.choice(format, self.layout)
    }
}
