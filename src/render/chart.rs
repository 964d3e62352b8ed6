//! The dose and occupancy chart of the HTML printout, as inline SVG.
//!
//! A printout is read on paper, often in grey, so the chart is plain: the dose as a solid
//! step line on the left axis (mg/day), occupancy as a dashed step line on the right axis
//! (%), dates along the bottom. Each step is drawn flat from its first day to the day after
//! its last, so a step's width is its length on the calendar. The dose axis is linear on
//! purpose: a hyperbolic taper's doses crowd towards zero while occupancy falls in equal
//! steps, and the chart shows exactly that rather than hiding it on a log scale.
//!
//! Everything drawn comes from the plan's steps; nothing is recomputed. Inline SVG needs
//! no script, no font and no network, so the page stays self-contained.

use crate::ketamine::SessionInfo;
use crate::text::{fmt_dose, fmt_num};
use jiff::ToSpan;
use jiff::civil::{Date, DateTime};
use std::fmt::Write;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 60.0;
const TOP: f64 = 34.0;
const BOTTOM: f64 = 40.0;
/// Gridlines: both axes share them, so the right axis reads 0, 20 … 100%.
const INTERVALS: u32 = 5;
const DOSE_COLOUR: &str = "#1f4e79";
const OCCUPANCY_COLOUR: &str = "#a64d00";
const SESSION_COLOUR: &str = "#5b2a86";

/// One step of the plan as the chart sees it (a plan's `Step` carries much more; the
/// chart needs only this, which keeps it independent of the plan's other fields).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    /// First and last day, inclusive.
    pub from: Date,
    pub to: Date,
    pub dose_mg: f64,
    pub occupancy_pct: f64,
}

/// The chart for `steps`, an `<svg>` element sized to the width of its container.
#[cfg(test)]
pub fn svg(steps: &[Bar]) -> String {
    svg_with_sessions(steps, &[])
}

/// The chart for `steps`, with each ketamine session marked by a dotted vertical line
/// and a number, and its benzodiazepine hold window shaded (at least 2 units wide, so
/// a 12-hour window stays visible on a plan of months). Sessions outside the plan's
/// dates are left out of the chart (the sessions table lists them all).
#[cfg(test)]
pub fn svg_with_sessions(steps: &[Bar], sessions: &[SessionInfo]) -> String {
    svg_with_journal(steps, sessions, &[])
}

