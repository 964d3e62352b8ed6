//! The ketamine part of the HTML and Markdown printouts: sessions, hold windows, held
//! doses and the benzodiazepine taper, as [`Printout`](super::printout::Printout) content.

use super::printout::{Align, Block, Cell, Row, Section, Table, field, text};
use crate::ketamine::{BenzoTaper, HOLD_ACTION, KetamineSection, RegimenInfo};
use crate::text::{fmt_dose, fmt_num, fmt_range};

pub(super) fn ketamine(k: &KetamineSection) -> Section {
    let mut fields = vec![
        field(
            "Hold",
            format!("{} ({})", k.hold.description, k.hold.source),
        ),
        field("Equivalence table", k.equivalence_table_name),
    ];
    fields.extend(k.regimens.iter().map(|r| field("Regimen", regimen(r))));
    if !k.regimens.is_empty() {
        let word = |above: bool| if above { "above" } else { "within" };
        fields.push(field(
            "Total",
            format!(
                "{:.1} mg/day diazepam-equivalent ({} the {} mg/day threshold); {:.2} mg/day lorazepam-equivalent ({} the {} mg/day esketamine-trial cap)",
                k.diazepam_equivalent_mg_per_day,
                word(k.above_diazepam_threshold),
                fmt_num(k.diazepam_threshold.value),
                k.lorazepam_equivalent_mg_per_day,
                word(k.above_esketamine_trial_cap),
                fmt_num(k.esketamine_trial_cap.value),
            ),
        ));
    }
    let columns = vec![
        ("Session", Align::Num),
        ("At", Align::Text),
        ("Hold from", Align::Text),
        ("Hold to", Align::Text),
        ("Doses in the window", Align::Wide),
        ("Level left at session", Align::Text),
        ("Flags", Align::Text),
    ];
    let rows = k.sessions.iter().map(|s| {
        let held = s
            .held_doses
            .iter()
            .map(|d| (super::ketamine::held_dose(d), HOLD_ACTION));
        let level = super::ketamine::level_left(s);
        let cells = vec![
            text(s.session.to_string()),
            Cell::When(s.at),
            Cell::When(s.hold_from),
            Cell::When(s.hold_to),
            Cell::Held(held.collect()),
            text(level),
            text(crate::model::join_codes(&s.flags, ", ")),
        ];
        Row { stop: false, cells }
    });
    let sessions = Table {
        class: "sessions",
        columns,
        rows: rows.collect(),
    };
    let mut blocks = vec![Block::Fields(fields), Block::Table(sessions)];
    if let Some(t) = &k.benzo_taper {
        blocks.extend(benzo_taper(t));
    }
    blocks.push(Block::Note("\"Level left\" is the share of the level at the last dose taken that remains at session time, 0.5^(hours since that dose / half-life), over the half-life range.".into()));
    Section {
        heading: "Ketamine sessions and the benzodiazepine hold",
        blocks,
    }
}

/// One benzodiazepine regimen in a line; the text table uses it too.
pub(super) fn regimen(r: &RegimenInfo) -> String {
    format!(
        "{} {} mg at {} = {} mg/day ≈ {:.1} mg/day diazepam ({} mg ≈ 10 mg diazepam; evidence: {}); half-life {} h ({}; {}), {}",
        r.drug,
        fmt_num(r.dose_mg),
        r.times.join(", "),
        fmt_num(r.daily_mg),
        r.diazepam_equivalent_mg_per_day,
        fmt_num(r.equivalent_to_10mg_diazepam),
        r.equivalence_evidence.as_str(),
        fmt_range(r.half_life_hours_min, r.half_life_hours_max),
        r.half_life_of,
        r.half_life_evidence.as_str(),
        if r.long_acting {
            "long-acting"
        } else {
            "short-acting"
        }
    )
}

fn benzo_taper(t: &BenzoTaper) -> [Block; 3] {
    let heading = super::ketamine::benzo_taper_heading(t);
    let columns = vec![
        ("Step", Align::Num),
        ("From", Align::Date),
        ("To", Align::Date),
        ("Daily mg", Align::Num),
        ("Diazepam-eq mg", Align::Num),
    ];
    let rows = t.steps.iter().map(|s| Row {
        stop: false,
        cells: vec![
            text(s.step.to_string()),
            text(s.start_date.to_string()),
            text(s.end_date.to_string()),
            text(fmt_dose(s.daily_mg)),
            text(fmt_dose(s.diazepam_equivalent_mg)),
        ],
    });
    let footer = super::ketamine::benzo_taper_footer(t);
    let table = Table {
        class: "benzo-taper",
        columns,
        rows: rows.collect(),
    };
    [
        Block::Text(heading),
        Block::Table(table),
        Block::Note(footer),
    ]
}
