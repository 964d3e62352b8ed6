//! The ketamine section as terminal text (worded in `view_ketamine.rs`), for `taper
//! plan … --ketamine` and `taper ketamine`, and the `taper benzos` list. Formatting
//! only; the CSV forms are in `csv/`.

use super::fmt_range;
use super::table::{write_rows, write_table, write_table_aligned};
use super::view::Align;
use super::view_ketamine::KetamineView;
use crate::catalog::{BenzoCatalog, EquivalenceTable};
use crate::ketamine::KetamineReport;
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

/// `taper ketamine` as a whole document.
pub fn report_table(report: &KetamineReport) -> String {
    let mut out = format!("Ketamine sessions from {}\n", report.start_date);
    section_table(&mut out, &super::view_ketamine::view(&report.ketamine));
    super::table::write_warnings(&mut out, &super::view::warnings(&report.warnings));
    let _ = writeln!(out, "\n{}", report.notice);
    out
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
