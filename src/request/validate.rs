//! Every rule of a request, in one place: what is required, what conflicts, what each
//! value may be, and which options need others to have any effect. An option that
//! would do nothing is refused, never silently dropped.
//!
//! Messages are written with flags (`--tablets`); [`super::Spelling::respell`] turns
//! them into request fields for options that came from JSON.

use super::choice::choose;
use super::raw::{Amount, RawRequest};
use super::{OutputRequest, Request, Spelling};
use crate::error::{Error, Problem, Result};
use crate::formulation::{
    Daily, FormChoice, FormulationRequest, Split, parse_concentration, parse_volume_ml,
};
use crate::ideal::{CustomCurve, PlanRequest};
use crate::ketamine::{BenzoRegimen, HoldRule, KetamineRequest, TaperAs};
use crate::render::{Format, IcsTitles, PrintOptions};
use crate::rules::StepRule;
use crate::units::{self, Mg};
use jiff::ToSpan;
use jiff::civil::{Date, DateTime};

/// Step length when `--every` is not given: the long end of the 2–4 weeks between
/// reductions of the Maudsley Prescribing Guidelines.
pub const DEFAULT_EVERY: &str = "4w";

/// How much more occupancy than the plan's largest step a rounded step may remove, in
/// percent, when `--tolerance` is not given: a quarter of a step.
pub const DEFAULT_TOLERANCE_PCT: f64 = 25.0;

/// The hold before each session when `--benzo-hold` is not given: the esketamine
/// phase-3 trials' 12 hours (see `schedules/ketamine.toml`).
const DEFAULT_HOLD: &str = "12h";

/// The most sessions one series may generate: a guard against typos, not a protocol.
const MAX_SERIES: u32 = 100;

fn conflict(field: &str, message: String) -> Error {
    Error::field(Problem::Conflict, field, message)
}

fn no_effect(field: &str, message: String) -> Error {
    Error::field(Problem::NoEffect, field, message)
}

fn invalid(field: &str) -> impl Fn(Error) -> Error + '_ {
    move |err| {
        Error::field(
            Problem::InvalidValue,
            field,
            format!("--{}: {err}", field.replace('_', "-")),
        )
    }
}

/// The whole request, for a plan written as `format`.
pub(super) fn request(raw: &RawRequest, format: Format, spelling: &Spelling) -> Result<Request> {
    let plan = plan(raw)?;
    let products = products(raw)?;
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
    let ketamine = ketamine_request(raw)?;
    let print = print(raw, format)?;
    Ok(Request {
        plan,
        drug_files: raw.drug_file.clone(),
        products,
        daily,
        ketamine,
        output: OutputRequest { format, print },
        spelling: spelling.clone(),
    })
}

