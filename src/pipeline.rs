//! The whole pipeline, from a checked [`Request`] to a [`Plan`]: what the binary,
//! `taper batch`, the benchmarks and a Rust user call.
//!
//! Each stage returns its part and none mutates a half-built plan: the ideal steps
//! ([`crate::ideal`]), the products ([`crate::formulation`]), the checks on the final
//! steps ([`crate::checks`]), the ketamine section ([`crate::ketamine`]); the plan is
//! assembled last ([`Plan::assemble`]).

use crate::catalog::{BenzoCatalog, Catalog};
use crate::checks;
use crate::error::{Error, Problem, Result};
use crate::formulation::{self, IdealSteps};
use crate::ketamine::KetamineRequest;
use crate::model::DrugOrigin;
use crate::plan::{Parts, Plan};
use crate::request::Request;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The built-in catalogs, parsed once and shared by every request (of a batch, say).
/// Drug and benzodiazepine files named by a request are read for that request only.
/// The benzodiazepines are parsed the first time a request has ketamine sessions:
/// most plans never need them, and a single plan's run time is mostly start-up.
pub struct Catalogs {
    pub drugs: Catalog,
    benzos: OnceLock<BenzoCatalog>,
}

impl Catalogs {
    /// The catalogs built into taper (`schedules/`).
    pub fn embedded() -> Result<Catalogs> {
        Ok(Catalogs {
            drugs: Catalog::embedded()?,
            benzos: OnceLock::new(),
        })
    }

    /// The catalogs for one plan of `drug`: only its own entry when it is named as its
    /// file is, else the whole catalog (a single plan's run time is mostly parsing
    /// the catalog; a batch, which plans many drugs, uses [`Catalogs::embedded`]).
    pub fn for_drug(drug: &str) -> Result<Catalogs> {
        let drugs = match Catalog::embedded_only(drug)? {
            Some(one) => one,
            None => Catalog::embedded()?,
        };
        Ok(Catalogs {
            drugs,
            benzos: OnceLock::new(),
        })
    }

    /// The built-in benzodiazepines.
    pub fn benzos(&self) -> Result<&BenzoCatalog> {
        if let Some(benzos) = self.benzos.get() {
            return Ok(benzos);
        }
        let parsed = BenzoCatalog::embedded_benzos()?;
        // Another thread may have parsed them first; either copy is the same.
        Ok(self.benzos.get_or_init(|| parsed))
    }
}

/// Computes the plan `request` asks for.
///
/// ```
/// let catalogs = taper::Catalogs::embedded().unwrap();
/// let request = taper::request::from_json(
///     r#"{"drug": "citalopram", "from": "20mg", "start": "2027-01-04", "step_pp": 10, "align": true}"#,
/// )
/// .unwrap();
/// let plan = taper::make_plan(&catalogs, &request).unwrap();
/// assert_eq!(plan.steps.last().unwrap().dose_mg, 0.0);
/// ```
pub fn make_plan(catalogs: &Catalogs, request: &Request) -> Result<Plan> {
    stages(catalogs, request).map_err(|err| request.spelling.respell(err))
}

