//! `taper today`: what a plan document says for one day — the dose and how to take it,
//! the step, how many days until the dose next changes, and any benzodiazepine dose to
//! hold before a ketamine session that day. For reminders and pipelines, from the JSON a
//! plan was written as (`--format json`), so the plan is read, never recomputed.

use crate::error::{Error, Problem, Result};
use crate::model::SCHEMA_VERSION;
use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};

/// The parts of a plan document this reads (any other keys are ignored).
#[derive(Debug, Deserialize)]
struct Document {
    schema_version: u32,
    tool: ToolName,
    drug: DrugName,
    #[serde(default)]
    headline: Option<String>,
    start_date: Date,
    /// `null` in a plan that ends held.
    last_dose_date: Option<Date>,
    stop_date: Option<Date>,
    /// Present in a plan that ends held instead of stopped.
    #[serde(default)]
    held: Option<HeldEndDoc>,
    steps: Vec<StepDoc>,
    #[serde(default)]
    daily: Option<Vec<DayDoc>>,
    #[serde(default)]
    ketamine: Option<KetamineDoc>,
}

#[derive(Debug, Deserialize)]
struct ToolName {
    name: String,
}

#[derive(Debug, Deserialize)]
struct DrugName {
    name: String,
}

#[derive(Debug, Deserialize)]
struct StepDoc {
    step: usize,
    start_date: Date,
    end_date: Date,
    dose_mg: f64,
    #[serde(default)]
    instructions: Option<String>,
}

#[derive(Debug, Deserialize)]
struct HeldEndDoc {
    step: usize,
    from_date: Date,
    until: String,
}

#[derive(Debug, Deserialize)]
struct DayDoc {
    date: Date,
    dose_mg: f64,
    #[serde(default)]
    instructions: Option<String>,
}

#[derive(Debug, Deserialize)]
struct KetamineDoc {
    sessions: Vec<SessionDoc>,
}

#[derive(Debug, Deserialize)]
struct SessionDoc {
    session: usize,
    at: DateTime,
    held_doses: Vec<HeldDoc>,
}

#[derive(Debug, Deserialize)]
struct HeldDoc {
    drug: String,
    at: DateTime,
    dose_mg: f64,
    action: String,
}

/// What the plan says for one day.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Today {
    pub date: Date,
    pub drug: String,
    /// The plan's danger headline, if it has one: it needs review before it is followed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    pub day: Day,
    /// Ketamine sessions on this day, by number.
    pub sessions: Vec<usize>,
    /// Benzodiazepine doses scheduled this day that fall in a hold window: each to be
    /// held only as the prescriber confirms.
    pub held_doses: Vec<HeldToday>,
}

