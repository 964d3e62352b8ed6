//! ICS renderer: the plan as an RFC 5545 calendar a patient imports into their phone.
//!
//! - One all-day event per step, from the step's first day to its last (DTEND is the
//!   day after, as RFC 5545 makes all-day ends exclusive), with the dose in the
//!   description. With `--daily` the dose changes every day, so each day with a dose is
//!   its own event instead (a step's dose would contradict the daily rows), and the
//!   stop is one event.
//! - One timed event per ketamine session, and one for each benzodiazepine hold window
//!   (from its start to its end), in floating local time: the sessions were given as
//!   wall-clock times, and a floating time stays at that wall-clock time wherever the
//!   phone is.
//! - `--remind 08:00`: a display alarm at that time on each event's day.
//!
//! Titles show on lock screens, so by default they name no drug ("Medication step 2");
//! `--ics-titles full` names it. Descriptions name it and end with the review notice.
//!
//! UIDs derive from the plan's id ([`crate::identity`]), never from the drug or the
//! dose: two patients on the same drug from the same day never share an event. Within
//! a plan an event is keyed by what stays the same across revisions: a step by the day
//! its dose starts, a `--daily` day by its date, a session by its number.
//!
//! A revision of the plan (`taper replan`) updates a calendar that imported an earlier
//! one (RFC 5545 §3.8.7.4, RFC 5546 §2.1.4): every event carries `SEQUENCE` = the
//! revision − 1, so each revision's events supersede the earlier ones with the same
//! UID; steps of earlier revisions that no longer happen are sent again as
//! `STATUS:CANCELLED`. DTSTAMP is the day the revision took effect (`--on`; the start
//! date for revision 1), read from the plan, because the `icalendar` crate would stamp
//! the current time otherwise: the same plan gives the same bytes on every run.

use super::PrintOptions;
use super::step_view::{StepView, Steps};
use crate::error::{Error, Result};
use crate::formulation::DailyRow;
use crate::ketamine::{HOLD_ACTION, SessionInfo, fmt_datetime};
use crate::plan::Plan;
use crate::text::fmt_dose;
use icalendar::{
    Alarm, Calendar, Class, Component, Event, EventLike, EventStatus, Property, Trigger,
};
use jiff::civil::Date;

pub fn plan(plan: &Plan, options: &PrintOptions) -> Result<String> {
    let ctx = Context {
        doc: Doc {
            options,
            stamp: stamp(made_on(plan))?,
            uid_base: plan.plan_id.clone(),
            sequence: plan.revision - 1,
            headline: plan.headline.clone(),
            notice: plan.notice,
        },
        plan,
        steps: Steps::new(plan),
    };
    let mut calendar = calendar(&plan.tool);
    let steps = &ctx.steps;
    if plan.daily.is_some() {
        for row in steps.dosing_days {
            calendar.push(ctx.day_event(row)?);
        }
        // A plan that ends held has no stop: its held days are daily rows.
        if let Some(stop) = steps.steps.last().filter(|s| s.stop) {
            calendar.push(ctx.step_event(stop)?);
        }
    } else {
        for step in &steps.steps {
            calendar.push(ctx.step_event(step)?);
        }
    }
    for step in &plan.cancelled {
        calendar.push(ctx.cancelled_event(step)?);
    }
    if let Some(k) = &plan.ketamine {
        sessions(&ctx.doc, k, &mut calendar)?;
    }
    finish(&calendar)
}

/// What every event of a calendar carries, whatever it comes from: UIDs from the plan's
/// id, DTSTAMP, SEQUENCE, the review notice and, when there is one, the danger headline.
struct Doc<'a> {
    options: &'a PrintOptions,
    stamp: chrono::DateTime<chrono::Utc>,
    uid_base: String,
    sequence: u32,
    headline: Option<String>,
    notice: &'a str,
}

/// A plan's calendar: its steps (or days), earlier revisions' cancelled steps, and its
/// ketamine sessions.
struct Context<'a> {
    doc: Doc<'a>,
    plan: &'a Plan,
    steps: Steps<'a>,
}

/// A calendar with its header properties.
fn calendar(tool: &crate::model::Tool) -> Calendar {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new(
            "PRODID",
            format!("-//{0}//{0} {1}//EN", tool.name, tool.version),
        ))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .name("Medication plan");
    calendar
}

