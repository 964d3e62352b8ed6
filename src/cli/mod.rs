//! The command line (DESIGN.md §1): clap definitions, and `run`, which turns parsed
//! arguments into a request, builds the output and writes it. `main.rs` only maps the
//! result to an exit code.

pub mod batch;
mod batch_input;
mod batch_json;
mod formulation_args;
mod ketamine_args;
mod plan_args;
mod print_args;
pub mod request;

pub use formulation_args::FormulationArgs;
pub use ketamine_args::{KetamineArgs, KetamineCmdArgs};
pub use plan_args::{CurveChoice, OutputArgs, PlanArgs, plan_request};
pub use print_args::PrintArgs;

use crate::catalog::{BenzoCatalog, Catalog};
use crate::error::Result;
use crate::output;
use crate::plan::Plan;
use crate::render::{self, Format};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

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
    /// Show a drug's dose ↔ occupancy table over its usual dose range.
    Curve(CurveArgs),
    /// List the benzodiazepines and Z-drugs: half-lives, diazepam equivalents, sources.
    Benzos(BenzosArgs),
    /// Ketamine sessions and benzodiazepine hold windows, without an antidepressant taper.
    Ketamine(Box<KetamineCmdArgs>),
    /// Plan many requests: JSON Lines in, JSON Lines out, in order (exit 3 if some fail).
    Batch(batch::BatchArgs),
    /// Print the JSON Schema of a request or of the plan document.
    Schema(SchemaArgs),
    /// Print shell completions for bash, zsh, fish, elvish or powershell.
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    Man,
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
}

/// Runs one command. Warnings that concern particular steps are repeated on stderr
/// when the plan goes to a file or a machine format, so they are not missed.
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Plan(args) => plan_command(*args).map(|()| 0),
        Command::Ketamine(args) => ketamine_command(&args).map(|()| 0),
        Command::Drugs(args) => {
            let (catalog, _) = load_catalog(&args.drug_files, None)?;
            write(
                &args.output,
                &render::drugs(&catalog, args.output.format())?,
            )
            .map(|()| 0)
        }
        Command::Benzos(args) => {
            let benzos = load_benzos(&args.benzo_files)?;
            write(
                &args.output,
                &render::benzos(&benzos, args.output.format())?,
            )
            .map(|()| 0)
        }
        Command::Curve(args) => {
            let (catalog, label) = load_catalog(&args.drug_files, Some(&args.drug))?;
            let entry = catalog.find(&args.drug)?;
            let table = crate::inspect::curve_table(entry, args.region.as_deref(), &label)?;
            write(&args.output, &render::curve(&table, args.output.format())?).map(|()| 0)
        }
        Command::Batch(args) => {
            let summary = batch::run(&args)?;
            eprintln!("{}", summary.line());
            Ok(if summary.failed > 0 {
                batch::SOME_LINES_FAILED
            } else {
                0
            })
        }
        Command::Schema(args) => {
            let schema = match args.document {
                SchemaDocument::Request => schemars::schema_for!(PlanArgs),
                SchemaDocument::Plan => schemars::schema_for!(Plan),
            };
            let text = serde_json::to_string_pretty(&schema)
                .map_err(|e| crate::Error::Runtime(e.to_string()))?;
            output::write_output(None, &(text + "\n")).map(|()| 0)
        }
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut text = Vec::new();
            clap_complete::generate(args.shell, &mut command, "taper", &mut text);
            output::write_output(None, &String::from_utf8_lossy(&text)).map(|()| 0)
        }
        Command::Man => {
            let mut text = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut text)
                .map_err(|e| {
                    crate::Error::Runtime(format!("could not render the man page: {e}"))
                })?;
            output::write_output(None, &String::from_utf8_lossy(&text)).map(|()| 0)
        }
    }
}

/// `taper plan`, from flags or a request file with flags beside it.
fn plan_command(args: PlanArgs) -> Result<()> {
    let args = match &args.request {
        Some(path) => {
            let mut merged = request::merge(&args, request::read(path)?, &request::known_fields())?;
            merged.stray = args.stray.clone();
            merged
        }
        None => args,
    };
    let plan = plan_from_args(&args, &mut Catalogs::default())?;
    let options = args.print.options()?;
    write(
        &args.output,
        &render::plan(&plan, args.output.format(), &options)?,
    )?;
    if echo_warnings(&args.output) {
        echo(&plan.warnings);
    }
    Ok(())
}