fn dose(field: &str, amount: &Amount) -> Result<Mg> {
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
        every_days: units::parse_length(raw.every.as_deref().unwrap_or(DEFAULT_EVERY))
            .map_err(invalid("every"))?,
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
fn retag(err: Error, field: &str) -> Error {
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

/// The products to round to, or `None` when none were named; options that only
/// shape a rounding are refused without one.
fn products(raw: &RawRequest) -> Result<Option<FormulationRequest>> {
    let named: Vec<&str> = [
        ("tablets", !raw.tablets.is_empty()),
        ("capsule", !raw.capsule.is_empty()),
        ("liquid", raw.liquid.is_some()),
        ("form", raw.form.is_some()),
    ]
    .into_iter()
    .filter_map(|(field, given)| given.then_some(field))
    .collect();
    if let [first, second, ..] = named[..] {
        return Err(conflict(
            second,
            format!(
                "give only one of --tablets, --capsule, --liquid and --form (got --{} and --{})",
                first, second
            ),
        ));
    }
    let form = raw
        .form
        .as_deref()
        .map(|f| choose::<FormChoice>("form", f))
        .transpose()?;
    let kind = named.first().copied();
    // Which kinds of product the rounding may use: an option for another kind does nothing.
    let may = |wanted: FormChoice| match kind {
        Some("tablets") => wanted == FormChoice::Tablet,
        Some("capsule") => wanted == FormChoice::Capsule,
        Some("liquid") => wanted == FormChoice::Liquid,
        Some(_) => matches!(form, Some(f) if f == wanted || f == FormChoice::Auto),
        None => false,
    };
    let needs = |field: &str, given: bool, ok: bool, what: &str| -> Result<()> {
        if given && !ok {
            return Err(no_effect(
                field,
                format!(
                    "--{} {what}; {}",
                    field.replace('_', "-"),
                    match kind {
                        None => "add products (--tablets, --capsule, --liquid or --form) or leave it out".to_string(),
                        Some(k) => format!("it does nothing with --{k} as given; leave it out"),
                    }
                ),
            ));
        }
        Ok(())
    };
    let any = kind.is_some();
    needs(
        "split",
        raw.split.is_some(),
        may(FormChoice::Tablet),
        "says how far tablets may be split",
    )?;
    needs(
        "beads_per_capsule",
        raw.beads_per_capsule.is_some(),
        may(FormChoice::Capsule),
        "counts beads in an opened capsule",
    )?;
    needs(
        "syringe",
        raw.syringe.is_some(),
        may(FormChoice::Liquid),
        "measures a liquid",
    )?;
    needs(
        "bottle",
        raw.bottle.is_some(),
        may(FormChoice::Liquid),
        "sizes a liquid's bottles",
    )?;
    needs(
        "market",
        raw.market.is_some(),
        any,
        "chooses whose products are listed",
    )?;
    needs(
        "tolerance",
        raw.tolerance.is_some(),
        any,
        "bounds how far rounded doses may fall",
    )?;
    needs(
        "dispense_every",
        raw.dispense_every.is_some(),
        any,
        "splits the products to dispense into periods",
    )?;
    if !any {
        return Ok(None);
    }
    let tolerance_pct = raw.tolerance.unwrap_or(DEFAULT_TOLERANCE_PCT);
    if !(tolerance_pct.is_finite() && (0.0..=100.0).contains(&tolerance_pct)) {
        return Err(Error::field(
            Problem::InvalidValue,
            "tolerance",
            "--tolerance must be a percentage from 0 to 100, like 25",
        ));
    }
    Ok(Some(FormulationRequest {
        market: raw
            .market
            .as_deref()
            .map(|m| choose("market", m))
            .transpose()?
            .unwrap_or(crate::catalog::Market::Us),
        form,
        tablets: raw.tablets.clone(),
        split: raw
            .split
            .as_deref()
            .map(|s| choose("split", s))
            .transpose()?
            .unwrap_or(Split::None),
        capsules: raw.capsule.clone(),
        beads_per_capsule: raw.beads_per_capsule,
        liquid_mg_per_ml: raw
            .liquid
            .as_deref()
            .map(|text| parse_concentration(text).map_err(|e| retag(e, "liquid")))
            .transpose()?,
        syringe_ml: raw
            .syringe
            .as_deref()
            .map(|text| parse_volume_ml(text).map_err(invalid("syringe")))
            .transpose()?,
        tolerance_pct,
        dispense_every_days: raw
            .dispense_every
            .as_deref()
            .map(|text| units::parse_length(text).map_err(invalid("dispense_every")))
            .transpose()?,
        bottle_ml: raw
            .bottle
            .as_deref()
            .map(|text| parse_volume_ml(text).map_err(invalid("bottle")))
            .transpose()?,
    }))
}

/// The ketamine sessions and benzodiazepine regimens, or `None` when no session or
/// benzodiazepine was named; hold options are refused without a benzodiazepine to hold.
pub fn ketamine_request(raw: &RawRequest) -> Result<Option<KetamineRequest>> {
    let has_sessions = !(raw.ketamine.is_empty() && raw.ketamine_series.is_empty());
    let has_benzos = !raw.benzo.is_empty();
    let orphan = [
        ("benzo_dose", !raw.benzo_dose.is_empty()),
        ("benzo_times", !raw.benzo_times.is_empty()),
        ("benzo_hold", raw.benzo_hold.is_some()),
        ("benzo_after", raw.benzo_after.is_some()),
        ("equivalence", raw.equivalence.is_some()),
        ("benzo_taper", raw.benzo_taper.is_some()),
        ("benzo_taper_as", raw.benzo_taper_as.is_some()),
        ("benzo_file", !raw.benzo_file.is_empty()),
    ];
    if !has_benzos && let Some((field, _)) = orphan.iter().find(|(_, given)| *given) {
        return Err(no_effect(
            field,
            format!(
                "--{} concerns a benzodiazepine taken daily, and none was given; add --benzo DRUG --benzo-dose DOSE --benzo-times HH:MM or leave it out",
                field.replace('_', "-")
            ),
        ));
    }
    if raw.benzo_taper_as.is_some() && raw.benzo_taper.is_none() {
        return Err(no_effect(
            "benzo_taper_as",
            "--benzo-taper-as says which drug a --benzo-taper is written in; add --benzo-taper or leave it out".into(),
        ));
    }
    if !has_sessions && !has_benzos {
        return Ok(None);
    }
    if has_benzos && !has_sessions {
        return Err(Error::field(
            Problem::Missing,
            "ketamine",
            "--benzo needs at least one ketamine session (--ketamine 2027-02-03T10:00 or --ketamine-series) to lay out the hold window",
        ));
    }
    let (n, doses, times) = (raw.benzo.len(), raw.benzo_dose.len(), raw.benzo_times.len());
    if doses != n || times != n {
        let field = if doses != n {
            "benzo_dose"
        } else {
            "benzo_times"
        };
        return Err(Error::field(
            Problem::Missing,
            field,
            format!(
                "each --benzo needs its own --benzo-dose and --benzo-times, in the same order (got {n} --benzo, {doses} --benzo-dose, {times} --benzo-times)"
            ),
        ));
    }
    if raw.benzo_taper.is_some() && n != 1 {
        return Err(conflict(
            "benzo_taper",
            "--benzo-taper plans one drug; give exactly one --benzo with it".into(),
        ));
    }
    let mut regimens = Vec::with_capacity(n);
    for ((drug, amount), times) in raw.benzo.iter().zip(&raw.benzo_dose).zip(&raw.benzo_times) {
        regimens.push(BenzoRegimen {
            drug: drug.clone(),
            dose_mg: dose("benzo_dose", amount)?.get(),
            times: units::parse_times(times).map_err(invalid("benzo_times"))?,
        });
    }
    let mut sessions = Vec::new();
    for text in &raw.ketamine {
        sessions.push(units::parse_datetime(text).map_err(invalid("ketamine"))?);
    }
    for text in &raw.ketamine_series {
        sessions.extend(parse_series(text).map_err(|e| retag(e, "ketamine_series"))?);
    }
    let as_diazepam = raw
        .benzo_taper_as
        .as_deref()
        .map(|t| choose::<TaperAs>("benzo_taper_as", t))
        .transpose()?
        == Some(TaperAs::Diazepam);
    Ok(Some(KetamineRequest {
        regimens,
        sessions,
        hold: HoldRule::parse(raw.benzo_hold.as_deref().unwrap_or(DEFAULT_HOLD))
            .map_err(|e| retag(e, "benzo_hold"))?,
        after_hours: match &raw.benzo_after {
            Some(text) => units::parse_hours(text).map_err(invalid("benzo_after"))?,
            None => 0,
        },
        equivalence: raw
            .equivalence
            .as_deref()
            .map(|t| choose("equivalence", t))
            .transpose()?
            .unwrap_or(crate::catalog::EquivalenceTable::Ashton),
        benzo_taper: raw
            .benzo_taper
            .as_deref()
            .map(|text| {
                crate::ketamine::parse_benzo_taper(text, as_diazepam)
                    .map_err(|e| retag(e, "benzo_taper"))
            })
            .transpose()?,
        benzo_files: raw.benzo_file.clone(),
    }))
}

/// `2027-02-03T10:00,6,3d`: six sessions three days apart from the first.
pub fn parse_series(text: &str) -> Result<Vec<DateTime>> {
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

/// Who the printout is for and what calendars add; each only where `format` shows it.
fn print(raw: &RawRequest, format: Format) -> Result<PrintOptions> {
    let shows_names = matches!(format, Format::Html | Format::Markdown | Format::Fhir);
    for (field, given) in [
        ("patient", raw.patient.is_some()),
        ("prescriber", raw.prescriber.is_some()),
    ] {
        if given && !shows_names {
            return Err(no_effect(
                field,
                format!(
                    "--{field} is shown on printouts and FHIR (--format html, markdown or fhir), not in {}; change the format or leave it out",
                    format_name(format)
                ),
            ));
        }
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
        made_on: None,
        remind,
        ics_titles_full: titles == Some(IcsTitles::Full),
    })
}

fn format_name(format: Format) -> &'static str {
    use super::choice::Choice;
    Format::CHOICES
        .iter()
        .find(|(_, f)| *f == format)
        .map_or("this format", |(name, _)| name)
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
