//! The command line: clap definitions (help, completions, man page) and `run`, which
//! turns parsed arguments into a raw request, has the library check and plan it, and
//! writes the output. Every rule of a request is the library's (`taper::request`).

pub mod batch;
mod batch_input;
mod batch_json;
mod batch_steps;
mod csv_args;
mod formulation_args;
mod ketamine_args;
mod other_formats;
mod plan_args;
mod print_args;
mod replan;
mod request;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use ketamine_args::KetamineCmdArgs;
use plan_args::{OutputArgs, PlanArgs};
use std::path::PathBuf;
use taper::catalog::BenzoCatalog;
use taper::error::Result;
use taper::output;
use taper::plan::{Code, Plan, Warning};
use taper::render::{self, Format};
use taper::request::{Choice, RawRequest, Request, Spelling, choice_names};

/// A value parser for an option that takes one of `T`'s words.
pub fn choice<T: Choice + Send + Sync + Clone>() -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(choice_names::<T>()).try_map(|name: String| {
        T::CHOICES
            .iter()
            .find(|(word, _)| *word == name)
            .map(|(_, value)| *value)
            .ok_or_else(|| {
                format!(
                    "\"{name}\" is not one of {}",
                    choice_names::<T>().join(", ")
                )
            })
    })
}

/// Plan how to come off an antidepressant: hyperbolic tapers from SERT occupancy curves.
///
/// Every plan is for review with the prescriber.
#[derive(Debug, Parser)]
#[command(name = "taper", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compute a taper: dated steps that each remove the same SERT occupancy.
    Plan(Box<PlanArgs>),
    /// List the drugs of the catalog, their curves, sources and evidence levels.
    Drugs(DrugsArgs),
    /// List the catalog's products by market: release forms, what labels allow, sources.
    Products(ProductsArgs),
    /// Show a drug's dose ↔ occupancy table over its usual dose range.
    Curve(CurveArgs),
    /// List the benzodiazepines and Z-drugs: half-lives, diazepam equivalents, sources.
    Benzos(BenzosArgs),
    /// Ketamine sessions and benzodiazepine hold windows, without an antidepressant taper.
    Ketamine(Box<KetamineCmdArgs>),
    /// What a plan says for one day: the dose, how to take it, days to the next change,
    /// and any benzodiazepine dose to hold before a session (from `--format json`).
    Today(TodayArgs),
    /// The next revision of a plan from where the patient is: hold the dose, go back to
    /// a tolerated one, or go on from the dose the patient is on (from `--format json`).
    Replan(Box<replan::ReplanArgs>),
    /// The dose and symptom journal: `taper journal template` writes a blank one with
    /// the plan's days, for a spreadsheet.
    #[command(subcommand)]
    Journal(JournalCommand),
    /// Plan many requests: JSON Lines in, JSON Lines out, in order (exit 3 if some fail).
    Batch(batch::BatchArgs),
    /// Print the JSON Schema of a request or of the plan document.
    Schema(SchemaArgs),
    /// Print shell completions for bash, zsh, fish, elvish or powershell.
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    Man,
}

#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// A blank journal CSV: one row per planned day (date, planned dose mg, dose taken
    /// mg, symptom score 0-10, note), to fill in day by day.
    Template(JournalTemplateArgs),
}

#[derive(Debug, Args)]
pub struct JournalTemplateArgs {
    /// The plan document, as `taper plan … --format json` wrote it (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,

    /// Write to FILE instead of stdout (`-` is stdout). The file is replaced atomically.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TodayArgs {
    /// The plan document, as `taper plan … --format json` wrote it (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,

    /// The day, YYYY-MM-DD [default: today].
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,

