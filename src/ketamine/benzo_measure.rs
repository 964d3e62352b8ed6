//! A benzodiazepine taper's doses in the drug's products: which products (market), the
//! rounding of each step, and the warnings when the products cannot make the steps.

use super::benzo_doses::{DailyDose, DoseKit};
use super::benzo_round::{Rounding, round};
use crate::catalog::{BenzoForm, BenzoProduct, Evidence, Market};
use crate::model::{Code, Warning};
use crate::text::{fmt_dose, fmt_num};
use serde::Serialize;

/// What the taper's doses may be made of: the taper drug's products and diazepam's in
/// the chosen market, and the rounding tolerance.
#[derive(Debug, Clone)]
pub struct TaperProducts {
    pub market: Market,
    /// Where the market came from, for the plan: "--market", "--benzo-market" or "default".
    pub market_from: &'static str,
    pub tolerance_pct: f64,
    pub drug: Vec<BenzoProduct>,
    pub diazepam: Vec<BenzoProduct>,
}

/// What the plan says about the products the taper's doses were rounded to.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TaperProductsInfo {
    pub market: Market,
    /// "--market", "--benzo-market", or "default (us)".
    pub market_from: String,
    /// Every product of the drug in that market, described, with source and evidence.
    pub products: Vec<ProductLine>,
    /// How much more than the plan's percentage a rounded step may cut, in percent
    /// (`schedules/guardrails.toml`, the rounding tolerance).
    pub tolerance_pct: f64,
    /// Whether every step's dose is one the products make, within the tolerance.
    pub all_measurable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ProductLine {
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For liquids: where the measured volume comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure_source: Option<String>,
    pub source: String,
    pub evidence: Evidence,
}

/// One rounded step, before dates.
#[derive(Debug, Clone)]
pub struct MeasuredStep {
    pub ideal_daily_mg: f64,
    /// How many ideal steps it stands for (more than one: held longer).
    pub ideal_count: usize,
    pub daily_mg: f64,
    pub how: String,
    pub product: String,
    pub cut_pct: f64,
    pub too_large: bool,
}

/// The kits to round with, solids first, then liquids from the coarsest.
pub fn kits(products: &[BenzoProduct], market: Market, up_to_mg: f64) -> Vec<DoseKit> {
    let mine: Vec<&BenzoProduct> = products.iter().filter(|p| p.market == market).collect();
    let mut kits: Vec<DoseKit> = DoseKit::solids(&mine, up_to_mg).into_iter().collect();
    let mut liquids: Vec<&BenzoProduct> = mine
        .iter()
        .copied()
        .filter(|p| p.form == BenzoForm::Liquid)
        .collect();
    liquids.sort_by(|a, b| {
        let step = |p: &BenzoProduct| p.mg_per_ml().unwrap_or(0.0) * p.measure_ml.unwrap_or(0.0);
        step(b).total_cmp(&step(a))
    });
    kits.extend(liquids.into_iter().filter_map(DoseKit::liquid));
    kits
}

pub fn info(
    products: &TaperProducts,
    drug: &[BenzoProduct],
    all_measurable: bool,
) -> TaperProductsInfo {
    TaperProductsInfo {
        market: products.market,
        market_from: products.market_from.to_string(),
        products: drug
            .iter()
            .filter(|p| p.market == products.market)
            .map(|p| ProductLine {
                description: p.describe(),
                note: p.note.clone(),
                measure_source: p.measure_source.clone(),
                source: p.source.clone(),
                evidence: p.evidence,
            })
            .collect(),
        tolerance_pct: products.tolerance_pct,
        all_measurable,
    }
}

/// The ideal doses rounded; `None` when the products make no dose at or below the start.
pub fn measure(
    ideal: &[f64],
    start_mg: f64,
    percent: f64,
    stop_from_mg: f64,
    times: &[String],
    kits: &[DoseKit],
    tolerance_pct: f64,
) -> Option<Vec<MeasuredStep>> {
    let rounding = Rounding {
        ideal,
        start_mg,
        percent,
        tolerance_pct,
        stop_from_mg,
        times,
    };
    let steps = round(&rounding, kits)?;
    if steps.is_empty() {
        return None;
    }
    Some(
        steps
            .into_iter()
            .map(|s| {
                let kit = &kits[s.kit];
                let name = kit.liquid.then_some(kit.description.as_str());
                MeasuredStep {
                    ideal_daily_mg: ideal[s.ideal_first],
                    ideal_count: s.ideal_count,
                    daily_mg: s.dose.mg,
                    how: s.dose.how(times, name),
                    product: kit.description.clone(),
                    cut_pct: s.cut_pct,
                    too_large: s.too_large,
                }
            })
            .collect(),
    )
}