/// Where the day falls in the plan.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Day {
    /// Before the plan starts: the current dose continues until `starts_on`.
    BeforeStart {
        starts_on: Date,
        days_until_start: i32,
    },
    /// A day of the taper.
    Dose {
        step: usize,
        dose_mg: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        instructions: Option<String>,
        /// The next day the dose changes (the first day without the drug, at the end).
        next_change: Date,
        days_until_next_change: i32,
    },
    /// On or after the first day without the drug.
    Stopped { last_dose: Date },
    /// In a plan that ends held (the products cannot make its last doses): the last
    /// step's dose, from `since`, until the prescriber arranges a smaller dose form.
    Held {
        step: usize,
        dose_mg: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        instructions: Option<String>,
        since: Date,
        until: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct HeldToday {
    pub drug: String,
    pub at: DateTime,
    pub dose_mg: f64,
    /// "hold — confirm with prescriber": a flag, never an instruction to stop.
    pub action: String,
    pub session: usize,
}

/// What `plan` (a plan document's JSON text) says for `date`.
pub fn today(plan: &str, date: Date) -> Result<Today> {
    let doc: Document = serde_json::from_str(plan).map_err(|e| {
        Error::field(
            Problem::InvalidValue,
            "plan",
            format!("--plan is not a taper plan document ({e}); give the JSON that `taper plan … --format json` wrote"),
        )
    })?;
    if doc.tool.name != "taper" || doc.schema_version != SCHEMA_VERSION {
        return Err(Error::field(
            Problem::InvalidValue,
            "plan",
            format!(
                "--plan was written by {} with schema_version {}; this taper reads schema_version {SCHEMA_VERSION}: make the plan again with this version",
                doc.tool.name, doc.schema_version
            ),
        ));
    }
    let day =
        if date < doc.start_date {
            Day::BeforeStart {
                starts_on: doc.start_date,
                days_until_start: (doc.start_date - date).get_days(),
            }
        } else if let Some(held) = doc.held.as_ref().filter(|h| date >= h.from_date) {
            let step = doc.steps.iter().find(|s| s.step == held.step).ok_or_else(|| {
            Error::input(format!(
                "--plan has no step {}, which it says is held; it may have been edited by hand",
                held.step
            ))
        })?;
            Day::Held {
                step: step.step,
                dose_mg: step.dose_mg,
                instructions: step.instructions.clone(),
                since: held.from_date,
                until: held.until.clone(),
            }
        } else if let (Some(stop), Some(last_dose)) = (doc.stop_date, doc.last_dose_date)
            && date >= stop
        {
            Day::Stopped { last_dose }
        } else {
            dose_on(&doc, date)?
        };
    let mut sessions = Vec::new();
    let mut held_doses = Vec::new();
    for session in doc.ketamine.iter().flat_map(|k| &k.sessions) {
        if session.at.date() == date {
            sessions.push(session.session);
        }
        held_doses.extend(
            session
                .held_doses
                .iter()
                .filter(|h| h.at.date() == date)
                .map(|h| HeldToday {
                    drug: h.drug.clone(),
                    at: h.at,
                    dose_mg: h.dose_mg,
                    action: h.action.clone(),
                    session: session.session,
                }),
        );
    }
    Ok(Today {
        date,
        drug: doc.drug.name,
        headline: doc.headline,
        day,
        sessions,
        held_doses,
    })
}

/// The dose on `date`, a day of the taper: from the daily rows when the plan has them,
/// else from the step that contains it.
fn dose_on(doc: &Document, date: Date) -> Result<Day> {
    let step = doc
        .steps
        .iter()
        .find(|s| s.start_date <= date && date <= s.end_date)
        .ok_or_else(|| {
            Error::input(format!(
                "--plan has no step on {date}; it may have been edited by hand"
            ))
        })?;
    let (dose_mg, instructions, next_change) = match &doc.daily {
        Some(days) => {
            let i = days.iter().position(|d| d.date == date).ok_or_else(|| {
                Error::input(format!(
                    "--plan has no daily row for {date}; it may have been edited by hand"
                ))
            })?;
            let today = &days[i];
            let next = days[i + 1..]
                .iter()
                .find(|d| d.dose_mg != today.dose_mg)
                .map(|d| d.date)
                .or(doc.stop_date)
                .unwrap_or(step.end_date);
            (today.dose_mg, today.instructions.clone(), next)
        }
        None => {
            let next = step.end_date.tomorrow().unwrap_or(step.end_date);
            (step.dose_mg, step.instructions.clone(), next)
        }
    };
    Ok(Day::Dose {
        step: step.step,
        dose_mg,
        instructions,
        next_change,
        days_until_next_change: (next_change - date).get_days(),
    })
}

/// `today` in words, one line each.
pub fn text(t: &Today) -> String {
    let mut out = String::new();
    if let Some(headline) = &t.headline {
        out.push_str(&format!("DANGER: {headline}\n"));
    }
    out.push_str(&match &t.day {
        Day::BeforeStart {
            starts_on,
            days_until_start,
        } => format!(
            "{}: the {} taper starts on {starts_on}, in {}; until then the dose stays as it is now.\n",
            t.date,
            t.drug,
            crate::text::fmt_count(i64::from(*days_until_start), "day")
        ),
        Day::Dose {
            step,
            dose_mg,
            instructions,
            next_change,
            days_until_next_change,
        } => format!(
            "{}: step {step}{}, {} {} mg{}. The dose next changes on {next_change}, in {}.\n",
            t.date,
            if *step == 0 { " (the current dose)" } else { "" },
            t.drug,
            crate::text::fmt_num(*dose_mg),
            instructions
                .as_ref()
                .map_or(String::new(), |i| format!(" ({i})")),
            crate::text::fmt_count(i64::from(*days_until_next_change), "day")
        ),
        Day::Held {
            step,
            dose_mg,
            instructions,
            since,
            until,
        } => format!(
            "{}: step {step}, {} {} mg{}, held since {since} until {until}: the plan has no stop date. Do not stop without the prescriber.\n",
            t.date,
            t.drug,
            crate::text::fmt_num(*dose_mg),
            instructions
                .as_ref()
                .map_or(String::new(), |i| format!(" ({i})")),
        ),
        Day::Stopped { last_dose } => format!(
            "{}: the taper is over; the last dose of {} was on {last_dose}.\n",
            t.date, t.drug
        ),
    });
    for session in &t.sessions {
        out.push_str(&format!("Ketamine session {session} is today.\n"));
    }
    for h in &t.held_doses {
        out.push_str(&format!(
            "{} {} mg at {} (before session {}): {}.\n",
            h.drug,
            crate::text::fmt_num(h.dose_mg),
            h.at.strftime("%H:%M"),
            h.session,
            h.action
        ));
    }
    out
}
