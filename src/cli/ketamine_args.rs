//! Ketamine-session flags, shared by `taper plan` and `taper ketamine`. Help text
//! only: the rules are `taper::request`'s.

use super::plan_args::OutputArgs;
use clap::Args;
use clap::builder::PossibleValuesParser;
use std::path::PathBuf;
use taper::catalog::EquivalenceTable;
use taper::ketamine::TaperAs;
use taper::request::{Amount, RawRequest, choice_names};

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

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub csv: super::csv_args::CsvArgs,
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
    }
}