/// The largest daily dose the kits make at or below `mg`, for the crossover's diazepam;
/// on a tie the earlier kit (tablets before a liquid).
pub fn at_or_below(
    kits: &[DoseKit],
    times: &[String],
    mg: f64,
) -> Option<(DailyDose, String, bool)> {
    let mut best: Option<(DailyDose, String, bool)> = None;
    for k in kits {
        if let Some(d) = k.daily_doses(times, mg).pop()
            && best.as_ref().is_none_or(|b| d.mg > b.0.mg + 1e-9)
        {
            best = Some((d, k.description.clone(), k.liquid));
        }
    }
    best
}

/// What would make the steps these products cannot: diazepam's products in this market
/// when the drug is not diazepam, else an unlicensed liquid.
pub fn suggestion(drug: &str, products: &TaperProducts, times: &[String]) -> String {
    let market = market_name(products.market);
    let diazepam_kits = kits(&products.diazepam, products.market, 10.0);
    let smallest = diazepam_kits
        .iter()
        .filter_map(|k| {
            k.daily_doses(times, 10.0)
                .first()
                .map(|d| (d.mg, k.description.clone()))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0));
    match smallest {
        Some((mg, product)) if drug != "diazepam" => format!(
            "Switching to diazepam (--benzo-taper-as diazepam) would make smaller steps: its {market} products make doses down to {} mg a day ({product}). Otherwise ask the pharmacist about an unlicensed oral liquid of {drug} (a special) or a compounded strength.",
            fmt_dose(mg)
        ),
        _ => format!(
            "taper's catalog has no {market} product of {drug} that makes them; ask the pharmacist about an unlicensed oral liquid (a special) or a compounded strength."
        ),
    }
}

/// The warnings on the rounded steps: cuts beyond the tolerance (caution), a last dose
/// too large to stop from (danger), and a change of product (info).
pub fn warnings(
    drug: &str,
    steps: &[MeasuredStep],
    percent: f64,
    tolerance_pct: f64,
    last_dz_mg: f64,
    final_step_dz_mg: f64,
    suggestion: &str,
) -> Vec<Warning> {
    let mut out = Vec::new();
    let allowed = percent * (1.0 + tolerance_pct / 100.0);
    let large: Vec<String> = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.too_large)
        .map(|(i, s)| format!("step {} cuts {:.0}%", i + 1, s.cut_pct))
        .collect();
    if !large.is_empty() {
        out.push(Warning::plan_wide(
            Code::BenzoTaperStepTooLarge,
            format!(
                "The {drug} products cannot make every step of the taper: {} of the current dose, more than the {}% a step may cut ({}% per step plus the {}% rounding tolerance). {suggestion}",
                large.join(", "),
                fmt_num((allowed * 10.0).round() / 10.0),
                fmt_num(percent),
                fmt_num(tolerance_pct)
            ),
        ));
    }
    for (i, pair) in steps.windows(2).enumerate() {
        if pair[0].product != pair[1].product {
            out.push(Warning::plan_wide(
                Code::ProductSwitch,
                format!(
                    "From step {} of the benzodiazepine taper the doses are {}, not {}: the smaller doses are measured with it.",
                    i + 2,
                    pair[1].product,
                    pair[0].product
                ),
            ));
        }
    }
    let most = final_step_dz_mg * (1.0 + tolerance_pct / 100.0);
    if let Some(last) = steps.last()
        && last_dz_mg > most + 1e-9
    {
        out.push(Warning::plan_wide(
            Code::BenzoTaperFinalCliff,
            format!(
                "The taper's last dose is {} mg of {drug} a day ({} mg diazepam-equivalent), the smallest these products make, and the taper ends from it: more than the {} mg diazepam-equivalent the last reduction may be (plus the {}% rounding tolerance). Stopping from it is a larger fall than a step. {suggestion}",
                fmt_dose(last.daily_mg),
                fmt_dose(last_dz_mg),
                fmt_num(final_step_dz_mg),
                fmt_num(tolerance_pct)
            ),
        ));
    }
    out
}

fn market_name(market: Market) -> &'static str {
    match market {
        Market::Us => "US",
        Market::Uk => "UK",
    }
}
