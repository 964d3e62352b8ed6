//! `taper plan` flags and their translation into a [`PlanRequest`].

use super::ketamine_args::KetamineArgs;
use crate::error::{Error, Result};
use crate::plan::{CustomCurve, PlanRequest};
use crate::render::Format;
use crate::rules::StepRule;
use crate::{schedule, units};
use clap::Args;
use std::path::PathBuf;

/// The flags of `taper plan`. The same struct is the JSON request of `--request` and
/// `taper batch` (serde), with field names = long flag names with `-` as `_`, so one
/// vocabulary serves both; `taper schema request` is generated from it.
#[derive(Debug, Default, Args, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
#[command(allow_negative_numbers = true)]
pub struct PlanArgs {
    /// Drug: generic or brand name, any case (see `taper drugs`).
    #[arg(required_unless_present = "request")]
    pub drug: Option<String>,

    /// Words after the drug that belong to no option: catches `--from 20 mg` typed with
    /// a space, which is read as `--from 20mg`.
    #[arg(hide = true)]
    #[serde(skip)]
    pub stray: Vec<String>,

    /// Current daily dose, in mg or mcg (`20mg`, `250mcg`; a bare number is mg).
    #[arg(
        long,
        value_name = "DOSE",
        allow_hyphen_values = true,
        required_unless_present = "request"
    )]
    #[serde(deserialize_with = "super::request::opt_text")]
    #[schemars(with = "Option<super::request::TextOrNumber>")]
    pub from: Option<String>,

    /// Read the request from a JSON file (`-` for stdin); flags given beside it override
    /// its fields. Field names are the long flag names with `-` as `_`.
    #[arg(long, value_name = "FILE")]
    #[serde(skip)]
    pub request: Option<PathBuf>,

    /// Date of the first step, YYYY-MM-DD [default: today]. Step 0 keeps the current dose.
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,

    /// Length of each step: days or weeks, like `14d`, `2w`, `4w` [default: 4w].
    #[arg(long, value_name = "LEN")]
    pub every: Option<String>,

    /// Lengthen (or shorten) one step: `1=8w` makes step 1 last 8 weeks. Repeatable.
    #[arg(long = "hold", value_name = "STEP=LEN")]
    #[serde(rename = "hold")]
    pub holds: Vec<String>,

    /// Each step removes this many percentage points of occupancy. Without --step-pp,
    /// --steps or --percent, the plan uses the fewest equal falls of at most 5 points.
    #[arg(long, value_name = "PP", group = "rule")]
    pub step_pp: Option<f64>,

    /// With --step-pp: put targets on multiples of the step (70, 65, 60 …).
    #[arg(long, requires = "step_pp")]
    pub align: bool,

    /// N equal falls in occupancy from the starting dose to zero.
    #[arg(long, value_name = "N", group = "rule")]
    pub steps: Option<u32>,

    /// Proportional: each dose is this % below the one before.
    #[arg(long, value_name = "PCT", group = "rule")]
    pub percent: Option<f64>,

    /// Smallest non-zero dose to use (e.g. the least you can measure); the plan stops from there.
    #[arg(long, value_name = "DOSE", allow_hyphen_values = true)]
    #[serde(deserialize_with = "super::request::opt_text")]
    #[schemars(with = "Option<super::request::TextOrNumber>")]
    pub min_dose: Option<String>,

    #[command(flatten)]
    #[serde(flatten)]
    pub curve: CurveChoice,

    #[command(flatten)]
    #[serde(flatten)]
    pub products: super::formulation_args::FormulationArgs,

    #[command(flatten)]
    #[serde(flatten)]
    pub ketamine: KetamineArgs,

    #[command(flatten)]
    #[serde(flatten)]
    pub print: super::print_args::PrintArgs,

    #[command(flatten)]
    #[serde(flatten)]
    pub output: OutputArgs,
}

/// Which occupancy curve to use.
#[derive(Debug, Default, Args, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct CurveChoice {
    /// Which fitted curve of the drug (brain region); the default is per drug and named in the output.
    #[arg(long, value_name = "NAME", conflicts_with = "emax")]
    pub region: Option<String>,

    /// Use this curve's plateau (%) instead of the catalog's; needs --ed50.
    #[arg(long, value_name = "PCT", requires = "ed50")]
    pub emax: Option<f64>,

    /// Use this curve's half-maximal dose (mg/day) instead of the catalog's; needs --emax.
    #[arg(long, value_name = "MG", requires = "emax", allow_hyphen_values = true)]
    #[serde(deserialize_with = "super::request::opt_text")]
    #[schemars(with = "Option<super::request::TextOrNumber>")]
    pub ed50: Option<String>,

    /// Hill coefficient for --emax/--ed50 [default: 1].
    #[arg(long, value_name = "N", requires = "emax")]
    pub hill: Option<f64>,

    /// Add or replace a drug from a catalog file (format: schedules/README.md). Repeatable.
    #[arg(long = "drug-file", value_name = "FILE")]
    #[serde(rename = "drug_file")]
    pub drug_files: Vec<PathBuf>,
}

