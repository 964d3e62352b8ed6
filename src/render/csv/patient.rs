//! The patient's CSV, the default: what a person opening the file in a spreadsheet
//! needs, and nothing a spreadsheet would garble.
//!
//! One row per step (per day with `--daily`) and one per ketamine session, in date
//! order, told apart by the first column, `Kind`; a first `Summary` row says what the
//! plan is and carries the review notice once, instead of on every row. Numbers are
//! rounded to what can be measured or means something (doses as the printout writes
//! them, occupancy to 0.1%); notes are sentences, never codes or option names. Sessions
//! are rows of the one table rather than a section of their own, which a CSV cannot
//! have: a spreadsheet sorts and filters them with the steps, and `taper ketamine`
//! writes them alone.

use super::super::step_view::{StepView, Steps};
use super::super::view_history;
use super::super::view_ketamine::{held_dose, level_left};
use super::super::{view, words};
use super::{Cell, Sheet, count, text};
use crate::formulation::DailyRow;
use crate::ketamine::{HOLD_ACTION, KetamineReport, SessionInfo, fmt_datetime};
use crate::model::{Code, Severity, Warning};
use crate::plan::{Plan, Status};
use crate::text::fmt_dose;
use jiff::civil::Date;

/// A dose as the printout writes it (2 decimals from 0.1 mg, 3 significant figures
/// below), without trailing zeros: what can be measured.
fn dose(mg: f64) -> Cell {
    let text = fmt_dose(mg);
    let text = match text.contains('.') {
        true => text.trim_end_matches('0').trim_end_matches('.').to_string(),
        false => text,
    };
    Cell::Num(text)
}

/// Occupancy to 0.1%, as the printout gives it: the curve means nothing finer.
fn percent(value: f64) -> Cell {
    Cell::Num(format!("{value:.1}"))
}

/// A row of `width` cells: `first` on the left, `notes` in the last column, the
/// cells between empty.
fn row(mut first: Vec<Cell>, width: usize, notes: String) -> Vec<Cell> {
    while first.len() + 1 < width {
        first.push(text(""));
    }
    first.push(text(notes));
    first
}

/// Rows that sort by date: a step or day on a date comes before a session on it.
struct Dated {
    day: Date,
    session: bool,
    cells: Vec<Cell>,
}

pub(super) fn plan(plan: &Plan) -> Sheet {
    let steps = Steps::new(plan);
    let how = match &plan.daily {
        Some(days) => days.iter().any(|d| d.instructions.is_some()),
        None => steps.steps.iter().any(|v| v.instructions.is_some()),
    };
    let strips = plan.daily.iter().flatten().any(|d| d.strip.is_some());
    let mut header = match plan.daily {
        Some(_) => vec!["Kind", "Day", "Date", "Step"],
        None => vec!["Kind", "Step", "From", "To", "Days"],
    };
    if strips {
        header.push("Strip");
    }
    header.push(match plan.daily {
        Some(_) => "Dose mg",
        None => "Dose mg/day",
    });
    if how {
        header.push("How to take");
    }
    header.extend(["Occupancy %", "Notes"]);
    let width = header.len();

    let mut rows: Vec<Dated> = match &plan.daily {
        Some(days) => (days.iter())
            .map(|d| day_row(&steps, d, strips, how))
            .collect(),
        None => (steps.steps.iter())
            .map(|v| step_row(plan, v, how))
            .collect(),
    };
    for s in plan.ketamine.iter().flat_map(|k| &k.sessions) {
        let step = steps
            .on(s.at.date())
            .map_or(text(""), |v| count(v.step.step));
        let first = match plan.daily {
            Some(_) => vec![text("Ketamine session"), text(""), when(s), step],
            None => vec![text("Ketamine session"), step, when(s)],
        };
        rows.push(Dated {
            day: s.at.date(),
            session: true,
            cells: row(first, width, session_notes(s)),
        });
    }
    rows.sort_by_key(|r| (r.day, r.session));

    let mut sheet = Sheet::new(&header);
    sheet.push(row(vec![text("Summary")], width, summary(plan)));
    // A re-plan's changes, oldest first, each dated in the first date column.
    for r in &plan.revisions {
        // The third column is a date in both layouts ("Date", "From").
        let first = vec![text("Revision"), text(""), text(r.on.to_string())];
        sheet.push(row(first, width, view_history::change(r, false)));
    }
    for r in rows {
        // Step and day rows are built to the header's width.
        debug_assert_eq!(r.cells.len(), width);
        sheet.push(r.cells);
    }
    sheet
}

fn when(s: &SessionInfo) -> Cell {
    text(fmt_datetime(s.at))
}

fn step_row(plan: &Plan, view: &StepView, how: bool) -> Dated {
    let s = view.step;
    let mut cells = vec![
        text("Step"),
        count(s.step),
        text(s.start_date.to_string()),
        text(s.end_date.to_string()),
        count(s.days),
        dose(s.dose_mg),
    ];
    if how {
        cells.push(text(view.instructions.unwrap_or_default()));
    }
    cells.push(percent(s.occupancy_pct));
    cells.push(text(step_notes(plan, view)));
    Dated {
        day: s.start_date,
        session: false,
        cells,
    }
}

