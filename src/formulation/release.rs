//! Release forms and what a label allows (issue 11): a modified-release tablet is
//! never split, a capsule whose label forbids opening is never opened for its beads,
//! and where an immediate-release product's label divides the day's dose (venlafaxine
//! oral solution replacing an extended-release capsule: two divided doses) the plan
//! says so, with the label's words. The facts are each product's in `schedules/`,
//! with their sources.

use super::Kit;
use crate::catalog::{DrugEntry, Market, Opening, Product, ProductForm};
use crate::error::{Error, Problem, Result};
use crate::model::{Code, Step, Warning};
use crate::text::fmt_num;

/// The drug's products of `form` that have one of `strengths`: the market's first, else
/// any market's (the same tablets are sold in several), else every product of that form
/// (desvenlafaxine is made only as extended-release tablets, whatever the strength).
fn named<'a>(
    drug: Option<&'a DrugEntry>,
    market: Market,
    forms: &[ProductForm],
    strengths: &[f64],
) -> Vec<&'a Product> {
    let of_form: Vec<&Product> = drug
        .into_iter()
        .flat_map(|d| d.products.iter())
        .filter(|p| forms.contains(&p.form))
        .collect();
    let has = |p: &&&Product| {
        p.strengths_mg
            .iter()
            .any(|s| strengths.iter().any(|g| (s - g).abs() < 1e-9))
    };
    let in_market: Vec<&Product> = of_form
        .iter()
        .filter(|p| p.market == market)
        .filter(has)
        .copied()
        .collect();
    if !in_market.is_empty() {
        return in_market;
    }
    let anywhere: Vec<&Product> = of_form.iter().filter(has).copied().collect();
    if !anywhere.is_empty() {
        return anywhere;
    }
    of_form
}

/// The catalog tablets `--tablets` names (see [`named`]).
pub(super) fn tablets_named<'a>(
    drug: Option<&'a DrugEntry>,
    market: Market,
    strengths: &[f64],
) -> Vec<&'a Product> {
    let forms = [ProductForm::Tablet, ProductForm::DispersibleTablet];
    named(drug, market, &forms, strengths)
}

/// The catalog capsules `--capsule` names (see [`named`]).
pub(super) fn capsules_named<'a>(
    drug: Option<&'a DrugEntry>,
    market: Market,
    strengths: &[f64],
) -> Vec<&'a Product> {
    named(drug, market, &[ProductForm::Capsule], strengths)
}

/// Refuses `--split` when every tablet it could act on is one its label says is
/// swallowed whole (a modified-release tablet, or a label that says do not divide).
pub(super) fn refuse_split(drug: Option<&DrugEntry>, tablets: &[&Product]) -> Result<()> {
    let Some(first) = tablets.first() else {
        return Ok(());
    };
    if !tablets.iter().all(|p| p.never_split()) {
        return Ok(());
    }
    let name = drug.map_or("these", |d| d.name.as_str());
    Err(Error::field(
        Problem::InvalidValue,
        "split",
        format!(
            "--split cannot be used with {name} {} tablets, which are swallowed whole, never split ({}); leave out --split",
            strengths(tablets),
            first.handling_why()
        ),
    ))
}

/// Refuses `--beads-per-capsule` for capsules whose label says they are not to be
/// opened; for capsules opened off-label (duloxetine), adds a caveat saying so, with
/// the label's words and the practice's source.
pub(super) fn check_opening(
    drug: Option<&DrugEntry>,
    capsules: &[&Product],
    caveats: &mut Vec<String>,
) -> Result<()> {
    let name = drug.map_or("these", |d| d.name.as_str());
    if let Some(closed) = capsules.iter().find(|p| p.open == Some(Opening::No)) {
        return Err(Error::field(
            Problem::InvalidValue,
            "beads_per_capsule",
            format!(
                "--beads-per-capsule cannot be used with {name} {} capsules, which are not to be opened ({}); leave out --beads-per-capsule and ask the pharmacist for a liquid",
                strengths(&[closed]),
                closed.handling_why()
            ),
        ));
    }
    if let Some(off) = capsules.iter().find(|p| p.open == Some(Opening::OffLabel)) {
        caveats.push(format!(
            "Opening {name} capsules to count their beads is off-label: {}.",
            off.handling_why()
        ));
    }
    Ok(())
}

fn strengths(products: &[&Product]) -> String {
    let mut all: Vec<f64> = products
        .iter()
        .flat_map(|p| p.strengths_mg.iter().copied())
        .collect();
    all.sort_by(f64::total_cmp);
    all.dedup();
    let list: Vec<String> = all.iter().map(|s| format!("{} mg", fmt_num(*s))).collect();
    list.join(", ")
}

/// The `info` warning on the steps whose day's dose is divided: which product, how
/// often, and the label's words with its source. `products` are those the plan could
/// have used; the one whose label divides the dose is found among them by name.
pub(super) fn divided_warning(
    steps: &mut [Step],
    kit: &Kit,
    products: &[&Product],
) -> Option<Warning> {
    let on: Vec<usize> = steps
        .iter()
        .filter(|s| s.times_a_day.is_some_and(|n| n > 1))
        .map(|s| s.step)
        .collect();
    let first = *on.first()?;
    let product = products.iter().find(|p| {
        p.doses_per_day == Some(kit.doses_per_day)
            && p.name
                .as_deref()
                .is_some_and(|n| kit.description.starts_with(n))
    })?;
    let name = product.name.as_deref().unwrap_or("liquid");
    let published = product.doses_per_day_as_published.as_deref().unwrap_or("");
    let how_often = super::kit::times_a_day(kit.doses_per_day);
    let count = match kit.doses_per_day {
        2 => "two".to_string(),
        3 => "three".to_string(),
        4 => "four".to_string(),
        n => n.to_string(),
    };
    let replaces = match first {
        0 => String::new(),
        _ => format!(" from step {first}"),
    };
    steps[first].flags.push(Code::DividedDoses);
    Some(Warning::on_steps(
        Code::DividedDoses,
        format!(
            "The {name} is {}: its label gives the day's dose in {count} divided doses (\"{published}\"; {}; evidence: {}), so{replaces} each day's dose is taken {how_often}, an equal part each time, where a modified-release capsule or tablet is taken once a day.",
            product.release.as_str(),
            product.source,
            product.evidence.as_str()
        ),
        vec![first],
    ))
}