fn stages(catalogs: &Catalogs, request: &Request) -> Result<Plan> {
    let with_files;
    let (catalog, label) = if request.drug_files.is_empty() {
        (&catalogs.drugs, DrugOrigin::BuiltIn)
    } else {
        let (loaded, label) = with_drug_files(&request.drug_files, Some(&request.plan.drug))?;
        if label == DrugOrigin::BuiltIn {
            return Err(Error::field(
                Problem::NoEffect,
                "drug_file",
                format!(
                    "no --drug-file given defines {}, so they would change nothing in this plan; leave them out or name the drug they define",
                    request.plan.drug
                ),
            ));
        }
        with_files = loaded;
        (&with_files, label)
    };
    let (entry, lookup_error) = match catalog.find(&request.plan.drug) {
        Ok(entry) => (Some(entry), None),
        Err(err) => (
            None,
            Some(
                crate::catalog::known_without_curve(&request.plan.drug)
                    .unwrap_or_else(|| err.to_string()),
            ),
        ),
    };
    let ideal = crate::ideal::ideal(entry, lookup_error, &request.plan, &label)?;
    let other_regions = crate::regions::compare(entry, &request.plan, &ideal)?;
    if request.daily.is_some() {
        check_daily_days(&ideal.steps)?;
    }
    let start_dose_mg = request.plan.from.get();
    let ideal_steps = IdealSteps {
        steps: &ideal.steps,
        start_dose_mg,
        curve: &ideal.curve,
    };

    let mut warnings = Vec::new();
    let (mut steps, formulation, dispense, daily, held) = match &request.products {
        Some(products) => {
            let rounded = formulation::choose_kit(&ideal_steps, products, request.daily, entry)?;
            warnings.extend(rounded.warnings);
            (
                rounded.steps,
                Some(rounded.info),
                Some(rounded.dispense),
                rounded.daily,
                rounded.held,
            )
        }
        None => {
            let daily = match request.daily {
                Some(daily) => Some(formulation::daily_rows(
                    &ideal.curve,
                    start_dose_mg,
                    &ideal.steps,
                    None,
                    daily.strips,
                    true,
                )?),
                None => None,
            };
            (ideal.steps.clone(), None, None, daily, None)
        }
    };

    check_holds_reached(&request.plan.holds, &ideal.steps, &steps)?;

    let context = checks::Context {
        guardrails: crate::guardrails::Guardrails::embedded()?,
        entry,
        not_in_catalog: ideal.not_in_catalog.as_deref(),
        rule: ideal.rule.rule,
        start_occupancy_pct: ideal.start_occupancy_pct,
        every_days: request.plan.every_days.get(),
        min_dose_mg: ideal.rule.min_dose_mg,
        curve: &ideal.curve_info,
        custom_curve: request.plan.custom_curve,
        origin: &label,
        market: request.products.as_ref().map(|p| p.market),
        rounded: formulation.is_some(),
    };
    // The checks' warnings come first, then the products' and the sessions', as before.
    let mut all_warnings = checks::run(&context, &mut steps);
    all_warnings.extend(other_regions);
    all_warnings.append(&mut warnings);

    let ketamine = match ketamine_section(catalogs, request, &steps, daily.as_deref())? {
        Some((section, session_warnings)) => {
            all_warnings.extend(session_warnings);
            Some(section)
        }
        None => None,
    };

    Ok(Plan::assemble(Parts {
        plan_id: request.plan_id.clone(),
        revision: 1,
        request: request.source.clone(),
        revisions: Vec::new(),
        cancelled: Vec::new(),
        notice: match request.plan.custom_curve {
            Some(_) => crate::model::USER_CURVE_NOTICE,
            None => crate::model::REVIEW_NOTICE,
        },
        drug: ideal.drug,
        curve: ideal.curve_info,
        rule: ideal.rule,
        start_dose_mg,
        steps,
        held,
        formulation,
        dispense,
        daily,
        ketamine,
        warnings: all_warnings,
    }))
}

/// The ketamine section for the request's sessions over the plan's final `steps` (and
/// `--daily` rows), with its warnings; `None` without sessions. A re-plan calls it on
/// the whole revised plan, history and new steps together.
pub fn ketamine_section(
    catalogs: &Catalogs,
    request: &Request,
    steps: &[crate::model::Step],
    daily: Option<&[formulation::DailyRow]>,
) -> Result<Option<(crate::ketamine::KetamineSection, Vec<crate::model::Warning>)>> {
    let Some(ketamine) = &request.ketamine else {
        return Ok(None);
    };
    let daily_doses: Option<Vec<_>> =
        daily.map(|rows| rows.iter().map(|r| (r.date, r.dose_mg)).collect());
    let change_days = crate::ketamine::change_days(steps, daily_doses.as_deref());
    let builtin = catalogs.benzos()?;
    let benzos = with_benzo_files(builtin, ketamine)?;
    crate::ketamine::build(
        ketamine,
        benzos.as_ref().unwrap_or(builtin),
        request.plan.start,
        Some(&change_days),
    )
    .map(Some)
}

