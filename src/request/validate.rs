//! Every rule of a request (with [`super::products`] and [`super::ketamine`]), in one place: what is required, what conflicts, what each
//! value may be, and which options need others to have any effect. An option that
//! would do nothing is refused, never silently dropped.
//!
//! Messages are written with flags (`--tablets`); [`super::Spelling::respell`] turns
//! them into request fields for options that came from JSON.

use super::choice::choose;
use super::raw::{Amount, RawRequest};
use super::{OutputRequest, Request, Spelling};
use crate::error::{Error, Problem, Result};
use crate::formulation::Daily;
use crate::guardrails::Guardrails;
use crate::ideal::{CustomCurve, PlanRequest};
use crate::model::RequestDocument;
use crate::render::{Format, IcsTitles, PrintOptions};
use crate::rules::StepRule;
use crate::units::{self, Mg};
use jiff::civil::Date;

pub(super) fn conflict(field: &str, message: String) -> Error {
    Error::field(Problem::Conflict, field, message)
}

pub(super) fn no_effect(field: &str, message: String) -> Error {
    Error::field(Problem::NoEffect, field, message)
}

pub(super) fn invalid(field: &str) -> impl Fn(Error) -> Error + '_ {
    move |err| {
        Error::field(
            Problem::InvalidValue,
            field,
            format!("--{}: {err}", field.replace('_', "-")),
        )
    }
}

/// The whole request, for a plan written as `output` says.
pub(super) fn request(
    raw: &RawRequest,
    output: &super::OutputChoice,
    spelling: &Spelling,
) -> Result<Request> {
    super::budget::check(raw)?;
    for (field, files) in [
        ("drug_file", &raw.drug_file),
        ("benzo_file", &raw.benzo_file),
    ] {
        if files.iter().any(|f| f.as_os_str().is_empty()) {
            return Err(Error::field(
                Problem::InvalidValue,
                field,
                format!(
                    "--{} is empty; give the path of the file, or leave it out",
                    field.replace('_', "-")
                ),
            ));
        }
    }
    let format = output.format;
    let csv = super::csv_options(output)?;
    let plan = plan(raw)?;
    let products = super::products::products(raw)?;
    let daily = match (raw.daily, raw.strips) {
        (true, strips) => Some(Daily { strips }),
        (false, true) => {
            return Err(no_effect(
                "strips",
                "--strips groups the days of --daily into strips; add --daily or leave --strips out".into(),
            ));
        }
        (false, false) => None,
    };
    let ketamine = super::ketamine::ketamine_request(raw)?;
    let print = print(
        raw,
        format,
        "printouts, the handout and FHIR (--format html, markdown, handout or fhir)",
    )?;
    let plan_id = match &raw.plan_id {
        Some(id) => crate::identity::check(id)?,
        None => crate::identity::generate(),
    };
    let source = recorded(raw, &plan, &plan_id)?;
    Ok(Request {
        plan_id,
        source,
        plan,
        drug_files: raw.drug_file.clone(),
        products,
        daily,
        ketamine,
        output: OutputRequest { format, print, csv },
        spelling: spelling.clone(),
    })
}

/// What the plan document records of `raw`: the request as given, with the two things
/// a later run could resolve differently (today's date, a random id) written in, and
/// doses as numbers of mg, so "20mg" and 20 record the same request. A request that
/// already reads so (as `taper batch` lines usually do) is written as it is, uncopied.
fn recorded(raw: &RawRequest, plan: &PlanRequest, plan_id: &str) -> Result<RequestDocument> {
    let start = plan.start.to_string();
    let is_mg = |a: &Amount| matches!(a, Amount::Mg(_));
    let as_recorded = raw.plan_id.as_deref() == Some(plan_id)
        && raw.start.as_deref() == Some(start.as_str())
        && raw.from.as_ref().is_some_and(is_mg)
        && raw.min_dose.as_ref().is_none_or(is_mg)
        && raw.ed50.as_ref().is_none_or(is_mg)
        && raw.benzo_dose.iter().all(is_mg);
    if as_recorded {
        return raw.document();
    }
    let mg = |amount: &Amount, field| dose(field, amount).map(|d| Amount::Mg(d.get()));
    RawRequest {
        plan_id: Some(plan_id.to_string()),
        start: Some(start),
        from: Some(Amount::Mg(plan.from.get())),
        min_dose: plan.min_dose.map(|d| Amount::Mg(d.get())),
        ed50: raw.ed50.as_ref().map(|a| mg(a, "ed50")).transpose()?,
        benzo_dose: raw
            .benzo_dose
            .iter()
            .map(|a| mg(a, "benzo_dose"))
            .collect::<Result<_>>()?,
        ..raw.clone()
    }
    .document()
}