    /// Output format: table (words) or json.
    #[arg(long, value_parser = choice::<Format>())]
    pub format: Option<Format>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which document: request (what `--request` and `taper batch` read) or plan (what
    /// `--format json` writes).
    #[arg(value_enum)]
    pub document: SchemaDocument,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaDocument {
    Request,
    Plan,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct BenzosArgs {
    /// Add or replace a benzodiazepine from a file. Repeatable.
    #[arg(long = "benzo-file", value_name = "FILE")]
    pub benzo_files: Vec<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct DrugsArgs {
    /// Add or replace a drug from a catalog file. Repeatable.
    #[arg(long = "drug-file", value_name = "FILE")]
    pub drug_files: Vec<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub csv: csv_args::CsvDialectArgs,
}

#[derive(Debug, Args)]
pub struct ProductsArgs {
    /// Only this drug's products (generic or brand name, any case).
    pub drug: Option<String>,

    /// Only this market's products.
    #[arg(long, value_parser = choice::<taper::catalog::Market>())]
    pub market: Option<taper::catalog::Market>,

    /// Add or replace a drug from a catalog file. Repeatable.
    #[arg(long = "drug-file", value_name = "FILE")]
    pub drug_files: Vec<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub csv: csv_args::CsvDialectArgs,
}

#[derive(Debug, Args)]
pub struct CurveArgs {
    /// Drug: generic or brand name, any case.
    pub drug: String,

    /// Which fitted curve (brain region); default per drug.
    #[arg(long, value_name = "NAME")]
    pub region: Option<String>,

    /// Add or replace a drug from a catalog file. Repeatable.
    #[arg(long = "drug-file", value_name = "FILE")]
    pub drug_files: Vec<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub csv: csv_args::CsvDialectArgs,
}

/// Runs one command; the exit code when it did not fail.
pub fn run(cli: Cli) -> Result<crate::exit_codes::ExitCode> {
    use crate::exit_codes::ExitCode;
    match cli.command {
        Command::Plan(args) => plan_command(*args),
        Command::Ketamine(args) => ketamine_command(&args).map(|()| ExitCode::Success),
        Command::Drugs(args) => {
            let format = args.output.format()?;
            let csv = taper::request::csv_options(&args.csv.choice(format, None))?;
            let (catalog, _) = taper::pipeline::with_drug_files(&args.drug_files, None)?;
            write(&args.output, &render::drugs(&catalog, format, &csv)?).map(|()| ExitCode::Success)
        }
        Command::Products(args) => {
            let format = args.output.format()?;
            let csv = taper::request::csv_options(&args.csv.choice(format, None))?;
            let (catalog, _) =
                taper::pipeline::with_drug_files(&args.drug_files, args.drug.as_deref())?;
            let rows = render::products::rows(&catalog, args.drug.as_deref(), args.market)?;
            write(
                &args.output,
                &render::products::render(&rows, format, &csv)?,
            )
            .map(|()| ExitCode::Success)
        }
        Command::Benzos(args) => {
            let benzos = load_benzos(&args.benzo_files)?;
            write(
                &args.output,
                &render::benzos(&benzos, args.output.format()?)?,
            )
            .map(|()| ExitCode::Success)
        }
        Command::Curve(args) => {
            let format = args.output.format()?;
            let csv = taper::request::csv_options(&args.csv.choice(format, None))?;
            let (catalog, label) =
                taper::pipeline::with_drug_files(&args.drug_files, Some(&args.drug))?;
            let entry = catalog.find(&args.drug)?;
            let table = taper::inspect::curve_table(entry, args.region.as_deref(), &label)?;
            write(&args.output, &render::curve(&table, format, &csv)?).map(|()| ExitCode::Success)
        }
        Command::Today(args) => today_command(&args).map(|()| ExitCode::Success),
        Command::Replan(args) => replan_command(&args),
        Command::Journal(JournalCommand::Template(args)) => {
            let text = read_plan(&args.plan)?;
            let journal = taper::journal::template(&text)?;
            output::write_output(args.output.as_deref(), &journal).map(|()| ExitCode::Success)
        }
        Command::Batch(args) => {
            let summary = batch::run(&args)?;
            eprintln!("{}", summary.line());
            Ok(if summary.failed > 0 {
                ExitCode::SomeLinesFailed
            } else {
                ExitCode::Success
            })
        }
        Command::Schema(args) => {
            let schema = match args.document {
                SchemaDocument::Request => taper::request::schema(),
                SchemaDocument::Plan => schemars::schema_for!(Plan).to_value(),
            };
            let text = serde_json::to_string_pretty(&schema)
                .map_err(|e| taper::Error::Runtime(e.to_string()))?;
            output::write_output(None, &(text + "\n")).map(|()| ExitCode::Success)
        }
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut text = Vec::new();
            clap_complete::generate(args.shell, &mut command, "taper", &mut text);
            output::write_output(None, &String::from_utf8_lossy(&text)).map(|()| ExitCode::Success)
        }
        Command::Man => {
            let mut text = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut text)
                .map_err(|e| {
                    taper::Error::Runtime(format!("could not render the man page: {e}"))
                })?;
            output::write_output(None, &String::from_utf8_lossy(&text)).map(|()| ExitCode::Success)
        }
    }
}

/// `taper plan`, from flags or a request file with flags beside it. With `--strict`, a
/// plan that needs review is written and then exits with its own code.
fn plan_command(args: PlanArgs) -> Result<crate::exit_codes::ExitCode> {
    use crate::exit_codes::ExitCode;
    let flags = args.raw()?;
    let (raw, spelling) = match &args.request {
        Some(path) => request::merge(request::read(path)?, &flags)?,
        None => (flags, Spelling::Flags),
    };
    let format = args.output.format()?;
    if let (Some(request), Some(output)) = (&args.request, &args.output.output)
        && request == output
        && request.as_os_str() != "-"
    {
        return Err(taper::Error::input(format!(
            "-o {} is the --request file; write the plan elsewhere",
            output.display()
        )));
    }
    let output = args.csv.choice(format);
    let request = match args.allow_files {
        true => Request::from_raw(&raw, output, spelling)?,
        false => Request::from_untrusted(&raw, output, spelling)?,
    };
    let catalogs = taper::Catalogs::for_drug(&request.plan.drug)?;
    let plan = taper::make_plan(&catalogs, &request)?;
    let out = &request.output;
    write(
        &args.output,
        &render::plan(&plan, format, &out.print, &out.csv)?,
    )?;
    if echo_warnings(&args.output) {
        echo(&plan.warnings);
    }
    Ok(
        match args.strict && plan.status == taper::plan::Status::NeedsReview {
            true => ExitCode::NeedsReview,
            false => ExitCode::Success,
        },
    )
}

/// `taper ketamine`: sessions and hold windows without a taper.
fn ketamine_command(args: &KetamineCmdArgs) -> Result<()> {
    let output = args.output.as_output();
    let format = output.format()?;
    let csv = taper::request::csv_options(&args.csv.choice(format))?;
    let mut raw = RawRequest::default();
    args.ketamine.fill(&mut raw);
    args.fill_print(&mut raw);
    let print = taper::request::print_options(&raw, format)?;
    let calendar_id = args.calendar_id(format)?;
    let Some(request) = taper::request::ketamine_request(&raw)? else {
        return Err(taper::Error::input(
            "taper ketamine needs at least one session: --ketamine 2027-02-03T10:00 or --ketamine-series FIRST,COUNT,EVERY",
        ));
    };
    let builtin = BenzoCatalog::embedded_benzos()?;
    let with_files = taper::pipeline::with_benzo_files(&builtin, &request)?;
    let start = taper::request::start_date(args.start.as_deref())?;
    let report = taper::ketamine::KetamineReport::build(
        &request,
        with_files.as_ref().unwrap_or(&builtin),
        start,
    )?;
    write(
        &output,
        &render::ketamine(&report, format, &print, &csv, &calendar_id)?,
    )?;
    if echo_warnings(&output) {
        echo(&report.warnings);
    }
    Ok(())
}

/// `taper replan`: the next revision of a plan document, written like a plan.
fn replan_command(args: &replan::ReplanArgs) -> Result<crate::exit_codes::ExitCode> {
    let format = args.output.format()?;
    let mut print = taper::request::replan_print_options(&args.print_raw(), format)?;
    let csv = taper::request::csv_options(&args.csv.choice(format))?;
    if let Some(path) = &args.journal {
        print.journal = Some(read_journal(path, format)?);
    }
    let change = args.change()?;
    let text = read_plan(&args.plan)?;
    let catalogs = taper::Catalogs::embedded()?;
    let plan = taper::replan::replan(&catalogs, &text, &change)?;
    write(&args.output, &render::plan(&plan, format, &print, &csv)?)?;
    if echo_warnings(&args.output) {
        echo(&plan.warnings);
    }
    Ok(crate::exit_codes::ExitCode::Success)
}

/// `--journal FILE`, read and checked line by line; only the HTML printout draws it.
fn read_journal(path: &std::path::Path, format: Format) -> Result<Vec<taper::journal::Entry>> {
    if format != Format::Html {
        return Err(taper::Error::input(
            "--journal is drawn on the HTML printout's chart (--format html); change the format or leave it out",
        ));
    }
    let name = path.display().to_string();
    let text = taper::limits::read_file_bounded(
        path,
        taper::limits::MAX_INPUT_BYTES,
        &format!("--journal {name}"),
    )?;
    taper::journal::parse(&name, &text)
}

/// A plan document from `--plan FILE` (`-` for stdin).
fn read_plan(path: &std::path::Path) -> Result<String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| {
            taper::Error::input(format!("--plan -: cannot read standard input ({e})"))
        })?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| {
        taper::Error::input(format!("--plan {}: cannot be read ({e})", path.display()))
    })
}

