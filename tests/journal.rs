//! `taper journal template` (issue 13): a blank dose and symptom journal with one row
//! per planned day, which `taper::journal::parse` reads back.

mod common;
use common::{run, taper};

#[test]
fn the_template_has_one_row_per_planned_day_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    std::fs::write(
        &plan,
        run(&[common::FIXED_PLAN, &["--format", "json"]].concat()),
    )
    .unwrap();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
    let out = dir.path().join("journal.csv");
    run(&[
        "journal",
        "template",
        "--plan",
        plan.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    let entries = taper::journal::parse("journal.csv", &text).unwrap();
    // From the start to the first day without the drug, every day once, in order.
    let start: jiff::civil::Date = doc["start_date"].as_str().unwrap().parse().unwrap();
    let stop: jiff::civil::Date = doc["stop_date"].as_str().unwrap().parse().unwrap();
    assert_eq!(entries.first().unwrap().date, start);
    assert_eq!(entries.last().unwrap().date, stop);
    assert_eq!(entries.len() as i32, (stop - start).get_days() + 1);
    assert!(
        entries
            .windows(2)
            .all(|w| w[1].date == w[0].date.tomorrow().unwrap())
    );
    // Each day's planned dose is its step's dose, as the printout rounds it.
    for s in doc["steps"].as_array().unwrap() {
        let first: jiff::civil::Date = s["start_date"].as_str().unwrap().parse().unwrap();
        let entry = entries.iter().find(|e| e.date == first).unwrap();
        let dose = s["dose_mg"].as_f64().unwrap();
        assert!(
            (entry.planned_mg.unwrap() - dose).abs() < 0.006,
            "{first}: {dose}"
        );
    }
    assert!(
        entries
            .iter()
            .all(|e| e.taken_mg.is_none() && e.score.is_none() && e.note.is_empty())
    );
    assert_eq!(entries.last().unwrap().planned_mg, Some(0.0));
}

#[test]
fn a_file_that_is_not_a_plan_is_refused_in_one_sentence() {
    let out = taper()
        .args(["journal", "template", "--plan", "-"])
        .write_stdin("{\"schema_version\": 9}")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: --plan is not a taper plan document"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(out.stdout.is_empty());
}

/// Revision 1 of the fixed plan in `dir`, and a journal of its first 60 days: every
/// dose taken as planned but half on days 41–50, a score on every 3rd day.
fn plan_and_journal(dir: &std::path::Path) -> (String, String, usize, usize) {
    let plan = dir.join("plan.json");
    std::fs::write(
        &plan,
        run(&[common::FIXED_PLAN, &["--format", "json"]].concat()),
    )
    .unwrap();
    let plan = plan.to_str().unwrap().to_string();
    let template = run(&["journal", "template", "--plan", &plan]);
    let mut lines: Vec<String> = template.lines().map(String::from).collect();
    let (mut taken, mut scores) = (0, 0);
    for (i, line) in lines.iter_mut().enumerate().skip(1).take(60) {
        let cells: Vec<&str> = line.split(',').collect();
        let planned: f64 = cells[1].parse().unwrap();
        let dose = if (41..=50).contains(&i) {
            planned / 2.0
        } else {
            planned
        };
        let score = match i % 3 {
            0 => {
                scores += 1;
                (i % 11).to_string()
            }
            _ => String::new(),
        };
        // A score of 0 is recorded but draws no bar.
        if score == "0" {
            scores -= 1;
        }
        taken += 1;
        *line = format!("{},{},{dose},{score},\"ok, mostly\"", cells[0], cells[1]);
    }
    let journal = dir.join("journal.csv");
    std::fs::write(&journal, lines.join("\r\n")).unwrap();
    (plan, journal.to_str().unwrap().to_string(), taken, scores)
}

#[test]
fn the_html_chart_draws_the_doses_taken_and_the_symptom_scores() {
    let dir = tempfile::tempdir().unwrap();
    let (plan, journal, taken, scores) = plan_and_journal(dir.path());
    let args = [
        "replan",
        "--plan",
        &plan,
        "--on",
        "2027-03-10",
        "--hold",
        "2w",
        "--journal",
        &journal,
        "--format",
        "html",
    ];
    let html = run(&args);
    assert_eq!(html.matches("<circle class=\"taken\"").count(), taken);
    assert_eq!(html.matches("<rect class=\"score\"").count(), scores);
    // Day 41 (2027-02-13) is in step 1 (11.67 mg), taken at half.
    assert!(html.contains("<title>2027-02-13: 5.83 mg taken</title>"));
    assert!(html.contains("Dose taken (journal)"));
    // Without --journal the chart has none of it.
    let plain = run(&args[..7]
        .iter()
        .chain(&["--format", "html"])
        .copied()
        .collect::<Vec<_>>());
    assert!(!plain.contains("class=\"taken\" cx") && !plain.contains("Dose taken (journal)"));
}

#[test]
fn a_bad_journal_line_is_refused_naming_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let (plan, journal, _, _) = plan_and_journal(dir.path());
    let text = std::fs::read_to_string(&journal).unwrap();
    let mut lines: Vec<&str> = text.split("\r\n").collect();
    lines[7] = "2027-01-10,20,twenty,,";
    std::fs::write(&journal, lines.join("\r\n")).unwrap();
    let base = [
        "replan",
        "--plan",
        &plan,
        "--on",
        "2027-03-10",
        "--hold",
        "2w",
        "--journal",
        &journal,
    ];
    let out = taper()
        .args(base)
        .args(["--format", "html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("line 8, column \"Dose taken mg\": \"twenty\" is not a dose in mg"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(out.stdout.is_empty());
    // Only the HTML printout draws a journal: elsewhere it is refused, not ignored.
    let out = taper()
        .args(base)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("--journal is drawn on the HTML printout's chart")
    );
}
