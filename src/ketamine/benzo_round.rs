//! Rounding a benzodiazepine taper's ideal daily doses to what the drug's products make,
//! under the rules of the antidepressant rounding (`formulation`): a dose never rises;
//! a step may cut more than the plan's percentage by at most the rounding tolerance
//! (else it is flagged); steps the products make as one dose are merged (held longer);
//! and the taper ends at the first step whose dose is small enough to stop from, or the
//! smallest dose the products make, so the last step is always a measurable dose.
//!
//! Solid forms come first; from the first step they cannot make within the tolerance,
//! the market's oral liquid takes over if it can (coarsest first), and doses never go
//! back to tablets.

use super::benzo_doses::{DailyDose, DoseKit};

/// One rounded step: the ideal steps it stands for, its dose, and which kit makes it.
#[derive(Debug, Clone)]
pub struct RoundedStep {
    /// Index (0-based) of the first ideal step it stands for, and how many.
    pub ideal_first: usize,
    pub ideal_count: usize,
    pub dose: DailyDose,
    pub kit: usize,
    /// The cut from the previous dose is more than the plan's percentage plus the
    /// tolerance.
    pub too_large: bool,
    /// The cut from the previous dose, percent.
    pub cut_pct: f64,
}

/// What the rounding needs.
pub struct Rounding<'a> {
    pub ideal: &'a [f64],
    pub start_mg: f64,
    pub percent: f64,
    pub tolerance_pct: f64,
    /// Doses at or below this are small enough to stop from.
    pub stop_from_mg: f64,
    pub times: &'a [String],
}

/// The rounded steps, merged; `None` when no kit makes any dose at or below the start.
pub fn round(r: &Rounding, kits: &[DoseKit]) -> Option<Vec<RoundedStep>> {
    let doses: Vec<Vec<DailyDose>> = kits
        .iter()
        .map(|k| k.daily_doses(r.times, r.start_mg))
        .collect();
    let mut kit = doses.iter().position(|d| !d.is_empty())?;
    let most_cut = r.percent * (1.0 + r.tolerance_pct / 100.0) / 100.0;
    let mut prev = r.start_mg;
    let mut out: Vec<RoundedStep> = Vec::new();
    for (i, ideal) in r.ideal.iter().enumerate() {
        let floor = prev * (1.0 - most_cut) - 1e-9;
        let below = |d: &[DailyDose]| d.first().is_some_and(|x| x.mg < prev - 1e-9);
        let own = pick_in(&doses[kit], *ideal, prev, floor).filter(|_| below(&doses[kit]));
        let mut pick = own;
        // Where this kit cannot go lower, or only by too much, a later kit (a liquid)
        // that makes the step within the tolerance; where none does, a later kit's
        // smallest fall if this kit cannot go lower at all.
        // A hold at the previous dose where a later kit makes a reduction nearer the
        // ideal, within the tolerance, is a step lost: take the later kit.
        let holds = own.is_some_and(|(j, _)| doses[kit][j].mg >= prev - 1e-9);
        if holds {
            let held_by = (prev - *ideal).abs();
            let nearer = (kit + 1..kits.len()).find_map(|k| {
                let (j, too_large) = pick_in(&doses[k], *ideal, prev, floor)?;
                let mg = doses[k][j].mg;
                (!too_large && mg < prev - 1e-9 && (mg - *ideal).abs() < held_by).then_some((k, j))
            });
            if let Some((k, j)) = nearer {
                kit = k;
                pick = Some((j, false));
            }
        } else if own.is_none_or(|(_, too_large)| too_large) {
            let later: Vec<(usize, (usize, bool))> = (kit + 1..kits.len())
                .filter(|k| below(&doses[*k]))
                .filter_map(|k| Some((k, pick_in(&doses[k], *ideal, prev, floor)?)))
                .collect();
            let allowed = later.iter().find(|(_, (_, too_large))| !too_large);
            let choice = match (allowed, own) {
                (Some(found), _) => Some(*found),
                (None, None) => later.first().copied(),
                (None, Some(_)) => None,
            };
            if let Some((k, p)) = choice {
                kit = k;
                pick = Some(p);
            }
        }
        let Some((j, too_large)) = pick else {
            // Nothing lower is made: the taper ends at the previous step.
            break;
        };
        let dose = doses[kit][j].clone();
        let cut_pct = 100.0 * (1.0 - dose.mg / prev);
        match out.last_mut() {
            Some(last) if (last.dose.mg - dose.mg).abs() < 1e-9 => last.ideal_count += 1,
            // A first step still at the current dose is kept as a step, so the dates
            // stay whole steps; its cut is 0.
            _ => out.push(RoundedStep {
                ideal_first: i,
                ideal_count: 1,
                dose,
                kit,
                too_large,
                cut_pct,
            }),
        }
        prev = out.last().map_or(prev, |s| s.dose.mg);
        if prev <= r.stop_from_mg + 1e-9 {
            break;
        }
    }
    Some(out)
}