pub(super) fn dose(field: &str, amount: &Amount) -> Result<Mg> {
    let mg = any_dose(field, amount)?;
    // After unit conversion: "0.<323 zeros>3mcg" is 0 mg, "1e308" would print as inf.
    if !(crate::limits::MIN_DOSE_MG..=crate::limits::MAX_DOSE_MG).contains(&mg.get()) {
        return Err(Error::field(
            Problem::InvalidValue,
            field,
            format!(
                "--{} is {} mg, outside what taper accepts for a daily dose or strength ({} mg to {} mg); check the number and its unit",
                field.replace('_', "-"),
                mg.get(),
                crate::limits::MIN_DOSE_MG,
                crate::limits::MAX_DOSE_MG
            ),
        ));
    }
    Ok(mg)
}

fn any_dose(field: &str, amount: &Amount) -> Result<Mg> {
    match amount {
        Amount::Text(text) => units::parse_dose(text).map_err(invalid(field)),
        Amount::Mg(mg) => Mg::new(*mg).ok_or_else(|| {
            Error::field(
                Problem::InvalidValue,
                field,
                format!(
                    "--{} {mg} must be a finite number of mg above 0, like 20",
                    field.replace('_', "-")
                ),
            )
        }),
    }
}

fn plan(raw: &RawRequest) -> Result<PlanRequest> {
    let drug = match raw.drug.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => {
            return Err(Error::field(
                Problem::Missing,
                "drug",
                "no drug given; name one, like `taper plan citalopram --from 20mg` (in a request: \"drug\": \"citalopram\")",
            ));
        }
    };
    let from = match &raw.from {
        Some(amount) => dose("from", amount)?,
        None => {
            return Err(Error::field(
                Problem::Missing,
                "from",
                "no starting dose given; add --from, like --from 20mg",
            ));
        }
    };
    let rule = match (raw.step_pp, raw.steps, raw.percent) {
        (Some(pp), None, None) => Some(StepRule::StepPp {
            pp,
            align: raw.align,
        }),
        (None, Some(count), None) => Some(StepRule::Steps { count }),
        (None, None, Some(percent)) => Some(StepRule::Percent { percent }),
        (None, None, None) => None,
        _ => {
            let field = if raw.step_pp.is_some() {
                "steps"
            } else {
                "percent"
            };
            return Err(conflict(
                field,
                "give only one of --step-pp, --steps and --percent".into(),
            ));
        }
    };
    if let Some(rule) = rule {
        let field = match rule {
            StepRule::StepPp { .. } => "step_pp",
            StepRule::Steps { .. } => "steps",
            StepRule::Percent { .. } => "percent",
        };
        rule.validate()
            .map_err(|e| Error::field(Problem::InvalidValue, field, e.to_string()))?;
    }
    if raw.align && raw.step_pp.is_none() {
        return Err(no_effect(
            "align",
            "--align puts the targets of --step-pp on multiples of the step; add --step-pp or leave --align out".into(),
        ));
    }
    Ok(PlanRequest {
        drug,
        from,
        start: start_date(raw.start.as_deref())?,
        every_days: match raw.every.as_deref() {
            Some(text) => units::parse_length(text).map_err(invalid("every"))?,
            // The long end of the Maudsley Prescribing Guidelines' 2–4 weeks.
            None => std::num::NonZeroU32::new(Guardrails::embedded()?.default_step_length.days)
                .ok_or_else(|| {
                    Error::Runtime("schedules/guardrails.toml: a default step of 0 days".into())
                })?,
        },
        rule,
        region: raw.region.clone(),
        custom_curve: custom_curve(raw)?,
        holds: raw
            .hold
            .iter()
            .map(|h| crate::schedule::parse_hold(h).map_err(|e| retag(e, "hold")))
            .collect::<Result<_>>()?,
        min_dose: raw
            .min_dose
            .as_ref()
            .map(|a| dose("min_dose", a))
            .transpose()?,
    })
}

/// `err` (already naming its option) marked as about `field`.
pub(super) fn retag(err: Error, field: &str) -> Error {
    Error::field(Problem::InvalidValue, field, err.to_string())
}

/// `--start`, or today in the system's time zone.
pub fn start_date(text: Option<&str>) -> Result<Date> {
    match text {
        Some(text) => units::parse_date(text).map_err(invalid("start")),
        None => Ok(jiff::Zoned::now().date()),
    }
}

