//! What a person has to measure doses with (a "kit"): tablets that may or may not be
//! split, capsules (whole, or opened to count beads), or an oral liquid drawn with a
//! syringe of a given graduation. A kit lists every dose it can make, with the fewest
//! pieces; `take` says in words how to take each one, and what it uses.

mod take;

pub use take::{MOST_ML_PER_DOSE, MOST_PIECES_PER_DOSE};

use crate::error::{Error, Result};
use crate::text::{fmt_num, tidy};
use serde::Serialize;

/// How far tablets may be divided (`--split`). Never assumed: which tablets are scored
/// differs by manufacturer and market (a general caution; no published source stated).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    None,
    Half,
    Quarter,
}

impl Split {
    fn divisors(self) -> &'static [u32] {
        match self {
            Split::None => &[1],
            Split::Half => &[1, 2],
            Split::Quarter => &[1, 2, 4],
        }
    }
}

/// One thing a dose is made of: a whole or part tablet, a capsule, a bead.
#[derive(Debug, Clone, PartialEq)]
struct Piece {
    /// mg of drug in the whole unit (tablet, capsule).
    unit_mg: f64,
    /// The piece is 1/divisor of the unit (tablets), or one bead of `divisor` (capsules).
    divisor: u32,
    kind: PieceKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PieceKind {
    Tablet,
    Capsule,
    Bead,
}

#[derive(Debug, Clone, PartialEq)]
enum Measure {
    /// Counts of each piece, in step with `Kit::pieces`.
    Pieces(Vec<u32>),
    /// Millilitres of liquid.
    Volume(f64),
}

/// A dose the kit can make.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurable {
    /// Tablet-equivalent mg: what the occupancy curve is read at.
    pub dose_mg: f64,
    how: Measure,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Kit {
    /// "10 mg and 20 mg tablets, halves allowed", "oral solution 10 mg/5 mL, 0.1 mL syringe".
    pub description: String,
    pieces: Vec<Piece>,
    liquid: Option<Liquid>,
    /// mg of tablet that 1 mg of this product acts like (citalopram drops: 1.25).
    pub tablet_equivalent: f64,
    /// Printed with the plan: bead counting, dilution, bioavailability.
    pub caveats: Vec<String>,
    /// How many doses the day's dose is divided into, as the product's label says
    /// (venlafaxine oral solution, immediate-release: 2). Each dose is one measurable
    /// amount, so the day's dose is that many times it.
    pub doses_per_day: u32,
}

#[derive(Debug, Clone, PartialEq)]
struct Liquid {
    name: String,
    mg_per_ml: f64,
    /// The smallest amount measured: a syringe graduation, or one drop.
    graduation_ml: f64,
    /// Counted in drops (of `graduation_ml` each) rather than drawn by syringe.
    drops: bool,
    /// For a concentrate: what each dose's instruction ends with ("mix it with …"),
    /// from the product's label.
    dilute: Option<String>,
}

/// Drops are counted from the product's dropper; the mg in a drop is the published
/// figure, and only as good as the dropper is consistent.
const DROP_CAVEAT: &str = "Drops are counted from the bottle's own dropper, held upright; the mg per drop is the published figure for that product. Check the count with the pharmacist, especially for the smallest doses.";

/// Beads are counted in whole numbers from a user-measured beads-per-capsule; the
/// count is only as good as that measurement.
const BEAD_CAVEAT: &str = "Bead counts assume every bead holds the same amount of drug, from the beads-per-capsule you measured; count beads from a freshly opened capsule, and confirm the method with the prescriber or pharmacist. Gastro-resistant beads must not be crushed or chewed.";

/// The most distinct doses a kit will list: a guard, far above any real plan.
const MAX_DOSES: usize = 200_000;

/// The most beads `--beads-per-capsule` may give. Beads are counted by hand: this
/// number is itself a count of every bead in one capsule, and each dose counts up to
/// half of them (past half, the words say how many to remove). Ten thousand, one by
/// one, is far past what is counted reliably by hand, so a larger number is taken as a
/// mistyped one. A practical limit of counting, not a clinical figure; it also keeps
/// usual capsules and doses well inside [`MAX_DOSES`].
const MOST_BEADS_PER_CAPSULE: u32 = 10_000;

/// Strengths are read to the nanogram, far finer than any product is made to, so that
/// piece sizes and their sums are whole numbers and exact.
const NG_PER_MG: f64 = 1e6;

impl Kit {
    pub fn tablets(strengths_mg: &[f64], split: Split, label: &str) -> Result<Kit> {
        check_strengths(strengths_mg, "--tablets")?;
        let pieces = sorted(strengths_mg)
            .into_iter()
            .flat_map(|s| {
                split.divisors().iter().map(move |&d| Piece {
                    unit_mg: s,
                    divisor: d,
                    kind: PieceKind::Tablet,
                })
            })
            .collect();
        let split_text = match split {
            Split::None => "whole tablets only",
            Split::Half => "halves allowed",
            Split::Quarter => "halves and quarters allowed",
        };
        Ok(Kit {
            description: format!("{} {label}s, {split_text}", mg_list(strengths_mg)),
            pieces,
            liquid: None,
            tablet_equivalent: 1.0,
            caveats: Vec::new(),
            doses_per_day: 1,
        })
    }

