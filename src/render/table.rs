//! Terminal table renderer: the text formats' one document
//! ([`PlanView`](super::view::PlanView)) as aligned text. A header says what the plan
//! rests on (drug, region, curve, source and evidence, rule), then one row per step, a
//! footer with the dates and duration, the warnings in full, and the review notice.
//! Every sentence comes from the document; only the layout is decided here.

use super::fmt_dose;
use super::view::{self, Align, Cell, CurveView, Table, WarningView};
use super::words;
use crate::catalog::{Catalog, region_key};
use crate::inspect::CurveTable;
use crate::ketamine::{HOLD_ACTION, fmt_datetime};
use crate::plan::Plan;
use crate::text::fmt_num;
use std::fmt::Write;

pub fn plan(plan: &Plan) -> String {
    let doc = view::plan(plan);
    let mut out = format!("{}\n", doc.title);
    if let Some(headline) = &doc.headline {
        let _ = writeln!(out, "\n{headline}\n");
    }
    let b = &doc.basis;
    write_curve(&mut out, &b.curve);
    let _ = writeln!(out, "Rule:   {}", b.rule);
    if let Some(floor) = &b.min_dose {
        let _ = writeln!(out, "        smallest dose used: {floor}");
    }
    if let Some(h) = &b.half_life {
        let _ = writeln!(out, "Half-life: {h}");
    }
    let _ = writeln!(out, "Drug entry: {}", b.drug_entry);
    out.push('\n');
    if let Some(p) = &b.products {
        let _ = writeln!(out, "Products: {}", p.products);
        let _ = writeln!(out, "        {}", p.rounding);
        for caveat in &p.caveats {
            let _ = writeln!(out, "        note: {caveat}");
        }
    }
    out.push('\n');
    if let Some(h) = &doc.history {
        let _ = writeln!(out, "{}", h.heading);
        for change in &h.changes {
            let _ = writeln!(out, "- {change}");
        }
        out.push('\n');
    }
    write_table(&mut out, &doc.steps);
    let _ = writeln!(out, "\n{}\n{}", doc.summary, doc.occupancy_note);
    if let Some(strips) = &doc.daily {
        out.push_str("With --daily the dose falls a little every day: the daily rows below are the doses to take, and the step table above shows each step's target.\n");
        out.push_str("\nDaily doses (the dose falls a little every day):\n");
        for strip in strips {
            if let Some(heading) = &strip.heading {
                let _ = writeln!(out, "\n{heading}");
            }
            write_table(&mut out, &strip.table);
        }
    }
    if let Some(d) = &doc.dispense {
        let _ = writeln!(out, "\nTo dispense for the whole plan: {}", d.whole_plan);
        for (span, lines) in &d.periods {
            let _ = writeln!(out, "  period {span}: {lines}");
        }
        let _ = writeln!(out, "{}", d.note);
    }
    if let Some(k) = &doc.ketamine {
        super::ketamine::section_table(&mut out, k);
    }
    write_warnings(&mut out, &doc.warnings);
    let _ = writeln!(out, "\n{}", doc.notice);
    out
}

pub(super) fn write_warnings(out: &mut String, warnings: &[WarningView]) {
    if !warnings.is_empty() {
        out.push_str("\nWarnings:\n");
        for w in warnings {
            let _ = writeln!(out, "- [{}] {}", w.code, w.message);
        }
    }
}

fn write_curve(out: &mut String, curve: &CurveView) {
    let _ = writeln!(out, "Curve:  {}", curve.formula);
    let _ = writeln!(out, "        {}", curve.region_reason);
    let _ = writeln!(out, "Source: {}", curve.source);
    let _ = writeln!(out, "        evidence: {}", curve.evidence);
}

/// Writes a table of the document, numbers right-aligned.
pub(super) fn write_table(out: &mut String, t: &Table) {
    let right: Vec<bool> = t.columns.iter().map(|(_, a)| *a == Align::Num).collect();
    write_table_aligned(out, t, &right);
}

