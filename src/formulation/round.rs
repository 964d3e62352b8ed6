//! Rounding a plan's ideal doses to what a kit can make, under the three rules of
//! [`super`]: never up, never a bigger fall than the plan allows (plus tolerance) without
//! a flag, never a step lost without saying so.

use super::{FormulationInfo, Kit, Measurable};
use crate::curve::EmaxCurve;
use crate::error::Result;
use crate::model::{Code, Step, Warning};
use crate::text::{fmt_dose, fmt_num};

/// The ideal plan the products are rounded from.
pub struct IdealSteps<'a> {
    pub steps: &'a [Step],
    pub start_dose_mg: f64,
    pub curve: &'a EmaxCurve,
}

/// A plan's steps rounded to one kit, with what was used and the warnings about the
/// rounding itself, numbered by the rounded steps.
#[derive(Debug, Clone)]
pub struct Rounded {
    pub steps: Vec<Step>,
    pub info: FormulationInfo,
    pub warnings: Vec<Warning>,
    /// For each rounded step, the first ideal step it stands for.
    pub first_ideal: Vec<usize>,
    /// For each rounded step, the phase whose products make its dose (`None` for the
    /// starting dose kept as it is, and for the stop).
    pub phase: Vec<Option<usize>>,
}

/// The kit that makes the doses from ideal step `from` on (until the next phase's).
#[derive(Clone, Copy)]
pub struct Phase<'a> {
    pub kit: &'a Kit,
    pub from: usize,
}

impl Rounded {
    /// Whether some step falls further than the tolerance allows.
    pub fn has_too_large_step(&self) -> bool {
        self.steps.iter().any(beyond_tolerance)
    }

    /// The first ideal step these products could not make as the plan asks (a fall
    /// beyond the tolerance, doses merged, or an early stop), if any.
    pub fn first_shortfall(&self) -> Option<usize> {
        self.steps
            .iter()
            .position(|s| {
                beyond_tolerance(s)
                    || s.flags
                        .iter()
                        .any(|f| matches!(f, Code::Merged | Code::StoppedEarly))
            })
            .map(|r| self.first_ideal[r])
    }
}

/// Rounds every ideal step to `kit`, merging steps that come out equal. `suggestion`
/// names a formulation that would make flagged steps possible (e.g. the market's oral
/// liquid).
pub fn round(
    ideal: &IdealSteps,
    kit: &Kit,
    info: FormulationInfo,
    suggestion: &str,
) -> Result<Rounded> {
    round_phases(ideal, &[Phase { kit, from: 0 }], info, suggestion)
}