/// `taper today`: one day of a plan document.
fn today_command(args: &TodayArgs) -> Result<()> {
    let text = taper::limits::read_file_bounded(
        &args.plan,
        taper::limits::MAX_PLAN_BYTES,
        &format!("--plan {}", args.plan.display()),
    )?;
    let date = match &args.on {
        Some(text) => {
            taper::units::parse_date(text).map_err(|e| taper::Error::input(format!("--on: {e}")))?
        }
        None => jiff::Zoned::now().date(),
    };
    let today = taper::today::today(&text, date)?;
    let out = match args.format.unwrap_or(Format::Table) {
        Format::Table => taper::today::text(&today),
        Format::Json => serde_json::to_string_pretty(&today)
            .map(|s| s + "\n")
            .map_err(|e| taper::Error::Runtime(e.to_string()))?,
        _ => {
            return Err(taper::Error::input(
                "taper today writes --format table or json",
            ));
        }
    };
    output::write_output(None, &out)
}

fn write(output: &OutputArgs, text: &str) -> Result<()> {
    output::write_output(output.output.as_deref(), text)
}

/// Warnings are repeated on stderr when the output is not a table on the terminal
/// (a file or a machine format), so a person or a log still sees them.
fn echo_warnings(output: &OutputArgs) -> bool {
    output.format().is_ok_and(|f| f != Format::Table)
        || output.output.as_ref().is_some_and(|p| p.as_os_str() != "-")
}

/// Every warning but the curve's evidence level, which every plan carries; most
/// severe first, as in the plan.
fn echo(warnings: &[Warning]) {
    for w in warnings.iter().filter(|w| w.code != Code::CurveEvidence) {
        eprintln!(
            "warning: [{}] {}",
            w.code,
            taper::limits::escape_controls(&w.message)
        );
    }
}

/// The embedded benzodiazepine catalog plus `--benzo-file`s (for `taper benzos`,
/// which lists them all).
fn load_benzos(files: &[PathBuf]) -> Result<BenzoCatalog> {
    let mut benzos = BenzoCatalog::embedded_benzos()?;
    for file in files {
        benzos.add_file(file)?;
    }
    Ok(benzos)
}
