//! The patient's handout, worded: what to take first, then the ketamine sessions, what
//! to do if withdrawal symptoms come, and where that advice comes from.
//!
//! The prescriber's printout (`view.rs`, `printout.rs`) says what every number rests on;
//! the handout says what to do, in plain words for a reading age of about 13: no option
//! names, codes, paths, occupancy or curve. Its advice is not written here: it is read
//! from `schedules/handout.toml`, where each piece carries its published source (NICE
//! NG222 for withdrawal symptoms, ASAM 2025 for benzodiazepines) and evidence level.
//! `handout.rs` writes this as HTML; `tests/print_check.py` measures the reading level.

use super::PrintOptions;
use super::step_view::Steps;
use super::words;
use crate::catalog::Evidence;
use crate::ketamine::{HeldDose, KetamineSection};
use crate::plan::{Plan, Status};
use jiff::civil::{Date, DateTime, Time};
use serde::Deserialize;

/// The advice a handout gives, with its sources: `schedules/handout.toml`.
const ADVICE: &str = include_str!("../../schedules/handout.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Advice {
    pub withdrawal: Withdrawal,
    pub benzodiazepine: BenzoAdvice,
    pub glossary: Glossary,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Withdrawal {
    pub heading: String,
    pub intro: String,
    pub symptoms_intro: String,
    pub symptoms: Vec<String>,
    pub not_relapse: String,
    pub source: String,
    pub evidence: Evidence,
    pub actions: Vec<Action>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Action {
    pub title: String,
    pub text: String,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BenzoAdvice {
    intro: String,
    taper: String,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Glossary {
    withdrawal: String,
    mg: String,
    ml: String,
    ketamine: String,
}

/// The advice file, parsed. It is built into the binary and tested, so a parse error
/// is a build defect; it is still reported as an error rather than a panic.
pub(super) fn advice() -> crate::Result<Advice> {
    toml::from_str(ADVICE)
        .map_err(|e| crate::Error::Runtime(format!("schedules/handout.toml: {e}")))
}

/// A handout, worded.
pub(super) struct Handout {
    /// "Your plan for coming off citalopram".
    pub title: String,
    /// A plan that needs review: the first thing said, before the schedule.
    pub danger: Option<&'static str>,
    /// Who it is for, the prescriber, whom to call, when it was made.
    pub people: Vec<(&'static str, String)>,
    pub schedule: Option<Schedule>,
    pub sessions: Option<Sessions>,
    /// What to do about withdrawal symptoms (a taper's handout only).
    pub withdrawal: Option<Withdrawal>,
    /// Whom to call, for the withdrawal advice: the contact line, or the prescriber.
    pub call: String,
    /// One line per term that had to stay.
    pub glossary: Vec<String>,
    /// Where the advice comes from, with how far each source was checked.
    pub sources: Vec<String>,
    pub notice: &'static str,
}

/// What to take, as a table per block: the whole plan, or with `--daily` one month.
pub(super) struct Schedule {
    pub intro: Vec<String>,
    pub columns: Vec<&'static str>,
    pub blocks: Vec<Block>,
    /// `--daily`: tighter rows, so a month fits a page.
    pub compact: bool,
}

pub(super) struct Block {
    /// "January 2027" with `--daily`.
    pub heading: Option<String>,
    /// The product every dose of the block is measured from, said once.
    pub note: Option<String>,
    pub rows: Vec<Vec<String>>,
    /// Rows that are the stop, set in bold.
    pub stop_rows: Vec<usize>,
    /// Rows of steps taken before a re-plan's change, set apart (their dates say so).
    pub taken_rows: Vec<usize>,
}

pub(super) struct Sessions {
    pub intro: Vec<String>,
    /// "Session 1: Wednesday 3 February 2027 at 10 am", and the doses to ask about.
    pub items: Vec<(String, Vec<String>)>,
}

const DANGER: &str = "Do not follow this plan yet. Your prescriber must check it first, because it may not be safe as it is. Until they have, keep taking your medicine as you take it now.";

const NOTICE: &str = "This plan is for you and your prescriber to go through together. A computer program worked it out from published research. It is not medical advice: your prescriber decides your doses with you.";

/// The handout of a taper plan.
pub(super) fn plan(plan: &Plan, options: &PrintOptions, advice: Advice) -> Handout {
    let drug = plan.drug.name.as_str();
    let schedule = match &plan.daily {
        Some(_) => daily(plan),
        None => weekly(plan),
    };
    let uses_ml = schedule
        .blocks
        .iter()
        .flat_map(|b| b.rows.iter().flatten())
        .any(|cell| cell.contains(" mL"));
    let sessions = plan.ketamine.as_ref().map(|k| sessions(k, &advice));
    let mut glossary = vec![
        advice.glossary.withdrawal.clone(),
        advice.glossary.mg.clone(),
    ];
    if uses_ml {
        glossary.push(advice.glossary.ml.clone());
    }
    finish(
        Handout {
            title: format!("Your plan for coming off {drug}"),
            danger: (plan.status == Status::NeedsReview).then_some(DANGER),
            people: people(options),
            schedule: Some(schedule),
            sessions,
            call: call(options),
            glossary,
            sources: Vec::new(),
            withdrawal: None,
            notice: NOTICE,
        },
        advice,
        true,
    )
}

/// The handout of `taper ketamine`: the sessions and the doses to ask about.
pub(super) fn ketamine(
    report: &crate::ketamine::KetamineReport,
    options: &PrintOptions,
    advice: Advice,
) -> Handout {
    let needs_review = report
        .warnings
        .iter()
        .any(|w| w.severity == crate::model::Severity::Danger);
    finish(
        Handout {
            title: "Your ketamine sessions".into(),
            danger: needs_review.then_some(DANGER),
            people: people(options),
            schedule: None,
            sessions: Some(sessions(&report.ketamine, &advice)),
            call: call(options),
            glossary: vec![advice.glossary.mg.clone()],
            sources: Vec::new(),
            withdrawal: None,
            notice: NOTICE,
        },
        advice,
        false,
    )
}

/// Adds the ketamine glossary line and the sources of the advice shown.
fn finish(mut h: Handout, advice: Advice, taper: bool) -> Handout {
    let mut sources: Vec<(String, Evidence)> = Vec::new();
    let mut cite = |source: &str, evidence: Evidence| {
        if !sources.iter().any(|(s, _)| s == source) {
            sources.push((source.to_string(), evidence));
        }
    };
    if let Some(s) = &h.sessions {
        h.glossary.push(advice.glossary.ketamine.clone());
        if !s.intro.is_empty() {
            cite(
                &advice.benzodiazepine.source,
                advice.benzodiazepine.evidence,
            );
        }
    }
    if taper {
        let w = advice.withdrawal;
        cite(&w.source, w.evidence);
        for a in &w.actions {
            cite(&a.source, a.evidence);
        }
        h.withdrawal = Some(w);
    }
    h.sources = sources
        .into_iter()
        .map(|(source, evidence)| format!("{source} (evidence: {}).", evidence.as_str()))
        .collect();
    h
}

fn people(options: &PrintOptions) -> Vec<(&'static str, String)> {
    let mut people = Vec::new();
    people.extend(options.patient.clone().map(|p| ("For", p)));
    people.extend(options.prescriber.clone().map(|p| ("Your prescriber", p)));
    people.extend(
        options
            .contact
            .clone()
            .map(|c| ("Questions or worries? Call", c)),
    );
    people.push(("Made on", long_date(options.made_on())));
    people
}

fn call(options: &PrintOptions) -> String {
    match (&options.contact, &options.prescriber) {
        (Some(contact), _) => format!("Call: {contact}."),
        (None, Some(prescriber)) => format!("Your prescriber is {prescriber}."),
        (None, None) => "Ask your prescriber how best to reach them.".into(),
    }
}

/// One row per step: the weeks, the dates, what to take each day.
fn weekly(plan: &Plan) -> Schedule {
    let drug = &plan.drug.name;
    let steps = Steps::new(plan);
    let rounded = plan.formulation.is_some();
    // Weeks when every step starts on a week boundary of the plan, else days.
    let offset = |d: Date| plan.start_date.until(d).map_or(0, |s| s.get_days());
    let in_weeks = plan
        .steps
        .iter()
        .all(|s| offset(s.start_date) % 7 == 0 && s.days % 7 == 0);
    let span = |s: &crate::plan::Step| {
        let (first, last) = (offset(s.start_date), offset(s.end_date));
        match in_weeks {
            true if first / 7 == last / 7 => format!("Week {}", first / 7 + 1),
            true => format!("Weeks {} to {}", first / 7 + 1, last / 7 + 1),
            false if first == last => format!("Day {}", first + 1),
            false => format!("Days {} to {}", first + 1, last + 1),
        }
    };
    let mut rows = Vec::new();
    let mut stop_rows = Vec::new();
    let mut taken_rows = Vec::new();
    for view in &steps.steps {
        let s = view.step;
        if view.stop {
            stop_rows.push(rows.len());
            let from = match in_weeks {
                true => format!("From week {}", offset(s.start_date) / 7 + 1),
                false => format!("From day {}", offset(s.start_date) + 1),
            };
            let mut row = vec![from, format!("From {}", short_date(s.start_date, true))];
            if rounded {
                row.push(format!("No more {drug}"));
            }
            row.push("None".into());
            rows.push(row);
            continue;
        }
        let dates = match view.held {
            // The plan ends held: this dose goes on until the prescriber changes it.
            true => format!(
                "From {}, until your prescriber changes it",
                short_date(s.start_date, true)
            ),
            false => format!(
                "{} to {}",
                short_date(s.start_date, s.start_date.year() != s.end_date.year()),
                short_date(s.end_date, true)
            ),
        };
        let when = match view.held {
            true => match in_weeks {
                true => format!("From week {}", offset(s.start_date) / 7 + 1),
                false => format!("From day {}", offset(s.start_date) + 1),
            },
            false => span(s),
        };
        // A re-plan's history: what was taken, and the one rise, in words.
        let dates = match s.taken {
            true => {
                taken_rows.push(rows.len());
                format!("{dates} (already taken)")
            }
            false => dates,
        };
        let mut row = vec![when, dates];
        if rounded {
            let how = s.instructions.as_deref().unwrap_or("");
            // A held step's instructions end with the prescriber's wording of the hold,
            // which the dates cell already says in plain words.
            let how = match view.held {
                true => how.split_once("; ").map_or(how, |(dose, _)| dose),
                false => how,
            };
            row.push(plain_instructions(how));
        }
        let dose = format!("{} mg", dose_text(view.taken(s.dose_mg).mg));
        row.push(match s.flags.contains(&crate::model::Code::DoseRaised) {
            true => format!("{dose} (your dose goes up here)"),
            false => dose,
        });
        rows.push(row);
    }
    let mut columns = vec![if in_weeks { "Weeks" } else { "Days" }, "Dates"];
    if rounded {
        columns.push("Each day, take");
    }
    columns.push("Dose each day");
    Schedule {
        intro: intro(plan, rounded),
        columns,
        blocks: vec![Block {
            heading: None,
            note: None,
            rows,
            stop_rows,
            taken_rows,
        }],
        compact: false,
    }
}

/// `--daily`: a table per month, days with the same dose joined into one row, so a
/// month fits a page. Where every dose of a month is measured from one product ("draw
/// 7.3 mL of the oral solution 10 mg/5 mL (14.6 mg)"), the month names the product once
/// and each row says only how much ("Draw 7.3 mL"), so a row is one line.
fn daily(plan: &Plan) -> Schedule {
    let steps = Steps::new(plan);
    let rounded = plan.formulation.is_some();
    let mut blocks: Vec<Block> = Vec::new();
    let month = |d: Date| (d.year(), d.month());
    for in_month in steps
        .dosing_days
        .chunk_by(|a, b| month(a.date) == month(b.date))
    {
        let split: Vec<Option<Measured>> = in_month
            .iter()
            .map(|d| d.instructions.as_deref().and_then(amount_and_product))
            .collect();
        let same = |a: &Measured, b: &Measured| a.product == b.product && a.then == b.then;
        let product = match split.first() {
            Some(Some(first)) if split.iter().all(|s| s.is_some_and(|s| same(&s, first))) => {
                Some(*first)
            }
            _ => None,
        };
        let rows = in_month
            .chunk_by(|a, b| a.dose_mg == b.dose_mg && a.instructions == b.instructions)
            .map(|run| {
                let (first, last) = (&run[0], &run[run.len() - 1]);
                let mut row = vec![match first.date == last.date {
                    true => short_date(first.date, false),
                    false => format!(
                        "{} to {}",
                        short_date(first.date, false),
                        short_date(last.date, false)
                    ),
                }];
                if rounded {
                    let text = first.instructions.as_deref().unwrap_or("");
                    row.push(match (product, amount_and_product(text)) {
                        (Some(_), Some(m)) => match m.draws.map(parts) {
                            // Drawn in parts: the amounts on the row, the syringes in
                            // the month's note, so a row stays one line.
                            Some((amounts, _)) => plain_instructions(&format!(
                                "{} ({})",
                                m.amount,
                                amounts.join(" + ")
                            )),
                            None => plain_instructions(m.amount),
                        },
                        _ => plain_instructions(text),
                    });
                }
                let taken = steps.taken(first.step, first.dose_mg);
                row.push(format!("{} mg", dose_text(taken.mg)));
                row
            })
            .collect();
        // The syringes this month's doses in parts use, largest first, named once.
        let mut syringes: Vec<&str> = Vec::new();
        for m in split.iter().flatten() {
            for syringe in m.draws.map(parts).map(|(_, s)| s).unwrap_or_default() {
                if !syringes.contains(&syringe) {
                    syringes.push(syringe);
                }
            }
        }
        let in_parts = match syringes.as_slice() {
            [] => String::new(),
            _ => format!(
                " Where a row shows two amounts, draw the first with the larger syringe and the second with the smaller one ({}).",
                syringes.join(", ")
            ),
        };
        blocks.push(Block {
            heading: Some(in_month[0].date.strftime("%B %Y").to_string()),
            note: product.map(|m| match m.then {
                None => format!("Each dose this month is of the {}.{in_parts}", m.product),
                Some(then) => format!(
                    "Each dose this month is of the {}: {then}.{in_parts}",
                    m.product
                ),
            }),
            rows,
            stop_rows: Vec::new(),
            taken_rows: Vec::new(),
        });
    }
    let (stop, row) = match (plan.stop_date, &plan.held) {
        (Some(stop), _) => {
            let mut row = vec![format!("From {}", short_date(stop, false))];
            if rounded {
                row.push(format!("No more {}", plan.drug.name));
            }
            row.push("None".into());
            (stop, row)
        }
        // The plan ends held: after its last day the dose goes on, not to nothing.
        (None, Some(held)) => {
            let after = held.planned_until.tomorrow().unwrap_or(held.planned_until);
            let mut row = vec![format!("From {}", short_date(after, false))];
            if rounded {
                row.push("The same dose: do not stop".into());
            }
            row.push(format!("{} mg", dose_text(held.dose_mg)));
            (after, row)
        }
        (None, None) => {
            return Schedule {
                intro: intro(plan, rounded),
                columns: daily_columns(rounded),
                blocks,
                compact: true,
            };
        }
    };
    match blocks.last_mut() {
        Some(b) if b.heading.as_deref() == Some(&stop.strftime("%B %Y").to_string()) => {
            b.stop_rows.push(b.rows.len());
            b.rows.push(row);
        }
        _ => blocks.push(Block {
            heading: Some(stop.strftime("%B %Y").to_string()),
            note: None,
            rows: vec![row],
            stop_rows: vec![0],
            taken_rows: Vec::new(),
        }),
    }
    Schedule {
        intro: intro(plan, rounded),
        columns: daily_columns(rounded),
        blocks,
        compact: true,
    }
}

fn daily_columns(rounded: bool) -> Vec<&'static str> {
    let mut columns = vec!["Dates"];
    if rounded {
        columns.push("Each day, take");
    }
    columns.push("Dose");
    columns
}

/// A dose measured from one product: "draw 7.3 mL of the oral solution 10 mg/5 mL
/// (14.6 mg)" is amount "draw 7.3 mL" of product "oral solution 10 mg/5 mL"; a
/// concentrate's dose ends with how to dilute it ("… (12 mg) and mix it with …").
#[derive(Debug, Clone, Copy, PartialEq)]
struct Measured<'a> {
    amount: &'a str,
    product: &'a str,
    /// How the amount is drawn in parts, if it is (" in 2 draws: 5.4 mL with a 10 mL
    /// oral syringe, then 0.1 mL with a 1 mL oral syringe"), kept on the row.
    draws: Option<&'a str>,
    /// What to do with each dose before taking it ("mix it with …"), if anything.
    then: Option<&'a str>,
}

/// Splits a measured dose's instruction; `None` for a dose not measured from one
/// product, or with words after it that are neither parts nor a dilution, which keeps
/// its wording.
fn amount_and_product(text: &str) -> Option<Measured<'_>> {
    let (amount, rest) = text.split_once(" of the ")?;
    if amount.contains(" + ") {
        return None;
    }
    let Some((product, after)) = rest.split_once(" (") else {
        return Some(Measured {
            amount,
            product: rest,
            draws: None,
            then: None,
        });
    };
    let tail = after.split_once(')').map_or("", |(_, t)| t);
    // " in 2 draws: …", then perhaps "; then mix it …".
    let (draws, tail) = match tail.starts_with(" in ") && tail.contains(" draws: ") {
        true => match tail.split_once("; then ") {
            Some((draws, then)) => (Some(draws), Some(then)),
            None => (Some(tail), None),
        },
        false => (None, (!tail.is_empty()).then_some(tail)),
    };
    let then = match (draws, tail) {
        (_, None) => None,
        (Some(_), Some(then)) => Some(then),
        (None, Some(t)) => Some(t.strip_prefix(" and ")?),
    };
    Some(Measured {
        amount,
        product,
        draws,
        then,
    })
}

/// " in 2 draws: 5.4 mL with a 10 mL oral syringe, then 0.1 mL with a 1 mL oral
/// syringe" as its amounts (["5.4 mL", "0.1 mL"]) and syringes (["10 mL oral syringe",
/// "1 mL oral syringe"]).
fn parts(draws: &str) -> (Vec<&str>, Vec<&str>) {
    let list = draws.split_once(": ").map_or(draws, |(_, list)| list);
    list.split(", then ")
        .map(|part| match part.split_once(" with a ") {
            Some((amount, syringe)) => (amount, syringe),
            None => (part, ""),
        })
        .unzip()
}

/// The lines above the schedule: how long, the last dose, how to read the table.
fn intro(plan: &Plan, rounded: bool) -> Vec<String> {
    let drug = &plan.drug.name;
    let steps = plan.steps.len().saturating_sub(1);
    let mut lines = Vec::new();
    if !plan.revisions.is_empty() {
        lines.push(format!(
            "This is version {} of your plan. It was changed {}:",
            plan.revision,
            match plan.revisions.len() {
                1 => "once".to_string(),
                2 => "twice".to_string(),
                n => format!("{n} times"),
            }
        ));
        let steps = Steps::new(plan);
        lines.extend(super::view_history::plain_changes(plan, &steps, long_date));
    }
    lines.extend([
        format!(
            "Your {drug} dose goes down in {} over {}.",
            crate::text::fmt_count(steps as i64, "step"),
            words::duration(plan.total_days)
        ),
        match (plan.last_dose_date, plan.stop_date, &plan.held) {
            (Some(last), Some(stop), _) => format!(
                "Your last dose is on {}. From {} you take no more {drug}.",
                long_date(last),
                long_date(stop)
            ),
            (_, _, Some(held)) => format!(
                "This plan does not go all the way down yet: the medicine you have cannot be split into the very small last doses. From {} stay on {} mg a day until your prescriber gives you a form that can. Do not stop {drug} on your own.",
                long_date(held.from_date),
                dose_text(held.dose_mg)
            ),
            _ => format!("Do not stop {drug} on your own."),
        },
    ]);
    lines.push(match (plan.daily.is_some(), rounded) {
        (true, _) => "Your dose goes down a little every few days. Each row says what to take on each of its days.".into(),
        (false, _) => "Each row says what to take each day, from its first date to its last.".into(),
    });
    if !rounded {
        lines.push(
            "Your prescriber will tell you which tablets or liquid to use for each dose.".into(),
        );
    }
    lines
}

/// The sessions, and each benzodiazepine dose before one as a question for the
/// prescriber: never an instruction to stop.
fn sessions(k: &KetamineSection, advice: &Advice) -> Sessions {
    let mut intro: Vec<String> = Vec::new();
    for r in &k.regimens {
        intro.push(advice.benzodiazepine.intro.replace("{drug}", &r.drug));
    }
    if let Some(t) = &k.benzo_taper {
        intro.push(advice.benzodiazepine.taper.replace("{drug}", &t.drug));
    }
    let items = k
        .sessions
        .iter()
        .map(|s| {
            let when = format!(
                "Session {}: {} at {}",
                s.session,
                long_date(s.at.date()),
                clock(s.at.time())
            );
            (when, s.held_doses.iter().map(held).collect())
        })
        .collect();
    Sessions { intro, items }
}

/// "Do not take your 8 am lorazepam on Wednesday 3 February: ask your prescriber first."
fn held(d: &HeldDose) -> String {
    let at: DateTime = d.at;
    format!(
        "Do not take your {} {} on {}: ask your prescriber first.",
        clock(at.time()),
        d.drug,
        at.date().strftime("%A %-d %B")
    )
}

/// "Monday 4 January 2027".
pub(super) fn long_date(d: Date) -> String {
    d.strftime("%A %-d %B %Y").to_string()
}

/// "Mon 4 Jan", with the year when asked.
fn short_date(d: Date, year: bool) -> String {
    match year {
        true => d.strftime("%a %-d %b %Y").to_string(),
        false => d.strftime("%a %-d %b").to_string(),
    }
}

/// A clock time as people say it: "8 am", "9:30 pm", "12 noon", "midnight".
fn clock(t: Time) -> String {
    let (h, m) = (t.hour(), t.minute());
    let hour = match h % 12 {
        0 => 12,
        h => h,
    };
    let minutes = match m {
        0 => String::new(),
        m => format!(":{m:02}"),
    };
    match (h, m) {
        (0, 0) => "midnight".into(),
        (12, 0) => "12 noon".into(),
        (h, _) if h < 12 => format!("{hour}{minutes} am"),
        _ => format!("{hour}{minutes} pm"),
    }
}

/// A dose without trailing zeros: "20", "11.67", "0.0632".
fn dose_text(mg: f64) -> String {
    let text = crate::text::fmt_dose(mg);
    match text.contains('.') {
        true => text.trim_end_matches('0').trim_end_matches('.').to_string(),
        false => text,
    }
}

/// How to take a dose, in words: "1 × 10 mg tablet + ½ × 10 mg tablet" becomes "one
/// 10 mg tablet and ½ of a 10 mg tablet". A part in another form (liquid, drops,
/// beads) is kept as written, with a capital letter.
pub(super) fn plain_instructions(text: &str) -> String {
    let parts: Vec<String> = text.split(" + ").map(plain_part).collect();
    let joined = parts.join(" and ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => joined,
    }
}

fn plain_part(part: &str) -> String {
    let number = |n: &str| match n {
        "1" => "one".to_string(),
        "2" => "two".to_string(),
        "3" => "three".to_string(),
        "4" => "four".to_string(),
        n => n.to_string(),
    };
    let plural = |n: &str| n != "1";
    let pieces: Vec<&str> = part.split(" × ").collect();
    match pieces[..] {
        [n, what] if what.ends_with(" tablet") || what.ends_with(" capsule") => match n {
            "½" => format!("½ of a {what}"),
            "¼" => format!("¼ of a {what}"),
            n if n.parse::<u32>().is_ok() => {
                let s = if plural(n) { "s" } else { "" };
                format!("{} {what}{s}", number(n))
            }
            _ => part.to_string(),
        },
        [n, fraction @ ("½" | "¼"), what] if n.parse::<u32>().is_ok() => {
            let pieces = if fraction == "½" {
                "halves"
            } else {
                "quarters"
            };
            format!("{} {pieces} of a {what}", number(n))
        }
        _ => part.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_advice_file_parses_and_every_piece_has_a_source() {
        let a = advice().unwrap();
        assert!(!a.withdrawal.actions.is_empty());
        assert!(!a.withdrawal.source.is_empty());
        assert!(a.withdrawal.actions.iter().all(|x| !x.source.is_empty()));
        assert!(a.benzodiazepine.intro.contains("{drug}"));
    }

    #[test]
    fn instructions_read_as_words() {
        assert_eq!(
            plain_instructions("1 × 10 mg tablet + ½ × 10 mg tablet"),
            "One 10 mg tablet and ½ of a 10 mg tablet"
        );
        assert_eq!(plain_instructions("2 × 20 mg tablet"), "Two 20 mg tablets");
        assert_eq!(
            plain_instructions("3 × ½ × 25 mg tablet"),
            "Three halves of a 25 mg tablet"
        );
        assert_eq!(
            plain_instructions("¼ × 50 mg tablet"),
            "¼ of a 50 mg tablet"
        );
        assert_eq!(
            plain_instructions("draw 1.7 mL of oral solution 2 mg/mL (3.4 mg)"),
            "Draw 1.7 mL of oral solution 2 mg/mL (3.4 mg)"
        );
    }

    #[test]
    fn a_measured_dose_splits_into_amount_and_product() {
        let pair = |text| amount_and_product(text).map(|m| (m.amount, m.product, m.then));
        // Drawn in parts: the parts stay with the amount, the product is named once.
        let parts = amount_and_product(
            "draw 5.5 mL of the oral solution 10 mg/5 mL (11 mg) in 2 draws: 5.4 mL with a 10 mL oral syringe, then 0.1 mL with a 1 mL oral syringe",
        )
        .unwrap();
        assert_eq!(parts.amount, "draw 5.5 mL");
        assert_eq!(parts.product, "oral solution 10 mg/5 mL");
        assert_eq!(
            parts.draws,
            Some(
                " in 2 draws: 5.4 mL with a 10 mL oral syringe, then 0.1 mL with a 1 mL oral syringe"
            )
        );
        assert_eq!(parts.then, None);
        assert_eq!(
            pair("draw 7.3 mL of the oral solution 10 mg/5 mL (14.6 mg)"),
            Some(("draw 7.3 mL", "oral solution 10 mg/5 mL", None))
        );
        assert_eq!(
            pair("take 3 drops of the oral drops 40 mg/mL (6 mg)"),
            Some(("take 3 drops", "oral drops 40 mg/mL", None))
        );
        assert_eq!(pair("1 × 10 mg tablet"), None);
        assert_eq!(
            pair(
                "draw 9.51 mL of the oral solution 10 mg/5 mL (19.02 mg) in 2 draws: 9.4 mL with a 10 mL oral syringe, then 0.11 mL with a 1 mL oral syringe"
            ),
            Some(("draw 9.51 mL", "oral solution 10 mg/5 mL", None))
        );
        // A day's dose in divided doses keeps how often with the amount, so a month
        // that names the product once still says "twice a day" on every row.
        assert_eq!(
            pair(
                "twice a day, draw 1.5 mL of the oral solution 37.5 mg/5 mL (11.25 mg each time, 22.5 mg a day)"
            ),
            Some((
                "twice a day, draw 1.5 mL",
                "oral solution 37.5 mg/5 mL",
                None
            ))
        );
    }

    #[test]
    fn a_concentrate_keeps_its_dilution_with_the_product() {
        let text = "draw 0.6 mL of the oral concentrate 20 mg/mL (12 mg) and mix it with 4 ounces (½ cup) of water, ginger ale, lemon/lime soda, lemonade or orange juice only, and take it straight away";
        assert_eq!(
            amount_and_product(text),
            Some(Measured {
                amount: "draw 0.6 mL",
                product: "oral concentrate 20 mg/mL",
                draws: None,
                then: Some(
                    "mix it with 4 ounces (½ cup) of water, ginger ale, lemon/lime soda, lemonade or orange juice only, and take it straight away"
                ),
            })
        );
        // Drawn in parts and then diluted: the parts stay with the amount, the
        // dilution with the product.
        let parts = amount_and_product(
            "draw 1.67 mL of the oral concentrate 20 mg/mL (33.4 mg) in 2 draws: 1.6 mL with a 3 mL oral syringe, then 0.07 mL with a 1 mL oral syringe; then mix it with water",
        )
        .unwrap();
        assert_eq!(
            (parts.amount, parts.product, parts.then),
            (
                "draw 1.67 mL",
                "oral concentrate 20 mg/mL",
                Some("mix it with water")
            )
        );
        assert!(parts.draws.unwrap().starts_with(" in 2 draws: 1.6 mL"));
        // Words after the amount that are not a dilution are not dropped either.
        assert_eq!(
            amount_and_product("draw 0.6 mL of the oral solution 2 mg/mL (1.2 mg), shaken"),
            None
        );
        // Read as words, the whole instruction is kept (no " + " inside it to split).
        assert_eq!(plain_instructions(text), format!("D{}", &text[1..]));
    }

    #[test]
    fn divided_doses_read_as_words() {
        assert_eq!(
            plain_instructions(
                "twice a day, draw 3 mL of the oral solution 37.5 mg/5 mL (22.5 mg each time, 45 mg a day)"
            ),
            "Twice a day, draw 3 mL of the oral solution 37.5 mg/5 mL (22.5 mg each time, 45 mg a day)"
        );
        assert_eq!(
            plain_instructions("twice a day, draw 3 mL"),
            "Twice a day, draw 3 mL"
        );
    }

    #[test]
    fn clock_times_read_as_spoken() {
        let t = |h, m| Time::new(h, m, 0, 0).unwrap();
        assert_eq!(clock(t(8, 0)), "8 am");
        assert_eq!(clock(t(21, 30)), "9:30 pm");
        assert_eq!(clock(t(12, 0)), "12 noon");
        assert_eq!(clock(t(0, 0)), "midnight");
        assert_eq!(clock(t(0, 15)), "12:15 am");
    }

    #[test]
    fn doses_lose_trailing_zeros() {
        assert_eq!(dose_text(20.0), "20");
        assert_eq!(dose_text(11.666), "11.67");
        assert_eq!(dose_text(0.0632), "0.0632");
        assert_eq!(dose_text(0.0), "0");
    }
}