fn day_row(steps: &Steps, d: &DailyRow, strips: bool, how: bool) -> Dated {
    let mut cells = vec![
        text("Day"),
        count(d.day),
        text(d.date.to_string()),
        count(d.step),
    ];
    if strips {
        cells.push(d.strip.map_or(text(""), count));
    }
    cells.push(dose(d.dose_mg));
    if how {
        cells.push(text(d.instructions.clone().unwrap_or_default()));
    }
    cells.push(percent(d.occupancy_pct));
    // A step's notes go with its first day.
    let step = steps.of(d.step).filter(|v| v.step.start_date == d.date);
    let notes = step.map_or(String::new(), |v| {
        words::notes(v.step.flags.iter().copied())
    });
    // Every day of a step taken before a re-plan's change says so.
    let taken = steps.of(d.step).is_some_and(|v| v.step.taken);
    cells.push(text(match taken {
        true => format!("Taken. {notes}").trim_end().to_string(),
        false => notes,
    }));
    Dated {
        day: d.date,
        session: false,
        cells,
    }
}

/// The notes of a step: taken (before a re-plan's change), the first day without the
/// drug, then its flags in words.
fn step_notes(plan: &Plan, view: &StepView) -> String {
    let flags = words::notes(view.step.flags.iter().copied());
    let flags = match view.step.taken {
        true => format!("Taken (before the plan was last changed). {flags}")
            .trim_end()
            .to_string(),
        false => flags,
    };
    match view.stop {
        true => format!("First day without {}. {flags}", plan.drug.name)
            .trim_end()
            .to_string(),
        false => flags,
    }
}

/// What the plan is, the notes that concern no one step or session, and the review
/// notice: once, on the first row.
fn summary(plan: &Plan) -> String {
    let worded = view::plan(plan);
    // The danger headline comes first here as in every format, in words: the plan's
    // own headline names options, which the patient's notes never do.
    let mut parts: Vec<String> = match plan.status {
        Status::NeedsReview => vec![format!(
            "DANGER: needs review before it is followed. {}",
            words::notes(
                (plan.warnings.iter())
                    .filter(|w| w.severity == Severity::Danger)
                    .map(|w| w.code)
            )
        )],
        Status::Ok => Vec::new(),
    };
    parts.extend([format!("{}.", worded.title), worded.summary]);
    if let Some(k) = &plan.ketamine {
        parts.push(format!("Ketamine sessions: {}.", k.hold.description));
    }
    parts.push(plan_wide(&plan.warnings));
    parts.push(plan.notice.to_string());
    join(parts)
}

/// The notes of warnings that concern no step and no session.
fn plan_wide(warnings: &[Warning]) -> String {
    words::notes(
        (warnings.iter())
            .filter(|w| w.steps.is_empty() && w.sessions.is_empty())
            .map(|w| w.code),
    )
}

fn join(parts: Vec<String>) -> String {
    let parts: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    parts.join(" ")
}

/// The doses held before a session, each marked for the prescriber to confirm.
fn held(s: &SessionInfo) -> String {
    let doses: Vec<String> = (s.held_doses.iter())
        .map(|d| format!("{} ({HOLD_ACTION})", held_dose(d)))
        .collect();
    doses.join("; ")
}

/// A session's flags in words; its held doses are listed, so not said again.
fn session_flags(s: &SessionInfo) -> String {
    words::notes(s.flags.iter().copied().filter(|c| *c != Code::HeldDoses))
}

/// A session of a plan, in words: its hold window, the doses in it, the level left.
fn session_notes(s: &SessionInfo) -> String {
    let window = format!(
        "Session {}. Hold window {} to {}:",
        s.session,
        fmt_datetime(s.hold_from),
        fmt_datetime(s.hold_to)
    );
    let doses = match s.held_doses.is_empty() {
        true => "no scheduled doses in it.".to_string(),
        false => format!("{}.", held(s)),
    };
    let level = match s.benzos.is_empty() {
        true => String::new(),
        false => format!("Level left at the session: {}.", level_left(s)),
    };
    join(vec![window, doses, level, session_flags(s)])
}

/// `taper ketamine --format csv`: one row per session, after a summary row.
pub(super) fn ketamine(report: &KetamineReport) -> Sheet {
    let k = &report.ketamine;
    let header = [
        "Kind",
        "Session",
        "At",
        "Hold from",
        "Hold to",
        "Doses in the hold window",
        "Level left at session",
        "Notes",
    ];
    let mut sheet = Sheet::new(&header);
    let total = super::super::view_ketamine::view(k).total;
    let summary = join(vec![
        format!(
            "Ketamine sessions from {}: {}.",
            report.start_date, k.hold.description
        ),
        total.map_or(String::new(), |t| format!("Benzodiazepines: {t}.")),
        plan_wide(&report.warnings),
        report.notice.to_string(),
    ]);
    sheet.push(row(vec![text("Summary")], header.len(), summary));
    for s in &k.sessions {
        sheet.push(vec![
            text("Ketamine session"),
            count(s.session),
            when(s),
            text(fmt_datetime(s.hold_from)),
            text(fmt_datetime(s.hold_to)),
            text(match s.held_doses.is_empty() {
                true => "none".to_string(),
                false => held(s),
            }),
            text(match s.benzos.is_empty() {
                true => String::new(),
                false => level_left(s),
            }),
            text(session_flags(s)),
        ]);
    }
    sheet
}
