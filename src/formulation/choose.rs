//! Which kit to round a plan to: what the user says they have (`--tablets`,
//! `--capsule`, `--liquid`), or the market's products (`--form`, `--market`), and what
//! to suggest when the products cannot make a step.

use super::phases::{Trial, pick};
use super::round::{IdealSteps, Rounded};
use super::{Daily, DailyRow, Dispense, FormulationInfo, Kit, Split};
use crate::catalog::{DrugEntry, Evidence, Market, Product, ProductForm, Release};
use crate::error::{Error, Result};
use crate::model::{Code, Step, Warning};
use crate::text::fmt_num;
use std::num::NonZeroU32;

/// `--form`: let the tool pick from the market's products.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum FormChoice {
    Tablet,
    Capsule,
    Liquid,
    /// Tablets if they make every step, else capsules, else the liquid.
    Auto,
}

/// Everything the product options say, parsed and checked by [`crate::request`].
#[derive(Debug, Clone, PartialEq)]
pub struct FormulationRequest {
    pub market: Market,
    pub form: Option<FormChoice>,
    pub tablets: Vec<f64>,
    pub split: Split,
    pub capsules: Vec<f64>,
    pub beads_per_capsule: Option<u32>,
    /// mg/mL, from `--liquid 2mg/ml` or `10mg/5ml`.
    pub liquid_mg_per_ml: Option<f64>,
    /// `--syringe`; `None` is the default graduation, or drops for a catalog product
    /// taken in drops.
    pub syringe_ml: Option<f64>,
    /// 0 to 100.
    pub tolerance_pct: f64,
    pub dispense_every_days: Option<NonZeroU32>,
    pub bottle_ml: Option<f64>,
}

/// The plan rounded to products: the final steps, what they are, what to dispense,
/// and the warnings about the products.
#[derive(Debug, Clone)]
pub struct Products {
    pub steps: Vec<Step>,
    pub info: FormulationInfo,
    pub dispense: Dispense,
    /// With `--daily`: one row per day, rounded to the products.
    pub daily: Option<Vec<DailyRow>>,
    /// Set when the products cannot make the tail: the plan ends held, not stopped.
    pub held: Option<super::HeldEnd>,
    pub warnings: Vec<Warning>,
}

/// Rounds the ideal steps to the products `request` names, adds dispensing totals, and
/// the notes that go with them. `drug` is the catalog entry (None for a drug outside
/// it); `daily` asks for daily rows.
pub fn choose_kit(
    ideal: &IdealSteps,
    request: &FormulationRequest,
    daily: Option<Daily>,
    drug: Option<&DrugEntry>,
) -> Result<Products> {
    let products: Vec<&Product> = drug
        .map(|d| {
            d.products
                .iter()
                .filter(|p| p.market == request.market && p.available)
                .collect()
        })
        .unwrap_or_default();
    let market_liquid = products
        .iter()
        .filter(|p| p.form == ProductForm::Liquid)
        .min_by(|a, b| {
            a.mg_per_ml()
                .unwrap_or(f64::MAX)
                .total_cmp(&b.mg_per_ml().unwrap_or(f64::MAX))
        })
        .copied();
    let candidates = candidate_kits(request, &products, market_liquid, drug)?;
    let mut trials: Vec<Trial> = Vec::with_capacity(candidates.len());
    let mut refusal = None;
    for (kit, info) in candidates {
        let suggestion = suggestion(&kit, market_liquid, request, drug);
        // A kit that cannot make the plan at all is skipped in favour of the next one.
        match super::round(ideal, &kit, info.clone(), &suggestion) {
            Ok(rounded) => trials.push(Trial {
                kit,
                info,
                suggestion,
                rounded,
            }),
            Err(err) => refusal = Some(err),
        }
    }
    let (rounded, kit) = pick(ideal, trials, daily.is_some())?.ok_or_else(|| {
        refusal.unwrap_or_else(|| {
            Error::input("no products to round to; give --tablets, --capsule, --liquid or --form")
        })
    })?;
    let Rounded {
        mut steps,
        info,
        mut warnings,
        ..
    } = rounded;
    warnings.extend(super::release::divided_warning(&mut steps, &kit, &products));
    let used = super::tail::Used {
        market: request.market,
        liquid: kit.is_liquid(),
        finest_syringe: request.syringe_ml.is_some_and(|ml| ml <= 0.01),
    };
    let held = super::tail::hold_instead_of_cliff(
        &mut steps,
        &mut warnings,
        ideal,
        info.allowed_fall_pp,
        drug,
        &used,
    );
    let bottle_rules = super::BottleRule::of_products(&products);
    let bottles = super::Bottles {
        given_ml: request.bottle_ml,
        catalog: &bottle_rules,
    };
    let (dispense, daily) = match daily {
        Some(daily) => {
            let rows = super::daily_rows(
                ideal.curve,
                ideal.start_dose_mg,
                &steps,
                Some(&kit),
                daily.strips,
                held.is_none(),
            )?;
            let days: Vec<_> = rows.iter().map(|r| (r.date, r.usage.as_slice())).collect();
            let totals = super::totals(&days, request.dispense_every_days, bottles)?;
            (totals, Some(rows))
        }
        None => (
            super::dispense(&steps, request.dispense_every_days, bottles)?,
            None,
        ),
    };
    if request.bottle_ml.is_some() && !kit.is_liquid() {
        warnings.push(Warning::plan_wide(
            Code::BottleNotUsed,
            format!(
                "--bottle sizes a liquid, but the doses were rounded to {}; it was not used.",
                kit.description
            ),
        ));
    }
    if drug.is_some_and(|d| d.name == "fluoxetine") {
        warnings.push(Warning::plan_wide(
            Code::FluoxetineAlternateDays,
            "Fluoxetine's long half-life (norfluoxetine 4–16 days) makes it the one antidepressant for which the Maudsley Deprescribing Guidelines allow alternate-day dosing; for every other antidepressant, every-other-day dosing is likely to cause withdrawal. taper does not plan alternate days: that is the prescriber's choice.".into(),
        ));
    }
    Ok(Products {
        steps,
        info,
        dispense,
        daily,
        held,
        warnings,
    })
}

