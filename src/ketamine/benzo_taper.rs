//! A benzodiazepine taper that ends before the first ketamine session (the Montreal
//! model), on request.
//!
//! Pace (ASAM 2025): each step reduces the current daily dose by a fixed percentage,
//! 5–10% every 2–4 weeks as usual, and never faster than 25% every 2 weeks (refused).
//! End (Ashton via NICE CKS): the last reductions of diazepam are 0.5–1 mg, so the taper
//! stops once the daily dose is at or below 0.5 mg diazepam-equivalent.
//! Switch (ASAM 2025 Table 7): changing to diazepam first is a crossover over 1–2 weeks,
//! planned before the first step at the long end; the order in which doses are
//! substituted is the prescriber's, since no source here gives dose-by-dose stages.
//! The taper is laid backwards from the first session: it says the date it must start,
//! or that it cannot finish in time at that pace (danger), and then shows no step past
//! the first session.

use super::RegimenInfo;
use super::benzo_measure::{self, MeasuredStep, TaperProducts};
use super::evidence::{BenzoTaperEvidence, Crossover};
use crate::error::{Error, Result};
use crate::model::{Code, Warning};
use crate::schedule::add_days;
use crate::text::fmt_num;
use jiff::civil::Date;
use serde::Serialize;

/// What the user asked for: `--benzo-taper 10%/2w`, optionally `--benzo-taper-as diazepam`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BenzoTaperRequest {
    pub percent: f64,
    pub every_days: std::num::NonZeroU32,
    /// Switch to diazepam equivalents (Ashton's method) instead of keeping the drug.
    pub as_diazepam: bool,
}

/// Guard against typos: no real taper has this many steps.
const MAX_STEPS: usize = 500;

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BenzoTaper {
    /// The drug the taper doses are in: the regimen's, or diazepam after a switch.
    pub drug: String,
    pub switched_to_diazepam: bool,
    pub percent_per_step: f64,
    pub every_days: u32,
    /// Daily dose at which the taper stops (0.5 mg diazepam-equivalent, in `drug` mg).
    pub stop_from_mg: f64,
    /// The first day of the taper for its last dose to fall before the first session.
    pub must_start: Date,
    /// Whether `must_start` is on or after the plan's first day.
    pub feasible: bool,
    pub last_dose_date: Date,
    pub first_session: Date,
    /// With a switch to diazepam: the crossover before the first step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crossover: Option<CrossoverPlan>,
    /// The products the doses were rounded to; absent when the catalog has none of
    /// the drug for the market (the doses are then not rounded, and a warning says so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<super::benzo_measure::TaperProductsInfo>,
    /// The steps before the first session (all of them when `feasible`).
    pub steps: Vec<BenzoTaperStep>,
    /// Steps the taper would still need after the first session, not shown: a taper
    /// that cannot finish in time is not planned across the sessions.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub steps_not_shown: usize,
    pub pace_source: String,
    pub final_step_source: String,
    pub model_source: String,
}

/// Switching from the regimen's drug to diazepam at the same diazepam-equivalent dose.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CrossoverPlan {
    pub from_drug: String,
    pub from_mg_per_day: f64,
    /// The diazepam daily dose at the end of the crossover: the equivalent dose, or
    /// the largest the products make at or below it.
    pub diazepam_mg_per_day: f64,
    /// The diazepam-equivalent of the regimen, before rounding to products.
    pub diazepam_equivalent_mg_per_day: f64,
    /// How the diazepam dose is taken, when rounded to products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how: Option<String>,
    #[serde(serialize_with = "crate::schedule::serialize_date")]
    pub start_date: Date,
    #[serde(serialize_with = "crate::schedule::serialize_date")]
    pub end_date: Date,
    pub days_min: u32,
    pub days_max: u32,
    pub source: String,
    pub evidence: crate::catalog::Evidence,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BenzoTaperStep {
    pub step: usize,
    pub start_date: Date,
    pub end_date: Date,
    /// The dose taken: the ideal one rounded to the products (or the ideal one when
    /// the catalog has no products of the drug for the market).
    pub daily_mg: f64,
    pub diazepam_equivalent_mg: f64,
    /// The dose the pace asks for at this step.
    pub ideal_daily_mg: f64,
    /// How to take it over the regimen's dose times, when rounded to products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how: Option<String>,
    /// The product it is measured with, when rounded to products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Codes of the warnings about this step (a cut beyond the tolerance, the cliff).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<Code>,
}

