//! Ketamine-session flags, shared by `taper plan` and `taper ketamine`. Help text
//! only: the rules are `taper::request`'s.

use super::plan_args::OutputArgs;
use clap::Args;
use clap::builder::PossibleValuesParser;
use std::path::PathBuf;
use taper::catalog::{EquivalenceTable, Market};
use taper::ketamine::TaperAs;
use taper::render::{Format, IcsTitles, KETAMINE_FORMATS};
use taper::request::{Amount, Choice, RawRequest, choice_names};

/// Ketamine or esketamine sessions and the benzodiazepines to hold before them.
#[derive(Debug, Default, Args)]
pub struct KetamineArgs {
    /// A ketamine/esketamine session, like 2027-02-03T10:00. Repeatable.
    #[arg(
        long = "ketamine",
        value_name = "DATE_TIME",
        help_heading = "Ketamine sessions"
    )]
    pub sessions: Vec<String>,

    /// A series of sessions: FIRST,COUNT,EVERY, like 2027-02-03T10:00,6,3d. Repeatable.
    #[arg(
        long = "ketamine-series",
        value_name = "FIRST,COUNT,EVERY",
        help_heading = "Ketamine sessions"
    )]
    pub series: Vec<String>,

    /// A benzodiazepine or Z-drug taken daily (see `taper benzos`). Repeatable: the Nth
    /// --benzo goes with the Nth --benzo-dose and --benzo-times.
    #[arg(
        long = "benzo",
        value_name = "DRUG",
        help_heading = "Ketamine sessions"
    )]
    pub benzos: Vec<String>,

    /// Amount of each dose, like 1mg or 500mcg.
    #[arg(
        long = "benzo-dose",
        value_name = "DOSE",
        allow_hyphen_values = true,
        help_heading = "Ketamine sessions"
    )]
    pub benzo_doses: Vec<String>,

    /// Clock times of the daily doses, like 08:00,21:00.
    #[arg(
        long = "benzo-times",
        value_name = "HH:MM,…",
        help_heading = "Ketamine sessions"
    )]
    pub benzo_times: Vec<String>,

    /// Hold window before each session: hours or days (12h, 24h, 72h, 3d) or
    /// night-before (from 18:00 the day before to the end of the session day).
    /// The default, 12h, is the esketamine phase-3 trials' rule.
    #[arg(
        long = "benzo-hold",
        value_name = "LEN",
        help_heading = "Ketamine sessions"
    )]
    pub hold: Option<String>,

    /// Also hold doses this long after each session, like 4h [default: 0h].
    #[arg(
        long = "benzo-after",
        value_name = "LEN",
        help_heading = "Ketamine sessions"
    )]
    pub after: Option<String>,

    /// Diazepam-equivalence table: ashton (Ashton Manual) or va-dod (VA/DoD 2021)
    /// [default: ashton].
    #[arg(long, help_heading = "Ketamine sessions",
          value_parser = PossibleValuesParser::new(choice_names::<EquivalenceTable>()))]
    pub equivalence: Option<String>,

    /// Plan a benzodiazepine taper that ends the day before the first session: PERCENT of
    /// the current dose every LENGTH, like 10%/2w (ASAM 2025: 5–10% every 2–4 weeks,
    /// never faster than 25% every 2 weeks).
    #[arg(
        long = "benzo-taper",
        value_name = "PCT/LEN",
        help_heading = "Ketamine sessions"
    )]
    pub benzo_taper: Option<String>,

    /// With --benzo-taper: keep the drug (same) or switch to diazepam equivalents
    /// (diazepam) [default: same].
    #[arg(long = "benzo-taper-as", help_heading = "Ketamine sessions",
          value_parser = PossibleValuesParser::new(choice_names::<TaperAs>()))]
    pub benzo_taper_as: Option<String>,

    /// With --benzo-taper: whose products the taper's doses are rounded to, when the
    /// plan has no --market [default: us].
    #[arg(long = "benzo-market", help_heading = "Ketamine sessions",
          value_parser = PossibleValuesParser::new(choice_names::<Market>()))]
    pub benzo_market: Option<String>,

    /// Add or replace a benzodiazepine from a file (format:
    /// schedules/benzodiazepines/README.md). Repeatable.
    #[arg(
        long = "benzo-file",
        value_name = "FILE",
        help_heading = "Ketamine sessions"
    )]
    pub benzo_files: Vec<PathBuf>,
}

/// `taper ketamine`: hold windows without an antidepressant taper.
#[derive(Debug, Args)]
pub struct KetamineCmdArgs {
    /// First day considered, YYYY-MM-DD [default: today]; sessions before it are refused.
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,

    #[command(flatten)]
    pub ketamine: KetamineArgs,

