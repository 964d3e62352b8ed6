//! Drugs with curves for several brain regions (escitalopram, desvenlafaxine): the
//! regions' fits agree near the usual doses but differ two- to threefold in the last
//! doses of a taper (Sørensen, Ruhé & Munkholm 2022 fitted each region separately), and
//! no study says which region's occupancy governs withdrawal. So a plan on one region
//! says what the same request gives on the others, instead of presenting its tail as
//! the only answer.

use crate::catalog::{DrugEntry, region_key};
use crate::error::Result;
use crate::ideal::{Ideal, PlanRequest, last_dose_on};
use crate::model::{Code, Warning};
use crate::text::fmt_dose;

/// The last dose before stopping on each of the entry's regions, for the same
/// request, as an `other_regions` warning; `None` for a drug with one region or a
/// curve given by hand.
pub fn compare(
    entry: Option<&DrugEntry>,
    request: &PlanRequest,
    chosen: &Ideal,
) -> Result<Option<Warning>> {
    let Some(entry) = entry else {
        return Ok(None);
    };
    if entry.curves.len() < 2 || request.custom_curve.is_some() {
        return Ok(None);
    }
    let here = region_key(&chosen.curve_info.region);
    let is_here = |region: &str| region == chosen.curve_info.region || region_key(region) == here;
    let mut others = Vec::new();
    let mut lasts = vec![last_dose(chosen)];
    for curve in &entry.curves {
        if is_here(&curve.region) {
            continue;
        }
        let last = last_dose_on(entry, &curve.region, request)?;
        lasts.push(last);
        others.push(format!(
            "{} mg on the {} curve",
            fmt_dose(last),
            curve.region
        ));
    }
    let (least, most) = lasts.iter().fold((f64::INFINITY, 0.0_f64), |(lo, hi), &v| {
        (lo.min(v), hi.max(v))
    });
    let message = format!(
        "{} has occupancy curves for {} brain regions, fitted separately (Sørensen, Ruhé & Munkholm 2022), and their tails differ: this plan's last dose before stopping is {} mg on the {} curve, while the same request gives {}, a {}-fold range. No study says which region's occupancy governs withdrawal; the plan's region and why it is the default are given with the curve, and --region plans on another.",
        capitalised(&entry.name),
        entry.curves.len(),
        fmt_dose(last_dose(chosen)),
        chosen.curve_info.region,
        join(&others),
        crate::text::fmt_num((most / least * 10.0).round() / 10.0),
    );
    Ok(Some(Warning::plan_wide(Code::OtherRegions, message)))
}

/// The ideal plan's last dose before the stop.
fn last_dose(plan: &Ideal) -> f64 {
    (plan.steps.iter().rev())
        .map(|s| s.dose_mg)
        .find(|&mg| mg > 0.0)
        .unwrap_or(0.0)
}

/// "a, b and c".
fn join(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
