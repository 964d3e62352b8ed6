//! The ketamine section in each format, for `taper plan … --ketamine` and
//! `taper ketamine`, and the `taper benzos` list. Formatting only.

use super::{fmt_machine, fmt_percent_range, fmt_range, table::write_rows};
use crate::catalog::{BenzoCatalog, EquivalenceTable};
use crate::error::Result;
use crate::ketamine::{KetamineReport, KetamineSection, SessionInfo};
use crate::plan::Step;
use crate::text::fmt_num;
use std::fmt::Write;

/// The section as text, placed after the step table.
pub fn section_table(out: &mut String, k: &KetamineSection) {
    let _ = writeln!(out, "\nKetamine sessions and the benzodiazepine hold");
    let _ = writeln!(out, "Hold:   {} ({})", k.hold.description, k.hold.source);
    let _ = writeln!(out, "Equivalence table: {}", k.equivalence_table_name);
    for r in &k.regimens {
        let _ = writeln!(out, "  {}", super::printout_ketamine::regimen(r));
    }
    if !k.regimens.is_empty() {
        let _ = writeln!(
            out,
            "Total: {:.1} mg/day diazepam-equivalent ({} the {} mg/day threshold); {:.2} mg/day lorazepam-equivalent ({} the {} mg/day esketamine-trial cap)",
            k.diazepam_equivalent_mg_per_day,
            if k.above_diazepam_threshold {
                "above"
            } else {
                "within"
            },
            fmt_num(k.diazepam_threshold.value),
            k.lorazepam_equivalent_mg_per_day,
            if k.above_esketamine_trial_cap {
                "above"
            } else {
                "within"
            },
            fmt_num(k.esketamine_trial_cap.value),
        );
    }
    out.push('\n');
    let mut rows = vec![
        [
            "Session",
            "At",
            "Hold from",
            "Hold to",
            "Doses in the window (hold — confirm with prescriber)",
            "Level left at session",
            "Flags",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for s in &k.sessions {
        rows.push(vec![
            s.session.to_string(),
            dt(s.at),
            dt(s.hold_from),
            dt(s.hold_to),
            held_text(s, "; "),
            level_left(s),
            s.flags.join(", "),
        ]);
    }
    write_rows(out, &rows, &[true, false, false, false, false, true, false]);
    if let Some(t) = &k.benzo_taper {
        benzo_taper_table(out, t);
    }
    let _ = writeln!(
        out,
        "\"Level left\" is the share of the level at the last dose taken that remains at session time, 0.5^(hours since that dose / half-life), over the half-life range."
    );
}

fn benzo_taper_table(out: &mut String, t: &crate::ketamine::BenzoTaper) {
    let _ = writeln!(out, "\n{}", benzo_taper_heading(t));
    let mut rows = vec![
        ["Step", "From", "To", "Daily mg", "Diazepam-eq mg"]
            .map(String::from)
            .to_vec(),
    ];
    for s in &t.steps {
        rows.push(vec![
            s.step.to_string(),
            s.start_date.to_string(),
            s.end_date.to_string(),
            super::fmt_dose(s.daily_mg),
            super::fmt_dose(s.diazepam_equivalent_mg),
        ]);
    }
    write_rows(out, &rows, &[true, false, false, true, true]);
    let _ = writeln!(out, "{}", benzo_taper_footer(t));
}

/// The line above a benzodiazepine taper's table, in every renderer.
pub(super) fn benzo_taper_heading(t: &crate::ketamine::BenzoTaper) -> String {
    format!(
        "Benzodiazepine taper before the first session ({}% of the current dose every {}, in {}{}):",
        fmt_num(t.percent_per_step),
        super::words::days(t.every_days),
        t.drug,
        if t.switched_to_diazepam {
            ", switched to diazepam equivalents"
        } else {
            ""
        }
    )
}

/// The note below a benzodiazepine taper's table: when it must start (or that it
/// cannot finish in time), and the sources of its last step, pace and model.
pub(super) fn benzo_taper_footer(t: &crate::ketamine::BenzoTaper) -> String {
    let when = if t.feasible {
        format!(
            "Must start by {} so the last dose is on {}, the day before the first session ({}).",
            t.must_start, t.last_dose_date, t.first_session
        )
    } else {
        format!(
            "Cannot finish before the first session ({}) at this pace: it would have to start on {}.",
            t.first_session, t.must_start
        )
    };
    format!(
        "{when} The taper ends after its last step (the final reduction, as in {}); every step is for the prescriber to confirm. Pace: {}. Model: {}.",
        t.final_step_source, t.pace_source, t.model_source
    )
}

/// What is left of each drug at session time, per drug: "lorazepam 41–64%".
pub(super) fn level_left(s: &SessionInfo) -> String {
    if s.benzos.is_empty() {
        return "—".into();
    }
    let parts: Vec<String> = s
        .benzos
        .iter()
        .map(|b| {
            format!(
                "{} {}",
                b.drug,
                fmt_percent_range(b.remaining_fraction.min, b.remaining_fraction.max)
            )
        })
        .collect();
    parts.join("; ")
}

/// The held doses of a session, as one line of text.
pub fn held_text(s: &SessionInfo, separator: &str) -> String {
    if s.held_doses.is_empty() {
        return "none".into();
    }
    let doses: Vec<String> = s.held_doses.iter().map(held_dose).collect();
    doses.join(separator)
}

/// One held dose: "lorazepam 1 mg at 2027-02-03 08:00".
pub(super) fn held_dose(d: &crate::ketamine::HeldDose) -> String {
    format!("{} {} mg at {}", d.drug, fmt_num(d.dose_mg), dt(d.at))
}

/// The sessions that fall within a plan step, for the step's CSV `ketamine` cell.
/// Sessions after the plan's last step are put on the last row.
pub fn step_cell(k: &KetamineSection, step: &Step, is_last: bool) -> String {
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
                format!("; flags: {}", s.flags.join(", "))
            };
            format!(
                "session {} at {}; hold {} to {}; {}: {}; level left: {}{flags}",
                s.session,
                dt(s.at),
                dt(s.hold_from),
                dt(s.hold_to),
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
    section_table(&mut out, &report.ketamine);
    super::table::write_warnings(&mut out, &report.warnings);
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
            s.flags.join(";"),
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
            b.kind.clone(),
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
    out.push_str("\nHalf-lives and Ashton equivalents: Ashton Manual (secondary). VA/DoD 2021 via ASAM 2025 Table 7 (verified). Time to peak: source not stated in the project reference (unverified).\nThe two tables disagree up to two-fold; every output names the one used. Midazolam is not listed: it has no reliable oral equivalent.\nFull sources: taper benzos --format json.\n");
    out
}

fn dt(at: jiff::civil::DateTime) -> String {
    crate::ketamine::fmt_datetime(at)
}
