//! `taper replan`: flags to a [`taper::replan::ChangeRequest`], and the revision written
//! like a plan. Every rule of a re-plan lives in `taper::replan`.

use super::csv_args::CsvArgs;
use super::plan_args::OutputArgs;
use super::print_args::PrintArgs;
use clap::Args;
use std::path::PathBuf;
use taper::error::{Error, Result};
use taper::replan::{Change, ChangeRequest, RuleOptions};
use taper::request::RawRequest;
use taper::units;

#[derive(Debug, Args)]
pub struct ReplanArgs {
    /// The plan document to continue, as `taper plan … --format json` (or an earlier
    /// `taper replan … --format json`) wrote it (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,

    /// The day the change takes effect, YYYY-MM-DD [default: today]. Steps before it
    /// are kept as taken.
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,

    #[command(flatten)]
    pub change: ChangeArgs,

    /// The new steps remove this many percentage points of occupancy each.
    #[arg(long, value_name = "PP", help_heading = "The new steps")]
    pub step_pp: Option<f64>,

    /// With --step-pp: put targets on multiples of the step.
    #[arg(long, help_heading = "The new steps")]
    pub align: bool,

    /// N equal falls from the new dose to zero.
    #[arg(long, value_name = "N", help_heading = "The new steps")]
    pub steps: Option<u32>,

    /// Proportional: each new dose is this % below the one before.
    #[arg(long, value_name = "PCT", help_heading = "The new steps")]
    pub percent: Option<f64>,

    /// Length of each new step, like 14d or 6w [default: the plan's].
    #[arg(long, value_name = "LEN", help_heading = "The new steps")]
    pub every: Option<String>,

    /// A dose and symptom journal (as `taper journal template` writes it, filled in):
    /// the HTML printout's chart shows the doses taken and symptom scores against the
    /// planned doses (--format html only).
    #[arg(long, value_name = "FILE", help_heading = "Printouts and calendars")]
    pub journal: Option<PathBuf>,

    #[command(flatten)]
    pub print: PrintArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub csv: CsvArgs,
}

/// What happened: exactly one of these.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct ChangeArgs {
    /// Stay on the current dose; the dose next changes on DATE.
    #[arg(long, value_name = "DATE", help_heading = "What happened (one of)")]
    pub hold_until: Option<String>,

    /// Stay on the current dose this much longer, like 6w or 10d.
    #[arg(long, value_name = "LEN", help_heading = "What happened (one of)")]
    pub hold: Option<String>,

    /// Go back to the dose of step N (as numbered in the plan given), which was
    /// tolerated: a rise, marked in the plan.
    #[arg(long, value_name = "N", help_heading = "What happened (one of)")]
    pub back_to_step: Option<usize>,

    /// Go back to this dose, which was tolerated: a rise, marked in the plan.
    #[arg(long, value_name = "DOSE", help_heading = "What happened (one of)")]
    pub back_to: Option<String>,

    /// The patient is on this dose, which the plan did not have.
    #[arg(long, value_name = "DOSE", help_heading = "What happened (one of)")]
    pub now: Option<String>,
}

impl ReplanArgs {
    /// The change the flags describe.
    pub fn change(&self) -> Result<ChangeRequest> {
        let on = match &self.on {
            Some(text) => {
                units::parse_date(text).map_err(|e| Error::input(format!("--on: {e}")))?
            }
            None => jiff::Zoned::now().date(),
        };
        let dose = |flag: &str, text: &str| {
            units::parse_dose(text)
                .map(|mg| mg.get())
                .map_err(|e| Error::input(format!("--{flag}: {e}")))
        };
        let c = &self.change;
        let change = if let Some(text) = &c.hold_until {
            Change::Hold {
                until: units::parse_date(text)
                    .map_err(|e| Error::input(format!("--hold-until: {e}")))?,
            }
        } else if let Some(text) = &c.hold {
            let days =
                units::parse_length(text).map_err(|e| Error::input(format!("--hold: {e}")))?;
            let until = on
                .checked_add(jiff::Span::new().days(i64::from(days.get())))
                .map_err(|_| {
                    Error::input(format!(
                        "--hold {text} runs past the last date taper can write"
                    ))
                })?;
            Change::Hold { until }
        } else if let Some(step) = c.back_to_step {
            Change::BackToStep { step }
        } else if let Some(text) = &c.back_to {
            Change::BackTo {
                dose_mg: dose("back-to", text)?,
            }
        } else if let Some(text) = &c.now {
            Change::Now {
                dose_mg: dose("now", text)?,
            }
        } else {
            return Err(Error::input(
                "say what happened: one of --hold-until, --hold, --back-to-step, --back-to or --now",
            ));
        };
        Ok(ChangeRequest {
            on,
            change,
            options: RuleOptions {
                step_pp: self.step_pp,
                align: self.align,
                steps: self.steps,
                percent: self.percent,
                every: self.every.clone(),
            },
        })
    }

    /// The printout and calendar flags, as a request carries them.
    pub fn print_raw(&self) -> RawRequest {
        let mut raw = RawRequest::default();
        self.print.fill(&mut raw);
        raw
    }
}
