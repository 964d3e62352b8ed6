//! The ketamine part of the text formats' document ([`view`](super::view)): sessions,
//! hold windows, held doses and the benzodiazepine taper, worded once for the terminal
//! table and the printouts. The sentence helpers here also word the CSV's cells, so a
//! held dose or a level left reads the same in every format.

use super::view::{Align, Cell, Row, Table, text};
use super::words;
use crate::ketamine::{
    BenzoTaper, HeldDose, KetamineSection, RegimenInfo, SeriesLevel, SessionInfo, fmt_datetime,
};
use crate::text::{fmt_count, fmt_dose, fmt_num, fmt_percent_range, fmt_range};

/// The ketamine section, worded.
pub(super) struct KetamineView {
    /// The hold rule and its source.
    pub hold: String,
    pub equivalence_table: &'static str,
    /// One line per benzodiazepine regimen.
    pub regimens: Vec<String>,
    /// The regimens' total against the threshold and the trial cap; `None` without any.
    pub total: Option<String>,
    /// Each regimen's level over the whole series, held doses removed.
    pub series_levels: Vec<String>,
    pub sessions: Table,
    pub benzo_taper: Option<BenzoTaperView>,
    pub level_left_note: &'static str,
    /// How the level over the series is computed; `None` without a regimen.
    pub series_level_note: Option<String>,
}

/// `--benzo-taper`: the line above its table, the table, the note below.
pub(super) struct BenzoTaperView {
    pub heading: String,
    pub table: Table,
    pub footer: String,
}

pub(super) fn view(k: &KetamineSection) -> KetamineView {
    let word = |above: bool| if above { "above" } else { "within" };
    let total = (!k.regimens.is_empty()).then(|| {
        format!(
            "{:.1} mg/day diazepam-equivalent ({} the {} mg/day threshold); {:.2} mg/day lorazepam-equivalent ({} the {} mg/day esketamine-trial cap)",
            k.diazepam_equivalent_mg_per_day,
            word(k.above_diazepam_threshold),
            fmt_num(k.diazepam_threshold.value),
            k.lorazepam_equivalent_mg_per_day,
            word(k.above_esketamine_trial_cap),
            fmt_num(k.esketamine_trial_cap.value),
        )
    });
    KetamineView {
        hold: format!("{} ({})", k.hold.description, k.hold.source),
        equivalence_table: k.equivalence_table_name,
        regimens: k.regimens.iter().map(regimen).collect(),
        total,
        series_levels: k
            .regimens
            .iter()
            .map(|r| series_level(r, k.benzo_taper_pace_cap.value))
            .collect(),
        sessions: sessions(&k.sessions),
        benzo_taper: k.benzo_taper.as_ref().map(benzo_taper),
        level_left_note: "\"Level left\" is the share of the level at the last dose taken that remains at session time, 0.5^(hours since that dose / half-life), over the half-life range.",
        series_level_note: (!k.regimens.is_empty()).then(|| format!(
            "\"Level over the series\" is the level with the held doses removed, as a share of the level with none held (steady state): each scheduled dose taken adds dose × 0.5^(hours since it / half-life), at both ends of the half-life range, from the first held dose to a week after the last session. Its largest fall within any 14 days is set against ASAM 2025's {}% every 2 weeks for a taper.",
            fmt_num(k.benzo_taper_pace_cap.value)
        )),
    }
}

/// One regimen's level over the series in a line.
fn series_level(r: &RegimenInfo, cap_percent: f64) -> String {
    let Some(l): Option<&SeriesLevel> = r.series_level.as_ref() else {
        return format!(
            "{}: no scheduled dose is held, so the level stays at steady state.",
            r.drug
        );
    };
    let fall = &l.largest_fall_14_days_percent;
    let run = &l.longest_held_run;
    format!(
        "{}: {} of {} scheduled doses held from {} to {}; lowest {} of steady state (at {}); largest fall within 14 days {} of steady state ({} the {}% every 2 weeks of ASAM 2025); longest run held {} ({} h without a dose).",
        r.drug,
        l.held_doses,
        l.scheduled_doses,
        fmt_datetime(l.from),
        fmt_datetime(l.to),
        fmt_percent_range(l.lowest_fraction.min, l.lowest_fraction.max),
        fmt_datetime(l.lowest_at),
        fmt_percent_range(fall.min / 100.0, fall.max / 100.0),
        if l.fall_above_taper_cap {
            "more than"
        } else {
            "within"
        },
        fmt_num(cap_percent),
        fmt_count(run.doses as i64, "dose"),
        fmt_num(run.hours_without_dose)
    )
}

fn sessions(sessions: &[SessionInfo]) -> Table {
    let columns = vec![
        ("Session", Align::Num),
        ("At", Align::Text),
        ("Hold from", Align::Text),
        ("Hold to", Align::Text),
        ("Doses in the window", Align::Held),
        ("Level left at session", Align::Text),
        ("Flags", Align::Text),
    ];
    let rows = sessions.iter().map(|s| Row {
        stop: false,
        taken: false,
        cells: vec![
            text(s.session.to_string()),
            Cell::When(s.at),
            Cell::When(s.hold_from),
            Cell::When(s.hold_to),
            Cell::Held(s.held_doses.iter().map(held_dose).collect()),
            text(level_left(s)),
            Cell::Flags(s.flags.clone()),
        ],
    });
    Table {
        class: "sessions",
        columns,
        rows: rows.collect(),
    }
}