    /// Patient's name for the printouts and the handout; shown exactly as given.
    #[arg(long, value_name = "NAME", help_heading = "Printouts")]
    pub patient: Option<String>,

    /// Prescriber's name for the printouts and the handout.
    #[arg(long, value_name = "NAME", help_heading = "Printouts")]
    pub prescriber: Option<String>,

    /// Whom the patient calls with questions, and how: shown on the handout.
    #[arg(long, value_name = "TEXT", help_heading = "Printouts")]
    pub contact: Option<String>,

    /// Calendar reminder at this time on each event's day, like 08:00 (ICS).
    #[arg(long, value_name = "HH:MM", help_heading = "Calendar")]
    pub remind: Option<String>,

    /// Calendar event titles: private (default: no drug name, as titles show on lock
    /// screens) or full (name the drug).
    #[arg(long = "ics-titles", help_heading = "Calendar",
          value_parser = PossibleValuesParser::new(choice_names::<IcsTitles>()))]
    pub ics_titles: Option<String>,

    /// The calendar's identifier (letters, digits, `-`, `.`; at most 40): event UIDs
    /// derive from it, so a re-export updates the same events. Give one for
    /// reproducible output [default: random].
    #[arg(long, value_name = "ID", help_heading = "Calendar")]
    pub plan_id: Option<String>,

    #[command(flatten)]
    pub output: KetamineOutputArgs,

    #[command(flatten)]
    pub csv: super::csv_args::CsvArgs,
}

/// `taper ketamine`'s output: only the formats it writes are offered.
#[derive(Debug, Default, Args)]
pub struct KetamineOutputArgs {
    /// Output format: table, csv, json, markdown or html (the prescriber's printout),
    /// handout (the patient's) or ics (a calendar of the sessions and hold windows)
    /// [default: from the -o file's extension (.csv, .json, .md, .html, .ics), else
    /// table].
    #[arg(long, value_parser = ketamine_formats())]
    pub format: Option<Format>,

    /// Write to FILE instead of stdout (`-` is stdout). The file is replaced atomically.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl KetamineOutputArgs {
    /// As the other commands' output options, for the format by file name and writing.
    pub fn as_output(&self) -> OutputArgs {
        OutputArgs {
            format: self.format,
            output: self.output.clone(),
        }
    }
}

/// A value parser for the formats of [`KETAMINE_FORMATS`].
fn ketamine_formats() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    let names: Vec<&'static str> = Format::CHOICES
        .iter()
        .filter(|(_, f)| KETAMINE_FORMATS.contains(f))
        .map(|(name, _)| *name)
        .collect();
    PossibleValuesParser::new(names).try_map(|name: String| {
        Format::CHOICES
            .iter()
            .find(|(word, _)| *word == name)
            .map(|(_, value)| *value)
            .ok_or_else(|| format!("\"{name}\" is not a format of taper ketamine"))
    })
}

impl KetamineCmdArgs {
    /// The printout options, into `raw` to be checked against the format.
    pub fn fill_print(&self, raw: &mut RawRequest) {
        raw.patient = self.patient.clone();
        raw.prescriber = self.prescriber.clone();
        raw.contact = self.contact.clone();
        raw.remind = self.remind.clone();
        raw.ics_titles = self.ics_titles.clone();
    }

    /// The calendar's identifier: `--plan-id` as checked for plans, or a new one.
    /// Only the calendar shows it, so anywhere else it is refused, as an option that
    /// would change nothing.
    pub fn calendar_id(&self, format: Format) -> taper::Result<String> {
        match (&self.plan_id, format) {
            (Some(id), Format::Ics) => taper::identity::check(id),
            (Some(_), _) => Err(taper::Error::input(
                "--plan-id names taper ketamine's calendar (--format ics), which this output is not; leave it out or write the calendar",
            )),
            (None, _) => Ok(taper::identity::generate()),
        }
    }
}

impl KetamineArgs {
    pub fn fill(&self, raw: &mut RawRequest) {
        raw.ketamine = self.sessions.clone();
        raw.ketamine_series = self.series.clone();
        raw.benzo = self.benzos.clone();
        raw.benzo_dose = self.benzo_doses.iter().cloned().map(Amount::Text).collect();
        raw.benzo_times = self.benzo_times.clone();
        raw.benzo_hold = self.hold.clone();
        raw.benzo_after = self.after.clone();
        raw.equivalence = self.equivalence.clone();
        raw.benzo_taper = self.benzo_taper.clone();
        raw.benzo_taper_as = self.benzo_taper_as.clone();
        raw.benzo_file = self.benzo_files.clone();
        raw.benzo_market = self.benzo_market.clone();
    }
}