/// Midnight UTC of `day`, the DTSTAMP of every event.
fn stamp(day: Date) -> Result<chrono::DateTime<chrono::Utc>> {
    Ok(chrono_date(day)?
        .and_hms_opt(0, 0, 0)
        .ok_or_else(|| out_of_range(day.to_string()))?
        .and_utc())
}

/// The session and hold-window events of a ketamine section.
fn sessions(
    doc: &Doc,
    k: &crate::ketamine::KetamineSection,
    calendar: &mut Calendar,
) -> Result<()> {
    for session in &k.sessions {
        calendar.push(doc.session_event(session)?);
    }
    // Without a benzodiazepine regimen there is nothing to hold.
    if !k.regimens.is_empty() {
        for session in &k.sessions {
            calendar.push(doc.hold_event(session, &k.hold.description)?);
        }
    }
    Ok(())
}

/// The calendar as text, its lines folded at 75 octets (RFC 5545 §3.1).
fn finish(calendar: &Calendar) -> Result<String> {
    let text: String = calendar
        .try_into()
        .map_err(|_| Error::Runtime("could not write the calendar".into()))?;
    Ok(super::ics_fold::refold(&text))
}

/// `taper ketamine --format ics`: the sessions and hold windows alone, for a patient
/// on ketamine without an antidepressant taper. Its UIDs derive from `calendar_id`
/// (`--plan-id`, or generated), its DTSTAMP is the report's first day.
pub fn ketamine(
    report: &crate::ketamine::KetamineReport,
    options: &PrintOptions,
    calendar_id: &str,
) -> Result<String> {
    let doc = Doc {
        options,
        stamp: stamp(report.start_date)?,
        uid_base: calendar_id.to_string(),
        sequence: 0,
        headline: crate::plan::headline(&report.warnings),
        notice: report.notice,
    };
    let mut calendar = calendar(&report.tool);
    sessions(&doc, &report.ketamine, &mut calendar)?;
    finish(&calendar)
}