/// One benzodiazepine regimen in a line.
fn regimen(r: &RegimenInfo) -> String {
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

fn benzo_taper(t: &BenzoTaper) -> BenzoTaperView {
    let columns = vec![
        ("Step", Align::Num),
        ("From", Align::Date),
        ("To", Align::Date),
        ("Daily mg", Align::Num),
        ("Diazepam-eq mg", Align::Num),
    ];
    let measured = t.products.is_some();
    let mut columns = columns;
    if measured {
        columns.push(("Ideal mg", Align::Num));
        columns.push(("How to take it", Align::Text));
        columns.push(("Flags", Align::Text));
    }
    let rows = t.steps.iter().map(|s| {
        let mut cells = vec![
            text(s.step.to_string()),
            text(s.start_date.to_string()),
            text(s.end_date.to_string()),
            text(fmt_dose(s.daily_mg)),
            text(fmt_dose(s.diazepam_equivalent_mg)),
        ];
        if measured {
            cells.push(text(fmt_dose(s.ideal_daily_mg)));
            cells.push(text(s.how.clone().unwrap_or_default()));
            let flags: Vec<&str> = s.flags.iter().map(|f| f.as_str()).collect();
            cells.push(text(flags.join(" ")));
        }
        Row {
            stop: false,
            taken: false,
            cells,
        }
    });
    BenzoTaperView {
        heading: format!(
            "Benzodiazepine taper before the first session ({}% of the current dose every {}, in {}{}):",
            fmt_num(t.percent_per_step),
            words::days(t.every_days),
            t.drug,
            if t.switched_to_diazepam {
                ", switched to diazepam equivalents"
            } else {
                ""
            }
        ),
        table: Table {
            class: "benzo-taper",
            columns,
            rows: rows.collect(),
        },
        footer: benzo_taper_footer(t),
    }
}

/// The note below a benzodiazepine taper's table: when it must start (or that it
/// cannot finish in time), and the sources of its last step, pace and model.
fn benzo_taper_footer(t: &BenzoTaper) -> String {
    let crossover = t.crossover.as_ref().map_or(String::new(), |c| {
        let rounded = match &c.how {
            Some(how) if (c.diazepam_mg_per_day - c.diazepam_equivalent_mg_per_day).abs() > 1e-9 => format!(
                " ({how}; the equivalent is {} mg/day, and the products make {} mg/day at or below it)",
                fmt_dose(c.diazepam_equivalent_mg_per_day),
                fmt_dose(c.diazepam_mg_per_day)
            ),
            Some(how) => format!(" ({how})"),
            None => String::new(),
        };
        format!(
            "First, from {} to {}, a crossover from {} {} mg/day to diazepam {} mg/day{rounded}: {}–{} days ({}, evidence: {}); which doses are switched first is for the prescriber to set. ",
            c.start_date,
            c.end_date,
            c.from_drug,
            fmt_dose(c.from_mg_per_day),
            fmt_dose(c.diazepam_mg_per_day),
            c.days_min,
            c.days_max,
            c.source,
            c.evidence.as_str()
        )
    });
    let when = if t.feasible {
        format!(
            "Must start by {} so the last dose is on {}, the day before the first session ({}).",
            t.must_start, t.last_dose_date, t.first_session
        )
    } else {
        format!(
            "Cannot finish before the first session ({}) at this pace: it would have to start on {}. The {} steps it would still need after the first session are not shown.",
            t.first_session, t.must_start, t.steps_not_shown
        )
    };
    let products = t.products.as_ref().map_or(
        " Its doses are not rounded to products: the catalog has none of this drug for the market.".to_string(),
        |p| {
            let lines: Vec<String> = p
                .products
                .iter()
                .map(|l| {
                    let note = l.note.as_ref().map_or(String::new(), |n| format!("; {n}"));
                    let measure = l.measure_source.as_ref().map_or(String::new(), |m| format!("; measured: {m}"));
                    format!("{} ({}; evidence: {}{note}{measure})", l.description, l.source, l.evidence.as_str())
                })
                .collect();
            format!(
                " Doses are rounded to the {} products ({}): {}. A step may cut up to {}% more than planned (rounding tolerance); doses never rise; the dose times split each daily dose as evenly as the products allow, the larger doses later in the day, for the prescriber to change.",
                match p.market { crate::catalog::Market::Us => "US", crate::catalog::Market::Uk => "UK" },
                p.market_from,
                lines.join("; "),
                fmt_num(p.tolerance_pct)
            )
        },
    );
    format!(
        "{crossover}{when}{products} The taper ends after its last step (the final reduction, as in {}); every step is for the prescriber to confirm. Pace: {}. Model: {}.",
        t.final_step_source, t.pace_source, t.model_source
    )
}

/// What is left of each drug at session time, per drug: "lorazepam 41–64%".
pub(super) fn level_left(s: &SessionInfo) -> String {
    if s.benzos.is_empty() {
        return "—".into();
    }
    let parts: Vec<String> = s
        .benzos
        .iter()
        .map(|b| {
            format!(
                "{} {}",
                b.drug,
                fmt_percent_range(b.remaining_fraction.min, b.remaining_fraction.max)
            )
        })
        .collect();
    parts.join("; ")
}

/// The held doses of a session, as one line of text.
pub(super) fn held_text(s: &SessionInfo, separator: &str) -> String {
    if s.held_doses.is_empty() {
        return "none".into();
    }
    let doses: Vec<String> = s.held_doses.iter().map(held_dose).collect();
    doses.join(separator)
}

/// One held dose: "lorazepam 1 mg at 2027-02-03 08:00".
pub(super) fn held_dose(d: &HeldDose) -> String {
    format!(
        "{} {} mg at {}",
        d.drug,
        fmt_num(d.dose_mg),
        fmt_datetime(d.at)
    )
}
