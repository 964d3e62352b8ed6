//! What to dispense: totals per product for the whole plan and per prescription period,
//! from each day's usage. Tablets are counted whole (two half-tablet days use one
//! tablet); liquids in mL, and in bottles when a bottle size is known (`--bottle`, or
//! the catalog's bottle for that product). A bottle with an in-use shelf life (the
//! escitalopram drops' leaflet: "After opening, the drops should be used within 8
//! weeks") is replaced when that life ends, even when it is not empty, and the
//! dispensing note says so with the label's words.

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
    pub note: String,
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
    /// Bottles, for liquids whose bottle size is known (`--bottle`, or the catalog's);
    /// with an in-use shelf life, at least one per that many days of use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bottles: Option<u64>,
}

/// How one liquid's bottles are counted (from the catalog product's `bottle`).
#[derive(Debug, Clone, PartialEq)]
pub struct BottleRule {
    /// The product's name, as in its usage ("oral drops 20 mg/mL").
    pub product: String,
    pub ml: f64,
    /// Days a bottle may be used once opened.
    pub use_within_days: Option<u32>,
    /// The label's words for it, with source and evidence, for the dispensing note.
    pub why: String,
}

impl BottleRule {
    /// How the market's liquids' bottles are counted: their size and in-use shelf
    /// life, from the catalog (escitalopram drops: 15 mL, used within 8 weeks of
    /// opening).
    pub fn of_products(products: &[&crate::catalog::Product]) -> Vec<BottleRule> {
        products
            .iter()
            .filter_map(|p| {
                let b = p.bottle.as_ref()?;
                Some(BottleRule {
                    product: p.name.clone()?,
                    ml: b.ml,
                    use_within_days: b.use_within_days,
                    why: bottle_why(
                        b.use_within_as_published.as_deref().unwrap_or(""),
                        &b.source,
                        b.evidence.as_str(),
                    ),
                })
            })
            .collect()
    }
}

/// What sizes bottles: `--bottle` (every liquid), and the catalog's bottles.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bottles<'a> {
    pub given_ml: Option<f64>,
    pub catalog: &'a [BottleRule],
}

impl Bottles<'_> {
    /// The bottle size and in-use life for `product`: `--bottle`'s size over the
    /// catalog's, the catalog's life either way (it is the product's, not the size's).
    fn of(&self, product: &str) -> Option<(f64, Option<&BottleRule>)> {
        let rule = self.catalog.iter().find(|r| r.product == product);
        let ml = self.given_ml.or(rule.map(|r| r.ml))?;
        Some((ml, rule.filter(|r| r.use_within_days.is_some())))
    }
}

const NOTE: &str = "Totals are what the plan's days use, rounded up to whole tablets or capsules and to 0.1 mL; a split tablet's other part is used on a later day. Per-period totals are rounded up in each period, so they can add up to a little more than the whole-plan total. Check against the prescription before dispensing.";

/// Totals from `steps` (each step's `daily_usage` × its days). `every_days` splits the
/// plan into prescription periods from its first day.
pub fn dispense(
    steps: &[Step],
    every_days: Option<NonZeroU32>,
    bottles: Bottles,
) -> Result<Dispense> {
    let mut days = Vec::new();
    for step in steps {
        for day in 0..i64::from(step.days) {
            days.push((add_days(step.start_date, day)?, step.daily_usage.as_slice()));
        }
    }
    totals(&days, every_days, bottles)
}

/// One product's use: its unit, and what each day (counted from the plan's first day)
/// uses of it, in order.
type Tally = Vec<(String, Unit, Vec<(u32, f64)>)>;

