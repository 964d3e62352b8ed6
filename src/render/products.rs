//! The products part of a text plan: what the doses were rounded to, and what to
//! dispense. Formatting only.

use crate::formulation::{DailyRow, Dispense, DispenseLine, FormulationInfo};
use crate::text::fmt_num;
use std::fmt::Write;

pub fn header(out: &mut String, f: &FormulationInfo) {
    let _ = writeln!(
        out,
        "Products: {} (source: {}; evidence: {})",
        f.products,
        f.source,
        f.evidence.as_str()
    );
    let _ = writeln!(
        out,
        "        a rounded step may remove up to {:.1} percentage points (the plan's largest step + {}% tolerance); smallest dose these products make: {} mg",
        f.allowed_fall_pp,
        fmt_num(f.tolerance_pct),
        super::fmt_dose(f.smallest_dose_mg)
    );
    for caveat in &f.caveats {
        let _ = writeln!(out, "        note: {caveat}");
    }
}

pub fn dispense(out: &mut String, d: &Dispense) {
    let _ = writeln!(
        out,
        "\nTo dispense for the whole plan: {}",
        lines(&d.whole_plan)
    );
    for p in &d.periods {
        let _ = writeln!(
            out,
            "  period {} ({} to {}): {}",
            p.period,
            p.start_date,
            p.end_date,
            lines(&p.lines)
        );
    }
    let _ = writeln!(out, "{}", d.note);
}

pub(super) fn lines(lines: &[DispenseLine]) -> String {
    if lines.is_empty() {
        return "nothing".into();
    }
    let parts: Vec<String> = lines
        .iter()
        .map(|l| {
            let bottles = l.bottles.map_or(String::new(), |b| {
                format!(" ({b} bottle{})", if b == 1 { "" } else { "s" })
            });
            format!(
                "{} {} of {}{bottles}",
                fmt_num(l.to_dispense),
                l.unit,
                l.product
            )
        })
        .collect();
    parts.join("; ")
}

/// `--daily`: one row per day, under a heading per strip when `--strips` was given.
pub fn daily(out: &mut String, rows: &[DailyRow]) {
    let _ = writeln!(out, "\nDaily doses (the dose falls a little every day):");
    let with_instructions = rows.iter().any(|r| r.instructions.is_some());
    let mut table: Vec<Vec<String>> = Vec::new();
    let flush = |out: &mut String, table: &mut Vec<Vec<String>>| {
        if !table.is_empty() {
            let mut header = vec!["Day", "Date", "Step", "Dose mg"];
            if with_instructions {
                header.push("How to take");
            }
            header.push("Occupancy");
            table.insert(0, header.iter().map(|h| h.to_string()).collect());
            let right: Vec<bool> = header
                .iter()
                .map(|h| !matches!(*h, "Date" | "How to take"))
                .collect();
            super::table::write_rows(out, table, &right);
            table.clear();
        }
    };
    let mut strip = None;
    for r in rows {
        if r.strip.is_some() && r.strip != strip {
            flush(out, &mut table);
            strip = r.strip;
            let _ = writeln!(out, "\nStrip {} (from {}):", r.strip.unwrap_or(0), r.date);
        }
        let mut cells = vec![
            r.day.to_string(),
            r.date.to_string(),
            r.step.to_string(),
            super::fmt_dose(r.dose_mg),
        ];
        if with_instructions {
            cells.push(r.instructions.clone().unwrap_or_default());
        }
        cells.push(format!("{:.1}%", r.occupancy_pct));
        table.push(cells);
    }
    flush(out, &mut table);
}
