//! A dose and symptom journal (issue 13): one CSV row per day with the planned dose,
//! the dose taken, a 0–10 symptom score and a note.
//!
//! Patient tools built around the taper loop (the Inner Compass Withdrawal Project's
//! taper journal, TaperMate) record the doses taken and symptoms day by day, so that
//! prescriber and patient see where the plan and the person parted (Horowitz & Taylor,
//! Lancet Psychiatry 2019;6:538–46, on holding or going back when symptoms come).
//! [`template`] writes a blank journal with the planned days for a spreadsheet;
//! [`parse`] reads one back, refusing a bad line with one sentence naming its line
//! number and column. The 0–10 score is the journal's own scale, a number the patient
//! gives: taper sets no threshold on it.

use crate::error::{Error, Result};
use crate::model::SCHEMA_VERSION;
use jiff::civil::Date;
use serde::Deserialize;

/// The journal's columns, in order, as its header row names them.
pub const HEADER: [&str; 5] = [
    "Date",
    "Planned dose mg",
    "Dose taken mg",
    "Symptom score 0-10",
    "Note",
];

/// The longest note kept, in characters: a day's note, not a document.
pub const MAX_NOTE_CHARS: usize = 500;

/// The highest symptom score.
const MAX_SCORE: u8 = 10;

/// One day of a journal.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub date: Date,
    pub planned_mg: Option<f64>,
    pub taken_mg: Option<f64>,
    pub score: Option<u8>,
    pub note: String,
}

/// The parts of a plan document a journal needs.
#[derive(Debug, Deserialize)]
struct Document {
    schema_version: u32,
    tool: ToolName,
    steps: Vec<StepDoc>,
    #[serde(default)]
    daily: Option<Vec<DayDoc>>,
}

#[derive(Debug, Deserialize)]
struct ToolName {
    name: String,
}

#[derive(Debug, Deserialize)]
struct StepDoc {
    start_date: Date,
    end_date: Date,
    dose_mg: f64,
}

#[derive(Debug, Deserialize)]
struct DayDoc {
    date: Date,
    dose_mg: f64,
}

/// The planned dose of every day of `plan` (a plan document's JSON text), from its
/// start to its first day without the drug (or the last day of a plan that ends held).
pub fn planned_days(plan: &str) -> Result<Vec<(Date, f64)>> {
    let doc: Document = serde_json::from_str(plan).map_err(|e| {
        Error::input(format!(
            "--plan is not a taper plan document ({e}); give the JSON that `taper plan … --format json` wrote"
        ))
    })?;
    if doc.tool.name != "taper" || doc.schema_version != SCHEMA_VERSION {
        return Err(Error::input(format!(
            "--plan was written by {} with schema_version {}; this taper reads schema_version {SCHEMA_VERSION}: make the plan again with this version",
            doc.tool.name, doc.schema_version
        )));
    }
    let mut days = Vec::new();
    for (i, s) in doc.steps.iter().enumerate() {
        // The stop step is its first day only: the first day without the drug.
        let last = match s.dose_mg == 0.0 {
            true => s.start_date,
            false => s.end_date,
        };
        let mut day = s.start_date;
        while day <= last {
            days.push((day, s.dose_mg));
            // As long as a `--daily` plan may be: a row per day.
            if days.len() as i64 > crate::limits::MAX_DAILY_DAYS {
                return Err(Error::input(format!(
                    "--plan runs past {} days, longer than a journal taper writes; step {i} ends on {}",
                    crate::limits::MAX_DAILY_DAYS,
                    s.end_date
                )));
            }
            day = match day.tomorrow() {
                Ok(next) => next,
                Err(_) => break,
            };
        }
        if s.dose_mg == 0.0 {
            break;
        }
    }
    // With --daily the dose falls a little every day: the days carry the doses.
    if let Some(daily) = &doc.daily {
        for (date, dose) in days.iter_mut() {
            if let Some(d) = daily.iter().find(|d| d.date == *date) {
                *dose = d.dose_mg;
            }
        }
    }
    Ok(days)
}

