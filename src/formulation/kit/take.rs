//! How to take a dose the kit makes: in words ("1 × 10 mg tablet + ½ × 10 mg tablet",
//! "take 3 drops …"), what a day uses of each product (for dispensing), and whether
//! the dose is practical to take at all.

use super::{Kit, Measurable, Measure, Piece, PieceKind, round};
use crate::model::{Unit, Usage};
use crate::text::fmt_num;

/// More tablets or capsules (whole or split pieces; counted beads aside) than this in
/// one dose is taken as a mistyped strength (`--tablets 0.001`), not a plan to print.
/// A usability bound, not a clinical figure: the largest usual doses take 8 or fewer
/// (sertraline 200 mg from 25 mg tablets).
pub const MOST_PIECES_PER_DOSE: u32 = 20;

/// Likewise for liquids (a mg/5 mL concentration typed as mg/mL, say): the largest
/// usual doses from the catalog's liquids take 25 mL or less (paroxetine 50 mg at
/// 10 mg/5 mL).
pub const MOST_ML_PER_DOSE: f64 = 100.0;

impl Kit {
    /// How to take `dose` in words: "1 × 10 mg tablet + ½ × 10 mg tablet",
    /// "draw 1.7 mL of oral solution 2 mg/mL (3.4 mg)".
    /// With the day's dose divided ([`Kit::doses_per_day`]), the words say how often
    /// first, and a liquid's amount each time and in the day: "twice a day, draw 1.5 mL
    /// of the oral solution 37.5 mg/5 mL (11.25 mg each time, 22.5 mg a day)".
    pub fn instructions(&self, dose: &Measurable) -> String {
        let once = self.one_dose(dose);
        match self.doses_per_day {
            0 | 1 => once,
            n => format!("{}, {once}", super::times_a_day(n)),
        }
    }

    fn one_dose(&self, dose: &Measurable) -> String {
        let n = f64::from(self.doses_per_day.max(1));
        match (&dose.how, &self.liquid) {
            (Measure::Volume(ml), Some(l)) => {
                let amount = ml * l.mg_per_ml;
                let equivalent = if self.tablet_equivalent == 1.0 {
                    String::new()
                } else {
                    format!(
                        ", acting like {} mg of tablets",
                        fmt_num(round(dose.dose_mg / n, 4))
                    )
                };
                let amount_text = match n > 1.0 {
                    true => format!(
                        "{} mg each time, {} mg a day",
                        fmt_num(round(amount, 4)),
                        fmt_num(round(amount * n, 4))
                    ),
                    false => format!("{} mg", fmt_num(round(amount, 4))),
                };
                let measured = if l.drops {
                    let drops = (ml / l.graduation_ml).round();
                    format!(
                        "take {} of the {} ({amount_text}{equivalent})",
                        crate::text::fmt_count(drops as i64, "drop"),
                        l.name,
                    )
                } else {
                    // A volume no one syringe's scale measures is drawn in parts.
                    format!(
                        "draw {} mL of the {} ({amount_text}{equivalent}){}",
                        fmt_num(round(*ml, 4)),
                        l.name,
                        crate::formulation::syringes::how_to_draw(round(*ml, 4)),
                    )
                };
                // A concentrate's label says how to dilute each dose: the words end the
                // instruction, after the parts of a dose drawn in parts.
                match &l.dilute {
                    None => measured,
                    Some(how) if measured.ends_with(')') => format!("{measured} and {how}"),
                    Some(how) => format!("{measured}; then {how}"),
                }
            }
            (Measure::Pieces(counts), _) => {
                let parts: Vec<String> = counts
                    .iter()
                    .zip(&self.pieces)
                    .filter(|(n, _)| **n > 0)
                    .map(|(n, p)| piece_text(*n, p))
                    .collect();
                parts.join(" + ")
            }
            (Measure::Volume(_), None) => String::new(),
        }
    }

