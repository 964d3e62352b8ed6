//! The products part of a text plan: what the doses were rounded to, and what to
//! dispense. Formatting only.

use crate::formulation::{Dispense, DispenseLine, FormulationInfo};
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

fn lines(lines: &[DispenseLine]) -> String {
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