/// A blank journal for `plan`: the header, then one row per planned day with its
/// planned dose, the other columns empty for the patient to fill in.
pub fn template(plan: &str) -> Result<String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let write = |e: csv::Error| Error::Runtime(format!("writing the journal: {e}"));
    out.write_record(HEADER).map_err(write)?;
    for (date, dose) in planned_days(plan)? {
        // As the printouts round it (2 decimals from 0.1 mg, 3 significant figures
        // below), without trailing zeros: what can be measured.
        let dose = crate::text::fmt_dose(dose);
        let dose = match dose.contains('.') {
            true => dose.trim_end_matches('0').trim_end_matches('.'),
            false => &dose,
        };
        out.write_record([date.to_string().as_str(), dose, "", "", ""])
            .map_err(write)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| Error::Runtime(format!("writing the journal: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Runtime(e.to_string()))
}

/// Reads a journal (`name` is the file as the user gave it, for the errors). Every
/// line is checked; the first bad one is refused with its line number and column.
pub fn parse(name: &str, text: &str) -> Result<Vec<Entry>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut entries: Vec<Entry> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 1;
        let bad = |column: &str, what: String| {
            Error::input(format!(
                "--journal {name}: line {line}, column \"{column}\": {what}"
            ))
        };
        let record = record
            .map_err(|e| Error::input(format!("--journal {name}: line {line} is not CSV ({e})")))?;
        if line == 1 {
            let found: Vec<&str> = record.iter().map(str::trim).collect();
            if found != HEADER {
                return Err(Error::input(format!(
                    "--journal {name}: line 1 must be the header \"{}\"; write the journal with taper journal template",
                    HEADER.join(",")
                )));
            }
            continue;
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != HEADER.len() {
            return Err(Error::input(format!(
                "--journal {name}: line {line} has {} columns, not the {} of the header; quote a note that holds a comma",
                record.len(),
                HEADER.len()
            )));
        }
        let cell = |i: usize| record[i].trim();
        let date: Date = cell(0).parse().map_err(|_| {
            bad(
                HEADER[0],
                format!(
                    "\"{}\" is not a date; write it as YYYY-MM-DD",
                    short(cell(0))
                ),
            )
        })?;
        if let Some(before) = entries.last().filter(|e| e.date >= date) {
            return Err(bad(
                HEADER[0],
                format!(
                    "{date} does not come after {} on the line before; keep one line per day, in date order",
                    before.date
                ),
            ));
        }
        let mg = |i: usize| -> Result<Option<f64>> {
            match cell(i) {
                "" => Ok(None),
                text => match text.parse::<f64>() {
                    Ok(v) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
                    _ => Err(bad(
                        HEADER[i],
                        format!(
                            "\"{}\" is not a dose in mg; write a number like 7.5 (no unit) or leave it empty",
                            short(text)
                        ),
                    )),
                },
            }
        };
        let planned_mg = mg(1)?;
        let taken_mg = mg(2)?;
        let score = match cell(3) {
            "" => None,
            text => match text.parse::<u8>() {
                Ok(v) if v <= MAX_SCORE => Some(v),
                _ => {
                    return Err(bad(
                        HEADER[3],
                        format!(
                            "\"{}\" is not a score; write a whole number from 0 to {MAX_SCORE} or leave it empty",
                            short(text)
                        ),
                    ));
                }
            },
        };
        let note = cell(4);
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(bad(
                HEADER[4],
                format!("the note is longer than {MAX_NOTE_CHARS} characters; shorten it"),
            ));
        }
        entries.push(Entry {
            date,
            planned_mg,
            taken_mg,
            score,
            note: note.to_string(),
        });
    }
    if entries.is_empty() && text.trim().is_empty() {
        return Err(Error::input(format!(
            "--journal {name}: the file is empty; write the journal with taper journal template"
        )));
    }
    Ok(entries)
}

/// A cell as quoted in an error: at most 40 characters, control characters escaped.
fn short(text: &str) -> String {
    let cut: String = text.chars().take(40).collect();
    let cut = crate::limits::escape_controls(&cut).into_owned();
    match text.chars().count() > 40 {
        true => format!("{cut}…"),
        false => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> String {
        parse("j.csv", text).unwrap_err().to_string()
    }

    const HEAD: &str = "Date,Planned dose mg,Dose taken mg,Symptom score 0-10,Note\n";

    #[test]
    fn a_filled_journal_reads_back() {
        let text = format!(
            "{HEAD}2027-01-04,20,20,2,\n2027-01-05,20,,,\"dizzy, tired\"\n2027-01-06,20,17.5,6,missed half\n"
        );
        let entries = parse("j.csv", &text).unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].score, Some(2));
        assert_eq!(entries[1].taken_mg, None);
        assert_eq!(entries[1].note, "dizzy, tired");
        assert_eq!(entries[2].taken_mg, Some(17.5));
    }

    #[test]
    fn a_bad_line_is_named_by_its_number_and_column() {
        let m = message(&format!("{HEAD}2027-01-04,20,20,11,\n"));
        assert!(
            m.contains("line 2, column \"Symptom score 0-10\": \"11\" is not a score"),
            "{m}"
        );
        let m = message(&format!("{HEAD}2027-01-04,20,20,1,\n04/01/2027,20,,,\n"));
        assert!(m.contains("line 3, column \"Date\""), "{m}");
        let m = message(&format!("{HEAD}2027-01-04,20,7.5mg,,\n"));
        assert!(m.contains("line 2, column \"Dose taken mg\""), "{m}");
        let m = message(&format!("{HEAD}2027-01-05,20,,,\n2027-01-04,20,,,\n"));
        assert!(m.contains("line 3") && m.contains("date order"), "{m}");
        let m = message(&format!("{HEAD}2027-01-05,20,,,a,b\n"));
        assert!(m.contains("line 2 has 6 columns"), "{m}");
        let m = message("date,dose\n");
        assert!(m.contains("line 1 must be the header"), "{m}");
        assert!(message("").contains("empty"));
    }
}