    /// Capsules are taken whole; with `beads_per_capsule` the smallest capsule may be
    /// opened and its beads counted (duloxetine: NHS Specialist Pharmacy Service and a
    /// trust formulary; venlafaxine: source not stated).
    pub fn capsules(strengths_mg: &[f64], beads_per_capsule: Option<u32>) -> Result<Kit> {
        check_strengths(strengths_mg, "--capsule")?;
        let strengths = sorted(strengths_mg);
        let mut pieces: Vec<Piece> = strengths
            .iter()
            .map(|&s| Piece {
                unit_mg: s,
                divisor: 1,
                kind: PieceKind::Capsule,
            })
            .collect();
        let mut caveats = Vec::new();
        let mut description = format!("{} capsules", mg_list(strengths_mg));
        if let Some(beads) = beads_per_capsule {
            if !(2..=MOST_BEADS_PER_CAPSULE).contains(&beads) {
                return Err(Error::input(format!(
                    "--beads-per-capsule must be a whole number from 2 to {MOST_BEADS_PER_CAPSULE}, the beads you counted in one capsule"
                )));
            }
            let smallest = strengths[0];
            pieces.push(Piece {
                unit_mg: smallest,
                divisor: beads,
                kind: PieceKind::Bead,
            });
            description.push_str(&format!(
                ", beads counted from {} mg capsules ({beads} beads each)",
                fmt_num(smallest)
            ));
            caveats.push(BEAD_CAVEAT.to_string());
        }
        Ok(Kit {
            description,
            pieces,
            liquid: None,
            tablet_equivalent: 1.0,
            caveats,
            doses_per_day: 1,
        })
    }

    pub fn liquid(
        name: &str,
        mg_per_ml: f64,
        graduation_ml: f64,
        tablet_equivalent: f64,
    ) -> Result<Kit> {
        if !(mg_per_ml.is_finite() && mg_per_ml > 0.0) {
            return Err(Error::input(
                "--liquid needs a concentration above 0, like 2mg/ml or 10mg/5ml",
            ));
        }
        if !(0.001..=10.0).contains(&graduation_ml) {
            return Err(Error::input(
                "--syringe must be a graduation from 0.001 mL to 10 mL, like 0.1ml",
            ));
        }
        Ok(Kit::of_liquid(
            format!(
                "{name}, measured with a syringe graduated in {} mL",
                fmt_num(graduation_ml)
            ),
            Liquid {
                name: name.to_string(),
                mg_per_ml,
                graduation_ml,
                drops: false,
                dilute: None,
            },
            tablet_equivalent,
        ))
    }

    /// A liquid counted in drops of `mg_per_drop` each (UK citalopram and escitalopram
    /// drops: NHS Specialist Pharmacy Service and a trust formulary). The figures come
    /// from a catalog product, whose validation keeps one drop at 0.01–0.2 mL.
    pub fn drops(name: &str, mg_per_ml: f64, mg_per_drop: f64, tablet_equivalent: f64) -> Kit {
        let mut kit = Kit::of_liquid(
            format!("{name}, counted in drops of {} mg", fmt_num(mg_per_drop)),
            Liquid {
                name: name.to_string(),
                mg_per_ml,
                graduation_ml: mg_per_drop / mg_per_ml,
                drops: true,
                dilute: None,
            },
            tablet_equivalent,
        );
        kit.caveats.push(DROP_CAVEAT.to_string());
        kit
    }

