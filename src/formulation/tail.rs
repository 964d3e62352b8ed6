//! No silent cliff (issue 11): when the products cannot make a taper's tail, stopping
//! from the smallest dose they make would remove far more occupancy than a step, the
//! harm a hyperbolic taper exists to avoid (Horowitz & Taylor 2019). Such a plan does
//! not end in a dated stop as if it were fine: it ends at the last dose the products
//! make, held until the prescriber arranges a smaller dose form, and its `danger`
//! warning says which doses are missing and what would make them for this drug and
//! market (`tail_remedies` in `schedules/`, each with its source).

use super::round::IdealSteps;
use crate::catalog::{DrugEntry, Evidence, Market};
use crate::model::{Code, Step, Warning};
use crate::text::fmt_dose;
use jiff::civil::Date;
use serde::Serialize;

/// What the held step is held until, in every format.
pub const HELD_UNTIL: &str = "the prescriber arranges a smaller dose form";

/// How a plan ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// The last step is 0 mg: the first day without the drug is the plan's `stop_date`.
    Stop,
    /// The products cannot make the last doses: the last step's dose is held until
    /// the prescriber arranges a smaller dose form, and the plan has no stop date.
    Held,
}

/// A plan that ends held instead of in a cliff: where, why, and what would make the
/// missing doses.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct HeldEnd {
    /// The last step, whose dose is held.
    pub step: usize,
    pub dose_mg: f64,
    /// The first day of the held dose.
    #[serde(serialize_with = "crate::schedule::serialize_date")]
    pub from_date: Date,
    /// The last day the plan's steps reach; the dose goes on after it.
    #[serde(serialize_with = "crate::schedule::serialize_date")]
    pub planned_until: Date,
    /// "the prescriber arranges a smaller dose form".
    pub until: &'static str,
    /// What stopping from the held dose would remove at once (percentage points).
    pub stop_fall_pp: f64,
    /// The most a step of this plan may remove (its step plus the tolerance).
    pub allowed_fall_pp: f64,
    /// The ideal steps asking for doses below the held dose, which the products
    /// cannot make, and those doses.
    pub missing_ideal_steps: Vec<usize>,
    pub missing_doses_mg: Vec<f64>,
    pub remedy: Remedy,
}

/// What would make the missing doses.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Remedy {
    pub text: String,
    /// `taper plan` product options that plan the taper with the remedy, in place of
    /// the plan's own product options; absent when taper cannot plan it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<String>,
    pub source: String,
    pub evidence: Evidence,
}

/// Used where the catalog has no remedy for the drug and market.
const FALLBACK_SOURCE: &str = "Maudsley Deprescribing Guidelines (Horowitz & Taylor 2024), antidepressant chapter: liquids, compounded or off-label formulations are needed for the small doses";

/// What the plan's products were, for choosing a remedy that is not the same again.
pub(super) struct Used {
    pub market: Market,
    pub liquid: bool,
    pub finest_syringe: bool,
}

