//! Flags for printouts and calendars (`--format html|markdown|fhir|ics`): who the plan
//! is for, reminders, and how much calendar titles say. Help text only.

use clap::Args;
use clap::builder::PossibleValuesParser;
use taper::render::IcsTitles;
use taper::request::{RawRequest, choice_names};

#[derive(Debug, Default, Args)]
pub struct PrintArgs {
    /// Patient's name for printouts and FHIR; shown exactly as given.
    #[arg(long, value_name = "NAME", help_heading = "Printouts and calendars")]
    pub patient: Option<String>,

    /// Prescriber's name for printouts and FHIR.
    #[arg(long, value_name = "NAME", help_heading = "Printouts and calendars")]
    pub prescriber: Option<String>,

    /// Whom the patient calls with questions or symptoms, and how, like "Dr Lee,
    /// 0161 555 0100, weekdays 9-5": shown on the handout (--format handout).
    #[arg(long, value_name = "TEXT", help_heading = "Printouts and calendars")]
    pub contact: Option<String>,

    /// Calendar reminder at this time on each event's day, like 08:00 (ICS).
    #[arg(long, value_name = "HH:MM", help_heading = "Printouts and calendars")]
    pub remind: Option<String>,

    /// Calendar event titles: private (default: no drug name, as titles show on lock
    /// screens) or full (name the drug).
    #[arg(long = "ics-titles", help_heading = "Printouts and calendars",
          value_parser = PossibleValuesParser::new(choice_names::<IcsTitles>()))]
    pub ics_titles: Option<String>,
}

impl PrintArgs {
    pub fn fill(&self, raw: &mut RawRequest) {
        raw.patient = self.patient.clone();
        raw.prescriber = self.prescriber.clone();
        raw.contact = self.contact.clone();
        raw.remind = self.remind.clone();
        raw.ics_titles = self.ics_titles.clone();
    }
}