/// The syringe graduation when none is given.
pub const DEFAULT_SYRINGE_ML: f64 = 0.1;

/// The kits to try, in order of preference.
fn candidate_kits(
    request: &FormulationRequest,
    products: &[&Product],
    market_liquid: Option<&Product>,
    drug: Option<&DrugEntry>,
) -> Result<Vec<(Kit, FormulationInfo)>> {
    let given = |kit: Kit| {
        let info = info(
            &kit,
            request,
            "given on the command line".into(),
            Evidence::User,
        );
        Ok(vec![(kit, info)])
    };
    if !request.tablets.is_empty() {
        if request.split != Split::None {
            let named = super::release::tablets_named(drug, request.market, &request.tablets);
            super::release::refuse_split(drug, &named)?;
        }
        return given(Kit::tablets(&request.tablets, request.split, "tablet")?);
    }
    if !request.capsules.is_empty() {
        let mut kits = given(Kit::capsules(&request.capsules, request.beads_per_capsule)?)?;
        if request.beads_per_capsule.is_some() {
            let named = super::release::capsules_named(drug, request.market, &request.capsules);
            super::release::check_opening(drug, &named, &mut kits[0].1.caveats)?;
        }
        return Ok(kits);
    }
    if let Some(mg_per_ml) = request.liquid_mg_per_ml {
        // A catalog liquid of the same strength, marketed now in the requested market,
        // brings its name and bioavailability; another market's product (UK citalopram
        // drops' ×1.25 for a US 40 mg/mL liquid) or a discontinued one says nothing
        // about the liquid in hand.
        let same = drug
            .into_iter()
            .flat_map(|d| d.products.iter())
            .filter(|p| p.form == ProductForm::Liquid)
            .filter(|p| p.market == request.market && p.available)
            .find(|p| p.mg_per_ml().is_some_and(|c| (c - mg_per_ml).abs() < 1e-9));
        return match same {
            Some(product) => Ok(vec![product_kit(product, request)?]),
            None => given(Kit::liquid(
                &format!("{} mg/mL liquid", fmt_num(mg_per_ml)),
                mg_per_ml,
                request.syringe_ml.unwrap_or(DEFAULT_SYRINGE_ML),
                1.0,
            )?),
        };
    }
    let of_form = |forms: &[ProductForm]| {
        products
            .iter()
            .copied()
            .filter(|p| forms.contains(&p.form))
            .collect::<Vec<_>>()
    };
    let tablets = of_form(&[ProductForm::Tablet, ProductForm::DispersibleTablet]);
    let capsules = of_form(&[ProductForm::Capsule]);
    let mut kits = Vec::new();
    let wanted = request.form.unwrap_or(FormChoice::Auto);
    if matches!(wanted, FormChoice::Tablet | FormChoice::Auto) && !tablets.is_empty() {
        // A modified-release tablet is never split (its label: swallowed whole): such
        // tablets are a kit of whole tablets of their own, after the ones that may be.
        let (whole, may_split): (Vec<&Product>, Vec<&Product>) =
            tablets.iter().partition(|p| p.never_split());
        if request.split != Split::None && may_split.is_empty() {
            super::release::refuse_split(drug, &whole)?;
        }
        // Where the market has tablets of both release forms (US venlafaxine: IR and
        // ER), the products line names which ones the plan means, so the halves of an
        // immediate-release plan are never taken from an extended-release tablet.
        let mixed = tablets.iter().any(|p| p.release == Release::Modified)
            && tablets.iter().any(|p| p.release == Release::Immediate);
        let label = |group: &[&Product]| match group.first() {
            Some(p) if mixed => format!("{} tablet", p.release.as_str()),
            _ => "tablet".to_string(),
        };
        if !may_split.is_empty() {
            kits.push(solid_kit(
                &may_split,
                request,
                Some((request.split, &label(&may_split))),
            )?);
        }
        if !whole.is_empty() {
            kits.push(solid_kit(
                &whole,
                request,
                Some((Split::None, &label(&whole))),
            )?);
        }
    }
    if matches!(wanted, FormChoice::Capsule | FormChoice::Auto) && !capsules.is_empty() {
        let mut kit = solid_kit(&capsules, request, None)?;
        if request.beads_per_capsule.is_some() {
            super::release::check_opening(drug, &capsules, &mut kit.1.caveats)?;
        }
        kits.push(kit);
    }
    if matches!(wanted, FormChoice::Liquid | FormChoice::Auto)
        && let Some(liquid) = market_liquid
    {
        kits.push(product_kit(liquid, request)?);
    }
    if kits.is_empty() {
        let name = drug.map_or("this drug", |d| d.name.as_str());
        return Err(Error::input(format!(
            "the catalog lists no {} of {name} for the {} market; say what you have with --tablets, --capsule or --liquid",
            match wanted {
                FormChoice::Tablet => "tablets",
                FormChoice::Capsule => "capsules",
                FormChoice::Liquid => "oral liquid",
                FormChoice::Auto => "products",
            },
            market_name(request.market)
        )));
    }
    Ok(kits)
}

