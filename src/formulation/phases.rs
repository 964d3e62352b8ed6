//! Products by phase: tablets while tablets can make the doses, then another product
//! (usually the market's oral liquid) for the tail, as prescribers do (Maudsley
//! Deprescribing Guidelines: liquids, compounded or off-label formulations are needed
//! for the small doses). One switch at most, never back: the plan prefers the most
//! convenient product for as long as it makes the plan's steps.

use super::round::{IdealSteps, Phase, Rounded, round_phases};
use super::{FormulationInfo, Kit};
use crate::error::Result;
use crate::model::{Code, Warning};

/// One candidate kit, as rounded on its own.
pub(super) struct Trial {
    pub kit: Kit,
    pub info: FormulationInfo,
    pub suggestion: String,
    pub rounded: Rounded,
}

/// The rounding to use: the first (most convenient) kit if it makes every step within
/// the tolerance; else the one that falls least short ([`shortfall`]) among the first
/// kit followed by a later one (not with `--daily`, whose days are rounded to one kit)
/// and each kit alone, preferring, among equals, the first kit alone, then the first
/// kit followed by another, then the later kits in order. The kit returned is the one the
/// plan ends with.
pub(super) fn pick(
    ideal: &IdealSteps,
    trials: Vec<Trial>,
    daily: bool,
) -> Result<Option<(Rounded, Kit)>> {
    let Some(first) = trials.first() else {
        return Ok(None);
    };
    if shortfall(&first.rounded).1 == 0 {
        return Ok(trials.into_iter().next().map(|t| (t.rounded, t.kit)));
    }
    let phased = match daily {
        true => None,
        false => first_then_another(ideal, first, &trials[1..])?,
    };
    // Each option: how far it falls short, its preference among equals (first alone 0,
    // phased 1, later kits alone 2, 3 …), and which trial it is (`None`: phased).
    let mut options = vec![(shortfall(&first.rounded), 0, Some(0))];
    if let Some((rounded, _)) = &phased {
        options.push((shortfall(rounded), 1, None));
    }
    options.extend(
        trials
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, t)| (shortfall(&t.rounded), i + 1, Some(i))),
    );
    let best = options
        .iter()
        .min_by_key(|(short, rank, _)| (*short, *rank))
        .map(|(_, _, which)| *which);
    Ok(match (best, phased) {
        (Some(None), Some((rounded, index))) => {
            trials.into_iter().nth(index + 1).map(|t| (rounded, t.kit))
        }
        (Some(Some(i)), _) => trials.into_iter().nth(i).map(|t| (t.rounded, t.kit)),
        _ => None,
    })
}

/// The plan rounded to `first`'s products until they fall short, then to the first
/// later candidate that makes the rest at least as well as it makes the whole plan on
/// its own ([`shortfall`]); `None` when no such pair exists, or
/// when `first` falls short at once (then a single later kit is the plan). The second
/// kit is returned by its index in `later`.
fn first_then_another(
    ideal: &IdealSteps,
    first: &Trial,
    later: &[Trial],
) -> Result<Option<(Rounded, usize)>> {
    let Some(switch_at) = first.rounded.first_shortfall() else {
        return Ok(None);
    };
    // Tablets that cannot make even the first reduction are no phase of their own.
    if switch_at < 2 {
        return Ok(None);
    }
    for (index, then) in later.iter().enumerate() {
        // Doses are in tablet-equivalent mg: a product that acts differently (drops)
        // would need its own conversion at the switch, which this does not attempt.
        if then.kit.tablet_equivalent != first.kit.tablet_equivalent {
            continue;
        }
        let phases = [
            Phase {
                kit: &first.kit,
                from: 0,
            },
            Phase {
                kit: &then.kit,
                from: switch_at,
            },
        ];
        let info = combined(&first.info, &then.info);
        let Ok(mut rounded) = round_phases(ideal, &phases, info, &then.suggestion) else {
            continue;
        };
        if shortfall(&rounded) > shortfall(&then.rounded) {
            continue;
        }
        if let Some(step) = rounded.phase.iter().position(|p| *p == Some(1)) {
            mark_switch(&mut rounded, step, &first.kit, &then.kit);
            return Ok(Some((rounded, index)));
        }
    }
    Ok(None)
}

/// What the plan says about two phases' products together.
fn combined(first: &FormulationInfo, then: &FormulationInfo) -> FormulationInfo {
    let mut caveats = first.caveats.clone();
    caveats.extend(
        then.caveats
            .iter()
            .filter(|c| !first.caveats.contains(c))
            .cloned(),
    );
    FormulationInfo {
        products: format!("{}, then {}", first.products, then.products),
        market: first.market,
        source: if first.source == then.source {
            first.source.clone()
        } else {
            format!("{}; {}", first.source, then.source)
        },
        evidence: super::choose::weaker(first.evidence, then.evidence),
        tolerance_pct: first.tolerance_pct,
        allowed_fall_pp: first.allowed_fall_pp,
        smallest_dose_mg: then.smallest_dose_mg.min(first.smallest_dose_mg),
        tablet_equivalent_mg_per_mg: first.tablet_equivalent_mg_per_mg,
        caveats,
    }
}

/// Flags the step where the second product takes over, with what to do.
fn mark_switch(rounded: &mut Rounded, step: usize, first: &Kit, then: &Kit) {
    let s = &mut rounded.steps[step];
    s.flags.push(Code::ProductSwitch);
    let message = format!(
        "From step {step} ({}), the doses come from {}: {} cannot make the smaller doses within this plan's steps. The instructions change at that step; dispense both, as the totals show per product.",
        s.start_date, then.description, first.description
    );
    rounded
        .warnings
        .push(Warning::on_steps(Code::ProductSwitch, message, vec![step]));
}

/// How far a rounding falls short of the plan, worst first: its largest fall beyond
/// the tolerance (in hundredths of a percentage point; 0 when every step is within
/// it), then how many steps go beyond it. A 57-point cliff is worse than several
/// steps a little too large.
fn shortfall(rounded: &Rounded) -> (u64, usize) {
    let beyond: Vec<f64> = rounded
        .steps
        .iter()
        .filter(|s| super::round::beyond_tolerance(s))
        .map(|s| s.occupancy_drop_pp)
        .collect();
    let largest = beyond.iter().copied().fold(0.0, f64::max);
    ((largest * 100.0).round() as u64, beyond.len())
}
