//! The flags of `taper plan`: help text and completions only. Every rule lives in
//! `taper::request`; the flags become a [`RawRequest`] and are checked there, exactly
//! as a JSON request is.

use super::formulation_args::FormulationArgs;
use super::ketamine_args::KetamineArgs;
use super::print_args::PrintArgs;
use clap::Args;
use std::path::PathBuf;
use taper::render::Format;
use taper::request::{Amount, RawRequest};

#[derive(Debug, Default, Args)]
#[command(allow_negative_numbers = true)]
pub struct PlanArgs {
    /// Drug: generic or brand name, any case (see `taper drugs`).
    pub drug: Option<String>,

    /// Words after the drug that belong to no option: catches `--from 20 mg` typed with
    /// a space, which is read as `--from 20mg`.
    #[arg(hide = true)]
    pub stray: Vec<String>,

    /// Current daily dose, in mg or mcg (`20mg`, `250mcg`; a bare number is mg).
    #[arg(long, value_name = "DOSE", allow_hyphen_values = true)]
    pub from: Option<String>,

    /// Read the request from a JSON file (`-` for stdin); flags given beside it override
    /// its fields. Field names are the long flag names with `-` as `_`.
    #[arg(long, value_name = "FILE")]
    pub request: Option<PathBuf>,

    /// Let the request file name files to read (`drug_file`, `benzo_file`); without it
    /// such a field is refused, since a request passed on by a pipeline could name any
    /// file.
    #[arg(long, requires = "request")]
    pub allow_files: bool,

    /// Exit with code 4 when the plan needs review (a `danger` warning), after writing
    /// it: for pipelines that must not pass such a plan on unseen.
    #[arg(long)]
    pub strict: bool,

    /// The plan's identifier (letters, digits, `-`, `.`; at most 40): calendar UIDs and
    /// FHIR ids derive from it. Give one for reproducible output [default: random].
    #[arg(long, value_name = "ID")]
    pub plan_id: Option<String>,

    /// Date of the first step, YYYY-MM-DD [default: today]. Step 0 keeps the current dose.
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,

    /// Length of each step: days or weeks, like `14d`, `2w`, `4w` [default: 4w].
    #[arg(long, value_name = "LEN")]
    pub every: Option<String>,

    /// Lengthen (or shorten) one step: `1=8w` makes step 1 last 8 weeks. Repeatable.
    #[arg(long = "hold", value_name = "STEP=LEN")]
    pub holds: Vec<String>,

    /// Each step removes this many percentage points of occupancy. Without --step-pp,
    /// --steps or --percent, the plan uses the fewest equal falls of at most 5 points.
    #[arg(long, value_name = "PP")]
    pub step_pp: Option<f64>,

    /// With --step-pp: put targets on multiples of the step (70, 65, 60 …).
    #[arg(long)]
    pub align: bool,

    /// N equal falls in occupancy from the starting dose to zero.
    #[arg(long, value_name = "N")]
    pub steps: Option<u32>,

    /// Proportional: each dose is this % below the one before.
    #[arg(long, value_name = "PCT")]
    pub percent: Option<f64>,

    /// Smallest non-zero dose to use (e.g. the least you can measure); the plan stops from there.
    #[arg(long, value_name = "DOSE", allow_hyphen_values = true)]
    pub min_dose: Option<String>,

    #[command(flatten)]
    pub curve: CurveArgs,

    #[command(flatten)]
    pub products: FormulationArgs,

    #[command(flatten)]
    pub ketamine: KetamineArgs,

    #[command(flatten)]
    pub print: PrintArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub csv: super::csv_args::CsvArgs,
}

/// Which occupancy curve to use.
#[derive(Debug, Default, Args)]
pub struct CurveArgs {
    /// Which fitted curve of the drug (brain region); the default is per drug and named in the output.
    #[arg(long, value_name = "NAME")]
    pub region: Option<String>,

    /// Use this curve's plateau (%) instead of the catalog's; needs --ed50.
    #[arg(long, value_name = "PCT")]
    pub emax: Option<f64>,

    /// Use this curve's half-maximal dose (mg/day) instead of the catalog's; needs --emax.
    #[arg(long, value_name = "MG", allow_hyphen_values = true)]
    pub ed50: Option<String>,

    /// Hill coefficient for --emax/--ed50 [default: 1].
    #[arg(long, value_name = "N")]
    pub hill: Option<f64>,

    /// Add or replace a drug from a catalog file (format: schedules/README.md). Repeatable.
    #[arg(long = "drug-file", value_name = "FILE")]
    pub drug_files: Vec<PathBuf>,
}

#[derive(Debug, Default, Args)]
pub struct OutputArgs {
    /// Output format [default: from the -o file's extension (.csv, .json, .md, .html,
    /// .ics), else table].
    #[arg(long, value_parser = super::choice::<Format>())]
    pub format: Option<Format>,

    /// Write to FILE instead of stdout (`-` is stdout). The file is replaced atomically.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl OutputArgs {
    /// `--format`, or the one the output file's extension names, or table: so
    /// `-o plan.csv` writes CSV rather than a table in a file called .csv, and
    /// `-o plan.pdf` is refused (exit 2) with the command that makes a PDF.
    pub fn format(&self) -> taper::Result<Format> {
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
        match self.format.or_else(by_extension) {
            Some(format) => Ok(format),
            None => super::other_formats::refuse(self.output.as_deref()).map(|()| Format::Table),
        }
    }
}

impl PlanArgs {
    /// The flags as a raw request, for `taper::request` to check.
    pub fn raw(&self) -> taper::Result<RawRequest> {
        let mut raw = RawRequest {
            drug: self.drug.clone(),
            plan_id: self.plan_id.clone(),
            from: match &self.from {
                Some(from) => Some(Amount::Text(dose_text(from, &self.stray)?)),
                None => {
                    refuse_stray(&self.stray)?;
                    None
                }
            },
            start: self.start.clone(),
            every: self.every.clone(),
            hold: self.holds.clone(),
            step_pp: self.step_pp,
            align: self.align,
            steps: self.steps,
            percent: self.percent,
            min_dose: self.min_dose.clone().map(Amount::Text),
            region: self.curve.region.clone(),
            emax: self.curve.emax,
            ed50: self.curve.ed50.clone().map(Amount::Text),
            hill: self.curve.hill,
            drug_file: self.curve.drug_files.clone(),
            ..RawRequest::default()
        };
        self.products.fill(&mut raw);
        self.ketamine.fill(&mut raw);
        self.print.fill(&mut raw);
        Ok(raw)
    }
}

/// `--from 20 mg` arrives as `--from 20` plus a stray `mg`: join a lone unit back on.
fn dose_text(from: &str, stray: &[String]) -> taper::Result<String> {
    match stray {
        [unit]
            if from.trim().parse::<f64>().is_ok()
                && taper::units::DOSE_UNIT_WORDS.contains(&unit.to_lowercase().as_str()) =>
        {
            Ok(format!("{from}{unit}"))
        }
        _ => refuse_stray(stray).map(|()| from.to_string()),
    }
}

fn refuse_stray(stray: &[String]) -> taper::Result<()> {
    match stray.first() {
        None => Ok(()),
        Some(word) => Err(taper::Error::input(format!(
            "unexpected argument \"{word}\" after the drug name; options start with --, and a dose is written like --from 20mg"
        ))),
    }
}