/// All strengths of the market's tablets (split as `split` says) or, without a
/// split, capsules together.
fn solid_kit(
    products: &[&Product],
    request: &FormulationRequest,
    split: Option<(Split, &str)>,
) -> Result<(Kit, FormulationInfo)> {
    let strengths: Vec<f64> = products
        .iter()
        .flat_map(|p| p.strengths_mg.iter().copied())
        .collect();
    let kit = match split {
        Some((split, label)) => Kit::tablets(&strengths, split, label)?,
        None => Kit::capsules(&strengths, request.beads_per_capsule)?,
    };
    let kit = kit.divided(divided_by(products));
    let (source, evidence) = weakest(products);
    let mut info = info(&kit, request, source, evidence);
    info.caveats
        .extend(products.iter().filter_map(|p| p.note.clone()));
    Ok((kit, info))
}

fn product_kit(product: &Product, request: &FormulationRequest) -> Result<(Kit, FormulationInfo)> {
    let name = product.name.clone().unwrap_or_else(|| "oral liquid".into());
    let mg_per_ml = product.mg_per_ml().unwrap_or(0.0);
    let factor = product.tablet_equivalent_mg_per_mg.unwrap_or(1.0);
    // Drops are counted as the patient takes them, unless a syringe was asked for.
    let kit = match (product.mg_per_drop, request.syringe_ml) {
        (Some(mg_per_drop), None) => Kit::drops(&name, mg_per_ml, mg_per_drop, factor),
        (_, syringe) => Kit::liquid(
            &name,
            mg_per_ml,
            syringe.unwrap_or(DEFAULT_SYRINGE_ML),
            factor,
        )?,
    };
    let mut kit = kit.divided(divided_by(&[product]));
    if let Some(d) = &product.dilute {
        kit = kit.diluted(&d.how);
    }
    let mut info = info(&kit, request, product.source.clone(), product.evidence);
    info.caveats.extend(product.note.clone());
    if let Some(d) = &product.dilute {
        info.caveats.push(format!(
            "Diluted before use, as its label says: \"{}\" ({}; evidence: {}).",
            d.as_published,
            d.source,
            d.evidence.as_str()
        ));
    }
    // Citalopram's drop size and bioavailability are one published sentence: say it once.
    if kit.is_drops()
        && let Some(published) = &product.drop_as_published
        && product.bioavailability_as_published.as_ref() != Some(published)
    {
        info.caveats.push(format!(
            "Drop size: {published} ({}; evidence: {}).",
            product.source,
            product.evidence.as_str()
        ));
    }
    if let Some(published) = &product.bioavailability_as_published {
        info.caveats.push(format!(
            "Bioavailability: {published} ({}; evidence: {}). Doses are in tablet-equivalent mg; the liquid amount is shown in each instruction.",
            product.source,
            product.evidence.as_str()
        ));
    }
    Ok((kit, info))
}

