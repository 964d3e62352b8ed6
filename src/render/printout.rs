//! The layout the HTML and Markdown printouts share.
//!
//! The content is the text formats' one document, [`PlanView`](super::view::PlanView),
//! worded in `view.rs` (the terminal table renders the same document). Here it is laid
//! out as a printout: a small document of sections, fields and tables, a [`Printout`],
//! which `markdown.rs` writes as GitHub-flavoured Markdown and `html.rs` as HTML, so the
//! two printouts cannot drift apart. The document holds plain text: each writer escapes
//! every piece of it, so a patient's name or a drug file's field is shown as text and can
//! neither break a table nor inject HTML.

use super::PrintOptions;
use super::view::{self, Table};
use super::view_ketamine::KetamineView;
use crate::plan::Plan;
use crate::text::{fmt_count, fmt_dose};

pub(super) type Field = (String, String);

/// A printout's content as plain text, in reading order.
pub(super) struct Printout {
    pub title: String,
    /// With `danger` warnings: shown first, before the notice.
    pub headline: Option<String>,
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
    Warnings(Vec<view::WarningView>),
}

fn field(label: impl Into<String>, value: impl Into<String>) -> Field {
    (label.into(), value.into())
}

/// Lays out the printout of `plan`: the terminal table's content, section by section.
pub(super) fn printout(plan: &Plan, options: &PrintOptions) -> Printout {
    let doc = view::plan(plan);
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
    let mut sections = vec![Section {
        heading: "What this plan rests on",
        blocks: vec![Block::Fields(basis(&doc.basis))],
    }];
    if let Some(h) = doc.history {
        let mut blocks = vec![Block::Text(h.heading)];
        blocks.extend(h.changes.into_iter().map(Block::Text));
        sections.push(Section {
            heading: "Changes to this plan",
            blocks,
        });
    }
    sections.extend([Section {
        heading: "Steps",
        blocks: vec![
            Block::Table(doc.steps),
            Block::Text(doc.summary),
            Block::Note(doc.occupancy_note),
        ],
    }]);
    let (first, last) = (plan.steps.first(), plan.steps.last());
    let caption = format!(
        "Dose falls from {} to {} mg/day over {}; occupancy is predicted by the curve above. The table is the plan; the chart only pictures it.",
        first.map_or_else(String::new, |s| fmt_dose(s.dose_mg)),
        last.map_or_else(String::new, |s| fmt_dose(s.dose_mg)),
        fmt_count(plan.steps.len().saturating_sub(1) as i64, "step")
    );
    sections.push(Section {
        heading: "Dose and occupancy by date",
        blocks: vec![Block::Chart(caption)],
    });
    if let Some(d) = doc.dispense {
        let mut rows = vec![field("Whole plan", d.whole_plan)];
        rows.extend(
            d.periods
                .into_iter()
                .map(|(span, lines)| field(format!("Period {span}"), lines)),
        );
        let blocks = vec![Block::Fields(rows), Block::Note(d.note)];
        sections.push(Section {
            heading: "To dispense",
            blocks,
        });
    }
    if let Some(k) = doc.ketamine {
        sections.push(ketamine(k));
    }
    if !doc.warnings.is_empty() {
        sections.push(Section {
            heading: "Warnings",
            blocks: vec![Block::Warnings(doc.warnings)],
        });
    }
    // Last: with --daily this is one row per day, so it runs to several pages.
    if let Some(strips) = doc.daily {
        let mut blocks = vec![Block::Text("The dose falls a little every day.".into())];
        for strip in strips {
            blocks.extend(strip.heading.map(Block::Text));
            blocks.push(Block::Table(strip.table));
        }
        sections.push(Section {
            heading: "Daily doses",
            blocks,
        });
    }
    Printout {
        title: doc.title,
        headline: doc.headline,
        notice: doc.notice,
        header,
        sections,
    }
}

/// Lays out `taper ketamine`'s printout: who it is for, the sessions and hold windows,
/// and the warnings, as the plan's printout words them.
pub(super) fn ketamine_report(
    report: &crate::ketamine::KetamineReport,
    options: &PrintOptions,
) -> Printout {
    let mut header = Vec::new();
    if let Some(patient) = &options.patient {
        header.push(field("Patient", patient.clone()));
    }
    if let Some(prescriber) = &options.prescriber {
        header.push(field("Prescriber", prescriber.clone()));
    }
    header.push(field("From", report.start_date.to_string()));
    header.push(field("Made on", options.made_on().to_string()));
    header.push(field(
        "Made with",
        format!("{} {}", report.tool.name, report.tool.version),
    ));
    let mut sections = vec![ketamine(super::view_ketamine::view(&report.ketamine))];
    let warnings = view::warnings(&report.warnings);
    if !warnings.is_empty() {
        sections.push(Section {
            heading: "Warnings",
            blocks: vec![Block::Warnings(warnings)],
        });
    }
    Printout {
        title: "Ketamine sessions and the benzodiazepine hold".into(),
        headline: crate::plan::headline(&report.warnings).map(|h| format!("DANGER: {h}")),
        notice: report.notice,
        header,
        sections,
    }
}

/// The curve, its source and evidence, the rule and the products: what every number
/// rests on.
fn basis(b: &view::Basis) -> Vec<Field> {
    let c = &b.curve;
    let mut fields = vec![
        field("Curve", format!("{}; {}", c.formula, c.region_reason)),
        field("Source", c.source.clone()),
        field("Evidence", c.evidence.clone()),
        field("Rule", b.rule.clone()),
    ];
    fields.extend(b.min_dose.clone().map(|v| field("Smallest dose used", v)));
    fields.extend(b.half_life.clone().map(|v| field("Half-life", v)));
    fields.push(field("Drug entry", b.drug_entry.clone()));
    if let Some(p) = &b.products {
        fields.push(field("Products", p.products.clone()));
        fields.push(field("Rounding", p.rounding.clone()));
        fields.extend(p.caveats.iter().map(|c| field("Note", c.clone())));
    }
    fields
}

/// Sessions, hold windows and the benzodiazepine taper.
fn ketamine(k: KetamineView) -> Section {
    let mut fields = vec![
        field("Hold", k.hold),
        field("Equivalence table", k.equivalence_table),
    ];
    fields.extend(k.regimens.into_iter().map(|r| field("Regimen", r)));
    fields.extend(k.total.map(|t| field("Total", t)));
    fields.extend(
        k.series_levels
            .into_iter()
            .map(|l| field("Level over the series", l)),
    );
    let mut blocks = vec![Block::Fields(fields), Block::Table(k.sessions)];
    if let Some(t) = k.benzo_taper {
        blocks.extend([
            Block::Text(t.heading),
            Block::Table(t.table),
            Block::Note(t.footer),
        ]);
    }
    blocks.push(Block::Note(k.level_left_note.into()));
    blocks.extend(k.series_level_note.map(Block::Note));
    Section {
        heading: "Ketamine sessions and the benzodiazepine hold",
        blocks,
    }
}