pub fn plan(
    request: BenzoTaperRequest,
    regimen: &RegimenInfo,
    evidence: &BenzoTaperEvidence,
    first_session: Date,
    plan_start: Date,
    products: &TaperProducts,
) -> Result<(BenzoTaper, Vec<Warning>)> {
    let every_days = request.every_days.get();
    let fraction_kept = 1.0 - request.percent / 100.0;
    if !(request.percent.is_finite() && request.percent > 0.0 && request.percent < 100.0) {
        return Err(Error::input(
            "--benzo-taper needs a percentage above 0 and below 100, like 10%/2w",
        ));
    }
    // A single cut counts in full: 50% every 8 weeks is a 50% cut, not 16% a fortnight.
    let per_two_weeks = 100.0 * (1.0 - fraction_kept.powf((14.0 / f64::from(every_days)).max(1.0)));
    if per_two_weeks > evidence.cap_percent_per_two_weeks + 1e-9 {
        return Err(Error::input(format!(
            "--benzo-taper {}% every {} days removes {:.0}% every 2 weeks, faster than the ASAM 2025 limit of {}% every 2 weeks; use a smaller percentage or longer steps, like 10%/2w",
            fmt_num(request.percent),
            every_days,
            per_two_weeks,
            fmt_num(evidence.cap_percent_per_two_weeks)
        )));
    }
    // mg of the taper drug per mg diazepam.
    let (drug, per_diazepam_mg) = if request.as_diazepam {
        ("diazepam".to_string(), 1.0)
    } else {
        (
            regimen.drug.clone(),
            regimen.equivalent_to_10mg_diazepam / 10.0,
        )
    };
    let times = &regimen.times;
    let dz_eq = regimen.diazepam_equivalent_mg_per_day;
    let taper_products = products_of(&drug, products);
    let kits = benzo_measure::kits(&taper_products, products.market, dz_eq * per_diazepam_mg);
    // A switch to another drug is a crossover first, at the long end of its length,
    // to the diazepam dose the products make at or below the equivalent (never above).
    let switching = request.as_diazepam && !regimen.drug.eq_ignore_ascii_case("diazepam");
    let crossover_dose = match (switching, kits.is_empty()) {
        (true, false) => benzo_measure::at_or_below(&kits, times, dz_eq),
        _ => None,
    };
    let start_mg = match &crossover_dose {
        Some((d, _, _)) => d.mg,
        None => dz_eq * per_diazepam_mg,
    };
    let stop_from_mg = evidence.final_step_diazepam_mg * per_diazepam_mg;
    // Reductions from the current dose until the dose is small enough to stop from.
    let mut ideal = Vec::new();
    let mut dose = start_mg;
    while dose > stop_from_mg + 1e-12 {
        if ideal.len() >= MAX_STEPS {
            return Err(Error::input(
                "--benzo-taper would need more than 500 steps; use a larger percentage",
            ));
        }
        dose *= fraction_kept;
        ideal.push(dose);
    }
    let measured = benzo_measure::measure(
        &ideal,
        start_mg,
        request.percent,
        stop_from_mg,
        times,
        &kits,
        products.tolerance_pct,
    );
    let rounded = measured.is_some();
    let measured: Vec<MeasuredStep> = measured.unwrap_or_else(|| {
        ideal
            .iter()
            .map(|mg| MeasuredStep {
                ideal_daily_mg: *mg,
                ideal_count: 1,
                daily_mg: *mg,
                how: String::new(),
                product: String::new(),
                cut_pct: request.percent,
                too_large: false,
            })
            .collect()
    });
    let crossover = &evidence.crossover;
    let crossover_days = match switching {
        true => crossover.days_max,
        false => 0,
    };
    // The taper's last dose is the day before the first session; lay it out backwards.
    let ideal_steps: usize = measured.iter().map(|m| m.ideal_count).sum();
    let taper_days = ideal_steps as i64 * i64::from(every_days);
    let days = taper_days + i64::from(crossover_days);
    let last_dose_date = add_days(first_session, -1)?;
    let must_start = add_days(first_session, -days.max(1))?;
    let feasible = must_start >= plan_start;
    let start = if feasible { must_start } else { plan_start };
    let crossover = match crossover_days {
        0 => None,
        n => Some(crossover_plan(
            regimen,
            crossover,
            start,
            n,
            start_mg,
            crossover_dose
                .as_ref()
                .map(|c| c.0.how(times, c.2.then_some(c.1.as_str()))),
        )?),
    };
    let steps_start = add_days(start, i64::from(crossover_days))?;
    let total_steps = measured.len();
    let last_dz = measured
        .last()
        .map_or(0.0, |m| m.daily_mg / per_diazepam_mg);
    let suggestion = benzo_measure::suggestion(&drug, products, times);
    let mut warnings = match rounded {
        true => benzo_measure::warnings(
            &drug,
            &measured,
            request.percent,
            products.tolerance_pct,
            last_dz,
            evidence.final_step_diazepam_mg,
            &suggestion,
        ),
        false => vec![Warning::plan_wide(
            Code::BenzoTaperNotRounded,
            format!(
                "taper's catalog has no product of {drug} for the {} market that makes these doses, so the taper's doses are not rounded to products and some may not be measurable. {suggestion}",
                match products.market {
                    crate::catalog::Market::Us => "US",
                    crate::catalog::Market::Uk => "UK",
                }
            ),
        )],
    };
    let mut steps = Vec::with_capacity(measured.len());
    let mut day = 0i64;
    for (i, m) in measured.iter().enumerate() {
        let start_date = add_days(steps_start, day)?;
        let length = m.ideal_count as i64 * i64::from(every_days);
        day += length;
        if start_date >= first_session {
            break;
        }
        let mut flags = Vec::new();
        if m.too_large {
            flags.push(Code::BenzoTaperStepTooLarge);
        }
        if i + 1 == total_steps
            && warnings
                .iter()
                .any(|w| w.code == Code::BenzoTaperFinalCliff)
        {
            flags.push(Code::BenzoTaperFinalCliff);
        }
        steps.push(BenzoTaperStep {
            step: i + 1,
            start_date,
            end_date: add_days(start_date, length - 1)?,
            daily_mg: m.daily_mg,
            diazepam_equivalent_mg: m.daily_mg / per_diazepam_mg,
            ideal_daily_mg: m.ideal_daily_mg,
            how: rounded.then(|| m.how.clone()),
            product: rounded.then(|| m.product.clone()),
            flags,
        });
    }
    let steps_not_shown = total_steps - steps.len();
    let plan_wide = Warning::plan_wide;
    if !feasible {
        let at_session = steps.last().map_or(start_mg, |s| s.daily_mg);
        let switch = match crossover_days {
            0 => String::new(),
            n => format!(", after a {n}-day crossover to diazepam"),
        };
        warnings.push(plan_wide(
            Code::BenzoTaperTooLate,
            format!(
                "At {}% every {} days the {} taper takes {} days ({} steps{switch}): to finish before the first session on {first_session} it would have to start on {must_start}, before this plan starts ({plan_start}). It cannot finish in time at this pace: at the first session the daily dose would still be {} mg ({} of {} steps taken), and the {} steps after it are not shown, since a taper across the sessions and their holds is not planned here. The prescriber may weigh a faster pace within the ASAM limit, or moving the session.",
                fmt_num(request.percent),
                every_days,
                drug,
                days,
                total_steps,
                crate::text::fmt_dose(at_session),
                steps.len(),
                total_steps,
                steps_not_shown,
            ),
        ));
    }
    if request.percent < evidence.usual_percent_min || request.percent > evidence.usual_percent_max
    {
        warnings.push(plan_wide(
            Code::BenzoTaperUnusualPace,
            format!(
                "{}% per step is outside the usual 5–10% of ASAM 2025 ({}).",
                fmt_num(request.percent),
                evidence.pace_source
            ),
        ));
    }
    let taper = BenzoTaper {
        drug,
        switched_to_diazepam: request.as_diazepam,
        percent_per_step: request.percent,
        every_days,
        stop_from_mg,
        must_start,
        feasible,
        // Without enough time, the whole taper's last dose, past the sessions.
        last_dose_date: match feasible {
            true => last_dose_date,
            false => add_days(start, days - 1)?,
        },
        first_session,
        crossover,
        products: rounded.then(|| {
            benzo_measure::info(
                products,
                &taper_products,
                warnings.iter().all(|w| {
                    !matches!(
                        w.code,
                        Code::BenzoTaperStepTooLarge | Code::BenzoTaperFinalCliff
                    )
                }),
            )
        }),
        steps,
        steps_not_shown,
        pace_source: evidence.pace_source.clone(),
        final_step_source: evidence.final_step_source.clone(),
        model_source: evidence.model_source.clone(),
    };
    Ok((taper, warnings))
}