fn custom_curve(raw: &RawRequest) -> Result<Option<CustomCurve>> {
    if raw.region.is_some() && (raw.emax.is_some() || raw.ed50.is_some()) {
        return Err(conflict(
            "region",
            "--region picks one of the catalog's curves, --emax/--ed50 replace them; give one or the other".into(),
        ));
    }
    if raw.hill.is_some() && raw.emax.is_none() {
        return Err(no_effect(
            "hill",
            "--hill shapes a curve given with --emax and --ed50; add them or leave --hill out"
                .into(),
        ));
    }
    if let Some(emax) = raw.emax
        && !(emax.is_finite() && emax > 0.0 && emax <= 100.0)
    {
        return Err(Error::field(
            Problem::InvalidValue,
            "emax",
            format!(
                "--emax {emax} is not an occupancy: it must be above 0 and at most 100 (%); published fits above 100 are fitting artefacts, and the catalog's curves carry them as published"
            ),
        ));
    }
    match (raw.emax, &raw.ed50) {
        (Some(emax_pct), Some(ed50)) => Ok(Some(CustomCurve {
            emax_pct,
            ed50_mg: dose("ed50", ed50)?.get(),
            hill: raw.hill.unwrap_or(1.0),
        })),
        (None, None) => Ok(None),
        (Some(_), None) => Err(Error::field(
            Problem::Missing,
            "ed50",
            "--emax needs --ed50 (the curve's half-maximal dose); give both or neither",
        )),
        (None, Some(_)) => Err(Error::field(
            Problem::Missing,
            "emax",
            "--ed50 needs --emax (the curve's plateau); give both or neither",
        )),
    }
}

/// Who the printout is for and what calendars add, for a command without a request
/// (`taper ketamine`): each refused where `format` does not show it, as in a request.
pub fn print_options(raw: &RawRequest, format: Format) -> Result<PrintOptions> {
    // taper ketamine writes no FHIR, so its refusal names only what it writes.
    print(
        raw,
        format,
        "printouts and the handout (--format html, markdown or handout)",
    )
}

/// Who the printout is for and what calendars add; each only where `format` shows it.
pub(super) fn print(raw: &RawRequest, format: Format, shown_on: &str) -> Result<PrintOptions> {
    let shows_names = matches!(
        format,
        Format::Html | Format::Markdown | Format::Handout | Format::Fhir
    );
    for (field, given) in [
        ("patient", raw.patient.is_some()),
        ("prescriber", raw.prescriber.is_some()),
    ] {
        if given && !shows_names {
            return Err(no_effect(
                field,
                format!(
                    "--{field} is shown on {shown_on}, not in {}; change the format or leave it out",
                    format_name(format)
                ),
            ));
        }
    }
    if raw.contact.is_some() && format != Format::Handout {
        return Err(no_effect(
            "contact",
            format!(
                "--contact is shown on the patient's handout (--format handout), not in {}; change the format or leave it out",
                format_name(format)
            ),
        ));
    }
    for (field, given) in [
        ("remind", raw.remind.is_some()),
        ("ics_titles", raw.ics_titles.is_some()),
    ] {
        if given && format != Format::Ics {
            return Err(no_effect(
                field,
                format!(
                    "--{} is for calendars (--format ics), not {}; change the format or leave it out",
                    field.replace('_', "-"),
                    format_name(format)
                ),
            ));
        }
    }
    let remind = match &raw.remind {
        Some(text) => {
            let times = units::parse_times(text).map_err(invalid("remind"))?;
            match times[..] {
                [time] => Some(time),
                _ => {
                    return Err(Error::field(
                        Problem::InvalidValue,
                        "remind",
                        "--remind takes one time, like 08:00",
                    ));
                }
            }
        }
        None => None,
    };
    let titles = raw
        .ics_titles
        .as_deref()
        .map(|t| choose::<IcsTitles>("ics_titles", t))
        .transpose()?;
    Ok(PrintOptions {
        patient: raw.patient.clone(),
        prescriber: raw.prescriber.clone(),
        contact: raw.contact.clone(),
        made_on: None,
        remind,
        ics_titles_full: titles == Some(IcsTitles::Full),
        journal: None,
    })
}

pub(super) fn format_name(format: Format) -> &'static str {
    use super::choice::Choice;
    Format::CHOICES
        .iter()
        .find(|(_, f)| *f == format)
        .map_or("this format", |(name, _)| name)
}
