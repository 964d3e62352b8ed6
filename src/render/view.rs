//! The one document the text formats render: the terminal table (`table.rs`), Markdown
//! (`markdown.rs`) and HTML (`html.rs`).
//!
//! Every sentence those formats show is worded here, once, from the finished plan; each
//! renderer only lays the pieces out in its own syntax (aligned columns, GFM, HTML), as
//! hyperfine's exporters share their content and differ only in markup. So the table
//! and a printout cannot say the same thing in two ways. The pieces are plain text:
//! each renderer escapes them for its format.

use super::view_history::{self, History};
use super::view_ketamine::{self, KetamineView};
use super::{step_view, words};
use crate::formulation::{DailyRow, Dispense, DispenseLine, FormulationInfo};
use crate::model::Code;
use crate::plan::{CurveInfo, Plan, Warning};
use crate::text::{fmt_count, fmt_dose, fmt_num};
use jiff::civil::DateTime;

/// A plan, worded for reading.
pub(super) struct PlanView {
    /// "Taper plan: citalopram (SSRI), from 20 mg/day".
    pub title: String,
    /// With `danger` warnings: the sentence shown before anything else but the title.
    pub headline: Option<String>,
    pub notice: &'static str,
    pub basis: Basis,
    /// A re-planned plan's revision and changes, shown before the steps.
    pub history: Option<History>,
    pub steps: Table,
    /// The last dose, the first day without, and how long the taper takes.
    pub summary: String,
    /// How to read the step table's occupancy and doses.
    pub occupancy_note: String,
    /// `--daily`: the days, one table per 28-day strip with `--strips`.
    pub daily: Option<Vec<Strip>>,
    pub dispense: Option<DispenseView>,
    pub ketamine: Option<KetamineView>,
    pub warnings: Vec<WarningView>,
}

/// What every number rests on: the curve, the rule, the drug entry, the products.
pub(super) struct Basis {
    pub curve: CurveView,
    pub rule: String,
    /// "5 mg (--min-dose)".
    pub min_dose: Option<String>,
    pub half_life: Option<String>,
    pub drug_entry: String,
    pub products: Option<ProductsView>,
}

/// A curve as people read it; `taper curve` shows the same lines.
pub(super) struct CurveView {
    /// "striatum SERT occupancy = 83.98% × dose / (2.33 mg + dose)".
    pub formula: String,
    pub region_reason: String,
    pub source: String,
    /// "secondary (from a secondary source, …)".
    pub evidence: String,
}

/// The products the doses were rounded to.
pub(super) struct ProductsView {
    pub products: String,
    /// How far a rounded step may stray, and the least dose the products make.
    pub rounding: String,
    pub caveats: Vec<String>,
}

/// A run of `--daily` days: with `--strips`, one strip and its heading.
pub(super) struct Strip {
    /// "Strip 2 (from 2027-02-01):".
    pub heading: Option<String>,
    pub table: Table,
}

/// What to dispense, for the whole plan and per prescription period.
pub(super) struct DispenseView {
    pub whole_plan: String,
    /// ("1 (2027-01-04 to 2027-01-31)", what to dispense): each format names the period
    /// in its own case.
    pub periods: Vec<(String, String)>,
    pub note: String,
}

/// A warning's message and its code, as displayed.
pub(super) struct WarningView {
    pub message: String,
    pub code: String,
    /// The code in a few words, as the Flags columns of a printout show it.
    pub label: &'static str,
}

