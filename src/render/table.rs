//! Terminal table renderer: a header saying what the plan rests on (drug, region,
//! curve, source and evidence, rule), one row per step, a footer with the dates and
//! duration, the warnings in full, and the review notice.

use super::fmt_dose;
use crate::catalog::{Catalog, region_key};
use crate::inspect::CurveTable;
use crate::plan::{CurveInfo, Plan};
use crate::text::fmt_num;
use std::fmt::Write;

pub fn plan(plan: &Plan) -> String {
    let mut out = String::new();
    let rule = &plan.rule;
    let _ = writeln!(
        out,
        "Taper plan: {} ({}), from {} mg/day",
        plan.drug.name,
        plan.drug.class,
        // As typed (20, 12.5), unless too small for 6 decimals.
        if plan.start_dose_mg >= 0.001 {
            fmt_num(plan.start_dose_mg)
        } else {
            super::fmt_dose(plan.start_dose_mg)
        }
    );
    write_curve(&mut out, &plan.curve);
    let _ = writeln!(
        out,
        "Rule:   {}{}; each step lasts {} unless held longer",
        rule.description,
        if rule.default {
            " (the default; choose with --step-pp, --steps or --percent)"
        } else {
            ""
        },
        super::words::days(rule.every_days)
    );
    if let Some(floor) = rule.min_dose_mg {
        let _ = writeln!(
            out,
            "        smallest dose used: {} mg (--min-dose)",
            fmt_num(floor)
        );
    }
    if let Some(h) = &plan.drug.half_life {
        let _ = writeln!(
            out,
            "Half-life: {} (evidence: {}; {})",
            h.as_published,
            h.evidence.as_str(),
            h.source
        );
    }
    let _ = writeln!(out, "Drug entry: {}", plan.drug.catalog);
    out.push('\n');

    if let Some(f) = &plan.formulation {
        super::products::header(&mut out, f);
    }
    out.push('\n');
    let rounded = plan.formulation.is_some();
    let mut header = vec!["Step", "From", "To", "Days", "Dose mg/day"];
    if rounded {
        header.extend(["Ideal mg", "How to take"]);
    }
    header.extend(["Occupancy", "Fall", "Flags"]);
    let mut rows = vec![row(&header)];
    for s in &plan.steps {
        let mut cells = vec![
            s.step.to_string(),
            s.start_date.to_string(),
            s.end_date.to_string(),
            s.days.to_string(),
            fmt_dose(s.dose_mg),
        ];
        if rounded {
            cells.push(fmt_dose(s.ideal_dose_mg));
            cells.push(s.instructions.clone().unwrap_or_default());
        }
        cells.push(format!("{:.1}%", s.occupancy_pct));
        cells.push(if s.step == 0 {
            "—".into()
        } else {
            format!("{:.1} pp", s.occupancy_drop_pp)
        });
        cells.push(s.flags.join(", "));
        rows.push(cells);
    }
    let mut right = vec![true, false, false, true, true];
    if rounded {
        right.extend([true, false]);
    }
    right.extend([true, true, false]);
    write_rows(&mut out, &rows, &right);
    out.push('\n');

    let duration = super::words::duration(plan.total_days);
    let _ = writeln!(
        out,
        "Last dose: {}. First day without {}: {}. The taper takes {} ({duration}), {} after the starting dose.",
        plan.last_dose_date,
        plan.drug.name,
        plan.stop_date,
        crate::text::fmt_count(plan.total_days, "day"),
        crate::text::fmt_count(plan.steps.len() as i64 - 1, "step"),
    );
    let _ = writeln!(
        out,
        "Occupancy is SERT occupancy predicted by the curve above; \"pp\" is percentage points. {}",
        if rounded {
            "Doses are rounded to the products above; \"Ideal mg\" is what the curve asks for."
        } else {
            "Doses are ideal: round them to a formulation with the prescriber (--tablets, --liquid, --form)."
        }
    );
    if let Some(rows) = &plan.daily {
        let _ = writeln!(
            out,
            "With --daily the dose falls a little every day: the daily rows below are the doses to take, and the step table above shows each step's target."
        );
        super::products::daily(&mut out, rows);
    }
    if let Some(d) = &plan.dispense {
        super::products::dispense(&mut out, d);
    }
    if let Some(k) = &plan.ketamine {
        super::ketamine::section_table(&mut out, k);
    }
    write_warnings(&mut out, &plan.warnings);
    let _ = writeln!(out, "\n{}", plan.notice);
    out
}

pub(super) fn write_warnings(out: &mut String, warnings: &[crate::plan::Warning]) {
    if !warnings.is_empty() {
        out.push_str("\nWarnings:\n");
        for w in warnings {
            let _ = writeln!(out, "- [{}] {}", w.code, w.message);
        }
    }
}

fn write_curve(out: &mut String, curve: &CurveInfo) {
    let formula = super::curve_formula(curve);
    let _ = writeln!(out, "Curve:  {} SERT occupancy = {formula}", curve.region);
    let _ = writeln!(out, "        {}", curve.region_reason);
    let _ = writeln!(out, "Source: {}", curve.source);
    let _ = writeln!(
        out,
        "        evidence: {} ({})",
        curve.evidence.as_str(),
        curve.evidence.meaning()
    );
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
    write_curve(&mut out, &table.curve);
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
