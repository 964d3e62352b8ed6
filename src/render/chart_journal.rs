//! The journal on the HTML printout's chart (`--journal FILE`): each dose taken as a
//! ring on the dose axis, over the planned dose line, and each symptom score (0–10) as
//! a grey bar rising from the bottom of the chart, so prescriber and patient see where
//! the plan and the person parted. Only what the patient wrote is drawn; nothing is
//! inferred from it.

use crate::journal::Entry;
use jiff::civil::Date;
use std::fmt::Write;

const TAKEN_COLOUR: &str = "#000000";
const SCORE_COLOUR: &str = "#7a7a7a";
/// A score of 10 reaches this share of the plot's height: the bars stay below the dose
/// and occupancy lines they are read against.
const SCORE_SHARE: f64 = 0.25;

/// Where the chart's plot is, and how it maps dates and doses.
pub(super) struct Frame<'a> {
    pub start: Date,
    /// The day after the last.
    pub end: Date,
    pub top: f64,
    pub height: f64,
    /// The width of one day.
    pub day: f64,
    pub x: &'a dyn Fn(Date) -> f64,
    pub y_dose: &'a dyn Fn(f64) -> f64,
}

/// The marks of `journal` inside the chart's dates, the scores first so the rings of
/// the doses taken lie over them.
pub(super) fn marks(out: &mut String, journal: &[Entry], f: &Frame) {
    let shown = journal
        .iter()
        .filter(|e| f.start <= e.date && e.date < f.end);
    let bottom = f.top + f.height;
    let width = f.day.clamp(0.6, 6.0);
    for e in shown.clone() {
        if let Some(score) = e.score.filter(|s| *s > 0) {
            let h = f.height * SCORE_SHARE * f64::from(score) / 10.0;
            let _ = write!(
                out,
                r##"<rect class="score" x="{:.1}" y="{:.1}" width="{width:.1}" height="{h:.1}" fill="{SCORE_COLOUR}" fill-opacity="0.55"><title>{}: symptom score {score}</title></rect>"##,
                (f.x)(e.date) + (f.day - width) / 2.0,
                bottom - h,
                e.date
            );
        }
    }
    for e in shown {
        if let Some(mg) = e.taken_mg {
            let _ = write!(
                out,
                r##"<circle class="taken" cx="{:.1}" cy="{:.1}" r="2.2" fill="none" stroke="{TAKEN_COLOUR}" stroke-width="1"><title>{}: {} mg taken</title></circle>"##,
                (f.x)(e.date) + f.day / 2.0,
                (f.y_dose)(mg),
                e.date,
                crate::text::fmt_dose(mg)
            );
        }
    }
}

/// The legend's line for the journal, at `y`, from `x`.
pub(super) fn legend(out: &mut String, x: f64, y: f64) {
    let _ = write!(
        out,
        r##"<g class="legend journal"><circle cx="{:.1}" cy="{:.1}" r="2.2" fill="none" stroke="{TAKEN_COLOUR}"/><text x="{:.1}" y="{:.1}">Dose taken (journal)</text><rect x="{:.1}" y="{:.1}" width="6" height="9" fill="{SCORE_COLOUR}" fill-opacity="0.55"/><text x="{:.1}" y="{:.1}">Symptom score 0–10 (journal; 10 reaches a quarter of the chart's height)</text></g>"##,
        x + 12.0,
        y - 4.0,
        x + 30.0,
        y,
        x + 170.0,
        y - 9.0,
        x + 182.0,
        y
    );
}