    /// Whether `dose` is taken in one measure: true for pieces and drops, and for a
    /// volume one oral syringe's scale measures (`schedules/syringes.toml`); false for
    /// a volume drawn in parts ("3.1 mL in 2 draws: 3 mL …, then 0.1 mL …").
    pub fn one_draw(&self, dose: &Measurable) -> bool {
        match (&dose.how, &self.liquid) {
            (Measure::Volume(ml), Some(l)) if !l.drops => {
                crate::formulation::syringes::draws(round(*ml, 4)).is_none_or(|d| d.len() == 1)
            }
            _ => true,
        }
    }

    /// What one day at `dose` uses of each product, for dispensing.
    pub fn usage(&self, dose: &Measurable) -> Vec<Usage> {
        let n = f64::from(self.doses_per_day.max(1));
        let usage = |product: String, amount: f64, unit: Unit| Usage {
            product,
            amount: amount * n,
            unit,
        };
        match (&dose.how, &self.liquid) {
            (Measure::Volume(ml), Some(l)) => vec![usage(l.name.clone(), *ml, Unit::Millilitres)],
            (Measure::Pieces(counts), _) => counts
                .iter()
                .zip(&self.pieces)
                .filter(|(n, _)| **n > 0)
                .map(|(n, p)| match p.kind {
                    // An opened capsule's remaining beads are not kept from day to day.
                    PieceKind::Bead => usage(
                        format!("{} mg capsule (opened for beads)", fmt_num(p.unit_mg)),
                        1.0,
                        Unit::Capsules,
                    ),
                    PieceKind::Capsule => usage(
                        format!("{} mg capsule", fmt_num(p.unit_mg)),
                        f64::from(*n),
                        Unit::Capsules,
                    ),
                    PieceKind::Tablet => usage(
                        format!("{} mg tablet", fmt_num(p.unit_mg)),
                        f64::from(*n) / f64::from(p.divisor),
                        Unit::Tablets,
                    ),
                })
                .collect(),
            (Measure::Volume(_), None) => Vec::new(),
        }
    }

    /// What makes `dose` impractical to take, if anything: "20000 pieces" beyond
    /// [`MOST_PIECES_PER_DOSE`], "2000 mL" beyond [`MOST_ML_PER_DOSE`].
    pub fn impractical(&self, dose: &Measurable) -> Option<String> {
        match &dose.how {
            Measure::Volume(ml) => {
                (*ml > MOST_ML_PER_DOSE).then(|| format!("{} mL", fmt_num(round(*ml, 1))))
            }
            Measure::Pieces(counts) => {
                let pieces: u32 = counts
                    .iter()
                    .zip(&self.pieces)
                    .filter(|(_, p)| p.kind != PieceKind::Bead)
                    .map(|(n, _)| n)
                    .sum();
                (pieces > MOST_PIECES_PER_DOSE).then(|| format!("{pieces} tablets or capsules"))
            }
        }
    }
}

fn piece_text(n: u32, p: &Piece) -> String {
    let mg = fmt_num(p.unit_mg);
    match (p.kind, p.divisor) {
        (PieceKind::Tablet, 1) => format!("{n} × {mg} mg tablet"),
        (PieceKind::Tablet, 2) => format!("{} × {mg} mg tablet", fraction(n, "½")),
        (PieceKind::Tablet, _) => format!("{} × {mg} mg tablet", fraction(n, "¼")),
        (PieceKind::Capsule, _) => format!("{n} × {mg} mg capsule"),
        (PieceKind::Bead, beads) => {
            let amount = fmt_num(round(f64::from(n) * p.unit_mg / f64::from(beads), 3));
            // Removing a few beads is easier than counting most of them.
            if 2 * n > beads {
                format!(
                    "an opened {mg} mg capsule with {} of its {beads} beads removed ({n} beads, ≈ {amount} mg)",
                    beads - n
                )
            } else {
                format!("{n} beads from an opened {mg} mg capsule (≈ {amount} mg)")
            }
        }
    }
}

fn fraction(n: u32, symbol: &str) -> String {
    if n == 1 {
        symbol.to_string()
    } else {
        format!("{n} × {symbol}")
    }
}
