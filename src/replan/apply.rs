//! One change made to a plan: history, the change, and the new steps.
//!
//! - History: every step that began before the change's day, marked `taken`; the one in
//!   progress ends the day before. Their flags belonged to the earlier revision's
//!   warnings and are not carried (the revision's warnings are about what is to come).
//! - The new steps: a plan made, through the same pipeline as any plan, from the new
//!   dose on the change's day, with the earlier plan's drug, curve, region, products and
//!   options. Its step 0 is the dose held: until `--hold-until` for a hold, one step
//!   length otherwise. Its rule is the one given with the change, else the earlier
//!   rule with the same fall per step (an `--steps N` plan continues with its falls of
//!   1/N of the starting occupancy, not N new ones).
//! - Ketamine sessions are laid over the whole revised plan again, so a session on a
//!   new dose-change day is still flagged.
//! - Steps of earlier revisions that no longer happen are listed for calendars to
//!   cancel.

use super::ChangeRequest;
use super::renumber::shift_steps;
use crate::error::{Error, Problem, Result};
use crate::model::{Code, Step, Warning};
use crate::pipeline::Catalogs;
use crate::plan::{Parts, Plan};
use crate::render::Format;
use crate::request::{Amount, RawRequest, Request, Spelling};
use crate::revision::{CancelledStep, Change, Revision};
use crate::rules::StepRule;
use crate::text::fmt_dose;
use jiff::civil::Date;

fn refuse(field: &str, message: String) -> Error {
    Error::field(Problem::InvalidValue, field, message)
}

/// `prev` with `change` made; `base` is the request of the plan's first revision.
pub(super) fn apply(
    catalogs: &Catalogs,
    base: &RawRequest,
    prev: &Plan,
    change: &ChangeRequest,
) -> Result<Plan> {
    let on = change.on;
    if on <= prev.start_date {
        return Err(refuse(
            "on",
            format!(
                "--on {on} is not after the plan's first day ({}), so nothing of it has been taken; make a new plan with taper plan instead",
                prev.start_date
            ),
        ));
    }
    let day_before = on
        .yesterday()
        .map_err(|_| refuse("on", format!("--on {on} is out of range")))?;
    let taken: Vec<Step> = prev
        .steps
        .iter()
        .filter(|s| s.start_date < on)
        .map(|s| {
            let mut s = s.clone();
            if s.end_date > day_before {
                s.end_date = day_before;
                s.days = (day_before - s.start_date).get_days() as u32 + 1;
            }
            s.taken = true;
            s.flags.clear();
            s
        })
        .collect();
    let mut taken = taken;
    // After the plan's end the patient is off the drug until the change: the stop step
    // runs up to it, so the steps stay day after day.
    if let Some(last) = taken.last_mut()
        && last.end_date < day_before
    {
        last.end_date = day_before;
        last.days = (day_before - last.start_date).get_days() as u32 + 1;
    }
    let current_mg = taken.last().map_or(prev.start_dose_mg, |s| s.dose_mg);
    let (to_mg, hold_days, reason) = what_changes(prev, change, current_mg)?;

    let request = continuation(base, prev, change, to_mg, hold_days)?;
    let next = crate::pipeline::make_plan(catalogs, &request)?;

    let first = taken.len();
    let mut steps = taken;
    for step in &next.steps {
        let mut step = step.clone();
        step.step += first;
        step.flags.retain(|c| *c != Code::FarBelowUsualMin);
        steps.push(step);
    }
    steps[first].occupancy_drop_pp = match steps[first].dose_mg == current_mg {
        true => 0.0,
        false => steps[first - 1].occupancy_pct - steps[first].occupancy_pct,
    };
    let rise = steps[first].dose_mg > current_mg;

    // Warnings of the earlier revision about history only (an earlier rise above all)
    // stay, with their flags; those about steps that changed went with them.
    let mut warnings: Vec<Warning> = prev
        .warnings
        .iter()
        .filter(|w| !w.steps.is_empty() && w.steps.iter().all(|s| *s < first))
        .cloned()
        .collect();
    for w in &warnings {
        for s in &w.steps {
            if !steps[*s].flags.contains(&w.code) {
                steps[*s].flags.push(w.code);
            }
        }
    }

    // The new plan starts where a taper has brought the patient: a start "far below the
    // usual minimum" is the point, not a unit slip.
    warnings.extend(
        next.warnings
            .iter()
            .filter(|w| w.code != Code::FarBelowUsualMin)
            .map(|w| Warning {
                message: shift_steps(&w.message, first),
                steps: w.steps.iter().map(|s| s + first).collect(),
                ..w.clone()
            }),
    );
    if rise {
        steps[first].flags.push(Code::DoseRaised);
        warnings.push(Warning::on_steps(
            Code::DoseRaised,
            format!(
                "Step {first} raises the dose from {} mg to {} mg a day on {on}: {reason}. Only a re-plan raises a dose, and this is the one rise in the plan, agreed with the prescriber; from step {first} on the doses only fall.",
                fmt_dose(current_mg),
                fmt_dose(steps[first].dose_mg)
            ),
            vec![first],
        ));
    }

    let base_request = Request::from_raw(base, Format::Json, Spelling::Json)?;
    let ketamine = match crate::pipeline::ketamine_section(catalogs, &base_request, &steps, None)? {
        Some((section, session_warnings)) => {
            warnings.extend(session_warnings);
            Some(section)
        }
        None => None,
    };

    let revision = prev.revision + 1;
    let mut revisions = prev.revisions.clone();
    revisions.push(Revision {
        revision,
        on,
        change: change.change.clone(),
        options: change.options.clone(),
        from_dose_mg: current_mg,
        to_dose_mg: to_mg,
        rise,
        first_step: first,
        reason,
    });
    Ok(Plan::assemble(Parts {
        plan_id: prev.plan_id.clone(),
        revision,
        request: prev.request.clone(),
        cancelled: cancelled(prev, &steps),
        revisions,
        notice: next.notice,
        drug: next.drug,
        curve: next.curve,
        rule: next.rule,
        start_dose_mg: prev.start_dose_mg,
        steps,
        formulation: next.formulation,
        dispense: next.dispense,
        daily: None,
        // A continuation its products cannot finish ends held, as a first plan would;
        // its held step is numbered after the steps taken.
        held: next.held.clone().map(|mut held| {
            held.step += first;
            held
        }),
        ketamine,
        warnings,
    }))
}