/// If the rounded plan ends in a cliff (its stop flagged [`Code::FinalFallTooLarge`]),
/// takes the stop off, holds the last dose, replaces the stop's warnings with one
/// `danger` warning on the held step, and returns how the plan ends.
pub(super) fn hold_instead_of_cliff(
    steps: &mut Vec<Step>,
    warnings: &mut Vec<Warning>,
    ideal: &IdealSteps,
    allowed_fall_pp: f64,
    drug: Option<&DrugEntry>,
    used: &Used,
) -> Option<HeldEnd> {
    let stop = steps.len().checked_sub(1)?;
    if stop == 0 || !steps[stop].flags.contains(&Code::FinalFallTooLarge) {
        return None;
    }
    let stop_fall_pp = steps[stop].occupancy_drop_pp;
    steps.pop();
    warnings.retain(|w| !w.steps.contains(&stop));
    let k = stop - 1;
    let held = &mut steps[k];
    let (missing_ideal_steps, missing_doses_mg): (Vec<usize>, Vec<f64>) = ideal
        .steps
        .iter()
        .filter(|s| s.ideal_dose_mg > 0.0 && s.ideal_dose_mg < held.dose_mg - 1e-9)
        .map(|s| (s.step, s.ideal_dose_mg))
        .unzip();
    let remedy = remedy(drug, used);
    let drug_name = drug.map_or("the drug", |d| d.name.as_str());
    if let Some(how) = &mut held.instructions {
        how.push_str(&format!(
            "; keep to this dose after {} until {HELD_UNTIL} (do not stop)",
            held.end_date
        ));
    }
    held.flags.push(Code::FinalFallTooLarge);
    // Counted, not numbered: the numbers of ideal steps are not the plan's steps.
    let missing = match missing_doses_mg.as_slice() {
        [] => "the doses below it".to_string(),
        [one] => format!("the curve's {} mg", fmt_dose(*one)),
        [first, .., last] => format!(
            "{} doses the curve asks for, {} mg down to {} mg,",
            missing_doses_mg.len(),
            fmt_dose(*first),
            fmt_dose(*last)
        ),
    };
    let command = match &remedy.options {
        Some(options) => format!(
            " To plan it: taper plan {drug_name} --from {}mg, with the plan's other options and {options} in place of its product options.",
            crate::text::fmt_num(ideal.start_dose_mg)
        ),
        None => String::new(),
    };
    let message = format!(
        "No stop date: these products cannot make the taper's last doses ({missing} smaller than the {} mg they make least), and stopping from {} mg would remove {stop_fall_pp:.1} percentage points of occupancy at once, more than the {allowed_fall_pp:.1} a step of this plan may. The plan ends at step {k}, {} mg from {}, held until {HELD_UNTIL}. What would make the smaller doses ({}): {}{command} ({}; evidence: {})",
        fmt_dose(held.dose_mg),
        fmt_dose(held.dose_mg),
        fmt_dose(held.dose_mg),
        held.start_date,
        market_name(used.market),
        remedy.text,
        remedy.source,
        remedy.evidence.as_str()
    );
    warnings.push(Warning::on_steps(Code::FinalFallTooLarge, message, vec![k]));
    Some(HeldEnd {
        step: k,
        dose_mg: held.dose_mg,
        from_date: held.start_date,
        planned_until: held.end_date,
        until: HELD_UNTIL,
        stop_fall_pp,
        allowed_fall_pp,
        missing_ideal_steps,
        missing_doses_mg,
        remedy,
    })
}

/// The catalog's remedy for the drug and market, leaving out options that would plan
/// the same products again; a general one where the catalog has none.
fn remedy(drug: Option<&DrugEntry>, used: &Used) -> Remedy {
    let found = drug.and_then(|d| d.tail_remedies.iter().find(|r| r.market == used.market));
    match found {
        Some(r) => {
            // A finely graduated syringe of the market's liquid was already tried.
            let same_again = used.liquid
                && used.finest_syringe
                && r.options
                    .as_deref()
                    .is_some_and(|o| o.starts_with("--form"));
            Remedy {
                text: r.text.clone(),
                options: r.options.clone().filter(|_| !same_again),
                source: r.source.clone(),
                evidence: r.evidence,
            }
        }
        None => Remedy {
            text: format!(
                "taper's catalog has no product of {} for the {} market that makes them; ask the pharmacist about an unlicensed oral liquid (a special) or a compounded strength.",
                drug.map_or("this drug", |d| d.name.as_str()),
                market_name(used.market)
            ),
            options: None,
            source: FALLBACK_SOURCE.to_string(),
            evidence: Evidence::Secondary,
        },
    }
}

pub(super) fn market_name(market: Market) -> &'static str {
    match market {
        Market::Us => "US",
        Market::Uk => "UK",
    }
}
