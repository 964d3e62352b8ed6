//! The full CSV, for machines: every number of a step at full precision, the flag
//! codes, and the drug, curve, products and review notice repeated on every row so a
//! file opened on its own still says what it is.

use super::super::step_view::{StepView, Steps};
use super::super::view_ketamine::{held_text, level_left};
use super::{Sheet, count, num, text};
use crate::formulation::DailyRow;
use crate::ketamine::{KetamineReport, KetamineSection, fmt_datetime};
use crate::plan::Plan;
use crate::text::fmt_machine;

/// The review notice, after the danger headline when the plan has one, so that a row
/// read on its own still says the plan must not be followed as it is.
fn notice(plan: &Plan) -> String {
    match &plan.headline {
        Some(headline) => format!("DANGER: {headline} {}", plan.notice),
        None => plan.notice.to_string(),
    }
}

pub(super) fn plan(plan: &Plan) -> Sheet {
    let curve = curve_text(plan);
    if let Some(days) = &plan.daily {
        return daily(plan, days, &curve);
    }
    let products = plan.formulation.as_ref().map_or(String::new(), |f| {
        format!(
            "{} ({}; evidence: {})",
            f.products,
            f.source,
            f.evidence.as_str()
        )
    });
    let mut sheet = Sheet::new(&[
        "step",
        "start_date",
        "end_date",
        "days",
        "ideal_dose_mg",
        "dose_mg",
        "occupancy_pct",
        "occupancy_drop_pp",
        "ideal_occupancy_pct",
        "dose_error_mg",
        "instructions",
        "flags",
        "ketamine",
        "drug",
        "curve",
        "products",
        "notice",
    ]);
    for view in &Steps::new(plan).steps {
        let s = view.step;
        sheet.push(vec![
            count(s.step),
            text(s.start_date.to_string()),
            text(s.end_date.to_string()),
            count(s.days),
            num(s.ideal_dose_mg),
            num(s.dose_mg),
            num(s.occupancy_pct),
            num(s.occupancy_drop_pp),
            num(s.ideal_occupancy_pct),
            num(s.dose_error_mg),
            text(view.instructions.unwrap_or_default()),
            text(view.flags(";")),
            text(
                plan.ketamine
                    .as_ref()
                    .map_or(String::new(), |k| step_cell(k, view)),
            ),
            text(plan.drug.name.clone()),
            text(curve.clone()),
            text(products.clone()),
            text(notice(plan)),
        ]);
    }
    sheet
}

fn curve_text(plan: &Plan) -> String {
    format!(
        "{} {} Emax {}% ED50 {} mg Hill {} ({}; evidence: {})",
        plan.drug.name,
        plan.curve.region,
        fmt_machine(plan.curve.emax_pct),
        fmt_machine(plan.curve.ed50_mg),
        fmt_machine(plan.curve.hill),
        plan.curve.source,
        plan.curve.evidence.as_str()
    )
}

/// `--daily`: one row per day instead of one per step.
fn daily(plan: &Plan, days: &[DailyRow], curve: &str) -> Sheet {
    let mut sheet = Sheet::new(&[
        "day",
        "date",
        "step",
        "strip",
        "ideal_dose_mg",
        "dose_mg",
        "occupancy_pct",
        "instructions",
        "drug",
        "curve",
        "notice",
    ]);
    for d in days {
        sheet.push(vec![
            count(d.day),
            text(d.date.to_string()),
            count(d.step),
            d.strip.map_or(text(""), count),
            num(d.ideal_dose_mg),
            num(d.dose_mg),
            num(d.occupancy_pct),
            text(d.instructions.clone().unwrap_or_default()),
            text(plan.drug.name.clone()),
            text(curve),
            text(notice(plan)),
        ]);
    }
    sheet
}

/// The sessions that fall within a plan step, for the step's `ketamine` cell.
/// Sessions after the plan's last step are put on the last row.
fn step_cell(k: &KetamineSection, view: &StepView) -> String {
    let (step, is_last) = (view.step, view.last);
    let cells: Vec<String> = k
        .sessions
        .iter()
        .filter(|s| {
            let day = s.at.date();
            (day >= step.start_date && day <= step.end_date) || (is_last && day > step.end_date)
        })
        .map(|s| {
            let flags = if s.flags.is_empty() {
                String::new()
            } else {
                format!("; flags: {}", super::super::words::codes(&s.flags, ", "))
            };
            format!(
                "session {} at {}; hold {} to {}; {}: {}; level left: {}{flags}",
                s.session,
                fmt_datetime(s.at),
                fmt_datetime(s.hold_from),
                fmt_datetime(s.hold_to),
                crate::ketamine::HOLD_ACTION,
                held_text(s, ", "),
                level_left(s)
            )
        })
        .collect();
    if cells.is_empty() {
        return String::new();
    }
    let dose = if k.regimens.is_empty() {
        String::new()
    } else {
        format!(
            " (benzodiazepines {:.1} mg/day diazepam-equivalent, {} table)",
            k.diazepam_equivalent_mg_per_day, k.equivalence_table_name
        )
    };
    cells.join(" | ") + &dose
}

/// `taper ketamine --format csv`: one row per session.
pub(super) fn ketamine(report: &KetamineReport) -> Sheet {
    let k = &report.ketamine;
    let mut sheet = Sheet::new(&[
        "session",
        "at",
        "hold_from",
        "hold_to",
        "held_doses",
        "action",
        "level_left_at_session",
        "remaining_fraction_min",
        "remaining_fraction_max",
        "flags",
        "diazepam_equivalent_mg_per_day",
        "equivalence_table",
        "notice",
    ]);
    let fraction = |f: Option<f64>| f.map_or(text(""), num);
    for s in &k.sessions {
        sheet.push(vec![
            count(s.session),
            text(fmt_datetime(s.at)),
            text(fmt_datetime(s.hold_from)),
            text(fmt_datetime(s.hold_to)),
            text(held_text(s, "; ")),
            text(match s.held_doses.is_empty() {
                true => "",
                false => crate::ketamine::HOLD_ACTION,
            }),
            // Per drug; the min/max columns span every drug of the session.
            text(level_left(s)),
            fraction(s.remaining_fraction.map(|f| f.min)),
            fraction(s.remaining_fraction.map(|f| f.max)),
            text(super::super::words::codes(&s.flags, ";")),
            num(k.diazepam_equivalent_mg_per_day),
            text(k.equivalence_table_name),
            text(report.notice),
        ]);
    }
    sheet
}
