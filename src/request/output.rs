//! How a command writes its output: the format, and the CSV options given beside it.
//!
//! These are the command's options, not a request's fields, like `--format` and `-o`:
//! they say how a plan is written, not what is planned, and `taper batch` always
//! writes JSON, so as request fields they could never act there. `taper plan` passes
//! them to [`super::Request::from_raw`] with the format; `taper ketamine`, `drugs` and
//! `curve` check them here too, so each is refused where it would do nothing by one
//! rule.

use super::validate::format_name;
use crate::error::{Error, Problem, Result};
use crate::render::{CsvDecimal, CsvLayout, CsvOptions, Format};

/// The output options of a command, as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputChoice {
    pub format: Format,
    /// `--csv patient|full`.
    pub csv_layout: Option<CsvLayout>,
    /// `--csv-bom`.
    pub csv_bom: bool,
    /// `--csv-decimal point|comma`.
    pub csv_decimal: Option<CsvDecimal>,
}

impl From<Format> for OutputChoice {
    /// `format` with no CSV option given.
    fn from(format: Format) -> Self {
        OutputChoice {
            format,
            csv_layout: None,
            csv_bom: false,
            csv_decimal: None,
        }
    }
}

/// The CSV options of `output`, each refused unless the output is CSV.
pub fn csv_options(output: &OutputChoice) -> Result<CsvOptions> {
    let given = [
        ("csv", output.csv_layout.is_some()),
        ("csv-bom", output.csv_bom),
        ("csv-decimal", output.csv_decimal.is_some()),
    ];
    if output.format != Format::Csv
        && let Some((flag, _)) = given.iter().find(|(_, given)| *given)
    {
        return Err(Error::Input {
            problem: Problem::NoEffect,
            field: None,
            message: format!(
                "--{flag} is for CSV (--format csv or -o FILE.csv), not {}; change the format or leave it out",
                format_name(output.format)
            ),
        });
    }
    Ok(CsvOptions {
        layout: output.csv_layout.unwrap_or_default(),
        bom: output.csv_bom,
        decimal: output.csv_decimal.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_options_are_refused_outside_csv_and_default_to_the_patients() {
        let json = OutputChoice {
            csv_layout: Some(CsvLayout::Full),
            ..Format::Json.into()
        };
        let err = csv_options(&json).unwrap_err();
        assert!(err.to_string().starts_with("--csv is for CSV"), "{err}");
        assert!(err.is_bad_input());
        let bom = OutputChoice {
            csv_bom: true,
            ..Format::Table.into()
        };
        let err = csv_options(&bom).unwrap_err();
        assert!(err.to_string().starts_with("--csv-bom is for CSV"), "{err}");
        let csv = csv_options(&Format::Csv.into()).unwrap();
        assert_eq!(csv, CsvOptions::default());
        assert_eq!(csv.layout, CsvLayout::Patient);
        assert_eq!(csv.decimal, CsvDecimal::Point);
    }
}
