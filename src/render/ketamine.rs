//! The ketamine section as terminal text (worded in `view_ketamine.rs`) and as CSV
//! cells, for `taper plan … --ketamine` and `taper ketamine`, and the `taper benzos`
//! list. Formatting only.

use super::step_view::StepView;
use super::table::{write_rows, write_table, write_table_aligned};
use super::view::Align;
use super::view_ketamine::{KetamineView, held_text, level_left};
use super::{fmt_machine, fmt_range};
use crate::catalog::{BenzoCatalog, EquivalenceTable};
use crate::error::Result;
use crate::ketamine::{KetamineReport, KetamineSection, fmt_datetime};
use crate::text::fmt_num;
use std::fmt::Write;

/// The section as text, placed after the step table.
pub fn section_table(out: &mut String, k: &KetamineView) {
    let _ = writeln!(out, "\nKetamine sessions and the benzodiazepine hold");
    let _ = writeln!(out, "Hold:   {}", k.hold);
    let _ = writeln!(out, "Equivalence table: {}", k.equivalence_table);
    for r in &k.regimens {
        let _ = writeln!(out, "  {r}");
    }
    if let Some(total) = &k.total {
        let _ = writeln!(out, "Total: {total}");
    }
    for level in &k.series_levels {
        let _ = writeln!(out, "Level over the series: {level}");
    }
    out.push('\n');
    // "Level left" ends in percentages: right-aligned, they line up.
    let right: Vec<bool> = (k.sessions.columns.iter())
        .map(|(name, align)| *align == Align::Num || name.starts_with("Level left"))
        .collect();
    write_table_aligned(out, &k.sessions, &right);
    if let Some(t) = &k.benzo_taper {
        let _ = writeln!(out, "\n{}", t.heading);
        write_table(out, &t.table);
        let _ = writeln!(out, "{}", t.footer);
    }
    let _ = writeln!(out, "{}", k.level_left_note);
    if let Some(note) = &k.series_level_note {
        let _ = writeln!(out, "{note}");
    }
}

/// The sessions that fall within a plan step, for the step's CSV `ketamine` cell.
/// Sessions after the plan's last step are put on the last row.
pub fn step_cell(k: &KetamineSection, view: &StepView) -> String {
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
                format!("; flags: {}", super::words::codes(&s.flags, ", "))
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

/// `taper ketamine` as a whole document.
pub fn report_table(report: &KetamineReport) -> String {
    let mut out = format!("Ketamine sessions from {}\n", report.start_date);
    section_table(&mut out, &super::view_ketamine::view(&report.ketamine));
    super::table::write_warnings(&mut out, &super::view::warnings(&report.warnings));
    let _ = writeln!(out, "\n{}", report.notice);
    out
}

/// `taper ketamine --format csv`: one row per session.
pub fn report_csv(report: &KetamineReport) -> Result<String> {
    let k = &report.ketamine;
    let mut rows = vec![
        [
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
        ]
        .map(String::from)
        .to_vec(),
    ];
    for s in &k.sessions {
        rows.push(vec![
            s.session.to_string(),
            s.at.to_string(),
            s.hold_from.to_string(),
            s.hold_to.to_string(),
            held_text(s, "; "),
            match s.held_doses.is_empty() {
                true => String::new(),
                false => crate::ketamine::HOLD_ACTION.to_string(),
            },
            // Per drug; the min/max columns span every drug of the session.
            level_left(s),
            s.remaining_fraction
                .map_or(String::new(), |f| fmt_machine(f.min)),
            s.remaining_fraction
                .map_or(String::new(), |f| fmt_machine(f.max)),
            super::words::codes(&s.flags, ";"),
            fmt_machine(k.diazepam_equivalent_mg_per_day),
            k.equivalence_table_name.to_string(),
            report.notice.to_string(),
        ]);
    }
    super::csv::write(rows)
}

/// `taper benzos`: one row per drug.
pub fn benzos_table(benzos: &BenzoCatalog) -> String {
    let mut rows = vec![
        [
            "Drug",
            "Kind",
            "Half-life h (governing)",
            "Time to peak h",
            "≈10 mg diazepam: Ashton",
            "VA/DoD",
            "Acting",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for b in benzos.entries() {
        let h = b.effective_half_life();
        let eq = |t| {
            b.equivalence(t)
                .map_or("—".to_string(), |e| format!("{} mg", fmt_num(e.mg)))
        };
        rows.push(vec![
            b.name.clone(),
            b.kind.as_str().to_string(),
            format!(
                "{} ({})",
                fmt_range(h.hours_min, h.hours_max),
                h.description.as_deref().unwrap_or("parent")
            ),
            fmt_range(b.time_to_peak.hours_min, b.time_to_peak.hours_max),
            eq(EquivalenceTable::Ashton),
            eq(EquivalenceTable::VaDod),
            if b.is_long_acting() { "long" } else { "short" }.into(),
        ]);
    }
    let mut out = String::new();
    write_rows(&mut out, &rows, &[false; 7]);
    out.push_str("\nHalf-lives and Ashton equivalents: Ashton Manual (secondary). VA/DoD 2021 via ASAM 2025 Table 7 (verified). Time to peak: source not stated (unverified).\nThe two tables disagree up to two-fold; every output names the one used.");
    // Unless a --benzo-file added it, with the user's own figures.
    if benzos.find("midazolam").is_err() {
        out.push_str(" Midazolam is not listed: it has no reliable oral equivalent.");
    }
    out.push_str("\nFull sources: taper benzos --format json.\n");
    out
}
