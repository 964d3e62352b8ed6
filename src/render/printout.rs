//! The content shared by the HTML and Markdown printouts.
//!
//! A printout's content (what the terminal table says, in the same words, plus a chart
//! for HTML) is built once here as a small document, a [`Printout`]; `markdown.rs` writes
//! it as GitHub-flavoured Markdown and `html.rs` writes the same document as HTML, so the
//! two printouts cannot drift apart. The document holds plain text: each writer escapes
//! every piece of it, so a patient's name or a drug file's field is shown as text and can
//! neither break a table nor inject HTML.

use super::PrintOptions;
use crate::formulation::DailyRow;
use crate::plan::Plan;
use crate::text::{fmt_dose, fmt_num};
use jiff::civil::DateTime;

pub(super) type Field = (String, String);

/// A printout's content as plain text, in reading order.
pub(super) struct Printout {
    pub title: String,
    pub notice: &'static str,
    /// Who it is for, when and with what it was made.
    pub header: Vec<Field>,
    pub sections: Vec<Section>,
}

pub(super) struct Section {
    pub heading: &'static str,
    pub blocks: Vec<Block>,
}

pub(super) enum Block {
    Fields(Vec<Field>),
    Table(Table),
    Text(String),
    /// Fine print: how to read what comes before.
    Note(String),
    /// The dose and occupancy chart (HTML only), with its caption.
    Chart(String),
    /// (message, code) of each warning.
    Warnings(Vec<(String, &'static str)>),
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
    pub cells: Vec<Cell>,
}

pub(super) enum Cell {
    Text(String),
    When(DateTime),
    /// Doses inside a hold window: (what, "hold — confirm with prescriber").
    Held(Vec<(String, &'static str)>),
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Align {
    Num,
    Date,
    Text,
    /// Sentences (how to take a dose, the doses to hold): the column gets room first.
    Wide,
}

pub(super) fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

pub(super) fn field(label: impl Into<String>, value: impl Into<String>) -> Field {
    (label.into(), value.into())
}

/// Builds the printout of `plan`: the terminal table's content, section by section.
pub(super) fn printout(plan: &Plan, options: &PrintOptions) -> Printout {
    let mut header = Vec::new();
    if let Some(patient) = &options.patient {
        header.push(field("Patient", patient.clone()));
    }
    if let Some(prescriber) = &options.prescriber {
        header.push(field("Prescriber", prescriber.clone()));
    }
    header.push(field("Made on", options.made_on().to_string()));
    header.push(field(
        "Made with",
        format!("{} {}", plan.tool.name, plan.tool.version),
    ));
    let start = if plan.start_dose_mg >= 0.001 {
        fmt_num(plan.start_dose_mg)
    } else {
        fmt_dose(plan.start_dose_mg)
    };
    let mut sections = vec![
        Section {
            heading: "What this plan rests on",
            blocks: vec![Block::Fields(basis(plan))],
        },
        steps(plan),
    ];
    let (first, last) = (plan.steps.first(), plan.steps.last());
    let caption = format!(
        "Dose falls from {} to {} mg/day over {}; occupancy is predicted by the curve above. The table is the plan; the chart only pictures it.",
        first.map_or_else(String::new, |s| fmt_dose(s.dose_mg)),
        last.map_or_else(String::new, |s| fmt_dose(s.dose_mg)),
        crate::text::fmt_count(plan.steps.len().saturating_sub(1) as i64, "step")
    );
    sections.push(Section {
        heading: "Dose and occupancy by date",
        blocks: vec![Block::Chart(caption)],
    });
    if let Some(d) = &plan.dispense {
        let mut rows = vec![field("Whole plan", super::products::lines(&d.whole_plan))];
        rows.extend(d.periods.iter().map(|p| {
            let label = format!("Period {} ({} to {})", p.period, p.start_date, p.end_date);
            field(label, super::products::lines(&p.lines))
        }));
        let blocks = vec![Block::Fields(rows), Block::Note(d.note.into())];
        sections.push(Section {
            heading: "To dispense",
            blocks,
        });
    }
    if let Some(k) = &plan.ketamine {
        sections.push(super::printout_ketamine::ketamine(k));
    }
    if !plan.warnings.is_empty() {
        let ws = plan.warnings.iter().map(|w| (w.message.clone(), w.code));
        sections.push(Section {
            heading: "Warnings",
            blocks: vec![Block::Warnings(ws.collect())],
        });
    }
    // Last: with --daily this is one row per day, so it runs to several pages.
    if let Some(rows) = &plan.daily {
        sections.push(daily(rows));
    }
    Printout {
        title: format!(
            "Taper plan: {} ({}), from {start} mg/day",
            plan.drug.name, plan.drug.class
        ),
        notice: plan.notice,
        header,
        sections,
    }
}

/// The curve, its source and evidence, the rule and the products: what every number
/// rests on.
fn basis(plan: &Plan) -> Vec<Field> {
    let (c, rule) = (&plan.curve, &plan.rule);
    let formula = super::curve_formula(c);
    let default = " (the default; choose with --step-pp, --steps or --percent)";
    let mut fields = vec![
        field(
            "Curve",
            format!(
                "{} SERT occupancy = {formula}; {}",
                c.region, c.region_reason
            ),
        ),
        field("Source", c.source.clone()),
        field(
            "Evidence",
            format!("{} ({})", c.evidence.as_str(), c.evidence.meaning()),
        ),
        field(
            "Rule",
            format!(
                "{}{}; each step lasts {} unless held longer",
                rule.description,
                if rule.default { default } else { "" },
                super::words::days(rule.every_days)
            ),
        ),
    ];
    if let Some(floor) = rule.min_dose_mg {
        fields.push(field(
            "Smallest dose used",
            format!("{} mg (--min-dose)", fmt_num(floor)),
        ));
    }
    if let Some(h) = &plan.drug.half_life {
        let value = format!(
            "{} (evidence: {}; {})",
            h.as_published,
            h.evidence.as_str(),
            h.source
        );
        fields.push(field("Half-life", value));
    }
    fields.push(field("Drug entry", plan.drug.catalog.clone()));
    if let Some(f) = &plan.formulation {
        let products = format!(
            "{} (source: {}; evidence: {})",
            f.products,
            f.source,
            f.evidence.as_str()
        );
        fields.push(field("Products", products));
        fields.push(field(
            "Rounding",
            format!(
                "a rounded step may remove up to {:.1} percentage points (the plan's largest step + {}% tolerance); smallest dose these products make: {} mg",
                f.allowed_fall_pp,
                fmt_num(f.tolerance_pct),
                fmt_dose(f.smallest_dose_mg)
            ),
        ));
        fields.extend(f.caveats.iter().map(|c| field("Note", c.clone())));
    }
    fields
}

fn steps(plan: &Plan) -> Section {
    let rounded = plan.formulation.is_some();
    let mut columns = vec![
        ("Step", Align::Num),
        ("From", Align::Date),
        ("To", Align::Date),
        ("Days", Align::Num),
        ("Dose mg/day", Align::Num),
    ];
    if rounded {
        columns.extend([("Ideal mg", Align::Num), ("How to take", Align::Wide)]);
    }
    columns.extend([
        ("Occupancy", Align::Num),
        ("Fall", Align::Num),
        ("Flags", Align::Text),
    ]);
    let rows = plan.steps.iter().map(|s| {
        let mut cells = vec![
            text(s.step.to_string()),
            text(s.start_date.to_string()),
            text(s.end_date.to_string()),
            text(s.days.to_string()),
            text(fmt_dose(s.dose_mg)),
        ];
        if rounded {
            cells.push(text(fmt_dose(s.ideal_dose_mg)));
            cells.push(text(s.instructions.clone().unwrap_or_default()));
        }
        cells.push(text(format!("{:.1}%", s.occupancy_pct)));
        cells.push(text(match s.step {
            0 => "—".into(),
            _ => format!("{:.1} pp", s.occupancy_drop_pp),
        }));
        cells.push(text(s.flags.join(", ")));
        Row {
            stop: s.dose_mg == 0.0,
            cells,
        }
    });
    let table = Table {
        class: "steps",
        columns,
        rows: rows.collect(),
    };
    let duration = super::words::duration(plan.total_days);
    let summary = format!(
        "Last dose: {}. First day without {}: {}. The taper takes {} ({duration}), {} after the starting dose.",
        plan.last_dose_date,
        plan.drug.name,
        plan.stop_date,
        crate::text::fmt_count(plan.total_days, "day"),
        crate::text::fmt_count(plan.steps.len() as i64 - 1, "step"),
    );
    let doses = match rounded {
        true => "Doses are rounded to the products above; \"Ideal mg\" is what the curve asks for.",
        false => {
            "Doses are ideal: round them to a formulation with the prescriber (--tablets, --liquid, --form)."
        }
    };
    let note = format!(
        "Occupancy is SERT occupancy predicted by the curve above; \"pp\" is percentage points. {doses}"
    );
    Section {
        heading: "Steps",
        blocks: vec![Block::Table(table), Block::Text(summary), Block::Note(note)],
    }
}

/// `--daily`: one row per day, a table per 28-day strip with `--strips`.
fn daily(rows: &[DailyRow]) -> Section {
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
    let mut blocks = vec![Block::Text("The dose falls a little every day.".into())];
    let mut current: Option<(Option<u32>, Vec<Row>)> = None;
    for r in rows {
        if current.as_ref().is_none_or(|(strip, _)| *strip != r.strip) {
            if let Some((_, rows)) = current.take() {
                let columns = columns.clone();
                blocks.push(Block::Table(Table {
                    class: "daily",
                    columns,
                    rows,
                }));
            }
            if let Some(strip) = r.strip {
                blocks.push(Block::Text(format!("Strip {strip} (from {}):", r.date)));
            }
            current = Some((r.strip, Vec::new()));
        }
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
        if let Some((_, rows)) = current.as_mut() {
            rows.push(Row {
                stop: r.dose_mg == 0.0,
                cells,
            });
        }
    }
    if let Some((_, rows)) = current {
        blocks.push(Block::Table(Table {
            class: "daily",
            columns,
            rows,
        }));
    }
    Section {
        heading: "Daily doses",
        blocks,
    }
}