/// Totals from one entry per day: its date and what it uses.
pub fn totals(
    days: &[(Date, &[Usage])],
    every_days: Option<NonZeroU32>,
    bottles: Bottles,
) -> Result<Dispense> {
    let Some((start, _)) = days.first().copied() else {
        return Ok(Dispense {
            whole_plan: Vec::new(),
            periods: Vec::new(),
            note: NOTE.to_string(),
        });
    };
    let mut whole: Tally = Vec::new();
    let mut periods: Vec<Tally> = Vec::new();
    for (date, usages) in days {
        let index = (*date - start).get_days() as u32;
        for usage in *usages {
            add(&mut whole, index, usage);
            if let Some(every) = every_days.map(NonZeroU32::get) {
                let period = (index / every) as usize;
                if periods.len() <= period {
                    periods.resize(period + 1, Vec::new());
                }
                add(&mut periods[period], index, usage);
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
                lines: lines.iter().map(|l| line(l, bottles).0).collect(),
            });
        }
    }
    let mut note = NOTE.to_string();
    let mut whole_plan = Vec::new();
    for tally in &whole {
        let (line, why) = line(tally, bottles);
        if let Some(why) = why {
            note.push(' ');
            note.push_str(&why);
        }
        whole_plan.push(line);
    }
    Ok(Dispense {
        whole_plan,
        periods: out_periods,
        note,
    })
}

fn add(tally: &mut Tally, day: u32, usage: &Usage) {
    let i = match tally.iter().position(|(p, _, _)| *p == usage.product) {
        Some(i) => i,
        None => {
            tally.push((usage.product.clone(), usage.unit, Vec::new()));
            tally.len() - 1
        }
    };
    let entry = &mut tally[i];
    match entry.2.last_mut() {
        Some((d, amount)) if *d == day => *amount += usage.amount,
        _ => entry.2.push((day, usage.amount)),
    }
}

/// The line for one product, and for a bottle with an in-use life, why bottles are
/// counted by it.
fn line(
    (product, unit, days): &(String, Unit, Vec<(u32, f64)>),
    bottles: Bottles,
) -> (DispenseLine, Option<String>) {
    let amount: f64 = days.iter().map(|(_, a)| a).sum();
    let (to_dispense, bottles, why) = match (unit, bottles.of(product)) {
        (Unit::Millilitres, sized) => {
            let ml = (amount * 10.0 - 1e-6).ceil() / 10.0;
            match sized {
                None => (ml, None, None),
                Some((size, rule)) => {
                    let life = rule.and_then(|r| r.use_within_days);
                    let count = count_bottles(days, size, life);
                    let by_volume = (amount / size - 1e-9).ceil().max(1.0) as u64;
                    let why = rule.zip(life).map(|(r, days)| {
                        let extra = count.saturating_sub(by_volume);
                        format!(
                            "Bottles of the {product} are counted by their in-use shelf life as well as by volume: a new bottle at least every {days} days of use, even when the last one is not empty ({}){}.",
                            r.why,
                            match extra {
                                0 => String::new(),
                                n => format!(
                                    "; this adds {n} bottle{} to the {by_volume} the volume alone needs",
                                    if n == 1 { "" } else { "s" }
                                ),
                            }
                        )
                    });
                    (ml, Some(count), why)
                }
            }
        }
        _ => ((amount - 1e-9).ceil(), None, None),
    };
    let line = DispenseLine {
        product: product.clone(),
        unit: *unit,
        amount: crate::text::tidy(amount),
        to_dispense,
        bottles,
    };
    (line, why)
}

/// Bottles of `size_ml` that `days` use, in order: a bottle is opened when none is
/// open or the open one runs out (a day's dose may take the last of one and the start
/// of the next), and, with `life_days`, when the open one has been open that long, its
/// remainder thrown away. At least one bottle for any use, as a bottle is the least
/// that can be handed over.
fn count_bottles(days: &[(u32, f64)], size_ml: f64, life_days: Option<u32>) -> u64 {
    const EPS: f64 = 1e-9;
    let mut count = 0u64;
    let mut opened: Option<u32> = None;
    let mut left = 0.0;
    for &(day, need) in days {
        if need <= EPS {
            continue;
        }
        if let (Some(o), Some(life)) = (opened, life_days)
            && day - o >= life
        {
            opened = None;
            left = 0.0;
        }
        let mut need = need;
        if opened.is_none() {
            count += 1;
            opened = Some(day);
            left = size_ml;
        }
        while need > left + EPS {
            need -= left;
            count += 1;
            opened = Some(day);
            left = size_ml;
        }
        left -= need;
    }
    count.max(u64::from(!days.is_empty()))
}

