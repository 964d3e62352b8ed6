//! Steps shorter than the drug takes to settle: with first-order elimination a level
//! makes 1 − 0.5^n of its move to a new steady state in n half-lives, so a dose change
//! made before a few half-lives of the longest-lived active moiety have passed lands
//! while the level is still falling from the step before (fluoxetine: norfluoxetine's
//! 4–16 days). Withdrawal from one step can then appear during the next, weeks late.

use super::{Context, flag};
use crate::guardrails::cite;
use crate::model::{Code, Step, Warning};
use crate::text::{fmt_count, fmt_num};

/// Flags each dose change whose step before it is shorter than
/// `settling.half_lives` half-lives at the long end of the longest-lived moiety's
/// range, and suggests the `--every` that would let each step settle.
pub(super) fn steps_before_steady_state(
    context: &Context,
    steps: &mut [Step],
    warnings: &mut Vec<Warning>,
) {
    let Some(entry) = context.entry else {
        return;
    };
    let (moiety, hours_min, hours_max) = match &entry.metabolite {
        Some(m) => match (m.hours_min, m.hours_max) {
            (Some(min), Some(max)) if !m.weakly_active && max > entry.half_life.hours_max => (
                m.name
                    .clone()
                    .unwrap_or_else(|| "its active metabolite".into()),
                min,
                max,
            ),
            _ => parent(entry),
        },
        None => parent(entry),
    };
    let guard = &context.guardrails.settling;
    let half_lives = f64::from(guard.half_lives);
    let settle_days = (half_lives * hours_max / 24.0).ceil();
    // The stop row is a change too: the last dose must settle before it. Step 1
    // follows the starting dose, which the patient has been taking.
    let early: Vec<usize> = (2..steps.len())
        .filter(|&k| f64::from(steps[k - 1].days) < settle_days)
        .collect();
    if early.is_empty() {
        return;
    }
    let shortest = early.iter().map(|&k| steps[k - 1].days).min().unwrap_or(0);
    let message = format!(
        "This plan changes the {} dose after as few as {} at one dose, but {moiety}'s half-life is {}, so the level takes {}–{} days ({} half-lives) to settle after each change {}. Withdrawal from one step can appear during the next, weeks after the change. Steps of about {} days (--every {}d) would let each settle at the long end of that range; otherwise watch for late symptoms before each reduction.",
        entry.name,
        fmt_count(i64::from(shortest), "day"),
        half_life(hours_min, hours_max),
        fmt_num((half_lives * hours_min / 24.0).ceil()),
        fmt_num(settle_days),
        guard.half_lives,
        cite(&guard.source, guard.evidence),
        fmt_num(settle_days),
        fmt_num(settle_days),
    );
    flag(steps, early, Code::StepBeforeSteadyState, message, warnings);
}

fn parent(entry: &crate::catalog::DrugEntry) -> (String, f64, f64) {
    let h = &entry.half_life;
    (entry.name.clone(), h.hours_min, h.hours_max)
}

/// "4–16 days", or "26 h" under two days, as half-lives are published.
fn half_life(hours_min: f64, hours_max: f64) -> String {
    let (min, max, unit) = match hours_max < 48.0 {
        true => (hours_min, hours_max, "h"),
        false => (hours_min / 24.0, hours_max / 24.0, "days"),
    };
    let one = |v: f64| fmt_num((v * 10.0).round() / 10.0);
    match (min - max).abs() < 1e-9 {
        true => format!("{} {unit}", one(max)),
        false => format!("{}–{} {unit}", one(min), one(max)),
    }
}