#[derive(Debug, Default, Args, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct OutputArgs {
    /// Output format [default: from the -o file's extension (.csv, .json, .md, .html,
    /// .ics), else table].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Write to FILE instead of stdout (`-` is stdout). The file is replaced atomically.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl OutputArgs {
    /// `--format`, or the one the output file's extension names, or table: so
    /// `-o plan.csv` writes CSV rather than a table in a file called .csv.
    pub fn format(&self) -> Format {
        let by_extension = || {
            let ext = self
                .output
                .as_ref()?
                .extension()?
                .to_str()?
                .to_ascii_lowercase();
            match ext.as_str() {
                "csv" => Some(Format::Csv),
                "json" => Some(Format::Json),
                "md" | "markdown" => Some(Format::Markdown),
                "html" | "htm" => Some(Format::Html),
                "ics" => Some(Format::Ics),
                _ => None,
            }
        };
        self.format.or_else(by_extension).unwrap_or(Format::Table)
    }
}

/// Step length when `--every` is not given: the long end of Maudsley's 2–4 weeks.
pub const DEFAULT_EVERY: &str = "4w";

/// Parses and cross-checks the plan flags into a typed request.
pub fn plan_request(args: &PlanArgs) -> Result<PlanRequest> {
    let rule = match (args.step_pp, args.steps, args.percent) {
        (Some(pp), None, None) => Some(StepRule::StepPp {
            pp,
            align: args.align,
        }),
        (None, Some(count), None) => Some(StepRule::Steps { count }),
        (None, None, Some(percent)) => Some(StepRule::Percent { percent }),
        (None, None, None) => None,
        _ => {
            return Err(Error::input(
                "give only one of --step-pp, --steps and --percent",
            ));
        }
    };
    if let Some(rule) = rule {
        rule.validate()?;
    }
    let custom_curve = match (args.curve.emax, &args.curve.ed50) {
        (Some(emax_pct), Some(ed50)) => Some(CustomCurve {
            emax_pct,
            ed50_mg: units::parse_dose_mg(ed50)
                .map_err(|e| Error::input(format!("--ed50: {e}")))?,
            hill: args.curve.hill.unwrap_or(1.0),
        }),
        (None, None) => None,
        _ => {
            return Err(Error::input(
                "--emax and --ed50 go together; give both or neither",
            ));
        }
    };
    let start = start_date(args.start.as_deref())?;
    Ok(PlanRequest {
        drug: args.drug.clone().unwrap_or_default(),
        from_mg: units::parse_dose_mg(&dose_text(
            args.from.as_deref().ok_or_else(|| {
                Error::input("the request gives no starting dose; add --from, like --from 20mg")
            })?,
            &args.stray,
        )?)
        .map_err(|e| Error::input(format!("--from: {e}")))?,
        start,
        every_days: units::parse_days(args.every.as_deref().unwrap_or(DEFAULT_EVERY))
            .map_err(|e| Error::input(format!("--every: {e}")))?,
        rule,
        region: args.curve.region.clone(),
        custom_curve,
        holds: args
            .holds
            .iter()
            .map(|h| schedule::parse_hold(h))
            .collect::<Result<_>>()?,
        min_dose_mg: match &args.min_dose {
            Some(text) => Some(
                units::parse_dose_mg(text).map_err(|e| Error::input(format!("--min-dose: {e}")))?,
            ),
            None => None,
        },
    })
}

/// `--start`, or today in the system's time zone.
pub fn start_date(text: Option<&str>) -> Result<jiff::civil::Date> {
    match text {
        Some(text) => units::parse_date(text).map_err(|e| Error::input(format!("--start: {e}"))),
        None => Ok(jiff::Zoned::now().date()),
    }
}

/// `--from 20 mg` arrives as `--from 20` plus a stray `mg`: join a lone unit back on.
fn dose_text(from: &str, stray: &[String]) -> Result<String> {
    match stray {
        [] => Ok(from.to_string()),
        [unit]
            if from.trim().parse::<f64>().is_ok()
                && units::DOSE_UNIT_WORDS.contains(&unit.to_lowercase().as_str()) =>
        {
            Ok(format!("{from}{unit}"))
        }
        [word, ..] => Err(Error::input(format!(
            "unexpected argument \"{word}\" after the drug name; options start with --, and a dose is written like --from 20mg"
        ))),
    }
}