/// The dose for a step whose ideal is `ideal`, at or below `prev`: the nearest to the
/// ideal if it cuts no more than allowed (at or above `floor`); else the lowest allowed
/// dose below `prev`; else the next dose below `prev`, flagged (`true`). Ascending doses.
fn pick_in(doses: &[DailyDose], ideal: f64, prev: f64, floor: f64) -> Option<(usize, bool)> {
    let hi = doses.partition_point(|d| d.mg <= prev + 1e-9);
    if hi == 0 {
        return None;
    }
    let at = doses[..hi].partition_point(|d| d.mg < ideal);
    let nearest = match (at.checked_sub(1), (at < hi).then_some(at)) {
        (Some(b), Some(a)) => {
            if doses[a].mg - ideal <= ideal - doses[b].mg {
                a
            } else {
                b
            }
        }
        (b, a) => a.or(b)?,
    };
    if doses[nearest].mg >= floor {
        return Some((nearest, false));
    }
    let below_prev = doses.partition_point(|d| d.mg < prev - 1e-9);
    let lowest_allowed = doses[..below_prev].partition_point(|d| d.mg < floor);
    if lowest_allowed < below_prev {
        return Some((lowest_allowed, false));
    }
    below_prev.checked_sub(1).map(|j| (j, true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{BenzoForm, BenzoProduct};

    fn tablets(strengths: &[f64], scored: &[f64]) -> BenzoProduct {
        BenzoProduct::for_tests(BenzoForm::Tablet, strengths, scored)
    }

    fn ideal(start: f64, keep: f64, stop: f64) -> Vec<f64> {
        let mut out = Vec::new();
        let mut d = start;
        while d > stop {
            d *= keep;
            out.push(d);
        }
        out
    }

    #[test]
    fn doses_never_rise_and_the_taper_ends_at_the_smallest_dose_made() {
        let p = tablets(&[1.0], &[1.0]);
        let kits = vec![DoseKit::solids(&[&p], 2.0).unwrap()];
        let times = vec!["21:00".to_string()];
        let ideal = ideal(2.0, 0.9, 0.05);
        let r = Rounding {
            ideal: &ideal,
            start_mg: 2.0,
            percent: 10.0,
            tolerance_pct: 25.0,
            stop_from_mg: 0.05,
            times: &times,
        };
        let steps = round(&r, &kits).unwrap();
        let mg: Vec<f64> = steps.iter().map(|s| s.dose.mg).collect();
        assert!(mg.windows(2).all(|w| w[1] < w[0]), "{mg:?}");
        // Halves of 1 mg: 0.5 mg is the least, and the taper stops there.
        assert_eq!(*mg.last().unwrap(), 0.5);
        // Each step stands for at least one ideal step; merged ones for more.
        assert!(steps.iter().all(|s| s.ideal_count >= 1));
        assert!(steps.iter().any(|s| s.too_large));
        let total: usize = steps.iter().map(|s| s.ideal_count).sum();
        assert!(
            total < ideal.len(),
            "the end is adjusted to the last measurable dose"
        );
    }

    #[test]
    fn a_liquid_takes_over_where_tablets_cannot_make_the_step() {
        let t = tablets(&[1.0], &[]);
        let mut l = tablets(&[], &[]);
        l.form = BenzoForm::Liquid;
        l.strengths_mg.clear();
        l.name = Some("oral concentrate 2 mg/mL".into());
        l.concentration_mg = Some(2.0);
        l.per_ml = Some(1.0);
        l.measure_ml = Some(0.05);
        let kits = vec![
            DoseKit::solids(&[&t], 3.0).unwrap(),
            DoseKit::liquid(&l).unwrap(),
        ];
        let times = vec!["21:00".to_string()];
        let ideal = ideal(3.0, 0.9, 0.05);
        let r = Rounding {
            ideal: &ideal,
            start_mg: 3.0,
            percent: 10.0,
            tolerance_pct: 25.0,
            stop_from_mg: 0.05,
            times: &times,
        };
        let steps = round(&r, &kits).unwrap();
        assert_eq!(steps[0].kit, 1);
        // 0.1 mg graduations: only the last small doses cut more than allowed.
        assert!(
            steps
                .iter()
                .filter(|s| s.dose.mg >= 0.8)
                .all(|s| !s.too_large)
        );
        assert!(steps.windows(2).all(|w| w[1].kit >= w[0].kit));
    }
}
