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
        if own.is_none_or(|(_, too_large)| too_large) {
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
