//! What to dispense: totals per product for the whole plan and per prescription period,
//! from each day's usage. Tablets are counted whole (two half-tablet days use one
//! tablet); liquids in mL, and in bottles when a bottle size is given.

use super::Usage;
use crate::error::Result;
use crate::model::{Step, Unit};
use crate::schedule::add_days;
use jiff::civil::Date;
use serde::Serialize;
use std::num::NonZeroU32;

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Dispense {
    pub whole_plan: Vec<DispenseLine>,
    /// Empty unless `--dispense-every` was given.
    pub periods: Vec<DispensePeriod>,
    pub note: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DispensePeriod {
    pub period: usize,
    #[serde(serialize_with = "crate::schedule::serialize_date")]
    pub start_date: Date,
    #[serde(serialize_with = "crate::schedule::serialize_date")]
    pub end_date: Date,
    pub lines: Vec<DispenseLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DispenseLine {
    pub product: String,
    pub unit: Unit,
    /// The exact amount the days use (e.g. 14.5 tablets).
    pub amount: f64,
    /// What to hand over: whole tablets or capsules (rounded up), mL to 0.1 mL (up).
    pub to_dispense: f64,
    /// Bottles of the given size, for liquids when `--bottle` was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bottles: Option<u64>,
}

const NOTE: &str = "Totals are what the plan's days use, rounded up to whole tablets or capsules and to 0.1 mL; a split tablet's other part is used on a later day. Per-period totals are rounded up in each period, so they can add up to a little more than the whole-plan total. Check against the prescription before dispensing.";

/// Totals from `steps` (each step's `daily_usage` × its days). `every_days` splits the
/// plan into prescription periods from its first day.
pub fn dispense(
    steps: &[Step],
    every_days: Option<NonZeroU32>,
    bottle_ml: Option<f64>,
) -> Result<Dispense> {
    let mut days = Vec::new();
    for step in steps {
        for day in 0..i64::from(step.days) {
            days.push((add_days(step.start_date, day)?, step.daily_usage.as_slice()));
        }
    }
    totals(&days, every_days, bottle_ml)
}

/// Totals from one entry per day: its date and what it uses.
pub fn totals(
    days: &[(Date, &[Usage])],
    every_days: Option<NonZeroU32>,
    bottle_ml: Option<f64>,
) -> Result<Dispense> {
    let Some((start, _)) = days.first().copied() else {
        return Ok(Dispense {
            whole_plan: Vec::new(),
            periods: Vec::new(),
            note: NOTE,
        });
    };
    let mut whole: Vec<(String, Unit, f64)> = Vec::new();
    let mut periods: Vec<Vec<(String, Unit, f64)>> = Vec::new();
    for (date, usages) in days {
        let index = (*date - start).get_days() as u32;
        for usage in *usages {
            add(&mut whole, usage);
            if let Some(every) = every_days.map(NonZeroU32::get) {
                let period = (index / every) as usize;
                if periods.len() <= period {
                    periods.resize(period + 1, Vec::new());
                }
                add(&mut periods[period], usage);
            }
        }
    }
    let mut out_periods = Vec::new();
    if let Some(every) = every_days.map(NonZeroU32::get) {
        for (k, lines) in periods.into_iter().enumerate() {
            let start_date = add_days(start, k as i64 * i64::from(every))?;
            out_periods.push(DispensePeriod {
                period: k + 1,
                start_date,
                end_date: add_days(start_date, i64::from(every) - 1)?,
                lines: lines.into_iter().map(|l| line(l, bottle_ml)).collect(),
            });
        }
    }
    Ok(Dispense {
        whole_plan: whole.into_iter().map(|l| line(l, bottle_ml)).collect(),
        periods: out_periods,
        note: NOTE,
    })
}

fn add(totals: &mut Vec<(String, Unit, f64)>, usage: &Usage) {
    match totals.iter_mut().find(|(p, _, _)| *p == usage.product) {
        Some(entry) => entry.2 += usage.amount,
        None => totals.push((usage.product.clone(), usage.unit, usage.amount)),
    }
}

fn line((product, unit, amount): (String, Unit, f64), bottle_ml: Option<f64>) -> DispenseLine {
    let (to_dispense, bottles) = if unit == Unit::Millilitres {
        let ml = (amount * 10.0 - 1e-6).ceil() / 10.0;
        (
            ml,
            bottle_ml.map(|b| (amount / b - 1e-9).ceil().max(1.0) as u64),
        )
    } else {
        ((amount - 1e-9).ceil(), None)
    };
    DispenseLine {
        product,
        unit,
        amount: crate::text::tidy(amount),
        to_dispense,
        bottles,
    }
}