/// `taper ketamine`: sessions and hold windows without a taper.
fn ketamine_command(args: &KetamineCmdArgs) -> Result<()> {
    if !args.ketamine.is_used() {
        return Err(crate::Error::input(
            "taper ketamine needs at least one session: --ketamine 2027-02-03T10:00 or --ketamine-series FIRST,COUNT,EVERY",
        ));
    }
    let benzos = load_benzos(&args.ketamine.benzo_files)?;
    let start = plan_args::start_date(args.start.as_deref())?;
    let report = crate::ketamine::KetamineReport::build(&args.ketamine.request()?, &benzos, start)?;
    write(
        &args.output,
        &render::ketamine(&report, args.output.format())?,
    )?;
    if echo_warnings(&args.output) {
        echo(&report.warnings);
    }
    Ok(())
}

fn write(output: &OutputArgs, text: &str) -> Result<()> {
    output::write_output(output.output.as_deref(), text)
}

/// Warnings are repeated on stderr when the output is not a table on the terminal
/// (a file or a machine format), so a person or a log still sees them.
fn echo_warnings(output: &OutputArgs) -> bool {
    output.format() != Format::Table || output.output.as_ref().is_some_and(|p| p.as_os_str() != "-")
}

/// Every warning but the curve's evidence level, which every plan carries.
fn echo(warnings: &[crate::plan::Warning]) {
    for w in warnings.iter().filter(|w| w.code != "curve_evidence") {
        eprintln!("warning: [{}] {}", w.code, w.message);
    }
}

/// The embedded benzodiazepine catalog plus `--benzo-file`s.
fn load_benzos(files: &[PathBuf]) -> Result<BenzoCatalog> {
    let mut benzos = BenzoCatalog::embedded_benzos()?;
    for file in files {
        benzos.add_file(file)?;
    }
    Ok(benzos)
}

/// The built-in catalogs, parsed once and kept for every request of a batch.
#[derive(Default)]
pub struct Catalogs {
    drugs: Option<Catalog>,
    benzos: Option<BenzoCatalog>,
}

impl Catalogs {
    fn drugs(&mut self) -> Result<&Catalog> {
        loaded(&mut self.drugs, Catalog::embedded)
    }

    fn benzos(&mut self) -> Result<&BenzoCatalog> {
        loaded(&mut self.benzos, BenzoCatalog::embedded_benzos)
    }
}

/// The value in `slot`, loading it the first time.
fn loaded<T>(slot: &mut Option<T>, load: impl FnOnce() -> Result<T>) -> Result<&T> {
    match slot {
        Some(value) => Ok(value),
        None => Ok(slot.insert(load()?)),
    }
}

/// Everything `taper plan` computes for one request: the taper, rounded to products
/// when asked, with ketamine sessions when given. Drug files are read per request; the
/// built-in catalogs come from `catalogs`.
pub fn plan_from_args(args: &PlanArgs, catalogs: &mut Catalogs) -> Result<Plan> {
    let drug = args.drug.as_deref().ok_or_else(|| {
        crate::Error::input("the request names no drug; give one, like \"drug\": \"citalopram\"")
    })?;
    let with_files;
    let (catalog, label) = if args.curve.drug_files.is_empty() {
        (catalogs.drugs()?, crate::BUILT_IN_CATALOG.to_string())
    } else {
        let (loaded, label) = load_catalog(&args.curve.drug_files, Some(drug))?;
        with_files = loaded;
        (&with_files, label)
    };
    let request = plan_request(args)?;
    let mut plan = crate::plan::build_plan(catalog, &request, &label)?;
    let products = args.products.request()?;
    if products.is_used() {
        crate::formulation::choose_kit(&mut plan, &products, catalog.find(drug).ok())?;
    } else if products.daily {
        plan.daily = Some(crate::formulation::daily_rows(
            &plan,
            None,
            products.strips,
        )?);
    }
    if args.ketamine.is_used() {
        let ketamine = args.ketamine.request()?;
        if args.ketamine.benzo_files.is_empty() {
            crate::ketamine::attach(&mut plan, &ketamine, catalogs.benzos()?)?;
        } else {
            crate::ketamine::attach(
                &mut plan,
                &ketamine,
                &load_benzos(&args.ketamine.benzo_files)?,
            )?;
        }
    }
    Ok(plan)
}

/// The embedded catalog plus drug files; the label says where `drug`'s entry came from.
fn load_catalog(files: &[PathBuf], drug: Option<&str>) -> Result<(Catalog, String)> {
    let mut catalog = Catalog::embedded()?;
    let mut from_files = Vec::new();
    for file in files {
        from_files.push((catalog.add_drug_file(file)?, file));
    }
    let wanted = drug
        .and_then(|name| catalog.find(name).ok())
        .map(|d| d.name.clone());
    let label = match from_files
        .iter()
        .rev()
        .find(|(name, _)| Some(name) == wanted.as_ref())
    {
        Some((_, file)) => format!("drug file {}", file.display()),
        None => crate::BUILT_IN_CATALOG.to_string(),
    };
    Ok((catalog, label))
}