/// The dose from the change's day, how long it is held (days; `None`: one step), and
/// the change in words. Refuses a change that is not what it says.
fn what_changes(
    prev: &Plan,
    change: &ChangeRequest,
    current_mg: f64,
) -> Result<(f64, Option<i32>, String)> {
    let (on, current) = (change.on, fmt_dose(current_mg));
    let above = |field: &str, what: String, dose: f64| {
        if dose > current_mg {
            return Ok(());
        }
        Err(refuse(
            field,
            format!(
                "{what} is not above {current} mg, the dose the plan had on {on}, so it is not a return to a higher dose; to stay on the dose use --hold, to go on from a lower one use --now"
            ),
        ))
    };
    Ok(match &change.change {
        Change::Hold { until } => {
            if current_mg == 0.0 {
                return Err(refuse(
                    "hold",
                    format!(
                        "--hold: the plan had stopped the drug by {on}, so there is no dose to hold; to take it again use --back-to-step or --back-to"
                    ),
                ));
            }
            if *until <= on {
                return Err(refuse(
                    "hold_until",
                    format!("--hold-until {until} is not after --on {on}; give a later day"),
                ));
            }
            let days = (*until - on).get_days();
            (
                current_mg,
                Some(days),
                format!(
                    "hold {current} mg a day from {on} until the dose next changes on {until} ({days} days)"
                ),
            )
        }
        Change::BackToStep { step } => {
            let Some(s) = prev.steps.get(*step).filter(|s| s.start_date < on) else {
                return Err(refuse(
                    "back_to_step",
                    format!(
                        "--back-to-step {step} is not a step the patient had begun by {on} (steps 0 to {} had); name one of those",
                        prev.steps.iter().filter(|s| s.start_date < on).count() - 1
                    ),
                ));
            };
            above(
                "back_to_step",
                format!("--back-to-step {step}'s dose ({} mg)", fmt_dose(s.dose_mg)),
                s.dose_mg,
            )?;
            (
                s.dose_mg,
                None,
                format!(
                    "back to step {step}'s dose ({} mg), the last one tolerated, from {current} mg",
                    fmt_dose(s.dose_mg)
                ),
            )
        }
        Change::BackTo { dose_mg } => {
            above(
                "back_to",
                format!("--back-to {}mg", fmt_dose(*dose_mg)),
                *dose_mg,
            )?;
            if *dose_mg > prev.start_dose_mg {
                return Err(refuse(
                    "back_to",
                    format!(
                        "--back-to {}mg is above the plan's starting dose ({} mg), which the patient never took in this plan; make a new plan with taper plan --from",
                        fmt_dose(*dose_mg),
                        fmt_dose(prev.start_dose_mg)
                    ),
                ));
            }
            (
                *dose_mg,
                None,
                format!(
                    "back to {} mg, a dose tolerated before, from {current} mg",
                    fmt_dose(*dose_mg)
                ),
            )
        }
        Change::Now { dose_mg } => (
            *dose_mg,
            None,
            format!(
                "the patient is on {} mg a day, a dose the plan did not have (it had {current} mg)",
                fmt_dose(*dose_mg)
            ),
        ),
    })
}