    fn of_liquid(description: String, liquid: Liquid, tablet_equivalent: f64) -> Kit {
        Kit {
            description,
            pieces: Vec::new(),
            liquid: Some(liquid),
            tablet_equivalent,
            caveats: Vec::new(),
            doses_per_day: 1,
        }
    }

    /// The same kit with the day's dose divided into `n` doses (see
    /// [`Kit::doses_per_day`]).
    pub fn divided(mut self, n: u32) -> Kit {
        if n > 1 {
            self.description
                .push_str(&format!(", taken {}", times_a_day(n)));
        }
        self.doses_per_day = n.max(1);
        self
    }

    /// The same liquid kit, each dose diluted as `how` says before it is taken (a
    /// concentrate's label: see `Product::dilute`). No effect on a solid kit.
    pub fn diluted(mut self, how: &str) -> Kit {
        if let Some(l) = &mut self.liquid {
            l.dilute = Some(how.to_string());
            self.description.push_str(", diluted before use");
        }
        self
    }

    /// Whether doses are counted in drops.
    pub fn is_drops(&self) -> bool {
        self.liquid.as_ref().is_some_and(|l| l.drops)
    }

    /// Every non-zero dose the kit can make up to `max_mg` (tablet-equivalent), sorted
    /// ascending, each with the fewest pieces.
    pub fn doses_up_to(&self, max_mg: f64) -> Result<Vec<Measurable>> {
        let n = f64::from(self.doses_per_day);
        let mut doses = self.single_doses_up_to(max_mg / n)?;
        if self.doses_per_day > 1 {
            for d in &mut doses {
                d.dose_mg = tidy(d.dose_mg * n);
            }
        }
        Ok(doses)
    }

    /// [`Kit::doses_up_to`] for one of the day's doses.
    fn single_doses_up_to(&self, max_mg: f64) -> Result<Vec<Measurable>> {
        if let Some(l) = &self.liquid {
            let step_mg = l.graduation_ml * l.mg_per_ml * self.tablet_equivalent;
            let count = (max_mg / step_mg + 1e-9).floor() as usize;
            if count > MAX_DOSES {
                return Err(Error::input(
                    "this syringe is too fine for this dose range; use a coarser --syringe",
                ));
            }
            return Ok((1..=count)
                .map(|n| Measurable {
                    dose_mg: tidy(n as f64 * step_mg),
                    how: Measure::Volume(tidy(n as f64 * l.graduation_ml)),
                })
                .collect());
        }
        // Work on a grid every piece is a whole number of steps of, so sums are exact:
        // a bead of a 20 mg capsule of 300 is 1/15 mg, no whole number of µg, but in
        // 1/`common` ng (every divisor divides `common`) each piece is a whole number.
        let common = self
            .pieces
            .iter()
            .map(|p| u128::from(p.divisor))
            .fold(1, lcm);
        let sizes: Vec<u128> = self
            .pieces
            .iter()
            .map(|p| ng(p.unit_mg) * (common / u128::from(p.divisor)))
            .collect();
        let unit = sizes.iter().copied().fold(0, gcd).max(1);
        let top = ng(max_mg).saturating_mul(common) / unit;
        if top > MAX_DOSES as u128 {
            return Err(self.too_many_doses(max_mg));
        }
        let top = top as usize;
        let sizes: Vec<usize> = sizes.iter().map(|s| (s / unit) as usize).collect();
        // best[v] = (pieces, split pieces, last piece index) for v grid steps.
        let mut best: Vec<Option<(u32, u32, usize)>> = vec![None; top + 1];
        best[0] = Some((0, 0, usize::MAX));
        for v in 1..=top {
            for (i, &step) in sizes.iter().enumerate() {
                if step == 0 || step > v {
                    continue;
                }
                if let Some((n, split, _)) = best[v - step] {
                    let split = split + u32::from(self.pieces[i].divisor > 1);
                    let candidate = (n + 1, split, i);
                    if best[v].is_none_or(|b| (candidate.0, candidate.1) < (b.0, b.1)) {
                        best[v] = Some(candidate);
                    }
                }
            }
        }
        // Each dose is its last piece added to an earlier dose: copy that one's counts
        // rather than walk back through thousands of beads for every dose.
        let mut made: Vec<(usize, Vec<u32>)> = Vec::new();
        let mut index = vec![None; top + 1];
        for v in 1..=top {
            let Some((_, _, i)) = best[v] else { continue };
            let mut counts = index[v - sizes[i]].map_or_else(
                || vec![0u32; self.pieces.len()],
                |at: usize| made[at].1.clone(),
            );
            counts[i] += 1;
            index[v] = Some(made.len());
            made.push((v, counts));
        }
        Ok(made
            .into_iter()
            .map(|(v, counts)| Measurable {
                // One division of whole numbers: the nearest f64 to the exact dose.
                dose_mg: (v as u128 * unit) as f64 / (common as f64 * NG_PER_MG),
                how: Measure::Pieces(counts),
            })
            .collect())
    }

