//! A step's liquid volume that no one oral syringe measures (3.1 mL: the 3 mL syringe
//! holds too little at 0.1 mL marks past 3 mL, the 5 mL one is marked in 0.2 mL) is
//! rounded instead to the nearest volume one syringe does measure, when that dose keeps
//! the rounding's rules (`round`); otherwise it is drawn in parts (`syringes`).

use super::{Kit, Measurable};
use crate::error::Result;

/// How many of the kit's doses either side of a dose drawn in parts are looked at for
/// one a single syringe measures: enough to span the coarsest scale in
/// `schedules/syringes.toml` (0.2 mL) at a 0.01 mL graduation, with room to spare; a
/// finer `--syringe` reaches less far and leaves more doses drawn in parts. A bound on
/// the search, not a clinical figure.
const ONE_DRAW_REACH: usize = 40;

/// For a volume no one syringe measures (3.1 mL: no 0.1 mL marks above 3 mL), the dose
/// nearest the ideal that one syringe does measure (3.0 mL on the 3 mL syringe, or
/// 3.2 mL on the 5 mL syringe's 0.2 mL marks), if it obeys the same rules as any
/// rounded dose: never above the previous dose, never a fall beyond the plan's step
/// plus tolerance, and not equal to the previous dose (that would lose the step).
/// `None` leaves the dose as it is, drawn in parts.
pub(super) fn instead<'a>(
    doses: &'a [Measurable],
    picked: &Measurable,
    ideal: f64,
    prev_mg: f64,
    min_occ: f64,
    occ: &dyn Fn(f64) -> Result<f64>,
    kit: &Kit,
) -> Result<Option<&'a Measurable>> {
    let at = doses.partition_point(|d| d.dose_mg < picked.dose_mg - 1e-9);
    let lo = at.saturating_sub(ONE_DRAW_REACH);
    let hi = (at + ONE_DRAW_REACH + 1).min(doses.len());
    let mut best: Option<&Measurable> = None;
    for d in &doses[lo..hi] {
        let nearer = best.is_none_or(|b| {
            let (db, dd) = ((b.dose_mg - ideal).abs(), (d.dose_mg - ideal).abs());
            // A tie goes to the larger dose, the gentler fall, as in `round::nearest`.
            dd < db - 1e-12 || ((dd - db).abs() <= 1e-12 && d.dose_mg > b.dose_mg)
        });
        if nearer
            && d.dose_mg < prev_mg - 1e-9
            && kit.one_draw(d)
            && occ(d.dose_mg)? >= min_occ - 1e-9
        {
            best = Some(d);
        }
    }
    Ok(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 4 mg/mL drawn to 0.1 mL: 3.1 mL (12.4 mg) is two draws (3 mL, then 0.1 mL).
    fn kit_and_doses() -> (Kit, Vec<Measurable>) {
        let kit = Kit::liquid("oral solution 4 mg/mL", 4.0, 0.1, 1.0).unwrap();
        let doses = kit.doses_up_to(40.0).unwrap();
        (kit, doses)
    }

    fn at_mg(doses: &[Measurable], mg: f64) -> &Measurable {
        doses
            .iter()
            .find(|d| (d.dose_mg - mg).abs() < 1e-9)
            .unwrap()
    }

    // Occupancy stands in as the dose itself: any rising curve orders doses the same.
    fn occ(mg: f64) -> Result<f64> {
        Ok(mg)
    }

    #[test]
    fn a_volume_drawn_in_parts_is_rounded_to_one_syringes_marks() {
        let (kit, doses) = kit_and_doses();
        let picked = at_mg(&doses, 12.4);
        assert!(!kit.one_draw(picked));
        // 3.0 mL and 3.2 mL are equally near; the larger is the gentler fall.
        let d = instead(&doses, picked, 12.4, 20.0, 0.0, &occ, &kit)
            .unwrap()
            .unwrap();
        assert_eq!(d.dose_mg, 12.8);
        assert!(kit.instructions(d).starts_with("draw 3.2 mL"));
        assert!(!kit.instructions(d).contains("draws"));
    }

    #[test]
    fn never_above_the_previous_dose_nor_beyond_the_allowed_fall() {
        let (kit, doses) = kit_and_doses();
        let picked = at_mg(&doses, 12.4);
        // 3.2 mL would be above the previous dose (12.5 mg): 3.0 mL instead.
        let d = instead(&doses, picked, 12.4, 12.5, 0.0, &occ, &kit).unwrap();
        assert_eq!(d.map(|d| d.dose_mg), Some(12.0));
        // 3.0 mL falls too far (below 12.2) and 3.2 mL is above 12.5: left in parts.
        let d = instead(&doses, picked, 12.4, 12.5, 12.2, &occ, &kit).unwrap();
        assert_eq!(d, None);
        // Equal to the previous dose would lose the step: not taken.
        let d = instead(&doses, picked, 12.4, 12.8, 12.2, &occ, &kit).unwrap();
        assert_eq!(d, None);
    }
}