/// [`round`] with one kit per phase of the plan: `phases` in order, the first from
/// ideal step 0. A later phase picks up at or below the dose the one before reached,
/// so doses still never rise.
pub fn round_phases(
    ideal: &IdealSteps,
    phases: &[Phase],
    mut info: FormulationInfo,
    suggestion: &str,
) -> Result<Rounded> {
    let IdealSteps {
        steps: ideal_steps,
        start_dose_mg,
        curve,
    } = *ideal;
    let mut phase_doses = Vec::with_capacity(phases.len());
    for phase in phases {
        let doses = phase.kit.doses_up_to(start_dose_mg)?;
        if doses.is_empty() {
            return Err(crate::Error::input(format!(
                "these products ({}) make no dose at or below the starting dose of {} mg, so they cannot make this plan; {suggestion}",
                phase.kit.description,
                fmt_num(start_dose_mg)
            )));
        }
        phase_doses.push(doses);
    }
    // The phase of ideal step `i`: the last that starts at or before it.
    let phase_of = |i: usize| phases.iter().rposition(|p| p.from <= i).unwrap_or(0);
    let largest_ideal_fall = ideal_steps
        .iter()
        .skip(1)
        .map(|s| s.occupancy_drop_pp)
        .fold(0.0, f64::max);
    let allowed = largest_ideal_fall * (1.0 + info.tolerance_pct / 100.0);
    let occ = |mg: f64| curve.occupancy(mg);

    // The current dose is what it is; it may not be one the kit makes exactly.
    let last = ideal_steps.len() - 1;
    let mut chosen: Vec<Pick> = Vec::with_capacity(ideal_steps.len());
    chosen.push(
        match phase_doses[0]
            .iter()
            .find(|d| (d.dose_mg - start_dose_mg).abs() < 1e-9)
        {
            Some(d) => Pick::Dose(d, 0),
            None => Pick::AsNow,
        },
    );
    let mut prev_mg = start_dose_mg;
    for (i, step) in ideal_steps.iter().enumerate().take(last).skip(1) {
        let phase = phase_of(i);
        let doses = &phase_doses[phase];
        // An ideal dose nearer nothing than the least the products make: the products'
        // part of the taper is over, and the plan stops here (flagged if too steep).
        if step.ideal_dose_mg < doses[0].dose_mg / 2.0 {
            chosen.push(Pick::Stop);
            continue;
        }
        let min_occ = occ(prev_mg)? - allowed;
        let pick = nearest_allowed(doses, step.ideal_dose_mg, prev_mg, min_occ, &occ)?;
        let kit = phases[phase].kit;
        let pick = match pick {
            Some(d) if !kit.one_draw(d) => Some(
                super::one_draw::instead(
                    doses,
                    d,
                    step.ideal_dose_mg,
                    prev_mg,
                    min_occ,
                    &occ,
                    kit,
                )?
                .unwrap_or(d),
            ),
            other => other,
        };
        match pick {
            Some(d) => {
                prev_mg = d.dose_mg;
                chosen.push(Pick::Dose(d, phase));
            }
            // Nothing lower is nearer the ideal dose: hold (merged below).
            None => chosen.push(*chosen.last().unwrap_or(&Pick::AsNow)),
        }
    }
    chosen.push(Pick::Stop);
    for (step, pick) in chosen.iter().enumerate() {
        if let Pick::Dose(dose, phase) = pick {
            check_practical(phases[*phase].kit, dose, &format!("step {step}"))?;
        }
    }

    let mut rounded: Vec<Step> = Vec::with_capacity(ideal_steps.len());
    let mut first_ideal = Vec::with_capacity(ideal_steps.len());
    let mut phase = Vec::with_capacity(ideal_steps.len());
    let mut prev_occ = 0.0;
    for (i, (step, pick)) in ideal_steps.iter().zip(&chosen).enumerate() {
        let (dose_mg, instructions) = match pick {
            Pick::Dose(d, phase) => (d.dose_mg, phases[*phase].kit.instructions(d)),
            Pick::Stop => (0.0, "stop".to_string()),
            Pick::AsNow => (
                start_dose_mg,
                format!(
                    "{} mg/day as now (not a dose these products make exactly)",
                    fmt_num(start_dose_mg)
                ),
            ),
        };
        let merge = i > 0 && rounded.last().is_some_and(|r| r.dose_mg == dose_mg);
        if merge && let Some(previous) = rounded.last_mut() {
            // A held dose lasts as long as the steps it stands for. The stop row keeps
            // one step's length, as in an unrounded plan: the ideal steps it absorbs
            // are days without the drug, not a longer "step" of nothing.
            if dose_mg != 0.0 {
                previous.end_date = step.end_date;
                previous.days += step.days;
            }
            previous.merged_from.push(step.step);
            continue;
        }
        let occupancy = occ(dose_mg)?;
        let mut out = step.clone();
        out.step = rounded.len();
        out.dose_mg = dose_mg;
        out.occupancy_pct = occupancy;
        out.occupancy_drop_pp = if i == 0 { 0.0 } else { prev_occ - occupancy };
        out.dose_error_mg = dose_mg - step.ideal_dose_mg;
        out.instructions = Some(instructions);
        out.daily_usage = match pick {
            Pick::Dose(d, phase) => phases[*phase].kit.usage(d),
            _ => Vec::new(),
        };
        out.times_a_day = match pick {
            Pick::Dose(_, phase) => Some(phases[*phase].kit.doses_per_day).filter(|n| *n > 1),
            _ => None,
        };
        out.merged_from = vec![step.step];
        prev_occ = occupancy;
        rounded.push(out);
        first_ideal.push(i);
        phase.push(match pick {
            Pick::Dose(_, p) => Some(*p),
            _ => None,
        });
    }
    for r in &mut rounded {
        if r.merged_from.len() == 1 {
            r.merged_from.clear();
        }
    }
    let mut warnings = Vec::new();
    if matches!(chosen[0], Pick::AsNow) {
        rounded[0].flags.push(Code::StartNotMeasurable);
        warnings.push(Warning::on_steps(
            Code::StartNotMeasurable,
            format!(
                "The starting dose, {} mg, is not one these products make exactly; it is kept as it is now for step 0, and every later dose comes from the products. The dispensing totals leave out step 0 ({} days), which comes from the current supply. {}",
                fmt_num(start_dose_mg),
                rounded[0].days,
                suggestion
            ),
            vec![0],
        ));
    }
    flag_merged(&mut rounded, suggestion, &mut warnings);
    flag_too_large(&mut rounded, allowed, suggestion, &mut warnings);
    info.allowed_fall_pp = allowed;
    Ok(Rounded {
        steps: rounded,
        info,
        warnings,
        first_ideal,
        phase,
    })
}

