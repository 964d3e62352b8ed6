//! Ketamine-session flags, shared by `taper plan` and `taper ketamine`, and their
//! translation into a [`KetamineRequest`].

use super::plan_args::OutputArgs;
use crate::catalog::EquivalenceTable;
use crate::error::{Error, Result};
use crate::ketamine::{BenzoRegimen, HoldRule, KetamineRequest};
use crate::units;
use clap::Args;
use jiff::ToSpan;
use jiff::civil::DateTime;
use std::path::PathBuf;

/// Ketamine or esketamine sessions and the benzodiazepines to hold before them.
#[derive(Debug, Default, Args, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct KetamineArgs {
    /// A ketamine/esketamine session, like 2027-02-03T10:00. Repeatable.
    #[arg(
        long = "ketamine",
        value_name = "DATE_TIME",
        help_heading = "Ketamine sessions"
    )]
    #[serde(rename = "ketamine")]
    pub sessions: Vec<String>,

    /// A series of sessions: FIRST,COUNT,EVERY, like 2027-02-03T10:00,6,3d. Repeatable.
    #[arg(
        long = "ketamine-series",
        value_name = "FIRST,COUNT,EVERY",
        help_heading = "Ketamine sessions"
    )]
    #[serde(rename = "ketamine_series")]
    pub series: Vec<String>,

    /// A benzodiazepine or Z-drug taken daily (see `taper benzos`). Repeatable: the Nth
    /// --benzo goes with the Nth --benzo-dose and --benzo-times.
    #[arg(
        long = "benzo",
        value_name = "DRUG",
        help_heading = "Ketamine sessions"
    )]
    #[serde(rename = "benzo")]
    pub benzos: Vec<String>,

    /// Amount of each dose, like 1mg or 500mcg.
    #[arg(
        long = "benzo-dose",
        value_name = "DOSE",
        allow_hyphen_values = true,
        help_heading = "Ketamine sessions"
    )]
    #[serde(rename = "benzo_dose", deserialize_with = "super::request::text_list")]
    #[schemars(with = "Vec<super::request::TextOrNumber>")]
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
    #[serde(rename = "benzo_hold")]
    pub hold: Option<String>,

    /// Also hold doses this long after each session, like 4h [default: 0h].
    #[arg(
        long = "benzo-after",
        value_name = "LEN",
        help_heading = "Ketamine sessions"
    )]
    #[serde(rename = "benzo_after")]
    pub after: Option<String>,

    /// Diazepam-equivalence table: ashton (Ashton Manual) or va-dod (VA/DoD 2021)
    /// [default: ashton].
    #[arg(long, value_enum, help_heading = "Ketamine sessions")]
    pub equivalence: Option<EquivalenceTable>,

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
    #[arg(
        long = "benzo-taper-as",
        value_enum,
        help_heading = "Ketamine sessions"
    )]
    pub benzo_taper_as: Option<TaperAs>,

    /// Add or replace a benzodiazepine from a file (format:
    /// schedules/benzodiazepines/README.md). Repeatable.
    #[arg(
        long = "benzo-file",
        value_name = "FILE",
        help_heading = "Ketamine sessions"
    )]
    #[serde(rename = "benzo_file")]
    pub benzo_files: Vec<PathBuf>,
}

/// The drug a benzodiazepine taper is written in.
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
pub enum TaperAs {
    /// Keep the drug the person takes.
    Same,
    /// Switch to diazepam equivalents first (Ashton's method).
    Diazepam,
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
}

/// The most sessions one series may generate: a guard against typos, not a protocol.
const MAX_SERIES: u32 = 100;

impl KetamineArgs {
    /// Whether any session or benzodiazepine was given (otherwise no ketamine section).
    pub fn is_used(&self) -> bool {
        !(self.sessions.is_empty() && self.series.is_empty() && self.benzos.is_empty())
    }

    /// Parses and cross-checks the flags.
    pub fn request(&self) -> Result<KetamineRequest> {
        let (n, doses, times) = (
            self.benzos.len(),
            self.benzo_doses.len(),
            self.benzo_times.len(),
        );
        if doses != n || times != n {
            return Err(Error::input(format!(
                "each --benzo needs its own --benzo-dose and --benzo-times, in the same order (got {n} --benzo, {doses} --benzo-dose, {times} --benzo-times)"
            )));
        }
        let mut regimens = Vec::with_capacity(n);
        for ((drug, dose), times) in self
            .benzos
            .iter()
            .zip(&self.benzo_doses)
            .zip(&self.benzo_times)
        {
            regimens.push(BenzoRegimen {
                drug: drug.clone(),
                dose_mg: units::parse_dose_mg(dose)
                    .map_err(|e| Error::input(format!("--benzo-dose: {e}")))?,
                times: units::parse_times(times)
                    .map_err(|e| Error::input(format!("--benzo-times: {e}")))?,
            });
        }
        let mut sessions = Vec::new();
        for text in &self.sessions {
            sessions.push(
                units::parse_datetime(text)
                    .map_err(|e| Error::input(format!("--ketamine: {e}")))?,
            );
        }
        for text in &self.series {
            sessions.extend(parse_series(text)?);
        }
        Ok(KetamineRequest {
            regimens,
            sessions,
            hold: HoldRule::parse(self.hold.as_deref().unwrap_or("12h"))?,
            after_hours: units::parse_hours(self.after.as_deref().unwrap_or("0h"))
                .map_err(|e| Error::input(format!("--benzo-after: {e}")))?,
            equivalence: self.equivalence.unwrap_or(EquivalenceTable::Ashton),
            benzo_taper: match &self.benzo_taper {
                Some(text) => Some(crate::ketamine::parse_benzo_taper(
                    text,
                    self.benzo_taper_as == Some(TaperAs::Diazepam),
                )?),
                None => None,
            },
        })
    }
}

/// `2027-02-03T10:00,6,3d`: six sessions three days apart from the first.
fn parse_series(text: &str) -> Result<Vec<DateTime>> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [first, count, every] = parts[..] else {
        return Err(Error::input(format!(
            "--ketamine-series \"{text}\" needs FIRST,COUNT,EVERY, like 2027-02-03T10:00,6,3d"
        )));
    };
    let first = units::parse_datetime(first)
        .map_err(|e| Error::input(format!("--ketamine-series: {e}")))?;
    let count: u32 = count.parse().ok().filter(|c| (1..=MAX_SERIES).contains(c)).ok_or_else(|| {
        Error::input(format!("--ketamine-series \"{text}\": the count must be a whole number from 1 to {MAX_SERIES}"))
    })?;
    let every =
        units::parse_days(every).map_err(|e| Error::input(format!("--ketamine-series: {e}")))?;
    (0..count)
        .map(|k| {
            first
                .checked_add((i64::from(k) * i64::from(every)).days())
                .map_err(|_| {
                    Error::input(format!(
                        "--ketamine-series \"{text}\" runs past the dates taper can represent"
                    ))
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_series_lays_sessions_apart() {
        let s = parse_series("2027-02-03T10:00,6,3d").unwrap();
        assert_eq!(s.len(), 6);
        assert_eq!(s[5], date(2027, 2, 18).at(10, 0, 0, 0));
        for bad in [
            "2027-02-03T10:00,6",
            "2027-02-03T10:00,0,3d",
            "2027-02-03T10:00,x,3d",
            "10:00,6,3d",
        ] {
            assert!(parse_series(bad).is_err(), "{bad}");
        }
    }
}
