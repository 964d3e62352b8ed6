//! The CSVs (issue 14): the patient's, the default, which a spreadsheet opens cleanly,
//! and the full one (`--csv full`) for machines. `tests/spreadsheet_check.py` opens the
//! same files in LibreOffice; this checks their text.

mod common;
use common::{plan_json, run};
use serde_json::Value;

const PRODUCTS_AND_SESSIONS: &[&str] = &[
    "citalopram",
    "--from",
    "20mg",
    "--every",
    "2w",
    "--tablets",
    "10",
    "--split",
    "half",
    "--ketamine-series",
    "2027-02-03T10:00,6,3d",
    "--benzo",
    "lorazepam",
    "--benzo-dose",
    "1mg",
    "--benzo-times",
    "08:00,21:00",
];

/// Sertraline from above the usual maximum in short, large, proportional steps: many
/// warnings on many steps.
const WARNED: &[&str] = &[
    "sertraline",
    "--from",
    "250mg",
    "--every",
    "10d",
    "--percent",
    "20",
    "--min-dose",
    "5mg",
];

/// `taper plan ARGS --start 2027-01-04 --format csv EXTRA`.
fn csv_text(args: &[&str], extra: &[&str]) -> String {
    run(&[
        &["plan"],
        args,
        &["--start", "2027-01-04", "--format", "csv"],
        extra,
    ]
    .concat())
}

/// `text`'s rows of cells, read with `delimiter` between them.
fn cells(text: &str, delimiter: u8) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    (reader.records())
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// `taper plan ARGS --start 2027-01-04 --format csv EXTRA`, as rows of cells.
fn csv(args: &[&str], extra: &[&str]) -> Vec<Vec<String>> {
    cells(&csv_text(args, extra), b',')
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).unwrap()
}

fn of_kind<'a>(rows: &'a [Vec<String>], kind: &str) -> Vec<&'a Vec<String>> {
    rows.iter().filter(|r| r[0] == kind).collect()
}

#[test]
fn one_row_per_step_and_per_session_in_date_order_after_a_summary() {
    let rows = csv(PRODUCTS_AND_SESSIONS, &[]);
    let plan = plan_json(PRODUCTS_AND_SESSIONS);
    assert_eq!(
        rows[0],
        [
            "Kind",
            "Step",
            "From",
            "To",
            "Days",
            "Dose mg/day",
            "How to take",
            "Occupancy %",
            "Notes"
        ]
    );
    assert_eq!(rows[1][0], "Summary");
    let steps = plan["steps"].as_array().unwrap();
    let sessions = plan["ketamine"]["sessions"].as_array().unwrap();
    assert_eq!(of_kind(&rows, "Step").len(), steps.len());
    assert_eq!(of_kind(&rows, "Ketamine session").len(), sessions.len());
    assert_eq!(rows.len(), 2 + steps.len() + sessions.len());
    // Dates (YYYY-MM-DD) and date-times (YYYY-MM-DD HH:MM) sort as text.
    let from = column(&rows, "From");
    let dates: Vec<&str> = rows[2..].iter().map(|r| r[from].as_str()).collect();
    assert!(dates.is_sorted(), "{dates:?}");
    for (row, step) in of_kind(&rows, "Step").iter().zip(steps) {
        assert_eq!(row[from], step["start_date"].as_str().unwrap());
        assert_eq!(row[column(&rows, "How to take")], step["instructions"]);
    }
    // Each session in the step it falls in, at its time, with its held dose.
    let session = of_kind(&rows, "Ketamine session")[0];
    assert_eq!(session[1..3], ["2", "2027-02-03 10:00"]);
    let notes = &session[column(&rows, "Notes")];
    assert!(
        notes.contains("lorazepam 1 mg at 2027-02-03 08:00 (hold — confirm with prescriber)"),
        "{notes}"
    );
}

#[test]
fn numbers_are_rounded_to_what_can_be_measured() {
    let rows = csv(WARNED, &[]);
    let plan = plan_json(WARNED);
    let (dose, occupancy) = (column(&rows, "Dose mg/day"), column(&rows, "Occupancy %"));
    let decimals = |cell: &str| cell.split_once('.').map_or(0, |(_, d)| d.len());
    for (row, step) in of_kind(&rows, "Step")
        .iter()
        .zip(plan["steps"].as_array().unwrap())
    {
        assert_eq!(decimals(&row[occupancy]), 1, "{row:?}");
        let pct: f64 = row[occupancy].parse().unwrap();
        assert!((pct - step["occupancy_pct"].as_f64().unwrap()).abs() <= 0.05);
        assert!(decimals(&row[dose]) <= 2, "{row:?}");
        let mg: f64 = row[dose].parse().unwrap();
        assert!((mg - step["dose_mg"].as_f64().unwrap()).abs() <= 0.005);
    }
}

#[test]
fn notes_are_words_without_codes_or_options_and_the_notice_is_said_once() {
    for args in [WARNED, PRODUCTS_AND_SESSIONS] {
        let rows = csv(args, &[]);
        let plan: Value = plan_json(args);
        let codes: Vec<&str> = (plan["warnings"].as_array().unwrap().iter())
            .map(|w| w["code"].as_str().unwrap())
            .collect();
        assert!(codes.len() > 3, "{codes:?}");
        let notes = column(&rows, "Notes");
        for row in &rows {
            for code in &codes {
                assert!(!row.iter().any(|c| c.contains(code)), "{code} in {row:?}");
            }
            assert!(!row[notes].contains("--"), "{row:?}");
        }
        let text: String = rows.concat().concat();
        assert_eq!(text.matches("review with the prescriber").count(), 1);
        // Every step the plan flags has a note.
        for (row, step) in of_kind(&rows, "Step")
            .iter()
            .zip(plan["steps"].as_array().unwrap())
        {
            let flagged = !step["flags"].as_array().unwrap().is_empty();
            assert_eq!(flagged, !row[notes].is_empty(), "{row:?}");
        }
    }
}