pub(super) struct Table {
    /// The HTML class, which also names the table for tests.
    pub class: &'static str,
    pub columns: Vec<(&'static str, Align)>,
    pub rows: Vec<Row>,
}

pub(super) struct Row {
    /// The final, stopping step: set in bold.
    pub stop: bool,
    /// A step taken before a re-plan's change: history, set apart (its Status cell
    /// says so in words).
    pub taken: bool,
    pub cells: Vec<Cell>,
}

pub(super) enum Cell {
    Text(String),
    When(DateTime),
    /// Doses inside a hold window ("lorazepam 1 mg at 2027-02-03 08:00"), each to be
    /// marked [`HOLD_ACTION`](crate::ketamine::HOLD_ACTION).
    Held(Vec<String>),
    /// A step's or session's flags: the codes where there is no room (the terminal),
    /// their labels ([`words::label`]) where a column must wrap (a printout).
    Flags(Vec<Code>),
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Align {
    Num,
    Date,
    Text,
    /// Sentences (how to take a dose): the column gets room first.
    Wide,
    /// Doses to hold: a list, with room like [`Align::Wide`]. The terminal, with no room
    /// to repeat the action after every dose, names it once in the heading.
    Held,
}

pub(super) fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

/// Words `plan` for the text formats.
pub(super) fn plan(plan: &Plan) -> PlanView {
    let rounded = plan.formulation.is_some();
    let doses = match rounded {
        true => "Doses are rounded to the products above; \"Ideal mg\" is what the curve asks for.",
        false => {
            "Doses are ideal: round them to a formulation with the prescriber (--tablets, --liquid, --form)."
        }
    };
    PlanView {
        title: format!(
            "Taper plan: {} ({}), from {} mg/day",
            plan.drug.name,
            plan.drug.class,
            // As typed (20, 12.5), unless too small for 6 decimals.
            match plan.start_dose_mg >= 0.001 {
                true => fmt_num(plan.start_dose_mg),
                false => fmt_dose(plan.start_dose_mg),
            }
        ),
        headline: plan.headline.as_ref().map(|h| format!("DANGER: {h}")),
        notice: plan.notice,
        basis: basis(plan),
        history: view_history::history(plan),
        steps: steps(plan),
        summary: summary(plan),
        occupancy_note: format!(
            "Occupancy is SERT occupancy predicted by the curve above; \"pp\" is percentage points. {doses}"
        ),
        daily: plan.daily.as_deref().map(daily),
        dispense: plan.dispense.as_ref().map(dispense),
        ketamine: plan.ketamine.as_ref().map(view_ketamine::view),
        warnings: warnings(&plan.warnings),
    }
}

/// When the plan ends: its last dose and first day without the drug, or, for a plan
/// that ends held, that it has no stop date.
fn summary(plan: &Plan) -> String {
    let steps = fmt_count(plan.steps.len() as i64 - 1, "step");
    match (&plan.held, plan.last_dose_date, plan.stop_date) {
        (Some(held), _, _) => format!(
            "No stop date: the plan ends at step {}, {} mg/day from {}, held until {} (see the danger warning). Its steps take {} ({}), {steps} after the starting dose.",
            held.step,
            fmt_dose(held.dose_mg),
            held.from_date,
            held.until,
            fmt_count(plan.total_days, "day"),
            words::duration(plan.total_days),
        ),
        (None, Some(last), Some(stop)) => format!(
            "Last dose: {last}. First day without {}: {stop}. The taper takes {} ({}), {steps} after the starting dose.",
            plan.drug.name,
            fmt_count(plan.total_days, "day"),
            words::duration(plan.total_days),
        ),
        _ => format!("The plan has {steps} after the starting dose."),
    }
}

pub(super) fn curve(c: &CurveInfo) -> CurveView {
    CurveView {
        formula: format!("{} SERT occupancy = {}", c.region, curve_formula(c)),
        region_reason: c.region_reason.clone(),
        source: c.source.clone(),
        evidence: format!("{} ({})", c.evidence.as_str(), c.evidence.meaning()),
    }
}

/// A curve as a formula for people: "83.98% × dose / (2.33 mg + dose)", with the Hill
/// coefficient written out when it is not 1.
fn curve_formula(c: &CurveInfo) -> String {
    let (emax, ed50) = (fmt_num(c.emax_pct), fmt_num(c.ed50_mg));
    if c.hill == 1.0 {
        format!("{emax}% × dose / ({ed50} mg + dose)")
    } else {
        let n = fmt_num(c.hill);
        format!("{emax}% × dose^{n} / (({ed50} mg)^{n} + dose^{n})")
    }
}

fn basis(plan: &Plan) -> Basis {
    let rule = &plan.rule;
    let default = " (the default; choose with --step-pp, --steps or --percent)";
    Basis {
        curve: curve(&plan.curve),
        rule: format!(
            "{}{}; each step lasts {} unless held longer",
            rule.description,
            if rule.default { default } else { "" },
            words::days(rule.every_days)
        ),
        min_dose: rule
            .min_dose_mg
            .map(|floor| format!("{} mg (--min-dose)", fmt_num(floor))),
        half_life: plan.drug.half_life.as_ref().map(|h| {
            format!(
                "{} (evidence: {}; {})",
                h.as_published,
                h.evidence.as_str(),
                h.source
            )
        }),
        drug_entry: plan.drug.catalog.to_string(),
        products: plan.formulation.as_ref().map(products),
    }
}

fn products(f: &FormulationInfo) -> ProductsView {
    ProductsView {
        products: format!(
            "{} (source: {}; evidence: {})",
            f.products,
            f.source,
            f.evidence.as_str()
        ),
        rounding: format!(
            "a rounded step may remove up to {:.1} percentage points (the plan's largest step + {}% tolerance); smallest dose these products make: {} mg",
            f.allowed_fall_pp,
            fmt_num(f.tolerance_pct),
            fmt_dose(f.smallest_dose_mg)
        ),
        caveats: f.caveats.clone(),
    }
}

fn steps(plan: &Plan) -> Table {
    let rounded = plan.formulation.is_some();
    // A re-planned plan says which steps were taken and which is the rise.
    let replanned = !plan.revisions.is_empty();
    let mut columns = vec![("Step", Align::Num)];
    if replanned {
        columns.push(("Status", Align::Text));
    }
    columns.extend([
        ("From", Align::Date),
        ("To", Align::Date),
        ("Days", Align::Num),
        ("Dose mg/day", Align::Num),
    ]);
    if rounded {
        columns.extend([("Ideal mg", Align::Num), ("How to take", Align::Wide)]);
    }
    columns.extend([
        ("Occupancy", Align::Num),
        ("Fall", Align::Num),
        ("Flags", Align::Text),
    ]);
    let rows = plan.steps.iter().map(|s| {
        let mut cells = vec![text(s.step.to_string())];
        if replanned {
            cells.push(text(view_history::status(s)));
        }
        cells.extend([
            text(s.start_date.to_string()),
            text(s.end_date.to_string()),
            text(s.days.to_string()),
            text(fmt_dose(s.dose_mg)),
        ]);
        if rounded {
            cells.push(text(fmt_dose(s.ideal_dose_mg)));
            cells.push(text(s.instructions.clone().unwrap_or_default()));
        }
        cells.push(text(format!("{:.1}%", s.occupancy_pct)));
        cells.push(text(match s.step {
            0 => "—".into(),
            _ => view_history::fall(s.occupancy_drop_pp),
        }));
        cells.push(Cell::Flags(s.flags.clone()));
        Row {
            stop: step_view::is_stop(s.dose_mg),
            taken: s.taken,
            cells,
        }
    });
    Table {
        class: "steps",
        columns,
        rows: rows.collect(),
    }
}

/// `--daily`: one row per day, a table per 28-day strip with `--strips`.
fn daily(rows: &[DailyRow]) -> Vec<Strip> {
    let with_instructions = rows.iter().any(|r| r.instructions.is_some());
    let mut columns = vec![
        ("Day", Align::Num),
        ("Date", Align::Date),
        ("Step", Align::Num),
        ("Dose mg", Align::Num),
    ];
    if with_instructions {
        columns.push(("How to take", Align::Wide));
    }
    columns.push(("Occupancy", Align::Num));
    let row = |r: &DailyRow| {
        let mut cells = vec![
            text(r.day.to_string()),
            text(r.date.to_string()),
            text(r.step.to_string()),
            text(fmt_dose(r.dose_mg)),
        ];
        if with_instructions {
            cells.push(text(r.instructions.clone().unwrap_or_default()));
        }
        cells.push(text(format!("{:.1}%", r.occupancy_pct)));
        Row {
            stop: step_view::is_stop(r.dose_mg),
            taken: false,
            cells,
        }
    };
    rows.chunk_by(|a, b| a.strip == b.strip)
        .map(|days| Strip {
            heading: days[0]
                .strip
                .map(|strip| format!("Strip {strip} (from {}):", days[0].date)),
            table: Table {
                class: "daily",
                columns: columns.clone(),
                rows: days.iter().map(row).collect(),
            },
        })
        .collect()
}

fn dispense(d: &Dispense) -> DispenseView {
    DispenseView {
        whole_plan: lines(&d.whole_plan),
        periods: d
            .periods
            .iter()
            .map(|p| {
                let span = format!("{} ({} to {})", p.period, p.start_date, p.end_date);
                (span, lines(&p.lines))
            })
            .collect(),
        note: d.note.clone(),
    }
}

/// What to dispense: "30 tablets of 10 mg tablet; 100 mL of … (1 bottle)".
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

pub(super) fn warnings(warnings: &[Warning]) -> Vec<WarningView> {
    warnings
        .iter()
        .map(|w| WarningView {
            message: w.message.clone(),
            code: w.code.to_string(),
            label: words::label(w.code),
        })
        .collect()
}
