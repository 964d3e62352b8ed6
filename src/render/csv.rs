//! CSV renderer: one row per step with a header row, ISO dates and `.` decimals
//! whatever the locale. The drug, curve and review notice repeat on every row so a
//! spreadsheet opened on its own still says what it is.

use super::fmt_machine;
use super::step_view::Steps;
use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::inspect::CurveTable;
use crate::plan::Plan;

pub fn plan(plan: &Plan) -> Result<String> {
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
    let mut rows = vec![header(&[
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
    ])];
    for view in &Steps::new(plan).steps {
        let s = view.step;
        rows.push(vec![
            s.step.to_string(),
            s.start_date.to_string(),
            s.end_date.to_string(),
            s.days.to_string(),
            fmt_machine(s.ideal_dose_mg),
            fmt_machine(s.dose_mg),
            fmt_machine(s.occupancy_pct),
            fmt_machine(s.occupancy_drop_pp),
            fmt_machine(s.ideal_occupancy_pct),
            fmt_machine(s.dose_error_mg),
            view.instructions.unwrap_or_default().to_string(),
            view.flags(";"),
            plan.ketamine
                .as_ref()
                .map_or(String::new(), |k| super::ketamine::step_cell(k, view)),
            plan.drug.name.clone(),
            curve.clone(),
            products.clone(),
            plan.notice.to_string(),
        ]);
    }
    write(rows)
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
fn daily(plan: &Plan, days: &[crate::formulation::DailyRow], curve: &str) -> Result<String> {
    let mut rows = vec![header(&[
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
    ])];
    for d in days {
        rows.push(vec![
            d.day.to_string(),
            d.date.to_string(),
            d.step.to_string(),
            d.strip.map_or(String::new(), |s| s.to_string()),
            fmt_machine(d.ideal_dose_mg),
            fmt_machine(d.dose_mg),
            fmt_machine(d.occupancy_pct),
            d.instructions.clone().unwrap_or_default(),
            plan.drug.name.clone(),
            curve.to_string(),
            plan.notice.to_string(),
        ]);
    }
    write(rows)
}

pub fn drugs(catalog: &Catalog) -> Result<String> {
    let mut rows = vec![header(&[
        "name",
        "class",
        "brand_names",
        "region",
        "default_region",
        "emax_pct",
        "ed50_mg",
        "hill",
        "source",
        "evidence",
        "notice",
    ])];
    for drug in catalog.drugs() {
        for c in &drug.curves {
            rows.push(vec![
                drug.name.clone(),
                drug.class.clone(),
                drug.brand_names.join(";"),
                c.region.clone(),
                (crate::catalog::region_key(&c.region)
                    == crate::catalog::region_key(&drug.default_region))
                .to_string(),
                fmt_machine(c.emax_pct),
                fmt_machine(c.ed50_mg),
                fmt_machine(c.hill),
                c.source.clone(),
                c.evidence.as_str().to_string(),
                crate::plan::REVIEW_NOTICE.to_string(),
            ]);
        }
    }
    write(rows)
}

pub fn curve(table: &CurveTable) -> Result<String> {
    let c = &table.curve;
    let curve = format!(
        "{} {} Emax {}% ED50 {} mg Hill {} ({}; evidence: {}; {})",
        table.drug,
        c.region,
        fmt_machine(c.emax_pct),
        fmt_machine(c.ed50_mg),
        fmt_machine(c.hill),
        c.source,
        c.evidence.as_str(),
        table.catalog
    );
    let mut rows = vec![header(&["dose_mg", "occupancy_pct", "curve", "notice"])];
    for p in &table.points {
        rows.push(vec![
            fmt_machine(p.dose_mg),
            fmt_machine(p.occupancy_pct),
            curve.clone(),
            table.notice.to_string(),
        ]);
    }
    write(rows)
}

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// Writes rows; every cell that is not a plain number is passed through
/// [`super::neutralise`], so text from users or drug files cannot run as a formula.
pub(super) fn write(rows: Vec<Vec<String>>) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        let row: Vec<String> = row
            .into_iter()
            .map(|cell| {
                if cell.parse::<f64>().is_ok() {
                    cell
                } else {
                    super::neutralise(&cell)
                }
            })
            .collect();
        writer.write_record(&row).map_err(encode_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|err| encode_error(err.into_error()))?;
    String::from_utf8(bytes)
        .map_err(|err| Error::Runtime(format!("CSV output is not UTF-8: {err}")))
}

fn encode_error(err: impl std::fmt::Display) -> Error {
    Error::Runtime(format!("could not encode the output as CSV: {err}"))
}