/// Writes a table of the document; `right[i]` right-aligns column i. Held doses are
/// listed in their cell and their action named once, in the column's heading.
pub(super) fn write_table_aligned(out: &mut String, t: &Table, right: &[bool]) {
    let heading = |(name, align): &(&str, Align)| match align {
        Align::Held => format!("{name} ({HOLD_ACTION})"),
        _ => name.to_string(),
    };
    let mut rows = vec![t.columns.iter().map(heading).collect()];
    rows.extend(t.rows.iter().map(|r| {
        r.cells
            .iter()
            .map(|c| match c {
                Cell::Text(text) => text.clone(),
                Cell::When(at) => fmt_datetime(*at),
                Cell::Held(doses) if doses.is_empty() => "none".into(),
                Cell::Held(doses) => doses.join("; "),
                Cell::Flags(codes) => words::codes(codes, ", "),
            })
            .collect()
    }));
    write_rows(out, &rows, right);
}

pub fn drugs(catalog: &Catalog) -> String {
    let mut rows = vec![row(&[
        "Drug",
        "Class",
        "Regions (* default)",
        "Default curve",
        "Evidence",
        "Usual dose",
    ])];
    for d in catalog.drugs() {
        let regions: Vec<String> = d
            .curves
            .iter()
            .map(|c| {
                let star = if region_key(&c.region) == region_key(&d.default_region) {
                    "*"
                } else {
                    ""
                };
                format!("{}{star}", c.region)
            })
            .collect();
        let (default, evidence) = match d.curve(None) {
            Ok(c) => (
                format!(
                    "Emax {}%, ED50 {} mg",
                    fmt_num(c.emax_pct),
                    fmt_num(c.ed50_mg)
                ),
                c.evidence.as_str(),
            ),
            Err(_) => ("—".into(), "—"),
        };
        rows.push(vec![
            d.name.clone(),
            d.class.clone(),
            regions.join(", "),
            default,
            evidence.to_string(),
            format!(
                "{} mg ({})",
                super::fmt_range(d.usual_dose.min_mg, d.usual_dose.max_mg),
                d.usual_dose.evidence.as_str()
            ),
        ]);
    }
    let mut out = String::new();
    write_rows(&mut out, &rows, &[false; 6]);
    out.push_str("\nCurves: Sørensen, Ruhé & Munkholm, Mol Psychiatry 2022, via the Antidepressant Hyperbolic Calculator (secondary: not checked against the paper).\nFull sources: taper drugs --format json. Brand names are accepted wherever a drug is named.\n");
    let _ = writeln!(out, "\n{}", crate::plan::REVIEW_NOTICE);
    out
}

pub fn curve(table: &CurveTable) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: dose ↔ SERT occupancy", table.drug);
    write_curve(&mut out, &view::curve(&table.curve));
    let _ = writeln!(
        out,
        "Usual dose: {} mg/day ({}; evidence: {})\n",
        super::fmt_range(table.usual_dose.min_mg, table.usual_dose.max_mg),
        table.usual_dose.source,
        table.usual_dose.evidence.as_str()
    );
    let mut rows = vec![row(&["Dose mg/day", "Occupancy"])];
    rows.extend(
        table
            .points
            .iter()
            .map(|p| vec![fmt_dose(p.dose_mg), format!("{:.1}%", p.occupancy_pct)]),
    );
    write_rows(&mut out, &rows, &[true, true]);
    out.push('\n');
    let mut rows = vec![row(&["Occupancy", "Dose mg/day"])];
    rows.extend(
        table
            .targets
            .iter()
            .map(|p| vec![format!("{:.0}%", p.occupancy_pct), fmt_dose(p.dose_mg)]),
    );
    write_rows(&mut out, &rows, &[true, true]);
    let _ = writeln!(out, "\n{}", table.notice);
    out
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// Writes rows as columns separated by two spaces; `right[i]` right-aligns column i.
pub(super) fn write_rows(out: &mut String, rows: &[Vec<String>], right: &[bool]) {
    let widths: Vec<usize> = (0..right.len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for r in rows {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            let pad = widths[i] - cell.chars().count();
            if i > 0 {
                line.push_str("  ");
            }
            if right[i] {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}
