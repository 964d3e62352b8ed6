//! A re-planned plan's history, worded once for every format that prints it: the
//! revision, each change as a dated line, which steps were taken, and the one rise a
//! re-plan may make, said as a rise (never a negative fall).
//!
//! `taper replan` records the changes ([`crate::revision::Revision`]) and marks the
//! steps before the last change as `taken`; the table, Markdown, HTML printout, the
//! patient's CSV and the handout all say the same thing from here, the printouts for
//! the prescriber, [`plain_changes`] in the handout's plain words.

use super::step_view::Steps;
use super::words;
use crate::model::Code;
use crate::plan::{Plan, Step};
use crate::revision::{Change, Revision, RuleOptions};
use crate::text::{fmt_dose, fmt_num};

/// What a re-planned plan says before its steps.
pub(super) struct History {
    /// "Revision 3 of plan loop-1. Steps 0 to 4 were taken, before 2027-05-10."
    pub heading: String,
    /// One dated line per change, oldest first.
    pub changes: Vec<String>,
}

/// The history of `plan`; `None` for a first revision, which has none.
pub(super) fn history(plan: &Plan) -> Option<History> {
    let last = plan.revisions.last()?;
    let taken = plan.steps.iter().filter(|s| s.taken).count();
    let taken = match taken {
        0 => "No step was taken yet".to_string(),
        1 => "Step 0 was taken".to_string(),
        n => format!("Steps 0 to {} were taken", n - 1),
    };
    Some(History {
        heading: format!(
            "Revision {} of plan {}. {taken}, before {}; the plan was changed {}:",
            plan.revision,
            plan.plan_id,
            last.on,
            match plan.revisions.len() {
                1 => "once".to_string(),
                2 => "twice".to_string(),
                n => format!("{n} times"),
            }
        ),
        changes: plan.revisions.iter().map(|r| change(r, true)).collect(),
    })
}

/// "Revision 2 from 2027-03-10 (hold): hold 5.83 mg a day … (41 days)." A rise says
/// so, with both doses, in capitals where a reader scans. `with_options` adds a new
/// step rule in request spelling ("--step-pp 5"), for the prescriber's formats; the
/// patient's CSV names no option.
pub(super) fn change(r: &Revision, with_options: bool) -> String {
    let kind = match r.change {
        Change::Hold { .. } => "hold",
        Change::BackToStep { .. } | Change::BackTo { .. } => "back to a tolerated dose",
        Change::Now { .. } => "the dose the patient is on",
    };
    let mut line = format!(
        "Revision {} from {} ({kind}): {}.",
        r.revision,
        r.on,
        r.reason.trim_end_matches('.')
    );
    if r.rise {
        line.push_str(&format!(
            " DOSE RISES from {} to {} mg/day at step {}: the one rise in this plan, made by this re-plan.",
            fmt_dose(r.from_dose_mg),
            fmt_dose(r.to_dose_mg),
            r.first_step
        ));
    }
    if let Some(options) = options(&r.options).filter(|_| with_options) {
        line.push_str(&format!(" New steps: {options}."));
    }
    line
}

/// The step rule and length a change gave, in request spelling: "--step-pp 5".
fn options(o: &RuleOptions) -> Option<String> {
    let mut parts = Vec::new();
    parts.extend(o.step_pp.map(|v| format!("--step-pp {}", fmt_num(v))));
    if o.align {
        parts.push("--align".to_string());
    }
    parts.extend(o.steps.map(|v| format!("--steps {v}")));
    parts.extend(o.percent.map(|v| format!("--percent {}", fmt_num(v))));
    parts.extend(o.every.as_ref().map(|v| format!("--every {v}")));
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A step's status in a re-planned plan: taken, the rise, or to come.
pub(super) fn status(s: &Step) -> &'static str {
    match (s.taken, s.flags.contains(&Code::DoseRaised)) {
        (true, _) => "taken",
        (false, true) => "dose rises",
        (false, false) => "to come",
    }
}

/// A step's fall in occupancy as the printouts write it: "10.0 pp", and a rise (only
/// a re-plan makes one) as "rise 10.0 pp", never as a negative fall.
pub(super) fn fall(drop_pp: f64) -> String {
    let shown = (drop_pp * 10.0).round() / 10.0;
    match shown < 0.0 {
        true => format!("rise {:.1} pp", -shown),
        // `abs` turns a -0.0 (a hold whose occupancy matches to the last bit) into 0.0.
        false => format!("{:.1} pp", shown.abs()),
    }
}

/// The changes in the handout's plain words: "From Wednesday 10 March 2027 you stay on
/// 5.83 mg a day for 5 weeks and 6 more days."
/// Doses are as the patient takes them (`steps`: a product's own mg where it acts
/// unlike tablets), as the handout's rows give them.
pub(super) fn plain_changes(
    plan: &Plan,
    steps: &Steps,
    long_date: fn(jiff::civil::Date) -> String,
) -> Vec<String> {
    let drug = &plan.drug.name;
    plan.revisions
        .iter()
        .map(|r| {
            let on = long_date(r.on);
            let taken = |mg: f64| dose(steps.taken(r.first_step, mg).mg);
            let (from, to) = (taken(r.from_dose_mg), taken(r.to_dose_mg));
            match (&r.change, r.rise) {
                (Change::Hold { until }, _) => {
                    let days = r.on.until(*until).map_or(0, |s| s.get_days());
                    format!(
                        "From {on} you stay on {to} mg a day for another {}, until {}.",
                        words::duration(days.into()),
                        long_date(until.yesterday().unwrap_or(*until))
                    )
                }
                (_, true) => format!(
                    "From {on} your {drug} dose goes UP, from {from} mg to {to} mg a day, back to a dose that suited you. Your prescriber agreed this. After that it goes down again."
                ),
                (Change::Now { .. }, false) => format!(
                    "From {on} your plan goes on from the {to} mg a day you are taking."
                ),
                (_, false) => format!("From {on} you take {to} mg a day."),
            }
        })
        .collect()
}

/// A dose without trailing zeros, as the handout writes it.
fn dose(mg: f64) -> String {
    let text = fmt_dose(mg);
    match text.contains('.') {
        true => text.trim_end_matches('0').trim_end_matches('.').to_string(),
        false => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_negative_fall_is_a_rise_and_a_hold_is_no_fall() {
        assert_eq!(fall(10.0), "10.0 pp");
        assert_eq!(fall(-10.000000000000007), "rise 10.0 pp");
        assert_eq!(fall(-0.0), "0.0 pp");
        assert_eq!(fall(-1e-12), "0.0 pp");
        assert_eq!(fall(0.0), "0.0 pp");
    }
}
