//! Flags for printouts and calendars (`--format html|markdown|ics`): who the plan is
//! for, reminders, and how much calendar titles say.

use crate::error::{Error, Result};
use crate::render::PrintOptions;
use clap::Args;

#[derive(Debug, Default, Args, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct PrintArgs {
    /// Patient's name for printouts (HTML, Markdown); shown exactly as given.
    #[arg(long, value_name = "NAME", help_heading = "Printouts and calendars")]
    pub patient: Option<String>,

    /// Prescriber's name for printouts.
    #[arg(long, value_name = "NAME", help_heading = "Printouts and calendars")]
    pub prescriber: Option<String>,

    /// Calendar reminder at this time on each event's day, like 08:00 (ICS).
    #[arg(long, value_name = "HH:MM", help_heading = "Printouts and calendars")]
    pub remind: Option<String>,

    /// Calendar event titles: private (default: no drug name, as titles show on lock
    /// screens) or full (name the drug).
    #[arg(
        long = "ics-titles",
        value_enum,
        help_heading = "Printouts and calendars"
    )]
    pub ics_titles: Option<IcsTitles>,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum IcsTitles {
    Private,
    Full,
}

impl PrintArgs {
    /// The options for the renderers; the printout's date is today's.
    pub fn options(&self) -> Result<PrintOptions> {
        let remind = match &self.remind {
            Some(text) => {
                let times = crate::units::parse_times(text)
                    .map_err(|e| Error::input(format!("--remind: {e}")))?;
                match times[..] {
                    [time] => Some(time),
                    _ => return Err(Error::input("--remind takes one time, like 08:00")),
                }
            }
            None => None,
        };
        Ok(PrintOptions {
            patient: self.patient.clone(),
            prescriber: self.prescriber.clone(),
            made_on: None,
            remind,
            ics_titles_full: self.ics_titles == Some(IcsTitles::Full),
        })
    }
}