    /// Why the kit cannot list its doses up to `max_mg`. With beads, the bead count is
    /// what to lower, and the most it may be is worked out with each bead one step of
    /// dose (as it is when the capsules' strengths are whole numbers of beads).
    fn too_many_doses(&self, max_mg: f64) -> Error {
        let bead = self.pieces.iter().find(|p| p.kind == PieceKind::Bead);
        if let Some(p) = bead {
            let most = (MAX_DOSES as f64 * p.unit_mg / max_mg).floor();
            if most >= 2.0 {
                return Error::input(format!(
                    "--beads-per-capsule {} makes too many doses of {} mg capsules to list up to {} mg; give a whole number from 2 to {most}",
                    p.divisor,
                    fmt_num(p.unit_mg),
                    fmt_num(max_mg)
                ));
            }
        }
        Error::input(
            "these products make too many distinct doses to list; use fewer or larger pieces",
        )
    }

    pub fn is_liquid(&self) -> bool {
        self.liquid.is_some()
    }

    /// The smallest non-zero day's dose the kit can make (tablet-equivalent mg).
    pub fn smallest_mg(&self) -> f64 {
        f64::from(self.doses_per_day) * self.smallest_single_mg()
    }

    fn smallest_single_mg(&self) -> f64 {
        match &self.liquid {
            Some(l) => l.graduation_ml * l.mg_per_ml * self.tablet_equivalent,
            None => self
                .pieces
                .iter()
                .map(|p| p.unit_mg / f64::from(p.divisor))
                .fold(f64::INFINITY, f64::min),
        }
    }
}

/// "once a day", "twice a day", "3 times a day".
pub fn times_a_day(n: u32) -> String {
    match n {
        0 | 1 => "once a day".into(),
        2 => "twice a day".into(),
        n => format!("{n} times a day"),
    }
}

/// Strengths within the dose bounds of [`crate::limits`] (a request's are checked there
/// first, with the field; this guards the library's other callers).
fn check_strengths(strengths: &[f64], flag: &str) -> Result<()> {
    let (lo, hi) = (crate::limits::MIN_DOSE_MG, crate::limits::MAX_DOSE_MG);
    if strengths.is_empty() || !strengths.iter().all(|s| (lo..=hi).contains(s)) {
        return Err(Error::input(format!(
            "{flag} needs strengths in mg from {} to {}, like {flag} 10,20",
            crate::text::fmt_num(lo),
            crate::text::fmt_num(hi)
        )));
    }
    Ok(())
}

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

fn mg_list(strengths: &[f64]) -> String {
    let list: Vec<String> = sorted(strengths)
        .iter()
        .map(|s| format!("{} mg", fmt_num(*s)))
        .collect();
    list.join(" and ")
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn lcm(a: u128, b: u128) -> u128 {
    a / gcd(a, b) * b
}

/// `mg` in whole nanograms (see [`NG_PER_MG`]).
fn ng(mg: f64) -> u128 {
    (mg * NG_PER_MG).round() as u128
}

fn round(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}

#[cfg(test)]
mod tests;