fn info(
    kit: &Kit,
    request: &FormulationRequest,
    source: String,
    evidence: Evidence,
) -> FormulationInfo {
    FormulationInfo {
        products: kit.description.clone(),
        market: Some(request.market),
        source,
        evidence,
        tolerance_pct: request.tolerance_pct,
        allowed_fall_pp: 0.0,
        smallest_dose_mg: kit.smallest_mg(),
        tablet_equivalent_mg_per_mg: kit.tablet_equivalent,
        caveats: kit.caveats.clone(),
    }
}

/// How many doses a day the products' labels divide the day's dose into: the most any
/// of them says (1 when none does).
fn divided_by(products: &[&Product]) -> u32 {
    products
        .iter()
        .filter_map(|p| p.doses_per_day)
        .max()
        .unwrap_or(1)
}

/// The weaker of two evidence levels.
pub(super) fn weaker(a: Evidence, b: Evidence) -> Evidence {
    if rank(a) >= rank(b) { a } else { b }
}

fn rank(e: Evidence) -> u8 {
    match e {
        Evidence::Verified => 0,
        Evidence::Secondary => 1,
        Evidence::User => 2,
        Evidence::Unverified => 3,
    }
}

/// The lowest evidence level among products, with their sources.
fn weakest(products: &[&Product]) -> (String, Evidence) {
    let evidence = products
        .iter()
        .map(|p| p.evidence)
        .max_by_key(|e| rank(*e))
        .unwrap_or(Evidence::User);
    let mut sources: Vec<&str> = products.iter().map(|p| p.source.as_str()).collect();
    sources.dedup();
    (sources.join("; "), evidence)
}

fn suggestion(
    kit: &Kit,
    market_liquid: Option<&Product>,
    request: &FormulationRequest,
    drug: Option<&DrugEntry>,
) -> String {
    if kit.is_drops() {
        return "Doses below one drop need the drops diluted, or another liquid, prepared by the pharmacist; or measuring by syringe (--syringe 0.01ml).".into();
    }
    if kit.is_liquid() {
        return if request.syringe_ml.unwrap_or(DEFAULT_SYRINGE_ML) > 0.01 {
            "A syringe with finer graduations (e.g. --syringe 0.01ml) or a more dilute liquid would make smaller doses.".into()
        } else {
            "A more dilute liquid (prepared by the pharmacist) would make smaller doses.".into()
        };
    }
    match market_liquid {
        Some(liquid) => format!(
            "The {} listed for the {} market would make smaller doses: try --form liquid.",
            liquid.name.as_deref().unwrap_or("oral liquid"),
            market_name(request.market)
        ),
        None => {
            let name = drug.map_or("this drug", |d| d.name.as_str());
            // A liquid that was made and is no more is named as discontinued, not missing.
            let gone = drug
                .into_iter()
                .flat_map(|d| d.products.iter())
                .filter(|p| p.market == request.market && p.form == ProductForm::Liquid)
                .find_map(|p| p.discontinued.as_deref());
            let remedy = drug
                .and_then(|d| d.tail_remedies.iter().find(|r| r.market == request.market))
                .map_or(
                    "a compounded liquid or an unlicensed one (a special), arranged with the pharmacist, may be needed",
                    |r| r.text.as_str(),
                );
            match gone {
                Some(gone) => format!(
                    "No oral liquid of {name} is made for the {} market now ({gone}): {remedy}",
                    market_name(request.market)
                ),
                None => format!(
                    "No oral liquid of {name} is listed for the {} market: {remedy}",
                    market_name(request.market)
                ),
            }
        }
    }
}

use super::tail::market_name;