impl Context<'_> {
    fn step_event(&self, view: &StepView) -> Result<Event> {
        let (s, drug) = (view.step, &self.plan.drug.name);
        let stage = match (s.step, view.stop) {
            (_, true) => ": stop",
            _ if view.held => ": hold this dose (do not stop)",
            (0, false) => " (current dose)",
            _ => "",
        };
        let title = match self.doc.options.ics_titles_full {
            false => format!("Medication step {}{stage}", s.step),
            true if view.stop => format!("{drug}: stop (step {})", s.step),
            true if view.held => format!(
                "{drug} {} mg/day (step {}): hold (do not stop)",
                fmt_dose(s.dose_mg),
                s.step
            ),
            true => format!("{drug} {} mg/day (step {})", fmt_dose(s.dose_mg), s.step),
        };
        let mut body = if view.stop {
            format!(
                "Step {} of {}: stop {drug}. No dose from {} (the last dose was on {}). Step {} runs to {} ({}).",
                s.step,
                self.steps.last_number(),
                s.start_date,
                // A stop step is only in a plan that ends in a stop, which has this date.
                self.plan
                    .last_dose_date
                    .map_or_else(|| "the day before".to_string(), |d| d.to_string()),
                s.step,
                s.end_date,
                super::words::days(s.days)
            )
        } else {
            format!(
                "Step {} of {}: {drug} {} mg a day from {} to {} ({}). Predicted SERT occupancy {:.1}%{}.",
                s.step,
                self.steps.last_number(),
                fmt_dose(s.dose_mg),
                s.start_date,
                s.end_date,
                super::words::days(s.days),
                s.occupancy_pct,
                if s.step == 0 {
                    " (the starting dose)".to_string()
                } else {
                    format!(
                        ", {:.1} percentage points below the step before",
                        s.occupancy_drop_pp
                    )
                }
            )
        };
        if let Some(how) = view.instructions {
            body.push_str(&format!(" How to take: {how}."));
        }
        add_notes(&mut body, view);
        let id = format!("step-{}", s.start_date);
        self.all_day(&id, &title, &body, s.start_date, s.end_date)
    }

    /// One `--daily` day: that day's dose and how to take it. The first day of a step
    /// carries the step's notes.
    fn day_event(&self, row: &DailyRow) -> Result<Event> {
        let drug = &self.plan.drug.name;
        let title = match self.doc.options.ics_titles_full {
            false => format!("Medication day {}", row.day),
            true => format!("{drug} {} mg (day {})", fmt_dose(row.dose_mg), row.day),
        };
        let mut body = format!(
            "Day {} of {} (step {} of {}): {drug} {} mg today. Predicted SERT occupancy {:.1}%.",
            row.day,
            self.steps.dosing_days.len(),
            row.step,
            self.steps.last_number(),
            fmt_dose(row.dose_mg),
            row.occupancy_pct,
        );
        if let Some(how) = &row.instructions {
            body.push_str(&format!(" How to take: {how}."));
        }
        let step = self.steps.of(row.step);
        if let Some(first_day) = step.filter(|v| v.step.start_date == row.date) {
            add_notes(&mut body, first_day);
        }
        let id = format!("day-{}", row.date);
        self.all_day(&id, &title, &body, row.date, row.date)
    }

    /// A step of an earlier revision that no longer happens, under its UID, cancelled.
    fn cancelled_event(&self, step: &crate::revision::CancelledStep) -> Result<Event> {
        let id = format!("step-{}", step.start_date);
        let body = format!(
            "Cancelled: revision {} of the plan replaces this step of revision {} ({} to {}).",
            self.plan.revision, step.revision, step.start_date, step.end_date
        );
        let mut event = self.doc.event(&id, "Cancelled: medication step", &body);
        event
            .starts(chrono_date(step.start_date)?)
            .ends(chrono_date(
                step.end_date
                    .tomorrow()
                    .map_err(|_| out_of_range(step.end_date.to_string()))?,
            )?)
            .status(EventStatus::Cancelled)
            .add_property("TRANSP", "TRANSPARENT");
        Ok(event.done())
    }

    /// An all-day event from `first` to `last` inclusive (DTEND is the day after, as
    /// RFC 5545 makes all-day ends exclusive), shown as free time, with its reminder.
    fn all_day(&self, id: &str, title: &str, body: &str, first: Date, last: Date) -> Result<Event> {
        let mut event = self.doc.event(id, title, body);
        event
            .starts(chrono_date(first)?)
            .ends(chrono_date(
                last.tomorrow()
                    .map_err(|_| out_of_range(last.to_string()))?,
            )?)
            .add_property("TRANSP", "TRANSPARENT");
        self.doc.remind(&mut event, id, title, 0)?;
        Ok(event.done())
    }
}