/// A `--hold` lengthens a step's dose. One on an ideal step the final plan never
/// doses (the stop itself, the steps after an early stop, or those after a plan that
/// ends held) would change nothing: refused, never dropped in silence (issue 15).
fn check_holds_reached(
    holds: &[crate::schedule::Hold],
    ideal: &[crate::model::Step],
    steps: &[crate::model::Step],
) -> Result<()> {
    let Some(last) = steps.last() else {
        return Ok(());
    };
    let stops = last.dose_mg == 0.0;
    for hold in holds {
        let Some(held) = ideal.get(hold.step) else {
            continue;
        };
        let unreached = if stops {
            held.start_date >= last.start_date
        } else {
            held.start_date > last.end_date
        };
        if !unreached {
            continue;
        }
        let ends = if stops {
            format!(
                "the plan stops on {} (its step {})",
                last.start_date, last.step
            )
        } else {
            format!(
                "with these products the plan ends at step {}, {} mg held from {}",
                last.step,
                crate::text::fmt_dose(last.dose_mg),
                last.start_date
            )
        };
        return Err(Error::field(
            Problem::NoEffect,
            "hold",
            format!(
                "--hold {}=… would change nothing: {ends}, so the curve's step {} (from {}) is not in it; leave it out or hold an earlier step",
                hold.step, hold.step, held.start_date
            ),
        ));
    }
    Ok(())
}

/// A `--daily` plan has a row (an event, an instruction) per day: refused over
/// [`crate::limits::MAX_DAILY_DAYS`] before any row is made.
fn check_daily_days(steps: &[crate::model::Step]) -> Result<()> {
    let (Some(first), Some(last)) = (steps.first(), steps.last()) else {
        return Ok(());
    };
    let days = last
        .end_date
        .since(first.start_date)
        .map_or(i64::MAX, |span| i64::from(span.get_days()));
    if days >= crate::limits::MAX_DAILY_DAYS {
        return Err(crate::limits::over(
            "daily",
            format!(
                "--daily would make a row for each of {} days, more than taper's limit of {} (eleven years); use fewer or shorter steps (--steps, --every) or leave --daily out",
                days.saturating_add(1),
                crate::limits::MAX_DAILY_DAYS
            ),
        ));
    }
    Ok(())
}

/// The built-in catalog plus drug files, and where `drug`'s entry came from.
pub fn with_drug_files(files: &[PathBuf], drug: Option<&str>) -> Result<(Catalog, DrugOrigin)> {
    let mut catalog = Catalog::embedded()?;
    let mut from_files: Vec<(String, &Path)> = Vec::new();
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
        Some((_, file)) => DrugOrigin::File(file.to_path_buf()),
        None => DrugOrigin::BuiltIn,
    };
    Ok((catalog, label))
}

/// The built-in benzodiazepines plus the request's `--benzo-file`s; `None` when there
/// are none (use the built-in catalog as it is). A file that defines none of the
/// request's benzodiazepines would change nothing, and is refused.
pub fn with_benzo_files(
    builtin: &BenzoCatalog,
    request: &KetamineRequest,
) -> Result<Option<BenzoCatalog>> {
    if request.benzo_files.is_empty() {
        return Ok(None);
    }
    let mut benzos = builtin.clone();
    for file in &request.benzo_files {
        let name = benzos.add_file(file)?;
        let used = request
            .regimens
            .iter()
            .any(|r| benzos.find(&r.drug).is_ok_and(|entry| entry.name == name));
        if !used {
            return Err(Error::field(
                Problem::NoEffect,
                "benzo_file",
                format!(
                    "--benzo-file {} defines {name}, which no --benzo names, so it would change nothing; leave it out or add --benzo {name}",
                    file.display()
                ),
            ));
        }
    }
    Ok(Some(benzos))
}