/// Refuses a dose that needs more pieces or millilitres than anyone takes at once
/// ([`Kit::impractical`]): almost always a mistyped strength or concentration.
pub(super) fn check_practical(kit: &Kit, dose: &Measurable, when: &str) -> Result<()> {
    match kit.impractical(dose) {
        None => Ok(()),
        Some(amount) => Err(crate::Error::input(format!(
            "these products ({}) would need {amount} for the {} mg dose of {when}, more than taper accepts in one dose (at most {} tablets or capsules, or {} mL); check the strengths or concentration (mg, not mcg or g; mg/5 mL or mg/mL?) or add a larger strength",
            kit.description,
            fmt_num(dose.dose_mg),
            super::kit::MOST_PIECES_PER_DOSE,
            fmt_num(super::kit::MOST_ML_PER_DOSE),
        ))),
    }
}

/// What a rounded step takes.
#[derive(Clone, Copy)]
enum Pick<'a> {
    /// A dose the products of phase `.1` make.
    Dose(&'a Measurable, usize),
    /// The starting dose, which the products may not make exactly.
    AsNow,
    Stop,
}

/// The dose for a step whose ideal is `ideal`, at or below yesterday's `prev_mg`:
/// the makeable dose nearest the ideal if its fall stays within the allowance (its
/// occupancy at least `min_occ`); else the lowest dose within the allowance; else, once
/// the ideal has moved past the next lower makeable dose, that next lower dose (the
/// smallest fall possible, flagged later). `None` holds the previous dose. Holding until
/// the end would make one cliff of a stop; stepping down as gently as the products allow
/// does not. Doses are sorted ascending.
fn nearest_allowed<'a>(
    doses: &'a [Measurable],
    ideal: f64,
    prev_mg: f64,
    min_occ: f64,
    occ: &dyn Fn(f64) -> Result<f64>,
) -> Result<Option<&'a Measurable>> {
    let hi = doses.partition_point(|d| d.dose_mg <= prev_mg + 1e-9);
    let at_or_below = &doses[..hi];
    let Some(nearest) = nearest(at_or_below, ideal) else {
        return Ok(None);
    };
    if occ(nearest.dose_mg)? >= min_occ - 1e-9 {
        return Ok(Some(nearest));
    }
    // Occupancy rises with dose, so the allowed doses are one contiguous run [lo, hi).
    let (mut lo, mut top) = (0, hi);
    while lo < top {
        let mid = (lo + top) / 2;
        if occ(doses[mid].dose_mg)? >= min_occ - 1e-9 {
            top = mid;
        } else {
            lo = mid + 1;
        }
    }
    let below_prev = doses.partition_point(|d| d.dose_mg < prev_mg - 1e-9);
    Ok(if lo < below_prev {
        Some(&doses[lo])
    } else {
        below_prev.checked_sub(1).map(|i| &doses[i])
    })
}