/// The switch from the regimen's drug to diazepam at the same diazepam-equivalent dose,
/// from `start`, over `days`.
fn crossover_plan(
    regimen: &RegimenInfo,
    crossover: &Crossover,
    start: Date,
    days: u32,
    diazepam_mg: f64,
    how: Option<String>,
) -> Result<CrossoverPlan> {
    Ok(CrossoverPlan {
        from_drug: regimen.drug.clone(),
        from_mg_per_day: regimen.daily_mg,
        diazepam_mg_per_day: diazepam_mg,
        diazepam_equivalent_mg_per_day: regimen.diazepam_equivalent_mg_per_day,
        how,
        start_date: start,
        end_date: add_days(start, i64::from(days) - 1)?,
        days_min: crossover.days_min,
        days_max: crossover.days_max,
        source: crossover.source.clone(),
        evidence: crossover.evidence,
    })
}

/// The products the taper's doses are made of: diazepam's after a switch.
fn products_of(drug: &str, products: &TaperProducts) -> Vec<crate::catalog::BenzoProduct> {
    match drug {
        "diazepam" => products.diazepam.clone(),
        _ => products.drug.clone(),
    }
}

/// Parses `--benzo-taper 10%/2w`.
pub fn parse(text: &str, as_diazepam: bool) -> Result<BenzoTaperRequest> {
    let bad = || {
        Error::input(format!(
            "--benzo-taper \"{text}\" needs PERCENT/LENGTH, like 10%/2w"
        ))
    };
    let (percent, every) = text.split_once('/').ok_or_else(bad)?;
    let percent: f64 = percent
        .trim()
        .trim_end_matches('%')
        .trim()
        .parse()
        .map_err(|_| bad())?;
    let every_days = crate::units::parse_length(every)
        .map_err(|e| Error::input(format!("--benzo-taper: {e}")))?;
    Ok(BenzoTaperRequest {
        percent,
        every_days,
        as_diazepam,
    })
}
