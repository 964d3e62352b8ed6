//! The rules of the product options: one kind of product at most, and the options
//! that shape a rounding (`--split`, `--syringe`, `--bottle` …) only where they can act.

use super::choice::choose;
use super::raw::RawRequest;
use super::validate::{conflict, invalid, no_effect, retag};
use crate::error::{Error, Problem, Result};
use crate::formulation::{
    FormChoice, FormulationRequest, Split, parse_concentration, parse_volume_ml,
};
use crate::units;

/// The products to round to, or `None` when none were named; options that only
/// shape a rounding are refused without one.
pub(super) fn products(raw: &RawRequest) -> Result<Option<FormulationRequest>> {
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
    let tolerance_pct = match raw.tolerance {
        Some(pct) => pct,
        None => {
            crate::guardrails::Guardrails::embedded()?
                .rounding_tolerance
                .default_pct
        }
    };
    if !(tolerance_pct.is_finite() && (0.0..=100.0).contains(&tolerance_pct)) {
        return Err(Error::field(
            Problem::InvalidValue,
            "tolerance",
            "--tolerance must be a percentage from 0 to 100, like 25",
        ));
    }
    strengths("tablets", &raw.tablets)?;
    strengths("capsule", &raw.capsule)?;
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
            .map(|text| {
                parse_volume_ml(text)
                    .map_err(invalid("bottle"))
                    .and_then(bottle)
            })
            .transpose()?,
    }))
}

/// Tablet and capsule strengths are doses, bounded as doses are ([`crate::limits`]):
/// outside the bounds a strength is a unit slip, and its doses would print as "0" or
/// "inf" (issue 15).
fn strengths(field: &str, values: &[f64]) -> Result<()> {
    let (lo, hi) = (crate::limits::MIN_DOSE_MG, crate::limits::MAX_DOSE_MG);
    match values.iter().find(|v| !(lo..=hi).contains(*v)) {
        Some(bad) => Err(Error::field(
            Problem::InvalidValue,
            field,
            format!(
                "--{field} has a strength of {} mg, outside what taper accepts for doses and strengths ({} mg to {} mg); check the number and its unit",
                crate::text::fmt_num(*bad),
                crate::text::fmt_num(lo),
                crate::text::fmt_num(hi)
            ),
        )),
        None => Ok(()),
    }
}

/// A `--bottle` size within [`crate::limits`]'s bounds.
fn bottle(ml: f64) -> Result<f64> {
    let (lo, hi) = (crate::limits::MIN_BOTTLE_ML, crate::limits::MAX_BOTTLE_ML);
    if (lo..=hi).contains(&ml) {
        return Ok(ml);
    }
    Err(Error::field(
        Problem::InvalidValue,
        "bottle",
        format!(
            "--bottle is {} mL, outside what taper accepts for a bottle ({} mL to {} mL); check the number and its unit, like --bottle 100ml",
            crate::text::fmt_num(ml),
            crate::text::fmt_num(lo),
            crate::text::fmt_num(hi)
        ),
    ))
}