impl Doc<'_> {
    fn session_event(&self, s: &SessionInfo) -> Result<Event> {
        let title = match self.options.ics_titles_full {
            false => format!("Treatment session {}", s.session),
            true => format!("Ketamine session {}", s.session),
        };
        let mut body = format!("Ketamine session {} at {}.", s.session, fmt_datetime(s.at));
        if !s.held_doses.is_empty() {
            body.push_str(&format!(
                " Benzodiazepine hold from {} to {}. Doses in the window: {}.",
                fmt_datetime(s.hold_from),
                fmt_datetime(s.hold_to),
                self.held(s)
            ));
        }
        if !s.flags.is_empty() {
            body.push_str(&format!(" Flags: {}.", super::words::codes(&s.flags, ", ")));
        }
        let id = format!("session-{}", s.session);
        let mut event = self.event(&id, &title, &body);
        event.starts(chrono_datetime(s.at)?);
        self.remind(&mut event, &id, &title, seconds_of_day(s.at.time()))?;
        Ok(event.done())
    }

    fn hold_event(&self, s: &SessionInfo, rule: &str) -> Result<Event> {
        let title = match self.options.ics_titles_full {
            false => format!("Hold window before session {}", s.session),
            true => format!("Benzodiazepine hold before ketamine session {}", s.session),
        };
        let body = format!(
            "Benzodiazepine hold window for ketamine session {} ({}): from {} to {}; {rule}. Doses in the window: {}.",
            s.session,
            fmt_datetime(s.at),
            fmt_datetime(s.hold_from),
            fmt_datetime(s.hold_to),
            self.held(s)
        );
        let id = format!("hold-{}", s.session);
        let mut event = self.event(&id, &title, &body);
        event
            .starts(chrono_datetime(s.hold_from)?)
            .ends(chrono_datetime(s.hold_to)?);
        self.remind(&mut event, &id, &title, seconds_of_day(s.hold_from.time()))?;
        Ok(event.done())
    }

    /// An event with its stable UID, fixed DTSTAMP, title and description; the
    /// description always ends with the review notice, and a plan that needs review
    /// says so first in every event.
    fn event(&self, id: &str, title: &str, body: &str) -> Event {
        let description = match &self.headline {
            Some(headline) => format!("DANGER: {headline}\n\n{body}\n\n{}", self.notice),
            None => format!("{body}\n\n{}", self.notice),
        };
        Event::new()
            .uid(&format!("{}-{id}@taper", self.uid_base))
            .timestamp(self.stamp)
            .add_property("SEQUENCE", self.sequence.to_string())
            .class(Class::Private)
            .summary(&plain(title))
            .description(&plain(&description))
            .done()
    }

    /// With `--remind HH:MM`, a display alarm at that time on the day the event starts;
    /// `start_seconds` is the event's start as seconds after midnight (0 for all-day).
    fn remind(&self, event: &mut Event, id: &str, title: &str, start_seconds: i64) -> Result<()> {
        let Some(at) = self.options.remind else {
            return Ok(());
        };
        let offset = chrono::Duration::try_seconds(seconds_of_day(at) - start_seconds)
            .ok_or_else(|| Error::Runtime("--remind: the reminder time is out of range".into()))?;
        let mut alarm = Alarm::display(&plain(title), Trigger::after_start(offset));
        // The crate would give the alarm a random UID and the current time otherwise.
        alarm
            .uid(&format!("{}-{id}-reminder@taper", self.uid_base))
            .timestamp(self.stamp);
        event.alarm(alarm.done());
        Ok(())
    }

    fn held(&self, s: &SessionInfo) -> String {
        if s.held_doses.is_empty() {
            return "none scheduled".into();
        }
        let doses: Vec<String> = s
            .held_doses
            .iter()
            .map(|d| format!("{}: {HOLD_ACTION}", super::view_ketamine::held_dose(d)))
            .collect();
        doses.join("; ")
    }
}

/// The notes of the plan's warnings that concern a step.
fn add_notes(body: &mut String, view: &StepView) {
    for w in &view.notes {
        body.push_str(&format!("\nNote ({}): {}", w.code, w.message));
    }
}

/// Text for a calendar property: carriage returns and other control characters (which
/// RFC 5545 TEXT cannot carry) removed, line breaks kept for the crate to escape.
fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}

/// The day this revision of the plan was made to take effect: the last re-plan's
/// `--on`, or the start date of a plan never re-planned.
fn made_on(plan: &Plan) -> Date {
    plan.revisions.last().map_or(plan.start_date, |r| r.on)
}

fn seconds_of_day(t: jiff::civil::Time) -> i64 {
    i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60 + i64::from(t.second())
}

fn chrono_date(d: jiff::civil::Date) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(i32::from(d.year()), d.month() as u32, d.day() as u32)
        .ok_or_else(|| out_of_range(d.to_string()))
}

fn chrono_datetime(at: jiff::civil::DateTime) -> Result<chrono::NaiveDateTime> {
    let t = at.time();
    chrono_date(at.date())?
        .and_hms_opt(t.hour() as u32, t.minute() as u32, t.second() as u32)
        .ok_or_else(|| out_of_range(fmt_datetime(at)))
}

fn out_of_range(what: String) -> Error {
    Error::Runtime(format!("{what} cannot be written in a calendar"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped_but_lines_kept() {
        assert_eq!(plain("a\r\nb\u{7}c"), "a\nbc");
    }

    #[test]
    fn dates_convert_exactly() {
        let d = jiff::civil::date(2027, 2, 28).at(21, 5, 0, 0);
        assert_eq!(
            chrono_datetime(d).unwrap().to_string(),
            "2027-02-28 21:05:00"
        );
        assert_eq!(seconds_of_day(d.time()), 21 * 3600 + 300);
    }
}