/// The dose in `sorted` nearest `ideal`; a tie goes to the larger, the gentler fall.
/// (Liquid doses are whole graduations without float noise, so exact ties happen.)
pub(super) fn nearest(sorted: &[Measurable], ideal: f64) -> Option<&Measurable> {
    let at = sorted.partition_point(|d| d.dose_mg < ideal);
    let below = at.checked_sub(1).map(|i| &sorted[i]);
    match (below, sorted.get(at)) {
        (Some(b), Some(a)) => Some(if a.dose_mg - ideal <= ideal - b.dose_mg {
            a
        } else {
            b
        }),
        (b, a) => a.or(b),
    }
}

fn flag_merged(steps: &mut [Step], suggestion: &str, warnings: &mut Vec<Warning>) {
    for (i, step) in steps.iter_mut().enumerate() {
        if step.merged_from.len() < 2 {
            continue;
        }
        let first = step.merged_from[0];
        let last = step.merged_from[step.merged_from.len() - 1];
        let (code, message) = if step.dose_mg == 0.0 {
            (
                Code::StoppedEarly,
                format!(
                    "Ideal steps {first}–{last} ask for doses nearer nothing than the least these products make, so the plan stops at step {i} instead of later. {suggestion}"
                ),
            )
        } else {
            (
                Code::Merged,
                format!(
                    "Ideal steps {first}–{last} all come to {} mg with these products, so they are merged into step {i}, held for {} days: the products cannot make the doses in between. {suggestion}",
                    fmt_dose(step.dose_mg),
                    step.days
                ),
            )
        };
        step.flags.push(code);
        warnings.push(Warning::on_steps(code, message, vec![i]));
    }
}

/// Flags the steps that fall further than the tolerance allows. The stop is a cliff at
/// the end of the taper, the harm a hyperbolic taper exists to avoid (Horowitz & Taylor
/// 2019), so it has its own `danger` code; earlier steps are `caution`.
fn flag_too_large(steps: &mut [Step], allowed: f64, suggestion: &str, warnings: &mut Vec<Warning>) {
    let stop = steps.len() - 1;
    for i in 1..steps.len() {
        if steps[i].occupancy_drop_pp <= allowed + 1e-9 {
            continue;
        }
        let (code, message) = if i == stop {
            (
                Code::FinalFallTooLarge,
                format!(
                    "Stopping from {} mg at step {i} removes {:.1} percentage points of occupancy, more than the {:.1} a step may remove with the stated tolerance: these products cannot make the smaller last doses the taper needs. {suggestion}",
                    fmt_dose(steps[i - 1].dose_mg),
                    steps[i].occupancy_drop_pp,
                    allowed
                ),
            )
        } else {
            (
                Code::StepTooLargeForProducts,
                format!(
                    "Step {i} removes {:.1} percentage points of occupancy, more than the {:.1} a step may remove with the stated tolerance: these products cannot make a dose in between. {suggestion}",
                    steps[i].occupancy_drop_pp, allowed
                ),
            )
        };
        steps[i].flags.push(code);
        warnings.push(Warning::on_steps(code, message, vec![i]));
    }
}

/// Whether a step was flagged for falling further than the tolerance allows.
pub(super) fn beyond_tolerance(step: &Step) -> bool {
    step.flags
        .iter()
        .any(|f| matches!(f, Code::StepTooLargeForProducts | Code::FinalFallTooLarge))
}