/// The chart with sessions (as [`svg_with_sessions`]) and the journal's doses taken and
/// symptom scores (`chart_journal.rs`); the dose axis reaches the largest dose taken.
pub fn svg_with_journal(
    steps: &[Bar],
    sessions: &[SessionInfo],
    journal: &[crate::journal::Entry],
) -> String {
    let (Some(first), Some(last)) = (steps.first(), steps.last()) else {
        return String::new();
    };
    let start = first.from;
    let end = last.to.tomorrow().unwrap_or(last.to);
    let span_days = f64::from(days_between(start, end).max(1));
    let in_dates = |d: Date| start <= d && d < end;
    let dose_max = (steps.iter().map(|s| s.dose_mg))
        .chain(
            journal
                .iter()
                .filter(|e| in_dates(e.date))
                .filter_map(|e| e.taken_mg),
        )
        .fold(0.0, f64::max);
    let (dose_top, dose_step) = nice_scale(dose_max);
    let plot = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    let x = |d: Date| LEFT + plot.0 * f64::from(days_between(start, d)) / span_days;
    let y_dose = |mg: f64| TOP + plot.1 * (1.0 - (mg / dose_top).clamp(0.0, 1.0));
    let y_occ = |pct: f64| TOP + plot.1 * (1.0 - (pct / 100.0).clamp(0.0, 1.0));
    // A moment of a day: the day's x plus the share of the day gone.
    let x_at = |at: DateTime| {
        let secs = f64::from(at.time().hour()) * 3600.0
            + f64::from(at.time().minute()) * 60.0
            + f64::from(at.time().second());
        x(at.date()) + plot.0 * secs / 86_400.0 / span_days
    };
    let in_chart = |at: DateTime| start <= at.date() && at.date() < end;

    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg" font-family="inherit" font-size="11">"#
    );
    let _ = write!(
        out,
        r#"<title id="chart-title">Dose and occupancy by date</title><desc id="chart-desc">Dose falls from {} to {} mg/day and occupancy from {:.1}% to {:.1}% between {} and {}.</desc>"#,
        fmt_dose(first.dose_mg),
        fmt_dose(last.dose_mg),
        first.occupancy_pct,
        last.occupancy_pct,
        start,
        last.to
    );
    // Gridlines and both axes' labels, one row per interval.
    for i in 0..=INTERVALS {
        let frac = f64::from(i) / f64::from(INTERVALS);
        let y = TOP + plot.1 * (1.0 - frac);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#d8d8d8" stroke-width="{}"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="{DOSE_COLOUR}">{}</text><text x="{:.1}" y="{:.1}" fill="{OCCUPANCY_COLOUR}">{}%</text>"##,
            WIDTH - RIGHT,
            if i == 0 { 1.2 } else { 0.6 },
            LEFT - 6.0,
            y + 4.0,
            fmt_num(dose_step * f64::from(i)),
            WIDTH - RIGHT + 6.0,
            y + 4.0,
            fmt_num(100.0 * frac),
        );
    }
    for (tick, label) in date_ticks(start, end) {
        let tx = x(tick);
        let _ = write!(
            out,
            r##"<line x1="{tx:.1}" x2="{tx:.1}" y1="{:.1}" y2="{:.1}" stroke="#888"/><text x="{tx:.1}" y="{:.1}" text-anchor="middle" fill="#333">{label}</text>"##,
            TOP + plot.1,
            TOP + plot.1 + 5.0,
            TOP + plot.1 + 18.0,
        );
    }
    let _ = write!(
        out,
        r##"<text transform="translate(14 {mid:.1}) rotate(-90)" text-anchor="middle" fill="{DOSE_COLOUR}">Dose (mg/day)</text><text transform="translate({rx:.1} {mid:.1}) rotate(90)" text-anchor="middle" fill="{OCCUPANCY_COLOUR}">Occupancy (%)</text><text x="{cx:.1}" y="{by:.1}" text-anchor="middle" fill="#333">Date</text>"##,
        mid = TOP + plot.1 / 2.0,
        rx = WIDTH - 12.0,
        cx = LEFT + plot.0 / 2.0,
        by = HEIGHT - 4.0,
    );
    let steps_with_end: Vec<(Date, Date, &Bar)> = steps
        .iter()
        .map(|s| (s.from, s.to.tomorrow().unwrap_or(s.to), s))
        .collect();
    let dose = step_path(&steps_with_end, &x, |s| y_dose(s.dose_mg));
    let occupancy = step_path(&steps_with_end, &x, |s| y_occ(s.occupancy_pct));
    let shown: Vec<&SessionInfo> = sessions.iter().filter(|s| in_chart(s.at)).collect();
    for s in &shown {
        let (from, to) = (x_at(s.hold_from).max(LEFT), x_at(s.hold_to));
        if s.hold_from < s.hold_to {
            let width = (to - from).max(2.0);
            let _ = write!(
                out,
                r##"<rect class="hold" x="{:.1}" y="{TOP:.1}" width="{width:.1}" height="{:.1}" fill="{SESSION_COLOUR}" fill-opacity="0.18"/>"##,
                to - width,
                plot.1
            );
        }
        let sx = x_at(s.at);
        let _ = write!(
            out,
            r##"<line class="session" x1="{sx:.1}" x2="{sx:.1}" y1="{TOP:.1}" y2="{:.1}" stroke="{SESSION_COLOUR}" stroke-width="1.2" stroke-dasharray="2 2"/>"##,
            TOP + plot.1
        );
    }
    // Numbers over the lines; when sessions crowd, only the first and last.
    let crowded = shown.len() > 1
        && shown
            .windows(2)
            .any(|w| x_at(w[1].at) - x_at(w[0].at) < 14.0);
    for (i, s) in shown.iter().enumerate() {
        if crowded && i != 0 && i + 1 != shown.len() {
            continue;
        }
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{SESSION_COLOUR}" font-size="9">K{}</text>"##,
            x_at(s.at),
            TOP - 3.0,
            s.session
        );
    }
    super::chart_journal::marks(
        &mut out,
        journal,
        &super::chart_journal::Frame {
            start,
            end,
            top: TOP,
            height: plot.1,
            day: plot.0 / span_days,
            x: &x,
            y_dose: &y_dose,
        },
    );
    let _ = write!(
        out,
        r#"<path class="occupancy" d="{occupancy}" fill="none" stroke="{OCCUPANCY_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/><path class="dose" d="{dose}" fill="none" stroke="{DOSE_COLOUR}" stroke-width="2.5"/>"#
    );
    let _ = write!(
        out,
        r#"<g class="legend"><line x1="{LEFT}" x2="{:.1}" y1="12" y2="12" stroke="{DOSE_COLOUR}" stroke-width="2.5"/><text x="{:.1}" y="16">Dose, mg/day (left axis)</text><line x1="{:.1}" x2="{:.1}" y1="12" y2="12" stroke="{OCCUPANCY_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/><text x="{:.1}" y="16">Occupancy, % (right axis)</text></g></svg>"#,
        LEFT + 24.0,
        LEFT + 30.0,
        LEFT + 200.0,
        LEFT + 224.0,
        LEFT + 230.0,
    );
    if !shown.is_empty() {
        // The legend's third entry, inside the closing tag written above.
        out.truncate(out.len() - "</g></svg>".len());
        let _ = write!(
            out,
            r##"<line x1="{:.1}" x2="{:.1}" y1="6" y2="18" stroke="{SESSION_COLOUR}" stroke-width="1.2" stroke-dasharray="2 2"/><text x="{:.1}" y="16">Ketamine sessions, hold windows</text></g></svg>"##,
            LEFT + 400.0,
            LEFT + 400.0,
            LEFT + 406.0,
        );
    }
    if journal.iter().any(|e| in_dates(e.date)) {
        out.truncate(out.len() - "</svg>".len());
        super::chart_journal::legend(&mut out, LEFT, 30.0);
        out.push_str("</svg>");
    }
    out
}