/// The request for the new steps: the first revision's, from the new dose on the
/// change's day, with the change's rule (or the rule in force) and without the ketamine
/// sessions, which are laid over the whole revised plan instead.
fn continuation(
    base: &RawRequest,
    prev: &Plan,
    change: &ChangeRequest,
    to_mg: f64,
    hold_days: Option<i32>,
) -> Result<Request> {
    let options = &change.options;
    let (step_pp, align, steps, percent) = match options.has_rule() {
        true => (
            options.step_pp,
            options.align,
            options.steps,
            options.percent,
        ),
        false => match prev.rule.rule {
            StepRule::StepPp { pp, align } => (Some(pp), align, None, None),
            // The same fall per step as the plan so far, not N new falls.
            StepRule::Steps { count } => (
                Some(prev.steps[0].occupancy_pct / f64::from(count)),
                false,
                None,
                None,
            ),
            StepRule::Percent { percent } => (None, false, None, Some(percent)),
        },
    };
    let raw = RawRequest {
        from: Some(Amount::Mg(to_mg)),
        start: Some(change.on.to_string()),
        hold: hold_days
            .map(|d| vec![format!("0={d}d")])
            .unwrap_or_default(),
        // The step length in force, unless the change gives one.
        every: Some(
            options
                .every
                .clone()
                .unwrap_or_else(|| format!("{}d", prev.rule.every_days)),
        ),
        step_pp,
        align,
        steps,
        percent,
        ketamine: Vec::new(),
        ketamine_series: Vec::new(),
        benzo: Vec::new(),
        benzo_dose: Vec::new(),
        benzo_times: Vec::new(),
        benzo_hold: None,
        benzo_after: None,
        equivalence: None,
        benzo_taper: None,
        benzo_taper_as: None,
        ..base.clone()
    };
    Request::from_raw(&raw, Format::Json, Spelling::Flags)
}

/// Steps of earlier revisions whose day no longer starts a step: those cancelled
/// before, and those of `prev` this revision drops.
fn cancelled(prev: &Plan, steps: &[Step]) -> Vec<CancelledStep> {
    let live = |day: Date| steps.iter().any(|s| s.start_date == day);
    let mut list: Vec<CancelledStep> = prev
        .cancelled
        .iter()
        .filter(|c| !live(c.start_date))
        .cloned()
        .collect();
    for s in &prev.steps {
        if !live(s.start_date) && !list.iter().any(|c| c.start_date == s.start_date) {
            list.push(CancelledStep {
                start_date: s.start_date,
                end_date: s.end_date,
                dose_mg: s.dose_mg,
                revision: prev.revision,
            });
        }
    }
    list.sort_by_key(|c| c.start_date);
    list
}