#[test]
fn daily_has_one_row_per_day_and_a_steps_notes_on_its_first_day() {
    let args = [WARNED, &["--daily"]].concat();
    let rows = csv(&args, &[]);
    let plan = plan_json(&args);
    let days = plan["daily"].as_array().unwrap();
    assert_eq!(&rows[0][..4], ["Kind", "Day", "Date", "Step"]);
    assert_eq!(of_kind(&rows, "Day").len(), days.len());
    assert_eq!(rows.len(), 2 + days.len());
    let (date, notes) = (column(&rows, "Date"), column(&rows, "Notes"));
    for step in plan["steps"].as_array().unwrap() {
        let first = of_kind(&rows, "Day")
            .into_iter()
            .find(|r| r[date] == step["start_date"].as_str().unwrap());
        if let Some(first) = first {
            let flagged = !step["flags"].as_array().unwrap().is_empty();
            assert_eq!(flagged, !first[notes].is_empty(), "{first:?}");
        }
    }
}

#[test]
fn the_full_csv_keeps_every_column_at_full_precision() {
    let rows = csv(PRODUCTS_AND_SESSIONS, &["--csv", "full"]);
    let plan = plan_json(PRODUCTS_AND_SESSIONS);
    assert_eq!(rows[0][..3], ["step", "start_date", "end_date"]);
    assert_eq!(rows.len(), 1 + plan["steps"].as_array().unwrap().len());
    let occupancy = column(&rows, "occupancy_pct");
    assert_eq!(rows[1][occupancy], "75.217197");
    let flags = column(&rows, "flags");
    assert!(rows.iter().any(|r| r[flags].contains("merged")));
    let notice = column(&rows, "notice");
    assert!(rows[1..].iter().all(|r| r[notice].contains("review with")));
}

#[test]
fn taper_ketamine_writes_one_row_per_session() {
    let args = &PRODUCTS_AND_SESSIONS[9..];
    let text = run(&[
        &["ketamine", "--start", "2027-01-04", "--format", "csv"],
        args,
    ]
    .concat());
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Kind,Session,At,Hold from,Hold to,"));
    assert!(lines[1].starts_with("Summary,"));
    assert_eq!(lines.len(), 2 + 6);
    assert!(
        lines[2..]
            .iter()
            .all(|l| l.starts_with("Ketamine session,"))
    );
    assert_eq!(text.matches("review with the prescriber").count(), 1);
}

#[test]
fn a_byte_order_mark_only_when_asked() {
    for layout in ["patient", "full"] {
        let plain = csv_text(PRODUCTS_AND_SESSIONS, &["--csv", layout]);
        assert!(plain.starts_with(['K', 's']), "{layout}");
        let bom = csv_text(PRODUCTS_AND_SESSIONS, &["--csv", layout, "--csv-bom"]);
        assert_eq!(
            bom.strip_prefix('\u{feff}'),
            Some(plain.as_str()),
            "{layout}"
        );
    }
    let curve = run(&["curve", "citalopram", "--format", "csv", "--csv-bom"]);
    assert!(curve.starts_with("\u{feff}dose_mg,"));
}

#[test]
fn decimal_comma_changes_the_numbers_and_the_separator_and_nothing_else() {
    for layout in ["patient", "full"] {
        for args in [PRODUCTS_AND_SESSIONS, WARNED] {
            let point = csv(args, &["--csv", layout]);
            let comma_text = csv_text(args, &["--csv", layout, "--csv-decimal", "comma"]);
            let comma = cells(&comma_text, b';');
            assert_eq!(point.len(), comma.len());
            let mut numbers = 0;
            for (p, c) in point.iter().zip(&comma) {
                assert_eq!(p.len(), c.len(), "{c:?}");
                for (p, c) in p.iter().zip(c) {
                    if p.contains('.') && p.parse::<f64>().is_ok() {
                        assert_eq!(*c, p.replace('.', ","));
                        numbers += 1;
                    } else {
                        assert_eq!(p, c);
                    }
                }
            }
            assert!(numbers > 3, "{layout}: {numbers} decimal numbers");
        }
    }
    let comma = run(&["drugs", "--format", "csv", "--csv-decimal", "comma"]);
    assert!(comma.starts_with("name;class;"), "{comma}");
}

/// A plan that needs review says so first in both CSVs, as in every other format; a
/// plan that does not, nowhere.
#[test]
fn the_danger_headline_comes_first_in_both_csvs() {
    let danger = plan_json(WARNED);
    assert_eq!(danger["status"], "needs_review", "{danger}");
    let patient = csv(WARNED, &[]);
    let summary = patient[1].last().unwrap();
    assert_eq!(patient[1][0], "Summary");
    assert!(summary.starts_with("DANGER: "), "{summary}");
    assert!(!summary.contains("--"), "{summary}");
    let full = csv(WARNED, &["--csv", "full"]);
    let notice = column(&full, "notice");
    for row in &full[1..] {
        assert!(row[notice].starts_with("DANGER: "), "{row:?}");
    }

    let fine = &PRODUCTS_AND_SESSIONS[..5];
    assert_eq!(plan_json(fine)["status"], "ok");
    let text = csv_text(fine, &[]) + &csv_text(fine, &["--csv", "full"]);
    assert!(!text.contains("DANGER"), "{text}");
}