/// "After opening, the drops should be used within 8 weeks" (source; evidence: …):
/// the words a [`BottleRule`]'s `why` carries.
fn bottle_why(as_published: &str, source: &str, evidence: &str) -> String {
    format!("its label: \"{as_published}\"; {source}; evidence: {evidence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_life_bottles_are_counted_by_volume() {
        // 1 mL a day for 40 days from 15 mL bottles: 3 bottles, as by volume.
        let days: Vec<(u32, f64)> = (0..40).map(|d| (d, 1.0)).collect();
        assert_eq!(count_bottles(&days, 15.0, None), 3);
        // A day that takes the last of one bottle and the start of the next.
        assert_eq!(count_bottles(&[(0, 10.0), (1, 10.0)], 15.0, None), 2);
        // A dose bigger than a bottle takes several.
        assert_eq!(count_bottles(&[(0, 40.0)], 15.0, None), 3);
    }

    #[test]
    fn an_in_use_life_opens_a_new_bottle_when_it_ends() {
        // 0.1 mL a day for 168 days (24 weeks) from 15 mL bottles used within 56 days:
        // 16.8 mL by volume is 2 bottles, but the life needs one every 56 days: 3.
        let days: Vec<(u32, f64)> = (0..168).map(|d| (d, 0.1)).collect();
        assert_eq!(count_bottles(&days, 15.0, None), 2);
        assert_eq!(count_bottles(&days, 15.0, Some(56)), 3);
        // Day 56 is the first day a bottle opened on day 0 may no longer be used.
        let days: Vec<(u32, f64)> = (0..57).map(|d| (d, 0.1)).collect();
        assert_eq!(count_bottles(&days, 15.0, Some(56)), 2);
        let days: Vec<(u32, f64)> = (0..56).map(|d| (d, 0.1)).collect();
        assert_eq!(count_bottles(&days, 15.0, Some(56)), 1);
        // Bottles emptied well within their life are counted by volume alone: 60 mL
        // at 1 mL a day is 4 bottles, each empty after 15 days.
        let days: Vec<(u32, f64)> = (0..60).map(|d| (d, 1.0)).collect();
        assert_eq!(count_bottles(&days, 15.0, Some(56)), 4);
    }

    #[test]
    fn the_note_says_why_a_bottle_is_replaced_before_it_is_empty() {
        let rule = BottleRule {
            product: "oral drops 20 mg/mL".into(),
            ml: 15.0,
            use_within_days: Some(56),
            why: bottle_why("used within 8 weeks", "a leaflet", "secondary"),
        };
        let usage = [Usage {
            product: "oral drops 20 mg/mL".into(),
            amount: 0.1,
            unit: Unit::Millilitres,
        }];
        let start = jiff::civil::date(2027, 1, 4);
        let days: Vec<(Date, &[Usage])> = (0..168)
            .map(|d| (add_days(start, d).unwrap(), &usage[..]))
            .collect();
        let catalog = [rule];
        let bottles = Bottles {
            given_ml: None,
            catalog: &catalog,
        };
        let d = totals(&days, NonZeroU32::new(84), bottles).unwrap();
        assert_eq!(d.whole_plan[0].bottles, Some(3));
        assert!(
            d.note.contains("a new bottle at least every 56 days"),
            "{}",
            d.note
        );
        assert!(d.note.contains("this adds 1 bottle to the 2"), "{}", d.note);
        assert!(d.note.contains("\"used within 8 weeks\""), "{}", d.note);
        // Each 84-day period is counted on its own: 2 bottles each (days 0 and 56).
        let per: Vec<_> = d.periods.iter().map(|p| p.lines[0].bottles).collect();
        assert_eq!(per, vec![Some(2), Some(2)]);
    }
}