/// An SVG path that holds each step's value flat from its first day to the day after its
/// last, joined by vertical drops.
fn step_path(
    steps: &[(Date, Date, &Bar)],
    x: &impl Fn(Date) -> f64,
    y: impl Fn(&Bar) -> f64,
) -> String {
    let mut d = String::new();
    for (i, (from, to, step)) in steps.iter().enumerate() {
        let cmd = if i == 0 { 'M' } else { 'L' };
        let _ = write!(d, "{cmd}{:.1} {:.1} H{:.1} ", x(*from), y(step), x(*to));
    }
    d.trim_end().to_string()
}

/// The top of the dose axis and the gap between gridlines: a round step (1, 2, 2.5 or 5
/// times a power of ten) such that [`INTERVALS`] of them reach `max`.
fn nice_scale(max: f64) -> (f64, f64) {
    if !(max.is_finite() && max > 0.0) {
        return (1.0, 1.0 / f64::from(INTERVALS));
    }
    let raw = max / f64::from(INTERVALS);
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude);
    (step * f64::from(INTERVALS), step)
}

/// Whole days from `from` to `to` (negative if `to` is earlier).
fn days_between(from: Date, to: Date) -> i32 {
    from.until(to).map_or(0, |span| span.get_days())
}

/// Dates to mark on the x axis, with their labels: the first of each month (at most
/// about eight, thinned evenly), or weekly marks for a plan shorter than three months.
fn date_ticks(start: Date, end: Date) -> Vec<(Date, String)> {
    if days_between(start, end) < 90 {
        let mut ticks = Vec::new();
        let mut day = start;
        while day <= end {
            ticks.push((day, day.strftime("%b %-d").to_string()));
            match day.checked_add(7.days()) {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        let stride = ticks.len().div_ceil(10).max(1);
        return ticks.into_iter().step_by(stride).collect();
    }
    let mut months = Vec::new();
    let mut month = start.first_of_month();
    if month < start {
        month = month.checked_add(1.month()).unwrap_or(end);
    }
    while month <= end {
        months.push(month);
        match month.checked_add(1.month()) {
            Ok(next) => month = next,
            Err(_) => break,
        }
    }
    let stride = months.len().div_ceil(8).max(1);
    let mut year = None;
    months
        .into_iter()
        .step_by(stride)
        .map(|m| {
            // The year is named on the first mark and wherever it changes.
            let label = if year == Some(m.year()) {
                m.strftime("%b")
            } else {
                m.strftime("%b %Y")
            };
            year = Some(m.year());
            (m, label.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn bar(from: Date, to: Date, dose_mg: f64, occupancy_pct: f64) -> Bar {
        Bar {
            from,
            to,
            dose_mg,
            occupancy_pct,
        }
    }

    fn three_steps() -> Vec<Bar> {
        vec![
            bar(date(2027, 1, 4), date(2027, 1, 31), 20.0, 75.2),
            bar(date(2027, 2, 1), date(2027, 2, 28), 11.67, 70.0),
            bar(date(2027, 3, 1), date(2027, 3, 28), 0.0, 0.0),
        ]
    }

    #[test]
    fn scales_round_up_to_a_readable_top() {
        assert_eq!(nice_scale(20.0), (25.0, 5.0));
        assert_eq!(nice_scale(11.67), (12.5, 2.5));
        assert_eq!(nice_scale(250.0), (250.0, 50.0));
        assert_eq!(nice_scale(0.3), (0.5, 0.1));
        assert_eq!(nice_scale(0.0), (1.0, 0.2));
        assert_eq!(nice_scale(f64::NAN), (1.0, 0.2));
    }

    #[test]
    fn each_step_is_one_flat_segment_joined_by_drops() {
        let svg = svg(&three_steps());
        let dose = svg.split(r#"class="dose" d=""#).nth(1).unwrap();
        let dose = dose.split('"').next().unwrap();
        assert_eq!(dose.matches('H').count(), 3, "{dose}");
        // The first step starts at the left edge and the last ends at the right edge.
        assert!(dose.starts_with("M60.0 "), "{dose}");
        assert!(dose.ends_with("H660.0"), "{dose}");
        // 20 mg on a 0–25 axis sits 80% of the way up the 226 px plot.
        assert!(
            dose.contains(&format!("{:.1}", TOP + 226.0 * 0.2)),
            "{dose}"
        );
        assert!(svg.contains(r#"class="occupancy""#));
    }

    #[test]
    fn axes_are_labelled_on_both_sides_and_with_dates() {
        let svg = svg(&three_steps());
        for label in [
            "Dose (mg/day)",
            "Occupancy (%)",
            ">25<",
            ">100%<",
            ">0%<",
            ">Jan 4<",
            ">Mar 15<",
        ] {
            assert!(svg.contains(label), "{label} missing");
        }
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    }

    #[test]
    fn short_plans_get_weekly_dates_and_long_ones_are_thinned() {
        let ticks = date_ticks(date(2027, 1, 4), date(2027, 1, 25));
        assert_eq!(ticks.len(), 4);
        assert_eq!(ticks[1].1, "Jan 11");
        let ticks = date_ticks(date(2027, 1, 4), date(2027, 6, 1));
        let labels: Vec<&str> = ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["Feb 2027", "Mar", "Apr", "May", "Jun"]);
        let ticks = date_ticks(date(2027, 1, 4), date(2029, 1, 4));
        assert!(ticks.len() <= 8, "{ticks:?}");
        assert!(ticks.iter().all(|(d, _)| d.day() == 1));
        assert_eq!(
            ticks.iter().filter(|(_, l)| l.contains("2028")).count(),
            1,
            "{ticks:?}"
        );
    }

    #[test]
    fn nothing_to_draw_is_no_chart() {
        assert_eq!(svg(&[]), "");
    }
}

#[cfg(test)]
mod session_tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn sessions_and_hold_windows_are_marked_inside_the_plan_only() {
        let bars = [Bar {
            from: date(2027, 1, 4),
            to: date(2027, 3, 28),
            dose_mg: 20.0,
            occupancy_pct: 75.0,
        }];
        let session = |n: usize, day: i8, month: i8| SessionInfo {
            session: n,
            at: date(2027, month, day).at(10, 0, 0, 0),
            hold_from: date(2027, month, day - 1).at(22, 0, 0, 0),
            hold_to: date(2027, month, day).at(10, 0, 0, 0),
            held_doses: vec![],
            benzos: vec![],
            remaining_fraction: None,
            flags: vec![],
        };
        let svg = svg_with_sessions(&bars, &[session(1, 3, 2), session(2, 10, 6)]);
        assert_eq!(
            svg.matches("class=\"session\"").count(),
            1,
            "June is outside"
        );
        assert_eq!(svg.matches("class=\"hold\"").count(), 1);
        assert!(svg.contains(">K1<") && !svg.contains(">K2<"));
        assert!(svg.contains("Ketamine sessions, hold windows"));
        assert!(!svg_with_sessions(&bars, &[]).contains("ketamine"));
    }
}
